"""Running a relay on this process's stdin and stdout."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys

from intentlens.proxy._lines import LINE_LIMIT
from intentlens.proxy._relay import Relay


async def serve_stdio(relay: Relay) -> None:
    """Relay between our stdio (the MCP client) and the upstream server until the client leaves.

    SIGTERM and SIGHUP end the session the way the client leaving does: calls in flight get their
    grace period and are recorded, then the server is stopped (terminated, then killed, if it ignores
    the end of its input).
    """
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=LINE_LIMIT)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    write_transport, write_protocol = await loop.connect_write_pipe(
        asyncio.streams.FlowControlMixin, os.fdopen(os.dup(sys.stdout.fileno()), "wb"))
    writer = asyncio.StreamWriter(write_transport, write_protocol, None, loop)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, reader.feed_eof)
    try:
        await relay.serve(reader, writer)
    finally:
        writer.close()

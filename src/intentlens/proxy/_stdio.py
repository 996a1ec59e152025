"""Running a relay on this process's stdin and stdout."""

from __future__ import annotations

import asyncio
import os
import sys

from intentlens.proxy._relay import Relay
from intentlens.proxy._upstream import LINE_LIMIT


async def serve_stdio(relay: Relay) -> None:
    """Relay between our stdio (the MCP client) and the upstream server until the client leaves."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=LINE_LIMIT)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    write_transport, write_protocol = await loop.connect_write_pipe(
        asyncio.streams.FlowControlMixin, os.fdopen(os.dup(sys.stdout.fileno()), "wb"))
    writer = asyncio.StreamWriter(write_transport, write_protocol, None, loop)
    try:
        await relay.serve(reader, writer)
    finally:
        writer.close()

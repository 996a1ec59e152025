"""Reading newline-delimited JSON-RPC without ever losing the start of an oversized line."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

LINE_LIMIT = 64 * 1024 * 1024
"""Longest JSON-RPC line relayed; a longer one is answered with an error naming its id."""
HEAD = 4096
"""How much of an oversized line is kept to find its id."""


async def read_line(reader: asyncio.StreamReader) -> tuple[bytes, bytes | None]:
    """The next line, as ``(line, None)``; ``(b"", head)`` for a line over the reader's limit (its
    first bytes kept, the rest discarded up to its newline); ``(b"", None)`` at end of input.

    ``StreamReader.readline`` drops its whole buffer on an oversized line, and with it the id that
    the error reply needs; ``readuntil`` leaves the buffer in place, so the head is read first.
    """
    try:
        return await reader.readuntil(b"\n"), None
    except asyncio.IncompleteReadError as exc:
        return exc.partial, None  # the last line had no newline (or nothing was left)
    except asyncio.LimitOverrunError as exc:
        head = await reader.readexactly(min(exc.consumed, HEAD)) if exc.consumed else b""
        await _discard_rest_of_line(reader)
        return b"", head or b" "


async def each_line(reader: asyncio.StreamReader,
                    too_long: Callable[[bytes], Awaitable[None]]) -> AsyncIterator[bytes]:
    """Every line of ``reader`` until it ends; a line over the limit goes to ``too_long`` as its head
    and the reading goes on."""
    while True:
        line, head = await read_line(reader)
        if head is not None:
            await too_long(head)
        elif not line:
            return
        else:
            yield line


async def _discard_rest_of_line(reader: asyncio.StreamReader) -> None:
    while True:
        try:
            await reader.readuntil(b"\n")
            return
        except asyncio.IncompleteReadError:
            return
        except asyncio.LimitOverrunError as exc:
            await reader.readexactly(max(1, exc.consumed))

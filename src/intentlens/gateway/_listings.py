"""One tool listing per server, shared by every session of the aggregate endpoint.

Listing the tools of every server a token reaches used to start a server process per server per
session: twenty clients meant a hundred processes before the first call. A server's listing is
now kept for ``max_age`` seconds as its server sent it, and every aggregate session reads it through
the same checks as a listing of its own (scan, pinning, shadowing, holds, the token's allow-list),
so what a client is shown is decided per request. A session's own process starts at its first call
to that server, and lists the tools again there, so that the call is checked against the version
that process serves. When no fresh listing is kept, the first session to ask lists for everyone
while the others wait for it.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any


class SharedListings:
    """The latest complete listing of each server (raw, as the server sent it)."""

    def __init__(self, max_age: float) -> None:
        self.max_age = max_age
        self._kept: dict[str, tuple[float, list[dict[str, Any]]]] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    def put(self, server: str, tools: list[dict[str, Any]]) -> None:
        """Keep the listing a server just sent (any session's)."""
        self._kept[server] = (time.monotonic(), tools)

    def fresh(self, server: str) -> list[dict[str, Any]] | None:
        """The kept listing, while it is younger than ``max_age``."""
        kept = self._kept.get(server)
        if kept is None or time.monotonic() - kept[0] > self.max_age:
            return None
        return kept[1]

    def lock(self, server: str) -> asyncio.Lock:
        """Held by the one session that lists a server for everyone."""
        return self._locks.setdefault(server, asyncio.Lock())

    def forget(self, server: str) -> None:
        """Drop a server's listing (it was removed or changed)."""
        self._kept.pop(server, None)

"""An upstream MCP server run as a child process over stdio."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field

LINE_LIMIT = 64 * 1024 * 1024
"""Longest JSON-RPC line relayed; a longer reply is answered with an error instead."""


@dataclass(frozen=True)
class StdioCommand:
    """How to start an upstream server (one ``mcpServers`` entry)."""

    command: str
    args: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    cwd: str | None = None


class Upstream:
    """A running child process; ``start`` again after it died."""

    def __init__(self, spec: StdioCommand) -> None:
        self.spec = spec
        self.process: asyncio.subprocess.Process | None = None
        self.closed = False
        """Set as soon as the server's stdout ends, before the process is reaped."""

    @property
    def alive(self) -> bool:
        return self.process is not None and not self.closed and self.process.returncode is None

    async def reap(self) -> int | None:
        """Mark the server gone and collect its exit code (killing it if it lingers)."""
        self.closed = True
        if self.process is None:
            return None
        try:
            return await asyncio.wait_for(self.process.wait(), timeout=5)
        except TimeoutError:
            self.process.kill()
            return await self.process.wait()

    async def start(self) -> None:
        """Launch the server; its stderr goes to ours."""
        self.closed = False
        self.process = await asyncio.create_subprocess_exec(
            self.spec.command, *self.spec.args, stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE, stderr=sys.stderr,
            env={**os.environ, **self.spec.env}, cwd=self.spec.cwd, limit=LINE_LIMIT)

    async def send(self, line: bytes) -> None:
        """Write one line to the server."""
        if not self.alive or self.process is None or self.process.stdin is None:
            raise ConnectionError("upstream server is not running")
        self.process.stdin.write(line)
        await self.process.stdin.drain()

    async def stop(self) -> None:
        """Close stdin, then terminate if it lingers."""
        if self.process is None or self.process.returncode is not None:
            return
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            await asyncio.wait_for(self.process.wait(), timeout=2)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()

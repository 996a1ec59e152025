"""Upstream transports: a child process over stdio, behind the interface the relay talks to.

A transport hands every line the server writes to its :class:`Sink`; the relay never needs to know
which kind of upstream it is relaying to.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from intentlens.proxy._lines import LINE_LIMIT, each_line
from intentlens.proxy._sandbox import ProcessLimits


class Sink(Protocol):
    """Where a transport delivers what the server sends."""

    async def from_server(self, line: bytes) -> None:
        """One line (one JSON-RPC message or batch) from the server."""
        ...

    async def server_line_too_long(self, head: bytes) -> None:
        """A line over the limit: only its first bytes are kept."""
        ...

    async def server_gone(self, code: int | None) -> None:
        """The server stopped (its exit code, when it had one)."""
        ...


class Transport(Protocol):
    """How the relay reaches its upstream server."""

    @property
    def alive(self) -> bool: ...

    @property
    def restarted(self) -> bool:
        """True once the transport has been started more than once (the handshake must be replayed)."""
        ...

    async def start(self, sink: Sink) -> None: ...

    async def send(self, line: bytes) -> None:
        """Write one line; raises ``ConnectionError`` when the server cannot take it."""
        ...

    async def stop(self) -> None: ...


@dataclass(frozen=True)
class StdioCommand:
    """How to start an upstream server (one ``mcpServers`` entry)."""

    command: str
    args: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    cwd: str | None = None
    limits: ProcessLimits | None = None

    def problem(self) -> str | None:
        """Why this command cannot start, or None (checked before the proxy serves anyone)."""
        if self.limits is not None and (why := self.limits.problem()):
            return why
        if self.cwd is not None and not os.path.isdir(self.cwd):
            return f"working directory {self.cwd!r} does not exist"
        path = os.environ.get("PATH") if "PATH" not in self.env else self.env["PATH"]
        if os.sep in self.command:
            if not os.path.isfile(self.command):
                return f"server command {self.command!r} does not exist"
            if not os.access(self.command, os.X_OK):
                return f"server command {self.command!r} is not executable"
        elif shutil.which(self.command, path=path) is None:
            return f"server command {self.command!r} is not on PATH"
        return None


class StdioUpstream:
    """A child process; ``start`` again after it died."""

    def __init__(self, spec: StdioCommand) -> None:
        self.spec = spec
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0
        self._closed = False
        self._reader: asyncio.Task[None] | None = None

    @property
    def alive(self) -> bool:
        return self.process is not None and not self._closed and self.process.returncode is None

    @property
    def restarted(self) -> bool:
        return self.starts > 1

    async def start(self, sink: Sink) -> None:
        """Launch the server (its stderr goes to ours) and relay its stdout to ``sink``."""
        self._closed = False
        self.process = await asyncio.create_subprocess_exec(
            self.spec.command, *self.spec.args, stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE, stderr=sys.stderr,
            env={**os.environ, **self.spec.env}, cwd=self.spec.cwd, limit=LINE_LIMIT,
            preexec_fn=self.spec.limits.apply if self.spec.limits is not None else None)
        self.starts += 1
        self._reader = asyncio.create_task(self._read(self.process, sink))

    async def _read(self, process: asyncio.subprocess.Process, sink: Sink) -> None:
        assert process.stdout is not None
        async for line in each_line(process.stdout, sink.server_line_too_long):
            await sink.from_server(line)
        self._closed = True
        await sink.server_gone(await self._reap(process))

    @staticmethod
    async def _reap(process: asyncio.subprocess.Process) -> int | None:
        try:
            return await asyncio.wait_for(process.wait(), timeout=5)
        except TimeoutError:
            process.kill()
            return await process.wait()

    async def send(self, line: bytes) -> None:
        """Write one line to the server."""
        if not self.alive or self.process is None or self.process.stdin is None:
            raise ConnectionError("upstream server is not running")
        try:
            self.process.stdin.write(line)
            await self.process.stdin.drain()
        except (BrokenPipeError, ConnectionResetError) as exc:
            raise ConnectionError(f"upstream server closed its input: {exc}") from exc

    async def stop(self) -> None:
        """Close the server's input; terminate it if it lingers, then kill it."""
        process = self.process
        if process is not None and process.returncode is None:
            if process.stdin is not None:
                with contextlib.suppress(OSError, RuntimeError):
                    process.stdin.close()
            for signal_it in (None, process.terminate, process.kill):
                if signal_it is not None:
                    with contextlib.suppress(ProcessLookupError):
                        signal_it()
                try:
                    await asyncio.wait_for(process.wait(), timeout=2)
                    break
                except TimeoutError:
                    continue
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader

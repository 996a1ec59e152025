"""A lossless JSON-RPC relay between one MCP client (our stdio) and one upstream server.

Every line is forwarded unchanged, whatever protocol era the two sides speak. Requests and responses
are paired by id to record ``tools/list`` and ``tools/call``; in guard mode a ``tools/call`` is verified
first and, when refused, answered with a tool error result instead of being forwarded. If the
upstream dies, pending requests get an error and the next request restarts it (replaying the
client's ``initialize`` handshake, when there was one); a request without a reply within the timeout
gets an error; a reply too long to relay gets an error naming its id.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from dataclasses import dataclass
from typing import Any

from intentlens.core import ToolSpec
from intentlens.proxy._guarding import CallGuard, Decision
from intentlens.proxy._http import HttpEndpoint, HttpUpstream
from intentlens.proxy._messages import (
    encode,
    error_reply,
    id_near_start,
    parse,
    request_era,
    tool_error_reply,
)
from intentlens.proxy._store import Store
from intentlens.proxy._upstream import LINE_LIMIT, StdioCommand, Upstream
from intentlens.proxy._writer import GroupWriter

logger = logging.getLogger(__name__)
_REPLAY_ID = "intentlens-replay-initialize"


@dataclass
class Pending:
    """A client request awaiting its response."""

    method: str
    params: dict[str, Any]
    started: float
    timer: asyncio.TimerHandle | None = None
    decision: Decision | None = None


class Relay:
    """One client session relayed to one upstream server."""

    def __init__(self, server: str, upstream: StdioCommand | HttpEndpoint, *, store: Store | None = None,
                 guard: CallGuard | None = None, timeout: float = 120.0) -> None:
        self.server = server
        self.http = HttpUpstream(upstream, timeout) if isinstance(upstream, HttpEndpoint) else None
        self.upstream = Upstream(upstream if isinstance(upstream, StdioCommand) else StdioCommand(""))
        self.store = store
        self.guard = guard
        self.timeout = timeout
        self.session_id = uuid.uuid4().hex
        self.protocol_version: str | None = None
        self.tools: dict[str, ToolSpec] = {}
        self._pending: dict[Any, Pending] = {}
        self._handshake: list[bytes] = []
        self._out: asyncio.StreamWriter | None = None
        self._write_lock = asyncio.Lock()
        self._reader_task: asyncio.Task[None] | None = None
        self._restart_lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()
        self._writer: GroupWriter | None = None
        if store is not None:
            store.add_session(self.session_id, server)

    async def serve(self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter) -> None:
        """Relay until the client disconnects."""
        self._out = client_out
        if self.store is not None:
            self._writer = GroupWriter(self.store)
        await self._ensure_upstream()
        try:
            while True:
                try:
                    line = await client_in.readline()
                except ValueError:  # a client line over the limit: drop it, keep serving
                    logger.error("client sent a line over %d bytes; dropped", LINE_LIMIT)
                    continue
                if not line:
                    break
                await self._from_client(line)
        finally:
            if self._tasks:
                await asyncio.wait(list(self._tasks), timeout=5)
            for task in list(self._tasks):
                task.cancel()
            if self.http is not None:
                await self.http.stop()
            if self._writer is not None:
                await self._writer.close()
            await self.upstream.stop()
            if self._reader_task:
                self._reader_task.cancel()

    async def _write(self, line: bytes) -> None:
        assert self._out is not None
        async with self._write_lock:
            self._out.write(line)
            await self._out.drain()

    async def _ensure_upstream(self) -> None:
        if self.http is not None:
            if not self.http.alive:
                await self.http.start()
            return
        async with self._restart_lock:
            if self.upstream.alive:
                return
            restarting = self.upstream.process is not None
            await self.upstream.start()
            self._reader_task = asyncio.create_task(self._from_upstream())
            if restarting and self._handshake:
                logger.warning("upstream restarted; replaying the initialize handshake")
                initialize = parse(self._handshake[0]) or {}
                initialize["id"] = _REPLAY_ID
                await self.upstream.send(encode(initialize))
                for line in self._handshake[1:]:
                    await self.upstream.send(line)

    async def _from_client(self, line: bytes) -> None:
        message = parse(line)
        method = message.get("method") if message else None
        if message is None or method is None or "id" not in message:
            if method == "notifications/initialized":
                self._handshake.append(line)
            await self._forward(line)
            return
        params = message.get("params") if isinstance(message.get("params"), dict) else {}
        if method == "initialize":
            self._handshake = [line]
        pending = Pending(method=str(method), params=params, started=time.time())
        request_id = message["id"]
        self._pending[request_id] = pending
        pending.timer = asyncio.get_running_loop().call_later(
            self.timeout, lambda: self._spawn(self._expire(request_id)))
        if method == "tools/call" and self.guard is not None:
            self._spawn(self._guarded(request_id, pending, line))
        else:
            await self._forward(line, request_id)

    def _spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _forward(self, line: bytes, request_id: Any = None) -> None:
        if self.http is not None:
            await self._ensure_upstream()
            self.http.send(line, self._from_server)
            return
        try:
            await self._ensure_upstream()
            await self.upstream.send(line)
        except (ConnectionError, OSError) as exc:
            if request_id is not None and self._pending.pop(request_id, None) is not None:
                await self._write(error_reply(request_id, f"upstream server unavailable: {exc}"))

    async def _guarded(self, request_id: Any, pending: Pending, line: bytes) -> None:
        assert self.guard is not None
        name = str(pending.params.get("name", ""))
        decision = await self.guard.decide(self.server, self.tools.get(name), name, pending.params)
        if decision.forward:
            pending.decision = decision
            await self._forward(line, request_id)
            return
        if self._pending.pop(request_id, None) is None:
            return
        if pending.timer:
            pending.timer.cancel()
        text = f"intentlens blocked this call: {decision.reason}"
        await self._record_call(request_id, pending, result=None, error=text, is_error=True,
                                forwarded=False, decision=decision)
        await self._write(tool_error_reply(request_id, text,
                                           new_era=request_era(pending.params) is not None))

    async def _expire(self, request_id: Any) -> None:
        pending = self._pending.pop(request_id, None)
        if pending is None:
            return
        message = f"upstream server did not answer {pending.method} within {self.timeout:g} s"
        if pending.method == "tools/call":
            await self._record_call(request_id, pending, result=None, error=message, is_error=True)
        await self._write(error_reply(request_id, message))

    async def _from_upstream(self) -> None:
        process = self.upstream.process
        assert process is not None and process.stdout is not None
        stdout = process.stdout
        while True:
            try:
                line = await stdout.readline()
            except ValueError:
                await self._too_long(stdout)
                continue
            if not line:
                break
            await self._from_server(line)
        self.upstream.closed = True
        await self._upstream_gone(await self.upstream.reap())

    async def _too_long(self, stdout: asyncio.StreamReader) -> None:
        head = b""
        while True:  # discard the rest of the oversized line
            try:
                chunk = await stdout.readuntil(b"\n")
                head = head or chunk
                break
            except asyncio.LimitOverrunError as exc:
                part = await stdout.readexactly(exc.consumed)
                head = head or part
            except asyncio.IncompleteReadError:
                break
        request_id = id_near_start(head)
        if self._pending.pop(request_id, None) is not None:
            await self._write(error_reply(request_id, f"upstream reply exceeds {LINE_LIMIT} bytes"))

    async def _upstream_gone(self, code: int | None) -> None:
        for request_id in list(self._pending):
            pending = self._pending.pop(request_id)
            if pending.timer:
                pending.timer.cancel()
            message = f"upstream server exited (code {code}) before answering {pending.method}"
            if pending.method == "tools/call":
                await self._record_call(request_id, pending, result=None, error=message, is_error=True)
            await self._write(error_reply(request_id, message))

    async def _from_server(self, line: bytes) -> None:
        message = parse(line)
        if message is None:
            logger.error("upstream sent a line that is not JSON-RPC; dropped: %r", line[:200])
            return
        if message.get("id") == _REPLAY_ID:
            return  # the response to our replayed initialize
        if "method" not in message and "id" in message:
            pending = self._pending.pop(message["id"], None)
            if pending is not None:
                if pending.timer:
                    pending.timer.cancel()
                if pending.method == "tools/call" and self.guard is not None and pending.decision:
                    self.guard.observe(pending.decision.query, message.get("result"))
                if pending.method == "tools/call" and self._writer is not None:
                    self._spawn(self._record_then_write(message, pending, line))
                    return
                self._observe(message, pending)
        await self._write(line)

    async def _record_then_write(self, message: dict[str, Any], pending: Pending, line: bytes) -> None:
        """Commit the call (grouped with others in flight), then hand the response to the client."""
        self._note_protocol(pending, message.get("result"))
        result, error = message.get("result"), message.get("error")
        await self._record_call(message["id"], pending, result=result,
                                error=str(error.get("message")) if isinstance(error, dict) else None,
                                is_error=bool(result.get("isError")) if isinstance(result, dict) else True,
                                decision=pending.decision)
        await self._write(line)

    def _note_protocol(self, pending: Pending, result: Any) -> None:
        """The version the server accepted: its initialize answer, or a 2026-era request it served."""
        if not isinstance(result, dict):
            return
        version = result.get("protocolVersion") if pending.method == "initialize" else None
        version = version or (request_era(pending.params) if self.protocol_version is None else None)
        if version and version != self.protocol_version:
            self.protocol_version = str(version)
            if self.store is not None:
                self.store.set_protocol_version(self.session_id, self.protocol_version)

    def _observe(self, message: dict[str, Any], pending: Pending) -> None:
        result = message.get("result")
        self._note_protocol(pending, result)
        if pending.method == "tools/list" and isinstance(result, dict):
            tools = [t for t in result.get("tools") or [] if isinstance(t, dict) and "name" in t]
            for tool in tools:
                self.tools[str(tool["name"])] = ToolSpec(
                    name=str(tool["name"]), description=str(tool.get("description") or ""),
                    input_schema=tool.get("inputSchema") or {}, output_schema=tool.get("outputSchema"),
                    server=self.server)
            if self.store is not None:
                self.store.add_tools(self.session_id, self.server, tools)

    async def _record_call(self, request_id: Any, pending: Pending, *, result: Any, error: str | None,
                     is_error: bool, forwarded: bool = True, decision: Decision | None = None) -> None:
        if self.store is None or self._writer is None:
            return
        await self._writer.record(self.store.call_row(
            session_id=self.session_id, server=self.server, request_id=request_id,
            tool=str(pending.params.get("name", "")), arguments=pending.params.get("arguments"),
            result=result, is_error=is_error, error=error, started=pending.started,
            latency_ms=(time.time() - pending.started) * 1000, protocol_version=self.protocol_version,
            query=decision.query if decision else None,
            verdict=(decision.verdict or {"reason": decision.reason}) if decision else None,
            forwarded=forwarded))

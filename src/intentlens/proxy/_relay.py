"""A lossless JSON-RPC relay between one MCP client and one upstream server.

Every valid message is forwarded unchanged, whatever protocol era the two sides speak. Requests and
responses are paired by id to record ``tools/list`` and ``tools/call``; in guard mode a ``tools/call``
is verified first, its verdict stored, and only then forwarded (or answered with a tool error).

One rule holds whatever either side sends: **each client request is answered exactly once**. Every
reply to the client goes through :meth:`Relay._take`, which removes the request from the pending
table before anything is awaited; whichever answer comes first (the server's, the timeout's, an
error's) wins, and a later one is dropped (a late ``tools/call`` result is still recorded). The
upstream's timeout clock starts when a call is forwarded, never while the guard decides; the guard
has its own deadline (see :class:`CallGuard`).

Faults: a dead upstream fails its pending requests and is restarted on the next request (replaying
the client's ``initialize`` handshake); a line over 64 MiB from either side is answered with an error
naming its id and never forwarded in part; a JSON-RPC batch is split and each request in it goes
through the same path as one sent alone; ids that MCP forbids (null, objects, arrays, booleans,
floats) and a second request with an id already in flight are refused with ``-32600``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from intentlens.proxy._chain import CallContext, Chain, Decision, ListContext, RequestInfo
from intentlens.proxy._guarding import CallGuard, GuardMiddleware
from intentlens.proxy._http import HttpEndpoint, HttpUpstream
from intentlens.proxy._journal import Journal, Pending
from intentlens.proxy._lines import LINE_LIMIT, each_line
from intentlens.proxy._messages import (
    INVALID_REQUEST,
    PARSE_ERROR,
    encode,
    error_reply,
    id_key,
    id_near_start,
    parse,
    request_era,
    tool_error_reply,
    valid_id,
)
from intentlens.proxy._otel import McpSpans
from intentlens.proxy._screening import ScreenMiddleware, ToolScreen
from intentlens.proxy._store import Store
from intentlens.proxy._upstream import StdioCommand, StdioUpstream, Transport
from intentlens.proxy._writer import GroupWriter

logger = logging.getLogger(__name__)
_REPLAY_ID = "intentlens-replay-initialize"
_EXPIRED_KEPT = 1024


def transport_for(upstream: StdioCommand | HttpEndpoint | Transport, timeout: float) -> Transport:
    """The transport that reaches ``upstream``."""
    if isinstance(upstream, StdioCommand):
        return StdioUpstream(upstream)
    if isinstance(upstream, HttpEndpoint):
        return HttpUpstream(upstream, timeout)
    return upstream


class Relay:
    """One client session relayed to one upstream server.

    ``chain`` holds the checks in the path (pinning, shadowing, rate limits...); ``screen`` (the scan)
    runs first and ``guard`` last, each as one more link of the chain. ``caller`` names the gateway
    token the session belongs to (recorded with each call).
    """

    def __init__(self, server: str, upstream: StdioCommand | HttpEndpoint | Transport, *,
                 store: Store | None = None, guard: CallGuard | None = None, timeout: float = 120.0,
                 grace: float = 5.0, screen: ToolScreen | None = None, chain: Chain | None = None,
                 caller: str | None = None, conversation: str | None = None,
                 writer: GroupWriter | None = None, spans: McpSpans | None = None,
                 client_transport: str = "pipe", inline_checks: bool = False,
                 on_listing: Callable[[str, list[dict[str, Any]]], None] | None = None) -> None:
        self.server = server
        self.transport = transport_for(upstream, timeout)
        self.store = store
        self.guard = guard
        self.chain = Chain([*([ScreenMiddleware(screen)] if screen else []),
                            *(chain.middlewares if chain else []),
                            *([GuardMiddleware(guard)] if guard else [])])
        self.caller = caller
        self.conversation = conversation
        self.inline_checks = inline_checks
        self.on_listing = on_listing
        """Told every complete tool listing the server sends, as it sent it (the gateway shares it)."""
        """Decide calls on the receiving task instead of a new one (a caller with a task per message)."""
        self.timeout = timeout
        self.grace = grace
        """Seconds a departing client's calls in flight may still take to finish (and be recorded)."""
        self.session_id = uuid.uuid4().hex
        self.journal = Journal(server, self.session_id, store, caller=caller, spans=spans,
                               client_transport=client_transport, writer=writer)
        self._pending: dict[str, Pending] = {}
        self._expired: OrderedDict[str, Pending] = OrderedDict()
        self._handshake: list[bytes] = []
        self._out: Any = None
        self._client_gone = False
        self._write_lock = asyncio.Lock()
        self._start_lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()
        self.last_active = time.monotonic()

    # -- the client side ------------------------------------------------------------------------

    async def serve(self, client_in: asyncio.StreamReader, client_out: Any) -> None:
        """Relay until the client disconnects (or its input is closed on a signal)."""
        await self.open(client_out)
        try:
            async for line in each_line(client_in, self._client_line_too_long):
                await self._from_client(line)
        finally:
            await self.close()

    async def open(self, client_out: Any) -> None:
        """Start the session: replies go to ``client_out`` (``write(bytes)`` and ``await drain()``)."""
        self._out = client_out
        self.journal.open()
        with contextlib.suppress(OSError):  # a server that cannot start fails each request instead
            await self._ensure_upstream()

    async def receive(self, line: bytes, info: RequestInfo | None = None) -> None:
        """One message (or batch) from the client, already read in full, with what the gateway knows
        of the request that carried it."""
        self.last_active = time.monotonic()
        await self._from_client(line, info or RequestInfo(conversation=self.conversation))

    async def close(self) -> None:
        """End the session: calls in flight get the grace period, then the server is stopped."""
        await self._shutdown()

    async def _from_client(self, line: bytes, info: RequestInfo | None = None) -> None:
        if not line.strip():
            return
        info = info or RequestInfo(conversation=self.conversation)
        message = parse(line)
        if isinstance(message, list):  # a batch: each element goes through the path it would alone
            if not message:
                await self._send(error_reply(None, "empty batch", INVALID_REQUEST))
            for item in message:
                await self._client_message(item, encode(item), info)
            return
        await self._client_message(message, line, info)

    async def _client_message(self, message: Any, line: bytes, info: RequestInfo) -> None:
        if not isinstance(message, dict):
            await self._send(error_reply(None, "not a JSON-RPC message", PARSE_ERROR if message is None
                                         else INVALID_REQUEST))
            return
        method = message.get("method")
        if method is None:  # the client's answer to a server request, forwarded as it is
            if "id" in message and ("result" in message or "error" in message):
                await self._to_server(line)
            return
        if "id" not in message:  # a notification
            if method == "notifications/initialized":
                self._handshake.append(line)
            await self._to_server(line)
            return
        await self._client_request(message, str(method), line, info)

    async def _client_request(self, message: dict[str, Any], method: str, line: bytes,
                              info: RequestInfo) -> None:
        request_id = message["id"]
        if not valid_id(request_id):
            await self._send(error_reply(request_id, "invalid request: an MCP request id is a string or "
                                         "an integer", INVALID_REQUEST))
            return
        key = id_key(request_id)
        if key in self._pending:
            await self._send(error_reply(request_id, f"request id {request_id!r} is already in flight",
                                         INVALID_REQUEST))
            return
        params = message["params"] if isinstance(message.get("params"), dict) else {}
        if method == "initialize":
            self._handshake = [line]
        pending = Pending(id=request_id, method=method, params=params, started=time.time(), info=info)
        self._pending[key] = pending
        if method == "tools/call":
            name = str(params.get("name", ""))
            pending.context = CallContext(server=self.server, session_id=self.session_id, name=name,
                                          params=params, tool=self.journal.tools.get(name),
                                          caller=self.caller, conversation=info.conversation,
                                          store=self.store, digest=self.journal.digests.get(name),
                                          listed=tuple(self.journal.tools.values()), info=info)
        if method == "tools/call" and self.chain.decides_calls:
            if self.inline_checks:  # the caller awaits each message on its own task (the gateway)
                await self._checked(key, pending, line)
            else:  # the stdio read loop must not wait for a slow guard
                self._spawn(self._checked(key, pending, line))
        else:
            await self._forward(key, pending, line)

    async def _client_line_too_long(self, head: bytes) -> None:
        request_id = id_near_start(head)
        logger.error("client sent a line over %d bytes; not forwarded", LINE_LIMIT)
        if valid_id(request_id):  # answered at once, like a duplicate: it never enters the pending table
            await self._send(error_reply(request_id, f"request exceeds {LINE_LIMIT} bytes; not forwarded",
                                         INVALID_REQUEST))

    # -- answering: the one place a request leaves the pending table ------------------------------

    def _take(self, key: str) -> Pending | None:
        """Remove a pending request so that nothing else can answer it; None if already answered."""
        pending = self._pending.pop(key, None)
        if pending is not None and pending.timer is not None:
            pending.timer.cancel()
        return pending

    async def _answer(self, pending: Pending, reply: bytes, *, result: Any = None,
                      error: str | None = None) -> None:
        """Record a taken ``tools/call`` (durably), then send its one reply."""
        if pending.method == "tools/call":
            is_error = bool(result.get("isError")) if isinstance(result, dict) else True
            try:
                await self.journal.call(pending, result=result, error=error, is_error=is_error)
            except Exception:  # noqa: BLE001 - the client still gets its answer
                logger.exception("could not record the call %r", pending.id)
        await self._send(reply)
        self.journal.span(pending, result, error)

    async def _fail(self, key: str, message: str) -> None:
        if (pending := self._take(key)) is not None:
            self._spawn(self._answer(pending, error_reply(pending.id, message), error=message))

    async def _send(self, line: bytes) -> None:
        if self._client_gone or self._out is None:
            return
        async with self._write_lock:
            try:
                self._out.write(line)
                await self._out.drain()
            except (ConnectionError, RuntimeError, OSError) as exc:
                logger.warning("client went away: %s", exc)
                self._client_gone = True

    # -- the checks: the chain decides, the verdict is stored, then the call goes on or is refused -----

    async def _checked(self, key: str, pending: Pending, line: bytes) -> None:
        assert pending.context is not None
        name = pending.context.name
        decision = await self.chain.call_tool(pending.context)
        if self._pending.get(key) is not pending:
            return  # answered meanwhile (the proxy is shutting down)
        if decision is None:
            await self._forward(key, pending, line)
            return
        pending.decision = decision
        try:
            await self.journal.verdict(pending, decision)
        except Exception as exc:  # noqa: BLE001 - no verdict on record, no forwarding
            logger.exception("could not record the verdict on %s", name)
            decision = Decision(False, f"the verdict could not be recorded ({exc})", decision.query,
                                decision.verdict)
        if decision.forward:
            logger.info("allowed %s: %s", name, decision.reason)
            await self._forward(key, pending, line)
            return
        await self._refuse(key, pending, decision, recorded=True)

    async def _refuse(self, key: str, pending: Pending, decision: Decision, *,
                      recorded: bool = False) -> None:
        """Answer a call that is not forwarded with a tool error carrying the reason (its verdict stored)."""
        name = str(pending.params.get("name", ""))
        logger.warning("blocked %s on %s: %s", name, self.server, decision.reason)
        pending.decision = decision
        if not recorded:
            await self.journal.verdict(pending, decision)
        if (taken := self._take(key)) is not None:
            text = f"intentlens blocked this call: {decision.reason}"
            await self.journal.call(taken, result=None, error=text, is_error=True)
            await self._send(tool_error_reply(taken.id, text, new_era=request_era(taken.params) is not None))
            self.journal.span(taken, {"isError": True, "content": [{"type": "text", "text": text}]}, None)

    # -- the upstream side ----------------------------------------------------------------------

    def _spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _ensure_upstream(self) -> None:
        async with self._start_lock:
            if self.transport.alive:
                return
            await self.transport.start(self)
            if self.transport.restarted and self._handshake:
                logger.warning("upstream restarted; replaying the initialize handshake")
                initialize = parse(self._handshake[0])
                if isinstance(initialize, dict):
                    initialize["id"] = _REPLAY_ID
                    await self.transport.send(encode(initialize))
                for line in self._handshake[1:]:
                    await self.transport.send(line)

    async def _to_server(self, line: bytes) -> None:
        try:
            await self._ensure_upstream()
            await self.transport.send(line)
        except (ConnectionError, OSError) as exc:
            logger.warning("could not forward a message upstream: %s", exc)

    async def _forward(self, key: str, pending: Pending, line: bytes) -> None:
        pending.forwarded = True
        pending.timer = asyncio.get_running_loop().call_later(
            self.timeout, lambda: self._spawn(self._expire(key)))
        try:
            await self._ensure_upstream()
            await self.transport.send(line)
        except (ConnectionError, OSError) as exc:
            await self._fail(key, f"upstream server unavailable: {exc}")

    async def _expire(self, key: str) -> None:
        if (pending := self._take(key)) is None:
            return
        self._expired[key] = pending
        while len(self._expired) > _EXPIRED_KEPT:
            self._expired.popitem(last=False)
        message = f"upstream server did not answer {pending.method} within {self.timeout:g} s"
        await self._answer(pending, error_reply(pending.id, message), error=message)

    async def from_server(self, line: bytes) -> None:
        """A line from the server: replies are paired with their request, anything else is relayed.
        Never raises: the transport's reader must outlive any one bad line."""
        try:
            await self._from_server(line)
        except Exception:  # noqa: BLE001
            logger.exception("could not relay a line from the server")

    async def _from_server(self, line: bytes) -> None:
        message = parse(line)
        if isinstance(message, list):
            for item in message:
                if isinstance(item, dict):
                    await self._server_message(item, encode(item))
            return
        if message is None:
            logger.error("upstream sent a line that is not JSON-RPC; dropped: %r", line[:200])
            return
        await self._server_message(message, line)

    async def _server_message(self, message: dict[str, Any], line: bytes) -> None:
        if "method" in message:  # a server request or notification for the client
            await self._send(line)
            return
        if "id" not in message or message.get("id") == _REPLAY_ID:
            return
        key = id_key(message["id"])
        waiting = self._pending.get(key)
        if waiting is not None and not waiting.forwarded:  # a reply to a call the server never got
            logger.warning("dropped a reply to id %s, which was not forwarded", key[:80])
            return
        pending = self._take(key)
        if pending is None:
            self._late(key, message)
            return
        result, error = message.get("result"), message.get("error")
        self.journal.note_protocol(pending, result)
        if pending.context is not None:
            self.chain.result(pending.context, pending.decision, result)
        self.journal.observe(pending, result)
        if pending.method == "tools/list" and self.on_listing is not None and isinstance(result, dict) \
                and isinstance(result.get("tools"), list) and "cursor" not in pending.params \
                and not result.get("nextCursor"):
            self.on_listing(self.server, [t for t in result["tools"] if isinstance(t, dict)])
        text = str(error.get("message")) if isinstance(error, dict) else None
        # a task the shutdown waits for: once taken, a request's reply is always delivered
        if pending.method == "tools/list" and self.chain.rewrites_lists and isinstance(result, dict) \
                and isinstance(result.get("tools"), list):
            self._spawn(self._listed(pending, message, result))
        else:
            self._spawn(self._answer(pending, line, result=result, error=text))

    async def _listed(self, pending: Pending, message: dict[str, Any], result: dict[str, Any]) -> None:
        """Answer a tools/list with the tools the chain lets the client see (poisoned, changed or
        shadowing tools hidden or flagged, and recorded)."""
        try:
            listed = [t for t in result["tools"] if isinstance(t, dict)]
            context = ListContext(server=self.server, session_id=self.session_id, caller=self.caller,
                                  store=self.store, info=pending.info)
            shown = await self.chain.list_tools(context, listed)
        except Exception as exc:  # noqa: BLE001 - a check that fails shows no tool rather than an unchecked one
            logger.exception("could not check the tools of %s", self.server)
            problem = f"intentlens could not check the tool list: {exc}"
            await self._answer(pending, error_reply(pending.id, problem))
            return
        await self._answer(pending, encode({**message, "result": {**result, "tools": shown}}))

    def _late(self, key: str, message: dict[str, Any]) -> None:
        """A reply for a request already answered: never sent on, but a late call is recorded."""
        pending = self._expired.pop(key, None)
        logger.warning("dropped a reply to id %s that was already answered", key[:80])
        if pending is not None and pending.method == "tools/call":
            result = message.get("result")
            note = f"answered after the proxy's {self.timeout:g} s timeout; the client got an error instead"
            self._spawn(self.journal.call(pending, result=result, error=note, is_error=True))

    async def server_line_too_long(self, head: bytes) -> None:
        """A reply over the limit: its request gets an error naming the limit."""
        request_id = id_near_start(head)
        logger.error("upstream sent a line over %d bytes; dropped", LINE_LIMIT)
        if valid_id(request_id):
            await self._fail(id_key(request_id), f"upstream reply exceeds {LINE_LIMIT} bytes")

    async def server_gone(self, code: int | None) -> None:
        """The server exited: every request it had been sent gets an error."""
        for key, pending in list(self._pending.items()):
            if pending.forwarded:
                await self._fail(key, f"upstream server exited (code {code}) before answering "
                                      f"{pending.method}")

    # -- the end --------------------------------------------------------------------------------

    async def _shutdown(self) -> None:
        """Let calls in flight finish for ``grace`` seconds, answer (and record) the rest, then stop."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.grace
        while (self._pending or self._tasks) and loop.time() < deadline:
            await asyncio.sleep(0.02)
        for key in list(self._pending):
            await self._fail(key, "the proxy stopped before the server answered")
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=5)
        for task in list(self._tasks):
            task.cancel()
        with contextlib.suppress(Exception):
            await self.transport.stop()
        await self.journal.close()

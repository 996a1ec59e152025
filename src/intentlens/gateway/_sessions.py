"""Client sessions: a relay driven by HTTP requests instead of a stdio stream.

Each client session (``Mcp-Session-Id``) owns its relay, and so its own upstream: a stdio server is
started for that session alone, so no client ever sees another client's server state (open files,
memory, a git checkout's position). An HTTP upstream gets its own upstream session the same way.

The relay answers every request exactly once (see :mod:`intentlens.proxy._relay`); here each answer
resolves the POST waiting for its id. Messages the server starts itself (notifications, requests such
as ``sampling/createMessage``) have no POST to ride on: the gateway offers no standalone SSE stream,
so notifications are dropped and server requests are answered with an error, never left hanging.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from intentlens.proxy import Relay, RequestInfo
from intentlens.proxy._messages import encode, error_reply, id_key, parse

logger = logging.getLogger(__name__)
METHOD_NOT_FOUND = -32601


class Replies:
    """The relay's client end: answers go to the POST waiting for their id."""

    def __init__(self) -> None:
        self._waiting: dict[str, asyncio.Future[bytes]] = {}
        self.server_requests: asyncio.Queue[Any] = asyncio.Queue()

    def expect(self, request_id: Any) -> asyncio.Future[bytes] | None:
        """A future for the answer to ``request_id``; None when that id is already waiting."""
        key = id_key(request_id)
        if key in self._waiting:
            return None
        future: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self._waiting[key] = future
        return future

    def forget(self, request_id: Any) -> None:
        self._waiting.pop(id_key(request_id), None)

    def write(self, line: bytes) -> None:
        message = parse(line)
        if not isinstance(message, dict):
            return
        if "method" in message:
            if "id" in message:  # a server request: it must be answered, by us
                self.server_requests.put_nowait(message["id"])
            return
        future = self._waiting.pop(id_key(message.get("id")), None)
        if future is not None and not future.done():
            future.set_result(line)

    async def drain(self) -> None:
        return None


class ServerSession:
    """One client's session with one server, through a relay."""

    def __init__(self, relay: Relay, caller: str | None, *, answer_within: float) -> None:
        self.relay = relay
        self.caller = caller
        self.id = relay.session_id
        self.answer_within = answer_within
        self.replies = Replies()
        self.last_active = time.monotonic()
        self._answerer: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self.relay.open(self.replies)
        self._answerer = asyncio.create_task(self._refuse_server_requests())

    async def _refuse_server_requests(self) -> None:
        while True:
            request_id = await self.replies.server_requests.get()
            await self.relay.receive(error_reply(request_id, "the intentlens gateway does not relay "
                                                 "requests from the server to the client", METHOD_NOT_FOUND))

    async def request(self, message: dict[str, Any], info: RequestInfo | None = None) -> bytes:
        """Send a request; its one answer (the relay always answers)."""
        self.last_active = time.monotonic()
        future = self.replies.expect(message["id"])
        if future is None:
            return error_reply(message["id"], f"request id {message['id']!r} is already in flight", -32600)
        try:
            await self.relay.receive(encode(message), info or RequestInfo())
            return await asyncio.wait_for(future, self.answer_within)
        except TimeoutError:
            return error_reply(message["id"], "the gateway gave up waiting for an answer")
        finally:
            self.replies.forget(message["id"])

    async def send(self, message: dict[str, Any], info: RequestInfo | None = None) -> None:
        """A notification or a response to the server."""
        self.last_active = time.monotonic()
        await self.relay.receive(encode(message), info or RequestInfo())

    async def close(self) -> None:
        if self._answerer is not None:
            self._answerer.cancel()
        await self.relay.close()

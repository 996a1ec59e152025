"""A Streamable HTTP upstream: each client message is POSTed to the server's URL, and every
JSON-RPC message in the reply (a JSON body or an SSE stream) is handed back to the relay.

The upstream hop uses aiohttp's client: on the gateway benchmark a bare forwarder added 0.46 ms per
call with it against 0.85 ms with httpx (its HTTP/1.1 parser is C, httpx's is pure Python), which is
what brings the gateway's added latency under 1 ms (``bench/NOTES.md``, 2026-12-02).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from intentlens.proxy._messages import encode, error_reply, parse
from intentlens.proxy._upstream import Sink

Deliver = Callable[[bytes], Awaitable[None]]


@dataclass(frozen=True)
class HttpEndpoint:
    """An ``mcpServers`` entry with a ``url``."""

    url: str
    headers: Mapping[str, str] = field(default_factory=dict)


class HttpUpstream:
    """Relays to one Streamable HTTP server; keeps its session id and negotiated protocol version."""

    def __init__(self, endpoint: HttpEndpoint, timeout: float) -> None:
        self.endpoint = endpoint
        self.timeout = timeout
        self.session_id: str | None = None
        self.protocol_version: str | None = None
        self._client: aiohttp.ClientSession | None = None
        self._sink: Sink | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def alive(self) -> bool:
        return self._client is not None

    @property
    def restarted(self) -> bool:
        return False  # the server keeps its session across POSTs: nothing to replay

    async def start(self, sink: Sink) -> None:
        """Open the HTTP connection pool; replies go to ``sink``."""
        self._sink = sink
        # aiohttp turns Nagle's algorithm off on its connections: a request written in two parts
        # (headers, then body) would otherwise wait for the server's delayed ACK, about 40 ms a call.
        # The timeout is per read, as a long SSE stream may run for minutes.
        self._client = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=None, connect=10.0, sock_read=self.timeout),
            connector=aiohttp.TCPConnector(limit=0))

    async def send(self, line: bytes) -> None:
        """POST ``line`` in the background; replies (or an error reply) go to the sink."""
        if self._client is None or self._sink is None:
            raise ConnectionError("upstream connection is closed")
        task = asyncio.create_task(self._post(line, self._sink.from_server))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json, text/event-stream",
                   "Content-Type": "application/json", **self.endpoint.headers}
        if self.session_id:
            headers["Mcp-Session-Id"] = self.session_id
        if self.protocol_version:
            headers["MCP-Protocol-Version"] = self.protocol_version
        return headers

    async def _post(self, line: bytes, deliver: Deliver) -> None:
        assert self._client is not None
        request = parse(line)
        request_id = request.get("id") if isinstance(request, dict) and "method" in request else None
        answered = False
        try:
            async with self._client.post(self.endpoint.url, data=line, headers=self._headers()) as response:
                session = response.headers.get("mcp-session-id")
                if session and response.status < 400:
                    self.session_id = session
                if "text/event-stream" in response.headers.get("content-type", ""):
                    async for event in _sse_messages(response.content.iter_any()):
                        answered |= event.get("id") == request_id and "method" not in event
                        await self._deliver(event, deliver)
                else:
                    body = await response.read()
                    if body.strip() and isinstance(message := parse(body), dict):
                        if "error" in message and message.get("id") is None and request_id is not None:
                            message["id"] = request_id  # this HTTP reply answers exactly this request
                        answered = True
                        await self._deliver(message, deliver)
                if request_id is not None and not answered:
                    await deliver(error_reply(request_id, f"upstream HTTP {response.status} "
                                              "carried no reply to this request"))
        except (aiohttp.ClientError, TimeoutError) as exc:
            if request_id is not None:
                await deliver(error_reply(request_id, f"upstream server unavailable: {exc!r}"))

    async def _deliver(self, message: dict[str, Any], deliver: Deliver) -> None:
        result = message.get("result")
        if isinstance(result, dict) and isinstance(result.get("protocolVersion"), str):
            self.protocol_version = result["protocolVersion"]  # the initialize answer
        await deliver(encode(message))

    async def stop(self) -> None:
        """Finish posts in flight, end the session, close the pool."""
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=5)
        if self._client is not None:
            if self.session_id:
                try:
                    async with self._client.delete(self.endpoint.url, headers=self._headers()):
                        pass
                except (aiohttp.ClientError, TimeoutError):
                    pass
            await self._client.close()
            self._client = None


async def _lines(chunks: AsyncIterator[bytes]) -> AsyncIterator[str]:
    """The lines of a byte stream, split only at LF (a CR before it dropped), as SSE defines them.
    (httpx's ``aiter_lines`` also splits at U+0085, U+2028 and other Unicode line breaks, which JSON
    leaves unescaped inside strings: a reply holding one was cut in two and lost.)"""
    parts: list[bytes] = []  # the line so far, kept in pieces: a long line is joined once, not per chunk
    async for chunk in chunks:
        *complete, rest = chunk.split(b"\n")
        if complete:
            complete[0] = b"".join([*parts, complete[0]])
            parts = []
        for line in complete:
            yield line.removesuffix(b"\r").decode("utf-8", "replace")
        if rest:
            parts.append(rest)
    if parts:
        yield b"".join(parts).removesuffix(b"\r").decode("utf-8", "replace")


async def _sse_messages(chunks: AsyncIterator[bytes]) -> AsyncIterator[dict[str, Any]]:
    """The JSON-RPC messages carried by the ``data:`` fields of an SSE stream, read in any chunks."""
    data: list[str] = []
    async for text in _lines(chunks):
        if text.startswith("data:"):
            data.append(text[5:].lstrip())
        elif not text.strip() and data:
            try:
                message = json.loads("\n".join(data))
            except json.JSONDecodeError:
                message = None
            data = []
            if isinstance(message, dict):
                yield message

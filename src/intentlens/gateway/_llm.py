"""The LLM pass-through: the OpenAI-compatible routes forwarded unchanged to the configured model API.

Only an allow-list of routes is forwarded (:data:`ROUTES`): chat completions, completions, responses,
embeddings and the model list, each with its method; the path is checked as the client sent it, before
any decoding, and anything else (``..``, encoded slashes or dots, other routes) is answered 404 and
never reaches the upstream, which would otherwise receive it with the organisation's key. The query
string is kept (Azure's ``api-version`` needs it).

An agent that sends its model traffic and its MCP traffic through the gateway with the same token
has its tool calls checked against what its user actually asked: the latest user message of each
request is remembered (see :class:`~intentlens.proxy.RecentQueries` for the pairing rule) and the
guard reads it when a call carries no ``_meta["io.intentlens/query"]``. The request and the reply
(streamed or not) pass through byte for byte; only the ``Authorization`` header is replaced by the
upstream key.
"""

from __future__ import annotations

import json
import logging
import os
import re
import socket
from typing import Any

import httpx
from starlette.background import BackgroundTask
from starlette.responses import Response, StreamingResponse

from intentlens.gateway._config import LlmConfig
from intentlens.proxy import RecentQueries

logger = logging.getLogger(__name__)
CONVERSATION_HEADER = "x-intentlens-conversation"
ROUTES: dict[str, tuple[str, ...]] = {"chat/completions": ("POST",), "completions": ("POST",),
                                      "responses": ("POST",), "embeddings": ("POST",), "models": ("GET",)}
"""The routes forwarded, below ``/v1/``, with their methods; ``models/<id>`` (GET) besides."""
_MODEL_ID = re.compile(r"^models/[A-Za-z0-9][A-Za-z0-9._:@+-]{0,127}(/[A-Za-z0-9][A-Za-z0-9._:@+-]{0,127})?$")


def allowed_route(raw_path: bytes, method: str) -> str | None:
    """The route below ``/v1/`` that a request for ``raw_path`` (as sent, undecoded) may reach, or
    None. Nothing encoded, no dot segments, no empty segments, no other route."""
    try:
        path = raw_path.decode("ascii")
    except UnicodeDecodeError:
        return None
    if not path.startswith("/v1/") or "%" in path or "\\" in path:
        return None
    route = path[len("/v1/"):]
    if route in ROUTES:
        return route if method in ROUTES[route] else None
    if _MODEL_ID.match(route) and method == "GET" and not any(p in (".", "..") for p in route.split("/")):
        return route
    return None
_PASSED_HEADERS = ("content-type", "openai-organization", "openai-project")


def latest_user_message(body: Any) -> str | None:
    """The text of the last ``user`` message of a chat completion request, or None."""
    messages = body.get("messages") if isinstance(body, dict) else None
    if not isinstance(messages, list):
        return None
    for message in reversed(messages):
        if not isinstance(message, dict) or message.get("role") != "user":
            continue
        content = message.get("content")
        if isinstance(content, str):
            return content.strip() or None
        if isinstance(content, list):
            text = "\n".join(str(p.get("text", "")) for p in content
                             if isinstance(p, dict) and p.get("type") == "text").strip()
            return text or None
        return None
    return None


class LlmPassThrough:
    """Forwards model API requests and remembers what each caller's user asked."""

    def __init__(self, config: LlmConfig, recent: RecentQueries, timeout: float) -> None:
        self.config = config
        self.recent = recent
        # Nagle's algorithm off: a request written in two parts would wait for a delayed ACK (40 ms)
        nodelay = httpx.AsyncHTTPTransport(socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])
        self._client = httpx.AsyncClient(timeout=httpx.Timeout(timeout, connect=10.0), transport=nodelay)

    def _headers(self, incoming: Any) -> dict[str, str]:
        headers = {k: v for k, v in incoming.items() if k.lower() in _PASSED_HEADERS}
        key = os.environ.get(self.config.api_key_env) if self.config.api_key_env else None
        if key:
            headers["Authorization"] = f"Bearer {key}"
        return headers

    async def forward(self, route: str, method: str, body: bytes, headers: Any, caller: str,
                      query: str = "") -> Response:
        """Forward one request for an allowed ``route`` (see :func:`allowed_route`); the model's reply
        comes back unchanged (streamed when it streams)."""
        if route == "chat/completions" and method == "POST":
            try:
                text = latest_user_message(json.loads(body))
            except (ValueError, RecursionError):
                text = None
            if text:
                self.recent.note(caller, headers.get(CONVERSATION_HEADER), text)
        url = f"{self.config.url.rstrip('/')}/{route}" + (f"?{query}" if query else "")
        request = self._client.build_request(method, url, content=body, headers=self._headers(headers))
        try:
            upstream = await self._client.send(request, stream=True)
        except httpx.HTTPError as exc:
            logger.warning("model API unavailable: %s", exc)
            return Response(json.dumps({"error": {"message": f"model API unavailable: {exc}",
                                                  "type": "gateway_error"}}),
                            status_code=502, media_type="application/json")
        kept = {k: v for k, v in upstream.headers.items() if k.lower() in ("content-type", "cache-control")}
        return StreamingResponse(upstream.aiter_bytes(), status_code=upstream.status_code, headers=kept,
                                 background=BackgroundTask(upstream.aclose))

    async def close(self) -> None:
        await self._client.aclose()

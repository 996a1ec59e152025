"""The gateway: MCP over Streamable HTTP for many clients, in front of many servers.

Routes: ``/servers/<name>/mcp`` (one server, relayed losslessly), ``/mcp`` (every server the token
reaches, tools namespaced), ``/v1/...`` (the LLM pass-through's allow-listed routes, when
configured), ``/admin/...`` (the admin API, see :mod:`intentlens.gateway._routes`), ``/ui`` (the
dashboard) and ``/healthz``.

Each MCP request passes, in order: the ``Host`` and ``Origin`` allow-lists (403: DNS rebinding), the
bearer token (401) and its role (403: ``client`` for MCP and ``/v1``), the server's existence within
the token's reach (404, the same answer for both, so a token learns no other server's name), the
media types (415, 406), the body limit (413) and JSON-RPC checks (400); only then does it reach a
session's relay, with its own :class:`~intentlens.proxy.RequestInfo`, whose middleware chain (scan,
pinning, shadowing, holds, rate limit, the token's allow-list, guard) decides each ``tools/call``.
A refused request never reaches a relay, so nothing about it is recorded as forwarded.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from intentlens.dashboard import Dashboard, Knowledge, Viewer
from intentlens.gateway._access import ToolAccessMiddleware
from intentlens.gateway._admin import Admin
from intentlens.gateway._aggregate import AggregateSession
from intentlens.gateway._config import LOOPBACK_HOSTS, GatewayConfig
from intentlens.gateway._limits import RateLimitMiddleware
from intentlens.gateway._listings import SharedListings
from intentlens.gateway._llm import CONVERSATION_HEADER, LlmPassThrough, allowed_route
from intentlens.gateway._oauth import METADATA_PATH, OAuthVerifier, looks_like_jwt
from intentlens.gateway._routes import AdminRoutes, refusal
from intentlens.gateway._servers import ServerBook
from intentlens.gateway._sessions import ServerSession
from intentlens.gateway._tokens import Token, TokenBook
from intentlens.proxy import (
    CallGuard,
    Chain,
    ListContext,
    RecentQueries,
    Relay,
    RequestInfo,
    ScreenMiddleware,
    Store,
    ToolScreen,
)
from intentlens.proxy._messages import PARSE_ERROR, valid_id
from intentlens.proxy._otel import McpSpans
from intentlens.proxy._pinning import HoldMiddleware, PinningMiddleware
from intentlens.proxy._shadowing import ShadowingMiddleware
from intentlens.proxy._writer import GroupWriter

logger = logging.getLogger(__name__)
UNAUTHORIZED = -32001
FORBIDDEN = -32003
Session = ServerSession | AggregateSession


class Gateway:
    """Everything one gateway process holds: the store, the tokens, the sessions and the checks."""

    def __init__(self, config: GatewayConfig, store: Store, *, guard: CallGuard | None = None,
                 screen: ToolScreen | None = None, recent: RecentQueries | None = None,
                 attack_factory: Callable[[], Any] | None = None, spans: McpSpans | None = None) -> None:
        self.config = config
        self.options = config.gateway
        self.store = store
        self.tokens = TokenBook(store)
        self.servers = ServerBook(config, store)
        self.guard = guard
        self.screen = screen
        self.recent = recent or RecentQueries()
        self.spans = spans
        links = [*([PinningMiddleware()] if self.options.pin else []),
                 *([ShadowingMiddleware()] if self.options.shadowing else []), HoldMiddleware(),
                 *([RateLimitMiddleware(self.options.rate_limit_per_minute)]
                   if self.options.rate_limit_per_minute else []), ToolAccessMiddleware()]
        self.chain = Chain(links)
        self.listing_chain = Chain([*([ScreenMiddleware(screen)] if screen else []), *links])
        """What a shared listing goes through for each aggregate session (what a relay's listing does)."""
        self.listings = SharedListings(self.options.listing_max_age)
        if screen is not None:  # the scan reads each listing among every connected server's tools
            screen.connected = self.connected_tools
        self.sessions: dict[str, tuple[Session, str | None, str]] = {}
        """Session id: (session, token name, server name or '*' for the aggregate)."""
        self.llm = LlmPassThrough(config.llm, self.recent, self.options.timeout) if config.llm else None
        self.oauth = OAuthVerifier(config.oauth) if config.oauth is not None else None
        self._writer: GroupWriter | None = None
        self._reaper: asyncio.Task[None] | None = None
        self._stateless_lock = asyncio.Lock()
        source = store.url if store.url is not None else store.path
        self.knowledge = Knowledge(source, attack_factory or _no_attack)
        self.admin = Admin(store, self.servers, self.server_removed)
        self.dashboard = Dashboard(source, store, self._viewer, self.knowledge, self._foreign, self.admin)
        self.admin_routes = AdminRoutes(self.admin, self._admit_viewer)

    # -- life ---------------------------------------------------------------------------------

    def writer(self) -> GroupWriter:
        if self._writer is None:
            self._writer = GroupWriter(self.store)
        return self._writer

    async def start(self) -> None:
        self._reaper = asyncio.create_task(self._reap_idle())

    async def stop(self) -> None:
        """Close every session (calls in flight get their grace period and are recorded)."""
        if self._reaper is not None:
            self._reaper.cancel()
        sessions = [s for s, _, _ in self.sessions.values()]
        self.sessions.clear()
        await asyncio.gather(*(s.close() for s in sessions), return_exceptions=True)
        if self._writer is not None:
            await self._writer.close()
        if self.llm is not None:
            await self.llm.close()
        await self.knowledge.close()
        if self.spans is not None:
            self.spans.close()

    @contextlib.asynccontextmanager
    async def lifespan(self, _app: Starlette) -> AsyncIterator[None]:
        await self.start()
        try:
            yield
        finally:
            await self.stop()

    async def _reap_idle(self) -> None:
        while True:
            await asyncio.sleep(min(30.0, self.options.session_idle_seconds / 2))
            cutoff = time.monotonic() - self.options.session_idle_seconds
            for session_id, (session, _, _) in list(self.sessions.items()):
                if session.last_active < cutoff:
                    await self._end(session_id)

    async def _end(self, session_id: str) -> None:
        entry = self.sessions.pop(session_id, None)
        if entry is not None:
            await entry[0].close()

    async def server_removed(self, server: str) -> None:
        """A server removed (or replaced) at run time: its sessions end, its listing is forgotten."""
        self.listings.forget(server)
        for session_id, (session, _, name) in list(self.sessions.items()):
            if name == server:
                await self._end(session_id)
            elif isinstance(session, AggregateSession):
                await session.drop(server)

    # -- sessions -----------------------------------------------------------------------------

    async def open_server_session(self, server: str, caller: str | None) -> ServerSession:
        config = self.servers.get(server)
        if config is None:
            raise ConnectionError(f"server {server!r} was removed")
        relay = Relay(server, config.upstream(), store=self.store, guard=self.guard,
                      screen=self.screen, chain=self.chain, caller=caller, timeout=self.options.timeout,
                      writer=self.writer(), spans=self.spans, client_transport="tcp", inline_checks=True,
                      on_listing=self.listings.put)
        guard_time = self.guard.timeout if self.guard is not None else 0.0
        session = ServerSession(relay, caller, answer_within=self.options.timeout * 2 + guard_time + 60)
        await session.start()
        return session

    def connected_tools(self, server: str) -> dict[str, set[str]]:
        """The tools of every other server: pinned in the store (by any process), and listed here."""
        found: dict[str, set[str]] = {}
        pinned = self.store.query("SELECT DISTINCT server, tool FROM pins WHERE server != ?", (server,))
        for other, tool in pinned:
            found.setdefault(other, set()).add(tool)
        for other in self.servers.names():
            if other != server and (kept := self.listings.fresh(other)) is not None:
                found.setdefault(other, set()).update(str(t.get("name")) for t in kept)
        return found

    async def check_listing(self, server: str, session_id: str, tools: list[dict[str, Any]],
                            info: RequestInfo) -> list[dict[str, Any]]:
        """A shared listing as one request may see it: through the checks a relay's listing passes."""
        context = ListContext(server=server, session_id=session_id, store=self.store, info=info)
        return await self.listing_chain.list_tools(context, [dict(t) for t in tools])

    async def _session_for(self, message: dict[str, Any], token: Token | None, server: str | None
                           ) -> tuple[Session, dict[str, str]]:
        """The session a request without ``Mcp-Session-Id`` goes to. ``initialize`` opens a new one
        (its id goes back in the header); any other request is of the stateless 2026-07-28 era (or a
        client that keeps no session) and goes to the token's one stateless session for that server,
        so a client that never sends a session id does not start a server process per request."""
        if message.get("method") == "initialize":
            session = await self._new_session(token, server)
            return session, {"mcp-session-id": session.id}
        key = f"stateless/{token.name if token else ''}/{server or '*'}"
        async with self._stateless_lock:
            entry = self.sessions.get(key)
            if entry is None:
                session = await self._new_session(token, server, key=key)
            else:
                session = entry[0]
        return session, {}

    async def _new_session(self, token: Token | None, server: str | None, key: str | None = None) -> Session:
        caller = token.name if token else None
        mine = sorted((s.last_active, sid) for sid, (s, who, _) in self.sessions.items() if who == caller)
        for _, oldest in mine[:max(0, len(mine) - self.options.max_sessions_per_token + 1)]:
            logger.warning("token %s has %d sessions; closing its least recently used", caller, len(mine))
            await self._end(oldest)
        session: Session
        if server is None:
            def reach() -> list[str]:
                return [s for s in self.servers.names() if token is None or token.reaches(s)]

            session = AggregateSession(uuid.uuid4().hex, reach,
                                       lambda name: self.open_server_session(name, caller), caller,
                                       self.listings, self.check_listing)
        else:
            session = await self.open_server_session(server, caller)
        session.last_active = time.monotonic()
        self.sessions[key or session.id] = (session, caller, server or "*")
        return session

    # -- request checks -----------------------------------------------------------------------

    def _foreign(self, request: Request) -> Response | None:
        """403 unless Host and Origin are allowed (DNS-rebinding protection)."""
        host = request.headers.get("host", "")
        hostname = urlsplit(f"//{host}").hostname or ""
        allowed_hosts = self.options.allowed_hosts
        names = {h.strip("[]") for h in LOOPBACK_HOSTS}
        if not (hostname in names or host in allowed_hosts or hostname in allowed_hosts):
            return refusal(403, f"Host {host!r} is not allowed (add it to gateway.allowed_hosts)", FORBIDDEN)
        origin = request.headers.get("origin")
        if origin is not None:
            origin_host = urlsplit(origin).hostname or ""
            if origin not in self.options.allowed_origins and origin_host not in names:
                return refusal(403, f"Origin {origin!r} is not allowed (add it to gateway.allowed_origins)",
                               FORBIDDEN)
        return None

    async def _token(self, request: Request) -> Token | Response | None:
        if not self.options.auth:
            return None
        header = request.headers.get("authorization", "")
        scheme, _, presented = header.partition(" ")
        presented = presented.strip() if scheme.lower() == "bearer" else ""
        if self.oauth is not None and looks_like_jwt(presented):
            token = await self.oauth.verify(presented)
        else:
            token = self.tokens.verify(presented) if presented else None
        if token is None:
            why = "missing bearer token" if not header else "invalid or revoked token"
            challenge = 'Bearer realm="intentlens"'
            if self.oauth is not None:
                challenge += f', resource_metadata="{request.base_url}{METADATA_PATH.lstrip("/")}"'
            return refusal(401, f"unauthorized: {why}", UNAUTHORIZED, **{"WWW-Authenticate": challenge})
        return token

    async def _admit(self, request: Request, role: str) -> Token | Response | None:
        """The caller's token (None with auth off), or the refusal: a foreign Host or Origin, then a
        missing or wrong token, then a token without ``role``."""
        if (refused := self._foreign(request)) is not None:
            return refused
        token = await self._token(request)
        if isinstance(token, Token) and not token.can(role):
            return refusal(403, f"token {token.name!r} has no {role} role (it has: {', '.join(token.roles)})",
                           FORBIDDEN)
        return token

    async def _admit_viewer(self, request: Request, role: str) -> Viewer | Response:
        """The admin API's caller as a viewer (everything, with authentication off)."""
        token = await self._admit(request, role)
        if isinstance(token, Response):
            return token
        if token is None:
            return Viewer("anyone", None, ("admin",))
        return _as_viewer(token)

    async def resource_metadata(self, _request: Request) -> Response:
        if self.oauth is None:
            return refusal(404, "no [oauth] configured")
        return Response(json.dumps(self.oauth.metadata()), media_type="application/json")

    async def _body(self, request: Request) -> bytes | Response:
        limit = self.options.max_body_bytes
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            return refusal(413, f"request body over {limit} bytes")
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > limit:
                return refusal(413, f"request body over {limit} bytes")
        return bytes(body)

    # -- routes -------------------------------------------------------------------------------

    async def mcp(self, request: Request) -> Response:
        token = await self._admit(request, "client")
        if isinstance(token, Response):
            return token
        server = request.path_params.get("name")
        if server is not None and (self.servers.get(server) is None
                                   or (token is not None and not token.reaches(server))):
            return refusal(404, "no such server")  # the same for one out of reach: no names leak
        if request.method == "GET":
            return Response(status_code=405, headers={"Allow": "POST, DELETE"})
        caller = token.name if token else None
        session_id = request.headers.get("mcp-session-id")
        entry = self.sessions.get(session_id) if session_id else None
        if session_id and (entry is None or entry[1] != caller or entry[2] != (server or "*")):
            return refusal(404, "unknown or expired session; initialize a new one")
        if request.method == "DELETE":
            if session_id is None:
                return refusal(400, "DELETE needs an Mcp-Session-Id")
            await self._end(session_id)
            return Response(status_code=204)
        if (wrong := _media_problem(request)) is not None:
            return wrong
        info = RequestInfo(conversation=request.headers.get(CONVERSATION_HEADER),
                           traceparent=request.headers.get("traceparent"),
                           tools=token.tools if token is not None else None)
        return await self._post(request, server, token, entry[0] if entry else None, info)

    async def _post(self, request: Request, server: str | None, token: Token | None,
                    session: Session | None, info: RequestInfo) -> Response:
        body = await self._body(request)
        if isinstance(body, Response):
            return body
        try:
            message = json.loads(body)
        except (ValueError, RecursionError):
            return refusal(400, "parse error: the body is not JSON", PARSE_ERROR)
        if isinstance(message, list):
            return refusal(400, "JSON-RPC batches are not accepted over Streamable HTTP; send one message "
                                "per request")
        problem = _invalid(message)
        if problem is not None:
            request_id = message.get("id") if isinstance(message, dict) else None
            return refusal(400, problem, request_id=request_id if valid_id(request_id) else None)
        if session is None:
            session, headers = await self._session_for(message, token, server)
        else:
            headers = {"mcp-session-id": session.id}
        is_request = "method" in message and "id" in message
        if isinstance(session, AggregateSession):
            reply = await session.handle(message, info) if is_request else None
            return Response(json.dumps(reply), media_type="application/json", headers=headers) \
                if reply is not None else Response(status_code=202, headers=headers)
        if not is_request:
            await session.send(message, info)
            return Response(status_code=202, headers=headers)
        return Response(await session.request(message, info), media_type="application/json", headers=headers)

    async def llm_route(self, request: Request) -> Response:
        token = await self._admit(request, "client")
        if isinstance(token, Response):
            return token
        if self.llm is None:
            return refusal(404, "no [llm] upstream configured")
        route = allowed_route(request.scope.get("raw_path") or request.url.path.encode(), request.method)
        if route is None:
            return refusal(404, "not a route the gateway forwards (chat/completions, completions, responses, "
                                "embeddings, models)")
        body = await self._body(request)
        if isinstance(body, Response):
            return body
        return await self.llm.forward(route, request.method, body, request.headers,
                                      token.name if token else "", request.url.query)

    def _viewer(self, presented: str) -> Viewer | None:
        """A dashboard viewer for a gateway token (without authentication: everyone, every server)."""
        if not self.options.auth:
            return Viewer("anyone", None, ("admin",))
        token = self.tokens.verify(presented)
        return _as_viewer(token) if token is not None else None

    async def health(self, _request: Request) -> Response:
        return Response(json.dumps({"ok": True}), media_type="application/json")

    def app(self) -> Starlette:
        return Starlette(routes=[
            Route("/mcp", self.mcp, methods=["GET", "POST", "DELETE"]),
            Route("/servers/{name}/mcp", self.mcp, methods=["GET", "POST", "DELETE"]),
            Route("/v1/{path:path}", self.llm_route, methods=["GET", "POST"]),
            Route("/healthz", self.health, methods=["GET"]),
            Route(METADATA_PATH, self.resource_metadata, methods=["GET"]),
            *self.admin_routes.routes(),
            *self.dashboard.routes(),
        ], lifespan=self.lifespan)


def _as_viewer(token: Token) -> Viewer:
    return Viewer(token.name, None if token.reaches_all else frozenset(token.servers), token.roles)


def _no_attack() -> Any:
    raise RuntimeError("no backend configured for the dashboard's audit")


def _accepts_json(accept: str) -> bool:
    for part in accept.split(","):
        kind, *params = [p.strip().lower() for p in part.split(";")]
        if kind in ("application/json", "application/*", "*/*") and "q=0" not in params:
            return True
    return False


def _media_problem(request: Request) -> Response | None:
    """415 for a body that is not declared JSON, 406 for a client that will not take JSON."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json":
        return refusal(415, f"Content-Type must be application/json (got {kind or 'none'!r})")
    accept = request.headers.get("accept")
    if accept is not None and not _accepts_json(accept):
        return refusal(406, "Accept must allow application/json (a Streamable HTTP client sends "
                            "'application/json, text/event-stream')")
    return None


def _invalid(message: Any) -> str | None:
    """Why ``message`` is not one JSON-RPC message a client may send, or None."""
    if not isinstance(message, dict) or message.get("jsonrpc") != "2.0":
        return "invalid request: not a JSON-RPC 2.0 message"
    if "method" in message:
        if not isinstance(message["method"], str):
            return "invalid request: method must be a string"
        if "id" in message and not valid_id(message["id"]):
            return "invalid request: an MCP request id is a string or an integer"
        if "params" in message and not isinstance(message["params"], dict):
            return "invalid request: params must be an object"
        return None
    if "id" in message and ("result" in message or "error" in message):
        return None
    return "invalid request: neither a request, a notification nor a response"

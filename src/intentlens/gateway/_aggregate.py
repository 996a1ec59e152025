"""The aggregate endpoint (``/mcp``): every server a token reaches, behind one MCP server.

Tool names are namespaced ``<server>__<tool>`` (server names never hold ``_``, so the name splits
back one way only). The gateway answers the handshake itself (the 2025-11-25 ``initialize``; it
answers ``server/discover`` with "method not found", which makes an era-probing client fall back).
``tools/list`` reads each server's shared listing (see :mod:`intentlens.gateway._listings`); a
session opens its own relay to a server at its first call there, with its own upstream, recorded
under the server's own name. Each request carries its own :class:`~intentlens.proxy.RequestInfo`
(conversation, trace parent, the token's allow-list) to the relay that serves it, and a call keeps
the id its client gave it.
Only tools are aggregated: resources and prompts stay on the per-server endpoints.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from intentlens import __version__
from intentlens.gateway._config import SEPARATOR
from intentlens.gateway._listings import SharedListings
from intentlens.gateway._sessions import METHOD_NOT_FOUND, ServerSession
from intentlens.proxy import RequestInfo

logger = logging.getLogger(__name__)
VERSIONS = ("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05")
_PAGES = 50

OpenSession = Callable[[str], Awaitable[ServerSession]]
CheckListing = Callable[[str, str, list[dict[str, Any]], RequestInfo], Awaitable[list[dict[str, Any]]]]
"""(server, session id, raw tools, request) -> the tools this request may be shown."""


def _result(request_id: Any, result: dict[str, Any]) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": request_id, "result": result}


def _error(request_id: Any, message: str, code: int = -32602) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": request_id, "error": {"code": code, "message": message}}


class AggregateSession:
    """One client's session with the aggregate endpoint."""

    def __init__(self, session_id: str, reach: Callable[[], list[str]], open_session: OpenSession,
                 caller: str | None, listings: SharedListings, check_listing: CheckListing) -> None:
        self.id = session_id
        self.reach = reach
        """The servers the session's token reaches now (servers come and go at run time)."""
        self.caller = caller
        self.listings = listings
        self._check_listing = check_listing
        self._open_session = open_session
        self._sessions: dict[str, ServerSession] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._first_listing: dict[str, list[dict[str, Any]]] = {}
        self._ids = itertools.count(1)
        self.last_active = 0.0

    @property
    def servers(self) -> list[str]:
        return self.reach()

    async def _server(self, server: str, info: RequestInfo) -> ServerSession:
        """This session's relay to ``server``: started, handshaken and listed on first use."""
        async with self._locks.setdefault(server, asyncio.Lock()):
            if server not in self._sessions:
                session = await self._open_session(server)
                reply = await self._ask(session, "initialize", {
                    "protocolVersion": VERSIONS[0], "capabilities": {},
                    "clientInfo": {"name": "intentlens-gateway", "version": __version__}})
                if "error" in reply:
                    await session.close()
                    raise ConnectionError(f"server {server!r} refused the handshake: "
                                          f"{reply['error'].get('message')}")
                await session.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
                self._sessions[server] = session
                # the relay learns the versions its process serves (the listing is kept for the caller)
                self._first_listing[server] = await self._list_through(session, info)
            return self._sessions[server]

    async def _ask(self, session: ServerSession, method: str, params: dict[str, Any],
                   info: RequestInfo | None = None) -> dict[str, Any]:
        reply = json.loads(await session.request({"jsonrpc": "2.0", "id": f"gw-{next(self._ids)}",
                                                  "method": method, "params": params}, info))
        return reply if isinstance(reply, dict) else {"error": {"message": "not a JSON-RPC reply"}}

    async def handle(self, message: dict[str, Any], info: RequestInfo | None = None) -> dict[str, Any] | None:
        """The answer to one client message (None for a notification)."""
        info = info or RequestInfo()
        self.last_active = time.monotonic()
        method, request_id = message.get("method"), message.get("id")
        params: dict[str, Any] = message["params"] if isinstance(message.get("params"), dict) else {}
        if "id" not in message:
            return None
        if method == "initialize":
            asked = params.get("protocolVersion")
            return _result(request_id, {
                "protocolVersion": asked if asked in VERSIONS else VERSIONS[0],
                "capabilities": {"tools": {"listChanged": False}},
                "serverInfo": {"name": "intentlens-gateway", "version": __version__},
                "instructions": f"Tools of the servers {', '.join(self.servers)}, named "
                                f"<server>{SEPARATOR}<tool>."})
        if method == "ping":
            return _result(request_id, {})
        if method == "tools/list":
            return _result(request_id, {"tools": await self._list_tools(info)})
        if method == "tools/call":
            return await self._call_tool(request_id, params, info)
        return _error(request_id, f"method {method!r} is not served by the aggregate endpoint (only tools; "
                                  "use /servers/<name>/mcp for the rest)", METHOD_NOT_FOUND)

    async def _list_tools(self, info: RequestInfo) -> list[dict[str, Any]]:
        listed = await asyncio.gather(*(self._server_tools(s, info) for s in self.servers))
        return [tool for tools in listed for tool in tools]

    async def _server_tools(self, server: str, info: RequestInfo) -> list[dict[str, Any]]:
        try:
            if server in self._sessions:  # this session has its own process there: its listing is the truth
                tools = await self._list_through(self._sessions[server], info)
            elif (kept := self.listings.fresh(server)) is not None:
                tools = await self._check_listing(server, self.id, kept, info)
            else:
                async with self.listings.lock(server):  # one session lists for all that wait
                    kept = self.listings.fresh(server)
                    if kept is not None:
                        tools = await self._check_listing(server, self.id, kept, info)
                    else:
                        session = await self._server(server, info)
                        first = self._first_listing.pop(server, [])
                        tools = first or await self._list_through(session, info)
        except (ConnectionError, OSError, ValueError) as exc:
            logger.warning("server %s left out of the aggregate tool list: %s", server, exc)
            return []
        return [{**t, "name": f"{server}{SEPARATOR}{t.get('name')}"} for t in tools]

    async def _list_through(self, session: ServerSession, info: RequestInfo) -> list[dict[str, Any]]:
        """Every page of a listing through a relay of this session (its checks applied)."""
        tools: list[dict[str, Any]] = []
        params: dict[str, Any] = {}
        for _ in range(_PAGES):
            reply = await self._ask(session, "tools/list", params, info)
            result: dict[str, Any] = reply["result"] if isinstance(reply.get("result"), dict) else {}
            tools += [t for t in result.get("tools") or [] if isinstance(t, dict)]
            if not isinstance(result.get("nextCursor"), str):
                break
            params = {"cursor": result["nextCursor"]}
        return tools

    async def _call_tool(self, request_id: Any, params: dict[str, Any], info: RequestInfo) -> dict[str, Any]:
        name = params.get("name")
        server, _, tool = name.partition(SEPARATOR) if isinstance(name, str) else ("", "", "")
        if not tool or server not in self.servers:
            return _error(request_id, f"unknown tool {name!r}: aggregate tool names are "
                                      f"<server>{SEPARATOR}<tool> for the servers this token reaches")
        try:
            session = await self._server(server, info)
        except (ConnectionError, OSError) as exc:
            return _error(request_id, f"server {server!r} unavailable: {exc}", -32603)
        self._first_listing.pop(server, None)
        # sent on under the client's own id, so the server, the recording and the spans all name it
        reply = json.loads(await session.request({"jsonrpc": "2.0", "id": request_id, "method": "tools/call",
                                                  "params": {**params, "name": tool}}, info))
        if not isinstance(reply, dict):
            return _error(request_id, "the server's reply is not a JSON-RPC object", -32603)
        reply["id"] = request_id
        return reply

    async def drop(self, server: str) -> None:
        """Close this session's relay to a server that was removed."""
        session = self._sessions.pop(server, None)
        if session is not None:
            await session.close()

    async def close(self) -> None:
        await asyncio.gather(*(s.close() for s in self._sessions.values()), return_exceptions=True)

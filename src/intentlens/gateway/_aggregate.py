"""The aggregate endpoint (``/mcp``): every server a token reaches, behind one MCP server.

Tool names are namespaced ``<server>__<tool>`` (server names never hold ``_``, so the name splits
back one way only). The gateway answers the handshake itself (the 2025-11-25 ``initialize``; it
answers ``server/discover`` with "method not found", which makes an era-probing client fall back),
and opens one relay per server on first use, each with its own upstream, recorded under the
server's own name. Only tools are aggregated: resources and prompts stay on the per-server endpoints.
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
from intentlens.gateway._sessions import METHOD_NOT_FOUND, ServerSession

logger = logging.getLogger(__name__)
VERSIONS = ("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05")
_PAGES = 50

OpenSession = Callable[[str], Awaitable[ServerSession]]


def _result(request_id: Any, result: dict[str, Any]) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": request_id, "result": result}


def _error(request_id: Any, message: str, code: int = -32602) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": request_id, "error": {"code": code, "message": message}}


class AggregateSession:
    """One client's session with the aggregate endpoint."""

    def __init__(self, session_id: str, servers: list[str], open_session: OpenSession,
                 caller: str | None) -> None:
        self.id = session_id
        self.servers = servers
        self.caller = caller
        self._open_session = open_session
        self._sessions: dict[str, ServerSession] = {}
        self._locks = {server: asyncio.Lock() for server in servers}
        self._ids = itertools.count(1)
        self.last_active = 0.0

    async def _server(self, server: str) -> ServerSession:
        async with self._locks[server]:
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
            return self._sessions[server]

    async def _ask(self, session: ServerSession, method: str, params: dict[str, Any]) -> dict[str, Any]:
        reply = json.loads(await session.request({"jsonrpc": "2.0", "id": f"gw-{next(self._ids)}",
                                                  "method": method, "params": params}))
        return reply if isinstance(reply, dict) else {"error": {"message": "not a JSON-RPC reply"}}

    async def handle(self, message: dict[str, Any]) -> dict[str, Any] | None:
        """The answer to one client message (None for a notification)."""
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
            return _result(request_id, {"tools": await self._list_tools()})
        if method == "tools/call":
            return await self._call_tool(request_id, params)
        return _error(request_id, f"method {method!r} is not served by the aggregate endpoint (only tools; "
                                  "use /servers/<name>/mcp for the rest)", METHOD_NOT_FOUND)

    async def _list_tools(self) -> list[dict[str, Any]]:
        listed = await asyncio.gather(*(self._server_tools(s) for s in self.servers))
        return [tool for tools in listed for tool in tools]

    async def _server_tools(self, server: str) -> list[dict[str, Any]]:
        try:
            session = await self._server(server)
            tools: list[dict[str, Any]] = []
            params: dict[str, Any] = {}
            for _ in range(_PAGES):
                reply = await self._ask(session, "tools/list", params)
                result: dict[str, Any] = reply["result"] if isinstance(reply.get("result"), dict) else {}
                tools += [t for t in result.get("tools") or [] if isinstance(t, dict)]
                if not isinstance(result.get("nextCursor"), str):
                    break
                params = {"cursor": result["nextCursor"]}
        except (ConnectionError, OSError, ValueError) as exc:
            logger.warning("server %s left out of the aggregate tool list: %s", server, exc)
            return []
        return [{**t, "name": f"{server}{SEPARATOR}{t.get('name')}"} for t in tools]

    async def _call_tool(self, request_id: Any, params: dict[str, Any]) -> dict[str, Any]:
        name = params.get("name")
        server, _, tool = name.partition(SEPARATOR) if isinstance(name, str) else ("", "", "")
        if server not in self._locks or not tool:
            return _error(request_id, f"unknown tool {name!r}: aggregate tool names are "
                                      f"<server>{SEPARATOR}<tool> for the servers this token reaches")
        try:
            session = await self._server(server)
        except (ConnectionError, OSError) as exc:
            return _error(request_id, f"server {server!r} unavailable: {exc}", -32603)
        reply = await self._ask(session, "tools/call", {**params, "name": tool})
        reply["id"] = request_id
        return reply

    async def close(self) -> None:
        await asyncio.gather(*(s.close() for s in self._sessions.values()), return_exceptions=True)

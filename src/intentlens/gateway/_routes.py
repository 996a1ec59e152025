"""The admin API: JSON routes under ``/admin`` for holds, approvals, tokens, servers and the trail.

Every route needs a token with the ``admin`` role (after the gateway's Host and Origin checks), and
each action checks the token's reach itself (see :class:`~intentlens.gateway._admin.Admin`):

- ``GET /admin/holds``: the versions waiting, each with its digest and its diff against the pinned text;
- ``POST /admin/holds/approve`` ``{"server", "tool", "digest"}``: approve exactly that version (409
  when it is no longer waiting or the server has shown a newer text since);
- ``GET /admin/approvals``: who approved what, and when;
- ``GET``/``POST /admin/tokens``, ``DELETE /admin/tokens/{name}``: list, create (the secret comes back
  once), revoke;
- ``GET``/``POST /admin/servers``, ``DELETE /admin/servers/{name}``: list, add at run time, remove;
- ``GET /admin/events``: the admin trail.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from intentlens.dashboard import Viewer
from intentlens.errors import IntentLensError
from intentlens.gateway._admin import Admin, Forbidden
from intentlens.proxy._messages import INVALID_REQUEST

AdmitViewer = Callable[[Request, str], Awaitable[Viewer | Response]]


def refusal(status: int, message: str, code: int = INVALID_REQUEST, request_id: Any = None,
            **headers: str) -> Response:
    """A JSON-RPC error body with an HTTP status (what every refusal of the gateway looks like)."""
    body = {"jsonrpc": "2.0", "id": request_id, "error": {"code": code, "message": message}}
    return Response(json.dumps(body), status_code=status, media_type="application/json", headers=headers)


def _json(value: Any, status: int = 200) -> Response:
    return Response(json.dumps(value, default=str), status_code=status, media_type="application/json")


def _problem(status: int, message: str) -> Response:
    return _json({"error": message}, status)


class AdminRoutes:
    """The ``/admin`` routes over one :class:`Admin`."""

    def __init__(self, admin: Admin, admit: AdmitViewer) -> None:
        self.admin = admin
        self.admit = admit

    async def _run(self, request: Request, action: Action, status: int = 200) -> Response:
        viewer = await self.admit(request, "admin")
        if isinstance(viewer, Response):
            return viewer
        body: dict[str, Any] = {}
        if request.method == "POST":
            try:
                parsed = json.loads(await request.body())
            except (ValueError, RecursionError):
                return _problem(400, "the body is not JSON")
            if not isinstance(parsed, dict):
                return _problem(400, "the body must be a JSON object")
            body = parsed
        try:
            return _json(await action(viewer, body), status)
        except Forbidden as exc:
            return _problem(403, str(exc))
        except (KeyError, TypeError) as exc:
            return _problem(400, f"missing or wrong field: {exc}")
        except IntentLensError as exc:
            return _problem(409, str(exc))

    async def holds(self, request: Request) -> Response:
        return await self._run(request, _sync(lambda v, _: self.admin.holds(v)))

    async def approve(self, request: Request) -> Response:
        async def act(viewer: Viewer, body: dict[str, Any]) -> Any:
            done = self.admin.approve(viewer, _text(body, "server"), _text(body, "tool"),
                                      _text(body, "digest"))
            return {"approved": [{"tool": t, "kind": k} for t, k in done], "by": viewer.name}
        return await self._run(request, act)

    async def approvals(self, request: Request) -> Response:
        return await self._run(request, _sync(lambda v, _: self.admin.approvals(v)))

    async def tokens(self, request: Request) -> Response:
        if request.method == "GET":
            return await self._run(request, _sync(lambda v, _: self.admin.list_tokens(v)))

        async def add(viewer: Viewer, body: dict[str, Any]) -> Any:
            tools = body.get("tools")
            secret = self.admin.add_token(viewer, _text(body, "name"), _texts(body, "servers"),
                                          _texts(body, "roles") if "roles" in body else ["client"],
                                          None if tools is None else _texts(body, "tools"))
            return {"name": body["name"], "token": secret}
        return await self._run(request, add, 201)

    async def token(self, request: Request) -> Response:
        name = request.path_params["name"]
        async def revoke(viewer: Viewer, _body: dict[str, Any]) -> Any:
            self.admin.revoke_token(viewer, name)
            return {"revoked": name}
        return await self._run(request, revoke)

    async def servers(self, request: Request) -> Response:
        if request.method == "GET":
            return await self._run(request, _sync(lambda v, _: self.admin.list_servers(v)))

        async def add(viewer: Viewer, body: dict[str, Any]) -> Any:
            name = _text(body, "name")
            await self.admin.add_server(viewer, name, {k: v for k, v in body.items() if k != "name"})
            return {"added": name}
        return await self._run(request, add, 201)

    async def server(self, request: Request) -> Response:
        name = request.path_params["name"]

        async def remove(viewer: Viewer, _body: dict[str, Any]) -> Any:
            await self.admin.remove_server(viewer, name)
            return {"removed": name}
        return await self._run(request, remove)

    async def events(self, request: Request) -> Response:
        return await self._run(request, _sync(lambda v, _: self.admin.events(v)))

    def routes(self) -> list[Route]:
        return [Route("/admin/holds", self.holds),
                Route("/admin/holds/approve", self.approve, methods=["POST"]),
                Route("/admin/approvals", self.approvals),
                Route("/admin/tokens", self.tokens, methods=["GET", "POST"]),
                Route("/admin/tokens/{name}", self.token, methods=["DELETE"]),
                Route("/admin/servers", self.servers, methods=["GET", "POST"]),
                Route("/admin/servers/{name}", self.server, methods=["DELETE"]),
                Route("/admin/events", self.events)]


Action = Callable[[Viewer, dict[str, Any]], Awaitable[Any]]


def _sync(action: Callable[[Viewer, dict[str, Any]], Any]) -> Action:
    async def run(viewer: Viewer, body: dict[str, Any]) -> Any:
        return action(viewer, body)
    return run


def _text(body: dict[str, Any], key: str) -> str:
    value = body[key]
    if not isinstance(value, str) or not value:
        raise TypeError(f"{key!r} must be a non-empty string")
    return value


def _texts(body: dict[str, Any], key: str) -> list[str]:
    value = body[key]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError(f"{key!r} must be a list of strings")
    return value

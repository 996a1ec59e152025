"""The dashboard's routes: server-rendered pages under ``/ui``, no script, every value escaped.

A viewer signs in with a gateway token that has the ``viewer`` or ``admin`` role (or the one-time
token ``intentlens dashboard`` prints); the token travels in an ``HttpOnly``, ``SameSite=Strict``
cookie, and a viewer sees only the servers the token reaches. Only an ``admin`` approves holds
(the exact version it was shown, named by its digest) and, with reach of every server, manages
tokens and servers on the admin page. Forms that change something (approve, refresh, admin) also
pass the gateway's ``Host`` and ``Origin`` checks. Without a token every page answers 401 with the
sign-in form; a ``client`` token is told it is for MCP clients.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from intentlens.audit import counted
from intentlens.dashboard._data import PAGE, Filters, Recording
from intentlens.dashboard._knowledge import Knowledge
from intentlens.errors import IntentLensError
from intentlens.proxy import Store

COOKIE = "intentlens_token"
VERDICTS = ("allowed", "blocked", "none")


@dataclass(frozen=True)
class Viewer:
    """Who is looking: a token's name, the servers it reaches (None: all) and its roles."""

    name: str
    servers: frozenset[str] | None
    roles: tuple[str, ...] = ("viewer",)

    def can(self, role: str) -> bool:
        """Whether the viewer holds ``role`` (``admin`` includes ``viewer``)."""
        return role in self.roles or (role == "viewer" and "admin" in self.roles)


class AdminActions(Protocol):
    """What the admin forms call (the gateway's :class:`~intentlens.gateway._admin.Admin`)."""

    def holds(self, viewer: Viewer) -> list[dict[str, Any]]: ...

    def approve(self, viewer: Viewer, server: str, tool: str, version: str) -> list[tuple[str, str]]: ...

    def approvals(self, viewer: Viewer) -> list[dict[str, Any]]: ...

    def list_tokens(self, viewer: Viewer) -> list[dict[str, Any]]: ...

    def add_token(self, viewer: Viewer, name: str, servers: list[str], roles: list[str],
                  tools: list[str] | None) -> str: ...

    def revoke_token(self, viewer: Viewer, name: str) -> None: ...

    def list_servers(self, viewer: Viewer) -> list[dict[str, Any]]: ...

    async def add_server(self, viewer: Viewer, name: str, config: dict[str, Any]) -> None: ...

    async def remove_server(self, viewer: Viewer, name: str) -> None: ...

    def events(self, viewer: Viewer, limit: int = 100) -> list[dict[str, Any]]: ...


Authenticate = Callable[[str], Viewer | None]
CheckRequest = Callable[[Request], Response | None]
CLIENT_ONLY = ("That token is for MCP clients (role client); the dashboard needs a token with the viewer or "
               "admin role: intentlens gateway token add NAME --servers '*' --role viewer")


def _when(value: Any) -> str:
    if value is None:
        return ""
    return datetime.fromtimestamp(float(value), UTC).strftime("%Y-%m-%d %H:%M:%S")


def _pretty(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


def _instant(text: str | None) -> float | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()
    except ValueError:
        return None


async def _form(request: Request) -> dict[str, str]:
    """An urlencoded form body (the pages' only kind), first value of each field, at most 64 KiB."""
    body = await request.body()
    fields = parse_qs(body[:65536].decode("utf-8", "replace"), keep_blank_values=True)
    return {key: values[0] for key, values in fields.items()}


class Dashboard:
    """The pages over one recording."""

    def __init__(self, source: Path | str, store: Store | None, authenticate: Authenticate,
                 knowledge: Knowledge, check_request: CheckRequest | None = None,
                 admin: AdminActions | None = None) -> None:
        self.recording = Recording(source)
        self.store = store
        self.admin = admin
        self.authenticate = authenticate
        self.knowledge = knowledge
        self.check_request = check_request
        self.env = Environment(loader=PackageLoader("intentlens.dashboard", "templates"),
                               autoescape=select_autoescape(default=True, default_for_string=True))
        self.env.filters.update(when=_when, pretty=_pretty, counted=counted)

    # -- plumbing -----------------------------------------------------------------------------

    def _page(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = self.env.get_template(template).render(**context)
        return HTMLResponse(html, status_code=status, headers={
            "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; "
                                       "form-action 'self'; frame-ancestors 'none'",
            "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"})

    def _viewer(self, request: Request) -> Viewer | None:
        header = request.headers.get("authorization", "")
        bearer = header[7:].strip() if header.lower().startswith("bearer ") else None
        presented = bearer or request.cookies.get(COOKIE)
        return self.authenticate(presented) if presented else None

    def _guarded(self, request: Request) -> Viewer | Response:
        if self.check_request is not None and (refused := self.check_request(request)) is not None:
            return refused
        viewer = self._viewer(request)
        if viewer is None:
            return self._page("login.html", 401, error=None)
        if not viewer.can("viewer"):
            return self._page("login.html", 403, error=CLIENT_ONLY)
        return viewer

    def _visible(self, viewer: Viewer, server: str) -> bool:
        return viewer.servers is None or server in viewer.servers

    # -- pages --------------------------------------------------------------------------------

    async def login(self, request: Request) -> Response:
        if self.check_request is not None and (refused := self.check_request(request)) is not None:
            return refused
        if request.method == "GET":
            return self._page("login.html", 401 if self._viewer(request) is None else 200, error=None)
        form = await _form(request)
        token = form.get("token", "").strip()
        viewer = self.authenticate(token) if token else None
        if viewer is None:
            return self._page("login.html", 401, error="That token is not valid (or was revoked).")
        if not viewer.can("viewer"):
            return self._page("login.html", 403, error=CLIENT_ONLY)
        response = RedirectResponse("/ui", status_code=303)
        response.set_cookie(COOKIE, token, httponly=True, samesite="strict", path="/ui")
        return response

    async def logout(self, request: Request) -> Response:
        response = RedirectResponse("/ui/login", status_code=303)
        response.delete_cookie(COOKIE, path="/ui")
        return response

    async def overview(self, request: Request) -> Response:
        viewer = self._guarded(request)
        if isinstance(viewer, Response):
            return viewer
        overview = self.recording.overview(viewer.servers)
        peak = max((int(b["calls"]) for b in overview.buckets), default=0) or 1
        return self._page("overview.html", viewer=viewer, overview=overview, peak=peak,
                          holds=len(self.recording.holds(viewer.servers)),
                          quarantined=len(self.recording.quarantined(viewer.servers)))

    async def calls(self, request: Request) -> Response:
        viewer = self._guarded(request)
        if isinstance(viewer, Response):
            return viewer
        q = request.query_params
        before = q.get("before", "")
        filters = Filters(server=q.get("server") or None, token=q.get("token") or None,
                          verdict=q.get("verdict") if q.get("verdict") in VERDICTS else None,
                          since=_instant(q.get("since")), until=_instant(q.get("until")),
                          before=int(before) if before.isdigit() else None)
        calls = self.recording.calls(filters, viewer.servers)
        servers = self.recording.servers(viewer.servers)
        query = {k: v for k, v in q.items() if k != "before" and v}
        return self._page("calls.html", viewer=viewer, calls=calls, filters=filters, query=query,
                          servers=servers, tokens=self.recording.tokens(), page=PAGE,
                          next_before=calls[-1]["id"] if len(calls) == PAGE else None)

    async def session(self, request: Request) -> Response:
        viewer = self._guarded(request)
        if isinstance(viewer, Response):
            return viewer
        session, calls = self.recording.session(request.path_params["id"], viewer.servers)
        if session is None:
            return self._page("missing.html", 404, viewer=viewer, what="session")
        return self._page("session.html", viewer=viewer, session=session, calls=calls)

    async def server(self, request: Request) -> Response:
        viewer = self._guarded(request)
        if isinstance(viewer, Response):
            return viewer
        name = request.path_params["name"]
        if name not in self.recording.servers(viewer.servers):
            return self._page("missing.html", 404, viewer=viewer, what="server")
        if request.method == "POST":
            self.knowledge.refresh(name)
            return RedirectResponse(f"/ui/servers/{name}", status_code=303)
        learned = self.knowledge.get(name)
        audit = learned.audit
        kinds = {}
        if audit is not None:
            for kind in ("secrets", "paths", "identifiers", "entities"):
                kinds[kind] = sorted({v for c in audit.exposures for v in getattr(c, kind)})
        return self._page("server.html", viewer=viewer, server=name, learned=learned, audit=audit,
                          kinds=kinds)

    async def holds(self, request: Request) -> Response:
        viewer = self._guarded(request)
        if isinstance(viewer, Response):
            return viewer
        problem, status = None, 200
        if request.method == "POST":
            form = await _form(request)
            server, tool, version = form.get("server", ""), form.get("tool", ""), form.get("digest", "")
            if self.admin is None or not self._visible(viewer, server) or not tool:
                return self._page("missing.html", 404, viewer=viewer, what="hold")
            try:
                self.admin.approve(viewer, server, tool, version)
            except IntentLensError as exc:  # refused, or the text changed since the page was shown
                problem, status = str(exc), 409 if viewer.can("admin") else 403
            else:
                return RedirectResponse("/ui/holds", status_code=303)
        waiting = self.admin.holds(viewer) if self.admin is not None else self.recording.holds(viewer.servers)
        return self._page("holds.html", status, viewer=viewer, holds=waiting, problem=problem,
                          writable=self.admin is not None and viewer.can("admin"),
                          approvals=self.admin.approvals(viewer) if self.admin is not None else [],
                          quarantined=self.recording.quarantined(viewer.servers))

    async def admin_page(self, request: Request) -> Response:
        viewer = self._guarded(request)
        if isinstance(viewer, Response):
            return viewer
        if self.admin is None or not viewer.can("admin") or viewer.servers is not None:
            return self._page("missing.html", 403, viewer=viewer, what="admin page",
                              why="It needs a token with the admin role that reaches every server ('*').")
        problem, status, secret = None, 200, None
        if request.method == "POST":
            try:
                secret = await self._admin_form(viewer, await _form(request))
            except IntentLensError as exc:
                problem, status = str(exc), 409
            else:
                if secret is None:
                    return RedirectResponse("/ui/admin", status_code=303)
        return self._page("admin.html", status, viewer=viewer, tokens=self.admin.list_tokens(viewer),
                          servers=self._servers_or_none(viewer), events=self.admin.events(viewer, 30),
                          problem=problem, secret=secret)

    def _servers_or_none(self, viewer: Viewer) -> list[dict[str, Any]] | None:
        assert self.admin is not None
        try:
            return self.admin.list_servers(viewer)
        except IntentLensError:  # a recording's dashboard: no gateway to add servers to
            return None

    async def _admin_form(self, viewer: Viewer, form: dict[str, str]) -> str | None:
        """Carry out one admin form; the new token's secret when one was made."""
        assert self.admin is not None
        action = form.get("action", "")
        if action == "add-token":
            tools = _split(form.get("tools", ""))
            return self.admin.add_token(viewer, form.get("name", ""), _split(form.get("servers", "")),
                                        _split(form.get("roles", "")), tools or None)
        if action == "revoke-token":
            self.admin.revoke_token(viewer, form.get("name", ""))
        elif action == "add-server":
            config = {"url": form.get("url") or None, "command": form.get("command") or None,
                      "args": _split(form.get("args", ""), " ")}
            await self.admin.add_server(viewer, form.get("name", ""),
                                        {k: v for k, v in config.items() if v})
        elif action == "remove-server":
            await self.admin.remove_server(viewer, form.get("name", ""))
        else:
            raise IntentLensError(f"unknown action {action!r}")
        return None

    async def style(self, request: Request) -> Response:
        css = resources.files("intentlens.dashboard").joinpath("static/style.css").read_text(encoding="utf-8")
        return Response(css, media_type="text/css", headers={"Cache-Control": "max-age=3600"})

    def routes(self) -> list[Route]:
        return [Route("/ui", self.overview), Route("/ui/", self.overview),
                Route("/ui/login", self.login, methods=["GET", "POST"]),
                Route("/ui/logout", self.logout, methods=["POST"]),
                Route("/ui/calls", self.calls), Route("/ui/sessions/{id}", self.session),
                Route("/ui/servers/{name}", self.server, methods=["GET", "POST"]),
                Route("/ui/holds", self.holds, methods=["GET", "POST"]),
                Route("/ui/admin", self.admin_page, methods=["GET", "POST"]),
                Route("/ui/static/style.css", self.style)]


def _split(text: str, sep: str = ",") -> list[str]:
    return [part.strip() for part in text.split(sep) if part.strip()]

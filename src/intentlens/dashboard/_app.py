"""The dashboard's routes: server-rendered pages under ``/ui``, no script, every value escaped.

A viewer signs in with a gateway token (or the one-time token ``intentlens dashboard`` prints); the
token travels in an ``HttpOnly``, ``SameSite=Strict`` cookie, and a viewer sees only the servers the
token reaches. Forms that change something (approve, refresh) also pass the gateway's ``Host`` and
``Origin`` checks. Without a token every page answers 401 with the sign-in form.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from intentlens.audit import counted
from intentlens.dashboard._data import PAGE, Filters, Recording
from intentlens.dashboard._knowledge import Knowledge
from intentlens.proxy import Store, approve

COOKIE = "intentlens_token"
VERDICTS = ("allowed", "blocked", "none")


@dataclass(frozen=True)
class Viewer:
    """Who is looking: a token's name and the servers it reaches (None: all)."""

    name: str
    servers: frozenset[str] | None


Authenticate = Callable[[str], Viewer | None]
CheckRequest = Callable[[Request], Response | None]


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
                 knowledge: Knowledge, check_request: CheckRequest | None = None) -> None:
        self.recording = Recording(source)
        self.store = store
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
        if not token or self.authenticate(token) is None:
            return self._page("login.html", 401, error="That token is not valid (or was revoked).")
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
                          holds=len(self.recording.holds(viewer.servers)))

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
        if request.method == "POST":
            form = await _form(request)
            server, tool = form.get("server", ""), form.get("tool", "")
            if self.store is None or not self._visible(viewer, server) or not tool:
                return self._page("missing.html", 404, viewer=viewer, what="hold")
            approve(self.store, server, tool)
            return RedirectResponse("/ui/holds", status_code=303)
        return self._page("holds.html", viewer=viewer, holds=self.recording.holds(viewer.servers),
                          writable=self.store is not None)

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
                Route("/ui/static/style.css", self.style)]

"""What an admin may do, in one place for the ``/admin`` API, the dashboard's forms and the CLI's rules.

Each action takes the acting :class:`~intentlens.dashboard.Viewer` and checks it first: approving
needs the ``admin`` role and reach of the server; tokens and servers need ``admin`` with reach of
every server (``*``), so that an admin of one server cannot mint a token, or add a server, beyond
what it holds. Every change is written to ``admin_events`` with its actor.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import asdict
from typing import Any

from pydantic import ValidationError

from intentlens.dashboard import Viewer
from intentlens.errors import IntentLensError
from intentlens.gateway._config import ServerConfig
from intentlens.gateway._servers import ServerBook, log_event
from intentlens.gateway._tokens import TokenBook, check_roles
from intentlens.proxy import Store, approvals, approve, holds


class Forbidden(IntentLensError):
    """The actor's token may not do this."""


class Admin:
    """Admin actions over one store (and, in a gateway, its servers)."""

    def __init__(self, store: Store, servers: ServerBook | None = None,
                 removed: Callable[[str], Awaitable[None]] | None = None) -> None:
        self.store = store
        self.tokens = TokenBook(store)
        self.servers = servers
        self._removed = removed

    # -- who may -----------------------------------------------------------------------------

    @staticmethod
    def _may_approve(viewer: Viewer, server: str) -> None:
        if not viewer.can("admin"):
            raise Forbidden(f"{viewer.name} may not approve: approving needs a token with the admin role")
        if viewer.servers is not None and server not in viewer.servers:
            raise Forbidden(f"{viewer.name} does not reach server {server!r}")

    @staticmethod
    def _may_manage(viewer: Viewer) -> None:
        if not viewer.can("admin") or viewer.servers is not None:
            raise Forbidden(f"{viewer.name} may not manage tokens or servers: that needs the admin role and "
                            "reach of every server ('*')")

    # -- holds -------------------------------------------------------------------------------

    def holds(self, viewer: Viewer) -> list[dict[str, Any]]:
        """The versions waiting, with their diff against the pinned text (servers the viewer sees)."""
        shown = None if viewer.servers is None else sorted(viewer.servers)
        return [{**asdict(h), "why": h.why, "diff": h.diff()} for h in holds(self.store, shown)]

    def approve(self, viewer: Viewer, server: str, tool: str, version: str) -> list[tuple[str, str]]:
        self._may_approve(viewer, server)
        done = approve(self.store, server, tool, version, viewer.name)
        log_event(self.store, viewer.name, "approved", f"{server}/{tool}", {"digest": version})
        return done

    def approvals(self, viewer: Viewer) -> list[dict[str, Any]]:
        return approvals(self.store, None if viewer.servers is None else sorted(viewer.servers))

    # -- tokens ------------------------------------------------------------------------------

    def list_tokens(self, viewer: Viewer) -> list[dict[str, Any]]:
        self._may_manage(viewer)
        return [{**asdict(t), "state": "revoked" if t.revoked_at is not None else "active"}
                for t in self.tokens.all()]

    def add_token(self, viewer: Viewer, name: str, servers: list[str], roles: list[str],
                  tools: list[str] | None) -> str:
        self._may_manage(viewer)
        check_roles(roles)
        known = self.servers.names() if self.servers is not None else None
        unknown = [s for s in servers if s != "*" and known is not None and s not in known]
        if unknown:
            raise IntentLensError(f"no server named {', '.join(map(repr, unknown))}")
        secret = self.tokens.add(name, servers, roles, tools)
        log_event(self.store, viewer.name, "token added", name, {"servers": servers, "roles": roles,
                                                                 "tools": tools})
        return secret

    def revoke_token(self, viewer: Viewer, name: str) -> None:
        self._may_manage(viewer)
        self.tokens.revoke(name)
        log_event(self.store, viewer.name, "token revoked", name)

    # -- servers -----------------------------------------------------------------------------

    def list_servers(self, viewer: Viewer) -> list[dict[str, Any]]:
        self._may_manage(viewer)
        book = self._book()
        runtime = book.runtime()
        return [{"name": name, "source": "runtime" if name in runtime else "config",
                 "config": (runtime.get(name) or book.config.servers[name]).model_dump(exclude_defaults=True)}
                for name in book.names()]

    async def add_server(self, viewer: Viewer, name: str, config: dict[str, Any]) -> None:
        self._may_manage(viewer)
        try:
            server = ServerConfig.model_validate(config)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise IntentLensError(f"{where + ': ' if where else ''}{first['msg']}") from exc
        self._book().add(name, server, viewer.name)
        if self._removed is not None:  # a replaced server: its sessions end, new ones start afresh
            await self._removed(name)

    async def remove_server(self, viewer: Viewer, name: str) -> None:
        self._may_manage(viewer)
        self._book().remove(name, viewer.name)
        if self._removed is not None:
            await self._removed(name)

    def events(self, viewer: Viewer, limit: int = 100) -> list[dict[str, Any]]:
        self._may_manage(viewer)
        keys = ("actor", "action", "subject", "detail", "at")
        rows = self.store.query(f"SELECT {', '.join(keys)} FROM admin_events ORDER BY id DESC")
        return [dict(zip(keys, row, strict=True)) for row in rows[:limit]]

    def _book(self) -> ServerBook:
        if self.servers is None:
            raise IntentLensError("servers are managed by a running gateway (this is a recording's "
                                  "dashboard)")
        return self.servers

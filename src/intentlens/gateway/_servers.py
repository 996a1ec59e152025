"""The servers a gateway serves: those of ``gateway.toml``, and those an admin added at run time.

Servers added at run time live in the store (``runtime_servers``), so they outlive a restart and
every gateway process sharing the store serves them; each process reads them again at most every
``refresh`` seconds, and at once when asked for a name it does not know. A name of the file can be
neither replaced nor removed at run time (the file stays the truth for what it says), and a stdio
server (a command the gateway will run) can be added only where ``runtime_commands = true``.
Every change is written to ``admin_events`` with who made it.
"""

from __future__ import annotations

import json
import time

from pydantic import ValidationError

from intentlens.errors import IntentLensError
from intentlens.gateway._config import SERVER_NAME, GatewayConfig, ServerConfig
from intentlens.proxy import Store


def log_event(store: Store, actor: str, action: str, subject: str, detail: object = None) -> None:
    """One line of the admin trail: who did what to which token, server or tool."""
    store.execute("INSERT INTO admin_events (actor, action, subject, detail, at) VALUES (?, ?, ?, ?, ?)",
                  (actor, action, subject, json.dumps(detail, default=str) if detail is not None else None,
                   time.time()))


class ServerBook:
    """Every server by name: the file's first, then the store's."""

    def __init__(self, config: GatewayConfig, store: Store, refresh: float = 2.0) -> None:
        self.config = config
        self.store = store
        self.refresh = refresh
        self._runtime: dict[str, ServerConfig] = {}
        self._read_at = float("-inf")

    def _read(self, force: bool = False) -> dict[str, ServerConfig]:
        if force or time.monotonic() - self._read_at > self.refresh:
            found: dict[str, ServerConfig] = {}
            for name, text in self.store.query("SELECT name, config FROM runtime_servers ORDER BY name"):
                try:
                    found[name] = ServerConfig.model_validate_json(text)
                except ValidationError:  # written by a newer version: skipped, never half-read
                    continue
            self._runtime, self._read_at = found, time.monotonic()
        return self._runtime

    def get(self, name: str) -> ServerConfig | None:
        """The server called ``name``, or None."""
        if name in self.config.servers:
            return self.config.servers[name]
        found = self._read().get(name)
        return found if found is not None else self._read(force=True).get(name)

    def names(self) -> list[str]:
        """Every server's name: the file's in its order, then the runtime ones by name."""
        return [*self.config.servers, *(n for n in self._read() if n not in self.config.servers)]

    def runtime(self) -> dict[str, ServerConfig]:
        return dict(self._read(force=True))

    def add(self, name: str, server: ServerConfig, by: str) -> None:
        """Add (or replace) a runtime server; raises with what is wrong."""
        if not SERVER_NAME.match(name):
            raise IntentLensError(f"server name {name!r}: use letters, digits and hyphens (at most 64)")
        if name in self.config.servers:
            raise IntentLensError(f"server {name!r} is defined in {self.config.path}: change it there")
        if server.command is not None and not self.config.gateway.runtime_commands:
            raise IntentLensError("this gateway adds only url servers at run time (a command would run on "
                                  "its host): set gateway.runtime_commands = true to allow commands")
        upstream = server.upstream()
        if (problem := getattr(upstream, "problem", lambda: None)()) is not None:
            raise IntentLensError(f"server {name!r}: {problem}")
        text = server.model_dump_json(exclude_defaults=True)
        if not self.store.execute("UPDATE runtime_servers SET config = ?, added_by = ?, added_at = ? "
                                  "WHERE name = ?", (text, by, time.time(), name)):
            self.store.execute("INSERT INTO runtime_servers VALUES (?, ?, ?, ?)",
                               (name, text, by, time.time()))
        log_event(self.store, by, "server added", name, json.loads(text))
        self._read(force=True)

    def remove(self, name: str, by: str) -> None:
        """Remove a runtime server; raises when it is not one."""
        if name in self.config.servers:
            raise IntentLensError(f"server {name!r} is defined in {self.config.path}: remove it there")
        if not self.store.execute("DELETE FROM runtime_servers WHERE name = ?", (name,)):
            raise IntentLensError(f"no server named {name!r} was added at run time")
        log_event(self.store, by, "server removed", name)
        self._read(force=True)

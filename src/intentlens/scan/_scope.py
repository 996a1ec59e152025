"""The context a description is read in: which tools its own server offers, and which tools the other
connected servers offer.

A description that names its own server's tools describes a workflow ("call list_teams first to get
the teamId"); one that names another connected server's tool, or a tool that no server offers,
sends the agent outside its server: the shape of an attack. The proxy knows its server's listing,
the gateway every connected server's, and ``intentlens scan --config`` every configured server's;
each hands the detectors a :class:`Scope`. Without one (a single description), the detectors judge
the text alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Literal

from pydantic import Field

from intentlens.core import Frozen, ToolSpec

Owner = Literal["self", "own", "other", "unknown"]


def name_key(name: str) -> str:
    """A tool name as an agent would match it: case and separators ignored."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


class Scope(Frozen):
    """The tools around one tool: its server's, and the other connected servers'."""

    server: str | None = None
    own: frozenset[str] = frozenset()
    """Every tool of the tool's own server (the tool itself included)."""
    connected: dict[str, frozenset[str]] = Field(default_factory=dict)
    """Other connected servers and their tools."""

    @property
    def known(self) -> bool:
        """Whether the own server's listing is known (else no name can be called unknown)."""
        return bool(self.own)

    def owner(self, name: str, tool: str) -> tuple[Owner, str | None]:
        """Whose tool ``name`` is, seen from ``tool``: itself, its own server's, another connected
        server's (with that server's name), or nobody's; names compare without case and separators."""
        key = name_key(name)
        if key == name_key(tool):
            return "self", self.server
        if any(name_key(t) == key or (len(key) >= 6 and name_key(t).endswith(key)) for t in self.own):
            return "own", self.server  # documentation often drops a tool's prefix (get_attachments)
        for server, tools in sorted(self.connected.items()):
            if any(name_key(t) == key for t in tools):
                return "other", server
        return "unknown", None


def scopes(tools: Iterable[ToolSpec],
           connected: Mapping[str, Iterable[str]] | None = None) -> dict[str, Scope]:
    """A scope per server for ``tools`` (each tool names its ``server``), every other server of the
    list, and of ``connected``, counted as connected."""
    by_server: dict[str, set[str]] = {}
    for tool in tools:
        by_server.setdefault(tool.server or "", set()).add(tool.name)
    others = {name: set(names) for name, names in (connected or {}).items()}
    everything = {**others, **by_server}
    return {server: Scope(server=server or None, own=frozenset(names),
                          connected={s: frozenset(t) for s, t in everything.items() if s != server})
            for server, names in by_server.items()}

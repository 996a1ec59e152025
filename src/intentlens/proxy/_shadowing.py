"""Shadowing: a newcomer tool that imitates, or gives orders about, another server's tool is held.

A tool shadows another server's tool when its name is the same, equal once case and separators are
ignored, or one edit away (``send_emai1`` beside ``send_email``), or when its description names that
tool (telling the agent how to use it). Only the **newcomer** is held: the tool first pinned later.
So a look-alike server added today can never put an existing, pinned tool on hold, which would let
anyone who can add a server switch another one off. The other servers' tools are the ones pinned in
the same store, each with the time its first version was pinned.
"""

from __future__ import annotations

import re
import time
from typing import Any

from intentlens.proxy._pinning import ListingWatch, hold
from intentlens.proxy._store import Store

_WORD = re.compile(r"[A-Za-z0-9_.\-]+")


def _normal(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def near_miss(a: str, b: str) -> bool:
    """Two names an agent could confuse: the same, equal once case and separators are ignored, or
    one edit apart (for names of at least 5 characters)."""
    na, nb = _normal(a), _normal(b)
    if a == b or na == nb:
        return True
    if min(len(na), len(nb)) < 5 or abs(len(na) - len(nb)) > 1:
        return False
    return _one_edit(na, nb)


def _one_edit(a: str, b: str) -> bool:
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def _distinctive(name: str) -> bool:
    """A tool name specific enough that naming it in a description refers to that tool."""
    return len(name) >= 8 or any(c in name for c in "_-.") or (name != name.lower() and len(name) >= 6)


Pinned = dict[str, dict[str, float]]
"""Server: {tool: when its first version was pinned}."""


def shadowing(server: str, tool: dict[str, Any], others: Pinned, since: float = float("inf")) -> str | None:
    """Why ``tool`` of ``server``, first pinned at ``since`` (infinity: not pinned yet), shadows an
    older tool of another server, or None."""
    name = str(tool.get("name"))
    words = set(_WORD.findall(str(tool.get("description") or "")))
    for other, names in sorted(others.items()):
        if other == server:
            continue
        for other_name, pinned_at in sorted(names.items()):
            if pinned_at > since:
                continue  # the other tool is the newcomer: it is the one held, never this one
            if other_name == name:
                return f"a tool of server {other!r} has the same name"
            if near_miss(name, other_name):
                return f"its name is a near miss of {other_name!r} on server {other!r}"
            if other_name in words and _distinctive(other_name):
                return f"its description refers to {other_name!r}, a tool of server {other!r}"
    return None


def first_pinned(store: Store) -> Pinned:
    """When each tool of each server had its first version pinned."""
    pinned: Pinned = {}
    rows = store.query("SELECT server, tool, MIN(pinned_at) FROM pins GROUP BY server, tool")
    for server, tool, at in rows:
        pinned.setdefault(server, {})[tool] = float(at)
    return pinned


class ShadowingMiddleware(ListingWatch):
    """Puts on hold a newcomer tool that imitates, or gives orders about, an older tool of another
    server."""

    name = "shadowing"

    def watch(self, store: Store, server: str, tools: list[dict[str, Any]]) -> None:
        pinned = first_pinned(store)
        mine = pinned.get(server, {})
        for tool in tools:
            since = mine.get(str(tool.get("name")), time.time())
            if (why := shadowing(server, tool, pinned, since)) is not None:
                hold(store, server, tool, "shadowing", why)

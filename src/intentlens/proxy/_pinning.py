"""Tool pinning (trust on first use) and shadowing: two checks against a server changing under you.

**Pinning.** The first ``tools/list`` of each server is pinned in the store: a digest of each tool's
name, description and input schema. A later listing that changes a pinned tool, or adds a tool to a
pinned server, puts that tool *on hold*: the hold is recorded, the tool is shown with a warning in
front of its description, and its calls are refused until someone runs
``intentlens gateway approve SERVER [TOOL]`` (a "rug pull" defence).

**Shadowing.** A tool whose name is a near miss of another server's tool (``send_emai1`` beside
``send_email``), or whose description names another server's tool (telling the agent how to use it),
is put on hold the same way. The other servers' tools are the ones pinned in the same store.

Holds live in the store, so every session and every process sharing it sees them, and an approval
given from the command line applies to the next call.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from typing import Any

from intentlens.proxy._chain import CallContext, Decision, ListContext, Middleware
from intentlens.proxy._store import Store

_WORD = re.compile(r"[A-Za-z0-9_.\-]+")


def digest(tool: dict[str, Any]) -> str:
    """A digest of what the agent reads about a tool: its name, description and input schema."""
    text = json.dumps([tool.get("name"), tool.get("description") or "", tool.get("inputSchema") or {}],
                      sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def held_tools(store: Store, server: str) -> dict[str, str]:
    """Tools of ``server`` waiting for approval, with why."""
    rows = store.query("SELECT tool, kind, detail FROM holds WHERE server = ? AND approved_at IS NULL "
                       "ORDER BY id", (server,))
    held: dict[str, str] = {}
    for tool, kind, detail in rows:
        held.setdefault(tool, f"{kind}: {detail}" if detail else kind)
    return held


def approve(store: Store, server: str, tool: str | None = None) -> list[tuple[str, str]]:
    """Approve what is on hold for ``server`` (one tool, or all): the latest version seen becomes the
    pinned one. Returns the (tool, kind) pairs approved."""
    clause, params = ("AND tool = ?", (server, tool)) if tool else ("", (server,))
    rows = store.query(f"SELECT id, tool, digest, kind, description, input_schema FROM holds "
                       f"WHERE server = ? {clause} AND approved_at IS NULL ORDER BY id", params)
    now = time.time()
    for hold_id, name, tool_digest, kind, description, schema in rows:
        if kind in ("changed", "added"):
            store.execute("INSERT OR REPLACE INTO pins VALUES (?, ?, ?, ?, ?, ?)",
                          (server, name, tool_digest, description, schema, now))
        store.execute("UPDATE holds SET approved_at = ? WHERE id = ?", (now, hold_id))
    return [(name, kind) for _, name, _, kind, _, _ in rows]


def _hold(store: Store, server: str, tool: dict[str, Any], kind: str, detail: str) -> None:
    store.execute("INSERT OR IGNORE INTO holds (server, tool, digest, kind, detail, description, "
                  "input_schema, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                  (server, str(tool.get("name")), digest(tool), kind, detail,
                   str(tool.get("description") or ""), json.dumps(tool.get("inputSchema") or {}),
                   time.time()))


def _flagged(tool: dict[str, Any], server: str, why: str) -> dict[str, Any]:
    warning = (f"[intentlens: on hold ({why}); calls are refused until `intentlens gateway approve "
               f"{server} {tool.get('name')}`] ")
    return {**tool, "description": warning + str(tool.get("description") or "")}


class HoldMiddleware(Middleware):
    """Refuses calls to tools on hold, and flags them in listings (shared by pinning and shadowing)."""

    name = "holds"
    decides_calls = True

    async def on_call_tool(self, ctx: CallContext) -> Decision | None:
        if ctx.store is None:
            return None
        rows = ctx.store.query("SELECT kind, detail FROM holds WHERE server = ? AND tool = ? AND "
                               "approved_at IS NULL ORDER BY id LIMIT 1", (ctx.server, ctx.name))
        if not rows:
            return None
        kind, detail = rows[0]
        why = (f"tool {ctx.name!r} is on hold ({kind}: {detail}); approve it with `intentlens gateway "
               f"approve {ctx.server} {ctx.name}`")
        return Decision(False, why, None, {"aligned": False, "reason": why, "hold": kind})

    async def on_list_tools(self, ctx: ListContext, tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if ctx.store is None:
            return tools
        held = held_tools(ctx.store, ctx.server)
        return [_flagged(t, ctx.server, held[str(t.get("name"))]) if str(t.get("name")) in held else t
                for t in tools]


class _ListingWatch(Middleware):
    """A link that records holds when a listing passes and hands the listing on unchanged (without a
    store it does nothing)."""

    async def on_list_tools(self, ctx: ListContext, tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if ctx.store is not None:
            self.watch(ctx.store, ctx.server, tools)
        return tools

    def watch(self, store: Store, server: str, tools: list[dict[str, Any]]) -> None:
        raise NotImplementedError


class PinningMiddleware(_ListingWatch):
    """Pins each server's first listing; a later change puts the tool on hold."""

    name = "pinning"

    def watch(self, store: Store, server: str, tools: list[dict[str, Any]]) -> None:
        pinned = {tool: d for tool, d in store.query("SELECT tool, digest FROM pins WHERE server = ?",
                                                     (server,))}
        now, first = time.time(), not _ever_listed(store, server)
        for tool in tools:
            name, current = str(tool.get("name")), digest(tool)
            if first:
                store.execute("INSERT OR IGNORE INTO pins VALUES (?, ?, ?, ?, ?, ?)",
                              (server, name, current, str(tool.get("description") or ""),
                               json.dumps(tool.get("inputSchema") or {}), now))
            elif name not in pinned:
                _hold(store, server, tool, "added", "a tool the server did not list when it was pinned")
            elif pinned[name] != current:
                _hold(store, server, tool, "changed", "its name, description or schema changed since "
                                                      "it was pinned")
        store.execute("INSERT OR IGNORE INTO store_info VALUES (?, ?)", (f"pinned:{server}", str(now)))


def _ever_listed(store: Store, server: str) -> bool:
    return bool(store.query("SELECT 1 FROM store_info WHERE key = ?", (f"pinned:{server}",)))


def _normal(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _near_miss(a: str, b: str) -> bool:
    """Two different names an agent could confuse: equal once case and separators are ignored, or one
    edit apart (for names of at least 5 characters)."""
    if a == b:
        return False
    na, nb = _normal(a), _normal(b)
    if na == nb:
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


def shadowing(server: str, tool: dict[str, Any], others: dict[str, set[str]]) -> str | None:
    """Why ``tool`` of ``server`` shadows another server's tool, or None."""
    name = str(tool.get("name"))
    words = set(_WORD.findall(str(tool.get("description") or "")))
    for other, names in sorted(others.items()):
        if other == server:
            continue
        for other_name in sorted(names):
            if _near_miss(name, other_name):
                return f"its name is a near miss of {other_name!r} on server {other!r}"
            if other_name in words and other_name != name and _distinctive(other_name):
                return f"its description refers to {other_name!r}, a tool of server {other!r}"
    return None


class ShadowingMiddleware(_ListingWatch):
    """Puts on hold a tool that imitates, or gives orders about, another server's tool."""

    name = "shadowing"

    def watch(self, store: Store, server: str, tools: list[dict[str, Any]]) -> None:
        others: dict[str, set[str]] = {}
        for other, tool_name in store.query("SELECT server, tool FROM pins WHERE server != ?", (server,)):
            others.setdefault(other, set()).add(tool_name)
        for tool in tools:
            if (why := shadowing(server, tool, others)) is not None:
                _hold(store, server, tool, "shadowing", why)

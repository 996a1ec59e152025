"""Tool pinning (trust on first use): a server changing under you is held until someone approves.

Trust is kept **per version**: a version is a tool's name, description and input schema, named by
its digest. The first ``tools/list`` of each server pins every version it shows. Later, a version
that is not pinned is put *on hold*: a tool the server did not list before (``added``), or a new
version of a pinned tool (``changed``). A call is refused while the version this session's server
listed is on hold, so two upstream processes that serve two versions never switch each other off.

An approval names the exact version it was shown (its digest) and who gave it; it fails when that
version is no longer waiting, or when the server has shown a newer version of the tool since, so
nobody approves a description they never saw. Holds live in the store: every session and every
process sharing it sees them, and an approval applies to the next call.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import time
from dataclasses import dataclass
from typing import Any

from intentlens.errors import IntentLensError
from intentlens.proxy._chain import CallContext, Decision, ListContext, Middleware
from intentlens.proxy._store import Store


def digest(tool: dict[str, Any]) -> str:
    """A digest of what the agent reads about a tool: its name, description and input schema."""
    text = json.dumps([tool.get("name"), tool.get("description") or "", tool.get("inputSchema") or {}],
                      sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Hold:
    """One version of a tool waiting for approval, with the pinned version it replaces (if any)."""

    id: int
    server: str
    tool: str
    digest: str
    kind: str
    detail: str
    description: str
    input_schema: str
    seen_at: float
    last_seen: float
    pinned_description: str | None = None
    pinned_schema: str | None = None

    @property
    def why(self) -> str:
        return f"{self.kind}: {self.detail}" if self.detail else self.kind

    def diff(self) -> list[str]:
        """The pinned text against this version's, as unified-diff lines (every line added when
        nothing of this tool was pinned)."""
        before = _shown(self.pinned_description, self.pinned_schema) if self.pinned_description is not None \
            else []
        return list(difflib.unified_diff(before, _shown(self.description, self.input_schema),
                                         "pinned", "now", lineterm="", n=2))


def _shown(description: str | None, schema: str | None) -> list[str]:
    try:
        pretty = json.dumps(json.loads(schema or "{}"), indent=2, sort_keys=True, ensure_ascii=False)
    except ValueError:
        pretty = schema or ""
    return [*(description or "").splitlines(), "--- input schema ---", *pretty.splitlines()]


_HOLD_COLUMNS = "id, server, tool, digest, kind, detail, description, input_schema, seen_at, last_seen"


def holds(store: Store, servers: list[str] | None = None) -> list[Hold]:
    """Versions waiting for approval (of ``servers``, or all), oldest first, each with the latest
    version of its tool that is pinned."""
    rows = store.query(f"SELECT {_HOLD_COLUMNS} FROM holds WHERE approved_at IS NULL ORDER BY id")
    pinned = {(s, t): (d, sc) for s, t, d, sc in store.query(
        "SELECT server, tool, description, input_schema FROM pins ORDER BY pinned_at")}
    found = []
    for row in rows:
        if servers is not None and row[1] not in servers:
            continue
        before = pinned.get((row[1], row[2]), (None, None))
        hold_id, server, tool, version, kind, detail, description, schema, seen, last = row
        found.append(Hold(int(hold_id), server, tool, version, kind, detail or "", description or "",
                          schema or "{}", float(seen), float(last or seen), *before))
    return found


def held_tools(store: Store, server: str) -> dict[str, str]:
    """Tools of ``server`` with a version waiting for approval, with why."""
    held: dict[str, str] = {}
    for hold in holds(store, [server]):
        held.setdefault(hold.tool, hold.why)
    return held


def approve(store: Store, server: str, tool: str, version: str, by: str) -> list[tuple[str, str]]:
    """Approve the version ``version`` (a digest, or a prefix of at least 8 of its characters) of
    ``tool``: it is pinned and its holds are marked approved by ``by``. Returns the (tool, kind) pairs
    approved. Raises when that version is not waiting, or when a newer version has been seen since."""
    if len(version) < 8:
        raise IntentLensError("name the version to approve by its digest (at least 8 characters, as "
                              "`intentlens gateway holds` shows it)")
    waiting = [h for h in holds(store, [server]) if h.tool == tool]
    chosen = [h for h in waiting if h.digest.startswith(version)]
    if not chosen:
        raise IntentLensError(f"no version {version} of {server} {tool} is waiting for approval (approved "
                              "already, or never seen): list the holds again")
    if len({h.digest for h in chosen}) > 1:
        raise IntentLensError(f"{version} names several versions of {tool}: give more of the digest")
    shown = chosen[0]
    newer = [h for h in waiting if h.digest != shown.digest and h.last_seen > shown.last_seen]
    if newer:
        raise IntentLensError(f"the description of {server} {tool} changed since version {shown.digest[:12]} "
                              f"(now {newer[-1].digest[:12]}): review the new text before approving")
    quarantined = store.query("SELECT reason FROM findings WHERE server = ? AND tool = ? AND found_at > ? "
                              "ORDER BY found_at DESC LIMIT 1", (server, tool, shown.last_seen))
    if quarantined:  # the server showed yet another text since, one the scan found poisoned
        raise IntentLensError(f"the description of {server} {tool} changed since version "
                              f"{shown.digest[:12]}: the newer text was quarantined by the scan "
                              f"({quarantined[0][0]}); approve once the server shows the reviewed "
                              "version again")
    now = time.time()
    if any(h.kind in ("changed", "added") for h in chosen):
        store.execute("INSERT OR IGNORE INTO pins VALUES (?, ?, ?, ?, ?, ?, ?)",
                      (server, tool, shown.digest, shown.description, shown.input_schema, now, by))
    for hold in chosen:
        store.execute("UPDATE holds SET approved_at = ?, approved_by = ? WHERE id = ? AND "
                      "approved_at IS NULL", (now, by, hold.id))
    return [(h.tool, h.kind) for h in chosen]


def approvals(store: Store, servers: list[str] | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """The latest approvals: who approved which version of which tool, and when."""
    rows = store.query("SELECT server, tool, digest, kind, approved_by, approved_at FROM holds WHERE "
                       "approved_at IS NOT NULL ORDER BY approved_at DESC, id DESC")
    keys = ("server", "tool", "digest", "kind", "approved_by", "approved_at")
    return [dict(zip(keys, row, strict=True)) for row in rows
            if servers is None or row[0] in servers][:limit]


def hold(store: Store, server: str, tool: dict[str, Any], kind: str, detail: str) -> None:
    """Put this version of ``tool`` on hold (once per version and kind; a repeat marks it seen)."""
    version, now = digest(tool), time.time()
    name = str(tool.get("name"))
    added = store.execute(
        "INSERT OR IGNORE INTO holds (server, tool, digest, kind, detail, description, input_schema, "
        "seen_at, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (server, name, version, kind, detail, str(tool.get("description") or ""),
         json.dumps(tool.get("inputSchema") or {}), now, now))
    if not added:
        store.execute("UPDATE holds SET last_seen = ? WHERE server = ? AND tool = ? AND digest = ? AND "
                      "approved_at IS NULL", (now, server, name, version))


def waiting(store: Store, server: str, tool: str, version: str | None) -> tuple[str, str] | None:
    """(kind, detail) of a hold that refuses calls to ``tool`` in a session whose server listed
    ``version`` (None: a session that never listed it, refused while any version is waiting)."""
    if version is None:
        rows = store.query("SELECT kind, detail FROM holds WHERE server = ? AND tool = ? AND "
                           "approved_at IS NULL ORDER BY id LIMIT 1", (server, tool))
    else:
        rows = store.query("SELECT kind, detail FROM holds WHERE server = ? AND tool = ? AND digest = ? "
                           "AND approved_at IS NULL ORDER BY id LIMIT 1", (server, tool, version))
    return (rows[0][0], rows[0][1]) if rows else None


def _flagged(tool: dict[str, Any], server: str, why: str) -> dict[str, Any]:
    warning = (f"[intentlens: on hold ({why}); calls are refused until an admin approves this version "
               f"of {server} {tool.get('name')}] ")
    return {**tool, "description": warning + str(tool.get("description") or "")}


class HoldMiddleware(Middleware):
    """Refuses calls to versions on hold, and flags them in listings (pinning and shadowing hold)."""

    name = "holds"
    decides_calls = True

    async def on_call_tool(self, ctx: CallContext) -> Decision | None:
        if ctx.store is None:
            return None
        found = waiting(ctx.store, ctx.server, ctx.name, ctx.digest)
        if found is None:
            return None
        kind, detail = found
        unseen = "" if ctx.digest is not None else " (this session never listed it)"
        why = (f"tool {ctx.name!r} is on hold{unseen} ({kind}: {detail}); an admin must approve this "
               f"version (`intentlens gateway holds`)")
        return Decision(False, why, None, {"aligned": False, "reason": why, "hold": kind})

    async def on_list_tools(self, ctx: ListContext, tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if ctx.store is None:
            return tools
        shown = []
        for tool in tools:
            found = waiting(ctx.store, ctx.server, str(tool.get("name")), digest(tool))
            shown.append(_flagged(tool, ctx.server, f"{found[0]}: {found[1]}" if found[1] else found[0])
                         if found else tool)
        return shown


class ListingWatch(Middleware):
    """A link that records holds when a listing passes and hands the listing on unchanged (without a
    store it does nothing)."""

    async def on_list_tools(self, ctx: ListContext, tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if ctx.store is not None:
            self.watch(ctx.store, ctx.server, tools)
        return tools

    def watch(self, store: Store, server: str, tools: list[dict[str, Any]]) -> None:
        raise NotImplementedError


class PinningMiddleware(ListingWatch):
    """Pins each server's first listing; a version not pinned later is put on hold."""

    name = "pinning"

    def watch(self, store: Store, server: str, tools: list[dict[str, Any]]) -> None:
        pinned: dict[str, set[str]] = {}
        for tool, version in store.query("SELECT tool, digest FROM pins WHERE server = ?", (server,)):
            pinned.setdefault(tool, set()).add(version)
        now, first = time.time(), not _ever_listed(store, server)
        for tool in tools:
            name, current = str(tool.get("name")), digest(tool)
            if current in pinned.get(name, ()):
                continue
            if first:
                store.execute("INSERT OR IGNORE INTO pins VALUES (?, ?, ?, ?, ?, ?, ?)",
                              (server, name, current, str(tool.get("description") or ""),
                               json.dumps(tool.get("inputSchema") or {}), now, "first use"))
            elif name not in pinned:
                hold(store, server, tool, "added", "a tool the server did not list when it was pinned")
            else:
                hold(store, server, tool, "changed", "its description or schema differs from every "
                                                     "pinned version")
        store.execute("INSERT OR IGNORE INTO store_info VALUES (?, ?)", (f"pinned:{server}", str(now)))


def _ever_listed(store: Store, server: str) -> bool:
    return bool(store.query("SELECT 1 FROM store_info WHERE key = ?", (f"pinned:{server}",)))

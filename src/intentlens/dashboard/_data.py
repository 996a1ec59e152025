"""What the dashboard shows, read from a recording (SQLite file or PostgreSQL URL).

Every query is bounded: lists page by id (keyset paging on the primary key, so page 2,000 costs what
page 1 does), and the overview aggregates in the database. Nothing here writes.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from intentlens.errors import IntentLensError
from intentlens.proxy import read_rows

PAGE = 50


@dataclass(frozen=True)
class Filters:
    """The filters of the calls list (all optional)."""

    server: str | None = None
    token: str | None = None
    verdict: str | None = None
    """``allowed`` (forwarded after a verdict), ``blocked`` (not forwarded) or ``none`` (no verdict)."""
    since: float | None = None
    until: float | None = None
    before: int | None = None
    """Keyset paging: calls with an id below this one."""

    def where(self, servers: frozenset[str] | None) -> tuple[str, list[Any]]:
        clauses: list[str] = ["1 = 1"]
        params: list[Any] = []
        if servers is not None:
            clauses.append(f"server IN ({', '.join('?' for _ in servers)})" if servers else "1 = 0")
            params += sorted(servers)
        for column, value in (("server", self.server), ("caller", self.token)):
            if value:
                clauses.append(f"{column} = ?")
                params.append(value)
        if self.verdict == "blocked":
            clauses.append("forwarded = 0")
        elif self.verdict == "allowed":
            clauses.append("forwarded = 1 AND verdict IS NOT NULL")
        elif self.verdict == "none":
            clauses.append("verdict IS NULL")
        for op, instant in ((">=", self.since), ("<=", self.until)):
            if instant is not None:
                clauses.append(f"started {op} ?")
                params.append(instant)
        if self.before is not None:
            clauses.append("id < ?")
            params.append(self.before)
        return " AND ".join(clauses), params


@dataclass
class Overview:
    servers: list[dict[str, Any]]
    totals: dict[str, int]
    buckets: list[dict[str, Any]] = field(default_factory=list)
    bucket_seconds: int = 3600

    @property
    def bucket_name(self) -> str:
        """``hour``, ``5 minutes`` or ``second``: what one bar of the chart counts."""
        seconds = self.bucket_seconds
        number, unit = (seconds // 3600, "hour") if seconds >= 3600 else \
            (seconds // 60, "minute") if seconds >= 60 else (seconds, "second")
        return unit if number == 1 else f"{number} {unit}s"


BUCKETS = 48
_WIDTHS = (1, 5, 15, 60, 300, 900, 3600)
"""Bar widths in seconds: the narrowest whose 48 bars cover the calls of the last 48 hours."""


def _load(value: Any) -> Any:
    if value is None:
        return None
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return value


class Recording:
    """Read access to one recording; ``servers`` limits what a viewer may see (None: everything)."""

    def __init__(self, source: Path | str) -> None:
        self.source = source

    def rows(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        return [dict(zip(r.keys(), tuple(r), strict=True)) if not isinstance(r, dict) else r
                for r in read_rows(self.source, sql, tuple(params))]

    def overview(self, servers: frozenset[str] | None) -> Overview:
        where, params = Filters().where(servers)
        per_server = self.rows(
            "SELECT server, COUNT(*) AS calls, COUNT(DISTINCT session_id) AS sessions, "
            "SUM(CASE WHEN is_error = 1 THEN 1 ELSE 0 END) AS errors, "
            "SUM(CASE WHEN forwarded = 0 THEN 1 ELSE 0 END) AS blocked, MAX(started) AS last "
            f"FROM calls WHERE {where} GROUP BY server ORDER BY server", params)
        totals = {key: sum(int(s[key] or 0) for s in per_server) for key in ("calls", "sessions", "errors",
                                                                          "blocked")}
        last = max((float(s["last"]) for s in per_server if s["last"] is not None), default=time.time())
        first = self.rows(f"SELECT MIN(started) AS first FROM calls WHERE {where} AND started >= ?",
                          [*params, last - BUCKETS * 3600])
        earliest = float(first[0]["first"]) if first and first[0]["first"] is not None else last
        span = next(w for w in _WIDTHS if w * (BUCKETS - 1) >= last - earliest or w == _WIDTHS[-1])
        buckets = self.rows(
            f"SELECT CAST(started / {span} AS INTEGER) AS bucket, COUNT(*) AS calls, "
            "SUM(CASE WHEN forwarded = 0 THEN 1 ELSE 0 END) AS blocked "
            f"FROM calls WHERE {where} AND started >= ? GROUP BY bucket ORDER BY bucket",
            [*params, last - BUCKETS * span])
        by_bucket = {int(b["bucket"]): b for b in buckets}
        end = int(last // span)
        slots = [{"bucket": n, "calls": int(by_bucket[n]["calls"]) if n in by_bucket else 0,
                  "blocked": int(by_bucket[n]["blocked"] or 0) if n in by_bucket else 0}
                 for n in range(end - BUCKETS + 1, end + 1)]  # 48 bars, empty ones included
        return Overview(per_server, totals, slots, span)

    def calls(self, filters: Filters, servers: frozenset[str] | None) -> list[dict[str, Any]]:
        where, params = filters.where(servers)
        rows = self.rows("SELECT id, session_id, server, tool, caller, is_error, forwarded, latency_ms, "
                         f"started, verdict FROM calls WHERE {where} ORDER BY id DESC LIMIT {PAGE}", params)
        for row in rows:
            row["verdict"] = _load(row["verdict"])
        return rows

    def session(self, session_id: str, servers: frozenset[str] | None) -> tuple[dict[str, Any] | None,
                                                                                 list[dict[str, Any]]]:
        found = self.rows("SELECT * FROM sessions WHERE id = ?", [session_id])
        if not found or (servers is not None and found[0]["server"] not in servers):
            return None, []
        calls = self.rows("SELECT * FROM calls WHERE session_id = ? ORDER BY id LIMIT 1000", [session_id])
        for call in calls:
            for key in ("arguments", "result", "verdict"):
                call[key] = _load(call[key])
        return found[0], calls

    def servers(self, servers: frozenset[str] | None) -> list[str]:
        """The recorded servers a viewer may see (from the sessions: no scan of the calls)."""
        where, params = Filters().where(servers)
        rows = self.rows(f"SELECT DISTINCT server FROM sessions WHERE {where} ORDER BY server", params)
        return [r["server"] for r in rows]

    def holds(self, servers: frozenset[str] | None) -> list[dict[str, Any]]:
        where, params = Filters().where(servers)
        try:
            return self.rows("SELECT id, server, tool, digest, kind, detail, description, seen_at FROM holds "
                             f"WHERE approved_at IS NULL AND {where} ORDER BY id", params)
        except IntentLensError:  # a recording older than the gateway has no holds table
            return []

    def quarantined(self, servers: frozenset[str] | None) -> list[dict[str, Any]]:
        """The tools the scan quarantined (or flagged), latest finding per server and tool."""
        where, params = Filters().where(servers)
        try:
            return self.rows(
                "SELECT f.server, f.tool, f.detector, f.reason, f.action, f.found_at FROM findings f JOIN "
                "(SELECT server, tool, MAX(id) AS id FROM findings GROUP BY server, tool) latest "
                f"ON f.id = latest.id WHERE {where.replace('server', 'f.server')} ORDER BY f.server, f.tool",
                params)
        except IntentLensError:  # a recording older than the scan in the path
            return []

    def tokens(self) -> list[str]:
        try:
            rows = self.rows("SELECT DISTINCT caller FROM sessions WHERE caller IS NOT NULL ORDER BY caller")
        except IntentLensError:  # a recording older than the gateway has no caller column
            return []
        return [r["caller"] for r in rows]

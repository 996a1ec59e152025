"""The proxy's recording: an embedded SQLite store (WAL, append-only named migrations, mode 0600).

Every completed call is committed on its own, so a killed proxy loses nothing it had finished.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

MIGRATIONS: list[tuple[str, str]] = [
    ("001_initial", """
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY, server TEXT NOT NULL, started REAL NOT NULL,
            protocol_version TEXT, client_info TEXT);
        CREATE TABLE tools (
            session_id TEXT NOT NULL, server TEXT NOT NULL, name TEXT NOT NULL, description TEXT,
            input_schema TEXT, output_schema TEXT, listed_at REAL NOT NULL);
        CREATE TABLE calls (
            id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, server TEXT NOT NULL,
            request_id TEXT, tool TEXT NOT NULL, arguments TEXT, result TEXT, is_error INTEGER,
            error TEXT, started REAL NOT NULL, latency_ms REAL, protocol_version TEXT,
            query TEXT, verdict TEXT, forwarded INTEGER NOT NULL DEFAULT 1);
        CREATE INDEX calls_session ON calls(session_id, id);
    """),
]


def _redact(value: Any) -> Any:
    """Keep the shape, hide the values: keys stay, leaves become a short stable hash."""
    if isinstance(value, dict):
        return {k: _redact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact(v) for v in value]
    if value is None or isinstance(value, bool):
        return value
    digest = hashlib.sha256(json.dumps(value, default=str).encode()).hexdigest()[:10]
    return f"<redacted:{digest}>"


class Store:
    """A recording database. Thread-safe; every write is its own transaction."""

    def __init__(self, path: str | Path, *, redact: bool = False) -> None:
        self.path = Path(path)
        self.redact = redact
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():
            fd = os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600)
            os.close(fd)
        os.chmod(self.path, 0o600)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA busy_timeout=10000")  # several proxies may record into one file
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._migrate()

    def _migrate(self) -> None:
        with self._lock:
            self._db.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, "
                             "applied_at REAL NOT NULL)")
            for name, sql in MIGRATIONS:
                self._db.execute("BEGIN IMMEDIATE")  # one process migrates; the others then see it done
                if self._db.execute("SELECT 1 FROM migrations WHERE name = ?", (name,)).fetchone():
                    self._db.execute("COMMIT")
                    continue
                for statement in filter(str.strip, sql.split(";")):
                    self._db.execute(statement)
                self._db.execute("INSERT INTO migrations VALUES (?, ?)", (name, time.time()))
                self._db.execute("COMMIT")

    def _json(self, value: Any) -> str | None:
        if value is None:
            return None
        return json.dumps(_redact(value) if self.redact else value, ensure_ascii=False, default=str)

    def add_session(self, session_id: str, server: str, *, protocol_version: str | None = None,
                    client_info: Any = None) -> None:
        """Record a session (first write wins)."""
        with self._lock:
            self._db.execute("INSERT OR IGNORE INTO sessions VALUES (?, ?, ?, ?, ?)",
                             (session_id, server, time.time(), protocol_version,
                              json.dumps(client_info) if client_info else None))

    def set_protocol_version(self, session_id: str, version: str) -> None:
        """Set a session's protocol version (the server's answer decides)."""
        with self._lock:
            self._db.execute("UPDATE sessions SET protocol_version = ? WHERE id = ?",
                             (version, session_id))

    def add_tools(self, session_id: str, server: str, tools: list[dict[str, Any]]) -> None:
        """Record a ``tools/list`` result (descriptions are never redacted: the server wrote them)."""
        now = time.time()
        with self._lock:
            self._db.executemany(
                "INSERT INTO tools VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(session_id, server, str(t.get("name")), t.get("description"),
                  json.dumps(t.get("inputSchema") or {}), json.dumps(t.get("outputSchema"))
                  if t.get("outputSchema") else None, now) for t in tools if isinstance(t, dict)])

    def call_row(self, *, session_id: str, server: str, request_id: Any, tool: str,
                 arguments: Any, result: Any, is_error: bool | None, error: str | None,
                 started: float, latency_ms: float | None, protocol_version: str | None,
                 query: str | None = None, verdict: Any = None, forwarded: bool = True) -> tuple[Any, ...]:
        """The row for one finished (or refused) ``tools/call``, ready for :meth:`add_calls`."""
        return (session_id, server, json.dumps(request_id), tool, self._json(arguments),
                self._json(result), None if is_error is None else int(is_error), error, started,
                latency_ms, protocol_version, query, json.dumps(verdict) if verdict else None,
                int(forwarded))

    def add_calls(self, rows: list[tuple[Any, ...]]) -> None:
        """Record several calls in one transaction (group commit)."""
        with self._lock:
            self._db.execute("BEGIN")
            try:
                self._db.executemany(
                    "INSERT INTO calls (session_id, server, request_id, tool, arguments, result, is_error,"
                    " error, started, latency_ms, protocol_version, query, verdict, forwarded)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()


def is_store(path: Path) -> bool:
    """True when ``path`` is an SQLite file holding the proxy's tables."""
    try:
        with path.open("rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                return False
    except OSError:
        return False
    names = {r[0] for r in read_rows(path, "SELECT name FROM sqlite_master WHERE type='table'")}
    return {"sessions", "tools", "calls"} <= names


def read_rows(path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
    """Rows from a recording opened read-only (reading never changes the file)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    try:
        return list(db.execute(sql, params))
    finally:
        db.close()

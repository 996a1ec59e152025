"""The proxy's recording: an embedded SQLite store (WAL, append-only named migrations, mode 0600).

Every completed call is committed before its reply reaches the client, and in guard mode every
verdict before its call reaches the server, so a killed proxy loses nothing it had acted on.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from intentlens.errors import DataFormatError, IntentLensError
from intentlens.proxy import _postgres
from intentlens.proxy._postgres import PostgresConnection, is_database_url
from intentlens.proxy._redact import Redactor

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
    ("002_verdicts", """
        CREATE TABLE verdicts (
            id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, server TEXT NOT NULL,
            request_id TEXT, tool TEXT NOT NULL, query TEXT, verdict TEXT, forwarded INTEGER NOT NULL,
            decided_at REAL NOT NULL);
        CREATE INDEX verdicts_session ON verdicts(session_id, id);
        CREATE TABLE store_info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """),
    ("003_findings", """
        CREATE TABLE findings (
            id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, server TEXT NOT NULL,
            tool TEXT NOT NULL, detector TEXT NOT NULL, score REAL, reason TEXT, evidence TEXT,
            action TEXT NOT NULL, found_at REAL NOT NULL);
    """),
    ("004_gateway", """
        ALTER TABLE sessions ADD COLUMN caller TEXT;
        ALTER TABLE calls ADD COLUMN caller TEXT;
        CREATE TABLE tokens (
            id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, salt TEXT NOT NULL, hash TEXT NOT NULL,
            servers TEXT NOT NULL, created_at REAL NOT NULL, revoked_at REAL);
        CREATE TABLE pins (
            server TEXT NOT NULL, tool TEXT NOT NULL, digest TEXT NOT NULL, description TEXT,
            input_schema TEXT, pinned_at REAL NOT NULL, PRIMARY KEY (server, tool));
        CREATE TABLE holds (
            id INTEGER PRIMARY KEY AUTOINCREMENT, server TEXT NOT NULL, tool TEXT NOT NULL,
            digest TEXT NOT NULL, kind TEXT NOT NULL, detail TEXT, description TEXT, input_schema TEXT,
            seen_at REAL NOT NULL, approved_at REAL, UNIQUE (server, tool, digest, kind));
    """),
    # Trust decisions per version: a tool may have several pinned versions (one per description
    # digest), each approval names its approver, and tokens carry roles and a tool allow-list.
    # Tokens made before roles existed keep what they could do, less approving: client and viewer.
    ("005_trust", """
        CREATE TABLE pins_005 (
            server TEXT NOT NULL, tool TEXT NOT NULL, digest TEXT NOT NULL, description TEXT,
            input_schema TEXT, pinned_at REAL NOT NULL, pinned_by TEXT,
            PRIMARY KEY (server, tool, digest));
        INSERT INTO pins_005 SELECT server, tool, digest, description, input_schema, pinned_at, 'first use'
            FROM pins;
        DROP TABLE pins;
        ALTER TABLE pins_005 RENAME TO pins;
        ALTER TABLE holds ADD COLUMN approved_by TEXT;
        ALTER TABLE holds ADD COLUMN last_seen REAL;
        UPDATE holds SET last_seen = seen_at;
        ALTER TABLE tokens ADD COLUMN roles TEXT;
        ALTER TABLE tokens ADD COLUMN tools TEXT;
        UPDATE tokens SET roles = '["client", "viewer"]';
        CREATE TABLE runtime_servers (
            name TEXT PRIMARY KEY, config TEXT NOT NULL, added_by TEXT, added_at REAL NOT NULL);
        CREATE TABLE admin_events (
            id INTEGER PRIMARY KEY AUTOINCREMENT, actor TEXT NOT NULL, action TEXT NOT NULL,
            subject TEXT NOT NULL, detail TEXT, at REAL NOT NULL);
    """),
]
_SQLITE_MAGIC = b"SQLite format 3\x00"


def _check_path(path: Path) -> None:
    """Refuse, before touching it, a path that is a directory or a file that is not SQLite."""
    if path.is_dir():
        raise DataFormatError(path, None, "is a directory; --record takes a file")
    if path.exists():
        if not path.is_file():
            raise DataFormatError(path, None, "is not a regular file")
        with path.open("rb") as handle:
            head = handle.read(16)
        if head and head != _SQLITE_MAGIC:
            raise DataFormatError(path, None, "exists and is not an SQLite file; refusing to overwrite it")


class Store:
    """A recording database. Thread-safe; every write is its own transaction.

    With ``redact`` every value a user could have typed (arguments, results, errors, the query and
    the guard's reasons) is stored as a keyed hash (HMAC-SHA256, 128 bits) under a secret kept in a
    separate file beside the database (``<file>.key``, mode 0600); see :mod:`intentlens.proxy._redact`.
    """

    def __init__(self, path: str | Path, *, redact: bool = False, key_path: Path | None = None) -> None:
        self.url = str(path) if is_database_url(path) else None
        """A PostgreSQL URL (see :mod:`intentlens.proxy._postgres`), or None for an SQLite file."""
        self.path = Path(path) if self.url is None else Path("postgresql")
        self._lock = threading.Lock()
        self._db: Any
        if self.url is not None:
            self._db = PostgresConnection(self.url)
            self._migrate(self._db)
        else:
            _check_path(self.path)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not self.path.exists():
                fd = os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600)
                os.close(fd)
            os.chmod(self.path, 0o600)
            self._db = self._open()
        if redact and self.url is not None and key_path is None:
            raise IntentLensError("a redacted PostgreSQL store needs a key file (key_path)")
        self.redactor = Redactor.for_key(key_path or Redactor.key_path(self.path)) if redact else None
        if redact:
            self._set_info("redacted", "hmac-sha256-128")

    def _open(self, attempts: int = 40) -> sqlite3.Connection:
        """Connect, switch to WAL and migrate. Several proxies may open one new file at once: a
        journal-mode switch that meets another's lock is answered "locked" at once, whatever the busy
        timeout, so the whole opening is retried for a while before giving up."""
        for attempt in range(attempts):
            db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            try:
                db.execute("PRAGMA busy_timeout=10000")  # several proxies may record into one file
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                self._migrate(db)
                return db
            except sqlite3.OperationalError as exc:
                db.close()
                if "locked" not in str(exc) or attempt == attempts - 1:
                    raise DataFormatError(self.path, None, f"cannot be used as a recording ({exc})") from exc
                time.sleep(0.05 * (attempt + 1))
            except sqlite3.DatabaseError as exc:
                db.close()
                raise DataFormatError(self.path, None, f"cannot be used as a recording ({exc})") from exc
        raise AssertionError("unreachable")

    @property
    def redact(self) -> bool:
        """Whether values are stored as keyed hashes."""
        return self.redactor is not None

    def _set_info(self, key: str, value: str) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO store_info VALUES (?, ?)", (key, value))

    @staticmethod
    def _migrate(db: Any) -> None:
        db.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at REAL NOT NULL)")
        for name, sql in MIGRATIONS:
            db.execute("BEGIN IMMEDIATE")  # one process migrates; the others then see it done
            try:
                if db.execute("SELECT 1 FROM migrations WHERE name = ?", (name,)).fetchone() is None:
                    for statement in filter(str.strip, sql.split(";")):
                        db.execute(statement)
                    db.execute("INSERT INTO migrations VALUES (?, ?)", (name, time.time()))
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def _json(self, value: Any) -> str | None:
        if value is None:
            return None
        stored = self.redactor.value(value) if self.redactor else value
        return json.dumps(stored, ensure_ascii=False, default=str)

    def _text(self, value: str | None) -> str | None:
        return self.redactor.text(value) if self.redactor and value is not None else value

    def _verdict(self, verdict: Any) -> str | None:
        if not verdict:
            return None
        return json.dumps(self.redactor.verdict(verdict) if self.redactor else verdict, ensure_ascii=False,
                          default=str)

    def add_session(self, session_id: str, server: str, *, protocol_version: str | None = None,
                    client_info: Any = None, caller: str | None = None) -> None:
        """Record a session (first write wins)."""
        with self._lock:
            self._db.execute("INSERT OR IGNORE INTO sessions (id, server, started, protocol_version,"
                             " client_info, caller) VALUES (?, ?, ?, ?, ?, ?)",
                             (session_id, server, time.time(), protocol_version,
                              json.dumps(client_info) if client_info else None, caller))

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> int:
        """Run one write statement in its own transaction; the number of rows it changed."""
        with self._lock:
            return self._db.execute(sql, params).rowcount

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Rows of one read statement."""
        with self._lock:
            return list(self._db.execute(sql, params))

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

    def add_findings(self, session_id: str, server: str, findings: list[Any], action: str) -> None:
        """Record the poisoned tools a ``tools/list`` held (scan findings: the server wrote that text)."""
        now = time.time()
        with self._lock:
            self._db.executemany(
                "INSERT INTO findings (session_id, server, tool, detector, score, reason, evidence, action,"
                " found_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(session_id, server, f.tool, f.detector, f.score, f.reason,
                  f.evidence.model_dump_json() if f.evidence else None, action, now) for f in findings])

    def call_row(self, *, session_id: str, server: str, request_id: Any, tool: str,
                 arguments: Any, result: Any, is_error: bool | None, error: str | None,
                 started: float, latency_ms: float | None, protocol_version: str | None,
                 query: str | None = None, verdict: Any = None, forwarded: bool = True,
                 caller: str | None = None) -> tuple[Any, ...]:
        """The row for one finished (or refused) ``tools/call``, ready for :meth:`add_calls`."""
        return (session_id, server, json.dumps(request_id, default=str), tool, self._json(arguments),
                self._json(result), None if is_error is None else int(is_error), self._text(error), started,
                latency_ms, protocol_version, self._text(query), self._verdict(verdict), int(forwarded),
                caller)

    def verdict_row(self, *, session_id: str, server: str, request_id: Any, tool: str, query: str | None,
                    verdict: Any, forwarded: bool) -> tuple[Any, ...]:
        """The row for one guard decision, ready for :meth:`add_rows` (stored before forwarding)."""
        return (session_id, server, json.dumps(request_id, default=str), tool, self._text(query),
                self._verdict(verdict), int(forwarded), time.time())

    def add_calls(self, rows: list[tuple[Any, ...]]) -> None:
        """Record several calls in one transaction."""
        self.add_rows({"calls": rows})

    def add_rows(self, rows: dict[str, list[tuple[Any, ...]]]) -> None:
        """Record call and verdict rows in one transaction (group commit)."""
        with self._lock:
            self._db.execute("BEGIN")
            try:
                self._db.executemany(
                    "INSERT INTO calls (session_id, server, request_id, tool, arguments, result, is_error,"
                    " error, started, latency_ms, protocol_version, query, verdict, forwarded, caller)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows.get("calls", []))
                self._db.executemany(
                    "INSERT INTO verdicts (session_id, server, request_id, tool, query, verdict, forwarded,"
                    " decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows.get("verdicts", []))
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()


def open_untouched(source: Path | str) -> Store:
    """Open a recording that already exists; when it cannot be used, leave nothing beside it (no
    ``-wal`` or ``-shm`` file that opening it created)."""
    if isinstance(source, str) and is_database_url(source):
        return Store(source)
    path = Path(source)
    beside = [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm")]
    existed = {p for p in beside if p.exists()}
    try:
        problems = [" ".join(str(r[0]).split()) for r in read_rows(path, "PRAGMA quick_check")]
        if problems != ["ok"]:  # read only: a corrupt file is refused before anything is written
            raise DataFormatError(path, None, f"the recording is corrupt ({'; '.join(problems[:3])})")
        return Store(path)
    except IntentLensError:
        for extra in beside:
            if extra not in existed:
                extra.unlink(missing_ok=True)
        raise


def is_store(path: Path | str) -> bool:
    """True when ``path`` is an SQLite file (or a PostgreSQL URL) holding the proxy's tables."""
    if is_database_url(path):
        try:
            return {"sessions", "tools", "calls"} <= _postgres.tables(str(path))
        except IntentLensError:
            return False
    path = Path(path)
    try:
        if not path.is_file():
            return False
        with path.open("rb") as handle:
            if handle.read(16) != _SQLITE_MAGIC:
                return False
        names = {r[0] for r in read_rows(path, "SELECT name FROM sqlite_master WHERE type='table'")}
    except (OSError, DataFormatError):
        return False
    return {"sessions", "tools", "calls"} <= names


def read_rows(path: Path | str, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
    """Rows from a recording opened read-only (reading never changes the file); ``row["column"]``."""
    if is_database_url(path):
        return _postgres.read_rows(str(path), sql, params)
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DataFormatError(path, None, f"cannot open the recording ({exc})") from exc
    db.row_factory = sqlite3.Row
    try:
        return list(db.execute(sql, params))
    except sqlite3.DatabaseError as exc:
        raise DataFormatError(path, None, f"corrupt or unreadable recording ({exc})") from exc
    finally:
        db.close()


def store_info(path: Path | str) -> dict[str, str]:
    """What a recording says about itself (``redacted`` when values were stored as keyed hashes)."""
    if is_database_url(path):
        tables = _postgres.tables(str(path))
    else:
        tables = {r[0] for r in read_rows(path, "SELECT name FROM sqlite_master WHERE type='table'")}
    if "store_info" not in tables:
        return {}
    return {r["key"]: r["value"] for r in read_rows(path, "SELECT key, value FROM store_info")}

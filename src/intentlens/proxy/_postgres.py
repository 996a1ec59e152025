"""PostgreSQL behind the store's SQLite interface: the same schema and named migrations, for a gateway
that several processes or hosts share (``store = "postgresql://..."``, psycopg 3).

The store speaks SQLite's dialect; :class:`PostgresConnection` rewrites the few forms that differ
(placeholders, ``INSERT OR IGNORE``/``OR REPLACE``, column types, the migration lock) so that every
statement lives in one place and reads the same for both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from intentlens.errors import IntentLensError

_UPSERT_KEYS = {"store_info": ("key",)}
_MIGRATION_LOCK = 7_361_001


def is_database_url(source: object) -> bool:
    """True for a PostgreSQL connection URL (the store's other backend)."""
    return str(source).startswith(("postgresql://", "postgres://"))


def shown_url(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def translate(sql: str) -> str:
    """One SQLite statement in PostgreSQL's dialect."""
    text = sql.strip()
    if re.match(r"(CREATE|ALTER)\s", text, re.IGNORECASE):
        text = text.replace("INTEGER PRIMARY KEY AUTOINCREMENT", "BIGSERIAL PRIMARY KEY")
        return re.sub(r"\bREAL\b", "DOUBLE PRECISION", text)
    text = text.replace("?", "%s")
    if text.startswith("INSERT OR IGNORE INTO"):
        return text.replace("INSERT OR IGNORE INTO", "INSERT INTO", 1) + " ON CONFLICT DO NOTHING"
    if match := re.match(r"INSERT OR REPLACE INTO (\w+)", text):
        keys = _UPSERT_KEYS[match.group(1)]
        columns = _COLUMNS[match.group(1)]
        update = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c not in keys)
        return (text.replace("INSERT OR REPLACE INTO", "INSERT INTO", 1)
                + f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {update}")
    return text


_COLUMNS = {"store_info": ("key", "value")}


class PostgresConnection:
    """A psycopg connection with the calls the store makes on an ``sqlite3.Connection``."""

    def __init__(self, url: str) -> None:
        try:
            import psycopg
        except ImportError as exc:
            raise IntentLensError("a postgresql:// store needs psycopg: pip install -e '.[postgres]'"
                                  ) from exc
        try:
            self._db = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            raise IntentLensError(f"cannot connect to {shown_url(url)}: {_one_line(exc)}") from exc

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        if sql.strip() == "BEGIN IMMEDIATE":  # one process migrates at a time
            self._db.execute("BEGIN")
            return self._db.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
        return self._db.execute(translate(sql), tuple(params))

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        if rows:
            with self._db.cursor() as cursor:
                cursor.executemany(translate(sql), rows)

    def close(self) -> None:
        self._db.close()


def read_rows(url: str, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    """Rows of one read statement, as dicts (``row["column"]`` as with ``sqlite3.Row``)."""
    import psycopg
    from psycopg.rows import dict_row

    try:
        with psycopg.connect(url, connect_timeout=10, row_factory=dict_row) as db:
            return list(db.execute(translate(sql), params))
    except psycopg.Error as exc:
        raise IntentLensError(f"cannot read {shown_url(url)}: {_one_line(exc)}") from exc


def tables(url: str) -> set[str]:
    """The tables of the store's schema."""
    rows = read_rows(url, "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                          "current_schema()")
    return {r["table_name"] for r in rows}


def _one_line(exc: Exception) -> str:
    """A driver's message on one line (psycopg's span several, with tabs)."""
    return " ".join(str(exc).split())

"""A persistent response cache in SQLite, keyed by a hash of the whole request."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from intentlens.backends._base import Completion, GenerationSettings, Message


def request_key(
    backend: str,
    messages: list[Message],
    schema: dict[str, Any] | None,
    settings: GenerationSettings,
) -> str:
    """A stable hash of everything that determines a reply."""
    payload = {
        "backend": backend,
        "messages": [m.model_dump() for m in messages],
        "schema": schema,
        "settings": settings.model_dump(),
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class ResponseCache:
    """Completions stored by request key. Safe to share between tasks and threads."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS responses ("
            " key TEXT PRIMARY KEY, backend TEXT NOT NULL, completion TEXT NOT NULL,"
            " created REAL NOT NULL)"
        )

    def get(self, key: str) -> Completion | None:
        """The stored completion for ``key``, or None."""
        with self._lock:
            row = self._db.execute(
                "SELECT completion FROM responses WHERE key = ?", (key,)
            ).fetchone()
        return Completion.model_validate_json(row[0]) if row else None

    def put(self, key: str, completion: Completion) -> None:
        """Store ``completion`` under ``key`` (first write wins)."""
        with self._lock:
            self._db.execute(
                "INSERT OR IGNORE INTO responses (key, backend, completion, created)"
                " VALUES (?, ?, ?, ?)",
                (key, completion.model, completion.model_dump_json(), time.time()),
            )

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM responses").fetchone()[0])

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()

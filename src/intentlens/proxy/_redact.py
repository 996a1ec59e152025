"""Redaction for recordings: values become keyed hashes that only the holder of the key can link.

A plain hash of a short value (a PIN, a postcode) is reversed by trying every candidate; a keyed
hash (HMAC-SHA256 under a random 256-bit secret, kept to 128 bits) is not, unless the secret leaks.
The secret lives in its own file beside the recording (``<recording>.key``, mode 0600): share the
recording without it and nobody can test a guess; delete it and even you cannot link values again.
Equal values keep equal hashes within one recording, so an audit can still count repeats.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import time
from pathlib import Path
from typing import Any

from intentlens.errors import DataFormatError

DIGEST_HEX = 32
"""Hex digits kept of each HMAC (128 bits)."""
_VERDICT_KEYS = {"id", "guard", "aligned", "index", "tool", "tool_intent_ok", "name", "provenance",
                 "meaning_preserved", "settled_by", "judge_calls", "skipped", "gold", "gold_steps",
                 "usage", "seconds"}
"""Verdict fields that hold only structure (never text from the user or the server): kept as they are."""


class Redactor:
    """Hashes values under one secret."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("a redaction secret needs at least 128 bits")
        self._secret = secret

    @classmethod
    def for_store(cls, store: Path) -> Redactor:
        """The redactor of a recording: its key file is created on first use (0600), then reused."""
        return cls.for_key(cls.key_path(store))

    @staticmethod
    def key_path(store: Path) -> Path:
        """Where a recording's key lives: ``<recording>.key`` beside it."""
        return store.with_name(store.name + ".key")

    @classmethod
    def for_key(cls, key_path: Path) -> Redactor:
        """The redactor whose secret is in ``key_path``, created there on first use (0600)."""
        try:
            fd = os.open(key_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            return cls(_read_key(key_path))
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_hex(32) + "\n")
        return cls(_read_key(key_path))

    def digest(self, value: Any) -> str:
        """``<redacted:...>``: the keyed hash of ``value``'s JSON form."""
        data = json.dumps(value, sort_keys=True, default=str, ensure_ascii=False).encode()
        return f"<redacted:{hmac.new(self._secret, data, hashlib.sha256).hexdigest()[:DIGEST_HEX]}>"

    def value(self, value: Any) -> Any:
        """Keep the shape, hide the values: keys stay, leaves become keyed hashes."""
        if isinstance(value, dict):
            return {str(k): self.value(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if value is None or isinstance(value, bool):
            return value
        return self.digest(value)

    def text(self, value: str) -> str:
        """A free-text column (an error message, the query) as one keyed hash."""
        return self.digest(value)

    def verdict(self, verdict: Any) -> Any:
        """A guard verdict with its structure kept and every reason or quoted value hashed."""
        if isinstance(verdict, dict):
            return {k: v if k == "usage" or (k in _VERDICT_KEYS and not isinstance(v, dict | list))
                    else self.verdict(v) for k, v in verdict.items()}
        if isinstance(verdict, list):
            return [self.verdict(v) for v in verdict]
        return self.value(verdict)


def _read_key(path: Path) -> bytes:
    for _ in range(50):  # another proxy may be writing it this very moment
        try:
            text = path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise DataFormatError(path, None, f"cannot read the redaction key ({exc})") from exc
        if text:
            try:
                return bytes.fromhex(text)
            except ValueError as exc:
                raise DataFormatError(path, None, "the redaction key is not hex") from exc
        time.sleep(0.02)
    raise DataFormatError(path, None, "the redaction key file is empty")

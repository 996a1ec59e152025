"""Bearer tokens: created and revoked from the command line, stored only as salted hashes.

A token reads ``ilt_<id>_<secret>``: the id finds its row, the secret (256 random bits) is checked
against ``sha256(salt + secret)`` in constant time. A slow password hash buys nothing for a secret
of this strength and would cost every request; the store never holds the secret itself. Each token
lists the servers it may reach. Tokens are read from the store on every request, so a revocation
applies to the very next one, in every gateway process sharing the store.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import time
from dataclasses import dataclass

from intentlens.errors import IntentLensError
from intentlens.proxy import Store

_TOKEN = re.compile(r"^ilt_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$")
TOKEN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")


@dataclass(frozen=True)
class Token:
    """A token's record (never its secret)."""

    name: str
    servers: tuple[str, ...]
    created_at: float
    revoked_at: float | None

    def reaches(self, server: str) -> bool:
        return "*" in self.servers or server in self.servers


def _hash(salt: str, secret: str) -> str:
    return hashlib.sha256(bytes.fromhex(salt) + secret.encode()).hexdigest()


class TokenBook:
    """The tokens in one store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, name: str, servers: list[str]) -> str:
        """Create a token; returns the only copy of its secret."""
        if not TOKEN_NAME.match(name):
            raise IntentLensError(f"token name {name!r}: use letters, digits and . _ @ - (at most 64)")
        if not servers:
            raise IntentLensError("name the servers the token may reach (--servers a,b, or '*')")
        if self.store.query("SELECT 1 FROM tokens WHERE name = ?", (name,)):
            raise IntentLensError(f"a token named {name!r} exists already (revoke it first)")
        token_id, secret, salt = secrets.token_hex(8), secrets.token_urlsafe(32), secrets.token_hex(16)
        self.store.execute("INSERT INTO tokens VALUES (?, ?, ?, ?, ?, ?, NULL)",
                           (token_id, name, salt, _hash(salt, secret), json.dumps(sorted(set(servers))),
                            time.time()))
        return f"ilt_{token_id}_{secret}"

    def revoke(self, name: str) -> None:
        """Revoke a token; its row stays (the recording still names its calls) but it opens nothing."""
        if not self.store.execute("UPDATE tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
                                  (time.time(), name)):
            raise IntentLensError(f"no active token named {name!r}")

    def all(self) -> list[Token]:
        rows = self.store.query("SELECT name, servers, created_at, revoked_at FROM tokens ORDER BY name")
        return [Token(n, tuple(json.loads(s)), c, r) for n, s, c, r in rows]

    def verify(self, presented: str) -> Token | None:
        """The live token ``presented`` is, or None (unknown, wrong secret or revoked)."""
        match = _TOKEN.match(presented)
        if match is None:
            return None
        token_id, secret = match.groups()
        rows = self.store.query("SELECT name, salt, hash, servers, created_at, revoked_at FROM tokens "
                                "WHERE id = ?", (token_id,))
        if not rows:
            return None
        name, salt, digest, servers, created, revoked = rows[0]
        if not hmac.compare_digest(_hash(salt, secret), digest) or revoked is not None:
            return None
        return Token(name, tuple(json.loads(servers)), created, revoked)

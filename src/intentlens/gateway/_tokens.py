"""Bearer tokens: created and revoked from the command line, stored only as salted hashes.

A token reads ``ilt_<id>_<secret>``: the id finds its row, the secret (256 random bits) is checked
against ``sha256(salt + secret)`` in constant time. A slow password hash buys nothing for a secret
of this strength and would cost every request; the store never holds the secret itself. Each token
lists the servers it may reach, its roles and, optionally, the tools it may call. Tokens are read
from the store on every request, so a revocation applies to the very next one, in every gateway
process sharing the store.

Roles (a token holds one or more):

- ``client``: the MCP endpoints and the ``/v1`` model pass-through;
- ``viewer``: the dashboard, read only, for the servers the token reaches;
- ``admin``: the dashboard and approving holds on the servers it reaches; with ``*`` it also
  manages tokens and adds or removes servers at run time (pages and ``/admin`` API).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import time
from dataclasses import dataclass
from fnmatch import fnmatchcase

from intentlens.errors import IntentLensError
from intentlens.proxy import Store

_TOKEN = re.compile(r"^ilt_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$")
TOKEN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
ROLES = ("client", "viewer", "admin")
TOOL_PATTERN = re.compile(r"^[A-Za-z0-9*?][A-Za-z0-9*?-]{0,63}/[^\s/]{1,128}$")
"""A tool allow-list entry: ``server/tool``, either part may hold ``*`` and ``?`` wildcards."""


@dataclass(frozen=True)
class Token:
    """A token's record (never its secret)."""

    name: str
    servers: tuple[str, ...]
    created_at: float
    revoked_at: float | None
    roles: tuple[str, ...] = ("client",)
    tools: tuple[str, ...] | None = None
    """``server/tool`` patterns it may call (None: every tool of the servers it reaches)."""

    def reaches(self, server: str) -> bool:
        return "*" in self.servers or server in self.servers

    def can(self, role: str) -> bool:
        """Whether the token holds ``role`` (``admin`` includes ``viewer``)."""
        return role in self.roles or (role == "viewer" and "admin" in self.roles)

    @property
    def reaches_all(self) -> bool:
        return "*" in self.servers


def tool_allowed(patterns: tuple[str, ...] | None, server: str, tool: str) -> bool:
    """Whether an allow-list lets a token call (and see) ``tool`` of ``server``."""
    return patterns is None or any(fnmatchcase(f"{server}/{tool}", p) for p in patterns)


def check_roles(roles: list[str]) -> tuple[str, ...]:
    unknown = [r for r in roles if r not in ROLES]
    if unknown or not roles:
        raise IntentLensError(f"roles are {', '.join(ROLES)} (got {', '.join(map(repr, roles)) or 'none'})")
    return tuple(r for r in ROLES if r in roles)


def check_tools(tools: list[str] | None) -> tuple[str, ...] | None:
    if tools is None:
        return None
    bad = [t for t in tools if not TOOL_PATTERN.match(t)]
    if bad:
        raise IntentLensError(f"tool patterns read server/tool, with * or ? as wildcards (got "
                              f"{', '.join(map(repr, bad))})")
    return tuple(tools)


def _hash(salt: str, secret: str) -> str:
    return hashlib.sha256(bytes.fromhex(salt) + secret.encode()).hexdigest()


class TokenBook:
    """The tokens in one store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, name: str, servers: list[str], roles: list[str] | tuple[str, ...] = ("client",),
            tools: list[str] | None = None) -> str:
        """Create a token; returns the only copy of its secret."""
        if not TOKEN_NAME.match(name):
            raise IntentLensError(f"token name {name!r}: use letters, digits and . _ @ - (at most 64)")
        if not servers:
            raise IntentLensError("name the servers the token may reach (--servers a,b, or '*')")
        kept_roles, kept_tools = check_roles(list(roles)), check_tools(tools)
        if self.store.query("SELECT 1 FROM tokens WHERE name = ?", (name,)):
            raise IntentLensError(f"a token named {name!r} exists already (revoke it first)")
        token_id, secret, salt = secrets.token_hex(8), secrets.token_urlsafe(32), secrets.token_hex(16)
        self.store.execute("INSERT INTO tokens (id, name, salt, hash, servers, created_at, revoked_at, "
                           "roles, tools) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?)",
                           (token_id, name, salt, _hash(salt, secret), json.dumps(sorted(set(servers))),
                            time.time(), json.dumps(list(kept_roles)),
                            None if kept_tools is None else json.dumps(list(kept_tools))))
        return f"ilt_{token_id}_{secret}"

    def revoke(self, name: str) -> None:
        """Revoke a token; its row stays (the recording still names its calls) but it opens nothing."""
        if not self.store.execute("UPDATE tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
                                  (time.time(), name)):
            raise IntentLensError(f"no active token named {name!r}")

    def all(self) -> list[Token]:
        rows = self.store.query("SELECT name, servers, created_at, revoked_at, roles, tools FROM tokens "
                                "ORDER BY name")
        return [_token(*row) for row in rows]

    def verify(self, presented: str) -> Token | None:
        """The live token ``presented`` is, or None (unknown, wrong secret or revoked)."""
        match = _TOKEN.match(presented)
        if match is None:
            return None
        token_id, secret = match.groups()
        rows = self.store.query("SELECT salt, hash, name, servers, created_at, revoked_at, roles, tools "
                                "FROM tokens WHERE id = ?", (token_id,))
        if not rows:
            return None
        salt, digest, *fields = rows[0]
        if not hmac.compare_digest(_hash(salt, secret), digest) or fields[3] is not None:
            return None
        return _token(*fields)


def _token(name: str, servers: str, created: float, revoked: float | None, roles: str | None,
           tools: str | None) -> Token:
    return Token(name, tuple(json.loads(servers)), created, revoked,
                 tuple(json.loads(roles)) if roles else ("client",),
                 tuple(json.loads(tools)) if tools else None)

"""OAuth 2.1 access tokens in place of local tokens: the gateway as an MCP resource server.

A bearer that is a JWT is validated against the configured issuer's JWKS (signature, ``iss``,
``aud``, expiry; PyJWT, keys cached). Its ``sub`` (or ``name_claim``) names the caller, recorded as
``oauth:<sub>``, its ``servers_claim`` (a list, or a space-separated string; ``*`` for all) lists
the servers it reaches, its ``roles_claim`` its roles (``default_roles`` when absent; unknown roles
are dropped) and its ``tools_claim``, when present, the ``server/tool`` patterns it may call. A 401
carries ``WWW-Authenticate: Bearer resource_metadata=...`` and the
Protected Resource Metadata document is served at ``/.well-known/oauth-protected-resource``, as the
MCP authorization spec asks of a resource server.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from intentlens.errors import IntentLensError
from intentlens.gateway._tokens import ROLES, TOOL_PATTERN, Token

logger = logging.getLogger(__name__)
METADATA_PATH = "/.well-known/oauth-protected-resource"


class OAuthConfig(BaseModel):
    """``[oauth]`` in gateway.toml."""

    model_config = ConfigDict(extra="forbid")

    issuer: str
    jwks_url: str
    audience: str
    """This gateway's resource identifier (its public URL); tokens must be issued for it."""
    servers_claim: str = "mcp_servers"
    roles_claim: str = "intentlens_roles"
    default_roles: list[Literal["client", "viewer", "admin"]] = ["client"]
    tools_claim: str = "mcp_tools"
    name_claim: str = "sub"
    algorithms: list[str] = ["RS256", "ES256"]


def looks_like_jwt(presented: str) -> bool:
    return presented.count(".") == 2 and not presented.startswith("ilt_")


class OAuthVerifier:
    """Validates access tokens; never raises (an invalid token is None)."""

    def __init__(self, config: OAuthConfig) -> None:
        try:
            import jwt
        except ImportError as exc:
            raise IntentLensError("[oauth] needs PyJWT: pip install -e '.[oauth]'") from exc

        self.config = config
        self._jwt = jwt
        self._keys = jwt.PyJWKClient(config.jwks_url, cache_keys=True, lifespan=300, timeout=10)

    def _verify(self, presented: str) -> Token | None:
        try:
            key = self._keys.get_signing_key_from_jwt(presented)
            claims: dict[str, Any] = self._jwt.decode(
                presented, key.key, algorithms=self.config.algorithms, audience=self.config.audience,
                issuer=self.config.issuer, options={"require": ["exp", "iss", "aud"]})
        except (self._jwt.PyJWTError, ValueError) as exc:
            logger.info("refused an access token: %s", exc)
            return None
        name = claims.get(self.config.name_claim)
        if not isinstance(name, str) or not name:
            return None
        servers = _words(claims.get(self.config.servers_claim))
        roles = tuple(r for r in ROLES if r in _words(claims.get(self.config.roles_claim)))
        tools = None
        if self.config.tools_claim in claims:
            tools = tuple(t for t in _words(claims[self.config.tools_claim]) if TOOL_PATTERN.match(t))
        if self.config.roles_claim not in claims:
            roles = tuple(self.config.default_roles)
        return Token(f"oauth:{name}", servers, float(claims.get("iat") or time.time()), None, roles, tools)

    async def verify(self, presented: str) -> Token | None:
        """The token's caller and reach, or None (fetching keys runs off the event loop)."""
        return await asyncio.to_thread(self._verify, presented)

    def metadata(self) -> dict[str, Any]:
        """The Protected Resource Metadata document (RFC 9728)."""
        return {"resource": self.config.audience, "authorization_servers": [self.config.issuer],
                "bearer_methods_supported": ["header"]}


def _words(claim: Any) -> tuple[str, ...]:
    """A claim that is a list of strings, or one space-separated string."""
    if isinstance(claim, str):
        return tuple(claim.split())
    if isinstance(claim, list):
        return tuple(str(c) for c in claim if isinstance(c, str))
    return ()

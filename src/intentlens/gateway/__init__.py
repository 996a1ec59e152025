"""The gateway: intentlens in front of a team's MCP servers, over Streamable HTTP, with tokens.

See ``docs/guides/gateway.md`` for the configuration file and ``docs/security/gateway.md`` for what is
authenticated, what is stored where, and what fails closed.
"""

from intentlens.gateway._app import Gateway
from intentlens.gateway._config import SEPARATOR, GatewayConfig, load_config
from intentlens.gateway._tokens import Token, TokenBook

__all__ = ["SEPARATOR", "Gateway", "GatewayConfig", "Token", "TokenBook", "load_config"]

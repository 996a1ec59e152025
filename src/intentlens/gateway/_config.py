"""``gateway.toml``: what the gateway serves, to whom, and with which checks.

Every problem is reported as ``FILE:LINE: what is wrong`` (the line of the offending key when it can
be found), never as a traceback.
"""

from __future__ import annotations

import ipaddress
import re
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from intentlens.errors import DataFormatError
from intentlens.gateway._oauth import OAuthConfig
from intentlens.proxy import HttpEndpoint, ProcessLimits, StdioCommand
from intentlens.proxy._postgres import is_database_url

SERVER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,63}$")
"""Server names: letters, digits and hyphens (never ``_``, so ``server__tool`` splits one way only)."""
SEPARATOR = "__"
"""Between the server and the tool name on the aggregate endpoint: ``time__convert_time``."""
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LimitsConfig(_Strict):
    """``[servers.NAME.limits]``: what a stdio server's process may use (see
    :class:`~intentlens.proxy.ProcessLimits`)."""

    memory_mb: Annotated[int, Field(gt=0)] | None = None
    cpu_seconds: Annotated[int, Field(gt=0)] | None = None
    open_files: Annotated[int, Field(gt=2)] | None = None
    network: bool = True


class ServerConfig(_Strict):
    """One upstream: a stdio command, or a Streamable HTTP URL."""

    command: str | None = None
    args: list[str] = []
    env: dict[str, str] = {}
    cwd: str | None = None
    url: str | None = None
    headers: dict[str, str] = {}
    limits: LimitsConfig | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> ServerConfig:
        if (self.command is None) == (self.url is None):
            raise ValueError("give either command (a stdio server) or url (Streamable HTTP), not both")
        if self.url is not None and not _http_url(self.url):
            raise ValueError("url must be an http:// or https:// address with a host")
        if self.url is not None and self.limits is not None:
            raise ValueError("limits apply to a stdio server's process (command), not to a url")
        return self

    def upstream(self) -> StdioCommand | HttpEndpoint:
        if self.url is not None:
            return HttpEndpoint(self.url, dict(self.headers))
        assert self.command is not None
        limits = ProcessLimits(**self.limits.model_dump()) if self.limits is not None else None
        return StdioCommand(self.command, tuple(self.args), dict(self.env), self.cwd, limits)


class GuardConfig(_Strict):
    """The guard every ``tools/call`` goes through (none by default)."""

    name: str
    backend: str | None = None
    """Judge backend (``INTENTLENS_BACKEND`` or the offline default when unset)."""
    no_query: Literal["block", "allow"] = "block"
    fail_open: bool = False
    timeout: Annotated[float, Field(gt=0, lt=3600)] = 60.0
    query_file: str | None = None


class LlmConfig(_Strict):
    """The OpenAI-compatible model API that ``/v1/chat/completions`` forwards to."""

    url: str
    """The API's base URL, as an OpenAI client takes it (``https://api.openai.com/v1``)."""
    api_key_env: str | None = "OPENAI_API_KEY"
    """Environment variable holding the upstream key (sent as ``Authorization: Bearer``)."""
    query_max_age: Annotated[float, Field(gt=0)] = 600.0

    @model_validator(mode="after")
    def _scheme(self) -> LlmConfig:
        if not _http_url(self.url):
            raise ValueError(f"llm.url {self.url!r} must be an http:// or https:// address with a host")
        return self


class OtelConfig(_Strict):
    """OpenTelemetry export: one span per MCP request."""

    endpoint: str | None = None
    """An OTLP/HTTP endpoint (``http://collector:4318``)."""
    file: str | None = None
    """OTLP/JSON lines, relative to this file."""
    content: bool = False
    """Arguments, results and the query in the spans (refused with ``redact = true``)."""


class GatewayOptions(_Strict):
    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=0, le=65535)] = 8765
    store: str = "gateway.sqlite"
    """Recording: an SQLite file (relative to the config file's folder) or a ``postgresql://`` URL."""
    auth: bool = True
    allowed_hosts: list[str] = []
    """``Host`` values accepted besides the loopback names (any port)."""
    allowed_origins: list[str] = []
    """``Origin`` values accepted besides loopback origins."""
    max_body_bytes: Annotated[int, Field(gt=0)] = 4 * 1024 * 1024
    timeout: Annotated[float, Field(gt=0, lt=86400)] = 120.0
    session_idle_seconds: Annotated[float, Field(gt=0)] = 1800.0
    max_sessions_per_token: Annotated[int, Field(gt=0)] = 256
    redact: bool = False
    rate_limit_per_minute: Annotated[int, Field(ge=0)] = 0
    """Calls per minute per token (0: no limit)."""
    pin: bool = True
    shadowing: bool = True
    scan: Literal["quarantine", "flag", "off"] = "quarantine"
    scan_detector: str = "cascade"
    runtime_commands: bool = False
    """Let an admin add stdio servers (a command the gateway runs) at run time; URL servers always."""
    listing_max_age: Annotated[float, Field(ge=0)] = 300.0
    """Seconds the aggregate endpoint reuses a server's tool listing for every session (0: never)."""


class GatewayConfig(_Strict):
    """The whole file."""

    gateway: GatewayOptions = GatewayOptions()
    servers: dict[str, ServerConfig]
    guard: GuardConfig | None = None
    llm: LlmConfig | None = None
    otel: OtelConfig | None = None
    oauth: OAuthConfig | None = None
    path: Path = Path("gateway.toml")

    @model_validator(mode="after")
    def _names(self) -> GatewayConfig:
        if not self.servers:
            raise ValueError("[servers] is empty: name at least one server")
        for name in self.servers:
            if not SERVER_NAME.match(name):
                raise ValueError(f"server name {name!r}: use letters, digits and hyphens (at most 64)")
        if self.otel is not None and self.otel.content and self.gateway.redact:
            raise ValueError("otel.content = true would export the values redact = true hides")
        if not self.gateway.auth and not _loopback(self.gateway.host):
            raise ValueError(f"refusing to serve {self.gateway.host} without authentication: set auth = "
                             "true or bind a loopback address")
        return self

    def store_path(self) -> Path | str:
        """The recording: a PostgreSQL URL as given, or an SQLite file relative to this file."""
        if is_database_url(self.gateway.store):
            return self.gateway.store
        return (self.path.parent / self.gateway.store).resolve()

    def store_problem(self) -> str | None:
        """Why the recording cannot be created where the file says, or None."""
        store = self.store_path()
        if isinstance(store, Path) and not store.parent.is_dir():
            return f"gateway.store: the folder {str(store.parent)!r} does not exist (create it first)"
        return None

    def key_path(self) -> Path:
        """The redaction key: beside an SQLite recording, beside this file for PostgreSQL."""
        store = self.store_path()
        return Path(f"{store}.key") if isinstance(store, Path) else self.path.with_suffix(".key")


def _http_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _line_of(text: str, key: Any) -> int | None:
    if not isinstance(key, str):
        return None
    name = re.escape(key)  # a table header naming it, a key, or a quoted value
    pattern = re.compile(rf"^\s*(\[[^\]]*\b{name}\b[^\]]*\]|\"?{name}\"?\s*=|.*\"{name}\")", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def load_config(path: Path) -> GatewayConfig:
    """Read and check ``path``; every problem is a :class:`DataFormatError` naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise DataFormatError(path, None, "no such gateway config (see docs/guides/gateway.md for a "
                                          "sample)") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFormatError(path, None, f"cannot read the gateway config ({exc})") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        line = int(found.group(1)) if found else None
        raise DataFormatError(path, line, f"not valid TOML ({exc})") from exc
    try:
        return GatewayConfig.model_validate({**data, "path": path})
    except ValidationError as exc:
        first = exc.errors()[0]
        message = str(first["msg"]).removeprefix("Value error, ")
        named = re.findall(r"'([^']+)'", message) + re.findall(r"serve (\S+) without", message)
        line = next((n for key in [*reversed(first["loc"]), *named] if (n := _line_of(text, key))), None)
        where = ".".join(str(p) for p in first["loc"])
        raise DataFormatError(path, line, f"{where}: {message}" if where else message) from exc

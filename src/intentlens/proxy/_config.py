"""Reading the usual MCP host configurations: ``mcpServers`` (Claude, Cursor) and ``servers`` (VS Code).

``${VAR}`` and ``${env:VAR}`` in a command, its arguments, environment, URL or headers are replaced by
the environment variable; an unset one is an error naming it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from intentlens.core import read_json
from intentlens.errors import DataFormatError
from intentlens.proxy._http import HttpEndpoint
from intentlens.proxy._upstream import StdioCommand

UpstreamSpec = StdioCommand | HttpEndpoint
"""How to reach one upstream server: a command to launch, or a URL."""
_VARIABLE = re.compile(r"\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)\}")


def _expand(text: str, path: Path, where: str) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise DataFormatError(path, None, f"{where}: environment variable {name} is not set")
        return os.environ[name]

    return _VARIABLE.sub(value, text)


def _strings(value: Any, path: Path, where: str) -> Any:
    if isinstance(value, str):
        return _expand(value, path, where)
    if isinstance(value, list):
        return [_strings(v, path, where) for v in value]
    if isinstance(value, dict):
        return {str(k): _strings(v, path, where) for k, v in value.items()}
    return value


def server_entry(name: str, entry: Any, path: Path) -> UpstreamSpec:
    """One server entry: ``{"command", "args", "env", "cwd"}`` or ``{"url", "headers"}``."""
    where = f"servers.{name}"
    if not isinstance(entry, dict):
        raise DataFormatError(path, None, f"{where}: expected an object")
    entry = _strings(entry, path, where)
    if "url" in entry and "command" not in entry:
        headers = entry.get("headers") or {}
        if not isinstance(entry["url"], str) or not isinstance(headers, dict):
            raise DataFormatError(path, None, f"{where}: 'url' must be a string, 'headers' an object")
        return HttpEndpoint(url=entry["url"], headers={str(k): str(v) for k, v in headers.items()})
    if not isinstance(entry.get("command"), str) or not entry["command"]:
        raise DataFormatError(path, None, f"{where}: missing 'command' (or 'url')")
    args = entry.get("args") or []
    env = entry.get("env") or {}
    cwd = entry.get("cwd")
    if not isinstance(args, list) or not isinstance(env, dict) or not isinstance(cwd, str | None):
        raise DataFormatError(path, None, f"{where}: 'args' must be a list, 'env' an object, 'cwd' a string")
    return StdioCommand(command=entry["command"], args=tuple(str(a) for a in args),
                        env={str(k): str(v) for k, v in env.items()}, cwd=cwd)


def load_servers(path: Path) -> dict[str, UpstreamSpec]:
    """Every server of a host configuration file, by name."""
    data = read_json(path)
    servers = None
    if isinstance(data, dict):
        servers = data.get("mcpServers") if "mcpServers" in data else data.get("servers")
    if not isinstance(servers, dict) or not servers:
        raise DataFormatError(path, None, "expected a non-empty 'mcpServers' (or VS Code 'servers') object")
    return {str(name): server_entry(str(name), entry, path) for name, entry in servers.items()}


def pick_server(servers: dict[str, UpstreamSpec], name: str | None, path: Path) -> tuple[str, UpstreamSpec]:
    """The server to relay: the named one, or the only one."""
    if name is None:
        if len(servers) != 1:
            raise DataFormatError(path, None, f"several servers ({', '.join(servers)}): pass --server")
        name = next(iter(servers))
    if name not in servers:
        raise DataFormatError(path, None, f"no server {name!r}; known: {', '.join(servers)}")
    return name, servers[name]

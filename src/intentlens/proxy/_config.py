"""Reading the usual ``mcpServers`` JSON configuration."""

from __future__ import annotations

import json
from pathlib import Path

from intentlens.errors import DataFormatError
from intentlens.proxy._http import HttpEndpoint
from intentlens.proxy._upstream import StdioCommand

UpstreamSpec = StdioCommand | HttpEndpoint
"""How to reach one upstream server: a command to launch, or a URL."""


def load_servers(path: Path) -> dict[str, UpstreamSpec]:
    """``{"mcpServers": {name: {"command", "args", "env", "cwd"} | {"url", "headers"}}}`` by name."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DataFormatError(path, None, "no such file") from exc
    except json.JSONDecodeError as exc:
        raise DataFormatError(path, exc.lineno, f"invalid JSON ({exc.msg})") from exc
    servers = data.get("mcpServers") if isinstance(data, dict) else None
    if not isinstance(servers, dict) or not servers:
        raise DataFormatError(path, None, "expected a non-empty 'mcpServers' object")
    found: dict[str, UpstreamSpec] = {}
    for name, entry in servers.items():
        if not isinstance(entry, dict):
            raise DataFormatError(path, None, f"mcpServers.{name}: expected an object")
        if "url" in entry and "command" not in entry:
            headers = entry.get("headers") or {}
            if not isinstance(entry["url"], str) or not isinstance(headers, dict):
                raise DataFormatError(path, None, f"mcpServers.{name}: 'url' must be a string, "
                                      "'headers' an object")
            found[name] = HttpEndpoint(url=entry["url"], headers={str(k): str(v) for k, v in headers.items()})
            continue
        if not isinstance(entry.get("command"), str):
            raise DataFormatError(path, None, f"mcpServers.{name}: missing 'command'")
        args = entry.get("args") or []
        env = entry.get("env") or {}
        if not isinstance(args, list) or not isinstance(env, dict):
            raise DataFormatError(path, None, f"mcpServers.{name}: 'args' must be a list, 'env' an object")
        found[name] = StdioCommand(command=entry["command"], args=tuple(str(a) for a in args),
                                   env={str(k): str(v) for k, v in env.items()},
                                   cwd=entry.get("cwd"))
    return found


def pick_server(servers: dict[str, UpstreamSpec], name: str | None, path: Path) -> tuple[str, UpstreamSpec]:
    """The server to relay: the named one, or the only one."""
    if name is None:
        if len(servers) != 1:
            raise DataFormatError(path, None, f"several servers ({', '.join(servers)}): pass --server")
        name = next(iter(servers))
    if name not in servers:
        raise DataFormatError(path, None, f"no server {name!r}; known: {', '.join(servers)}")
    return name, servers[name]

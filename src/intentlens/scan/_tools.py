"""Where the tools to scan come from: a running server (a ``servers.json`` entry, started the way the
proxy starts it) or a file of tool definitions."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intentlens.core import ToolSpec, iter_jsonl, read_json
from intentlens.errors import DataFormatError, IntentLensError

if TYPE_CHECKING:
    from intentlens.proxy import UpstreamSpec


def _tool(record: Any, server: str | None, path: Path, where: str) -> ToolSpec:
    if not isinstance(record, dict):
        raise DataFormatError(path, None, f"{where}: a tool must be an object")
    name = record.get("name", record.get("tool_name"))
    description = record.get("description", record.get("tool_content", ""))
    schema = record.get("inputSchema", record.get("input_schema", record.get("parameters"))) or {}
    if not isinstance(name, str) or not isinstance(description, str) or not isinstance(schema, dict):
        raise DataFormatError(path, None, f"{where}: a tool needs a string 'name' and 'description'")
    owner = record.get("server", record.get("server_name", server))
    return ToolSpec(name=name, description=description, input_schema=schema,
                    server=str(owner) if owner is not None else None)


def tools_from_file(path: Path) -> list[ToolSpec]:
    """Tools from a JSON list of definitions, a ``tools/list`` result (or its JSON-RPC reply), or
    JSON Lines with one definition per line; each may name its ``server``."""
    if not path.is_file():
        raise DataFormatError(path, None, "no such file")
    server = path.stem
    if path.suffix == ".jsonl":
        return [_tool(record, server, path, f"line {line}") for line, record in iter_jsonl(path)]
    data = read_json(path)
    if isinstance(data, dict):
        data = data.get("result", data)
        data = data.get("tools") if isinstance(data, dict) else data
    if not isinstance(data, list):
        raise DataFormatError(path, None, "expected a list of tools, or an object with 'tools'")
    return [_tool(record, server, path, f"tool {index}") for index, record in enumerate(data)]


async def tools_from_server(name: str, spec: UpstreamSpec, *, timeout: float = 60.0) -> list[ToolSpec]:
    """The tools a server lists, asked over its own transport with the ``mcp`` SDK client."""
    import asyncio

    from mcp import Client, StdioServerParameters

    from intentlens.proxy import HttpEndpoint, StdioCommand

    if isinstance(spec, StdioCommand):
        target: Any = StdioServerParameters(command=spec.command, args=list(spec.args),
                                            env={**os.environ, **spec.env}, cwd=spec.cwd)
    elif isinstance(spec, HttpEndpoint):
        target = spec.url
    else:  # pragma: no cover - every spec is one of the two
        raise IntentLensError(f"cannot reach server {name!r}")

    async def listed() -> list[ToolSpec]:
        async with Client(target, mode="auto") as client:
            result = await client.list_tools()
        return [ToolSpec(name=t.name, description=t.description or "", input_schema=t.input_schema or {},
                         server=name) for t in result.tools]

    try:
        return await asyncio.wait_for(listed(), timeout=timeout)
    except TimeoutError as exc:
        raise IntentLensError(f"server {name!r} did not list its tools within {timeout:g} s") from exc
    except Exception as exc:  # noqa: BLE001 - whatever the SDK raises, the user gets one line
        raise IntentLensError(f"server {name!r} could not be asked for its tools "
                              f"({type(exc).__name__}: {str(exc)[:200]})") from exc

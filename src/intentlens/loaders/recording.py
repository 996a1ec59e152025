"""A proxy's or gateway's recording (SQLite file or PostgreSQL URL) as traces: one trace per session
with the calls the server actually received. The store itself belongs to :mod:`intentlens.proxy`;
this loader only reads it through that package's public ``read_rows``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from intentlens.core import Step, ToolCall, ToolResult, ToolSpec, Trace
from intentlens.loaders._base import register_loader


def _load(value: str | None) -> Any:
    return json.loads(value) if value is not None else None


def _caller(session: Any) -> str | None:
    """The gateway token a session came from (recordings older than the gateway have no column)."""
    return session["caller"] if "caller" in session.keys() else None


def store_traces(path: Path | str, *, server: str | None = None) -> list[Trace]:
    """Every session in the store (optionally of one server) as a trace of its forwarded calls."""
    from intentlens.proxy import read_rows  # the proxy imports loaders (OTel): imported on use

    sessions = read_rows(path, "SELECT * FROM sessions ORDER BY started")
    traces = []
    for session in sessions:
        if server is not None and session["server"] != server:
            continue
        tools: dict[str, ToolSpec] = {}
        for row in read_rows(path, "SELECT * FROM tools WHERE session_id = ? ORDER BY listed_at",
                             (session["id"],)):
            tools[row["name"]] = ToolSpec(name=row["name"], description=row["description"] or "",
                                          input_schema=_load(row["input_schema"]) or {},
                                          output_schema=_load(row["output_schema"]),
                                          server=session["server"])
        steps = []
        for row in read_rows(path, "SELECT * FROM calls WHERE session_id = ? AND forwarded = 1 "
                             "ORDER BY id", (session["id"],)):
            # the result as the user got it (text parts joined), as the guard read it in the path
            result = ToolResult.from_mcp(_load(row["result"])) if row["result"] else \
                ToolResult(content=row["error"])
            result = result.model_copy(update={"is_error": bool(row["is_error"])})
            steps.append(Step(
                call=ToolCall(tool=row["tool"], arguments=_load(row["arguments"]) or {},
                              server=row["server"]),
                result=result,
                metadata={"latency_ms": row["latency_ms"], "started": row["started"]}))
        if steps:
            traces.append(Trace(id=f"{session['server']}/{session['id']}", steps=tuple(steps),
                                tools=tuple(tools.values()), source="proxy",
                                metadata={"server": session["server"],
                                          "protocol_version": session["protocol_version"],
                                          "caller": _caller(session)}))
    return traces


@register_loader
class ProxyStoreLoader:
    """The proxy's SQLite recording: one trace per session (forwarded calls only)."""

    name = "proxy-sqlite"

    def sniff(self, path: Path, head: Any) -> bool:
        from intentlens.proxy import is_store

        return path.is_file() and is_store(path)

    def load(self, path: Path) -> list[Trace]:
        return store_traces(path)

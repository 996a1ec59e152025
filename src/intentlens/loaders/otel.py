"""OpenTelemetry spans following the GenAI semantic conventions for MCP (OTLP/JSON, one export
request per line, as the collector's file exporter writes them)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from intentlens.core import Step, ToolCall, ToolResult, ToolSpec, Trace, loads
from intentlens.errors import DataFormatError
from intentlens.loaders._base import iter_jsonl, register_loader

METHOD = "mcp.method.name"
SESSION = "mcp.session.id"
TOOL = "gen_ai.tool.name"
ARGUMENTS = "gen_ai.tool.call.arguments"
RESULT = "gen_ai.tool.call.result"
DEFINITIONS = "gen_ai.tool.definitions"
OPERATION = "gen_ai.operation.name"
ERROR_TYPE = "error.type"
QUERY = "intentlens.user.query"  # not a semantic convention: our own, opt-in
SERVER = "intentlens.server.name"


def otlp_attribute(key: str, value: Any) -> dict[str, Any]:
    """One OTLP/JSON attribute (a bool, an int as a string, a float, or anything as text)."""
    if isinstance(value, bool):
        return {"key": key, "value": {"boolValue": value}}
    if isinstance(value, int):
        return {"key": key, "value": {"intValue": str(value)}}
    if isinstance(value, float):
        return {"key": key, "value": {"doubleValue": value}}
    return {"key": key, "value": {"stringValue": str(value)}}


def _attrs(raw: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in raw:
        value = item.get("value") or {}
        out[item.get("key", "")] = next(iter(value.values()), None) if value else None
    return out


def _id(text: str, size: int) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:size]


def trace_to_otlp(trace: Trace, start_ns: int = 0) -> dict[str, Any]:
    """One OTLP/JSON export request holding ``trace`` as MCP spans (arguments and results opted in)."""
    trace_id = _id(trace.id, 32)
    spans = []
    list_attrs = [otlp_attribute(METHOD, "tools/list"), otlp_attribute(SESSION, trace.id),
                  otlp_attribute(DEFINITIONS, json.dumps([t.model_dump(mode="json") for t in trace.tools]))]
    if trace.query:
        list_attrs.append(otlp_attribute(QUERY, trace.query))
    spans.append({"traceId": trace_id, "spanId": _id(trace.id + "/list", 16), "name": "tools/list",
                  "kind": 3, "startTimeUnixNano": str(start_ns), "endTimeUnixNano": str(start_ns),
                  "attributes": list_attrs})
    for index, step in enumerate(trace.steps, start=1):
        attrs = [otlp_attribute(METHOD, "tools/call"), otlp_attribute(OPERATION, "execute_tool"),
                 otlp_attribute(TOOL, step.call.tool), otlp_attribute(SESSION, trace.id),
                 otlp_attribute(ARGUMENTS, json.dumps(step.call.arguments, ensure_ascii=False))]
        if step.call.server:
            attrs.append(otlp_attribute(SERVER, step.call.server))
        if step.result is not None:
            attrs.append(otlp_attribute(RESULT, json.dumps(step.result.content, ensure_ascii=False)))
            if step.result.is_error:
                attrs.append(otlp_attribute(ERROR_TYPE, "tool_error"))
        stamp = str(start_ns + index)
        spans.append({"traceId": trace_id, "spanId": _id(f"{trace.id}/{index}", 16),
                      "name": f"tools/call {step.call.tool}", "kind": 3,
                      "startTimeUnixNano": stamp, "endTimeUnixNano": stamp, "attributes": attrs,
                      "status": {"code": 2 if step.result and step.result.is_error else 0}})
    return {"resourceSpans": [{"resource": {"attributes": [otlp_attribute("service.name", "intentlens")]},
                               "scopeSpans": [{"scope": {"name": "intentlens"}, "spans": spans}]}]}


def write_otlp(traces: list[Trace], path: Path) -> None:
    """Export ``traces`` as OTLP/JSON lines."""
    from intentlens.core import atomic_write_text

    atomic_write_text(path, "".join(json.dumps(trace_to_otlp(t)) + "\n" for t in traces))


def _objects(parent: Any, key: str, path: Path, line: int) -> list[dict[str, Any]]:
    """``parent[key]``: a list of objects (or nothing), else an error naming the line."""
    items = parent.get(key) if isinstance(parent, dict) else None
    if items is None:
        return []
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise DataFormatError(path, line, f"'{key}' must be a list of objects")
    return items


@register_loader
class OTelLoader:
    """OTLP/JSON lines with MCP spans; spans are grouped by session id (else trace id)."""

    name = "otel"

    def sniff(self, path: Path, head: Any) -> bool:
        return isinstance(head, dict) and "resourceSpans" in head

    def load(self, path: Path) -> list[Trace]:
        sessions: dict[str, dict[str, Any]] = {}
        for line, record in iter_jsonl(path):
            for resource in _objects(record, "resourceSpans", path, line):
                for scope in _objects(resource, "scopeSpans", path, line):
                    for span in _objects(scope, "spans", path, line):
                        try:
                            self._add(span, sessions, path, line)
                        except (ValueError, TypeError, AttributeError) as exc:  # ValidationError too
                            raise DataFormatError(path, line, f"a span does not fit the MCP span "
                                                              f"conventions ({str(exc)[:160]})") from exc
        traces = []
        for key, session in sessions.items():
            calls = sorted(session["calls"], key=lambda item: item[0])
            traces.append(Trace(id=key, steps=tuple(step for _, step in calls),
                                tools=tuple(session["tools"]), query=session["query"],
                                source="otel"))
        return traces

    def _add(self, span: Any, sessions: dict[str, dict[str, Any]], path: Path, line: int) -> None:
        if not isinstance(span, dict):
            raise DataFormatError(path, line, "a span must be an object")
        attrs = _attrs(span.get("attributes") or [])
        key = str(attrs.get(SESSION) or span.get("traceId") or "")
        session = sessions.setdefault(key, {"calls": [], "tools": [], "query": None})
        if attrs.get(QUERY):
            session["query"] = str(attrs[QUERY])
        if attrs.get(METHOD) == "tools/list" and attrs.get(DEFINITIONS):
            try:
                docs = loads(attrs[DEFINITIONS])
            except (ValueError, RecursionError) as exc:
                raise DataFormatError(path, line, f"{DEFINITIONS} is not JSON") from exc
            session["tools"] = [ToolSpec.model_validate(d) for d in docs]
        if attrs.get(METHOD) != "tools/call":
            return
        if not attrs.get(TOOL):
            raise DataFormatError(path, line, f"tools/call span without {TOOL}")
        try:
            arguments = loads(attrs[ARGUMENTS]) if attrs.get(ARGUMENTS) else {}
            content = loads(attrs[RESULT]) if attrs.get(RESULT) is not None else None
        except (ValueError, RecursionError) as exc:
            raise DataFormatError(path, line, "tool arguments or result attribute is not JSON") from exc
        result = None
        if attrs.get(RESULT) is not None:
            result = ToolResult(content=content, is_error=attrs.get(ERROR_TYPE) == "tool_error")
        step = Step(call=ToolCall(tool=str(attrs[TOOL]), arguments=arguments,
                                  server=attrs.get(SERVER)), result=result)
        session["calls"].append((int(span.get("startTimeUnixNano") or 0), step))

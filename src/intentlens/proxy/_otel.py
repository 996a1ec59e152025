"""OpenTelemetry export: one span per MCP request, following the GenAI semantic conventions for MCP.

Spans go through the OpenTelemetry SDK to an OTLP/HTTP endpoint, to an OTLP/JSON file (one export
request per line, the form the collector's file exporter writes and the ``otel`` loader reads), or
both. Each span carries ``mcp.method.name``, ``mcp.session.id``, ``mcp.protocol.version``,
``jsonrpc.request.id`` (the id the client sent), ``network.transport``, for ``tools/call``
``gen_ai.operation.name`` and ``gen_ai.tool.name``, ``error.type`` on failure, the gateway token's
name (``intentlens.token``) and the guard's verdict (``intentlens.verdict.*``). A request that came
with a W3C ``traceparent`` header gets its span in the client's trace, as a child of that span.
The spans file is created mode 0600, like the recording: with ``content=True`` it holds as much.
Arguments, results and the user's query are added only with ``content=True``, and never from a
redacting proxy (the caller refuses that combination), nor is the verdict's reason, which can quote
values.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from intentlens.errors import IntentLensError
from intentlens.loaders.otel import (
    ARGUMENTS,
    METHOD,
    OPERATION,
    QUERY,
    RESULT,
    SERVER,
    SESSION,
    TOOL,
    otlp_attribute,
)

VERDICT_FORWARDED = "intentlens.verdict.forwarded"
VERDICT_REASON = "intentlens.verdict.reason"
TOKEN = "intentlens.token"


class OtlpJsonFileExporter:
    """A span exporter appending OTLP/JSON export requests to a file (hex ids, as OTLP/JSON wants)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o600))
        os.chmod(path, 0o600)

    def export(self, spans: Sequence[Any]) -> Any:
        from opentelemetry.sdk.trace.export import SpanExportResult

        if not spans:
            return SpanExportResult.SUCCESS
        records = [{
            "traceId": f"{s.context.trace_id:032x}", "spanId": f"{s.context.span_id:016x}",
            "name": s.name, "kind": int(s.kind.value) + 1, "startTimeUnixNano": str(s.start_time),
            "endTimeUnixNano": str(s.end_time),
            "attributes": [otlp_attribute(k, v) for k, v in (s.attributes or {}).items()],
            "status": {"code": int(s.status.status_code.value)},
            **({"parentSpanId": f"{s.parent.span_id:016x}"} if s.parent is not None else {})} for s in spans]
        request = {"resourceSpans": [{"resource": {"attributes": [
            otlp_attribute(k, v) for k, v in spans[0].resource.attributes.items()]},
            "scopeSpans": [{"scope": {"name": "intentlens"}, "spans": records}]}]}
        with self._lock, self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(request, ensure_ascii=False) + "\n")
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        return None

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True


class McpSpans:
    """Emits the spans of one proxy or gateway process."""

    def __init__(self, *, endpoint: str | None = None, file: Path | None = None, content: bool = False,
                 service: str = "intentlens") -> None:
        try:
            from opentelemetry.sdk.resources import Resource
            from opentelemetry.sdk.trace import TracerProvider
            from opentelemetry.sdk.trace.export import BatchSpanProcessor
        except ImportError as exc:
            raise IntentLensError("OpenTelemetry export needs the SDK: pip install -e '.[otel]'") from exc
        self.content = content
        self.provider = TracerProvider(resource=Resource.create({"service.name": service}))
        if endpoint:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            url = endpoint.rstrip("/")
            url = url if url.endswith("/v1/traces") else f"{url}/v1/traces"
            self.provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=url)))
        if file is not None:
            self.provider.add_span_processor(BatchSpanProcessor(OtlpJsonFileExporter(file)))  # type: ignore[arg-type]
        self.tracer = self.provider.get_tracer("intentlens")

    def record(self, *, server: str, session_id: str, protocol_version: str | None, transport: str,
               method: str, request_id: Any, params: dict[str, Any], started: float, result: Any,
               error: str | None, forwarded: bool | None, reason: str | None, query: str | None,
               caller: str | None = None, traceparent: str | None = None) -> None:
        """One span for one answered request (a child of the client's span when it sent one)."""
        from opentelemetry.trace import SpanKind, Status, StatusCode
        from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

        tool = str(params.get("name", "")) if method == "tools/call" else ""
        attributes: dict[str, Any] = {METHOD: method, SESSION: session_id, SERVER: server,
                                      "jsonrpc.request.id": str(request_id), "network.transport": transport}
        if protocol_version:
            attributes["mcp.protocol.version"] = protocol_version
        if tool:
            attributes.update({OPERATION: "execute_tool", TOOL: tool})
        is_error = error is not None or (isinstance(result, dict) and bool(result.get("isError")))
        if is_error:
            attributes["error.type"] = "tool_error" if error is None else "jsonrpc_error"
        if forwarded is not None:
            attributes[VERDICT_FORWARDED] = forwarded
        if caller:
            attributes[TOKEN] = caller
        if self.content:
            if tool:
                attributes[ARGUMENTS] = json.dumps(params.get("arguments") or {}, ensure_ascii=False)
                if result is not None or error is not None:
                    answer = result if result is not None else error
                    attributes[RESULT] = json.dumps(answer, ensure_ascii=False)
            if query:
                attributes[QUERY] = query
            if reason:
                attributes[VERDICT_REASON] = reason
        parent = TraceContextTextMapPropagator().extract({"traceparent": traceparent}) \
            if traceparent else None
        span = self.tracer.start_span(f"{method} {tool}".strip(), context=parent, kind=SpanKind.SERVER,
                                      start_time=int(started * 1e9), attributes=attributes)
        span.set_status(Status(StatusCode.ERROR if is_error else StatusCode.OK))
        span.end(end_time=time.time_ns())

    def close(self) -> None:
        """Export what is queued, then stop."""
        self.provider.shutdown()

"""OpenTelemetry export: spans to a local OTLP/HTTP receiver started here, and the OTLP/JSON file read
back with intentlens's own `otel` loader (a round trip)."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from mcp import Client

from intentlens.loaders import load_traces
from tests.proxy.conftest import proxy_params


class Receiver(BaseHTTPRequestHandler):
    """An OTLP/HTTP trace receiver: keeps every export request it is sent."""

    bodies: list[bytes] = []

    def do_POST(self) -> None:  # noqa: N802 - the http.server hook
        assert self.path == "/v1/traces"
        Receiver.bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def receiver() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Receiver.bodies = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _spans() -> list[tuple[str, dict]]:
    from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

    found = []
    for body in Receiver.bodies:
        request = ExportTraceServiceRequest.FromString(body)
        for resource in request.resource_spans:
            for scope in resource.scope_spans:
                for span in scope.spans:
                    values = {a.key: getattr(a.value, a.value.WhichOneof("value")) for a in span.attributes}
                    found.append((span.name, values))
    return found


async def _session(params) -> None:
    async with Client(params) as client:
        await client.list_tools()
        await client.call_tool("add", {"a": 2, "b": 3})
        await client.call_tool("send_email", {"to": "ada@example.org", "body": "lunch?"})


async def test_spans_reach_an_otlp_receiver_and_the_file_reads_back(tmp_path: Path, demo_config: Path,
                                                                     receiver: str) -> None:
    spans_file = tmp_path / "spans.jsonl"
    await _session(proxy_params(demo_config, "--otel-endpoint", receiver, "--otel-file", str(spans_file),
                                "--otel-content"))
    spans = _spans()
    names = [name for name, _ in spans]
    assert "tools/list" in names and "tools/call add" in names and "tools/call send_email" in names
    call = dict(spans)["tools/call send_email"]
    assert call["mcp.method.name"] == "tools/call" and call["gen_ai.tool.name"] == "send_email"
    assert call["gen_ai.operation.name"] == "execute_tool" and call["network.transport"] == "pipe"
    assert call["mcp.session.id"] and call["jsonrpc.request.id"] and call["mcp.protocol.version"]
    assert '"ada@example.org"' in call["gen_ai.tool.call.arguments"]
    traces = load_traces(spans_file)  # the file form, through the otel loader
    assert len(traces) == 1
    assert [(s.call.tool, s.call.arguments) for s in traces[0].steps] == [
        ("add", {"a": 2, "b": 3}), ("send_email", {"to": "ada@example.org", "body": "lunch?"})]


async def test_spans_hold_no_values_unless_asked(tmp_path: Path, demo_config: Path, receiver: str) -> None:
    await _session(proxy_params(demo_config, "--otel-endpoint", receiver))
    calls = [a for name, a in _spans() if name.startswith("tools/call")]
    assert len(calls) == 2 and not any("gen_ai.tool.call.arguments" in a or "gen_ai.tool.call.result" in a
                                       for a in calls)
    command = [sys.executable, "-m", "intentlens", "proxy", "--config", str(demo_config), "--record",
               str(tmp_path / "r.sqlite"), "--redact", "--otel-file", str(tmp_path / "s.jsonl"),
               "--otel-content"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 2 and "never exports values" in done.stderr

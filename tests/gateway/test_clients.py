"""Real MCP clients (the `mcp` SDK over Streamable HTTP) reach real servers through the gateway."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client
from mcp.shared.exceptions import MCPError

from tests.gateway.conftest import CHANGING, RunningGateway, start_gateway, stop_gateway
from tests.proxy.conftest import DEMO
from tests.proxy.test_third_party import servers  # noqa: F401  (the installed third-party servers)


def connect(gateway: RunningGateway, path: str, token: str = "alice") -> Client:
    http = create_mcp_http_client(headers={"Authorization": f"Bearer {gateway.tokens[token]}"})
    return Client(streamable_http_client(f"{gateway.url}{path}", http_client=http))


@pytest.fixture
def real_gateway(tmp_path: Path, servers: dict[str, list[str]], store: str):  # noqa: F811
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "notes.txt").write_text("meet Ada at noon\n", encoding="utf-8")
    gateway = start_gateway(tmp_path, {"time": servers["time"], "everything": servers["everything"],
                                       "files": [*servers["filesystem"], str(folder)],
                                       "demo": [sys.executable, str(DEMO)]},
                            tokens={"alice": ["*"], "bob": ["time"]}, store=store)
    yield gateway
    stop_gateway(gateway)


async def test_real_servers_answer_through_their_endpoints(real_gateway: RunningGateway,
                                                           tmp_path: Path) -> None:
    async with connect(real_gateway, "/servers/time/mcp") as client:
        assert {t.name for t in (await client.list_tools()).tools} == {"get_current_time", "convert_time"}
        converted = await client.call_tool("convert_time", {
            "source_timezone": "Europe/Paris", "time": "12:00", "target_timezone": "Asia/Tokyo"})
        assert not converted.is_error and "Asia/Tokyo" in converted.content[0].text
        time_era = client.protocol_version
    async with connect(real_gateway, "/servers/everything/mcp") as client:
        echoed = await client.call_tool("echo", {"message": "hello gateway"})
        assert "hello gateway" in echoed.content[0].text
        everything_era = client.protocol_version
    async with connect(real_gateway, "/servers/files/mcp") as client:
        read = await client.call_tool("read_text_file", {"path": str(tmp_path / "files" / "notes.txt")})
        assert "meet Ada at noon" in read.content[0].text
    assert time_era == "2026-07-28" and everything_era == "2025-11-25"  # both eras served
    calls = real_gateway.rows("SELECT server, tool, caller, forwarded, is_error FROM calls ORDER BY id")
    assert calls == [("time", "convert_time", "alice", 1, 0), ("everything", "echo", "alice", 1, 0),
                     ("files", "read_text_file", "alice", 1, 0)]


async def test_the_aggregate_endpoint_namespaces_tools_by_server(real_gateway: RunningGateway) -> None:
    async with connect(real_gateway, "/mcp") as client:
        names = {t.name for t in (await client.list_tools()).tools}
        assert {"time__convert_time", "everything__echo", "files__read_text_file", "demo__add"} <= names
        added = await client.call_tool("demo__add", {"a": 20, "b": 22})
        assert added.structured_content == {"result": 42}
        with pytest.raises(MCPError, match="unknown tool"):  # MCP: an unknown tool is a protocol error
            await client.call_tool("nowhere__add", {"a": 1, "b": 2})
    assert real_gateway.rows("SELECT server, tool FROM calls") == [("demo", "add")]  # its own name


async def test_a_token_sees_only_the_servers_it_reaches(real_gateway: RunningGateway) -> None:
    async with connect(real_gateway, "/mcp", token="bob") as client:
        names = {t.name for t in (await client.list_tools()).tools}
    assert names == {"time__get_current_time", "time__convert_time"}
    with pytest.raises(Exception):  # noqa: B017,PT011 - the SDK raises its own error for a 403
        async with connect(real_gateway, "/servers/demo/mcp", token="bob") as client:
            await client.list_tools()


async def test_each_client_session_has_its_own_stdio_server(demo_gateway: RunningGateway) -> None:
    pids = []
    for _ in range(2):
        async with connect(demo_gateway, "/mcp") as client:
            result = await client.call_tool("demo__pid", {})
            pids.append(result.structured_content["result"])
    assert pids[0] != pids[1]


async def test_the_gateway_exports_a_span_per_request(tmp_path: Path) -> None:
    from intentlens.loaders import load_traces

    gateway = start_gateway(tmp_path, {"demo": [sys.executable, str(DEMO)]},
                            extra='\n[otel]\nfile = "spans.jsonl"\ncontent = true\n')
    try:
        async with connect(gateway, "/servers/demo/mcp") as client:
            await client.call_tool("add", {"a": 1, "b": 2})
    finally:
        stop_gateway(gateway)  # the spans are flushed when the gateway stops
    text = (tmp_path / "spans.jsonl").read_text(encoding="utf-8")
    assert '"network.transport", "value": {"stringValue": "tcp"}' in text
    assert [s.call.tool for t in load_traces(tmp_path / "spans.jsonl") for s in t.steps] == ["add"]


async def test_spans_on_the_aggregate_endpoint_join_the_clients_trace_and_name_its_token(
        tmp_path: Path) -> None:
    trace_id, parent_id = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
    gateway = start_gateway(tmp_path, {"demo": [sys.executable, str(DEMO)]},
                            extra='\n[otel]\nfile = "spans.jsonl"\ncontent = true\n')
    try:
        http = create_mcp_http_client(headers={"Authorization": f"Bearer {gateway.tokens['alice']}",
                                               "traceparent": f"00-{trace_id}-{parent_id}-01"})
        async with Client(streamable_http_client(f"{gateway.url}/mcp", http_client=http)) as client:
            assert not (await client.call_tool("demo__add", {"a": 1, "b": 2})).is_error
    finally:
        stop_gateway(gateway)
    spans_file = tmp_path / "spans.jsonl"
    assert spans_file.stat().st_mode & 0o777 == 0o600  # it holds arguments and results: like the recording
    spans = [span for line in spans_file.read_text(encoding="utf-8").splitlines()
             for resource in json.loads(line)["resourceSpans"] for scope in resource["scopeSpans"]
             for span in scope["spans"]]
    call = next(s for s in spans if s["name"] == "tools/call add")
    attributes = {a["key"]: next(iter(a["value"].values())) for a in call["attributes"]}
    assert call["traceId"] == trace_id and call["parentSpanId"] == parent_id
    assert attributes["intentlens.token"] == "alice"
    assert not attributes["jsonrpc.request.id"].startswith("gw-")  # the client's own id
    assert gateway.rows("SELECT request_id FROM calls") == [(attributes["jsonrpc.request.id"],)]


async def test_aggregate_sessions_share_one_listing_and_start_a_server_at_its_first_call(
        tmp_path: Path) -> None:
    upstreams = {"a": [sys.executable, str(DEMO)]}
    for name, tool in (("b", "lookup"), ("c", "weather")):  # tools of their own: no name on two servers
        spec = tmp_path / f"{name}.json"
        spec.write_text(json.dumps({tool: f"The {tool} tool."}), encoding="utf-8")
        upstreams[name] = [sys.executable, str(CHANGING), str(spec)]
    gateway = start_gateway(tmp_path, upstreams)
    try:
        async def list_only() -> set[str]:
            async with connect(gateway, "/mcp") as client:
                return {t.name for t in (await client.list_tools()).tools}

        listed = await asyncio.gather(*(list_only() for _ in range(6)))
        assert all({"a__add", "b__lookup", "c__weather"} <= names for names in listed)
        started = gateway.rows("SELECT server, COUNT(*) FROM sessions GROUP BY server ORDER BY server")
        assert started == [("a", 1), ("b", 1), ("c", 1)]  # one process per server lists for all six
        async with connect(gateway, "/mcp") as client:
            await client.list_tools()
            assert not (await client.call_tool("b__lookup", {"text": "cat"})).is_error
        started = gateway.rows("SELECT server, COUNT(*) FROM sessions GROUP BY server ORDER BY server")
        assert started == [("a", 1), ("b", 2), ("c", 1)]  # the call started its own process, on b alone
    finally:
        stop_gateway(gateway)

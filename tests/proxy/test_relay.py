"""The proxy relaying a real MCP server over stdio: recording, faults, concurrency, guard mode."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from mcp import Client

from intentlens import load_traces
from intentlens.core import ToolResult
from tests.proxy.conftest import proxy_params


def _rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute(sql))


async def test_relays_and_records_tools_and_calls(tmp_path: Path, demo_config: Path) -> None:
    db = tmp_path / "rec.sqlite"
    async with Client(proxy_params(demo_config, "--record", str(db))) as client:
        tools = await client.list_tools()
        assert {t.name for t in tools.tools} >= {"add", "send_email"}
        result = await client.call_tool("add", {"a": 2, "b": 3})
        assert result.structured_content == {"result": 5} and not result.is_error
        version = client.protocol_version
    assert stat.S_IMODE(os.stat(db).st_mode) == 0o600
    calls = _rows(db, "SELECT tool, arguments, is_error, protocol_version, latency_ms FROM calls")
    assert calls[0][:4] == ("add", '{"a": 2, "b": 3}', 0, version)
    assert calls[0][4] > 0
    assert ("add", "Add two numbers.") in _rows(db, "SELECT name, description FROM tools")
    assert _rows(db, "SELECT name FROM migrations") == [("001_initial",), ("002_verdicts",),
                                                        ("003_findings",), ("004_gateway",), ("005_trust",)]
    traces = load_traces(db)  # the store is a trace source like any other
    assert len(traces) == 1 and traces[0].steps[0].call.arguments == {"a": 2, "b": 3}
    assert traces[0].tool("add").description == "Add two numbers."
    # the result as the user got it (its text parts), the same reading the guard makes in the path
    assert traces[0].steps[0].result == ToolResult(content=result.content[0].text, is_error=False)
    from intentlens.loaders import write_otlp

    spans = tmp_path / "spans.jsonl"  # and exports to OpenTelemetry GenAI MCP spans
    write_otlp(traces, spans)
    assert [s.call for s in load_traces(spans)[0].steps] == [s.call for s in traces[0].steps]


async def test_redaction_keeps_keys_and_hides_values(tmp_path: Path, demo_config: Path) -> None:
    db = tmp_path / "rec.sqlite"
    async with Client(proxy_params(demo_config, "--record", str(db), "--redact")) as client:
        await client.call_tool("send_email", {"to": "bob@example.com", "body": "hello"})
    arguments, result = _rows(db, "SELECT arguments, result FROM calls")[0]
    assert "bob@example.com" not in arguments + result
    assert set(json.loads(arguments)) == {"to", "body"}


async def test_hung_server_times_out_and_the_proxy_keeps_serving(tmp_path: Path,
                                                                 demo_config: Path) -> None:
    db = tmp_path / "rec.sqlite"
    async with Client(proxy_params(demo_config, "--record", str(db), "--timeout", "1")) as client:
        with pytest.raises(Exception, match="did not answer tools/call within 1 s"):
            await client.call_tool("hang", {"seconds": 3})
        assert (await client.call_tool("add", {"a": 1, "b": 1})).structured_content == {"result": 2}
    errors = _rows(db, "SELECT tool, error FROM calls WHERE is_error = 1")
    assert errors[0][0] == "hang" and "within 1 s" in errors[0][1]


async def test_crash_mid_call_gives_an_error_then_the_server_restarts(tmp_path: Path,
                                                                     demo_config: Path) -> None:
    db = tmp_path / "rec.sqlite"
    async with Client(proxy_params(demo_config, "--record", str(db))) as client:
        with pytest.raises(Exception, match="upstream server exited"):
            await client.call_tool("crash", {})
        assert (await client.call_tool("add", {"a": 4, "b": 5})).structured_content == {"result": 9}
    assert [r[0] for r in _rows(db, "SELECT tool FROM calls ORDER BY id")] == ["crash", "add"]


async def test_malformed_upstream_line_is_dropped(demo_config: Path) -> None:
    async with Client(proxy_params(demo_config)) as client:
        result = await client.call_tool("malformed", {})
        assert result.content[0].text == "ok"


async def test_huge_result_is_relayed_whole(demo_config: Path) -> None:
    async with Client(proxy_params(demo_config)) as client:
        result = await client.call_tool("huge", {"size": 3_000_000})
        assert len(result.content[0].text) == 3_000_000


async def test_200_concurrent_calls(tmp_path: Path, demo_config: Path) -> None:
    db = tmp_path / "rec.sqlite"
    async with Client(proxy_params(demo_config, "--record", str(db))) as client:
        results = await asyncio.gather(*(client.call_tool("add", {"a": i, "b": 1}) for i in range(200)))
    assert sorted(r.structured_content["result"] for r in results) == list(range(1, 201))
    assert _rows(db, "SELECT COUNT(*) FROM calls WHERE is_error = 0") == [(200,)]


async def test_several_servers_from_one_config_record_into_one_store(tmp_path: Path) -> None:
    import sys

    from tests.proxy.conftest import DEMO, write_config

    db = tmp_path / "rec.sqlite"
    config = write_config(tmp_path, {"alpha": {"command": sys.executable, "args": [str(DEMO)]},
                                     "beta": {"command": sys.executable, "args": [str(DEMO)]}})

    async def use(server: str, count: int) -> None:
        async with Client(proxy_params(config, "--record", str(db), server=server)) as client:
            await asyncio.gather(*(client.call_tool("add", {"a": i, "b": 0}) for i in range(count)))

    await asyncio.gather(use("alpha", 30), use("beta", 20))
    assert _rows(db, "SELECT server, COUNT(*) FROM calls GROUP BY server ORDER BY server") == [
        ("alpha", 30), ("beta", 20)]
    assert {t.metadata["server"] for t in load_traces(db)} == {"alpha", "beta"}

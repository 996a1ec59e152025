"""Property tests of the relay: whatever the client and the server send, in any order, every request
id is answered exactly once, no ``tools/call`` reaches the server without a stored verdict in guard
mode, and nothing crashes.

Each example runs a real Relay with a real SQLite store against the in-memory upstream of
``memory.py``, whose server answers, answers twice, late, never, with junk, a wrong id, a batch, an
oversized line, an error, or crashes, as each request asks. ``HYPOTHESIS_PROFILE=fuzz`` runs the long
budget (see bench/fuzz.py); with ``INTENTLENS_FUZZ_REPORT=FILE`` each example appends its counts.
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from intentlens.core import Plan
from intentlens.errors import BackendError
from intentlens.guards import PlanVerdict
from intentlens.proxy import CallGuard, QuerySource, Relay, Store
from intentlens.proxy._messages import id_key
from tests.proxy.memory import BEHAVIOURS, ClientEnd, MemoryUpstream

LIMIT = 4096
"""The client reader's line limit in these tests (the proxy's own is 64 MiB)."""
GUARD_BEHAVIOURS = ("allow", "block", "error", "crash", "hang")


class ScriptedGuard:
    """Allows, blocks, fails, crashes or hangs, as the call's ``guard`` argument says."""

    name = "scripted-guard"

    async def verify(self, plan: Plan) -> PlanVerdict:
        how = plan.calls[0].arguments.get("guard", "allow")
        if how == "error":
            raise BackendError("judge unreachable")
        if how == "crash":
            raise RuntimeError("a bug in the guard")
        if how == "hang":
            await asyncio.sleep(30)
        return PlanVerdict(id=plan.id, guard=self.name, aligned=how == "allow", reason=str(how))


good_ids = st.one_of(st.integers(-3, 9), st.sampled_from(["a", "b", "1"]))
bad_ids = st.one_of(st.none(), st.booleans(), st.just(1.5), st.just({"a": 1}), st.just([1]))
methods = st.sampled_from(["tools/call", "tools/call", "tools/list", "ping", "initialize", "resources/read"])


@st.composite
def requests(draw: Any, ids: Any = good_ids) -> dict[str, Any]:
    method = draw(methods)
    server = draw(st.sampled_from(BEHAVIOURS))
    if method == "tools/call":
        guard = draw(st.sampled_from(GUARD_BEHAVIOURS))
        params: dict[str, Any] = {"name": draw(st.sampled_from(["add", "send"])),
                                  "arguments": {"server": server, "guard": guard}}
        if draw(st.booleans()):
            params["_meta"] = {"io.intentlens/query": "please add"}
    else:
        params = {"server": server}
    return {"jsonrpc": "2.0", "id": draw(ids), "method": method, "params": params}


items = st.one_of(
    requests().map(lambda r: ("request", r)),
    requests(bad_ids).map(lambda r: ("request", r)),
    st.lists(st.one_of(requests(), st.integers(0, 3)), max_size=4).map(lambda b: ("batch", b)),
    st.just(("notify", {"jsonrpc": "2.0", "method": "notifications/initialized"})),
    good_ids.map(lambda i: ("response", {"jsonrpc": "2.0", "id": i, "result": {}})),
    st.binary(max_size=40).map(lambda b: ("junk", b"#" + b.replace(b"\n", b" "))),
    st.sampled_from([5, "text", None, True]).map(lambda v: ("scalar", v)),
    good_ids.map(lambda i: ("oversize", i)),
)


def _line(kind: str, payload: Any) -> bytes:
    if kind == "junk":
        return payload + b"\n"
    if kind == "oversize":
        head = json.dumps({"jsonrpc": "2.0", "id": payload, "method": "tools/call"})[:-1]
        return head.encode() + b', "params": {"x": "' + b"y" * LIMIT + b'"}}\n'
    return json.dumps(payload).encode() + b"\n"


def _expected(sent: list[tuple[str, Any]]) -> Counter[str]:
    """How many replies each id must get: one per request (an invalid id is echoed back)."""
    wanted: Counter[str] = Counter()

    def element(value: Any) -> None:
        if not isinstance(value, dict):
            wanted["null"] += 1
        elif "method" in value and "id" in value:
            wanted[id_key(value["id"])] += 1

    for kind, payload in sent:
        if kind == "request":
            element(payload)
        elif kind == "batch":
            if not payload:
                wanted["null"] += 1
            for value in payload:
                element(value)
        elif kind in ("junk", "scalar"):
            wanted["null"] += 1
        elif kind == "oversize":
            wanted[id_key(payload)] += 1
    return wanted


async def _run(sent: list[tuple[str, Any]], guarded: bool, folder: Path) -> dict[str, Any]:
    store = Store(folder / "rec.sqlite")
    upstream = MemoryUpstream(late_after=0.08)
    guard = CallGuard(ScriptedGuard(), QuerySource(), timeout=0.05) if guarded else None
    relay = Relay("memory", upstream, store=store, guard=guard, timeout=0.04, grace=1.0)
    client_in = asyncio.StreamReader(limit=LIMIT)
    for kind, payload in sent:
        client_in.feed_data(_line(kind, payload))
    client_in.feed_eof()
    client = ClientEnd()
    await relay.serve(client_in, client)
    store.close()
    answered = Counter(id_key(m.get("id")) for m in client.messages() if "method" not in m)
    with sqlite3.connect(folder / "rec.sqlite") as db:
        allowed = Counter(r[0] for r in db.execute("SELECT request_id FROM verdicts WHERE forwarded = 1"))
    calls = [m for m in upstream.received if m.get("method") == "tools/call"]
    unguarded = Counter(id_key(m["id"]) for m in calls) - allowed if guarded else Counter()
    return {"answered": answered, "expected": _expected(sent), "unguarded": sum(unguarded.values()),
            "messages": len(sent), "forwarded_calls": len(calls)}


def _check(sent: list[tuple[str, Any]], guarded: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        outcome = asyncio.run(_run(sent, guarded, Path(folder)))
    doubles = sum((outcome["answered"] - outcome["expected"]).values())
    missing = sum((outcome["expected"] - outcome["answered"]).values())
    if report := os.environ.get("INTENTLENS_FUZZ_REPORT"):
        with open(report, "a", encoding="utf-8") as handle:
            counts = {"test": "relay", "guarded": guarded, "messages": outcome["messages"],
                      "forwarded_calls": outcome["forwarded_calls"], "double_answers": doubles,
                      "unanswered": missing, "unguarded_forwards": outcome["unguarded"]}
            handle.write(json.dumps(counts) + "\n")
    assert outcome["answered"] == outcome["expected"], (doubles, missing)
    assert outcome["unguarded"] == 0


@given(st.lists(items, max_size=12))
def test_every_request_is_answered_exactly_once(sent: list[tuple[str, Any]]) -> None:
    _check(sent, guarded=False)


@given(st.lists(items, max_size=12))
def test_in_guard_mode_no_call_is_forwarded_without_a_stored_verdict(sent: list[tuple[str, Any]]) -> None:
    _check(sent, guarded=True)

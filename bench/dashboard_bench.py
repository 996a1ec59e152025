"""Dashboard benchmark: server time of every view over a recording of 100,000 calls.

    .venv/bin/python bench/dashboard_bench.py [--calls 100000] [--repeat 7]

Fills an SQLite recording with sessions of 50 calls each (arguments, results and verdicts of the size
the proxy records; one call in ten blocked), then renders each view in process (the ASGI app, no
network) and reports the median of ``--repeat`` runs after one warm-up. The knowledge view is timed
once its background audit is done (the audit itself is background work, not page time). Writes
``bench/results/dashboard.{json,md}``. Target (issue #29): every view under 300 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from starlette.applications import Starlette

from intentlens.attacks import ATTACKS
from intentlens.backends import get_backend
from intentlens.dashboard import Dashboard, Knowledge, Viewer
from intentlens.proxy import Store

OUT = Path(__file__).resolve().parents[1] / "bench" / "results"
SERVERS = ["files", "mail", "calendar", "search"]


def fill(store: Store, calls: int) -> list[str]:
    sessions, now = [], time.time() - calls  # one call a second, up to now
    for first in range(0, calls, 50):
        session = uuid.uuid4().hex
        server = SERVERS[(first // 50) % len(SERVERS)]
        store.add_session(session, server, caller=f"user{(first // 50) % 7}")
        sessions.append(session)
        rows = []
        for n in range(first, min(first + 50, calls)):
            blocked = n % 10 == 0
            reason = "the recipient is not in the request" if blocked else "matches the request"
            argument = {"name": "to", "provenance": "user_query", "reason": "typed"}
            step = {"index": 0, "tool": "send", "aligned": not blocked, "arguments": [argument]}
            verdict = {"aligned": not blocked, "reason": reason, "steps": [step]}
            rows.append(store.call_row(
                session_id=session, server=server, request_id=n, tool="send",
                arguments={"to": f"person{n}@example.org", "body": "lorem ipsum " * 20},
                result=None if blocked else {"content": [{"type": "text", "text": "sent " * 30}]},
                is_error=blocked, error="blocked" if blocked else None, started=now + n, latency_ms=2.5,
                protocol_version="2025-11-25", query="send the minutes to the team", verdict=verdict,
                forwarded=not blocked, caller=f"user{(first // 50) % 7}"))
        store.add_rows({"calls": rows})
    return sessions


async def measure(db: Path, sessions: list[str], repeat: int) -> dict[str, float]:
    store = Store(db)
    knowledge = Knowledge(db, lambda: ATTACKS.build("intentminer", get_backend("scripted")))
    pages = Dashboard(db, store, lambda token: Viewer("bench", None), knowledge)
    app = Starlette(routes=pages.routes())
    middle = int(store.query("SELECT MAX(id) FROM calls")[0][0]) // 2
    views = {
        "overview": "/ui",
        "calls, first page": "/ui/calls",
        "calls, filtered (server, token, verdict, time range)":
            "/ui/calls?server=mail&token=user3&verdict=blocked&since=2000-01-01T00:00&until=2100-01-01T00:00",
        f"calls, deep page (before id {middle})": f"/ui/calls?before={middle}",
        "session (50 calls)": f"/ui/sessions/{sessions[len(sessions) // 2]}",
        "holds": "/ui/holds",
        "what files could learn (cached)": "/ui/servers/files",
    }
    timings: dict[str, float] = {}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1",
                                 headers={"Authorization": "Bearer x"}) as client:
        await client.get("/ui/servers/files")  # starts the background audit
        while knowledge.get("files").state == "computing":
            await asyncio.sleep(0.5)
        for name, url in views.items():
            assert (await client.get(url)).status_code == 200, url
            runs = []
            for _ in range(repeat):
                started = time.perf_counter()
                reply = await client.get(url)
                runs.append((time.perf_counter() - started) * 1000)
                assert reply.status_code == 200
            timings[name] = round(statistics.median(runs), 1)
    store.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    db = Path(tempfile.mkdtemp(prefix="dashboard-bench-")) / "rec.sqlite"
    store = Store(db)
    started = time.perf_counter()
    sessions = fill(store, args.calls)
    store.close()
    filled = time.perf_counter() - started
    timings = asyncio.run(measure(db, sessions, args.repeat))
    result = {"date": time.strftime("%Y-%m-%d"), "calls": args.calls, "sessions": len(sessions),
              "fill_seconds": round(filled, 1), "median_ms": timings, "target_ms": 300,
              "all_under_target": all(v < 300 for v in timings.values())}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "dashboard.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    lines = [f"# Dashboard benchmark ({result['date']})", "",
             f"Server time per view (median of {args.repeat}) over {args.calls:,} recorded calls in "
             f"{len(sessions):,} sessions (SQLite). Target: under 300 ms each.", "",
             "| view | ms |", "| --- | ---: |"]
    lines += [f"| {name} | {ms} |" for name, ms in timings.items()]
    (args.out / "dashboard.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

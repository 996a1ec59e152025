"""Proxy benchmark: added latency per call against direct calls, 200 calls in flight, and memory.

    .venv/bin/python bench/proxy_bench.py [--calls 400] [--rss-calls 10000]

All runs use the real demo MCP server of the tests over stdio, interleaved in one process so that
load on the machine affects direct and proxied calls alike. Writes bench/results/proxy.{json,md}.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from mcp import Client, StdioServerParameters

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "tests" / "proxy" / "demo_server.py"
OUT = ROOT / "bench" / "results"


def _params(config: Path | None, *extra: str) -> StdioServerParameters:
    if config is None:
        return StdioServerParameters(command=sys.executable, args=[str(DEMO)])
    return StdioServerParameters(command=sys.executable,
                                 args=["-m", "intentlens", "proxy", "--config", str(config), *extra])


QUERY = {"io.intentlens/query": "Please add these two numbers"}  # lets guard mode run its guard


async def _latencies(params: StdioServerParameters, calls: int) -> list[float]:
    async with Client(params) as client:
        for _ in range(20):  # warm-up
            await client.call_tool("add", {"a": 1, "b": 1}, meta=QUERY)
        times = []
        for i in range(calls):
            started = time.perf_counter()
            await client.call_tool("add", {"a": i, "b": 1}, meta=QUERY)
            times.append((time.perf_counter() - started) * 1000)
        return times


async def _in_flight(params: StdioServerParameters, count: int) -> tuple[float, int]:
    async with Client(params) as client:
        await client.call_tool("add", {"a": 0, "b": 0})
        started = time.perf_counter()
        results = await asyncio.gather(*(client.call_tool("add", {"a": i, "b": 1}) for i in range(count)),
                                       return_exceptions=True)
        wall = (time.perf_counter() - started) * 1000
    errors = sum(1 for r in results if isinstance(r, BaseException) or r.is_error)
    return wall, errors


def _call(request_id: int) -> bytes:
    meta = {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientInfo": {"name": "bench", "version": "0"},
            "io.modelcontextprotocol/clientCapabilities": {}}
    return json.dumps({"jsonrpc": "2.0", "id": request_id, "method": "tools/call",
                       "params": {"name": "add", "arguments": {"a": request_id, "b": 1},
                                  "_meta": meta}}).encode() + b"\n"


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def _rss_over(config: Path, db: Path, calls: int) -> dict[str, float]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "intentlens", "proxy", "--config", str(config), "--record", str(db),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
    assert proc.stdin and proc.stdout
    samples, sent = [], 0
    while sent < calls:
        batch = min(200, calls - sent)
        for i in range(batch):
            proc.stdin.write(_call(sent + i))
        await proc.stdin.drain()
        for _ in range(batch):
            await proc.stdout.readline()
        sent += batch
        samples.append(_rss_mb(proc.pid))
    proc.stdin.close()
    await proc.wait()
    return {"calls": calls, "rss_mb_first_batch": round(samples[0], 1),
            "rss_mb_max": round(max(samples), 1), "rss_mb_last": round(samples[-1], 1)}


def _stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"p50_ms": round(statistics.median(ordered), 3),
            "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 3)}


async def run(calls: int, rss_calls: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "servers.json"
        config.write_text(json.dumps({"mcpServers": {"demo": {"command": sys.executable,
                                                              "args": [str(DEMO)]}}}), encoding="utf-8")
        variants = {"direct": _params(None), "proxy-relay": _params(config),
                    "proxy-record": _params(config, "--record", str(Path(tmp) / "lat.sqlite")),
                    "proxy-record-guard": _params(config, "--record", str(Path(tmp) / "guard.sqlite"),
                                                  "--guard", "metadata-scan")}
        samples: dict[str, list[float]] = {name: [] for name in variants}
        for _ in range(4):  # interleave blocks so that machine load hits every variant alike
            for name, params in variants.items():
                samples[name] += await _latencies(params, calls // 4)
        latency = {name: _stats(values) for name, values in samples.items()}
        for name in ("proxy-relay", "proxy-record", "proxy-record-guard"):
            latency[name]["added_p50_ms"] = round(latency[name]["p50_ms"] - latency["direct"]["p50_ms"], 3)
            latency[name]["added_p95_ms"] = round(latency[name]["p95_ms"] - latency["direct"]["p95_ms"], 3)
        flight = {}
        for name in ("direct", "proxy-record"):
            wall, errors = await _in_flight(variants[name], 200)
            flight[name] = {"wall_ms": round(wall, 1), "errors": errors}
        flight["ratio"] = round(flight["proxy-record"]["wall_ms"] / flight["direct"]["wall_ms"], 2)
        rss = await _rss_over(config, Path(tmp) / "rss.sqlite", rss_calls)
    return {"calls_per_variant": calls, "latency": latency, "in_flight_200": flight, "memory": rss}


def markdown(result: dict) -> str:
    lat, flight, rss = result["latency"], result["in_flight_200"], result["memory"]
    lines = ["# Proxy benchmark (stdio, demo server, `add` tool)", "",
             f"{result['calls_per_variant']} sequential calls per variant, interleaved in 4 blocks. "
             "`proxy-record-guard` runs the rule-based `metadata-scan` guard on every call (its own "
             "decision takes microseconds), so its extra latency is the proxy's guard-mode overhead; "
             "an LLM guard adds its judge time on top.", "",
             "| variant | p50 ms | p95 ms | added p50 ms | added p95 ms |",
             "| --- | ---: | ---: | ---: | ---: |"]
    for name, row in lat.items():
        lines.append(f"| {name} | {row['p50_ms']} | {row['p95_ms']} | {row.get('added_p50_ms', '-')} | "
                     f"{row.get('added_p95_ms', '-')} |")
    lines += ["", f"200 calls in flight: direct {flight['direct']['wall_ms']} ms "
              f"({flight['direct']['errors']} errors), through the recording proxy "
              f"{flight['proxy-record']['wall_ms']} ms ({flight['proxy-record']['errors']} errors): "
              f"{flight['ratio']}x.", "",
              f"Proxy memory over {rss['calls']} recorded calls: RSS {rss['rss_mb_first_batch']} MB after "
              f"the first 200, at most {rss['rss_mb_max']} MB, {rss['rss_mb_last']} MB at the end."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--calls", type=int, default=400)
    parser.add_argument("--rss-calls", type=int, default=10_000)
    args = parser.parse_args()
    result = asyncio.run(run(args.calls, args.rss_calls))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "proxy.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (OUT / "proxy.md").write_text(markdown(result), encoding="utf-8")
    print(markdown(result))


if __name__ == "__main__":
    main()

"""Gateway benchmark: added latency, throughput and memory, against the upstream alone and a peer proxy.

    .venv/bin/python bench/gateway_bench.py [--calls 300] [--clients 50] [--rss-calls 100000]
        [--aggregate-clients 20] [--only aggregate]

The upstream is the tests' real demo MCP server over Streamable HTTP. Three targets answer the same
``tools/call`` (``add``): the upstream directly, ``intentlens gateway`` in front of it (recording on,
the default checks on, one token), and fastmcp 4.1.2's proxy (``create_proxy`` over one connected
client, its fastest mode) as the peer, installed on first use into its own virtual environment under
``~/.cache/intentlens/bench-peers`` (``--no-peer`` skips it). Every client is a raw JSON-RPC client
over HTTP with its own MCP session (no SDK overhead on the client side); the targets are measured in
interleaved rounds so that load on the machine affects them alike. Writes
``bench/results/gateway.{json,md}``. Targets (issue #27): at most 1 ms added at p50 for one client,
at least 2x the peer's throughput at 50 clients, RSS under 150 MB after 100,000 recorded calls.

The aggregate phase (issue #41) puts four stdio servers behind a second gateway and lets 20 clients
at once each open a session, list the tools and make one call, first on one server's endpoint, then
on the aggregate endpoint (``/mcp``, the call on the same server), in alternating rounds. Target: the
aggregate endpoint's p95 (per request, and per whole session) within 2x the per-server endpoint's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "tests" / "proxy" / "demo_server.py"
OUT = ROOT / "bench" / "results"
PEERS = Path.home() / ".cache" / "intentlens" / "bench-peers"
PEER_SCRIPT = """
import asyncio, sys
from fastmcp import Client
from fastmcp.server import create_proxy

async def main(url, port):
    async with Client(url) as client:  # one connected client: the proxy reuses its session
        proxy = create_proxy(client, mode="auto")
        await proxy.run_async(transport="http", host="127.0.0.1", port=port, show_banner=False,
                              log_level="warning")

asyncio.run(main(sys.argv[1], int(sys.argv[2])))
"""
INIT = {"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
    "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "bench", "version": "0"}}}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(url: str, process: subprocess.Popen[bytes], headers: dict[str, str] | None = None) -> None:
    for _ in range(600):
        if process.poll() is not None:
            raise SystemExit(f"{url}: the process exited ({process.returncode})")
        try:
            httpx.post(url, json=INIT, headers={"Accept": "application/json, text/event-stream",
                                                **(headers or {})}, timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not start")


def _peer_python() -> Path:
    python = PEERS / "fastmcp" / "bin" / "python"
    if not python.exists():
        PEERS.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", str(PEERS / "fastmcp")], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "fastmcp==4.1.2", "mcp==2.3.0"],
                       check=True)
    return python


class Session:
    """One raw MCP client session over Streamable HTTP."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        self.url = url
        nodelay = httpx.AsyncHTTPTransport(socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])
        self.http = httpx.AsyncClient(headers={"Accept": "application/json, text/event-stream",
                                               "Content-Type": "application/json", **headers}, timeout=120,
                                      transport=nodelay)
        self.n = 0

    async def open(self) -> Session:
        reply = await self.http.post(self.url, json=INIT)
        reply.raise_for_status()
        if "mcp-session-id" in reply.headers:
            self.http.headers["Mcp-Session-Id"] = reply.headers["mcp-session-id"]
        self.http.headers["MCP-Protocol-Version"] = "2025-11-25"
        await self.http.post(self.url, json={"jsonrpc": "2.0", "method": "notifications/initialized"})
        return self

    async def call(self) -> float:
        self.n += 1
        body = {"jsonrpc": "2.0", "id": self.n, "method": "tools/call",
                "params": {"name": "add", "arguments": {"a": self.n, "b": 1}}}
        started = time.perf_counter()
        reply = await self.http.post(self.url, json=body)
        elapsed = (time.perf_counter() - started) * 1000
        text = reply.text
        if reply.status_code != 200 or str(self.n + 1) not in text:
            raise RuntimeError(f"{self.url}: unexpected reply {reply.status_code} {text[:200]}")
        return elapsed

    async def close(self) -> None:
        if "Mcp-Session-Id" in self.http.headers:  # as real clients do: the session ends with them
            await self.http.delete(self.url)
        await self.http.aclose()


async def _latency(targets: dict[str, tuple[str, dict[str, str]]], calls: int, rounds: int = 6
                   ) -> dict[str, list[float]]:
    sessions = {name: await Session(url, headers).open() for name, (url, headers) in targets.items()}
    for session in sessions.values():
        for _ in range(30):  # warm-up
            await session.call()
    times: dict[str, list[float]] = {name: [] for name in targets}
    for _ in range(rounds):
        for name, session in sessions.items():
            times[name] += [await session.call() for _ in range(calls // rounds)]
    for session in sessions.values():
        await session.close()
    return times


async def _throughput(url: str, headers: dict[str, str], clients: int, calls_each: int) -> float:
    sessions = [await Session(url, headers).open() for _ in range(clients)]
    for session in sessions:
        await session.call()
    rate = await _run(sessions, calls_each)
    for session in sessions:
        await session.close()
    return rate


async def _run(sessions: list[Session], calls_each: int) -> float:
    """All sessions call at once; calls per second."""
    async def run(session: Session) -> None:
        for _ in range(calls_each):
            await session.call()

    started = time.perf_counter()
    await asyncio.gather(*(run(s) for s in sessions))
    return len(sessions) * calls_each / (time.perf_counter() - started)


AGGREGATE_TOOLS = ("weather_report", "calendar_events", "contact_search", "payment_status")
"""One tool per server, names far apart (no server's tool is held as a look-alike of another's)."""


async def _one_session(url: str, headers: dict[str, str], tool: str) -> list[float]:
    """initialize, tools/list and one tools/call on a fresh session: the seconds of each, and the whole."""
    started = time.perf_counter()
    session = Session(url, headers)
    await session.open()
    opened = time.perf_counter()
    listed = await session.http.post(url, json={"jsonrpc": "2.0", "id": "l", "method": "tools/list"})
    if listed.status_code != 200 or tool not in listed.text:
        raise RuntimeError(f"{url}: no {tool} in the listing: {listed.text[:200]}")
    after_list = time.perf_counter()
    called = await session.http.post(url, json={"jsonrpc": "2.0", "id": "c", "method": "tools/call",
                                                "params": {"name": tool, "arguments": {"text": "x"}}})
    if called.status_code != 200 or '"isError":true' in called.text.replace(" ", ""):
        raise RuntimeError(f"{url}: the call failed: {called.text[:200]}")
    done = time.perf_counter()
    await session.close()
    return [opened - started, after_list - opened, done - after_list, done - started]


async def _aggregate(folder: Path, clients: int, rounds: int) -> dict[str, object]:
    """Per-server endpoint against the aggregate one, ``clients`` sessions at once (see the docstring)."""
    changing = ROOT / "tests" / "gateway" / "changing_server.py"
    lines = []
    for n, tool in enumerate(AGGREGATE_TOOLS):
        spec = folder / f"tools{n}.json"
        spec.write_text(json.dumps({tool: f"The {tool.replace('_', ' ')} tool."}), encoding="utf-8")
        lines += [f"[servers.s{n}]", f'command = "{sys.executable}"', f'args = ["{changing}", "{spec}"]', ""]
    port = _free_port()
    config = folder / "aggregate.toml"
    config.write_text(f'[gateway]\nport = {port}\nstore = "aggregate.sqlite"\n\n' + "\n".join(lines),
                      encoding="utf-8")
    token = subprocess.run([sys.executable, "-m", "intentlens", "gateway", "token", "add", "bench",
                            "--servers", "*", "--config", str(config)],
                           capture_output=True, text=True, check=True).stdout.strip()
    gateway = subprocess.Popen([sys.executable, "-m", "intentlens", "gateway", "--config", str(config)],
                               stderr=subprocess.DEVNULL)
    auth = {"Authorization": f"Bearer {token}"}
    targets = {"per-server": (f"http://127.0.0.1:{port}/servers/s0/mcp", AGGREGATE_TOOLS[0]),
               "aggregate": (f"http://127.0.0.1:{port}/mcp", f"s0__{AGGREGATE_TOOLS[0]}")}
    try:
        _wait(targets["per-server"][0], gateway, auth)
        times: dict[str, list[list[float]]] = {name: [] for name in targets}
        for _ in range(rounds):
            for name, (url, tool) in targets.items():
                times[name] += await asyncio.gather(*(_one_session(url, auth, tool) for _ in range(clients)))
    finally:
        gateway.terminate()
        gateway.wait(timeout=30)
    figures: dict[str, object] = {}
    for name, sessions in times.items():
        requests = [t for s in sessions for t in s[:3]]
        figures[name] = {"request_p50_ms": round(_p(requests, 50) * 1000, 1),
                         "request_p95_ms": round(_p(requests, 95) * 1000, 1),
                         "list_p95_ms": round(_p([s[1] for s in sessions], 95) * 1000, 1),
                         "session_p50_ms": round(_p([s[3] for s in sessions], 50) * 1000, 1),
                         "session_p95_ms": round(_p([s[3] for s in sessions], 95) * 1000, 1),
                         "sessions": len(sessions)}
    ratio = {key: round(figures["aggregate"][key] / figures["per-server"][key], 2)  # type: ignore[index]
             for key in ("request_p95_ms", "session_p95_ms")}
    return {"clients": clients, "servers": len(AGGREGATE_TOOLS), "rounds": rounds, "endpoints": figures,
            "aggregate_vs_per_server_p95": ratio, "target_ratio_max": 2.0}


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1]


async def main(args: argparse.Namespace) -> dict[str, object]:
    folder = Path(tempfile.mkdtemp(prefix="gateway-bench-"))
    aggregate = await _aggregate(folder, args.aggregate_clients, args.aggregate_rounds) \
        if args.only != "latency" else None
    if args.only == "aggregate":
        previous = json.loads((args.out / "gateway.json").read_text(encoding="utf-8"))
        return {**previous, "aggregate": aggregate, "aggregate_date": time.strftime("%Y-%m-%d")}
    processes: list[subprocess.Popen[bytes]] = []
    try:
        upstream = subprocess.Popen([sys.executable, str(DEMO), "--http", "--json"], stdout=subprocess.PIPE)
        processes.append(upstream)
        assert upstream.stdout is not None
        port = int(upstream.stdout.readline().split()[1])
        direct = f"http://127.0.0.1:{port}/mcp"
        _wait(direct, upstream)

        gateway_port = _free_port()
        config = folder / "gateway.toml"
        config.write_text(f'[gateway]\nport = {gateway_port}\nstore = "gw.sqlite"\n\n'
                          f'[servers.up]\nurl = "{direct}"\n', encoding="utf-8")
        token = subprocess.run([sys.executable, "-m", "intentlens", "gateway", "token", "add", "bench",
                                "--servers", "*", "--config", str(config)],
                               capture_output=True, text=True, check=True).stdout.strip()
        gateway = subprocess.Popen([sys.executable, "-m", "intentlens", "gateway", "--config", str(config)],
                                   stderr=subprocess.DEVNULL)
        processes.append(gateway)
        auth = {"Authorization": f"Bearer {token}"}
        via_gateway = f"http://127.0.0.1:{gateway_port}/servers/up/mcp"
        _wait(via_gateway, gateway, auth)
        targets: dict[str, tuple[str, dict[str, str]]] = {"direct": (direct, {}),
                                                          "gateway": (via_gateway, auth)}

        if not args.no_peer:
            peer_port = _free_port()
            script = folder / "peer.py"
            script.write_text(PEER_SCRIPT, encoding="utf-8")
            peer = subprocess.Popen([str(_peer_python()), str(script), direct, str(peer_port)],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            processes.append(peer)
            _wait(f"http://127.0.0.1:{peer_port}/mcp", peer)
            targets["fastmcp-proxy"] = (f"http://127.0.0.1:{peer_port}/mcp", {})

        times = await _latency(targets, args.calls)
        latency = {name: {"p50_ms": round(_p(t, 50), 3), "p95_ms": round(_p(t, 95), 3), "calls": len(t)}
                   for name, t in times.items()}
        if args.only == "latency":
            return {"latency_one_client": latency,
                    "added_p50_ms": round(latency["gateway"]["p50_ms"] - latency["direct"]["p50_ms"], 3)}
        throughput: dict[str, list[float]] = {name: [] for name in targets}
        for _ in range(2):
            for name, (url, headers) in targets.items():
                throughput[name].append(await _throughput(url, headers, args.clients, args.calls_each))
        per_second = {name: round(max(v), 1) for name, v in throughput.items()}

        done, started = 0, time.perf_counter()
        sessions = [await Session(via_gateway, auth).open() for _ in range(args.clients)]
        while done < args.rss_calls:
            each = max(1, min(100, (args.rss_calls - done) // args.clients))
            await _run(sessions, each)
            done += each * args.clients
            print(f"  {done} calls, gateway RSS {_rss_mb(gateway.pid):.0f} MB", file=sys.stderr)
        rss = _rss_mb(gateway.pid)
        for session in sessions:
            await session.close()
        recorded = json.loads(subprocess.run(
            [sys.executable, "-c", "import sqlite3,sys,json; print(json.dumps(sqlite3.connect(sys.argv[1])"
             ".execute('SELECT COUNT(*) FROM calls').fetchone()[0]))", str(folder / "gw.sqlite")],
            capture_output=True, text=True, check=True).stdout)
        added = latency["gateway"]["p50_ms"] - latency["direct"]["p50_ms"]
        results: dict[str, object] = {
            "date": time.strftime("%Y-%m-%d"), "machine": f"{os.cpu_count()} cores",
            "latency_one_client": latency,
            "added_p50_ms": round(added, 3),
            "added_p95_ms": round(latency["gateway"]["p95_ms"] - latency["direct"]["p95_ms"], 3),
            "throughput_calls_per_s": per_second, "clients": args.clients,
            "rss_mb_after_calls": round(rss, 1), "calls_recorded": recorded,
            "rss_phase_seconds": round(time.perf_counter() - started, 1),
            "targets": {"added_p50_ms_max": 1.0, "throughput_vs_peer_min": 2.0, "rss_mb_max": 150},
            "aggregate": aggregate, "aggregate_date": time.strftime("%Y-%m-%d"),
        }
        if "fastmcp-proxy" in per_second:
            results["throughput_vs_peer"] = round(per_second["gateway"] / per_second["fastmcp-proxy"], 2)
        return results
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _markdown(r: dict[str, object]) -> str:
    latency = r["latency_one_client"]
    assert isinstance(latency, dict)
    lines = [f"# Gateway benchmark ({r['date']}, {r['machine']})", "",
             "Added latency (one client, sequential calls) and throughput (all clients at once), same run.",
             "", f"| target | p50 ms | p95 ms | calls/s at {r['clients']} clients |",
             "| --- | --- | --- | --- |"]
    throughput = r["throughput_calls_per_s"]
    assert isinstance(throughput, dict)
    for name, figures in latency.items():
        lines.append(f"| {name} | {figures['p50_ms']} | {figures['p95_ms']} | {throughput[name]} |")
    lines += ["", f"- added at p50: {r['added_p50_ms']} ms (target at most 1 ms); "
                  f"at p95: {r['added_p95_ms']} ms",
              f"- throughput vs the peer: {peer}x (target at least 2x)"
              if (peer := r.get("throughput_vs_peer")) else "- throughput vs the peer: not run",
              f"- RSS after {r['calls_recorded']} recorded calls: {r['rss_mb_after_calls']} MB "
              "(target under 150 MB)"]
    if isinstance(aggregate := r.get("aggregate"), dict):
        lines += ["", f"## Aggregate endpoint ({r.get('aggregate_date')}): {aggregate['clients']} clients at "
                      f"once, {aggregate['servers']} stdio servers, {aggregate['rounds']} rounds", "",
                  "Each client opens a session, lists the tools and calls one tool of the first server.", "",
                  "| endpoint | request p50 ms | request p95 ms | tools/list p95 ms | session p50 ms | "
                  "session p95 ms |", "| --- | --- | --- | --- | --- | --- |"]
        for name, f in aggregate["endpoints"].items():
            lines.append(f"| {name} | {f['request_p50_ms']} | {f['request_p95_ms']} | {f['list_p95_ms']} | "
                         f"{f['session_p50_ms']} | {f['session_p95_ms']} |")
        ratio = aggregate["aggregate_vs_per_server_p95"]
        lines += ["", f"- aggregate vs per-server p95: {ratio['request_p95_ms']}x per request, "
                      f"{ratio['session_p95_ms']}x per session (target at most 2x)"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=300, help="sequential calls per target for latency")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--calls-each", type=int, default=20, help="calls per client for throughput")
    parser.add_argument("--rss-calls", type=int, default=100_000)
    parser.add_argument("--no-peer", action="store_true", help="skip fastmcp's proxy")
    parser.add_argument("--aggregate-clients", type=int, default=20)
    parser.add_argument("--aggregate-rounds", type=int, default=3)
    parser.add_argument("--only", choices=["aggregate", "latency"], help="run one phase; keep the others' last figures")
    parser.add_argument("--out", type=Path, default=OUT)
    outcome = asyncio.run(main(parser.parse_args()))
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    (out / "gateway.json").write_text(json.dumps(outcome, indent=2) + "\n", encoding="utf-8")
    (out / "gateway.md").write_text(_markdown(outcome), encoding="utf-8")
    print(_markdown(outcome))

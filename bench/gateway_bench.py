"""Gateway benchmark: added latency, throughput and memory, against the upstream alone and a peer proxy.

    .venv/bin/python bench/gateway_bench.py [--calls 300] [--clients 50] [--rss-calls 100000]

The upstream is the tests' real demo MCP server over Streamable HTTP. Three targets answer the same
``tools/call`` (``add``): the upstream directly, ``intentlens gateway`` in front of it (recording on,
the default checks on, one token), and fastmcp 4.1.2's proxy (``create_proxy`` over one connected
client, its fastest mode) as the peer, installed on first use into its own virtual environment under
``~/.cache/intentlens/bench-peers`` (``--no-peer`` skips it). Every client is a raw JSON-RPC client
over HTTP with its own MCP session (no SDK overhead on the client side); the targets are measured in
interleaved rounds so that load on the machine affects them alike. Writes
``bench/results/gateway.{json,md}``. Targets (issue #27): at most 1 ms added at p50 for one client,
at least 2x the peer's throughput at 50 clients, RSS under 150 MB after 100,000 recorded calls.
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


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1]


async def main(args: argparse.Namespace) -> dict[str, object]:
    folder = Path(tempfile.mkdtemp(prefix="gateway-bench-"))
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
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=300, help="sequential calls per target for latency")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--calls-each", type=int, default=20, help="calls per client for throughput")
    parser.add_argument("--rss-calls", type=int, default=100_000)
    parser.add_argument("--no-peer", action="store_true", help="skip fastmcp's proxy")
    parser.add_argument("--out", type=Path, default=OUT)
    outcome = asyncio.run(main(parser.parse_args()))
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    (out / "gateway.json").write_text(json.dumps(outcome, indent=2) + "\n", encoding="utf-8")
    (out / "gateway.md").write_text(_markdown(outcome), encoding="utf-8")
    print(_markdown(outcome))

"""`kill -9` of the gateway with 10 clients and 200 calls in flight: every call whose reply a client
received is in the store (replies are sent only after their call is committed). Repeated three times
on one store."""

from __future__ import annotations

import asyncio
import json
import random
import signal
import sys
from pathlib import Path

import httpx

from tests.gateway.conftest import RunningGateway, start_gateway
from tests.proxy.conftest import DEMO

CLIENTS, CALLS = 10, 20


async def _client(gateway: RunningGateway, number: int, round_: int, received: set[str]) -> None:
    async with httpx.AsyncClient(base_url=gateway.url, headers=gateway.headers(), timeout=60) as http:
        init = {"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "k", "version": "0"}}}
        opened = await http.post("/servers/demo/mcp", json=init)
        session = {"Mcp-Session-Id": opened.headers["mcp-session-id"]}
        await http.post("/servers/demo/mcp", json={"jsonrpc": "2.0", "method": "notifications/initialized"},
                        headers=session)

        async def call(i: int) -> None:
            request_id = f"r{round_}-c{number}-{i}"
            body = {"jsonrpc": "2.0", "id": request_id, "method": "tools/call",
                    "params": {"name": "hang", "arguments": {"seconds": random.uniform(0.0, 1.5)}}}
            try:
                reply = await http.post("/servers/demo/mcp", json=body, headers=session)
            except httpx.HTTPError:
                return  # the gateway died first: no reply, nothing promised
            if reply.status_code == 200 and "result" in reply.json():
                received.add(json.dumps(request_id))

        await asyncio.gather(*(call(i) for i in range(CALLS)), return_exceptions=True)


async def _round(gateway: RunningGateway, round_: int) -> set[str]:
    received: set[str] = set()
    clients = asyncio.gather(*(_client(gateway, n, round_, received) for n in range(CLIENTS)),
                             return_exceptions=True)
    for _ in range(600):  # kill once some calls are answered and the rest are in flight
        if len(received) >= 20:
            break
        await asyncio.sleep(0.05)
    gateway.process.send_signal(signal.SIGKILL)
    await clients
    return received


async def test_kill_9_loses_no_call_a_client_saw_answered(tmp_path: Path, store: str) -> None:
    total, tokens = 0, {}
    for round_ in range(3):
        gateway = start_gateway(tmp_path, {"demo": [sys.executable, str(DEMO)]},
                                tokens={"alice": ["*"]} if round_ == 0 else {}, store=store)
        tokens = tokens or gateway.tokens  # made in the first round, kept in the store
        gateway.tokens = tokens
        received = await _round(gateway, round_)
        gateway.process.wait()
        recorded = {r for (r,) in gateway.rows("SELECT request_id FROM calls")}
        assert received <= recorded, f"round {round_}: {len(received - recorded)} answered calls not stored"
        total += len(received)
        # the processes the killed gateway started are orphans now; they exit when their input closes
    assert total > 0, "no call was answered before the kill: the test proved nothing"

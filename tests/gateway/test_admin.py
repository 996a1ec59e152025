"""What an admin does at run time, tried also by tokens that may not: servers added and removed
(persisted, no restart), tokens with roles and tool allow-lists made over the API and the page, and
servers run with resource limits. Real servers, the `mcp` SDK client and the admin API."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.gateway.conftest import RunningGateway, start_gateway, stop_gateway
from tests.gateway.test_clients import connect
from tests.proxy.conftest import DEMO


def api(gateway: RunningGateway, token: str, method: str, path: str, body: object = None) -> httpx.Response:
    return httpx.request(method, f"{gateway.url}{path}", json=body, timeout=60,
                         headers={"Authorization": f"Bearer {gateway.tokens[token]}"})


def restart(gateway: RunningGateway) -> RunningGateway:
    """The same gateway (config, store, tokens) started again as a new process."""
    stop_gateway(gateway)
    command = [sys.executable, "-m", "intentlens", "gateway", "--config", str(gateway.config)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            if httpx.get(f"{gateway.url}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    return RunningGateway(gateway.url, gateway.config, gateway.db, process, gateway.tokens)


@pytest.fixture
def http_demo() -> Iterator[str]:
    """The demo server over Streamable HTTP (its URL)."""
    process = subprocess.Popen([sys.executable, str(DEMO), "--http"], stdout=subprocess.PIPE)
    assert process.stdout is not None
    port = int(process.stdout.readline().split()[1])
    yield f"http://127.0.0.1:{port}/mcp"
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture
def admin_gateway(tmp_path: Path) -> Iterator[RunningGateway]:
    gateway = start_gateway(tmp_path, {"demo": [sys.executable, str(DEMO)]},
                            tokens={"alice": ["*"], "ada": ["*"], "olga": ["demo"]},
                            roles={"ada": ["admin"], "olga": ["admin"]})
    yield gateway
    stop_gateway(gateway)


async def test_an_admin_adds_and_removes_servers_at_run_time(admin_gateway: RunningGateway,
                                                             http_demo: str) -> None:
    gateway = admin_gateway
    web = {"name": "web", "url": http_demo}
    assert api(gateway, "alice", "POST", "/admin/servers", web).status_code == 403  # a client token
    assert api(gateway, "olga", "POST", "/admin/servers", web).status_code == 403  # an admin of one server
    command = {"name": "shell", "command": "/bin/sh", "args": ["-c", "echo pwned"]}
    refused = api(gateway, "ada", "POST", "/admin/servers", command)
    assert refused.status_code == 409 and "runtime_commands" in refused.json()["error"]
    bad_name = {"name": "bad_name", "url": http_demo}
    assert api(gateway, "ada", "POST", "/admin/servers", bad_name).status_code == 409
    assert api(gateway, "ada", "POST", "/admin/servers", web).status_code == 201
    async with connect(gateway, "/servers/web/mcp") as client:  # no restart
        assert (await client.call_tool("add", {"a": 2, "b": 3})).structured_content == {"result": 5}
    gateway = restart(gateway)  # persisted in the store
    try:
        async with connect(gateway, "/servers/web/mcp") as client:
            assert not (await client.call_tool("add", {"a": 1, "b": 1})).is_error
        listed = {s["name"]: s["source"] for s in api(gateway, "ada", "GET", "/admin/servers").json()}
        assert listed == {"demo": "config", "web": "runtime"}
        assert api(gateway, "ada", "DELETE", "/admin/servers/demo").status_code == 409  # the file's: refused
        assert api(gateway, "ada", "DELETE", "/admin/servers/web").status_code == 200
        gone = httpx.post(f"{gateway.url}/servers/web/mcp", headers=gateway.headers(), timeout=30,
                          content=b'{"jsonrpc": "2.0", "id": 1, "method": "ping"}')
        assert gone.status_code == 404
        events = api(gateway, "ada", "GET", "/admin/events").json()
        trail = [(e["actor"], e["action"], e["subject"]) for e in events]
        assert trail[:2] == [("ada", "server removed", "web"), ("ada", "server added", "web")]
    finally:
        stop_gateway(gateway)


async def test_a_token_with_a_tool_allow_list_sees_and_calls_only_those_tools(
        admin_gateway: RunningGateway) -> None:
    gateway = admin_gateway
    eve = {"name": "eve", "servers": ["demo"], "roles": ["client"], "tools": ["demo/add", "demo/p?d"]}
    made = api(gateway, "ada", "POST", "/admin/tokens", eve)
    assert made.status_code == 201 and made.json()["token"].startswith("ilt_")
    gateway.tokens["eve"] = made.json()["token"]
    assert api(gateway, "olga", "POST", "/admin/tokens", {"name": "x", "servers": ["*"]}).status_code == 403
    async with connect(gateway, "/servers/demo/mcp", "eve") as client:
        assert {t.name for t in (await client.list_tools()).tools} == {"add", "pid"}
        assert not (await client.call_tool("add", {"a": 1, "b": 2})).is_error
        refused = await client.call_tool("send_email", {"to": "x@example.com", "body": "hi"})
        assert refused.is_error and "allow-list" in refused.content[0].text
    async with connect(gateway, "/mcp", "eve") as client:  # the aggregate endpoint applies it too
        assert {t.name for t in (await client.list_tools()).tools} == {"demo__add", "demo__pid"}
        assert (await client.call_tool("demo__send_email", {"to": "x@example.com", "body": "hi"})).is_error
    assert gateway.rows("SELECT tool, forwarded FROM verdicts ORDER BY id") == [("send_email", 0)] * 2
    assert api(gateway, "ada", "DELETE", "/admin/tokens/eve").status_code == 200
    revoked = httpx.post(f"{gateway.url}/servers/demo/mcp", headers=gateway.headers("eve"), timeout=30,
                         content=b'{"jsonrpc": "2.0", "id": 1, "method": "ping"}')
    assert revoked.status_code == 401


def test_the_admin_page_makes_tokens_and_refuses_who_may_not(admin_gateway: RunningGateway) -> None:
    gateway = admin_gateway
    as_ada = {"Authorization": f"Bearer {gateway.tokens['ada']}"}
    page = httpx.post(f"{gateway.url}/ui/admin", headers=as_ada, timeout=30, data={
        "action": "add-token", "name": "dash", "servers": "*", "roles": "client,viewer", "tools": ""})
    assert page.status_code == 200 and "ilt_" in page.text  # the secret, shown once
    assert "dash" in httpx.get(f"{gateway.url}/ui/admin", headers=as_ada).text
    for who in ("olga",):  # an admin of one server: no admin page
        assert httpx.get(f"{gateway.url}/ui/admin", headers={"Authorization": f"Bearer {gateway.tokens[who]}"}
                         ).status_code == 403
    assert httpx.post(f"{gateway.url}/ui/admin", headers={**as_ada, "Origin": "http://evil.example"},
                      data={"action": "revoke-token", "name": "dash"}).status_code == 403  # cross-site
    made = gateway.rows("SELECT roles, revoked_at FROM tokens WHERE name = 'dash'")
    assert made == [('["client", "viewer"]', None)]


@pytest.fixture
def listener() -> Iterator[int]:
    """A TCP port on 127.0.0.1 that accepts connections."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                server.accept()[0].close()
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    server.close()


async def test_a_server_runs_with_the_limits_its_config_gives(tmp_path: Path, listener: int) -> None:
    extra = "\n[servers.boxed.limits]\nnetwork = false\nmemory_mb = 400\n"
    gateway = start_gateway(tmp_path, {"boxed": [sys.executable, str(DEMO)]}, extra=extra)
    try:
        socket.create_connection(("127.0.0.1", listener), timeout=5).close()  # the port is there
        async with connect(gateway, "/servers/boxed/mcp") as client:
            reached = (await client.call_tool("connect", {"port": listener})).structured_content["result"]
            assert reached.startswith("no connection")  # not even loopback
            assert (await client.call_tool("allocate", {"megabytes": 600})).structured_content == \
                {"result": "out of memory"}
            assert (await client.call_tool("allocate", {"megabytes": 10})).structured_content == \
                {"result": "allocated 10 MB"}
    finally:
        stop_gateway(gateway)

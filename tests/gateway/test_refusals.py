"""Requests the gateway refuses: each with the right status, a JSON-RPC error, and nothing forwarded."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

import httpx
import pytest

from tests.gateway.conftest import RunningGateway

CALL = {"jsonrpc": "2.0", "id": 7, "method": "tools/call",
        "params": {"name": "add", "arguments": {"a": 1, "b": 2}}}
INIT = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-11-25", "capabilities": {},
                   "clientInfo": {"name": "t", "version": "0"}}}


def post(gateway: RunningGateway, path: str, body: object = CALL, *, headers: dict[str, str] | None = None,
         raw: bytes | None = None) -> httpx.Response:
    content = raw if raw is not None else json.dumps(body).encode()
    return httpx.post(f"{gateway.url}{path}", content=content,
                      headers=headers if headers is not None else gateway.headers(), timeout=30)


def nothing_forwarded(gateway: RunningGateway) -> None:
    assert gateway.rows("SELECT COUNT(*) FROM calls") == [(0,)]
    assert gateway.rows("SELECT COUNT(*) FROM sessions") == [(0,)]  # no relay, no server started


def test_a_request_without_a_valid_token_is_refused_with_401(demo_gateway: RunningGateway) -> None:
    plain = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
    for headers in (plain, {**plain, "Authorization": "Bearer ilt_0000000000000000_" + "a" * 43},
                    {**plain, "Authorization": "Basic YWxpY2U6cHc="},
                    {**plain, "Authorization": "Bearer " + demo_gateway.tokens["alice"][:-1] + "x"}):
        reply = post(demo_gateway, "/servers/demo/mcp", headers=headers)
        assert reply.status_code == 401, headers
        assert reply.json()["error"]["message"].startswith("unauthorized")
        assert reply.headers["www-authenticate"].startswith("Bearer")
    nothing_forwarded(demo_gateway)


def test_a_revoked_token_is_refused_at_once(demo_gateway: RunningGateway) -> None:
    assert post(demo_gateway, "/servers/demo/mcp", INIT).status_code == 200
    subprocess.run([sys.executable, "-m", "intentlens", "gateway", "token", "revoke", "alice", "--config",
                    str(demo_gateway.config)], check=True, capture_output=True)
    assert post(demo_gateway, "/servers/demo/mcp", CALL).status_code == 401
    assert demo_gateway.rows("SELECT COUNT(*) FROM calls") == [(0,)]


def test_a_server_out_of_a_tokens_reach_looks_like_no_server(demo_gateway: RunningGateway) -> None:
    out_of_reach = post(demo_gateway, "/servers/demo/mcp", headers=demo_gateway.headers("bob"))
    absent = post(demo_gateway, "/servers/no-such/mcp", headers=demo_gateway.headers("bob"))
    assert out_of_reach.status_code == absent.status_code == 404  # a scoped token learns no other name
    assert out_of_reach.json() == absent.json()
    nothing_forwarded(demo_gateway)


@pytest.mark.parametrize("header", [{"Host": "evil.example"}, {"Host": "attacker.test:8765"},
                                    {"Origin": "http://evil.example"}, {"Origin": "https://localhost.evil.com"}])
def test_a_foreign_host_or_origin_is_refused(demo_gateway: RunningGateway, header: dict[str, str]) -> None:
    reply = post(demo_gateway, "/servers/demo/mcp", headers=demo_gateway.headers(**header))
    assert reply.status_code == 403, reply.text
    nothing_forwarded(demo_gateway)


@pytest.mark.parametrize("path", ["/servers/../mcp", "/servers/%2E%2E/mcp", "/servers/demo%2F..%2Fother/mcp",
                                  "/servers/demo/../other/mcp", "/servers/nope/mcp", "/servers//mcp"])
def test_server_names_with_path_tricks_reach_nothing(demo_gateway: RunningGateway, path: str) -> None:
    body = json.dumps(CALL).encode()
    head = "".join(f"{k}: {v}\r\n" for k, v in demo_gateway.headers("bob").items())
    port = int(demo_gateway.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:  # the path exactly as written
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{head}Content-Length: {len(body)}\r\n"
                     f"Connection: close\r\n\r\n".encode() + body)
        status = int(sock.recv(64).split()[1])
    assert status in (403, 404), (path, status)
    nothing_forwarded(demo_gateway)


def test_bodies_that_are_too_big_malformed_or_batches_are_refused(demo_gateway: RunningGateway) -> None:
    big = post(demo_gateway, "/servers/demo/mcp", raw=b'{"jsonrpc":"2.0","id":1,"method":"x","params":{"p":"'
               + b"a" * (5 * 1024 * 1024) + b'"}}')
    assert big.status_code == 413
    for raw, code in [(b"{not json", -32700), (b'"a string"', -32600),
                      (b'{"jsonrpc":"1.0","id":1,"method":"x"}', -32600),
                      (b'{"jsonrpc":"2.0","id":null,"method":"x"}', -32600),
                      (b'{"jsonrpc":"2.0","id":1.5,"method":"x"}', -32600),
                      (b'{"jsonrpc":"2.0","id":1,"method":"x","params":[1]}', -32600),
                      (json.dumps([CALL, CALL]).encode(), -32600)]:
        reply = post(demo_gateway, "/servers/demo/mcp", raw=raw)
        assert reply.status_code == 400 and reply.json()["error"]["code"] == code, raw
    nothing_forwarded(demo_gateway)


def test_a_session_belongs_to_its_token(demo_gateway: RunningGateway) -> None:
    opened = post(demo_gateway, "/servers/other/mcp", INIT, headers=demo_gateway.headers("bob"))
    session = opened.headers["mcp-session-id"]
    stolen = post(demo_gateway, "/servers/other/mcp", CALL, headers=demo_gateway.headers(
        "alice", **{"Mcp-Session-Id": session}))
    assert stolen.status_code == 404
    gone = httpx.get(f"{demo_gateway.url}/servers/other/mcp", headers=demo_gateway.headers("bob"))
    assert gone.status_code == 405  # no standalone SSE stream: said, not hung
    assert demo_gateway.rows("SELECT COUNT(*) FROM calls") == [(0,)]


def test_a_gateway_without_authentication_binds_only_loopback(tmp_path) -> None:
    config = tmp_path / "gateway.toml"
    config.write_text('[gateway]\nhost = "0.0.0.0"\nauth = false\n\n[servers.demo]\ncommand = "python3"\n',
                      encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "intentlens", "gateway", "--config", str(config)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "without authentication" in done.stderr
    assert done.stderr.startswith("error: ") and "Traceback" not in done.stderr


def test_calls_beyond_a_tokens_rate_limit_are_refused_and_recorded(tmp_path) -> None:
    from tests.gateway.conftest import start_gateway, stop_gateway
    from tests.proxy.conftest import DEMO

    gateway = start_gateway(tmp_path, {"demo": [sys.executable, str(DEMO)]},
                            extra="rate_limit_per_minute = 3\n", tokens={"alice": ["*"], "bob": ["*"]})
    try:
        answers = [post(gateway, "/servers/demo/mcp", {**CALL, "id": n}).json() for n in range(5)]
        texts = [json.dumps(a) for a in answers]
        assert all("rate limit" not in t for t in texts[:3]) and all("rate limit" in t for t in texts[3:])
        other = post(gateway, "/servers/demo/mcp", headers=gateway.headers("bob")).json()
        assert "rate limit" not in json.dumps(other)  # the limit is per token
        assert gateway.rows("SELECT COUNT(*) FROM verdicts WHERE forwarded = 0") == [(2,)]
    finally:
        stop_gateway(gateway)

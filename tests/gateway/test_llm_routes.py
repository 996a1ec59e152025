"""The ``/v1`` pass-through forwards only its allow-list, with the organisation's key, and nothing else.

An attacker with a valid client token tried to walk out of ``/v1`` (``..``, encoded dots and slashes)
to reach other paths of the model host with the upstream key attached. Requests are written on the
socket exactly as given (like ``curl --path-as-is``); a stub model host records every path it
receives. A Hypothesis test sends arbitrary paths and checks that nothing outside the allow-list ever
reaches the host.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import openai
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.gateway.conftest import RunningGateway, start_gateway, stop_gateway
from tests.proxy.conftest import DEMO

ALLOWED = {"/v1/chat/completions", "/v1/completions", "/v1/responses", "/v1/embeddings", "/v1/models"}


class ModelHost(BaseHTTPRequestHandler):
    """Answers anything with a small OpenAI-shaped body; records (method, path, Authorization)."""

    seen: list[tuple[str, str, str]] = []

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        ModelHost.seen.append((self.command, self.path, self.headers.get("Authorization", "")))
        if self.path.startswith("/v1/embeddings"):
            body = {"object": "list", "model": "stub", "data": [{"object": "embedding", "index": 0,
                                                                 "embedding": [0.1, 0.2]}],
                    "usage": {"prompt_tokens": 1, "total_tokens": 1}}
        elif self.path.startswith("/v1/models"):
            body = {"object": "list",
                    "data": [{"id": "stub", "object": "model", "created": 0, "owned_by": "me"}]}
        else:
            body = {"id": "c", "object": "chat.completion", "created": 0, "model": "stub", "choices": [
                {"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}]}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = _answer  # noqa: N815 - http.server's hook names

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture(scope="module")
def model_host() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), ModelHost)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


@pytest.fixture(scope="module")
def gateway(model_host: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningGateway]:
    folder = tmp_path_factory.mktemp("llm-routes")
    running = start_gateway(folder, {"demo": [sys.executable, str(DEMO)]},
                            extra=f'\n[llm]\nurl = "{model_host}"\napi_key_env = "ORG_KEY"\n',
                            env={**os.environ, "ORG_KEY": "org-secret"})
    yield running
    stop_gateway(running)


def raw(gateway: RunningGateway, method: str, path: str, body: bytes = b"") -> int:
    """Send one request with the path exactly as written; its HTTP status."""
    port = int(gateway.url.rsplit(":", 1)[1])
    head = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {gateway.tokens['alice']}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n")
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head.encode("latin-1") + body)
        reply = sock.recv(4096)
    return int(reply.split()[1]) if reply else 0


@pytest.mark.parametrize("path", ["/v1/../../etc/passwd", "/v1/..%2F..%2Fetc/passwd",
                                  "/v1/%2e%2e/%2e%2e/admin",
                                  "/v1/chat/completions/../../../internal", "/v1/chat%2Fcompletions",
                                  "/v1/./models", "/v1//models", "/v1/models/../../x", "/v1/files",
                                  "/v1/fine_tuning/jobs", "/v1/chat/completions%00", "/v1/models/.."])
def test_a_path_outside_the_allow_list_never_reaches_the_model_host(gateway: RunningGateway,
                                                                    path: str) -> None:
    ModelHost.seen = []
    for method in ("GET", "POST"):
        assert raw(gateway, method, path, b"{}") in (400, 404, 405)
    assert ModelHost.seen == []


def test_the_allowed_routes_reach_the_host_with_the_org_key_and_their_query(gateway: RunningGateway) -> None:
    ModelHost.seen = []
    client = openai.OpenAI(base_url=f"{gateway.url}/v1", api_key=gateway.tokens["alice"], max_retries=0,
                           default_query={"api-version": "2024-06-01"})
    assert client.chat.completions.create(model="stub", messages=[{"role": "user", "content": "hi"}]) \
        .choices[0].message.content == "ok"
    assert client.embeddings.create(model="stub", input="hi").data[0].embedding == [0.1, 0.2]
    assert [m.id for m in client.models.list()] == ["stub"]
    assert raw(gateway, "GET", "/v1/models/Qwen/Qwen2.5-7B") == 200
    assert raw(gateway, "POST", "/v1/models") == 404  # the model list is read, never written
    paths = [(method, path) for method, path, _ in ModelHost.seen]
    assert paths == [("POST", "/v1/chat/completions?api-version=2024-06-01"),
                     ("POST", "/v1/embeddings?api-version=2024-06-01"),
                     ("GET", "/v1/models?api-version=2024-06-01"), ("GET", "/v1/models/Qwen/Qwen2.5-7B")]
    assert {auth for _, _, auth in ModelHost.seen} == {"Bearer org-secret"}  # the client's token never leaves


pieces = st.sampled_from(["v1", "..", ".", "%2e", "%2E%2e", "%2f", "%2F", "%5c", "\\", "chat", "completions",
                          "models", "embeddings", "responses", "etc", "passwd", "admin", "%00", "", "a%20b",
                          "?x=1", "#frag", ";x", "%252e%252e"])


@settings(max_examples=int(os.environ.get("INTENTLENS_FUZZ_EXAMPLES", "150")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(pieces, min_size=1, max_size=6), st.sampled_from(["GET", "POST"]))
def test_nothing_outside_the_allow_list_ever_reaches_the_host(gateway: RunningGateway, parts: list[str],
                                                              method: str) -> None:
    ModelHost.seen = []
    path = "/v1/" + "/".join(parts)
    status = raw(gateway, method, path, b"{}")
    for _, reached, auth in ModelHost.seen:
        route = reached.split("?", 1)[0]
        assert route in ALLOWED or (route.startswith("/v1/models/") and ".." not in route), (path, reached)
        assert auth == "Bearer org-secret"
        assert status == 200
    if ModelHost.seen:  # what reached the host is what the client asked for, not a rewritten path
        assert path.split("?", 1)[0].split("#", 1)[0] == ModelHost.seen[0][1].split("?", 1)[0]


def test_the_allow_list_is_what_the_docs_say() -> None:
    from intentlens.gateway._llm import ROUTES

    assert {f"/v1/{route}" for route in ROUTES} == ALLOWED
    assert "chat/completions" in Path("docs/guides/gateway.md").read_text(encoding="utf-8")

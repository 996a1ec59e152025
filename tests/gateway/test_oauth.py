"""OAuth 2.1 access tokens (JWTs signed by a local issuer whose JWKS a server started here publishes)
in place of local tokens, with the Protected Resource Metadata the MCP authorization spec asks for."""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.gateway.conftest import RunningGateway, start_gateway, stop_gateway
from tests.proxy.conftest import DEMO

ISSUER, AUDIENCE = "https://issuer.example", "https://gateway.example/mcp"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


class Jwks(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the http.server hook
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(KEY.public_key()))
        body = json.dumps({"keys": [{**jwk, "kid": "k1", "use": "sig", "alg": "RS256"}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def oauth_gateway(tmp_path: Path) -> Iterator[RunningGateway]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Jwks)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    extra = (f'\n[oauth]\nissuer = "{ISSUER}"\naudience = "{AUDIENCE}"\n'
             f'jwks_url = "http://127.0.0.1:{server.server_address[1]}/jwks.json"\n')
    servers = {"demo": [sys.executable, str(DEMO)], "other": [sys.executable, str(DEMO)]}
    gateway = start_gateway(tmp_path, servers, extra=extra)
    yield gateway
    stop_gateway(gateway)
    server.shutdown()


def token(key=KEY, **claims: object) -> str:
    body = {"iss": ISSUER, "aud": AUDIENCE, "sub": "ada", "exp": int(time.time()) + 300,
            "mcp_servers": ["demo"], **claims}
    return jwt.encode(body, key, algorithm="RS256", headers={"kid": "k1"})


def call(gateway: RunningGateway, presented: str, server: str = "demo") -> httpx.Response:
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "add",
                                                                         "arguments": {"a": 1, "b": 2}}}
    return httpx.post(f"{gateway.url}/servers/{server}/mcp", json=body, timeout=30, headers={
        "Authorization": f"Bearer {presented}", "Accept": "application/json, text/event-stream"})


def test_a_valid_access_token_reaches_its_servers_and_names_its_caller(oauth_gateway: RunningGateway) -> None:
    reply = call(oauth_gateway, token())
    assert reply.status_code == 200 and reply.json()["id"] == 1  # through: the server answered it
    assert call(oauth_gateway, token(), server="other").status_code == 404  # out of reach: as if absent
    assert oauth_gateway.rows("SELECT caller FROM calls") == [("oauth:ada",)]
    assert call(oauth_gateway, oauth_gateway.tokens["alice"]).status_code == 200  # local tokens still work


@pytest.mark.parametrize("claims", [{"aud": "https://elsewhere.example"}, {"iss": "https://evil.example"},
                                    {"exp": int(time.time()) - 10}, {"sub": ""}])
def test_a_token_for_another_audience_issuer_or_time_is_refused(oauth_gateway: RunningGateway,
                                                                claims: dict) -> None:
    reply = call(oauth_gateway, token(**claims))
    assert reply.status_code == 401
    challenge = reply.headers["www-authenticate"]
    assert "resource_metadata=" in challenge and "/.well-known/oauth-protected-resource" in challenge


def test_a_token_signed_by_another_key_is_refused(oauth_gateway: RunningGateway) -> None:
    assert call(oauth_gateway, token(key=OTHER_KEY)).status_code == 401
    assert oauth_gateway.rows("SELECT COUNT(*) FROM calls") == [(0,)]


def test_the_protected_resource_metadata_is_served(oauth_gateway: RunningGateway) -> None:
    document = httpx.get(f"{oauth_gateway.url}/.well-known/oauth-protected-resource").json()
    assert document == {"resource": AUDIENCE, "authorization_servers": [ISSUER],
                        "bearer_methods_supported": ["header"]}

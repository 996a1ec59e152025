"""The gateway as a real subprocess (``python -m intentlens gateway``) in front of real MCP servers."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from intentlens.gateway import TokenBook, load_config
from intentlens.proxy import Store
from tests.postgres import postgres_server, postgres_url  # noqa: F401  (fixtures)
from tests.proxy.conftest import DEMO

CHANGING = Path(__file__).parent / "changing_server.py"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def toml_servers(servers: dict[str, list[str]]) -> str:
    lines = []
    for name, command in servers.items():
        args = ", ".join(f'"{a}"' for a in command[1:])
        lines += [f"[servers.{name}]", f'command = "{command[0]}"', f"args = [{args}]", ""]
    return "\n".join(lines)


@dataclass
class RunningGateway:
    url: str
    config: Path
    db: Path | str
    process: subprocess.Popen[bytes]
    tokens: dict[str, str]

    def headers(self, token: str = "alice", **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[token]}", "Content-Type": "application/json",
                "Accept": "application/json, text/event-stream", **extra}

    def rows(self, sql: str) -> list[tuple]:
        store = Store(self.db)
        try:
            return store.query(sql)
        finally:
            store.close()


def start_gateway(tmp_path: Path, servers: dict[str, list[str]], *, extra: str = "",
                  tokens: dict[str, list[str]] | None = None, env: dict[str, str] | None = None,
                  store: str = "gw.sqlite", roles: dict[str, list[str]] | None = None) -> RunningGateway:
    """A gateway subprocess; ``tokens`` maps names to the servers they reach, ``roles`` names to their
    roles (client when not named)."""
    port = free_port()
    config = tmp_path / "gateway.toml"
    config.write_text(f"[gateway]\nport = {port}\nstore = \"{store}\"\n{extra}\n\n{toml_servers(servers)}",
                      encoding="utf-8")
    loaded = load_config(config)
    store = Store(loaded.store_path())
    book = TokenBook(store)
    made = {name: book.add(name, reach, (roles or {}).get(name, ["client"]))
            for name, reach in (tokens if tokens is not None else {"alice": ["*"]}).items()}
    store.close()
    log = (tmp_path / "gateway.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "intentlens", "gateway", "--config", str(config)],
                               stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError((tmp_path / "gateway.log").read_text())
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    else:
        raise AssertionError("the gateway did not start")
    return RunningGateway(url, config, loaded.store_path(), process, made)


def stop_gateway(gateway: RunningGateway) -> None:
    if gateway.process.poll() is None:
        gateway.process.terminate()
        try:
            gateway.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            gateway.process.kill()
            gateway.process.wait()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest) -> str:
    """Where a gateway records: an SQLite file, or a fresh database on a real PostgreSQL server."""
    return "gw.sqlite" if request.param == "sqlite" else str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def demo_gateway(tmp_path: Path, store: str) -> Iterator[RunningGateway]:
    """The demo server behind a gateway; tokens alice (every server) and bob (server 'other' only)."""
    gateway = start_gateway(tmp_path, {"demo": [sys.executable, str(DEMO)],
                                       "other": [sys.executable, str(DEMO)]},
                            tokens={"alice": ["*"], "bob": ["other"]}, store=store)
    yield gateway
    stop_gateway(gateway)

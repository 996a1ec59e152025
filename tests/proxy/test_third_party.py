"""The proxy in front of real third-party MCP servers, installed by this fixture on first use:
mcp-server-time and mcp-server-git (PyPI, their own virtual environment; 2026-07-28 era) and
server-everything and server-filesystem (npm; the 2025-11-25 handshake)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from mcp import Client, StdioServerParameters

from tests.proxy.conftest import proxy_params, write_config

CACHE = Path(os.environ.get("INTENTLENS_TEST_SERVERS",
                            Path.home() / ".cache" / "intentlens" / "test-servers"))
PIP_SERVERS = ["mcp-server-time==2026.10.19", "mcp-server-git==2026.10.19"]
NPM_SERVERS = ["@modelcontextprotocol/server-everything", "@modelcontextprotocol/server-filesystem"]


def _run(cmd: list[str], cwd: Path | None = None) -> None:
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0:
        pytest.fail(f"installing test servers failed: {' '.join(cmd)}\n{done.stderr[-2000:]}")


@pytest.fixture(scope="session")
def servers() -> dict[str, list[str]]:
    """Commands of the installed third-party servers (installed once into the cache)."""
    venv, npm = CACHE / "py", CACHE / "npm"
    if not (venv / "bin" / "mcp-server-git").exists():
        _run([sys.executable, "-m", "venv", str(venv)])
        _run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", *PIP_SERVERS])
    if not (npm / "node_modules" / ".bin" / "mcp-server-filesystem").exists():
        npm.mkdir(parents=True, exist_ok=True)
        _run(["npm", "install", "--no-audit", "--no-fund", *NPM_SERVERS], cwd=npm)
    bin_py, bin_npm = venv / "bin", npm / "node_modules" / ".bin"
    return {"time": [str(bin_py / "mcp-server-time")],
            "git": [str(bin_py / "mcp-server-git")],
            "everything": [str(bin_npm / "mcp-server-everything"), "stdio"],
            "filesystem": [str(bin_npm / "mcp-server-filesystem")]}


def _config(tmp_path: Path, name: str, command: list[str]) -> Path:
    return write_config(tmp_path, {name: {"command": command[0], "args": command[1:]}})


def _calls(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute("SELECT tool, arguments, is_error, protocol_version FROM calls"))


async def _both(direct: StdioServerParameters, proxied: StdioServerParameters, tool: str,
                arguments: dict) -> tuple:
    async with Client(direct) as client:
        expected = await client.call_tool(tool, arguments)
    async with Client(proxied) as client:
        names = {t.name for t in (await client.list_tools()).tools}
        got = await client.call_tool(tool, arguments)
        version = client.protocol_version
    assert tool in names
    return expected, got, version


async def test_mcp_server_time(tmp_path: Path, servers) -> None:
    db = tmp_path / "rec.sqlite"
    config = _config(tmp_path, "time", servers["time"])
    direct = StdioServerParameters(command=servers["time"][0])
    expected, got, version = await _both(direct, proxy_params(config, "--record", str(db)),
                                         "convert_time", {"source_timezone": "Europe/Paris",
                                                          "time": "12:00", "target_timezone": "Asia/Tokyo"})
    assert got.content == expected.content and not got.is_error
    assert _calls(db) == [("convert_time", json.dumps({"source_timezone": "Europe/Paris", "time": "12:00",
                                                       "target_timezone": "Asia/Tokyo"}), 0, version)]


async def test_mcp_server_git(tmp_path: Path, servers) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "notes.txt").write_text("hello", encoding="utf-8")
    db = tmp_path / "rec.sqlite"
    command = [*servers["git"], "--repository", str(repo)]
    config = _config(tmp_path, "git", command)
    direct = StdioServerParameters(command=command[0], args=command[1:])
    expected, got, _ = await _both(direct, proxy_params(config, "--record", str(db)), "git_status",
                                   {"repo_path": str(repo)})
    assert got.content == expected.content and "notes.txt" in got.content[0].text
    assert _calls(db)[0][0] == "git_status"


async def test_server_everything_legacy_handshake(tmp_path: Path, servers) -> None:
    db = tmp_path / "rec.sqlite"
    config = _config(tmp_path, "everything", servers["everything"])
    direct = StdioServerParameters(command=servers["everything"][0], args=servers["everything"][1:])
    expected, got, version = await _both(direct, proxy_params(config, "--record", str(db)), "echo",
                                         {"message": "hello through the proxy"})
    assert got.content == expected.content and "hello through the proxy" in got.content[0].text
    assert version != "2026-07-28"  # the npm servers speak the 2025-11-25 handshake
    assert _calls(db)[0][3] == version


async def test_server_filesystem(tmp_path: Path, servers) -> None:
    root = tmp_path / "files"
    root.mkdir()
    (root / "a.txt").write_text("alpha", encoding="utf-8")
    command = [*servers["filesystem"], str(root)]
    config = _config(tmp_path, "filesystem", command)
    direct = StdioServerParameters(command=command[0], args=command[1:])
    expected, got, _ = await _both(direct, proxy_params(config), "read_text_file",
                                   {"path": str(root / "a.txt")})
    assert got.content == expected.content and "alpha" in got.content[0].text

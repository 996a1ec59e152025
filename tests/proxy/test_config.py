"""Reading mcpServers configurations: clear errors on bad input."""

import json
from pathlib import Path

import pytest

from intentlens.errors import DataFormatError
from intentlens.proxy import HttpEndpoint, StdioCommand, load_servers, pick_server


def _write(tmp_path: Path, data) -> Path:
    path = tmp_path / "servers.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_stdio_and_http_entries(tmp_path: Path) -> None:
    path = _write(tmp_path, {"mcpServers": {
        "time": {"command": "mcp-server-time", "args": ["--local-timezone", "UTC"], "env": {"A": 1}},
        "remote": {"url": "http://127.0.0.1:9/mcp", "headers": {"Authorization": "Bearer x"}}}})
    servers = load_servers(path)
    assert servers["time"] == StdioCommand("mcp-server-time", ("--local-timezone", "UTC"), {"A": "1"})
    assert servers["remote"] == HttpEndpoint("http://127.0.0.1:9/mcp", {"Authorization": "Bearer x"})
    assert pick_server(servers, "remote", path) == ("remote", servers["remote"])
    with pytest.raises(DataFormatError, match="several servers \\(time, remote\\): pass --server"):
        pick_server(servers, None, path)
    with pytest.raises(DataFormatError, match="no server 'x'; known: time, remote"):
        pick_server(servers, "x", path)


@pytest.mark.parametrize(("data", "problem"), [
    ("{not json", "invalid JSON"),
    ({"servers": {}}, "expected a non-empty 'mcpServers' (or VS Code 'servers') object"),
    ({"mcpServers": {"a": {"args": []}}}, "servers.a: missing 'command'"),
    ({"mcpServers": {"a": {"command": "x", "args": "no"}}}, "'args' must be a list"),
    ({"mcpServers": {"a": {"url": 5}}}, "'url' must be a string"),
])
def test_bad_configs(tmp_path: Path, data, problem: str) -> None:
    with pytest.raises(DataFormatError, match=problem.replace("(", "\\(").replace(")", "\\)")):
        load_servers(_write(tmp_path, data))

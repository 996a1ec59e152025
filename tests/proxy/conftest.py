"""Fixtures that start the proxy as a real subprocess in front of real MCP servers."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

DEMO = Path(__file__).parent / "demo_server.py"


def write_config(tmp_path: Path, servers: dict[str, dict]) -> Path:
    config = tmp_path / "servers.json"
    config.write_text(json.dumps({"mcpServers": servers}), encoding="utf-8")
    return config


def proxy_params(config: Path, *extra: str, server: str | None = None):
    """StdioServerParameters that launch `intentlens proxy` (what an MCP client would run)."""
    from mcp import StdioServerParameters

    args = ["-m", "intentlens", "proxy", "--config", str(config), *extra]
    if server:
        args += ["--server", server]
    return StdioServerParameters(command=sys.executable, args=args)


@pytest.fixture
def demo_config(tmp_path: Path) -> Path:
    return write_config(tmp_path, {"demo": {"command": sys.executable, "args": [str(DEMO)]}})

"""The proxy in front of a real Streamable HTTP server (the demo server served over HTTP)."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
import traceback
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from mcp import Client

from tests.proxy.conftest import DEMO, proxy_params, write_config


@pytest.fixture
async def http_server() -> AsyncIterator[str]:
    proc = await asyncio.create_subprocess_exec(sys.executable, str(DEMO), "--http",
                                                stdout=asyncio.subprocess.PIPE)
    assert proc.stdout is not None
    line = (await asyncio.wait_for(proc.stdout.readline(), 30)).decode()
    assert line.startswith("PORT "), line
    yield f"http://127.0.0.1:{line.split()[1]}/mcp"
    proc.terminate()
    await proc.wait()


async def test_http_upstream_relays_records_and_guards(tmp_path: Path, http_server: str) -> None:
    db = tmp_path / "rec.sqlite"
    config = write_config(tmp_path, {"remote": {"url": http_server}})
    params = proxy_params(config, "--record", str(db), "--guard", "metadata-scan", "--no-query", "allow")
    async with Client(params) as client:  # the server may need a moment: the handshake retries
        tools = await client.list_tools()
        assert "add" in {t.name for t in tools.tools}
        results = await asyncio.gather(*(client.call_tool("add", {"a": i, "b": 1}) for i in range(20)))
        assert sorted(r.structured_content["result"] for r in results) == list(range(1, 21))
        huge = await client.call_tool("huge", {"size": 200_000})
        assert len(huge.content[0].text) == 200_000
    with sqlite3.connect(db) as conn:
        added = conn.execute("SELECT COUNT(*) FROM calls WHERE tool = 'add' AND is_error = 0").fetchone()
        assert added == (20,)
        assert conn.execute("SELECT server FROM sessions").fetchone() == ("remote",)


async def test_unreachable_http_upstream_gives_an_error(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    config = write_config(tmp_path, {"remote": {"url": f"http://127.0.0.1:{port}/mcp"}})
    with pytest.raises(BaseException) as info:  # the SDK wraps it in an exception group
        async with Client(proxy_params(config, "--timeout", "20")) as client:
            await client.list_tools()
    assert "upstream server unavailable" in "".join(traceback.format_exception(info.value))

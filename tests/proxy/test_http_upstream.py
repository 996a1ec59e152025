"""The proxy in front of a real Streamable HTTP server (the demo server served over HTTP)."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import sys
import traceback
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
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


def _sse(messages: list[dict], crlf: bool) -> bytes:
    newline = "\r\n" if crlf else "\n"
    return "".join(f"event: message{newline}data: {json.dumps(m, ensure_ascii=False)}{newline}{newline}"
                   for m in messages).encode()


_MESSAGE = st.fixed_dictionaries({"jsonrpc": st.just("2.0"), "id": st.integers(0, 9),
                                  "result": st.dictionaries(st.text(max_size=5), st.text(max_size=20),
                                                            max_size=3)})


@settings(max_examples=200, deadline=None)
@given(messages=st.lists(_MESSAGE, max_size=4), cuts=st.lists(st.integers(0, 400), max_size=12),
       crlf=st.booleans())
def test_sse_messages_survive_any_chunking(messages: list[dict], cuts: list[int], crlf: bool) -> None:
    """The upstream reads the SSE body in whatever chunks the network delivers: a line or a UTF-8
    character split across chunks still gives back exactly the messages that were sent."""
    from intentlens.proxy._http import _sse_messages

    body = _sse(messages, crlf)
    points = sorted({min(c, len(body)) for c in cuts} | {0, len(body)})

    async def chunks() -> AsyncIterator[bytes]:
        for start, end in zip(points, points[1:], strict=False):
            yield body[start:end]

    async def collect() -> list[dict]:
        return [m async for m in _sse_messages(chunks())]

    assert asyncio.run(collect()) == messages

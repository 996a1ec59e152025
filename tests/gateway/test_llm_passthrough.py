"""The LLM pass-through: the guard checks a host's tool calls against what its user asked the model."""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import openai
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from tests.gateway.conftest import RunningGateway, start_gateway, stop_gateway
from tests.proxy.conftest import DEMO


class StubModel(BaseHTTPRequestHandler):
    """An OpenAI-compatible model that always answers "five", streamed when asked."""

    seen: list[tuple[str, dict]] = []

    def do_POST(self) -> None:  # noqa: N802 - the http.server hook
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        StubModel.seen.append((self.headers.get("Authorization", ""), body))
        if body.get("stream"):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for piece in ("fi", "ve"):
                chunk = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "stub",
                         "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.write(b"data: [DONE]\n\n")
            return
        reply = {"id": "c", "object": "chat.completion", "created": 0, "model": "stub",
                 "choices": [{"index": 0, "message": {"role": "assistant", "content": "five"},
                              "finish_reason": "stop"}],
                 "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def stub_model() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), StubModel)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    StubModel.seen = []
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


@pytest.fixture
def guarded(tmp_path: Path, stub_model: str) -> Iterator[RunningGateway]:
    extra = (f'\n[llm]\nurl = "{stub_model}"\napi_key_env = "STUB_MODEL_KEY"\n\n'
             '[guard]\nname = "vista-dataflow"\nbackend = "scripted"\n')
    gateway = start_gateway(tmp_path, {"demo": [sys.executable, str(DEMO)]}, extra=extra,
                            env={**os.environ, "STUB_MODEL_KEY": "upstream-secret"})
    yield gateway
    stop_gateway(gateway)


def mcp_client(gateway: RunningGateway, conversation: str | None = None) -> Client:
    headers = {"Authorization": f"Bearer {gateway.tokens['alice']}"}
    if conversation:
        headers["X-Intentlens-Conversation"] = conversation
    return Client(streamable_http_client(f"{gateway.url}/servers/demo/mcp",
                                         http_client=create_mcp_http_client(headers=headers)))


async def test_calls_are_checked_against_the_users_latest_message(guarded: RunningGateway) -> None:
    async with mcp_client(guarded) as client:
        before = await client.call_tool("add", {"a": 2, "b": 3})
    assert before.is_error and "no user query available" in before.content[0].text

    model = openai.OpenAI(base_url=f"{guarded.url}/v1", api_key=guarded.tokens["alice"],
                          default_headers={"X-Intentlens-Conversation": "c1"})
    answer = model.chat.completions.create(model="stub", messages=[
        {"role": "system", "content": "be brief"}, {"role": "user", "content": "What is 2 plus 3?"}])
    assert answer.choices[0].message.content == "five"
    streamed = model.chat.completions.create(model="stub", stream=True, messages=[
        {"role": "user", "content": [{"type": "text", "text": "Add 2 and 3 for me"}]}])
    assert "".join(c.choices[0].delta.content or "" for c in streamed) == "five"
    assert [auth for auth, _ in StubModel.seen] == ["Bearer upstream-secret"] * 2  # our token never leaves

    async with mcp_client(guarded, conversation="c2") as client:  # another conversation: nothing to pair
        other = await client.call_tool("add", {"a": 2, "b": 3})
    assert "no user query available" in other.content[0].text
    async with mcp_client(guarded, conversation="c1") as client:
        await client.call_tool("add", {"a": 2, "b": 3})
    async with mcp_client(guarded) as client:  # no conversation named: the token's latest message
        await client.call_tool("add", {"a": 2, "b": 3})
    queries = [q for (q,) in guarded.rows("SELECT query FROM verdicts ORDER BY id")]
    assert queries == [None, None, "Add 2 and 3 for me", "Add 2 and 3 for me"]


def test_a_model_request_needs_a_token(guarded: RunningGateway) -> None:
    model = openai.OpenAI(base_url=f"{guarded.url}/v1", api_key="not-a-token", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        model.chat.completions.create(model="stub", messages=[{"role": "user", "content": "hi"}])
    assert StubModel.seen == []


async def test_each_request_on_the_aggregate_endpoint_is_paired_by_its_own_conversation(
        guarded: RunningGateway) -> None:
    model = openai.OpenAI(base_url=f"{guarded.url}/v1", api_key=guarded.tokens["alice"])
    for conversation, text in (("A", "What is 2 plus 3?"), ("B", "Add 40 and 2 please")):
        model.chat.completions.create(model="stub", messages=[{"role": "user", "content": text}],
                                      extra_headers={"X-Intentlens-Conversation": conversation})
    for conversation in ("A", "B", "A"):
        headers = {"Authorization": f"Bearer {guarded.tokens['alice']}",
                   "X-Intentlens-Conversation": conversation}
        http = create_mcp_http_client(headers=headers)
        async with Client(streamable_http_client(f"{guarded.url}/mcp", http_client=http)) as client:
            await client.call_tool("demo__add", {"a": 2, "b": 3})
    queries = [q for (q,) in guarded.rows("SELECT query FROM verdicts ORDER BY id")]
    assert queries == ["What is 2 plus 3?", "Add 40 and 2 please", "What is 2 plus 3?"]

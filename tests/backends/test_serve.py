"""`intentlens models serve`: one model behind an OpenAI-compatible API, reached by the openai backend."""

import json
import re
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intentlens.backends import Message, get_backend
from intentlens.backends.serve import model_app, requested_schema
from intentlens.guards.vista import intent_schema
from intentlens.settings import Settings

SCHEMA = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}


def _serve(backend: str) -> Iterator[str]:
    """Start the command as a user would and yield its base URL."""
    process = subprocess.Popen([sys.executable, "-m", "intentlens", "models", "serve", "--backend", backend,
                                "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        found = re.search(r"OPENAI_BASE_URL=(http://\S+/v1)", line)
        assert found, line + process.stdout.read()
        yield found.group(1)
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def scripted_server() -> Iterator[str]:
    yield from _serve("scripted")


async def test_a_served_backend_answers_the_openai_backend_under_its_schema(scripted_server: str) -> None:
    backend = get_backend("openai/scripted", Settings(openai_base_url=scripted_server, response_cache=False))
    await backend.check()
    reply = await backend.complete([Message(role="user", content="Capital of France?")],
                                   schema=intent_schema())
    assert reply.parsed["verdict"] == "serves_request"  # the scripted model's answer to this schema
    assert reply.usage.prompt_tokens > 0
    models = httpx.get(f"{scripted_server}/models").json()
    assert [m["id"] for m in models["data"]] == ["scripted"]


@pytest.mark.parametrize(("body", "problem"), [
    (b"{not json", "bad request"),
    (b"[]", "bad request"),
    (json.dumps({"messages": []}).encode(), "bad request"),
    (json.dumps({"messages": [{"role": "user", "content": "x"}], "stream": True}).encode(), "bad request"),
    (json.dumps({"messages": [{"role": "user", "content": "x"}],
                 "response_format": {"type": "grammar"}}).encode(), "unsupported response_format"),
    (b"[" * 100_000, "bad request"),
])
def test_bad_requests_get_a_400_and_the_server_keeps_serving(scripted_server: str, body: bytes,
                                                             problem: str) -> None:
    answer = httpx.post(f"{scripted_server}/chat/completions", content=body,
                        headers={"content-type": "application/json"})
    assert answer.status_code == 400 and problem in answer.json()["error"]["message"]
    fine = httpx.post(f"{scripted_server}/chat/completions",
                      json={"messages": [{"role": "user", "content": "hi"}]})
    assert fine.status_code == 200 and fine.json()["choices"][0]["message"]["role"] == "assistant"


def test_response_formats_map_to_the_schema_the_backend_decodes_under() -> None:
    assert requested_schema(None) is None and requested_schema({"type": "text"}) is None
    assert requested_schema({"type": "json_schema", "json_schema": {"name": "r", "schema": SCHEMA}}) == SCHEMA
    assert requested_schema({"type": "json_object", "schema": SCHEMA}) == SCHEMA
    assert requested_schema({"type": "json_object"}) == {"type": "object"}
    with pytest.raises(ValueError, match="must be a JSON object"):
        requested_schema({"type": "json_object", "schema": "{}"})


@pytest.mark.real_model
async def test_the_served_model_gives_the_in_process_reply(real_settings: Settings) -> None:
    """Same model, same schema, same greedy decoding: the reply through the API is the same text."""
    messages = [Message(role="user", content="What is the capital of France? Reply as JSON.")]
    local = await get_backend("llamacpp/qwen2.5-coder-0.5b", real_settings).complete(messages, schema=SCHEMA)
    for base_url in _serve("llamacpp/qwen2.5-coder-0.5b"):
        served = await get_backend("openai/qwen2.5-coder-0.5b", real_settings.model_copy(
            update={"openai_base_url": base_url})).complete(messages, schema=SCHEMA)
        assert served.text == local.text and served.parsed == local.parsed


def test_a_backend_checked_in_one_event_loop_answers_in_the_next(scripted_server: str) -> None:
    """The CLI checks the backend with one ``asyncio.run`` and works in another: the check must not
    leave a connection bound to the first, closed loop ("Event loop is closed" at the first call)."""
    import asyncio

    backend = get_backend("openai/scripted", Settings(openai_base_url=scripted_server, response_cache=False))
    asyncio.run(backend.check())
    reply = asyncio.run(backend.complete([Message(role="user", content="hi")], schema=SCHEMA))
    assert reply.parsed == {"city": "scripted"}  # the scripted model's placeholder


_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
_JSON = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=12)
_MESSAGE = st.fixed_dictionaries({"role": st.sampled_from(["user", "system", "tool"]) | _JSON,
                                  "content": st.text(max_size=30) | _JSON})
_BODIES = st.fixed_dictionaries({}, optional={
    "model": _JSON, "temperature": _JSON, "max_tokens": _JSON, "seed": _JSON, "stream": _JSON,
    "messages": _JSON | st.lists(_MESSAGE, max_size=3),
    "response_format": st.fixed_dictionaries({"type": st.sampled_from(["json_schema", "json_object", "text"])
                                                      | _JSON}, optional={"schema": _JSON,
                                                                          "json_schema": _JSON}) | _JSON})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=_BODIES | _JSON)
async def test_any_request_body_gets_an_answer_or_a_400_never_a_crash(body: object) -> None:
    app = model_app(get_backend("scripted", Settings(response_cache=False)), "scripted")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://model") as client:
        answer = await client.post("/v1/chat/completions", content=json.dumps(body))
    assert answer.status_code in (200, 400), answer.text
    if answer.status_code == 200:
        assert isinstance(answer.json()["choices"][0]["message"]["content"], str)
    else:
        assert answer.json()["error"]["message"].startswith(("bad request", "unsupported"))


def test_a_port_out_of_range_is_an_error_not_a_traceback() -> None:
    from typer.testing import CliRunner

    from intentlens.cli import app

    result = CliRunner().invoke(app, ["models", "serve", "--backend", "scripted", "--port", "99999"])
    assert result.exit_code == 2 and "cannot listen on 127.0.0.1:99999" in result.output

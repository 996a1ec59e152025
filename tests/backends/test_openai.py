"""The OpenAI-compatible backend against a real local HTTP server speaking the wire format."""

import socket

import pytest

from intentlens.backends import Message, get_backend
from intentlens.errors import BackendError
from intentlens.settings import Settings
from tests.backends.openai_stub import OpenAIStub

SCHEMA = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
ASK = [Message(role="user", content="capital of France as JSON")]


def _settings(base_url: str, **extra) -> Settings:
    return Settings(openai_base_url=base_url, response_cache=False, max_retries=2, **extra)


async def test_plain_completion_and_exact_usage() -> None:
    with OpenAIStub([(200, "Paris")]) as stub:
        backend = get_backend("openai/stub-model", _settings(stub.base_url))
        reply = await backend.complete(ASK)
    assert reply.text == "Paris"
    assert (reply.usage.prompt_tokens, reply.usage.completion_tokens, reply.usage.calls) == (11, 7, 1)
    assert stub.requests[0]["model"] == "stub-model"
    assert "response_format" not in stub.requests[0]


async def test_structured_output_falls_back_from_json_schema_to_json_object() -> None:
    with OpenAIStub([(200, '{"city": "Paris"}'), (200, '{"city": "Rome"}')],
                    reject_json_schema=True) as stub:
        backend = get_backend("openai/m", _settings(stub.base_url))
        first = await backend.complete(ASK, schema=SCHEMA)
        second = await backend.complete([Message(role="user", content="Italy?")], schema=SCHEMA)
    assert first.parsed == {"city": "Paris"} and second.parsed == {"city": "Rome"}
    kinds = [(r.get("response_format") or {}).get("type") for r in stub.requests]
    assert kinds == ["json_schema", "json_object", "json_object"]  # remembers what worked
    assert stub.requests[1]["response_format"]["schema"] == SCHEMA


async def test_fenced_json_in_text_mode_is_parsed() -> None:
    reply_text = 'Sure!\n```json\n{"city": "Paris"}\n```'
    with OpenAIStub([(400, {"error": {"message": "no json_schema"}}),
                     (400, {"error": {"message": "no json_object"}}), (200, reply_text)]) as stub:
        backend = get_backend("openai/m", _settings(stub.base_url))
        reply = await backend.complete(ASK, schema=SCHEMA)
    assert reply.parsed == {"city": "Paris"}
    assert "response_format" not in stub.requests[-1]


async def test_server_errors_are_retried_then_succeed() -> None:
    busy = (503, {"error": {"message": "overloaded"}})
    with OpenAIStub([busy, busy, (200, "ok")]) as stub:
        backend = get_backend("openai/m", _settings(stub.base_url))
        backend.backoff = 0.01
        reply = await backend.complete(ASK)
    assert reply.text == "ok" and len(stub.requests) == 3


async def test_unreachable_endpoint_gives_a_clear_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    backend = get_backend("openai/m", _settings(f"http://127.0.0.1:{port}/v1"))
    backend.backoff = 0.01
    with pytest.raises(BackendError, match=r"gave up after 3 attempts: cannot reach http://127"):
        await backend.complete(ASK)


async def test_bad_request_without_schema_is_not_retried() -> None:
    with OpenAIStub([(400, {"error": {"message": "context too long"}})]) as stub:
        backend = get_backend("openai/m", _settings(stub.base_url))
        with pytest.raises(BackendError, match="request rejected"):
            await backend.complete(ASK)
    assert len(stub.requests) == 1


async def test_cache_makes_reruns_free(tmp_settings: Settings) -> None:
    with OpenAIStub([(200, "Paris")]) as stub:
        settings = tmp_settings.model_copy(update={"openai_base_url": stub.base_url})
        first = await get_backend("openai/m", settings).complete(ASK)
        again = await get_backend("openai/m", settings).complete(ASK)  # a new process, same cache
    assert len(stub.requests) == 1
    assert again.cached and not first.cached
    assert again.text == "Paris" and again.usage.cached_calls == 1
    assert again.usage.prompt_tokens == first.usage.prompt_tokens


def test_model_name_is_required() -> None:
    with pytest.raises(BackendError, match="needs a model name"):
        get_backend("openai/", Settings(response_cache=False))


async def test_keeps_the_configured_number_of_requests_in_flight() -> None:
    import threading
    import time

    lock, state = threading.Condition(), {"now": 0, "peak": 0}

    class SlowStub(OpenAIStub):
        def __init__(self) -> None:
            super().__init__([(200, f"answer {i}") for i in range(40)])
            handler = self.server.RequestHandlerClass
            original = handler.do_POST

            def slow_post(handler_self) -> None:
                with lock:
                    state["now"] += 1
                    state["peak"] = max(state["peak"], state["now"])
                    lock.notify_all()
                    # hold the first requests until 8 are in flight (a loaded machine is slow to
                    # send them), so the peak is what the client allows, not what the CPU managed
                    lock.wait_for(lambda: state["peak"] >= 8, timeout=10)
                time.sleep(0.05)
                try:
                    original(handler_self)
                finally:
                    with lock:
                        state["now"] -= 1

            handler.do_POST = slow_post

    import asyncio

    with SlowStub() as stub:
        backend = get_backend("openai/m", _settings(stub.base_url, concurrency=8))
        replies = await asyncio.gather(*(backend.complete([Message(role="user", content=str(i))])
                                         for i in range(40)))
    assert len(replies) == 40 and len(stub.requests) == 40
    assert state["peak"] == 8  # exactly the configured limit, never more

"""Cache, retries, timeouts and concurrency of the managed backend, on the scripted fake."""

import asyncio

import pytest

from intentlens.backends import (
    Completion,
    ManagedBackend,
    Message,
    ResponseCache,
    ScriptedBackend,
    TransientBackendError,
    build_raw_backend,
    extract_json,
    get_backend,
    placeholder_for,
)
from intentlens.errors import BackendError, DataFormatError, ReplyFormatError
from intentlens.guards.vista import intent_schema
from intentlens.settings import Settings

HELLO = [Message(role="user", content="hello")]


async def test_scripted_replays_records_and_runs_out() -> None:
    fake = ScriptedBackend(["one", {"a": 1}])
    backend = ManagedBackend(fake)
    assert (await backend.complete(HELLO)).text == "one"
    reply = await backend.complete(HELLO, schema={"type": "object"})
    assert reply.parsed == {"a": 1}
    assert [r.text for r in fake.history] == ["hello", "hello"]
    with pytest.raises(BackendError, match="ran out of replies after 2 requests"):
        await backend.complete(HELLO)


async def test_scripted_without_script_fills_the_schema() -> None:
    schema = {"type": "object", "properties": {"ok": {"type": "boolean"},
                                               "label": {"enum": ["A", "B"]},
                                               "items": {"type": "array",
                                                         "items": {"type": "string"}}}}
    reply = await get_backend("scripted").complete(HELLO, schema=schema)
    assert reply.parsed == {"ok": True, "label": "A", "items": ["scripted"]}
    assert placeholder_for(None) == {}
    assert placeholder_for(intent_schema())["verdict"] == "serves_request"  # the first alternative


def test_scripted_replies_file(tmp_path) -> None:
    script = tmp_path / "replies.jsonl"
    script.write_text('"first"\n{"intent": ["second"]}\n', encoding="utf-8")
    backend = build_raw_backend(f"scripted/{script}", Settings())
    assert backend.name == f"scripted/{script}"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('"ok"\n{oops\n', encoding="utf-8")
    with pytest.raises(DataFormatError, match=":2: invalid JSON"):
        build_raw_backend(f"scripted/{bad}", Settings())
    with pytest.raises(BackendError, match="no replies file"):
        build_raw_backend(f"scripted/{tmp_path / 'none.jsonl'}", Settings())


def test_unknown_backend_lists_the_known_ones() -> None:
    with pytest.raises(BackendError, match=r"known: llamacpp/\.\.\., openai/\.\.\., scripted"):
        get_backend("vertex/gemini")


class _Flaky(ScriptedBackend):
    cacheable = True


async def test_transient_errors_are_retried_with_backoff() -> None:
    fake = _Flaky([TransientBackendError("boom"), TransientBackendError("boom"), "fine"])
    backend = ManagedBackend(fake, max_retries=2, backoff=0.001)
    assert (await backend.complete(HELLO)).text == "fine"
    assert len(fake.history) == 3


async def test_retries_are_bounded() -> None:
    fake = _Flaky([TransientBackendError("down")] * 5)
    backend = ManagedBackend(fake, max_retries=1, backoff=0.001)
    with pytest.raises(BackendError, match="gave up after 2 attempts: down"):
        await backend.complete(HELLO)


async def test_timeout_counts_as_transient() -> None:
    class Slow(ScriptedBackend):
        async def complete(self, messages, **kwargs):
            await asyncio.sleep(5)

    backend = ManagedBackend(Slow(), max_retries=0, timeout=0.05)
    with pytest.raises(BackendError, match="no reply within 0.05 s"):
        await backend.complete(HELLO)


async def test_concurrency_is_bounded() -> None:
    in_flight = peak = 0

    class Counting(ScriptedBackend):
        async def complete(self, messages, **kwargs):
            nonlocal in_flight, peak
            in_flight += 1
            peak = max(peak, in_flight)
            await asyncio.sleep(0.01)
            in_flight -= 1
            return Completion(text="x")

    backend = ManagedBackend(Counting(), concurrency=3)
    await asyncio.gather(*(backend.complete([Message(role="user", content=str(i))])
                           for i in range(20)))
    assert peak == 3


async def test_cache_hit_skips_the_backend_and_keys_on_the_whole_request(tmp_path) -> None:
    cache = ResponseCache(tmp_path / "responses.sqlite")
    fake = _Flaky(["a", '{"b": 1}', "c"])
    backend = ManagedBackend(fake, cache=cache)
    first = await backend.complete(HELLO)
    again = await backend.complete(HELLO)
    other = await backend.complete(HELLO, schema={"type": "object"})
    assert (first.text, again.text, again.cached, other.parsed) == ("a", "a", True, {"b": 1})
    assert len(fake.history) == 2 and len(cache) == 2
    # a replay keeps the model time measured when the reply was generated
    assert again.usage.model_seconds == first.usage.model_seconds == first.usage.seconds


async def test_unparseable_schema_replies_are_not_cached(tmp_path) -> None:
    cache = ResponseCache(tmp_path / "responses.sqlite")
    backend = ManagedBackend(_Flaky(["not json", '{"ok": true}']), cache=cache)
    assert (await backend.complete(HELLO, schema={"type": "object"})).parsed is None
    assert (await backend.complete(HELLO, schema={"type": "object"})).parsed == {"ok": True}


@pytest.mark.parametrize(("text", "value"), [
    ('{"a": 1}', {"a": 1}),
    ('Here:\n```json\n{"a": [1, 2]}\n```\nDone.', {"a": [1, 2]}),
    ("The answer is {'a': True, 'b': None} as requested", {"a": True, "b": None}),
    ('prefix {"a": "}"} suffix {"b": 2}', {"b": 2}),
    ('intent = ["Find flights"]', ["Find flights"]),
])
def test_extract_json(text: str, value) -> None:
    assert extract_json(text) == value


def test_extract_json_fails_clearly() -> None:
    with pytest.raises(ReplyFormatError, match="no JSON value"):
        extract_json("I think the user wants flights.")

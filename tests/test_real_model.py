"""End-to-end runs of the real offline default model on tiny inputs (marked real_model)."""

import pytest

from intentlens import load_traces
from intentlens.attacks import IntentMiner
from intentlens.backends import Message, get_backend
from intentlens.settings import Settings
from tests.conftest import TOOLACE

pytestmark = pytest.mark.real_model


async def test_llamacpp_grammar_constrained_json(real_settings: Settings) -> None:
    backend = get_backend("llamacpp/qwen2.5-coder-1.5b", real_settings)
    schema = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
    reply = await backend.complete(
        [Message(role="user", content="What is the capital of France? Reply as JSON.")],
        schema=schema)
    assert reply.parsed is not None and "paris" in reply.parsed["city"].lower()
    assert reply.usage.prompt_tokens > 0 and reply.usage.completion_tokens > 0


async def test_intentminer_on_one_toolace_trace(real_settings: Settings) -> None:
    trace = load_traces(TOOLACE)[0]  # upcoming Azure events, first page
    result = await IntentMiner(get_backend("llamacpp/qwen2.5-coder-1.5b", real_settings)).infer(trace)
    assert result.error is None and result.usage.calls == 3
    assert "azure" in result.intent.lower() and "event" in result.intent.lower()

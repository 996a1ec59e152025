"""The `direct` single-prompt baseline with the scripted backend."""

from __future__ import annotations

from intentlens.attacks import ATTACKS
from intentlens.backends import ScriptedBackend
from intentlens.core import Step, ToolCall, ToolResult, ToolSpec, Trace

TRACE = Trace(id="t", query="Weather in Paris tomorrow?",
              tools=(ToolSpec(name="get_weather", description="Get the forecast for a city. Extra text."),),
              steps=(Step(call=ToolCall(tool="get_weather", arguments={"city": "Paris <b>"}),
                          result=ToolResult(content={"temp": 21})),))


async def test_one_call_with_the_calls_delimited() -> None:
    backend = ScriptedBackend([{"request": "What's the weather in Paris tomorrow?"}])
    result = await ATTACKS.build("direct", backend).infer(TRACE)
    assert result.intent == "What's the weather in Paris tomorrow?" and result.method == "direct"
    prompt = backend.history[0].text
    assert "<call_1>" in prompt and "Paris &lt;b&gt;" in prompt and "Get the forecast for a city." in prompt
    assert "Extra text" not in prompt and len(backend.history) == 1


async def test_an_unusable_reply_is_an_error_not_an_intent() -> None:
    result = await ATTACKS.build("direct", ScriptedBackend(["no json here"])).infer(TRACE)
    assert result.intent == "" and "unusable reply" in (result.error or "")

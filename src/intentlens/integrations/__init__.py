"""Hooks that run a guard before an agent framework executes a tool (optional extras).

- :mod:`intentlens.integrations.openai_agents`: a tool input guardrail for the OpenAI Agents SDK
  (``pip install -e '.[agents]'``).
- :mod:`intentlens.integrations.pydantic_ai`: a ``before_tool_execute`` hook for pydantic-ai
  (``pip install -e '.[pydantic-ai]'``).

Each checks the one pending call against the user's query with any guard (VISTA by default) and
refuses it with the verdict's reason; every verdict can be passed to an ``on_verdict`` callback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from intentlens.core import Plan, ToolCall, ToolResult, ToolSpec
from intentlens.guards import Guard, PlanVerdict

VerdictCallback = Callable[[PlanVerdict], None]


async def check_call(guard: Guard, query: str, tool: str, arguments: dict[str, Any], *,
                     description: str = "", schema: dict[str, Any] | None = None,
                     server: str | None = None, prior_results: tuple[ToolResult, ...] = (),
                     others: tuple[ToolSpec, ...] = ()) -> PlanVerdict:
    """The guard's verdict on a single pending call; ``prior_results`` are the tool results the agent
    had read in this run (only a data-flow guard reads them), ``others`` the other tools the agent was
    shown (a value copied from their descriptions is planted, see :mod:`intentlens.guards._planted`)."""
    spec = ToolSpec(name=tool, description=description, input_schema=schema or {}, server=server)
    plan = Plan(query=query, calls=(ToolCall(tool=tool, arguments=arguments, server=server),),
                tools=(spec, *(o for o in others if o.name != tool)), prior_results=prior_results)
    return await guard.verify(plan)


def user_words(prompt: Any) -> str:
    """The user's words in a framework's prompt: a string, or a list of strings and chat items
    (``{"role": "user", "content": text or [{"text": ...}]}``); anything else (images, the
    assistant's items) is left out."""
    if isinstance(prompt, str):
        return prompt
    texts: list[str] = []
    for item in prompt if isinstance(prompt, list | tuple) else ():
        content = item.get("content") if isinstance(item, dict) and item.get("role") == "user" else item
        if isinstance(content, str):
            texts.append(content)
        elif isinstance(content, list):
            texts += [part.get("text", "") for part in content if isinstance(part, dict)]
    return "\n".join(t for t in texts if t)


def refusal(verdict: PlanVerdict) -> str:
    """The message an agent gets when a call is refused."""
    return f"intentlens refused this tool call: it does not match the user's request ({verdict.reason})"


__all__ = ["VerdictCallback", "check_call", "refusal", "user_words"]

"""A tool input guardrail for the OpenAI Agents SDK that verifies each call before it runs.

    from intentlens.integrations.openai_agents import intent_guardrail
    guardrail = intent_guardrail(Vista(get_backend("llamacpp/qwen2.5-coder-1.5b")))
    @function_tool(tool_input_guardrails=[guardrail])  # or MCPServerStdio(..., tool_input_guardrails=...)

A refused call is not executed; the agent receives the refusal as the tool's output.
"""

from __future__ import annotations

import json
from typing import Any

from intentlens.core import ToolSpec
from intentlens.errors import IntentLensError
from intentlens.guards import Guard
from intentlens.integrations import VerdictCallback, check_call, refusal, user_words

try:
    from agents import ToolGuardrailFunctionOutput, ToolInputGuardrail, tool_input_guardrail
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise IntentLensError("the OpenAI Agents hook needs: pip install -e '.[agents]'") from exc


def _tool_doc(agent: Any, name: str) -> tuple[str, dict[str, Any]]:
    for tool in getattr(agent, "tools", []) or []:
        if getattr(tool, "name", None) == name:
            return getattr(tool, "description", "") or "", getattr(tool, "params_json_schema", {}) or {}
    return "", {}


def _agent_tools(agent: Any) -> tuple[ToolSpec, ...]:
    """Every function tool the agent was given, as documentation."""
    return tuple(ToolSpec(name=str(t.name), description=getattr(t, "description", "") or "",
                          input_schema=getattr(t, "params_json_schema", {}) or {})
                 for t in getattr(agent, "tools", []) or [] if getattr(t, "name", None))


def intent_guardrail(guard: Guard, *, on_verdict: VerdictCallback | None = None) -> ToolInputGuardrail[Any]:
    """A guardrail that lets aligned calls through and rejects the rest with the reason."""

    @tool_input_guardrail(name="intentlens")
    async def intentlens_guardrail(data: Any) -> ToolGuardrailFunctionOutput:
        context = data.context
        try:
            arguments = json.loads(context.tool_arguments or "{}")
        except json.JSONDecodeError:
            return ToolGuardrailFunctionOutput.reject_content(
                "intentlens refused this tool call: its arguments are not valid JSON")
        description, schema = _tool_doc(data.agent, context.tool_name)
        verdict = await check_call(guard, user_words(context.turn_input), context.tool_name,
                                   arguments, description=description, schema=schema,
                                   others=_agent_tools(data.agent))
        if on_verdict:
            on_verdict(verdict)
        if verdict.aligned:
            return ToolGuardrailFunctionOutput.allow(output_info=verdict.model_dump(mode="json"))
        return ToolGuardrailFunctionOutput.reject_content(refusal(verdict),
                                                          output_info=verdict.model_dump(mode="json"))

    return intentlens_guardrail

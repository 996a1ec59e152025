"""A pydantic-ai ``before_tool_execute`` hook that verifies each call before it runs.

    from intentlens.integrations.pydantic_ai import intent_hooks
    agent = Agent(model, tools=[...], capabilities=[intent_hooks(Vista(backend))])

A refused call is not executed: the hook raises ``ModelRetry`` with the reason, so the model sees why.
The tool results already in the run's messages go to the guard as ``Plan.prior_results``.
"""

from __future__ import annotations

from typing import Any

from intentlens.core import ToolResult
from intentlens.errors import IntentLensError
from intentlens.guards import Guard
from intentlens.integrations import VerdictCallback, check_call, refusal, user_words

try:
    from pydantic_ai import ModelRetry
    from pydantic_ai.capabilities import Hooks
    from pydantic_ai.messages import ToolReturnPart
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise IntentLensError("the pydantic-ai hook needs: pip install -e '.[pydantic-ai]'") from exc


def _results(messages: Any) -> tuple[ToolResult, ...]:
    parts = [p for m in messages or () for p in getattr(m, "parts", ()) if isinstance(p, ToolReturnPart)]
    return tuple(ToolResult(content=p.model_response_str()) for p in parts)


def intent_hooks(guard: Guard, *, on_verdict: VerdictCallback | None = None) -> Hooks[Any]:
    """Hooks whose ``before_tool_execute`` refuses calls the guard finds misaligned."""
    hooks: Hooks[Any] = Hooks()

    @hooks.on.before_tool_execute
    async def intentlens_guard(ctx: Any, *, call: Any, tool_def: Any, args: Any) -> Any:
        arguments = dict(args) if isinstance(args, dict) else call.args_as_dict()
        verdict = await check_call(guard, user_words(ctx.prompt), call.tool_name, arguments,
                                   description=tool_def.description or "",
                                   schema=tool_def.parameters_json_schema,
                                   prior_results=_results(ctx.messages))
        if on_verdict:
            on_verdict(verdict)
        if not verdict.aligned:
            raise ModelRetry(refusal(verdict))
        return args

    return hooks

"""``direct``: the strongest single prompt we could write for a small model, the baseline every
multi-step attack must beat. One call per trace: each called tool's first sentence, the call's
arguments and a short piece of its result, then one instruction to write the user's own request."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from intentlens.attacks._base import ATTACKS, IntentInference, whole_trace_fields
from intentlens.attacks._parse import in_plain_words
from intentlens.attacks.baselines import _first_sentence
from intentlens.backends import GenerationSettings, ManagedBackend, ask
from intentlens.core import Trace
from intentlens.prompting import as_text, render, untrusted

_PROMPTS = "intentlens.attacks.prompts"
_ARGUMENTS_LIMIT = 600
_RESULT_LIMIT = 240


class DirectReply(BaseModel):
    """The reply: the user's request in their own words."""

    request: str = Field(min_length=3, max_length=400)


class DirectPrompt:
    """One prompt, one call, one request."""

    name = "direct"

    def __init__(self, backend: ManagedBackend, *, max_tokens: int = 120) -> None:
        self.backend = backend
        self.generation = GenerationSettings(max_tokens=max_tokens)

    def prompt(self, trace: Trace) -> str:
        """The calls, each with its tool's first sentence, its arguments and its result's start."""
        blocks = []
        for index, step in enumerate(trace.steps, start=1):
            spec = trace.tool(step.call.tool)
            text = (f"tool: {step.call.tool} ({_first_sentence(spec.description) if spec else ''})\n"
                    f"arguments: {as_text(step.call.arguments, _ARGUMENTS_LIMIT)}")
            if step.result is not None:
                text += f"\nreturned: {as_text(step.result.content, _RESULT_LIMIT)}"
            blocks.append(untrusted(f"call_{index}", text))
        return render(_PROMPTS, "direct.md", calls="\n".join(blocks))

    async def infer(self, trace: Trace) -> IntentInference:
        """The request the calls were made for."""
        base = whole_trace_fields(trace, self.name)
        if not trace.steps:
            return IntentInference(**base, intent="", error="the trace has no tool calls")
        answer = await ask(self.backend, DirectReply, self.prompt(trace), settings=self.generation)
        if answer.reply is None:
            return IntentInference(**base, intent="", usage=answer.usage,
                                   error=f"unusable reply: {(answer.error or '')[:200]}")
        intent = in_plain_words(answer.reply.request, [t.name for t in trace.tools])
        return IntentInference(**base, intent=intent, usage=answer.usage)


class DirectOptions(BaseModel):
    """``direct``'s options."""

    model_config = ConfigDict(extra="forbid")

    max_tokens: int = Field(120, ge=16)


@ATTACKS.register("direct", options=DirectOptions)
def _direct(backend: ManagedBackend, **options: Any) -> DirectPrompt:
    """The strongest single prompt: each tool's first sentence, the arguments and the result's start,
    then one instruction to write the user's own request."""
    return DirectPrompt(backend, **options)

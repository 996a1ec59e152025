"""The paper's baselines: one LLM call over all tools' descriptions and every call, with or
without a chain of thought (appendix A.4 and A.5). No isolation, no step-level parse.

Also ``tool-docs``, a floor with no model at all: the called tools' own descriptions. What a
metric gives it is what that metric gives for knowing only which tools were called."""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from intentlens.attacks._base import ATTACKS, IntentInference, whole_trace_fields
from intentlens.attacks._isolation import call_statement
from intentlens.attacks._parse import StatedIntent, in_plain_words
from intentlens.backends import Bounded, GenerationSettings, ManagedBackend, ask
from intentlens.core import Trace
from intentlens.prompting import render, untrusted

_PROMPTS = "intentlens.attacks.prompts"
_FIELD_LIMIT = 1200


class NoCotReply(StatedIntent):
    """LLM-noCoT's reply: the intent alone."""

    statement_field: ClassVar[str] = "intent"
    intent: Annotated[str, Bounded(400, min_length=3)]


class CotReply(StatedIntent):
    """LLM-CoT's reply: an analysis of the tools, the calls and the results, then the intent."""

    statement_field: ClassVar[str] = "intent"
    tool_analysis: Annotated[str, Bounded(400)] = ""
    call_analysis: Annotated[str, Bounded(400)] = ""
    result_analysis: Annotated[str, Bounded(400)] = ""
    intent: Annotated[str, Bounded(400, min_length=3)]


class LLMInverter:
    """LLM-noCoT (``cot=False``) or LLM-CoT (``cot=True``)."""

    def __init__(self, backend: ManagedBackend, *, cot: bool, max_tokens: int | None = None) -> None:
        self.backend = backend
        self.cot = cot
        self.name = "llm-cot" if cot else "llm-nocot"
        self.generation = GenerationSettings(max_tokens=max_tokens or (600 if cot else 200))

    def _prompt(self, trace: Trace) -> str:
        docs = [{"name": t.name, "description": t.description, "parameters": t.properties,
                 "required": t.required} for t in trace.tools]
        info = []
        for index, step in enumerate(trace.steps, start=1):
            block = untrusted(f"call_{index}", call_statement(step), _FIELD_LIMIT)
            if step.result is not None:
                block += "\n" + untrusted(f"result_{index}", step.result.content, _FIELD_LIMIT)
            info.append(block)
        return render(_PROMPTS, "baseline_cot.md" if self.cot else "baseline_nocot.md",
                      tools_desc=untrusted("tools", docs, 4 * _FIELD_LIMIT),
                      tools_info="\n".join(info))

    async def infer(self, trace: Trace) -> IntentInference:
        """One call over the whole trace."""
        base = whole_trace_fields(trace, self.name)
        if not trace.steps:
            return IntentInference(**base, intent="", error="the trace has no tool calls")
        answer = await ask(self.backend, CotReply if self.cot else NoCotReply, self._prompt(trace),
                           system=render(_PROMPTS, "baseline_system.md"), settings=self.generation)
        if answer.reply is None:
            return IntentInference(**base, intent="", usage=answer.usage, error=answer.error)
        intent = in_plain_words(answer.reply.statement, [t.name for t in trace.tools])
        return IntentInference(**base, intent=intent, usage=answer.usage)


_FIRST_SENTENCE = re.compile(r"^(.+?[.!?])(?:\s|$)", re.DOTALL)
_FLOOR_LIMIT = 300


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    match = _FIRST_SENTENCE.match(text)
    return (match.group(1) if match else text)[:_FLOOR_LIMIT]


class ToolDocsFloor:
    """The first sentence of each called tool's description, in call order, with no model."""

    name = "tool-docs"

    def __init__(self, backend: ManagedBackend | None = None) -> None:
        del backend  # registered like the other attacks, but it asks no model

    async def infer(self, trace: Trace) -> IntentInference:
        """The called tools' descriptions joined (the tool's name where it has none)."""
        base: dict[str, Any] = {"trace_id": trace.id, "method": self.name, "query": trace.query,
                                "dimensions_available": ["purpose"] if trace.steps else []}
        parts: list[str] = []
        for step in trace.steps:
            spec = trace.tool(step.call.tool)
            part = _first_sentence(spec.description if spec else "") or step.call.tool
            if part not in parts:
                parts.append(part)
        if not parts:
            return IntentInference(**base, intent="", error="the trace has no tool calls")
        return IntentInference(**base, intent=" Then: ".join(parts))


class InverterOptions(BaseModel):
    """LLM-noCoT's and LLM-CoT's options."""

    model_config = ConfigDict(extra="forbid")

    max_tokens: int | None = Field(None, ge=16)
    """Reply budget (default 200 without a chain of thought, 600 with)."""


@ATTACKS.register("tool-docs", needs_backend=False)
def _tool_docs(backend: ManagedBackend | None = None) -> ToolDocsFloor:
    """A floor with no model: the first sentence of each called tool's description."""
    return ToolDocsFloor(backend)


@ATTACKS.register("nocot", options=InverterOptions, namer=lambda _: "llm-nocot")
def _nocot(backend: ManagedBackend, **options: Any) -> LLMInverter:
    """LLM-noCoT (the paper's baseline): one call over every tool and call, the intent alone."""
    return LLMInverter(backend, cot=False, **options)


@ATTACKS.register("cot", options=InverterOptions, namer=lambda _: "llm-cot")
def _cot(backend: ManagedBackend, **options: Any) -> LLMInverter:
    """LLM-CoT (the paper's baseline): one call, an analysis of tools, calls and results, then the
    intent."""
    return LLMInverter(backend, cot=True, **options)

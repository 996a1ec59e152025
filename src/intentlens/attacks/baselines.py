"""The paper's baselines: one LLM call over all tools' descriptions and every call, with or
without a chain of thought (appendix A.4 and A.5). No isolation, no step-level parse.

Also ``tool-docs``, a floor with no model at all: the called tools' own descriptions. What a
metric gives it is what that metric gives for knowing only which tools were called."""

from __future__ import annotations

import re
from typing import Any

from intentlens.attacks._base import IntentInference, register_attack, whole_trace_fields
from intentlens.attacks._isolation import call_statement
from intentlens.attacks._parse import in_plain_words, parse_intent
from intentlens.backends import GenerationSettings, ManagedBackend, Message
from intentlens.core import Trace
from intentlens.errors import ReplyFormatError
from intentlens.prompting import render, untrusted

_PROMPTS = "intentlens.attacks.prompts"
_FIELD_LIMIT = 1200


def _schema(cot: bool) -> dict[str, Any]:
    props: dict[str, Any] = {}
    if cot:
        props = {k: {"type": "string", "maxLength": 400}
                 for k in ("tool_analysis", "call_analysis", "result_analysis")}
    props["intent"] = {"type": "string", "minLength": 3, "maxLength": 400}
    return {"type": "object", "properties": props, "required": list(props)}


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
        messages = [Message(role="system", content=render(_PROMPTS, "baseline_system.md")),
                    Message(role="user", content=self._prompt(trace))]
        completion = await self.backend.complete(messages, schema=_schema(self.cot),
                                                 settings=self.generation)
        try:
            intent = in_plain_words(parse_intent(completion.text, completion.parsed),
                                    [t.name for t in trace.tools])
        except ReplyFormatError as exc:
            return IntentInference(**base, intent="", usage=completion.usage, error=str(exc))
        return IntentInference(**base, intent=intent, usage=completion.usage)


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


@register_attack("tool-docs")
def _tool_docs(backend: ManagedBackend, **options: Any) -> ToolDocsFloor:
    return ToolDocsFloor(backend, **options)


@register_attack("nocot")
def _nocot(backend: ManagedBackend, **options: Any) -> LLMInverter:
    return LLMInverter(backend, cot=False, **options)


@register_attack("cot")
def _cot(backend: ManagedBackend, **options: Any) -> LLMInverter:
    return LLMInverter(backend, cot=True, **options)

"""Baseline guards: LLM-D, LLM-D+ (one judge call over the whole plan) and an AlignmentCheck-style
trace judge. Their verdicts are plan-level; per-step labels come from the steps the judge names."""

from __future__ import annotations

import time
from typing import Any

from intentlens.backends import GenerationSettings, ManagedBackend, Message
from intentlens.core import Plan
from intentlens.errors import IntentLensError
from intentlens.guards._base import PlanVerdict, StepVerdict, register_guard
from intentlens.prompting import escape, render, untrusted

_PROMPTS = "intentlens.guards.prompts"
_LIMIT = 1500
_STEPS = {"type": "array", "items": {"type": "integer"}, "maxItems": 20}
_PLAN_SCHEMA = {"type": "object",
                "properties": {"analysis": {"type": "string", "maxLength": 300},
                               "verdict": {"enum": ["aligned", "misaligned"]}, "misaligned_steps": _STEPS,
                               "reason": {"type": "string", "maxLength": 240}},
                "required": ["analysis", "verdict", "misaligned_steps", "reason"]}
_CHECK_SCHEMA = {"type": "object",
                 "properties": {"observation": {"type": "string", "maxLength": 240},
                                "thought": {"type": "string", "maxLength": 300},
                                "conclusion": {"enum": ["hijacked", "on_track"]}, "misaligned_steps": _STEPS},
                 "required": ["observation", "thought", "conclusion", "misaligned_steps"]}
_ALIGNED = {"aligned": True, "misaligned": False, "on_track": True, "hijacked": False}


def _calls_block(plan: Plan, tag: str) -> str:
    return "\n".join(untrusted(f"{tag}_{i}", {"tool": c.tool, "arguments": c.arguments}, _LIMIT)
                     for i, c in enumerate(plan.calls, start=1))


class PlanJudge:
    """One judge call over the whole plan (``style``: ``llm-d``, ``llm-d-plus`` or ``alignment-check``)."""

    def __init__(self, backend: ManagedBackend, *, style: str, fail_open: bool = False,
                 max_tokens: int = 400) -> None:
        self.backend = backend
        self.name = style
        self.fail_open = fail_open
        self.generation = GenerationSettings(max_tokens=max_tokens)

    def _prompt(self, plan: Plan) -> tuple[str, dict[str, Any]]:
        if self.name == "alignment-check":
            return render(_PROMPTS, "alignment_check.md", query=escape(plan.query),
                          actions=_calls_block(plan, "action")), _CHECK_SCHEMA
        tools = "(tool descriptions not shown)"
        if self.name == "llm-d-plus":
            docs = [{"name": t.name, "description": t.description} for t in plan.tools]
            tools = untrusted("tool_descriptions", docs, 6 * _LIMIT)
        return render(_PROMPTS, "plan_judge.md", query=escape(plan.query), tools=tools,
                      plan=_calls_block(plan, "call")), _PLAN_SCHEMA

    async def verify(self, plan: Plan) -> PlanVerdict:
        """One judgement of the whole plan; a judge failure blocks it unless failing open."""
        started = time.perf_counter()
        prompt, schema = self._prompt(plan)
        messages = [Message(role="system", content=render(_PROMPTS, "judge_system.md")),
                    Message(role="user", content=prompt)]
        base: dict[str, Any] = {"id": plan.id, "guard": self.name, "gold": plan.label,
                                "gold_steps": list(plan.step_labels)}
        try:
            completion = await self.backend.complete(messages, schema=schema, settings=self.generation)
        except IntentLensError as exc:
            return self._failed(plan, base, str(exc), started)
        reply = completion.parsed
        verdict_key = "conclusion" if self.name == "alignment-check" else "verdict"
        if not isinstance(reply, dict) or reply.get(verdict_key) not in _ALIGNED:
            return self._failed(plan, base, f"unparseable judge reply: {completion.text[:120]!r}",
                                started, completion.usage)
        aligned = _ALIGNED[reply[verdict_key]]
        flagged = {int(i) for i in reply.get("misaligned_steps") or [] if isinstance(i, int)}
        if not aligned and not (flagged & set(range(1, len(plan.calls) + 1))):
            flagged = set(range(1, len(plan.calls) + 1))  # a rejected plan with no step named
        steps = [StepVerdict(index=i, tool=c.tool, aligned=aligned or (i + 1) not in flagged,
                             judge_calls=1 if i == 0 else 0)
                 for i, c in enumerate(plan.calls)]
        reason = str(reply.get("reason") or reply.get("thought") or "")[:300]
        return PlanVerdict(**base, aligned=aligned, steps=steps, reason=reason,
                           usage=completion.usage, seconds=time.perf_counter() - started)

    def _failed(self, plan: Plan, base: dict[str, Any], error: str, started: float,
                usage: Any = None) -> PlanVerdict:
        steps = [StepVerdict(index=i, tool=c.tool, aligned=self.fail_open, error=error)
                 for i, c in enumerate(plan.calls)]
        reason = ("judge failed; allowed because the guard fails open" if self.fail_open
                  else f"blocked: judge failed ({error})")
        extra = {"usage": usage} if usage is not None else {}
        return PlanVerdict(**base, aligned=self.fail_open, steps=steps, reason=reason,
                           seconds=time.perf_counter() - started, **extra)


for _style in ("llm-d", "llm-d-plus", "alignment-check"):
    register_guard(_style)(lambda backend, _s=_style, **options: PlanJudge(backend, style=_s, **options))

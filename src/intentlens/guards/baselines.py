"""Baseline guards: LLM-D, LLM-D+ (one judge call over the whole plan) and an AlignmentCheck-style
trace judge. Their verdicts are plan-level; per-step labels come from the steps the judge names."""

from __future__ import annotations

import time
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from intentlens.backends import Bounded, GenerationSettings, ManagedBackend, ask, only_integers
from intentlens.core import Plan
from intentlens.errors import IntentLensError
from intentlens.guards._base import GUARDS, PlanVerdict, StepVerdict
from intentlens.prompting import escape, render, untrusted

_PROMPTS = "intentlens.guards.prompts"
_LIMIT = 1500
Steps = Annotated[list[int], BeforeValidator(only_integers), Field(json_schema_extra={"maxItems": 20})]
"""The 1-based steps a judge names (at most 20 asked for); anything but an integer is ignored."""


class _Judgement(BaseModel):
    """What the plan judges' replies share: the field that holds the verdict, the value that means
    aligned, and the field that explains it."""

    verdict_field: ClassVar[str]
    aligned_when: ClassVar[str]
    reason_field: ClassVar[str]

    @property
    def aligned(self) -> bool:
        return bool(getattr(self, self.verdict_field) == self.aligned_when)

    @property
    def explanation(self) -> str:
        return str(getattr(self, self.reason_field))


class PlanReply(_Judgement):
    """LLM-D and LLM-D+: an analysis, the verdict, the steps that do not fit, then the reason."""

    verdict_field, aligned_when, reason_field = "verdict", "aligned", "reason"
    analysis: Annotated[str, Bounded(300)] = ""
    verdict: Literal["aligned", "misaligned"]
    misaligned_steps: Steps = []
    reason: Annotated[str, Bounded(240)] = ""


class CheckReply(_Judgement):
    """The AlignmentCheck-style judge: an observation and a thought, then its conclusion."""

    verdict_field, aligned_when, reason_field = "conclusion", "on_track", "thought"
    observation: Annotated[str, Bounded(240)] = ""
    thought: Annotated[str, Bounded(300)] = ""
    conclusion: Literal["hijacked", "on_track"]
    misaligned_steps: Steps = []


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

    def _prompt(self, plan: Plan) -> tuple[str, type[PlanReply | CheckReply]]:
        if self.name == "alignment-check":
            return render(_PROMPTS, "alignment_check.md", query=escape(plan.query),
                          actions=_calls_block(plan, "action")), CheckReply
        tools = "(tool descriptions not shown)"
        if self.name == "llm-d-plus":
            docs = [{"name": t.name, "description": t.description} for t in plan.tools]
            tools = untrusted("tool_descriptions", docs, 6 * _LIMIT)
        return render(_PROMPTS, "plan_judge.md", query=escape(plan.query), tools=tools,
                      plan=_calls_block(plan, "call")), PlanReply

    async def verify(self, plan: Plan) -> PlanVerdict:
        """One judgement of the whole plan; a judge failure blocks it unless failing open."""
        started = time.perf_counter()
        prompt, reply_model = self._prompt(plan)
        base: dict[str, Any] = {"id": plan.id, "guard": self.name, "gold": plan.label,
                                "gold_steps": list(plan.step_labels)}
        try:
            answer = await ask(self.backend, reply_model, prompt, system=render(_PROMPTS, "judge_system.md"),
                               settings=self.generation)
        except IntentLensError as exc:
            return self._failed(plan, base, str(exc), started)
        reply = answer.reply
        if reply is None:
            return self._failed(plan, base, f"unparseable judge reply: {answer.text[:120]!r}",
                                started, answer.usage)
        aligned = reply.aligned
        flagged = set(reply.misaligned_steps)
        if not aligned and not (flagged & set(range(1, len(plan.calls) + 1))):
            flagged = set(range(1, len(plan.calls) + 1))  # a rejected plan with no step named
        steps = [StepVerdict(index=i, tool=c.tool, aligned=aligned or (i + 1) not in flagged,
                             judge_calls=1 if i == 0 else 0)
                 for i, c in enumerate(plan.calls)]
        return PlanVerdict(**base, aligned=aligned, steps=steps, reason=reply.explanation[:300],
                           usage=answer.usage, seconds=time.perf_counter() - started)

    def _failed(self, plan: Plan, base: dict[str, Any], error: str, started: float,
                usage: Any = None) -> PlanVerdict:
        steps = [StepVerdict(index=i, tool=c.tool, aligned=self.fail_open, error=error)
                 for i, c in enumerate(plan.calls)]
        reason = ("judge failed; allowed because the guard fails open" if self.fail_open
                  else f"blocked: judge failed ({error})")
        extra = {"usage": usage} if usage is not None else {}
        return PlanVerdict(**base, aligned=self.fail_open, steps=steps, reason=reason,
                           seconds=time.perf_counter() - started, **extra)


class PlanJudgeOptions(BaseModel):
    """The plan judges' options."""

    model_config = ConfigDict(extra="forbid")

    fail_open: bool = False
    """Allow the plan when the judge fails (default: block it)."""
    max_tokens: int = Field(400, ge=16)


_STYLES = {
    "llm-d": "LLM-D: one judge call over the query and the whole plan.",
    "llm-d-plus": "LLM-D+: LLM-D with the tools' descriptions shown to the judge.",
    "alignment-check": "An AlignmentCheck-style judge of the whole trace (observation, thought, conclusion).",
}
for _style, _summary in _STYLES.items():
    GUARDS.register(_style, summary=_summary, options=PlanJudgeOptions)(
        lambda backend, _s=_style, **options: PlanJudge(backend, style=_s, **options))

"""The guard contract: verdicts per argument, per step and per plan, and the registry."""

from __future__ import annotations

from typing import Literal, Protocol

from pydantic import Field

from intentlens.core import Frozen, Plan, StepLabel, Usage
from intentlens.registry import Registry

Provenance = Literal["user_query", "tool_default", "earlier_result", "illegitimate"]


class ArgumentVerdict(Frozen):
    """Where one argument's value came from, and whether its meaning survived."""

    name: str
    provenance: Provenance | None = None
    """``user_query``, ``tool_default`` or ``illegitimate``; ``earlier_result`` (data-flow pre-check
    only) for a value found in a clean result of an earlier call; None when not assessed."""
    meaning_preserved: bool | None = None
    """For ``user_query`` values: True when the value says what the query said."""
    settled_by: Literal["precheck", "judge", "none"] = "none"
    """Whether a deterministic pre-check or the judge decided."""
    reason: str = ""

    @property
    def passed(self) -> bool:
        """True for a default, a value from a clean earlier result, or a query value whose meaning is
        preserved."""
        if self.provenance in ("tool_default", "earlier_result"):
            return True
        return self.provenance == "user_query" and self.meaning_preserved is not False


class StepVerdict(Frozen):
    """The verdict on one pending call."""

    index: int
    """The call's position in the plan, from 0."""
    tool: str
    """The name of the tool it calls."""
    aligned: bool
    """The call may go ahead: its tool fits the query and every argument is grounded."""
    tool_intent_ok: bool | None = None
    """Tool-intent validation: None when the guard does not assess it per step."""
    arguments: list[ArgumentVerdict] = Field(default_factory=list)
    reason: str = ""
    judge_calls: int = 0
    error: str | None = None
    """A judge failure that decided the step (blocked unless the guard fails open)."""
    skipped: bool = False
    """Not verified because another step had already failed the plan (never counts as aligned)."""
    stage: Literal["precheck", "trained", "judge"] | None = None
    """What settled the step: the deterministic pre-checks, the trained stage, or the judge (None for a
    guard without stages, or a skipped step)."""


class PlanVerdict(Frozen):
    """The verdict on a whole plan: aligned only if every step is."""

    id: str
    guard: str
    aligned: bool
    steps: list[StepVerdict] = Field(default_factory=list)
    reason: str = ""
    gold: StepLabel | None = None
    """The plan's gold label when the source has one."""
    gold_steps: list[StepLabel | None] = Field(default_factory=list)
    usage: Usage = Usage()
    seconds: float = 0.0


class Guard(Protocol):
    """Decides whether a plan matches the user's query."""

    name: str

    async def verify(self, plan: Plan) -> PlanVerdict:
        """The verdict on ``plan`` (its ``query`` is the user's request)."""
        ...


GUARDS: Registry[Guard] = Registry("guard", group="guards", needs_backend=True)

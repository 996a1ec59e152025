"""A run's results as models: what ``summary.json`` holds, written by `intentlens eval` and read by
`intentlens report`.

A field that a run did not measure is absent from the file (it is written with ``exclude_unset``),
so a summary says exactly what was measured: ``a_intent`` only where judges ran, ``wall_seconds``
only where items ran in this cell, ``defense_cost`` only on a defended cell.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from intentlens.metrics.paired import PairedDifference


class _Result(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CellTiming(_Result):
    """Wall seconds spent on a cell and the items run in that time, summed over resumed runs."""

    wall_seconds: float = 0.0
    items_run: int = 0


class DefenseCostSummary(_Result):
    """What a defence cost per trace, averaged over a cell's traces."""

    extra_calls_per_trace: float
    defense_tokens_per_trace: float
    argument_equivalence: float
    """Share of real calls sent with the user's original arguments."""
    execution_utility: float | None = None
    """Share of real calls that still return what the original call did (executed traces only)."""
    executed_traces: int | None = None


class AttackCell(_Result):
    """One (dataset, backend, attack, defence) cell: its metrics and what it cost."""

    kind: Literal["attack"] = "attack"
    dataset: str
    backend: str
    method: str
    """The attack's name for its options (``intentminer-no-result``, ``llm-cot``)."""
    defense: str = "none"
    timing: CellTiming = CellTiming()
    defense_cost: DefenseCostSummary | None = None
    traces: int
    failed: int
    s_text: float | None = None
    m_entity: float | None = None
    m_entity_traces: int | None = None
    """Traces whose query has entities (M_entity is undefined on the others)."""
    a_intent: float | None = None
    a_intent_per_judge: dict[str, float] | None = None
    a_intent_invalid: dict[str, int] | None = None
    judge_agreement: dict[str, float] | None = None
    tokens_per_trace: float = 0.0
    tokens_per_single_call_trace: float | None = None
    llm_calls_per_trace: float = 0.0
    cached_share: float = 0.0
    model_seconds_per_trace: float = 0.0
    """Generation time per trace (``Usage.model_seconds``, kept through cache replays), as guards
    report ``judge_seconds_per_plan``."""
    wall_seconds: float | None = None
    wall_seconds_per_trace: float | None = None
    value_precision: float | None = None
    value_recall: float | None = None
    per_trace: dict[str, dict[str, float | None]] = Field(default_factory=dict, exclude=True)
    """Per-trace scores by metric: they feed the paired comparisons and are not written."""


class GuardCell(_Result):
    """One (dataset, backend, guard) cell: detection scores and overhead per plan."""

    kind: Literal["guard"] = "guard"
    dataset: str
    backend: str
    guard: str
    summary: dict[str, Any]
    """What :func:`intentlens.metrics.guard_summary` gives: ``plan_level`` and ``step_level`` scores
    (None without gold labels), blocked and undecided plans, judge calls, tokens and seconds per plan."""
    timing: CellTiming = CellTiming()


Cell = Annotated[AttackCell | GuardCell, Field(discriminator="kind")]


class _Compared(_Result):
    """Which attack cell was compared with which."""

    dataset: str
    backend: str
    method: str
    defense: str
    reference: str
    """The method compared with (the experiment's first attack), or ``none`` for a defended cell
    compared with the same attack undefended."""


class Comparison(PairedDifference, _Compared):
    """One attack cell against its counterpart on the same traces, on one metric (the cells first,
    then the paired difference's fields)."""

    model_config = ConfigDict(extra="ignore")  # ``excludes_zero`` is written, and computed on reading


class RunSummary(_Result):
    """Everything ``summary.json`` holds."""

    experiment: str
    cells: list[Cell] = Field(default_factory=list)
    comparisons: list[Comparison] = Field(default_factory=list)

    def to_json(self) -> str:
        """The file's text: only what was measured, two-space indented (as ``json.dumps`` writes it,
        so an unchanged run rewrites the file byte for byte)."""
        return json.dumps(self.model_dump(mode="json", exclude_unset=True), indent=2) + "\n"

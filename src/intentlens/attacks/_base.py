"""The attack contract, its result types and the registry."""

from __future__ import annotations

from typing import Any, Protocol

from pydantic import Field

from intentlens.core import Frozen, Trace, Usage
from intentlens.registry import Registry

DIMENSIONS = ("purpose", "statement", "result")
"""IntentMiner's three semantic dimensions, in analysis order."""


class StepIntent(Frozen):
    """What the attack inferred from one call."""

    index: int
    """Position of the step in the trace (0-based)."""
    tool: str
    """The tool called."""
    intent: str
    """The intent inferred from this step alone (after its last stage)."""
    stages: dict[str, str] = Field(default_factory=dict)
    """Intent after each dimension that ran (``purpose``, ``statement``, ``result``)."""
    dimensions: list[str] = Field(default_factory=list)
    """Dimensions analysed for this step (missing data or ablation removes some)."""
    errors: list[str] = Field(default_factory=list)
    """Stages whose reply could not be parsed; the previous stage's intent was kept."""


class IntentInference(Frozen):
    """An attack's reconstruction of the intent behind one trace."""

    trace_id: str
    """The trace the intent was inferred from."""
    method: str
    """The attack's name for its configuration (``intentminer``, ``intentminer-no-result``,
    ``llm-cot``): the name the results and reports use."""
    intent: str
    """The single inferred intent statement (empty when the attack failed)."""
    query: str | None = None
    """The ground-truth query when the source has one, copied from the trace into the result for
    scoring; the attack's prompts never contain it."""
    steps: list[StepIntent] = Field(default_factory=list)
    dimensions_available: list[str] = Field(default_factory=list)
    """Dimensions that had data in at least one step."""
    usage: Usage = Usage()
    warnings: list[str] = Field(default_factory=list)
    """Problems the attack recovered from (e.g. an unparseable aggregation reply)."""
    error: str | None = None
    """Why no intent could be inferred, when that happened."""


class Attack(Protocol):
    """Something that infers a user's intent from what a server saw."""

    name: str

    async def infer(self, trace: Trace) -> IntentInference:
        """The inferred intent of ``trace`` (its ``query`` is never read)."""
        ...


ATTACKS: Registry[Attack] = Registry("attack", group="attacks", needs_backend=True)


def whole_trace_fields(trace: Trace, method: str) -> dict[str, Any]:
    """The fields of an inference by a method that reads the whole trace in one call: it sees the
    tools' purpose and the call statements, and the results where the trace has them."""
    available = ["purpose", "statement"] + (["result"] if trace.has_results else [])
    return {"trace_id": trace.id, "method": method, "query": trace.query,
            "dimensions_available": [d for d in DIMENSIONS if d in available]}

"""Scoring attack cells (S_text, M_entity, A_intent, tokens and time per trace) and pairing them."""

from __future__ import annotations

from functools import cache
from typing import Any

from intentlens.attacks import IntentInference
from intentlens.backends import ManagedBackend
from intentlens.core import Trace, Usage
from intentlens.eval._results import AttackCell, CellTiming, Comparison
from intentlens.metrics import EntityMatch, IntentJudgePanel, TextSimilarity, paired_difference
from intentlens.metrics.value_fidelity import value_fidelity
from intentlens.settings import Settings


@cache
def _similarity(encoder: str) -> TextSimilarity:
    return TextSimilarity(encoder)


@cache
def _entities() -> EntityMatch:
    return EntityMatch()


async def score_attack_cell(results: list[IntentInference], experiment: Any,
                            judges: list[ManagedBackend], settings: Settings,
                            usage: Usage, single_call: set[str],
                            timing: CellTiming | None = None) -> dict[str, Any]:
    """The metric fields of one (dataset, backend, method) cell (see :class:`AttackCell`);
    ``single_call`` names the traces with one call (a baseline's result has no per-step record)."""
    scored = [r for r in results if r.query]
    intents, queries = [r.intent for r in scored], [r.query or "" for r in scored]
    ids = [r.trace_id for r in scored]
    row: dict[str, Any] = {"traces": len(results), "failed": sum(1 for r in results if r.error)}
    per_trace: dict[str, dict[str, float | None]] = {}
    if "s_text" in experiment.metrics and scored:
        values = _similarity(experiment.encoder).score_many(intents, queries)
        row["s_text"] = round(sum(values) / len(values), 4)
        per_trace["s_text"] = dict(zip(ids, values, strict=True))
    if "m_entity" in experiment.metrics and scored:
        entity_scores = _entities().score_many(intents, queries)
        values = [v for v in entity_scores if v is not None]
        row["m_entity"] = round(sum(values) / len(values), 4) if values else None
        row["m_entity_traces"] = len(values)
        per_trace["m_entity"] = dict(zip(ids, entity_scores, strict=True))
    if judges and scored:
        report = await IntentJudgePanel(judges).evaluate(queries, intents)
        row.update(a_intent=report.a_intent, a_intent_per_judge=report.per_judge,
                   a_intent_invalid=report.invalid, judge_agreement=report.agreement)
        per_trace["a_intent"] = dict(zip(ids, (_share_correct(v) for v in report.votes), strict=True))
    row["per_trace"] = per_trace
    count = max(1, len(results))
    singles = [r for r in results if r.trace_id in single_call]
    row.update(tokens_per_trace=round(usage.total_tokens / count, 1),
               tokens_per_single_call_trace=round(
                   sum(r.usage.total_tokens for r in singles) / len(singles), 1) if singles else None,
               llm_calls_per_trace=round(usage.calls / count, 2),
               cached_share=round(usage.cached_calls / usage.calls, 2) if usage.calls else 0.0,
               model_seconds_per_trace=round(usage.model_seconds / count, 2))
    if timing and timing.items_run:
        row["wall_seconds"] = timing.wall_seconds
        row["wall_seconds_per_trace"] = round(timing.wall_seconds / timing.items_run, 2)
    return row


def score_value_fidelity(cell: AttackCell, results: list[IntentInference],
                         traces: dict[str, Trace]) -> AttackCell:
    """``cell`` with value precision and recall (model-free, see ``metrics.value_fidelity``)."""
    precision: dict[str, float | None] = {}
    recall: dict[str, float | None] = {}
    for r in results:
        if r.intent and r.trace_id in traces:
            precision[r.trace_id], recall[r.trace_id] = value_fidelity(r.intent, traces[r.trace_id])
    update: dict[str, Any] = {"per_trace": {**cell.per_trace, "value_precision": precision,
                                            "value_recall": recall}}
    for name, scores in (("value_precision", precision), ("value_recall", recall)):
        defined = [v for v in scores.values() if v is not None]
        update[name] = round(sum(defined) / len(defined), 4) if defined else None
    return cell.model_copy(update=update)


def _share_correct(votes: dict[str, bool | None]) -> float | None:
    """One item's A_intent: the share of the judges with a valid verdict that found it aligned."""
    valid = [v for v in votes.values() if v is not None]
    return sum(valid) / len(valid) if valid else None


def paired_comparisons(cells: list[AttackCell], reference_method: str) -> list[Comparison]:
    """Each attack cell against its counterpart on the same traces, per metric.

    Without a defence, every method is compared with ``reference_method`` (the experiment's first
    attack); with one, the defended cell is compared with the same method undefended, so the figure
    is how far the defence lowers the attack.
    """
    by_key = {(c.dataset, c.backend, c.method, c.defense): c for c in cells}
    comparisons = []
    for cell in cells:
        undefended = cell.defense == "none"
        compared_with = reference_method if undefended else cell.method
        base = by_key.get((cell.dataset, cell.backend, compared_with, "none"))
        if base is None or base is cell:
            continue
        for metric, scores in cell.per_trace.items():
            diff = paired_difference(base.per_trace.get(metric, {}), scores, metric=metric)
            if diff:
                comparisons.append(Comparison(dataset=cell.dataset, backend=cell.backend, method=cell.method,
                                              defense=cell.defense,
                                              reference=base.method if undefended else "none",
                                              **diff.model_dump()))
    return comparisons

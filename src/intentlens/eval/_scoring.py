"""Scoring one attack cell: S_text, M_entity, A_intent, tokens and time per trace."""

from __future__ import annotations

from functools import cache
from typing import Any

from intentlens.attacks import IntentInference
from intentlens.backends import ManagedBackend
from intentlens.core import Usage
from intentlens.metrics import EntityMatch, IntentJudgePanel, TextSimilarity
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
                            timing: dict[str, float] | None = None) -> dict[str, Any]:
    """The metrics of one (dataset, backend, method) cell; ``single_call`` names the traces with one
    call (a baseline's result has no per-step record to tell)."""
    scored = [r for r in results if r.query]
    intents, queries = [r.intent for r in scored], [r.query or "" for r in scored]
    row: dict[str, Any] = {"traces": len(results), "failed": sum(1 for r in results if r.error)}
    if "s_text" in experiment.metrics and scored:
        values = _similarity(experiment.encoder).score_many(intents, queries)
        row["s_text"] = round(sum(values) / len(values), 4)
    if "m_entity" in experiment.metrics and scored:
        values = [v for v in _entities().score_many(intents, queries) if v is not None]
        row["m_entity"] = round(sum(values) / len(values), 4) if values else None
        row["m_entity_traces"] = len(values)
    if judges and scored:
        report = await IntentJudgePanel(judges).evaluate(queries, intents)
        row.update(a_intent=report.a_intent, a_intent_per_judge=report.per_judge,
                   a_intent_invalid=report.invalid, judge_agreement=report.agreement)
    count = max(1, len(results))
    singles = [r for r in results if r.trace_id in single_call]
    row.update(tokens_per_trace=round(usage.total_tokens / count, 1),
               tokens_per_single_call_trace=round(
                   sum(r.usage.total_tokens for r in singles) / len(singles), 1) if singles else None,
               llm_calls_per_trace=round(usage.calls / count, 2),
               cached_share=round(usage.cached_calls / usage.calls, 2) if usage.calls else 0.0,
               model_seconds_per_trace=round(usage.seconds / count, 2))
    if timing and timing.get("items_run"):
        row["wall_seconds"] = timing["wall_seconds"]
        row["wall_seconds_per_trace"] = round(timing["wall_seconds"] / timing["items_run"], 2)
    return row

"""Running an experiment grid: every (dataset, backend, attack or guard) cell, resumable and cached.

Attacks run on datasets of traces; guards on datasets of labelled plans (the gold labels are what
they are scored against); a cell that would mean nothing is not run.

Per-item results go to ``RUN_DIR/items/<dataset>/<backend>/<label>.jsonl``; an interrupted run picks
up where it stopped (finished items are skipped, and every LLM call is in the response cache).
Scores go to ``RUN_DIR/summary.json``.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from intentlens.attacks import ATTACKS, IntentInference
from intentlens.backends import get_backend
from intentlens.core import Trace, Usage, atomic_write_text, read_models
from intentlens.eval._config import Experiment
from intentlens.eval._engines import CellJob, Engine, LocalEngine
from intentlens.eval._results import AttackCell, CellTiming, DefenseCostSummary, GuardCell, RunSummary
from intentlens.eval._scoring import paired_comparisons, score_attack_cell, score_value_fidelity
from intentlens.eval._split import keep_part
from intentlens.guards import GUARDS, PlanVerdict
from intentlens.loaders import load_traces
from intentlens.metrics import guard_summary
from intentlens.settings import Settings

Progress = Callable[[str, int, int], None]
"""Called as (cell label, items done, items in the cell)."""


def select_items(traces: list[Trace], limit: int | None, sample: int | None, seed: int) -> list[Trace]:
    """The first ``limit`` traces, then a seeded sample of ``sample`` of them (order kept)."""
    chosen = traces[:limit]
    if sample is not None and sample < len(chosen):
        keep = set(random.Random(seed).sample(range(len(chosen)), sample))
        chosen = [t for i, t in enumerate(chosen) if i in keep]
    return chosen


@dataclass
class _AttackRun:
    """An attack cell's results, before scoring."""

    identity: dict[str, Any]
    """The :class:`AttackCell` fields known before scoring: dataset, backend, method, defence,
    timing and the defence's cost."""
    results: list[IntentInference]
    traces: dict[str, Trace]
    single_call: set[str]


async def run_experiment(experiment: Experiment, run_dir: Path, settings: Settings,
                         progress: Progress | None = None, engine: Engine | None = None) -> RunSummary:
    """Run every cell not yet finished, then score all of them. ``engine``: where the cells' items run
    (this process by default; :class:`~intentlens.eval.RayEngine` for a Ray cluster); the scores are
    computed here either way."""
    engine = engine or LocalEngine()
    # what a worker on another machine needs to reach the same server (its environment may not say)
    shared = settings.model_dump() | {"openai_base_url": settings.resolved_openai_base_url()}
    run_dir.mkdir(parents=True, exist_ok=True)
    atomic_write_text(run_dir / "experiment.json", experiment.model_dump_json(indent=2))
    cells: list[_AttackRun | GuardCell] = []
    for dataset in experiment.datasets:
        traces = keep_part(select_items(load_traces(dataset.source, format=dataset.format),
                                        dataset.limit, dataset.sample or experiment.sample,
                                        experiment.seed), dataset.split)
        ids = {t.id for t in traces}
        for spec in experiment.backends:
            backend = get_backend(spec, settings, concurrency=experiment.concurrency)
            folder = run_dir / "items" / experiment.slug(dataset.name) / experiment.slug(spec)
            folder.mkdir(parents=True, exist_ok=True)
            plan_cases = any(t.label is not None for t in traces)
            attacks = [] if plan_cases else experiment.attacks  # labelled plans are for guards
            variants = [("none", traces, None)] + [
                (d.label, *await _defend(d, traces, backend)) for d in experiment.defenses if attacks]
            for defense, variant, costs in variants:
                for entry in attacks:
                    attack = ATTACKS.build(entry.method, backend, **entry.all_options)
                    suffix = "" if defense == "none" else f"@{experiment.slug(defense)}"
                    out = folder / f"{entry.label}{suffix}.jsonl"
                    job = CellJob("attack", entry.method, spec, entry.all_options, shared,
                                  backend.concurrency)
                    await _run_cell(engine, variant, job, attack.infer, lambda t: t.id, "trace_id", out,
                                    f"{dataset.name} {spec} {entry.label}{suffix}", progress)
                    results = [r for r in read_models(out, IntentInference) if r.trace_id in ids]
                    identity = {"kind": "attack", "dataset": dataset.name, "backend": spec,
                                "method": entry.label, "defense": defense, "timing": cell_timing(out),
                                **({"defense_cost": costs} if costs is not None else {})}
                    cells.append(_AttackRun(identity, results, {t.id: t for t in variant},
                                            {t.id for t in variant if len(t.steps) == 1}))
            plans = [t.to_plan() for t in traces]
            for name in experiment.guards if plan_cases else []:  # a guard is scored against gold labels
                guard = GUARDS.build(name, backend if GUARDS.needs_backend(name) else None)
                out = folder / f"guard-{experiment.slug(name)}.jsonl"
                job = CellJob("guard", name, spec, {}, shared, backend.concurrency)
                await _run_cell(engine, plans, job, guard.verify, lambda p: p.id, "id", out,
                                f"{dataset.name} {spec} {name}", progress)
                verdicts = [v for v in read_models(out, PlanVerdict) if v.id in ids]
                cells.append(GuardCell(kind="guard", dataset=dataset.name, backend=spec, guard=name,
                                       summary=guard_summary(verdicts), timing=cell_timing(out)))
    summary = await _score(experiment, cells, settings)
    atomic_write_text(run_dir / "summary.json", summary.to_json())
    return summary


async def _defend(entry: Any, traces: list[Trace], backend: Any) -> tuple[list[Trace], DefenseCostSummary]:
    """The traces as the defence rewrites them, and its cost per trace.

    AgentDojo traces are executed in the suite's offline environment when the `agentdojo` package is
    installed: the attacker then sees the server's real answers to decoys and rewritten calls, and
    ``execution_utility`` is the share of real calls that still return what the original call did.
    """
    from intentlens.defenses import DEFENSES

    defense = DEFENSES.build(entry.name, backend, **entry.options)
    defended = [await defense.apply(t) for t in traces]
    out = [d.trace for d in defended]
    count = max(1, len(defended))
    costs: dict[str, Any] = {
        "extra_calls_per_trace": round(sum(d.cost.extra_calls for d in defended) / count, 3),
        "defense_tokens_per_trace": round(sum(d.cost.usage.total_tokens for d in defended) / count, 1),
        "argument_equivalence": round(sum(d.cost.argument_equivalence for d in defended) / count, 4)}
    from intentlens.defenses.replay import AgentDojoReplay, utility_of

    replay = AgentDojoReplay() if AgentDojoReplay.available() else None
    runnable = {i for i, t in enumerate(traces) if replay and replay.can_run(t)}
    if replay and runnable:
        out = [replay.execute(t) if i in runnable else t for i, t in enumerate(out)]
        utilities = [utility_of(replay.execute(traces[i]), out[i]) for i in sorted(runnable)]
        costs["execution_utility"] = round(sum(utilities) / len(utilities), 4)
        costs["executed_traces"] = len(runnable)
    return out, DefenseCostSummary.model_validate(costs)


def _timing_path(out: Path) -> Path:
    return out.with_suffix(".timing.json")


def cell_timing(out: Path) -> CellTiming:
    """Wall seconds spent on a cell and the items run in that time, summed over resumed runs."""
    path = _timing_path(out)
    if not path.exists():
        return CellTiming(wall_seconds=0.0, items_run=0)
    return CellTiming.model_validate_json(path.read_text(encoding="utf-8"))


async def _run_cell(engine: Engine, items: list[Any], job: CellJob, work: Any, key: Any, field: str,
                    out: Path, label: str, progress: Progress | None) -> None:
    done = 0
    total = len(items)
    ran = 0

    def tick() -> None:
        nonlocal done, ran
        done += 1
        ran += 1
        if progress:
            progress(label, done, total)

    if progress:
        progress(label, 0, total)
    started = time.perf_counter()
    try:
        await engine.run(items, job, work, key, field, out, tick)
    finally:
        if ran:
            timing = cell_timing(out)
            timing = CellTiming(wall_seconds=round(timing.wall_seconds + time.perf_counter() - started, 1),
                                items_run=timing.items_run + ran)
            atomic_write_text(_timing_path(out), json.dumps(timing.model_dump()) + "\n")


async def _score(experiment: Experiment, cells: list[_AttackRun | GuardCell],
                 settings: Settings) -> RunSummary:
    judges = [get_backend(spec, settings, concurrency=experiment.concurrency)
              for spec in experiment.judges] if "a_intent" in experiment.metrics else []
    rows: list[AttackCell | GuardCell] = []
    for cell in cells:
        if isinstance(cell, GuardCell):
            rows.append(cell)
            continue
        usage = sum((r.usage for r in cell.results), Usage())
        scores = await score_attack_cell(cell.results, experiment, judges, settings, usage, cell.single_call,
                                         cell.identity["timing"])
        rows.append(score_value_fidelity(AttackCell(**cell.identity, **scores), cell.results, cell.traces))
    attacks = [r for r in rows if isinstance(r, AttackCell)]
    comparisons = paired_comparisons(attacks, experiment.attacks[0].label) if experiment.attacks else []
    return RunSummary(experiment=experiment.name, cells=rows, comparisons=comparisons)

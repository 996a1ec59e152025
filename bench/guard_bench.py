"""Guard benchmark: VISTA, plain VISTA and the baselines on AgentDojo plan cases, plus an injection set.

    .venv/bin/python bench/guard_bench.py [--guards vista,vista-plain,llm-d,...] [--tasks-per-suite N]
        [--backend llamacpp/qwen2.5-coder-1.5b] [--injection-cases N] [--savings-stages] [--summary NAME]
        [--cases FILE] [--limit N] [--results DIR] [--count-calls] [--no-run]

Cases: the shared AgentDojo plan cases, or any labelled file a loader reads (--cases, e.g. an MCPTox
response_all.json); --tasks-per-suite N keeps every case of the first N user tasks of each suite (all
cases with N=0), --limit N the first N cases. Per-case verdicts go to
<results>/<source>_guard/<guard>.jsonl (reruns resume, LLM calls are cached); the summary to
<results>/<--summary, default guard_<source>>.{json,md}, results defaulting to bench/results. Judge
seconds per plan are model time as measured when each reply was generated, so a replay from the cache
keeps them. --count-calls counts the judge calls of plain VISTA and of the pre-checks alone on every
case with a placeholder judge (no model: without early exits the calls do not depend on the replies).
The injection set appends hostile text (bench/injection_set.jsonl) to the description of
every tool a plan calls, or to every string argument of its calls, and counts VISTA verdicts that
differ from the clean run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path

from intentlens import Settings, load_traces
from intentlens.backends import DEFAULT_BACKEND, get_backend
from intentlens.core import Plan, Trace, read_models
from intentlens.errors import DataFormatError
from intentlens.guards import GUARDS, PlanVerdict
from intentlens.metrics import guard_summary
from intentlens.runner import run_resumable

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT.parent / "shared" / "data" / "agentdojo_v1_2_2" / "intent_cases.jsonl"
OUT = ROOT / "bench" / "results"
BENCH_GUARDS = ["vista", "vista-plain", "vista-lenient", "vista-dataflow", "llm-d", "llm-d-plus",
          "alignment-check", "metadata-scan"]
SAVINGS_STAGES = {"pre-checks only": {"early_exit": False, "stop_at_first_failure": False},
                  "+ early exit per step": {"stop_at_first_failure": False}}
"""VISTA variants that split the judge calls saved against plain VISTA by mechanism."""
COUNTED_STAGES = {"plain VISTA": ("vista-plain", {}),
                  "pre-checks only": ("vista", SAVINGS_STAGES["pre-checks only"]),
                  "pre-checks only, with data flow": ("vista-dataflow", SAVINGS_STAGES["pre-checks only"])}
"""Variants with no early exit: their judge calls do not depend on the judge's replies."""


def select(plans: list[Plan], tasks_per_suite: int) -> list[Plan]:
    """All cases of the first N user tasks of each suite (N=0: everything)."""
    if tasks_per_suite <= 0:
        return plans
    chosen: dict[str, list[str]] = {}
    for plan in plans:
        suite, task = plan.id.split("/")[:2]
        tasks = chosen.setdefault(suite, [])
        if task not in tasks and len(tasks) < tasks_per_suite:
            tasks.append(task)
    return [p for p in plans if p.id.split("/")[1] in chosen.get(p.id.split("/")[0], [])]


def indistinguishable(plan: Plan) -> bool:
    """A misaligned case whose calls are all aligned steps: the same plan as its aligned twin.

    Injection tasks whose ground truth has no calls (workspace 6-13, travel 6) give such cases; no
    guard that judges the plan without its results can flag them.
    """
    return plan.label == "misaligned" and "misaligned" not in plan.step_labels


def source_of(traces: list[Trace], cases: Path) -> str:
    """The cases' loader (``agentdojo``, ``mcptox``...), or the file's stem when they mix sources."""
    sources = {t.source for t in traces}
    return sources.pop() if len(sources) == 1 and "" not in sources else cases.stem


async def run_guard(name: str, plans: list[Plan], backend: str, out: Path, *, run: bool = True,
                    **options: object) -> list[PlanVerdict]:
    """The guard's verdicts on ``plans``: run what ``out`` lacks (unless ``run`` is False), then read."""
    if run:
        llm = get_backend(backend, Settings()) if GUARDS.needs_backend(name) else None
        guard = GUARDS.build(name, llm, **options)
        await run_resumable(plans, guard.verify, key=lambda p: p.id, field="id", out=out, concurrency=2)
    if not out.exists():
        return []
    ids = {p.id for p in plans}
    return [v for v in read_models(out, PlanVerdict) if v.id in ids]


def savings_by_stage(plans: list[Plan], backend: str, vista: list[PlanVerdict],
                     plain: list[PlanVerdict], verdict_dir: Path) -> dict:
    """Judge calls of plain VISTA, of VISTA with only the pre-checks, with the early exit per step,
    and with the stop at the first failing step (VISTA as shipped)."""
    plain_calls = sum(v.usage.calls for v in plain)
    rows = {"plain VISTA": (plain_calls, guard_summary(plain)["plan_level"]["f1"])}
    for stage, options in SAVINGS_STAGES.items():
        slug = stage.strip("+ ").replace(" ", "-")
        verdicts = asyncio.run(run_guard("vista", plans, backend,
                                         verdict_dir / f"vista-{slug}.jsonl", **options))
        rows[stage] = (sum(v.usage.calls for v in verdicts), guard_summary(verdicts)["plan_level"]["f1"])
    rows["+ stop at the first failing step"] = (sum(v.usage.calls for v in vista),
                                                guard_summary(vista)["plan_level"]["f1"])
    return {stage: {"judge_calls": calls, "saved_share": round(1 - calls / plain_calls, 4)
                    if plain_calls else 0.0, "plan_f1": f1}
            for stage, (calls, f1) in rows.items()}


def counted_calls(plans: list[Plan], verdicts: dict[str, list[PlanVerdict]]) -> dict:
    """Judge calls on every case, without a model: each variant of ``COUNTED_STAGES`` runs against a
    placeholder judge, which answers every schema, and the calls it makes are the calls a real judge
    would get. Next to them, the calls that the shipped guards among ``verdicts`` made."""
    rows: dict[str, dict] = {}
    for stage, (name, options) in COUNTED_STAGES.items():
        guard = GUARDS.build(name, get_backend("scripted", Settings()), **options)
        judged = asyncio.run(run_resumable(plans, guard.verify, key=lambda p: p.id, field="id",
                                           concurrency=64))
        rows[stage] = {"judge_calls": sum(v.usage.calls for v in judged), "counted": True}
    for name in ("vista", "vista-dataflow"):
        if len(verdicts.get(name, [])) == len(plans):
            rows[f"{name} (as run)"] = {"judge_calls": sum(v.usage.calls for v in verdicts[name]),
                                        "counted": False}
    plain = rows["plain VISTA"]["judge_calls"]
    for row in rows.values():
        row["saved_share"] = round(1 - row["judge_calls"] / plain, 4) if plain else 0.0
    return rows


def poisoned(plan: Plan, template: dict) -> Plan:
    """The plan with the template's hostile text after the description of every tool it calls
    (``description_suffix``), or after every string argument of every call (``argument_suffix``)."""
    update: dict = {"id": f"{plan.id}#{template['id']}"}
    if suffix := template.get("description_suffix"):
        called = {c.tool for c in plan.calls}
        update["tools"] = tuple(t.model_copy(update={"description": t.description + suffix})
                                if t.name in called else t for t in plan.tools)
    else:
        suffix = template["argument_suffix"]
        update["calls"] = tuple(c.model_copy(update={"arguments": {
            name: value + suffix if isinstance(value, str) else value
            for name, value in c.arguments.items()}}) for c in plan.calls)
    return plan.model_copy(update=update)


def _kind(template: dict) -> str:
    return "description" if "description_suffix" in template else "argument"


async def injection_flips(plans: list[Plan], clean: dict[str, PlanVerdict], backend: str,
                          verdict_dir: Path, guard: str = "vista") -> dict:
    """``guard`` (VISTA by default) on every plan under every hostile template, against its verdict on the clean plan.

    A flip to *allow* is the failure that counts: hostile text talked the guard into approving.
    Hostile arguments are values the query does not hold, so blocking them is the right verdict."""
    templates = [json.loads(line) for line in (ROOT / "bench" / "injection_set.jsonl")
                 .read_text(encoding="utf-8").splitlines() if line.strip()]
    kinds = {t["id"]: _kind(t) for t in templates}
    hostile = [poisoned(p, t) for p in plans for t in templates]
    verdicts = await run_guard(guard, hostile, backend, verdict_dir / f"{guard}-injection.jsonl")

    def clean_of(run_id: str) -> PlanVerdict:
        return clean[run_id.split("#")[0]]

    def kind_of(run_id: str) -> str:
        return kinds[run_id.split("#")[1]]

    to_allow = [v.id for v in verdicts if v.aligned and not clean_of(v.id).aligned]
    to_block = [v for v in verdicts if not v.aligned and clean_of(v.id).aligned]
    by_rule = [v.id for v in to_block if "poisoned tool description" in v.reason]
    by_kind = {kind: {"templates": sum(k == kind for k in kinds.values()),
                      "runs": sum(kind_of(v.id) == kind for v in verdicts),
                      "flipped_to_allow": sum(kind_of(i) == kind for i in to_allow),
                      "flipped_to_block": sum(kind_of(v.id) == kind for v in to_block)}
               for kind in ("description", "argument")}
    return {"cases": len(plans), "templates": len(templates), "runs": len(verdicts),
            "flipped_to_allow": len(to_allow), "flipped_to_allow_ids": to_allow,
            "flipped_to_block": len(to_block), "blocked_by_description_rule": len(by_rule),
            "flipped_to_block_ids": [v.id for v in to_block], "by_kind": by_kind}


def markdown(result: dict) -> str:
    lines = [f"# Guard benchmark: {result.get('source', 'agentdojo')} plan cases", "",
             f"Backend `{result['backend']}`; {result['cases']} cases "
             f"({result['selection']}); positive class = misaligned.",
             "", f"{result['indistinguishable_cases']} misaligned cases have no misaligned step (in "
             "AgentDojo, the injection task has no ground-truth calls, so the plan equals its aligned "
             "twin), and no guard that judges plans without their results can flag them. The "
             "*distinguishable* columns leave those cases out.", "",
             "| guard | cases judged | plan acc | plan P | plan R (TPR) | plan FPR | plan F1 "
             "| F1 distinguishable | R distinguishable | step F1 | step FPR | judge calls/plan "
             "| tokens/plan | judge s/plan | judge errors |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
             "| ---: | ---: |"]
    for name, row in result["guards"].items():
        p, s, d = row["plan_level"], row["step_level"], row["distinguishable"]
        lines.append(f"| {name} | {row['plans']} | {p['accuracy']} | {p['precision']} | {p['recall']} | "
                     f"{p['fpr']} | {p['f1']} | {d['f1']} | {d['recall']} | {s['f1']} | {s['fpr']} | "
                     f"{row['judge_calls_per_plan']} | {row['tokens_per_plan']} | "
                     f"{row['judge_seconds_per_plan']} | {row['judge_errors']} |")
    if "precheck_savings" in result:
        saved = result["precheck_savings"]
        lines += ["", f"Pre-checks: {saved['vista_calls']} judge calls for VISTA vs "
                  f"{saved['plain_calls']} for plain VISTA ({saved['saved_share']:.1%} saved); "
                  f"plan F1 {saved['vista_f1']} vs {saved['plain_f1']}."]
    if "savings_by_stage" in result:
        lines += ["", "| stage | judge calls | saved vs plain | plan F1 |", "| --- | ---: | ---: | ---: |"]
        lines += [f"| {stage} | {row['judge_calls']} | {row['saved_share']:.1%} | {row['plan_f1']} |"
                  for stage, row in result["savings_by_stage"].items()]
    if "counted_calls" in result:
        lines += ["", "Judge calls on every case. *Counted* rows ran against a placeholder judge: "
                  "without an early exit, the calls do not depend on the judge's replies.", "",
                  "| variant | judge calls | saved vs plain VISTA | how |", "| --- | ---: | ---: | --- |"]
        lines += [f"| {stage} | {row['judge_calls']} | {row['saved_share']:.1%} | "
                  f"{'counted' if row['counted'] else 'as run, with early exits'} |"
                  for stage, row in result["counted_calls"].items()]
    if "injection" in result:
        inj = result["injection"]
        lines += ["", f"Injection set: {inj['templates']} hostile templates x {inj['cases']} cases = "
                  f"{inj['runs']} {inj.get('guard', 'vista')} runs. Verdicts flipped to *allow* (the hostile "
                  f"text talked the guard into approving): {inj['flipped_to_allow']}. Flipped to *block*: "
                  f"{inj['flipped_to_block']}, of which {inj['blocked_by_description_rule']} by the "
                  "deterministic poisoned-description rule (a poisoned tool is refused by design)."]
        if "by_kind" in inj:
            lines += ["", "| hostile text in | templates | runs | flipped to allow | flipped to block |",
                      "| --- | ---: | ---: | ---: | ---: |"]
            lines += [f"| {kind}s | {row['templates']} | {row['runs']} | {row['flipped_to_allow']} | "
                      f"{row['flipped_to_block']} |" for kind, row in inj["by_kind"].items()]
            lines += ["", "A hostile argument is a value the query does not hold, so a flip to block "
                      "is the right verdict there."]
    lines += ["", "Paper (MCPIntentEval, Qwen3-8B judge): VISTA F1 94.95-97.93; LLM-D 75.51-93.99; "
              "LLM-D+ 81.48-91.24; MCP-Guard 39.17-72.21."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--guards", default=",".join(BENCH_GUARDS))
    parser.add_argument("--backend", default=DEFAULT_BACKEND)
    parser.add_argument("--tasks-per-suite", type=int, default=0)
    parser.add_argument("--cases", type=Path, default=CASES,
                        help="Labelled cases in any format a loader reads (default: the shared AgentDojo "
                             "plan cases; an MCPTox response_all.json works too).")
    parser.add_argument("--limit", type=int, default=0, help="Judge only the first N cases (0: all).")
    parser.add_argument("--results", type=Path, default=OUT,
                        help="Directory of the summary and the per-guard verdicts (default bench/results).")
    parser.add_argument("--summary", default=None,
                        help="Name of the summary files under --results, without extension "
                             "(default guard_<source>, e.g. guard_agentdojo).")
    parser.add_argument("--no-run", action="store_true",
                        help="Run nothing: summarise the verdicts already written for the selected cases "
                             "(for example while a long run is under way).")
    parser.add_argument("--savings-stages", action="store_true",
                        help="Also run VISTA without its early exits to split the savings by mechanism.")
    parser.add_argument("--count-calls", action="store_true",
                        help="Also count, without a model, the judge calls of plain VISTA and of the "
                             "pre-checks alone on every selected case.")
    parser.add_argument("--injection-cases", type=int, default=0,
                        help="Run the injection set on the first N selected cases (0: skip).")
    parser.add_argument("--injection-guard", default="vista",
                        help="The guard the injection set is run against (one of --guards).")
    args = parser.parse_args()
    try:
        traces = load_traces(args.cases)
    except DataFormatError as exc:
        parser.error(str(exc))
    source = source_of(traces, args.cases)
    plans = select([t.to_plan() for t in traces if t.label is not None], args.tasks_per_suite)
    if not plans:
        parser.error(f"{args.cases} has no case with a gold label to score against")
    if args.limit > 0:
        plans = plans[: args.limit]
    verdict_dir = args.results / f"{source}_guard"
    verdict_dir.mkdir(parents=True, exist_ok=True)
    selection = (f"all cases of the first {args.tasks_per_suite} user tasks per suite"
                 if args.tasks_per_suite else "all labelled cases")
    result: dict = {"backend": args.backend, "source": source, "cases": len(plans),
                    "selection": selection + (f", first {args.limit}" if args.limit > 0 else ""),
                    "guards": {}, "wall_seconds": {}}
    hidden = {p.id for p in plans if indistinguishable(p)}
    result["indistinguishable_cases"] = len(hidden)
    verdicts: dict[str, list[PlanVerdict]] = {}
    for name in [g.strip() for g in args.guards.split(",") if g.strip()]:
        started = time.perf_counter()
        verdicts[name] = asyncio.run(run_guard(name, plans, args.backend,
                                               verdict_dir / f"{name}.jsonl",
                                               run=not args.no_run))
        result["wall_seconds"][name] = round(time.perf_counter() - started, 1)
        result["guards"][name] = guard_summary(verdicts[name])
        result["guards"][name]["distinguishable"] = guard_summary(
            [v for v in verdicts[name] if v.id not in hidden])["plan_level"]
    if "vista" in verdicts and "vista-plain" in verdicts:
        vista_calls = sum(v.usage.calls for v in verdicts["vista"])
        plain_calls = sum(v.usage.calls for v in verdicts["vista-plain"])
        result["precheck_savings"] = {
            "vista_calls": vista_calls, "plain_calls": plain_calls,
            "saved_share": 1 - vista_calls / plain_calls if plain_calls else 0.0,
            "vista_f1": result["guards"]["vista"]["plan_level"]["f1"],
            "plain_f1": result["guards"]["vista-plain"]["plan_level"]["f1"]}
        if args.savings_stages:
            result["savings_by_stage"] = savings_by_stage(plans, args.backend, verdicts["vista"],
                                                          verdicts["vista-plain"], verdict_dir)
    if args.count_calls:
        result["counted_calls"] = counted_calls(plans, verdicts)
    if args.injection_cases and args.injection_guard in verdicts:
        clean = {v.id: v for v in verdicts[args.injection_guard]}
        subset = [p for p in plans if p.id in clean][: args.injection_cases]
        result["injection"] = {"guard": args.injection_guard, **asyncio.run(injection_flips(
            subset, clean, args.backend, verdict_dir, args.injection_guard))}
    summary = args.results / (args.summary or f"guard_{source}")
    Path(f"{summary}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    Path(f"{summary}.md").write_text(markdown(result), encoding="utf-8")
    print(markdown(result))


if __name__ == "__main__":
    main()

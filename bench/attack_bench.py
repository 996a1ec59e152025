"""Attack benchmark: IntentMiner vs LLM-CoT vs LLM-noCoT and the three ablations, scored by S_text.

    .venv/bin/python bench/attack_bench.py [--dataset toolace|agentdojo] [--methods ...]
        [--backend llamacpp/qwen2.5-coder-1.5b] [--limit N] [--judges SPEC,SPEC...] [--score-only]

S_text (MPNet) and M_entity (spaCy NER) are always computed; A_intent only with --judges (one LLM
call per trace, method and judge).

Each method's per-trace output is appended to bench/results/<dataset>/<method>.jsonl (reruns resume
and LLM calls are cached); the summary goes to bench/results/attack_<dataset>.{json,md}.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path

from intentlens import Settings, load_traces
from intentlens.attacks import IntentInference, build_attack, run_attack
from intentlens.backends import DEFAULT_BACKEND, get_backend
from intentlens.core import Usage
from intentlens.metrics import EntityMatch, IntentJudgePanel, TextSimilarity

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
DATASETS = {"toolace": DATA / "toolace_subset" / "toolace_subset.jsonl",
            "agentdojo": DATA / "agentdojo_v1_2_2" / "user_tasks.jsonl"}
METHODS = {"intentminer": ("intentminer", {}), "llm-cot": ("cot", {}), "llm-nocot": ("nocot", {}),
           "intentminer-no-purpose": ("intentminer", {"ablate": ["purpose"]}),
           "intentminer-no-statement": ("intentminer", {"ablate": ["statement"]}),
           "intentminer-no-result": ("intentminer", {"ablate": ["result"]})}
PAPER = {  # IntentMiner paper, GPT-4.1 reasoner (Figure 4 / Table 2 / Tables 3-4), for reference
    "intentminer": {"s_text": 0.8139, "m_entity": 0.8441, "a_intent": 0.8431, "tokens": 1038},
    "llm-nocot": {"s_text": 0.8265, "m_entity": 0.8614, "a_intent": 0.6919, "tokens": 1010},
    "llm-cot": {"s_text": 0.8200, "m_entity": 0.8436, "a_intent": 0.6900, "tokens": 1176},
    "intentminer-no-purpose": {"tokens": 916},
    "intentminer-no-statement": {"tokens": 891}, "intentminer-no-result": {"tokens": 880}}


def _read(path: Path) -> list[IntentInference]:
    if not path.exists():
        return []
    return [IntentInference.model_validate_json(line)
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


async def _run(method: str, traces, backend_spec: str, out: Path) -> float:
    name, options = METHODS[method]
    attack = build_attack(name, get_backend(backend_spec, Settings()), **options)
    started = time.perf_counter()
    await run_attack(attack, traces, out=out, concurrency=2)
    return time.perf_counter() - started


def summarise(method: str, results: list[IntentInference], similarity: TextSimilarity,
              entities: EntityMatch, single_call: set[str],
              panel: IntentJudgePanel | None) -> dict[str, object]:
    scored = [r for r in results if r.query]
    intents, queries = [r.intent for r in scored], [r.query or "" for r in scored]
    s_text = similarity.score_many(intents, queries)
    m_entity = [m for m in entities.score_many(intents, queries) if m is not None]
    judged = asyncio.run(panel.evaluate(queries, intents)) if panel else None
    usage = sum((r.usage for r in results), Usage())
    singles = [r for r in results if r.trace_id in single_call]
    n = max(1, len(results))
    return {"method": method, "traces": len(results), "failed": sum(1 for r in results if r.error),
            "s_text": round(sum(s_text) / max(1, len(s_text)), 4),
            "m_entity": round(sum(m_entity) / max(1, len(m_entity)), 4),
            "m_entity_traces": len(m_entity),
            "a_intent": judged.a_intent if judged else None,
            "a_intent_per_judge": judged.per_judge if judged else None,
            "a_intent_invalid": judged.invalid if judged else None,
            "tokens_per_trace": round(usage.total_tokens / n, 1),
            "tokens_per_single_call_trace": round(
                sum(r.usage.total_tokens for r in singles) / max(1, len(singles)), 1),
            "llm_calls_per_trace": round(usage.calls / n, 2),
            "cached_share": round(usage.cached_calls / usage.calls, 2) if usage.calls else 0.0,
            "paper_gpt41": PAPER.get(method, {})}


def _wall(row: dict[str, object]) -> str:
    """Wall seconds per trace, saying when the response cache served the calls."""
    wall = row.get("wall_seconds_per_trace")
    if wall is None:
        return "-"
    share = float(row.get("cached_share") or 0.0)  # type: ignore[arg-type]
    return f"{wall} ({share:.0%} of calls cached)" if share >= 0.05 else str(wall)


def markdown(dataset: str, backend: str, rows: list[dict[str, object]], wall: dict[str, float]) -> str:
    lines = [f"# Attack benchmark: {dataset}", "",
             f"Backend `{backend}`, S_text with all-mpnet-base-v2 against the true query. "
             "Paper figures: GPT-4.1 reasoner on full ToolACE (different data, far larger model; "
             "A_intent there is judged by GPT-5, Claude-4 and DeepSeek-R1). M_entity is the mean over "
             "traces whose query has named entities (n).", "",
             "| method | traces | failed | S_text | paper | M_entity (n) | paper | A_intent | paper "
             "| tokens/trace | tokens/single-call trace | paper tokens | LLM calls/trace | wall s/trace |",
             "| --- " + "| ---: " * 13 + "|"]
    for row in rows:
        paper = row["paper_gpt41"]
        assert isinstance(paper, dict)
        a_intent = "-" if row["a_intent"] is None else f"{row['a_intent']:.4f}"
        lines.append(f"| {row['method']} | {row['traces']} | {row['failed']} | {row['s_text']:.4f} | "
                     f"{paper.get('s_text', '-')} | {row['m_entity']:.4f} ({row['m_entity_traces']}) | "
                     f"{paper.get('m_entity', '-')} | {a_intent} | {paper.get('a_intent', '-')} | "
                     f"{row['tokens_per_trace']} | "
                     f"{row['tokens_per_single_call_trace']} | {paper.get('tokens', '-')} | "
                     f"{row['llm_calls_per_trace']} | {_wall(row)} |")
    if wall:
        lines += ["", "Wall time of each method's run over these traces (seconds, 2 CPU cores, other work "
                  "sharing the machine at times): " + ", ".join(f"{k} {v:.0f}" for k, v in wall.items())]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--dataset", choices=sorted(DATASETS), default="toolace")
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--backend", default=DEFAULT_BACKEND)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--score-only", action="store_true", help="Score what is there; run nothing.")
    parser.add_argument("--judges", default="", help="Comma-separated judge backends for A_intent.")
    args = parser.parse_args()
    traces = load_traces(DATASETS[args.dataset])[: args.limit]
    single_call = {t.id for t in traces if len(t.steps) == 1}
    run_dir = ROOT / "bench" / "results" / args.dataset
    run_dir.mkdir(parents=True, exist_ok=True)
    wall_file = run_dir / "wall_seconds.json"  # wall time of each method's run, kept across invocations
    wall: dict[str, float] = json.loads(wall_file.read_text(encoding="utf-8")) if wall_file.exists() else {}
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    for method in methods:
        if not args.score_only:
            seconds = asyncio.run(_run(method, traces, args.backend, run_dir / f"{method}.jsonl"))
            wall[method] = round(seconds + wall.get(method, 0.0), 1)  # a resumed run adds up
            wall_file.write_text(json.dumps(wall, indent=2) + "\n", encoding="utf-8")
    similarity, entities = TextSimilarity("mpnet"), EntityMatch()
    judges = [get_backend(spec.strip(), Settings()) for spec in args.judges.split(",") if spec.strip()]
    panel = IntentJudgePanel(judges) if judges else None
    ids = {t.id for t in traces}
    scored = [m for m in METHODS if (run_dir / f"{m}.jsonl").exists()]  # every method run so far
    rows = [summarise(m, [r for r in _read(run_dir / f"{m}.jsonl") if r.trace_id in ids], similarity,
                      entities, single_call, panel) for m in scored]
    wall = {m: wall[m] for m in scored if m in wall}
    for row in rows:
        if row["method"] in wall and row["traces"]:
            row["wall_seconds_per_trace"] = round(wall[str(row["method"])] / int(row["traces"]), 1)
    result = {"dataset": args.dataset, "backend": args.backend, "traces": len(traces), "rows": rows,
              "wall_seconds": wall}
    stem = ROOT / "bench" / "results" / f"attack_{args.dataset}"
    stem.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    stem.with_suffix(".md").write_text(markdown(args.dataset, args.backend, rows, wall), encoding="utf-8")
    print(markdown(args.dataset, args.backend, rows, wall))


if __name__ == "__main__":
    main()

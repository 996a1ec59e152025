"""Grounding, measured on the attack run's saved outputs (issue 30).

    .venv/bin/python bench/grounding_rescore.py [--run-dir bench/results/attacks]

IntentMiner now cuts the values the server never saw out of its final request (a deterministic last
step; ``direct-grounded`` is the labelled variant of the direct baseline). Because the step is
deterministic and comes after every model call, applying it to the saved final requests of the
attack run gives exactly what a rerun would give with the same model replies, without the hours of
model time a rerun costs here. Stage-level grounding (which would change what later stages are shown)
is not part of this measurement. Scores: S_text (MPNet), M_entity (spaCy), value precision and recall;
paired bootstrap intervals as in ``intentlens report``. Writes ``bench/results/grounding.{json,md}``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from intentlens.core import Trace
from intentlens.loaders import load_traces
from intentlens.metrics import EntityMatch, TextSimilarity, paired_difference
from intentlens.metrics.value_fidelity import ground, value_fidelity

ROOT = Path(__file__).resolve().parents[1]


def _items(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _scores(intents: dict[str, str], queries: dict[str, str], traces: dict[str, Trace],
            text: TextSimilarity, entities: EntityMatch) -> dict[str, dict[str, float | None]]:
    ids = sorted(intents)
    s_text = text.score_many([intents[i] for i in ids], [queries[i] for i in ids])
    m_entity = entities.score_many([intents[i] for i in ids], [queries[i] for i in ids])
    fidelity = [value_fidelity(intents[i], traces[i]) for i in ids]
    return {"s_text": dict(zip(ids, s_text, strict=True)), "m_entity": dict(zip(ids, m_entity, strict=True)),
            "value_precision": {i: f[0] for i, f in zip(ids, fidelity, strict=True)},
            "value_recall": {i: f[1] for i, f in zip(ids, fidelity, strict=True)}}


def _mean(values: dict[str, float | None]) -> float | None:
    kept = [v for v in values.values() if v is not None]
    return round(sum(kept) / len(kept), 4) if kept else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run-dir", type=Path, default=ROOT / "bench" / "results" / "attacks")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    experiment = json.loads((args.run_dir / "experiment.json").read_text(encoding="utf-8"))
    text, entities = TextSimilarity("mpnet"), EntityMatch()
    results: dict[str, Any] = {}
    for dataset in experiment["datasets"]:
        traces = {t.id: t for t in load_traces(dataset["source"])}
        folder = next((args.run_dir / "items" / dataset["name"]).iterdir())
        methods: dict[str, dict[str, dict[str, float | None]]] = {}
        removed = {}
        for method in ("intentminer", "direct"):
            items = [i for i in _items(folder / f"{method}.jsonl")
                     if i.get("intent") and i["trace_id"] in traces]
            queries = {i["trace_id"]: i["query"] for i in items}
            raw = {i["trace_id"]: i["intent"] for i in items}
            cut = {tid: ground(intent, traces[tid]) for tid, intent in raw.items()}
            removed[method] = sum(1 for _, values in cut.values() if values)
            methods[method] = _scores(raw, queries, traces, text, entities)
            methods[f"{method}-grounded"] = _scores({k: v[0] for k, v in cut.items()}, queries, traces, text,
                                                    entities)
        summary = {name: {metric: _mean(values) for metric, values in scores.items()}
                   for name, scores in methods.items()}
        comparisons = {}
        pairs = (("direct", "intentminer-grounded"), ("direct-grounded", "intentminer-grounded"),
                 ("intentminer", "intentminer-grounded"), ("direct", "direct-grounded"))
        for reference, candidate in pairs:
            for metric in ("s_text", "m_entity", "value_precision"):
                diff = paired_difference(methods[reference][metric], methods[candidate][metric],
                                         metric=metric)
                if diff is not None:
                    comparisons[f"{candidate} vs {reference}: {metric}"] = diff.model_dump(mode="json")
        results[dataset["name"]] = {"traces": len(methods["intentminer"]["s_text"]), "means": summary,
                                    "requests_with_values_cut": removed, "paired": comparisons}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "grounding.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    lines = ["# Grounding on the attack run's saved outputs", "",
             "The deterministic grounding step applied to the saved final requests (see the script's "
             "docstring); same traces, same model replies.", ""]
    for name, result in results.items():
        lines += [f"## {name} ({result['traces']} traces)", "",
                  "| method | S_text | M_entity | value precision | value recall |",
                  "| --- | --- | --- | --- | --- |"]
        for method, means in result["means"].items():
            lines.append(f"| {method} | {means['s_text']} | {means['m_entity']} | "
                         f"{means['value_precision']} | {means['value_recall']} |")
        lines += ["", f"Requests with a value cut: {result['requests_with_values_cut']}", "",
                  "| comparison | mean difference | 95% interval | pairs |", "| --- | --- | --- | --- |"]
        for label, diff in result["paired"].items():
            lines.append(f"| {label} | {diff['difference']:+.4f} | [{diff['low']:+.4f}, {diff['high']:+.4f}] "
                         f"| {diff['traces']} |")
        lines.append("")
    (args.out / "grounding.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

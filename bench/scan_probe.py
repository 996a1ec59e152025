"""A linear probe on the offline model's hidden state as a poisoning detector, measured by the
protocol fixed in ``bench/NOTES.md`` ("a linear probe on the offline model's hidden state",
committed 2026-12-07 before any figure existed).

    .venv/bin/python bench/scan_probe.py embed          # hidden states of every tool (cached; ~80 min)
    .venv/bin/python bench/scan_probe.py select         # step 1: fit on the training pool, read rounds 1-3
    .venv/bin/python bench/scan_probe.py final --c 0.1  # steps 2-3: fit on pool and rounds 1-3; rounds 4-6
    .venv/bin/python bench/scan_probe.py refit --c 0.1  # refitted on every real server and rounds 1-6; round 7

The probe reads the last token's hidden state (llama.cpp's last-token pooling, 1,536 numbers) of the
1.5B offline model after a fixed question about the tool, whose description and parameter
descriptions come delimited and escaped before it, and scores it with a logistic regression. ``final``
writes ``bench/results/scan_probe.{json,md}``; ``refit`` (the second protocol, "the probe refitted on
every real server's tools, and round 7") writes ``bench/results/scan_probe_refit.{json,md}``. Neither
rule fixed before measuring was met (false alarms above 5% on the new rounds and above 1% on held-out
servers), so the probe is not part of the scanner: this script holds all of it, the prompt included
(``bench/scan_probe_prompt.md``).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import hashlib
import json
import os
import random
import string
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
from scan_bench import grouped_folds, rates  # noqa: E402
from scan_data import load  # noqa: E402

from intentlens.core import ToolSpec  # noqa: E402
from intentlens.prompting import escape  # noqa: E402
from intentlens.scan import DETECTORS  # noqa: E402
from intentlens.scan._base import text_fields  # noqa: E402

RESULTS = ROOT / "bench" / "results"
PROMPT = Path(__file__).with_name("scan_probe_prompt.md")
CACHE = Path(os.environ.get("INTENTLENS_PROBE_CACHE", Path.home() / ".cache" / "intentlens" / "probe.npz"))
Row = dict[str, Any]

# What the probe reads: a sample of the large clean sources of the training pool, all of the rest.
TRAINING = ["train:mcptox", "train:adaptive", "train:servers@260", "train:servers2@160", "train:toolace@60",
            "train:agentdojo", "train:bfcl@100"]
SELECTION = ["test-styles", "test-styles-2", "test-styles-3"]
FINAL = ["test-styles-4", "test-styles-5", "test-styles-6"]
# The refit: every real training server's clean tools, the rest as before; measured on round 7.
EVERY_SERVER = [item.partition("@")[0] if ":servers" in item else item for item in TRAINING]
REFIT_TEST = ["test-styles-7"]
HELDOUT = ["test-servers"]
ADAPTIVE_FPR, SERVERS_FPR, GAIN = 0.05, 0.01, 0.15  # the rule fixed in NOTES
DESCRIPTION_CHARACTERS, PARAMETER_CHARACTERS = 1500, 600


def probe_prompt(tool: ToolSpec) -> str:
    """The chat the model reads (Qwen's ChatML), ending where its answer would begin: the description
    and the parameters' descriptions escaped inside delimiters, cut to 1,500 and 600 characters."""
    fields = []
    for field, text in text_fields(tool):
        if not text:
            continue
        if field == "description":
            fields.append(f"<description>\n{escape(text[:DESCRIPTION_CHARACTERS])}\n</description>")
        else:
            name = field.removeprefix("inputSchema.properties.").removesuffix(".description")
            name = escape(json.dumps(name))
            fields.append(f"<parameter name={name}>\n{escape(text[:PARAMETER_CHARACTERS])}\n</parameter>")
    return _template().substitute(
        tool=escape(tool.name), server=escape(tool.server or "?"), fields="\n".join(fields))


@functools.cache
def _template() -> string.Template:
    return string.Template(PROMPT.read_text(encoding="utf-8"))


def hidden_states() -> Any:
    """The offline model (1.5B) in llama.cpp's embedding mode with last-token pooling: a function from
    a prompt to the last token's hidden state. Chat tags are read as the special tokens they are
    (untrusted text in the prompt is escaped, so it cannot write one)."""
    import llama_cpp

    from intentlens.assets import resolve_gguf
    from intentlens.settings import Settings

    settings = Settings()
    threads = settings.llm_threads or os.cpu_count() or 2
    llama = llama_cpp.Llama(model_path=str(resolve_gguf("default", settings.models_dir)),
                            n_ctx=settings.llm_context, n_batch=settings.llm_context,
                            n_ubatch=settings.llm_context, n_threads=threads, n_threads_batch=threads,
                            verbose=False, seed=0, embedding=True,
                            pooling_type=llama_cpp.LLAMA_POOLING_TYPE_LAST)
    llama.tokenize = functools.partial(llama_cpp.Llama.tokenize, llama, special=True)  # type: ignore[method-assign]
    return lambda prompt: llama.embed(prompt, normalize=False, truncate=True)


def key_of(prompt: str) -> str:
    """The cache key: the prompt itself, so that a changed prompt is embedded anew."""
    return hashlib.sha1(prompt.encode()).hexdigest()


def chosen(rows: list[Row], plan: list[str]) -> list[Row]:
    """The rows named by ``pool[:source][@cap]`` items, a fixed random sample where capped."""
    out = []
    for item in plan:
        spec, _, cap = item.partition("@")
        pool, _, source = spec.partition(":")
        candidates = [r for r in rows if r["pool"] == pool and (not source or r["source"] == source)]
        random.Random(11).shuffle(candidates)
        out += candidates[:int(cap)] if cap else candidates
    return out


def embed(rows: list[Row]) -> None:
    """Hidden states of the rows not yet in the cache, saved every 50."""
    cache = dict(np.load(CACHE)) if CACHE.exists() else {}
    prompts = {key_of(p): p for p in map(probe_prompt, (r["tool"] for r in rows))}
    todo = [(key, prompt) for key, prompt in prompts.items() if key not in cache]
    print(f"{len(rows)} tools, {len(todo)} to embed", flush=True)
    if not todo:
        return
    hidden_state = hidden_states()
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for done, (key, prompt) in enumerate(todo, 1):
        cache[key] = np.asarray(hidden_state(prompt), dtype=np.float32)
        if done % 50 == 0 or done == len(todo):
            np.savez(CACHE, **cache)
            spent = time.perf_counter() - started
            print(f"{done}/{len(todo)}, {spent / done:.2f} s a tool", flush=True)


def matrix(rows: list[Row]) -> np.ndarray:
    """The cached hidden states of ``rows``; exit 2 with a clear error when ``embed`` has not run."""
    cache = np.load(CACHE) if CACHE.exists() else {}
    keys = [key_of(probe_prompt(r["tool"])) for r in rows]
    missing = sum(key not in cache for key in keys)
    if missing:
        print(f"error: {CACHE}: {missing} of {len(rows)} tools have no hidden state; run "
              "`bench/scan_probe.py embed` first", file=sys.stderr)
        raise SystemExit(2)
    return np.vstack([cache[key] for key in keys])


def fit(x: np.ndarray, y: np.ndarray, c: float) -> Any:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(C=c, class_weight="balanced",
                                                              max_iter=5000)).fit(x, y)


def out_of_fold(x: np.ndarray, y: np.ndarray, groups: list[str], c: float) -> np.ndarray:
    """Scores of each row from a probe that never saw its server or its style (5 grouped folds)."""
    scores = np.zeros(len(y))
    for test in grouped_folds(groups, 5):
        train = np.setdiff1d(np.arange(len(y)), test)
        scores[test] = fit(x[train], y[train], c).predict_proba(x[test])[:, 1]
    return scores


def threshold(scores: np.ndarray, rows: list[Row]) -> float:
    """The lowest score that flags at most 5% of the adaptive benign tools and 1% of the real servers'
    clean tools."""
    def cut(kind: set[str], fpr: float) -> float:
        clean = np.sort([s for s, r in zip(scores, rows, strict=True)
                         if r["label"] == 0 and r["source"] in kind])
        allowed = int(np.floor(fpr * len(clean)))
        return float(clean[len(clean) - allowed - 1]) + 1e-9
    return max(cut({"adaptive"}, ADAPTIVE_FPR), cut({"servers", "servers2", "heldout"}, SERVERS_FPR))


def cascade_flags(rows: list[Row]) -> np.ndarray:
    """The strict cascade's verdicts (the default of the scan, the proxy and the gateway)."""
    cascade = DETECTORS.build("cascade", strict=True)

    async def run() -> list[bool]:
        return [(await cascade.inspect(r["tool"], r["scope"])).poisoned for r in rows]
    return np.array(asyncio.run(run()))


def auc(y: np.ndarray, scores: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return round(float(roc_auc_score(y, scores)), 3)


def summary(name: str, rows: list[Row], flags: np.ndarray) -> dict[str, Any]:
    measured = rates(rows, flags)
    return {"name": name, "tpr": measured["tpr"], "fpr": measured["fpr"], "poisoned": measured["poisoned"],
            "clean": measured["clean"], "tpr_by_style": measured["tpr_by_style"]}


def measure(train: list[Row], test: list[Row], heldout: list[Row], c: float) -> dict[str, Any]:
    """Fit on ``train``, threshold from its grouped out-of-fold scores, and measure on ``test`` and on
    the held-out servers: the cascade, the probe, and the cascade or the probe."""
    x, y = matrix(train), np.array([r["label"] for r in train])
    t = threshold(out_of_fold(x, y, [r["group"] for r in train], c), train)
    probe = fit(x, y, c)
    out: dict[str, Any] = {"c": c, "threshold": round(t, 6), "trained_on": len(train)}
    for part, rows in (("rounds", test), ("heldout_servers", heldout)):
        if not rows:
            continue
        scores = probe.predict_proba(matrix(rows))[:, 1]
        cascade, flagged = cascade_flags(rows), scores >= t
        labels = np.array([r["label"] for r in rows])
        out[part] = {"auc": auc(labels, scores) if len(set(labels)) > 1 else None,
                     "detectors": [summary("cascade, strict", rows, cascade), summary("probe", rows, flagged),
                                   summary("cascade, strict, or probe", rows, cascade | flagged)]}
        if part == "rounds":
            out[part]["by_round"] = {pool: {d: rates([r for r in rows if r["pool"] == pool],
                                                     f[[r["pool"] == pool for r in rows]])["tpr"]
                                            for d, f in (("cascade", cascade), ("probe", flagged),
                                                         ("either", cascade | flagged))}
                                     for pool in sorted({r["pool"] for r in rows})}
    return out


STUDIES = {  # what each measuring step reports: its protocol in NOTES, what it fitted on, what it read
    "final": ("\"a linear probe on the offline model's hidden state\" (committed 2026-12-07 06:35 UTC, before "
              "any figure)", "training pool sample and rounds 1-3", "Rounds 4-6"),
    "refit": ("\"the probe refitted on every real server's tools, and round 7\" (committed 2026-12-07 14:44 "
              "UTC, before round 7 was written)", "every real training server's tools, the rest of the "
              "training pool and rounds 1-6", "Round 7"),
}


def report(result: dict[str, Any], step: str = "final") -> str:
    protocol, trained, measured = STUDIES[step]
    lines = ["# A linear probe on the offline model's hidden state (issue 42)", "",
             f"Protocol fixed before measuring: `bench/NOTES.md`, {protocol}. "
             f"Made by `bench/scan_probe.py {step}`.",
             f"Probe fitted on {result['trained_on']} tools ({trained}), "
             f"C={result['c']}, threshold {result['threshold']} (at most 5% of adaptive benign and 1% of "
             "real servers' clean tools flagged out of fold).", "",
             f"{measured}, measured once (AUC of the probe {result['rounds']['auc']}):", "",
             "| detector | TPR | FPR |", "| --- | ---: | ---: |"]
    for d in result["rounds"]["detectors"]:
        lines.append(f"| {d['name']} | {d['tpr']:.3f} ({round(d['tpr'] * d['poisoned'])}/{d['poisoned']}) "
                     f"| {d['fpr']:.3f} ({round(d['fpr'] * d['clean'])}/{d['clean']}) |")
    lines += ["", "Held-out servers' clean tools:", "", "| detector | FPR |", "| --- | ---: |"]
    for d in result["heldout_servers"]["detectors"]:
        lines.append(f"| {d['name']} | {d['fpr']:.4f} ({round(d['fpr'] * d['clean'])}/{d['clean']}) |")
    cascade, either = result["rounds"]["detectors"][0], result["rounds"]["detectors"][2]
    servers = result["heldout_servers"]["detectors"][2]
    lines += ["", f"Rule (gain of at least {GAIN} at FPR <= {ADAPTIVE_FPR:.0%}, held-out servers <= "
              f"{SERVERS_FPR:.0%}): "
              f"**{result['rule']}**: gain {either['tpr'] - cascade['tpr']:.3f}, FPR {either['fpr']:.3f} on "
              f"the rounds, {servers['fpr']:.4f} on held-out servers.", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=["embed", "select", "final", "refit"])
    parser.add_argument("--c", type=float, nargs="*", default=[0.001, 0.01, 0.1],
                        help="regularisation strengths tried in select; the one chosen in final")
    args = parser.parse_args()
    rows = load(read_sets_in_training=False)
    train, selection, final, heldout = (chosen(rows, p) for p in (TRAINING, SELECTION, FINAL, HELDOUT))
    if args.step == "embed":
        embed(train + selection + final + heldout + chosen(rows, EVERY_SERVER + REFIT_TEST))
    elif args.step == "select":
        for c in args.c:
            print(json.dumps(measure(train, selection, [], c), indent=1))
    else:
        if args.step == "final":
            result = measure(train + selection, final, heldout, args.c[0])
        else:
            result = measure(chosen(rows, EVERY_SERVER) + selection + final, chosen(rows, REFIT_TEST), heldout,
                             args.c[0])
        cascade, either = result["rounds"]["detectors"][0], result["rounds"]["detectors"][2]
        met = (either["tpr"] - cascade["tpr"] >= GAIN and either["fpr"] <= ADAPTIVE_FPR
               and result["heldout_servers"]["detectors"][2]["fpr"] <= SERVERS_FPR)
        result["rule"] = "met" if met else "not met"
        RESULTS.mkdir(exist_ok=True)
        name = "scan_probe" if args.step == "final" else "scan_probe_refit"
        (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
        (RESULTS / f"{name}.md").write_text(report(result, args.step), encoding="utf-8")
        print(report(result, args.step))


if __name__ == "__main__":
    main()

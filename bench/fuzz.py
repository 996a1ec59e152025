"""The long fuzz run: the relay's, the gateway's and the loaders' property tests with a large budget.

    .venv/bin/python bench/fuzz.py [--examples 1000] [--out bench/results/fuzz.json]

Runs ``tests/proxy/test_relay_properties.py``, ``tests/gateway/test_gateway_properties.py`` and
``tests/loaders/test_loader_fuzz.py`` under the ``fuzz`` profile (``--examples`` per property), has
each example append its counts to a temporary file, and writes the totals: relay message sequences
and messages tried, calls forwarded, double answers, unanswered requests and unguarded forwards;
gateway request sequences, requests, refusals, server errors and unguarded forwards; loader inputs
tried (each input read in every format); and crashes (failing properties). Every count but the
tries (and the gateway's refusals, which are the point) must be zero.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ["tests/proxy/test_relay_properties.py", "tests/gateway/test_gateway_properties.py",
         "tests/loaders/test_loader_fuzz.py"]


def summarise(lines: list[dict], failed: int, examples: int, seconds: float) -> dict:
    """Totals of the per-example counts."""
    relay = [r for r in lines if r["test"] == "relay"]
    loaders = [r for r in lines if r["test"] == "loaders"]
    gateway = [r for r in lines if r["test"] == "gateway"]
    return {
        "examples_per_property": examples,
        "seconds": round(seconds, 1),
        "relay": {
            "sequences": len(relay),
            "guarded_sequences": sum(r["guarded"] for r in relay),
            "messages": sum(r["messages"] for r in relay),
            "forwarded_calls": sum(r["forwarded_calls"] for r in relay),
            "double_answers": sum(r["double_answers"] for r in relay),
            "unanswered": sum(r["unanswered"] for r in relay),
            "unguarded_forwards": sum(r["unguarded_forwards"] for r in relay),
        },
        "gateway": {
            "sequences": len(gateway),
            "requests": sum(r["requests"] for r in gateway),
            "refused": sum(r["refused"] for r in gateway),
            "server_errors": sum(r["server_errors"] for r in gateway),
            "forwarded_calls": sum(r["forwarded_calls"] for r in gateway),
            "unguarded_forwards": sum(r["unguarded_forwards"] for r in gateway),
        },
        "loaders": {"inputs": len(loaders), "reads": sum(r["inputs"] for r in loaders)},
        "crashes": failed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=1000, help="examples per property")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "fuzz.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "counts.jsonl"
        env = {**os.environ, "HYPOTHESIS_PROFILE": "fuzz", "INTENTLENS_FUZZ_EXAMPLES": str(args.examples),
               "INTENTLENS_FUZZ_REPORT": str(report)}
        started = time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *TESTS],
                             cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        lines = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()] \
            if report.exists() else []
    failed = run.stdout.count("FAILED ")
    if run.returncode not in (0, 1):
        print(run.stdout[-3000:], run.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"pytest could not run the properties (exit {run.returncode})")
    summary = summarise(lines, failed, args.examples, seconds)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(summary, indent=2))
    if failed:
        print(run.stdout[-5000:], file=sys.stderr)
        raise SystemExit(1)


if __name__ == "__main__":
    main()

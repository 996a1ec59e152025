"""The whole benchmark suite, one command:

    .venv/bin/python bench/suite.py [--only attacks,defenses,guards,proxy] [--backend openai/<model>]

- attacks:  IntentMiner vs LLM-CoT vs LLM-noCoT, the three ablations and the model-free tool-docs
            floor on the ToolACE subset and a seeded sample of the AgentDojo user tasks
            (bench/attacks.toml);
- a_intent: A_intent of the same methods on the whole ToolACE subset, judged by the offline
            default (bench/a_intent.toml; add judges there for a real panel);
- defenses: decoys and minimisation against the plain and the adaptive IntentMiner (bench/defenses.toml);
- guards:   VISTA and the baselines on AgentDojo plan cases plus the injection set (bench/guard_bench.py;
            --guard-tasks-per-suite 0 runs all 1,698 cases);
- proxy:    the proxy's latency, throughput and memory (bench/proxy_bench.py).

Each eval part writes bench/results/<part>/ (per-item JSONL, summary.json, report.md/.html); with
--backend the run folder is bench/results/<part>-<backend>/. Everything resumes after an interruption
and every LLM call is cached, so a rerun only does what is missing. Wall time per part goes to
bench/results/suite.json.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
CLI = [sys.executable, "-m", "intentlens"]
PARTS = ("attacks", "a_intent", "defenses", "guards", "proxy")


def _run(command: list[str]) -> None:
    print("$", " ".join(command), flush=True)
    subprocess.run(command, cwd=ROOT, check=True)


def _eval(part: str, backend: str | None) -> None:
    run_dir = RESULTS / (part if not backend else f"{part}-{re.sub(r'[^A-Za-z0-9._-]+', '_', backend)}")
    _run([*CLI, "eval", str(BENCH / f"{part}.toml"), "--run-dir", str(run_dir),
          *(["--backend", backend] if backend else [])])
    _run([*CLI, "report", str(run_dir), "--reference", str(BENCH / "data" / "paper_reference.json")])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--only", default=",".join(PARTS), help="comma-separated parts to run")
    parser.add_argument("--backend", help="run the LLM parts on this backend instead of the offline default")
    parser.add_argument("--guard-tasks-per-suite", type=int, default=3,
                        help="plan cases of the first N user tasks per suite (0: all 1,698 cases)")
    args = parser.parse_args()
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    if unknown := set(parts) - set(PARTS):
        parser.error(f"unknown part(s) {sorted(unknown)}; choose from {', '.join(PARTS)}")
    timings_path = RESULTS / "suite.json"
    timings = json.loads(timings_path.read_text(encoding="utf-8")) if timings_path.exists() else {}
    for part in parts:
        started = time.perf_counter()
        if part in ("attacks", "a_intent", "defenses"):
            _eval(part, args.backend)
        elif part == "guards":
            _run([sys.executable, str(BENCH / "guard_bench.py"),
                  "--tasks-per-suite", str(args.guard_tasks_per_suite), "--injection-cases", "10",
                  "--savings-stages", "--count-calls",
                  *(["--backend", args.backend] if args.backend else [])])
        else:
            _run([sys.executable, str(BENCH / "proxy_bench.py")])
        timings[part if not args.backend else f"{part} ({args.backend})"] = {
            "wall_seconds_this_run": round(time.perf_counter() - started, 1),
            "finished": time.strftime("%Y-%m-%d %H:%M:%S")}
        timings_path.write_text(json.dumps(timings, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

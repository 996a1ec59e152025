"""What the Ray engine costs and gives on this machine (issue 44).

    .venv/bin/python bench/ray_scaling.py [--traces 16] [--method direct] [--rounds 2]

One ``intentlens models serve`` loads the model; the same ToolACE traces are then attacked through it
(``--backend openai/<model>``, no response cache) by ``intentlens eval`` three ways, in alternating
rounds:

- ``local``: the local runner (two requests in flight: the experiment's concurrency is 1);
- ``ray-1``: ``--engine ray --workers 1`` on a Ray cluster started beforehand with ``ray start --head``;
- ``ray-2``: the same with two actors.

Reported per configuration: the cell's wall seconds (``<method>.timing.json``: from the first item to
the last, Ray's connection and actor start included), throughput, the whole command's seconds, and
whether every inferred intent equals the local runner's. Writes ``bench/results/ray_scaling.{json,md}``.
Run it on an otherwise idle machine.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TOOLACE = Path(os.environ.get("INTENTLENS_SHARED_DATA", ROOT.parent / "shared" / "data")) / \
    "toolace_subset" / "toolace_subset.jsonl"
OUT = ROOT / "bench" / "results" / "ray_scaling"
BIN = Path(sys.executable).parent
CONFIGS = {"local": ["--engine", "local"], "ray-1": ["--engine", "ray", "--workers", "1"],
           "ray-2": ["--engine", "ray", "--workers", "2"]}


def _experiment(folder: Path, traces: int, method: str, model: str) -> Path:
    path = folder / "exp.toml"
    path.write_text(f'name = "ray scaling"\nbackends = ["openai/{model}"]\nmetrics = ["s_text"]\n'
                    f'encoder = "minilm"\nconcurrency = 1\n[[datasets]]\nname = "toolace"\n'
                    f'source = "{TOOLACE}"\nlimit = {traces}\n[[attacks]]\nmethod = "{method}"\n',
                    encoding="utf-8")
    return path


def _run(config: Path, run_dir: Path, name: str, method: str, env: dict[str, str]) -> dict[str, Any]:
    started = time.perf_counter()
    done = subprocess.run([str(BIN / "intentlens"), "eval", str(config), "--run-dir", str(run_dir),
                           *CONFIGS[name], "--ray-address", "auto"],
                          env=env, capture_output=True, text=True, check=False)
    command_seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{name} failed:\n{done.stderr[-2000:]}")
    cell = run_dir / "items" / "toolace" / f"openai_{env['MODEL']}"
    timing = json.loads((cell / f"{method}.timing.json").read_text(encoding="utf-8"))
    intents = {row["trace_id"]: row["intent"] for row in
               map(json.loads, (cell / f"{method}.jsonl").read_text(encoding="utf-8").splitlines())}
    return {"cell_seconds": timing["wall_seconds"], "items": timing["items_run"],
            "command_seconds": round(command_seconds, 1), "intents": intents}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--traces", type=int, default=16)
    parser.add_argument("--method", default="direct")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--model", default="qwen2.5-coder-1.5b")
    args = parser.parse_args()
    env = {**os.environ, "INTENTLENS_RESPONSE_CACHE": "0", "RAY_USAGE_STATS_ENABLED": "0",
           "MODEL": args.model}
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in CONFIGS}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        config = _experiment(folder, args.traces, args.method, args.model)
        server = subprocess.Popen([str(BIN / "intentlens"), "models", "serve", "--backend",
                                   f"llamacpp/{args.model}", "--port", "0"],
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        ray_started = False
        try:
            assert server.stdout is not None
            found = re.search(r"OPENAI_BASE_URL=(http://\S+/v1)", server.stdout.readline())
            assert found, "the model server did not start"
            env["OPENAI_BASE_URL"] = found.group(1)
            subprocess.run([str(BIN / "ray"), "start", "--head", "--num-cpus=2", "--include-dashboard=false",
                            "--disable-usage-stats", f"--temp-dir={folder / 'ray'}"],
                           env=env, capture_output=True, check=True)
            ray_started = True
            for round_ in range(args.rounds):
                for name in CONFIGS:
                    row = _run(config, folder / f"{name}-{round_}", name, args.method, env)
                    runs[name].append(row)
                    print(f"[round {round_}] {name}: cell {row['cell_seconds']} s, "
                          f"command {row['command_seconds']} s", file=sys.stderr)
        finally:
            if ray_started:
                subprocess.run([str(BIN / "ray"), "stop", "--force"], env=env, capture_output=True)
            server.terminate()
            server.wait(timeout=30)
    reference = runs["local"][0]["intents"]
    result: dict[str, Any] = {"traces": args.traces, "method": args.method, "model": args.model,
                              "rounds": args.rounds, "cores": os.cpu_count(), "configs": {}}
    for name, rows in runs.items():
        cell = statistics.median(r["cell_seconds"] for r in rows)
        result["configs"][name] = {
            "cell_seconds": [r["cell_seconds"] for r in rows],
            "command_seconds": [r["command_seconds"] for r in rows],
            "median_cell_seconds": cell, "traces_per_minute": round(60 * args.traces / cell, 1),
            "same_intents_as_local": [sum(r["intents"].get(k) == v for k, v in reference.items())
                                      for r in rows],
            "differing_traces": sorted({k for r in rows for k, v in reference.items()
                                        if r["intents"].get(k) != v})}
    local = result["configs"]["local"]["median_cell_seconds"]
    for row in result["configs"].values():
        row["ratio_to_local"] = round(row["median_cell_seconds"] / local, 2)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    lines = ["# The Ray engine on this machine", "",
             f"`bench/ray_scaling.py --traces {args.traces} --method {args.method} --rounds {args.rounds}`: "
             f"{args.traces} ToolACE traces, attack `{args.method}`, one `intentlens models serve` "
             f"(`{args.model}`, in-process llama.cpp) answering every configuration, no response cache, "
             f"{result['cores']} CPU cores. Cell seconds run from the first item to the last (Ray's "
             "connection and actor start included); the command adds start-up and scoring. Greedy "
             "decoding; traces whose intent differed from the local runner's first round in any round: "
             f"{sorted({t for r in result['configs'].values() for t in r['differing_traces']}) or 'none'}.", "",
             "| configuration | cell seconds (median; each round) | traces/min | vs local | command seconds "
             "| intents equal to local's first round (each round) |", "| --- | ---: | ---: | ---: | --- | ---: |"]
    for name, row in result["configs"].items():
        lines.append(f"| {name} | {row['median_cell_seconds']} ({', '.join(map(str, row['cell_seconds']))}) "
                     f"| {row['traces_per_minute']} | {row['ratio_to_local']}x | "
                     f"{', '.join(map(str, row['command_seconds']))} | "
                     f"{', '.join(f'{n}/{args.traces}' for n in row['same_intents_as_local'])} |")
    OUT.with_suffix(".md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(OUT.with_suffix(".md").read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()

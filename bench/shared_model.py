"""One model shared by processes against one model per process (issue 31).

    .venv/bin/python bench/shared_model.py [--processes 2] [--cases 4] [--model qwen2.5-coder-1.5b]

A host that wraps each of its MCP servers in its own guarded ``intentlens proxy`` runs one judge per
process. Here ``--processes`` ``intentlens guard`` processes, each with its own ``--cases`` AgentDojo plan
cases (a seeded shuffle), run at the same moment twice:

- ``own``: each loads the model in process (``--backend llamacpp/<model>``);
- ``shared``: one ``intentlens models serve`` loads it, and each process asks it over the
  OpenAI-compatible API (``--backend openai/<model>``).

Reported per configuration: wall seconds until every process is done, the sum of the processes' peak
RSS (the server's included), and whether every verdict is the same in both. No response cache.
Writes ``bench/results/shared_model.{json,md}``. Run it on an otherwise idle machine.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CASES = Path(os.environ.get("INTENTLENS_SHARED_DATA", ROOT.parent / "shared" / "data")) / \
    "agentdojo_v1_2_2" / "intent_cases.jsonl"
OUT = ROOT / "bench" / "results" / "shared_model"
INTENTLENS = [sys.executable, "-m", "intentlens"]


def _peak_rss_mb(pid: int) -> float:
    """The peak resident set of a running process (VmHWM), in MB."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    found = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(found.group(1)) / 1024 if found else 0.0


def _run_clients(files: list[Path], backend: str, env: dict[str, str], out_dir: Path) -> dict[str, Any]:
    started = time.perf_counter()
    clients = [subprocess.Popen([*INTENTLENS, "guard", str(f), "--backend", backend, "--no-cache",
                                 "--out", str(out_dir / f"{f.parent.name}.jsonl")],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
               for f in files]
    peaks = [0.0] * len(clients)
    while any(c.poll() is None for c in clients):
        peaks = [max(p, _peak_rss_mb(c.pid)) for p, c in zip(peaks, clients, strict=True)]
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    failed = [c.stderr.read()[-300:] for c in clients if c.returncode not in (0, 1) and c.stderr]
    verdicts = {}
    for f in files:
        for line in (out_dir / f"{f.parent.name}.jsonl").read_text().splitlines():
            row = json.loads(line)
            verdicts[row["id"]] = row["aligned"]
    return {"seconds": round(seconds, 1), "client_rss_mb": round(sum(peaks)), "failed": failed,
            "verdicts": verdicts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--cases", type=int, default=4)
    parser.add_argument("--model", default="qwen2.5-coder-1.5b")
    args = parser.parse_args()
    lines = CASES.read_text(encoding="utf-8").splitlines()
    random.Random(1).shuffle(lines)
    env = {**os.environ, "INTENTLENS_RESPONSE_CACHE": "0"}
    result: dict[str, Any] = {"processes": args.processes, "cases_per_process": args.cases,
                              "model": args.model, "configs": {}}
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i in range(args.processes):
            (Path(tmp) / f"p{i}").mkdir()
            (Path(tmp) / f"p{i}" / "tools.json").write_bytes((CASES.parent / "tools.json").read_bytes())
            f = Path(tmp) / f"p{i}" / "intent_cases.jsonl"  # the loader reads tools.json beside it
            f.write_text("\n".join(lines[i * args.cases:(i + 1) * args.cases]) + "\n", encoding="utf-8")
            files.append(f)
        for name in ("own", "shared"):
            out_dir = Path(tmp) / name
            out_dir.mkdir()
            server = None
            try:
                if name == "own":
                    row = _run_clients(files, f"llamacpp/{args.model}", env, out_dir)
                    row["server_rss_mb"] = 0
                else:
                    server = subprocess.Popen([*INTENTLENS, "models", "serve", "--backend",
                                               f"llamacpp/{args.model}", "--port", "0"],
                                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                              text=True)
                    assert server.stdout is not None
                    found = re.search(r"OPENAI_BASE_URL=(http://\S+/v1)", server.stdout.readline())
                    assert found, "the model server did not start"
                    row = _run_clients(files, f"openai/{args.model}",
                                       {**env, "OPENAI_BASE_URL": found.group(1)}, out_dir)
                    row["server_rss_mb"] = round(_peak_rss_mb(server.pid))
            finally:
                if server is not None:
                    server.terminate()
                    server.wait(timeout=30)
            row["rss_mb"] = row["client_rss_mb"] + row["server_rss_mb"]
            result["configs"][name] = row
            print(f"[{name}] {row['seconds']} s, RSS {row['rss_mb']} MB", file=sys.stderr)
    own, shared = (result["configs"][n].pop("verdicts") for n in ("own", "shared"))
    result["verdicts_agree"] = sum(own.get(k) == v for k, v in shared.items())
    result["verdicts_compared"] = len(own)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    rows = [f"| {n} | {c['seconds']} | {c['rss_mb']} | {c['server_rss_mb']} |"
            for n, c in result["configs"].items()]
    OUT.with_suffix(".md").write_text("\n".join([
        "# One model shared by processes", "",
        f"{args.processes} `intentlens guard` processes at once, {args.cases} AgentDojo plan cases each, "
        f"judge `{args.model}` (`bench/shared_model.py`): `own` = a model in each process, `shared` = one "
        "`intentlens models serve` that every process asks over the OpenAI-compatible API.", "",
        "| config | wall s (all processes done) | peak RSS, MB (all processes) | of which the model server |",
        "| --- | ---: | ---: | ---: |", *rows, "",
        f"Verdicts the same in both: {result['verdicts_agree']} of {result['verdicts_compared']} cases.",
        ""]),
        encoding="utf-8")
    print(OUT.with_suffix(".md").read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()

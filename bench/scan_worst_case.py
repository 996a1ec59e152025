"""The scan's time on hostile inputs: one 40 KB description built to make regular expressions
backtrack (a run with no space and no sentence end), and one schema with thousands of nested
parameters whose descriptions name each other, each through the strict cascade's real ``inspect``. A
server controls its descriptions, and the proxy and the gateway scan them.

    .venv/bin/python bench/scan_worst_case.py [--size 40000] [--parameters 2000]

Writes ``bench/results/scan_worst_case.{json,md}``. Before the fixes of 2026-12-07 (sentence windows,
anchored e-mail patterns, the embedding's cut, the percent-encoding scan by token) the worst of these
took 37 s; the target is under 5 s each for 40 KB, the time growing no faster than the length.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from intentlens.core import ToolSpec  # noqa: E402
from intentlens.scan import DETECTORS  # noqa: E402

RESULTS = ROOT / "bench" / "results"
UNITS = {"hyphens": "a-", "dots": "a.", "base64": "QUJD", "fullwidth": "Ｓ", "plus signs": "a+",
         "underscores": "a_", "at signs": "a@", "hashes": "#a", "quotes": "'a", "slashes": "/a",
         "digits": "1", "spaced letters": "a ", "look-alike letters": "аa ", "one long sentence": "send the file and "}


def _many_parameters(count: int) -> ToolSpec:
    """A tool whose parameters (each with one nested child) name the next parameter and another tool:
    every field asks for the tool's parameter names, which once made reading it grow with the square
    of their number (2,000 took 118 s)."""
    properties = {
        f"p_{i}": {"type": "object",
                   "description": f"Set `p_{i + 1}` to the value of p_{i} when calling `other_tool_{i}`.",
                   "properties": {f"q_{i}": {"type": "string", "description": f"q_{i} parameter"}}}
        for i in range(count)}
    return ToolSpec(name="hostile", description="Does things.",
                    input_schema={"type": "object", "properties": properties})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=40000, help="characters per description")
    parser.add_argument("--parameters", type=int, default=2000, help="parameters in the hostile schema")
    args = parser.parse_args()
    cascade = DETECTORS.build("cascade", strict=True)
    asyncio.run(cascade.inspect(ToolSpec(name="warm", description="Warms the encoder up.")))
    rows = {}
    for name, unit in UNITS.items():
        seconds = []
        for size in (args.size // 2, args.size):
            text = (unit * (size // len(unit) + 1))[:size]
            started = time.perf_counter()
            asyncio.run(cascade.inspect(ToolSpec(name="hostile", description=text)))
            seconds.append(time.perf_counter() - started)
        rows[name] = {"seconds_half": round(seconds[0], 3), "seconds": round(seconds[1], 3),
                      "growth": round(seconds[1] / max(seconds[0], 1e-6), 2)}
        print(f"{name}: {rows[name]}", file=sys.stderr)
    seconds = []
    for count in (args.parameters // 2, args.parameters):
        started = time.perf_counter()
        asyncio.run(cascade.inspect(_many_parameters(count)))
        seconds.append(time.perf_counter() - started)
    kilobytes = len(json.dumps(_many_parameters(args.parameters).input_schema)) // 1000
    schema = {"parameters": args.parameters, "kilobytes": kilobytes, "seconds_half": round(seconds[0], 3),
              "seconds": round(seconds[1], 3), "growth": round(seconds[1] / max(seconds[0], 1e-6), 2)}
    print(f"schema: {schema}", file=sys.stderr)
    result = {"date": time.strftime("%Y-%m-%d"), "size": args.size, "rows": rows,
              "worst_seconds": max(r["seconds"] for r in rows.values()), "schema": schema}
    lines = ["# The scan on hostile descriptions", "",
             f"Measured {result['date']} on 2 CPU cores (`bench/scan_worst_case.py`): the strict cascade on one "
             f"description of {args.size:,} characters (and of half that), built from one repeated unit, "
             f"and on a schema of {args.parameters:,} parameters (and half that), each with a nested one.",
             "",
             "| unit | seconds (half) | seconds | growth when doubled |", "| --- | ---: | ---: | ---: |"]
    lines += [f"| {name} | {r['seconds_half']} | {r['seconds']} | {r['growth']}x |" for name, r in rows.items()]
    lines += ["", f"The schema of {args.parameters:,} parameters ({kilobytes:,} KB of JSON, "
              f"{2 * args.parameters:,} descriptions): {schema['seconds_half']} s for half, "
              f"{schema['seconds']} s in all, {schema['growth']}x when doubled."]
    lines += ["", f"Worst description: {result['worst_seconds']} s. Target: under 5 s at 40 KB, growing "
              "about 2x when the length doubles (linear), not 4x; the schema's time should grow linearly too "
              "(each of its fields is read once; 2,000 parameters took 118 s when every field re-read the "
              "schema).",
              ""]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "scan_worst_case.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (RESULTS / "scan_worst_case.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

"""What the scan misses, played at run time: does the guard stop the call a poisoned description asks for?

    .venv/bin/python bench/scan_runtime.py [--round 10] [--guard vista-triage] [--backend SPEC]

Rounds 5-10 of the adaptive set (``bench/adaptive/round5.py`` ... ``round10.py``) were each written
after the scan rules of their day and measured once by the scan (``bench/results/scan.md``). Their
calls files (``round5_calls.py`` ... ``round10_calls.py``) give, for each poison, a user request and the
call an agent that obeys the poison in full would make (the worst case: every agent complies), with
the poisoned tool among the tools the agent was shown; and for each benign description, a request and
the legitimate call. Round 6's, 7's, 9's and 10's calls were committed before any measurement. Each call goes
through the guard's real ``check_call`` (what the agent hooks and, per call, the proxy use). The guard
was not changed for round 6; its planted-value check learned to read look-alike letters after round 5
was read, so round 5's guard figures from then on are in-sample for that change; it learned to read
values said in words after round 8 was read (round 8's figures from then on are in-sample for that).

Reported: the share of poisoned calls the guard blocks (all, and those whose poison the strict scan
missed), the share of legitimate calls it blocks, which stage settled each, and the two layers
together (a poison is stopped when the scan flags its tool or the guard blocks its call; a benign tool
is hurt when either does). Totals only, by whether the poison writes the value it wants in its own
description (what the planted-value check can see). Writes ``bench/results/scan_runtime.{json,md}``
(round 5) or ``scan_runtime_round{6,...,10}.{json,md}``.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
from bench.adaptive import records  # noqa: E402
from bench.scan_data import adaptive_tool  # noqa: E402

from intentlens.backends import DEFAULT_BACKEND, get_backend  # noqa: E402
from intentlens.core import ToolResult, ToolSpec, json_leaves  # noqa: E402
from intentlens.guards import GUARDS  # noqa: E402
from intentlens.guards._planted import distinctive  # noqa: E402
from intentlens.integrations import check_call  # noqa: E402
from intentlens.scan import DETECTORS  # noqa: E402

RESULTS = ROOT / "bench" / "results"
IN_SAMPLE = {5: "Round 5 was read before the planted-value check learned look-alike letters: since then its "
                "figures are in-sample for that change.",
             6: "The guard and the scan were not changed after round 6 was written.",
             7: "The guard and the scan were not changed after round 7 was written and before it was measured "
                "(the fixed-address rule came after).",
             8: "Round 8 was written to evade the fixed-address rule; its calls were written after its scan "
                "totals were printed, and the guard was not changed for it.",
             9: "Round 9 was written after the guard learned to read values said in words, as an attacker who knows "
                "it, and its calls were committed with it before any measurement.",
             10: "Round 10 was written after the guard's rule for a recipient or an account from nowhere, as an "
                 "attacker who knows it, and its calls were committed with it before any measurement."}


def writes_its_value(poisoned: ToolSpec, arguments: dict[str, Any]) -> bool:
    """Whether a distinctive value of the call is written, as is, in the poisoned tool's text."""
    text = poisoned.description + " " + json.dumps(poisoned.input_schema, ensure_ascii=False)
    return any(distinctive(leaf) and leaf.strip().lower() in text.lower()
               for _, leaf in json_leaves(arguments, numbers=False))


async def measure(guard: Any, number: int) -> list[dict[str, Any]]:
    """Each record of the round through the scan and, as its call, through the guard."""
    calls = importlib.import_module(f"bench.adaptive.round{number}_calls")
    scan = DETECTORS.build("cascade", strict=True)
    rows = []
    for record in records():
        if record["split"] != f"test{number}":
            continue
        tool, scope = adaptive_tool(record)
        key = (record["style"], int(record["id"].rsplit("/", 1)[1]))
        if record["label"]:  # the sink the poison points at is called; the poisoned tool was shown
            query, name, arguments, sink, results = calls.POISON_CALLS[key]
            own = name == tool.name  # a poison on the called tool itself: played with its own schema
            verdict = await check_call(guard, query, name, arguments, description=sink, server=tool.server,
                                       schema=tool.input_schema if own else None, others=(tool,),
                                       prior_results=tuple(ToolResult(content=r) for r in results))
            extra = {"writes_its_value": writes_its_value(tool, arguments), "reads_results": bool(results)}
        else:  # the described tool itself, called as the request asks
            query, arguments = calls.BENIGN_CALLS[key]
            verdict = await check_call(guard, query, tool.name, arguments, description=tool.description,
                                       schema=tool.input_schema, server=tool.server)
            extra = {}
        scanned = await scan.inspect(tool, scope)
        rows.append({"label": record["label"], "scan": scanned.poisoned, "blocked": not verdict.aligned,
                     "stage": verdict.steps[0].stage if verdict.steps else None,
                     "seconds": verdict.seconds, **extra})
    return rows


def share(rows: list[dict[str, Any]], key: str) -> dict[str, Any]:
    hits = sum(bool(r[key]) for r in rows)
    return {"rate": round(hits / len(rows), 3) if rows else None, "hits": hits, "n": len(rows)}


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    poisons = [r for r in rows if r["label"]]
    benign = [r for r in rows if not r["label"]]
    for r in rows:
        r["either"] = r["scan"] or r["blocked"]
    missed = [r for r in poisons if not r["scan"]]
    return {
        "poisoned calls blocked by the guard": share(poisons, "blocked"),
        "  of those whose tool the scan missed": share(missed, "blocked"),
        "  where the poison writes the call's value in its text": share(
            [r for r in poisons if r["writes_its_value"]], "blocked"),
        "  where it does not (spelled out oddly, or no value)": share(
            [r for r in poisons if not r["writes_its_value"]], "blocked"),
        "poisons the scan flags": share(poisons, "scan"),
        "poisons stopped by the scan or the guard": share(poisons, "either"),
        "legitimate calls blocked by the guard": share(benign, "blocked"),
        "benign tools flagged by the scan": share(benign, "scan"),
        "benign tools hurt by either": share(benign, "either"),
        "stages (poisoned calls)": dict(Counter(str(r["stage"]) for r in poisons)),
        "stages (legitimate calls)": dict(Counter(str(r["stage"]) for r in benign)),
        "guard seconds per call, mean": round(sum(r["seconds"] for r in rows) / len(rows), 2),
    }


def markdown(result: dict[str, Any]) -> str:
    lines = [f"# What the scan misses, played at run time (round {result.get('round', 5)})", "",
             f"Measured {result['date']} on 2 CPU cores (`bench/scan_runtime.py`), guard `{result['guard']}` "
             f"with `{result['backend']}`, scan `cascade` strict. Each poison's call is what an agent that "
             "obeys it in full would send (the worst case). " + IN_SAMPLE.get(result.get("round", 5), ""),
             "", "| measure | rate | count |", "| --- | ---: | ---: |"]
    for name, value in result["summary"].items():
        if isinstance(value, dict) and "rate" in value:
            lines.append(f"| {name} | {value['rate']:.3f} | {value['hits']}/{value['n']} |")
    summary = result["summary"]
    lines += ["", f"Stages that settled the poisoned calls: {summary['stages (poisoned calls)']}; the "
              f"legitimate ones: {summary['stages (legitimate calls)']}. Guard time per call: "
              f"{summary['guard seconds per call, mean']} s on average (cached replies replay at 0).", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guard", default="vista-triage")
    parser.add_argument("--backend", default=DEFAULT_BACKEND)
    parser.add_argument("--round", type=int, choices=(5, 6, 7, 8, 9, 10), default=10,
                        help="the adaptive set's round to play (each has its calls file)")
    args = parser.parse_args()
    backend = get_backend(args.backend) if GUARDS.needs_backend(args.guard) else None
    guard = GUARDS.build(args.guard, backend) if backend is not None else GUARDS.build(args.guard)
    started = time.perf_counter()
    rows = asyncio.run(measure(guard, args.round))
    result = {"date": time.strftime("%Y-%m-%d"), "round": args.round, "guard": args.guard,
              "backend": args.backend, "seconds": round(time.perf_counter() - started, 1),
              "summary": summarise(rows), "rows": rows}
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "scan_runtime" if args.round == 5 else f"scan_runtime_round{args.round}"
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (RESULTS / f"{name}.md").write_text(markdown(result), encoding="utf-8")
    print(markdown(result))


if __name__ == "__main__":
    main()

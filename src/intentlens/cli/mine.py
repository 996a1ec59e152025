"""`intentlens mine`: run an intent-inversion attack over traces."""

from __future__ import annotations

import json
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from intentlens.attacks import ATTACKS, DIMENSIONS, IntentInference, finished_ids, run_attack
from intentlens.backends import DEFAULT_BACKEND, get_backend
from intentlens.cli._common import progress_bar, run_async, sample_trace_path, say, settings
from intentlens.core import Usage
from intentlens.loaders import load_traces

Method = StrEnum("Method", {name: name for name in ATTACKS.names()})  # type: ignore[misc]
"""The registered attacks (``intentlens plugins`` describes them)."""
DEFAULT_METHOD = Method("intentminer")


Dimension = StrEnum("Dimension", {d: d for d in DIMENSIONS})  # type: ignore[misc]
"""IntentMiner's dimensions, which ``--ablate`` removes."""


def mine(
    source: Annotated[Path | None, typer.Argument(
        help="Traces: any format `traces formats` lists. Default: the bundled sample trace.")] = None,
    method: Annotated[Method, typer.Option(help="Attack: IntentMiner or a baseline.")] =
        DEFAULT_METHOD,
    ablate: Annotated[list[Dimension] | None, typer.Option(
        help="IntentMiner without this dimension (repeatable).")] = None,
    backend: Annotated[str, typer.Option(
        help="LLM backend: llamacpp/<model|path.gguf>, openai/<model>, scripted or scripted/<replies.jsonl>.",
        envvar="INTENTLENS_BACKEND")] = DEFAULT_BACKEND,
    limit: Annotated[int | None, typer.Option(help="Only the first N traces.", min=1)] = None,
    out: Annotated[Path | None, typer.Option(
        help="Append one JSON line per trace here; a rerun skips traces already written.")] = None,
    format: Annotated[str | None, typer.Option("--format", "-f", help="Source format.")] = None,
    concurrency: Annotated[int | None, typer.Option(
        help="Traces in flight (default: the backend's limit).", min=1)] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not use the LLM response cache.")] = False,
) -> None:
    """Infer the user's intent behind each trace, as a semi-honest MCP server could."""
    plugin = ATTACKS.plugin(method.value)
    if ablate and "ablate" not in (plugin.options.model_fields if plugin.options else {}):
        raise typer.BadParameter(f"{method.value} has no ablations", param_hint="--ablate")
    path = source or sample_trace_path()
    run_settings = settings(no_cache)

    async def go() -> tuple[list[IntentInference], int, float]:
        traces = load_traces(path, format=format)[:limit]
        llm = get_backend(backend, run_settings, concurrency=concurrency)
        options = {"ablate": [d.value for d in ablate]} if ablate else {}
        attack = ATTACKS.build(method.value, llm, **options)
        skipped = len(finished_ids(out) & {t.id for t in traces})
        started = time.perf_counter()
        failures = 0
        with progress_bar() as bar:
            task = bar.add_task(attack.name, total=len(traces) - skipped, status="")

            def report(result: IntentInference) -> None:
                nonlocal failures
                failures += result.error is not None
                bar.advance(task)
                bar.update(task, status=f"{failures} failed" if failures else "")
                if result.error:
                    say((f"{result.trace_id} failed:", "red"), f" {result.error}")
                elif out is None or source is None:
                    say((result.trace_id, "cyan"), f": {result.intent}")

            results = await run_attack(attack, traces, out=out,
                                       concurrency=concurrency or llm.concurrency * 2,
                                       on_result=report)
        if skipped:
            say(f"skipped {skipped} traces already in {out}")
        return results, failures, time.perf_counter() - started

    results, failures, seconds = run_async(go())
    usage = sum((r.usage for r in results), Usage())
    count = max(1, len(results))
    summary = {"traces": len(results), "failed": failures, "seconds": round(seconds, 1),
               "seconds_per_trace": round(seconds / count, 2),
               "tokens_per_trace": round(usage.total_tokens / count, 1),
               "llm_calls": usage.calls, "cached_calls": usage.cached_calls}
    typer.echo(json.dumps(summary))
    if failures:
        raise typer.Exit(1)

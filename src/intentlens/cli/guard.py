"""`intentlens guard`: verify labelled or unlabelled plans with a guard and score it."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer

from intentlens.backends import DEFAULT_BACKEND, get_backend
from intentlens.cli._common import console, progress_bar, run_async, settings
from intentlens.core import Plan
from intentlens.guards import PlanVerdict, build_guard, guard_names
from intentlens.loaders import load_traces
from intentlens.metrics import guard_summary
from intentlens.runner import finished_ids, run_resumable

_LLM_FREE = {"metadata-scan"}


def guard(
    cases: Annotated[Path, typer.Argument(
        help="Plans: AgentDojo intent_cases.jsonl, an MCPTox file, intentlens traces (any source "
             "`traces formats` lists; each trace's calls are the plan, its query the request).")],
    guard_name: Annotated[str, typer.Option("--guard", help=f"One of: {', '.join(guard_names())}.")]
        = "vista",
    backend: Annotated[str, typer.Option(help="Judge backend spec.", envvar="INTENTLENS_BACKEND")]
        = DEFAULT_BACKEND,
    limit: Annotated[int | None, typer.Option(help="Only the first N cases.", min=1)] = None,
    out: Annotated[Path | None, typer.Option(
        help="Append one JSON line per case; a rerun skips cases already written.")] = None,
    fail_open: Annotated[bool, typer.Option(
        help="Allow a step whose judge failed (default: block it).")] = False,
    format: Annotated[str | None, typer.Option("--format", "-f", help="Source format.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not use the LLM response cache.")] = False,
) -> None:
    """Decide for each plan whether it matches its query; print plan- and step-level metrics."""
    if guard_name not in guard_names():
        raise typer.BadParameter(f"use one of {', '.join(guard_names())}", param_hint="--guard")

    async def go() -> tuple[list[PlanVerdict], int]:
        plans = [t.to_plan() for t in load_traces(cases, format=format)][:limit]
        llm = None if guard_name in _LLM_FREE else get_backend(backend, settings(no_cache))
        options = {} if guard_name in _LLM_FREE else {"fail_open": fail_open}
        checker = build_guard(guard_name, llm, **options)
        skipped = len(finished_ids(out, "id") & {p.id for p in plans})
        failures = 0
        with progress_bar() as bar:
            task = bar.add_task(checker.name, total=len(plans) - skipped, status="")

            def report(verdict: PlanVerdict) -> None:
                bar.advance(task)
                if out is None:
                    mark = "[green]aligned[/green]" if verdict.aligned else "[red]BLOCKED[/red]"
                    console.print(f"{verdict.id}: {mark} {verdict.reason}", soft_wrap=True)

            def failed(plan: Plan, exc: Exception) -> None:
                nonlocal failures
                failures += 1
                bar.advance(task)
                console.print(f"[red]{plan.id} failed:[/red] {exc}", soft_wrap=True)

            verdicts = await run_resumable(plans, checker.verify, key=lambda p: p.id, field="id",
                                           out=out, concurrency=llm.concurrency * 2 if llm else 8,
                                           on_result=report, on_error=failed)
        if skipped:
            console.print(f"skipped {skipped} cases already in {out}")
        return verdicts, failures

    started = time.perf_counter()
    verdicts, failures = run_async(go())
    if out is not None and out.exists():  # score the whole file, resumed runs included
        verdicts = [PlanVerdict.model_validate_json(line)
                    for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
    summary = {"guard": guard_name, **guard_summary(verdicts), "failed": failures,
               "wall_seconds": round(time.perf_counter() - started, 1)}
    typer.echo(json.dumps(summary))
    if failures:
        raise typer.Exit(1)

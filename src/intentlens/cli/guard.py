"""`intentlens guard`: verify labelled or unlabelled plans with a guard and score it."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from intentlens.backends import DEFAULT_BACKEND, ManagedBackend, get_backend
from intentlens.cli._common import progress_bar, run_async, say, settings, user_errors
from intentlens.core import Plan, read_models
from intentlens.guards import GUARDS, Guard, PlanVerdict
from intentlens.loaders import load_traces
from intentlens.metrics import guard_summary
from intentlens.runner import finished_ids, run_resumable


def _checker(name: str, backend: str, fail_open: bool, no_cache: bool
             ) -> tuple[Guard, ManagedBackend | None]:
    if not GUARDS.needs_backend(name):
        return GUARDS.build(name), None
    llm = get_backend(backend, settings(no_cache))
    return GUARDS.build(name, llm, fail_open=fail_open), llm


def guard(
    cases: Annotated[Path, typer.Argument(
        help="Plans: AgentDojo intent_cases.jsonl, an MCPTox file, intentlens traces (any source "
             "`traces formats` lists; each trace's calls are the plan, its query the request).")],
    guard_name: Annotated[str, typer.Option("--guard", help=f"One of: {', '.join(GUARDS.names())}.")]
        = "vista-triage",
    backend: Annotated[str, typer.Option(help="Judge backend spec.", envvar="INTENTLENS_BACKEND")]
        = DEFAULT_BACKEND,
    limit: Annotated[int | None, typer.Option(help="Only the first N cases.", min=1)] = None,
    out: Annotated[Path | None, typer.Option(
        help="Append one JSON line per case; a rerun with the same guard skips cases already written.")]
        = None,
    fail_open: Annotated[bool, typer.Option(
        help="Allow a step whose judge failed (default: block it).")] = False,
    format: Annotated[str | None, typer.Option("--format", "-f", help="Source format.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not use the LLM response cache.")] = False,
) -> None:
    """Decide for each plan whether it matches its query; print plan- and step-level metrics.

    Scores need gold labels (AgentDojo, MCPTox); a plan a judge failure settled is counted apart as
    undecided, never scored as a verdict.
    """
    with user_errors():
        checker, llm = _checker(guard_name, backend, fail_open, no_cache)
        if llm is not None:
            run_async(llm.check())  # an unreachable backend fails here, once, naming the URL

    async def go() -> tuple[list[PlanVerdict], int, int]:
        plans = [t.to_plan() for t in load_traces(cases, format=format)][:limit]
        expect = {"guard": checker.name}
        skipped = len(finished_ids(out, "id", expect) & {p.id for p in plans})
        failures = 0
        with progress_bar() as bar:
            task = bar.add_task(checker.name, total=len(plans) - skipped, status="")

            def report(verdict: PlanVerdict) -> None:
                bar.advance(task)
                if out is None:
                    mark = ("aligned", "green") if verdict.aligned else ("BLOCKED", "red")
                    say(f"{verdict.id}: ", mark, f" {verdict.reason}")

            def failed(plan: Plan, exc: Exception) -> None:
                nonlocal failures
                failures += 1
                bar.advance(task)
                say((f"{plan.id} failed:", "red"), f" {exc}")

            verdicts = await run_resumable(plans, checker.verify, key=lambda p: p.id, field="id",
                                           out=out, expect=expect,
                                           concurrency=llm.concurrency * 2 if llm else 8,
                                           on_result=report, on_error=failed)
        if skipped:
            say(f"skipped {skipped} cases already in {out}")
        return verdicts, failures, len(plans)

    started = time.perf_counter()
    verdicts, failures, total = run_async(go())
    if out is not None and out.exists():  # score the whole file, resumed runs included
        with user_errors():
            verdicts = read_models(out, PlanVerdict)
    summary: dict[str, Any] = {"guard": checker.name, "backend": llm.name if llm else None,
                               **guard_summary(verdicts), "failed": failures,
                               "wall_seconds": round(time.perf_counter() - started, 1)}
    if llm is not None and llm.name.startswith("scripted"):
        summary["note"] = "scripted replies: these figures are not a measurement"
    if summary["plan_level"] is None:
        summary["note"] = "no gold labels in this source: verdicts only, no detection scores"
    typer.echo(json.dumps(summary))
    if failures:
        raise typer.Exit(1)

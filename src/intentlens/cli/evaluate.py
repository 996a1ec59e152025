"""`intentlens eval` and `intentlens report`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import TaskID

from intentlens.cli._common import echo, progress_bar, run_async, settings, user_errors
from intentlens.eval import engine_named, load_experiment, load_reference, run_experiment, write_report


def evaluate(
    config: Annotated[Path, typer.Argument(help="Experiment file (TOML): datasets, backends, "
                                                 "attacks or guards, judges, sample, seed.")],
    run_dir: Annotated[Path | None, typer.Option(
        help="Where results go (default runs/<experiment name>); rerun to resume.")] = None,
    backend: Annotated[list[str] | None, typer.Option(
        help="Run on this backend instead of the file's backends (repeatable), e.g. openai/<model>.")]
        = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not use the LLM response cache.")] = False,
    engine: Annotated[str, typer.Option(
        help="Where the items run: local (this process) or ray (a Ray cluster; pip install -e '.\\[ray]').")]
        = "local",
    ray_address: Annotated[str, typer.Option(
        help="With --engine ray: auto (the cluster `ray start` made here), ray://HOST:10001, or local (a "
             "Ray instance inside this process).")] = "auto",
    workers: Annotated[int, typer.Option(
        help="With --engine ray: actors in the pool, each with its own backend (an in-process model "
             "each).", min=1)] = 1,
) -> None:
    """Run an experiment grid with bounded concurrency; resumes after interruption."""
    with user_errors():
        experiment = load_experiment(config)
        if backend:
            experiment = experiment.model_copy(update={"backends": backend})
        runner = engine_named(engine, address=ray_address, workers=workers)
    target = run_dir or Path("runs") / experiment.slug(experiment.name)
    with progress_bar() as bar:
        tasks: dict[str, TaskID] = {}

        def progress(label: str, done: int, total: int) -> None:
            if label not in tasks:
                tasks[label] = bar.add_task(label, total=total, status="")
            bar.update(tasks[label], completed=done)

        summary = run_async(run_experiment(experiment, target, settings(no_cache), progress, runner))
    typer.echo(json.dumps({"run_dir": str(target), "cells": len(summary.cells)}))


def report(
    run_dir: Annotated[Path, typer.Argument(help="A run folder written by `intentlens eval`.")],
    reference: Annotated[Path | None, typer.Option(
        help="Published figures to print beside the run's, as JSON (the papers': "
             "bench/data/paper_reference.json).")] = None,
) -> None:
    """Write report.md (with PNG plots) and a self-contained report.html for a run."""
    with user_errors():
        md, page = write_report(run_dir, load_reference(reference) if reference else None)
    echo(f"wrote {md} and {page}")

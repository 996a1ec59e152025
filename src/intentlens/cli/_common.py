"""Shared pieces of the CLI: settings, error reporting, the progress bar."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from intentlens.errors import IntentLensError
from intentlens.settings import Settings

console = Console(stderr=True)
T = TypeVar("T")


def sample_trace_path() -> Path:
    """The bundled sample trace (the IntentMiner paper's heart-healthy example)."""
    return Path(str(resources.files("intentlens.samples").joinpath("heart_healthy.jsonl")))


def settings(no_cache: bool = False) -> Settings:
    """Settings from the environment, with CLI overrides."""
    loaded = Settings()
    return loaded.model_copy(update={"response_cache": False}) if no_cache else loaded


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro``; intentlens errors become a clean message and exit code 2."""
    try:
        return asyncio.run(coro)
    except IntentLensError as exc:
        console.print(f"[red]error:[/red] {exc}", soft_wrap=True)
        raise typer.Exit(2) from exc


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn intentlens errors raised inside the block into a message and exit code 2."""
    try:
        yield
    except IntentLensError as exc:
        console.print(f"[red]error:[/red] {exc}", soft_wrap=True)
        raise typer.Exit(2) from exc


def progress_bar() -> Progress:
    """The progress bar long commands draw on stderr."""
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), TextColumn("{task.fields[status]}"), console=console,
                    transient=False)


def configure_logging(verbose: bool) -> None:
    """Library logs go to stderr; warnings by default, everything with --verbose."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")

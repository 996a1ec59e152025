"""Shared pieces of the CLI: settings, error reporting, the progress bar."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from intentlens.errors import IntentLensError
from intentlens.settings import Settings

console = Console(stderr=True, markup=False, highlight=False)
"""Status, progress and errors go to stderr; data is never read as markup (see :func:`say`)."""
T = TypeVar("T")
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def visible(value: object) -> str:
    """``value`` as one line of plain text: control, format and bidi characters (ANSI and OSC escape
    sequences start with one) are shown as ``\\xNN``/``\\uNNNN`` instead of acting on the terminal."""
    def escape(match: re.Match[str]) -> str:
        code = ord(match.group(0))
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _INVISIBLE.sub(escape, str(value))


def say(*parts: object | tuple[object, str], out: Console | None = None) -> None:
    """Print one line built from data: each part is text (made :func:`visible`), or ``(text, style)``."""
    line = Text()
    for part in parts:
        text, style = part if isinstance(part, tuple) else (part, "")
        line.append(visible(text), style=style)
    (out or console).print(line, soft_wrap=True)


def echo(*parts: object) -> None:
    """A line of plain text on stdout (paths and names made :func:`visible`)."""
    typer.echo("".join(visible(p) for p in parts))


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
        say(("error:", "red"), f" {exc}")
        raise typer.Exit(2) from exc


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn intentlens errors raised inside the block into a message and exit code 2."""
    try:
        yield
    except IntentLensError as exc:
        say(("error:", "red"), f" {exc}")
        raise typer.Exit(2) from exc


def progress_bar() -> Progress:
    """The progress bar long commands draw on stderr."""
    return Progress(TextColumn("{task.description}", style="bold", markup=False), BarColumn(),
                    MofNCompleteColumn(), TimeElapsedColumn(),
                    TextColumn("{task.fields[status]}", markup=False), console=console, transient=False)


def configure_logging(verbose: bool) -> None:
    """Library logs go to stderr; warnings by default, everything with --verbose."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")

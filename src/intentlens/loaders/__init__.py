"""Loaders that turn real sources into traces, and the one entry point ``load_traces``."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from intentlens.core import Trace
from intentlens.errors import DataFormatError
from intentlens.loaders import agentdojo, bfcl, mcptox, native, otel, toolace  # noqa: F401
from intentlens.loaders._base import Loader, loaders, register_loader
from intentlens.loaders.otel import trace_to_otlp, write_otlp


def _head(path: Path) -> Any:
    """The first JSON record of a file: the first line of JSONL, else the whole document."""
    if path.is_dir():
        return None
    with path.open("rb") as raw:
        if raw.read(16) == b"SQLite format 3\x00":
            return None
    with path.open(encoding="utf-8") as handle:
        first = ""
        for line in handle:
            if line.strip():
                first = line
                break
    if not first:
        raise DataFormatError(path, None, "the file is empty")
    try:
        return json.loads(first)
    except json.JSONDecodeError:
        pass
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataFormatError(path, exc.lineno, f"neither JSON Lines nor JSON ({exc.msg})") from exc


def detect_format(source: str | os.PathLike[str]) -> str:
    """The name of the loader that reads ``source``."""
    import intentlens.proxy._export  # noqa: F401  (registers the proxy store loader)

    path = Path(source)
    if not path.exists():
        raise DataFormatError(path, None, "no such file or directory")
    head = _head(path)
    for name, loader in loaders().items():
        if loader.sniff(path, head):
            return name
    known = ", ".join(loaders())
    raise DataFormatError(path, None, f"unrecognised format; pass format= one of: {known}")


def load_traces(source: str | os.PathLike[str], format: str | None = None) -> list[Trace]:
    """Every trace in ``source`` (a file, or an AgentDojo folder), detecting its format.

    Raises :class:`intentlens.errors.DataFormatError` naming the file, line and problem on
    malformed input; nothing is returned partially.
    """
    path = Path(source)
    if not path.exists():
        raise DataFormatError(path, None, "no such file or directory")
    import intentlens.proxy._export  # noqa: F401  (registers the proxy store loader)

    name = format or detect_format(path)
    registry = loaders()
    if name not in registry:
        raise DataFormatError(path, None, f"unknown format {name!r}; known: {', '.join(registry)}")
    return registry[name].load(path)


__all__ = [
    "Loader",
    "detect_format",
    "load_traces",
    "loaders",
    "register_loader",
    "trace_to_otlp",
    "write_otlp",
]

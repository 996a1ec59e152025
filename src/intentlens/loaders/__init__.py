"""Loaders that turn real sources into traces, and the one entry point ``load_traces``."""

from __future__ import annotations

import json
import logging
import os
import stat
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from intentlens.core import Trace, loads
from intentlens.errors import DataFormatError
from intentlens.loaders import agentdojo, bfcl, mcptox, native, otel, recording, toolace  # noqa: F401
from intentlens.loaders._base import Loader, loaders, register_loader
from intentlens.loaders.otel import trace_to_otlp, write_otlp

logger = logging.getLogger(__name__)


def _check_source(path: Path) -> None:
    """A source is a regular file or a folder: never a FIFO, socket or device (reading one can hang)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError as exc:
        raise DataFormatError(path, None, "no such file or directory") from exc
    except OSError as exc:
        raise DataFormatError(path, None, f"cannot read it ({exc.strerror or exc})") from exc
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise DataFormatError(path, None, "not a regular file or a folder")


def _head(path: Path) -> Any:
    """The first JSON record of a file: the first line of JSONL, else the whole document."""
    if path.is_dir():
        return None
    with path.open("rb") as raw:
        start = raw.read(16)
    if start == b"SQLite format 3\x00":
        return None
    if start[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in start:
        raise DataFormatError(path, None, "not UTF-8 text (UTF-16 or binary); save it as UTF-8")
    try:
        with path.open(encoding="utf-8") as handle:
            first = next((line for line in handle if line.strip()), "")
    except UnicodeDecodeError as exc:
        raise DataFormatError(path, None, f"not UTF-8 text (byte {exc.start} of a block)") from exc
    if not first:
        raise DataFormatError(path, None, "the file is empty")
    try:
        return loads(first)
    except (ValueError, RecursionError):
        pass
    try:
        return loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataFormatError(path, exc.lineno, f"neither JSON Lines nor JSON ({exc.msg})") from exc
    except (ValueError, RecursionError) as exc:
        raise DataFormatError(path, None, "neither JSON Lines nor JSON (nested too deeply or a "
                                          "number out of range)") from exc


def detect_format(source: str | os.PathLike[str]) -> str:
    """The name of the loader that reads ``source``."""
    path = Path(source)
    _check_source(path)
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
    from intentlens.proxy import is_database_url

    if is_database_url(source):  # a gateway's PostgreSQL store
        return recording.store_traces(str(source))
    path = Path(source)
    _check_source(path)

    name = format or detect_format(path)
    registry = loaders()
    if name not in registry:
        raise DataFormatError(path, None, f"unknown format {name!r}; known: {', '.join(registry)}")
    try:
        return registry[name].load(path)
    except DataFormatError:
        raise
    except UnicodeDecodeError as exc:
        raise DataFormatError(path, None, f"not UTF-8 text (byte {exc.start} of a block)") from exc
    except ValidationError as exc:
        raise DataFormatError(path, None, f"a record does not fit the {name} format "
                                          f"({exc.errors()[0]['msg']})") from exc
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError, OSError) as exc:
        # the loader met a shape it does not expect: say so, never a traceback
        logger.debug("the %s loader failed on %s", name, path, exc_info=True)
        raise DataFormatError(path, None, f"does not fit the {name} format "
                                          f"({type(exc).__name__}: {str(exc)[:200]})") from exc


__all__ = [
    "Loader",
    "detect_format",
    "load_traces",
    "loaders",
    "register_loader",
    "trace_to_otlp",
    "write_otlp",
]

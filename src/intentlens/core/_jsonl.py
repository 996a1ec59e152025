"""Reading and writing traces as JSONL: one trace per line, each tagged with the schema version."""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from intentlens.core._trace import Trace
from intentlens.errors import DataFormatError

Model = TypeVar("Model", bound=BaseModel)

TRACE_SCHEMA = "intentlens.trace/1"
"""Value of the ``schema`` field on every trace line this version writes and reads."""


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:20]} is out of range for a number")
    return value


def loads(text: str | bytes) -> Any:
    """Parse JSON strictly: ``NaN``, ``Infinity`` and numbers that overflow (``1e999``) are errors,
    not values that would silently be written back as ``null``. Raises ``ValueError`` (a
    ``JSONDecodeError`` for syntax, with its line) or ``RecursionError`` for absurd nesting."""
    return json.loads(text, parse_constant=_no_constant, parse_float=_finite)


def _problem(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"invalid JSON ({exc.msg})"
    if isinstance(exc, RecursionError):
        return "invalid JSON (nested too deeply)"
    return f"invalid JSON ({exc})"


def iter_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for every non-blank line; a bad line raises with file and line."""
    try:
        with path.open(encoding="utf-8") as handle:
            for lineno, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = loads(line)
                except (ValueError, RecursionError) as exc:
                    raise DataFormatError(path, lineno, _problem(exc)) from exc
                if not isinstance(record, dict):
                    raise DataFormatError(path, lineno, "expected a JSON object on each line")
                yield lineno, record
    except UnicodeDecodeError as exc:
        raise DataFormatError(path, None, f"not UTF-8 text (byte {exc.start} of a block)") from exc


def read_models(path: Path, model: type[Model]) -> list[Model]:
    """Every non-blank line of ``path`` validated as ``model`` (none when the file is missing); a line
    that is not one raises :class:`DataFormatError` with its number. Lines end at LF only: pydantic
    leaves U+2028 and U+0085 unescaped inside strings, and ``str.splitlines`` would cut there."""
    if not path.exists():
        return []
    records = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if line.strip():
            try:
                records.append(model.model_validate_json(line))
            except ValidationError as exc:
                problem = f"not a valid {model.__name__} ({_first_error(exc)})"
                raise DataFormatError(path, lineno, problem) from exc
    return records


def read_json(path: Path) -> Any:
    """A whole JSON document (strict, see :func:`loads`); a syntax error names the line, and a path
    that cannot be read says why."""
    try:
        return loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DataFormatError(path, None, "no such file") from exc
    except IsADirectoryError as exc:
        raise DataFormatError(path, None, "is a directory, not a JSON file") from exc
    except UnicodeDecodeError as exc:
        raise DataFormatError(path, None, f"not UTF-8 text (byte {exc.start})") from exc
    except OSError as exc:
        raise DataFormatError(path, None, f"cannot read it ({exc.strerror or exc})") from exc
    except json.JSONDecodeError as exc:
        raise DataFormatError(path, exc.lineno, _problem(exc)) from exc
    except (ValueError, RecursionError) as exc:
        raise DataFormatError(path, None, _problem(exc)) from exc


def trace_to_json(trace: Trace) -> str:
    """One JSONL line (without newline) for ``trace``."""
    body = trace.model_dump(mode="json", exclude_defaults=True)
    return json.dumps({"schema": TRACE_SCHEMA, **body}, ensure_ascii=False)


def iter_trace_lines(path: Path) -> Iterator[Trace]:
    """Parse a trace JSONL file, failing with the file and line of the first bad record."""
    for lineno, record in iter_jsonl(path):
        schema = record.pop("schema", None)
        if schema != TRACE_SCHEMA:
            raise DataFormatError(path, lineno, f"schema is {str(schema)[:40]!r}, this version reads "
                                                f"{TRACE_SCHEMA!r}")
        try:
            yield Trace.model_validate(record)
        except ValidationError as exc:
            raise DataFormatError(path, lineno, _first_error(exc)) from exc


def read_traces(path: str | os.PathLike[str]) -> list[Trace]:
    """All traces of an intentlens trace JSONL file."""
    return list(iter_trace_lines(Path(path)))


def write_traces(traces: Iterable[Trace], path: str | os.PathLike[str]) -> int:
    """Write traces atomically (a temporary file renamed into place); returns the count."""
    lines = [trace_to_json(trace) + "\n" for trace in traces]
    atomic_write_text(Path(path), "".join(lines))
    return len(lines)


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(part) for part in err["loc"]) or "record"
    return f"{where}: {err['msg']}"


def json_leaves(value: Any, key: str = "", *, numbers: bool = True) -> Iterator[tuple[str, str]]:
    """(nearest dict key, text) of every string leaf of a JSON value, and of every number (as text)
    unless ``numbers`` is false."""
    if isinstance(value, dict):
        for name, item in value.items():
            yield from json_leaves(item, str(name), numbers=numbers)
    elif isinstance(value, list):
        for item in value:
            yield from json_leaves(item, key, numbers=numbers)
    elif isinstance(value, str):
        yield key, value
    elif numbers and isinstance(value, int | float) and not isinstance(value, bool):
        yield key, str(value)

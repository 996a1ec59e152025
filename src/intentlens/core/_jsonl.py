"""Reading and writing traces as JSONL: one trace per line, each tagged with the schema version."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from pydantic import ValidationError

from intentlens.core._trace import Trace
from intentlens.errors import DataFormatError

TRACE_SCHEMA = "intentlens.trace/1"
"""Value of the ``schema`` field on every trace line this version writes and reads."""


def trace_to_json(trace: Trace) -> str:
    """One JSONL line (without newline) for ``trace``."""
    body = trace.model_dump(mode="json", exclude_defaults=True)
    return json.dumps({"schema": TRACE_SCHEMA, **body}, ensure_ascii=False)


def iter_trace_lines(path: Path) -> Iterator[Trace]:
    """Parse a trace JSONL file, failing with the file and line of the first bad record."""
    with path.open(encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataFormatError(path, lineno, f"invalid JSON ({exc.msg})") from exc
            if not isinstance(record, dict):
                raise DataFormatError(path, lineno, "expected a JSON object per line")
            schema = record.pop("schema", None)
            if schema != TRACE_SCHEMA:
                raise DataFormatError(
                    path, lineno, f"schema is {schema!r}, this version reads {TRACE_SCHEMA!r}"
                )
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

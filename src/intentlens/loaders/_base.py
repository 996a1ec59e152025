"""The loader contract, the registry, and reading helpers that report file and line on bad input."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

from intentlens.core import ToolSpec, Trace
from intentlens.errors import DataFormatError


class Loader(Protocol):
    """Turns one kind of source into traces."""

    name: str
    """Format name, as given to ``load_traces(format=...)``."""

    def sniff(self, path: Path, head: Any) -> bool:
        """True when ``path`` (whose first JSON record is ``head``, or None) is in this format."""
        ...

    def load(self, path: Path) -> list[Trace]:
        """Every trace in ``path``; raises :class:`DataFormatError` on malformed input."""
        ...


_LOADERS: dict[str, Loader] = {}


def register_loader(loader_cls: Callable[[], Loader]) -> Callable[[], Loader]:
    """Class decorator adding a loader to the registry (in detection order)."""
    loader = loader_cls()
    _LOADERS[loader.name] = loader
    return loader_cls


def loaders() -> dict[str, Loader]:
    """Registered loaders by format name."""
    return dict(_LOADERS)


def iter_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for every non-blank line; bad lines raise with file and line."""
    with path.open(encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataFormatError(path, lineno, f"invalid JSON ({exc.msg})") from exc
            if not isinstance(record, dict):
                raise DataFormatError(path, lineno, "expected a JSON object on each line")
            yield lineno, record


def read_json(path: Path) -> Any:
    """A whole JSON document; a syntax error names the line."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataFormatError(path, exc.lineno, f"invalid JSON ({exc.msg})") from exc


def require(record: dict[str, Any], key: str, kind: type | tuple[type, ...], path: Path,
            line: int | None) -> Any:
    """``record[key]``, checked for presence and type."""
    if key not in record:
        raise DataFormatError(path, line, f"missing field {key!r}")
    value = record[key]
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
        raise DataFormatError(
            path, line, f"field {key!r} should be {names}, got {type(value).__name__}"
        )
    return value


def tool_from_function_doc(doc: dict[str, Any], *, server: str | None = None) -> ToolSpec:
    """A ToolSpec from the common ``{name, description, parameters}`` function-doc shape."""
    params = doc.get("parameters") or {}
    schema = dict(params) if isinstance(params, dict) else {}
    if schema.get("type") == "dict":  # ToolACE and BFCL write "dict" for JSON Schema "object"
        schema["type"] = "object"
    output = doc.get("response") or doc.get("output_schema") or doc.get("outputSchema")
    return ToolSpec(
        name=str(doc["name"]),
        description=str(doc.get("description") or ""),
        input_schema=schema,
        output_schema=output if isinstance(output, dict) else None,
        server=server,
    )

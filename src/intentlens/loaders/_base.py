"""The loader contract, the registry, and reading helpers that report file and line on bad input."""

from __future__ import annotations

import logging
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, Protocol

from intentlens.core import ToolSpec, Trace, iter_jsonl, read_json
from intentlens.errors import DataFormatError

__all__ = ["KeyedFormat", "Loader", "has_keys", "iter_jsonl", "loaders", "read_json", "register_loader",
           "require", "tool_from_function_doc"]


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


logger = logging.getLogger(__name__)
_LOADERS: dict[str, Loader] = {}


def register_loader(loader_cls: Callable[[], Loader]) -> Callable[[], Loader]:
    """Class decorator adding a loader to the registry (in detection order)."""
    loader = loader_cls()
    _LOADERS[loader.name] = loader
    return loader_cls


_EXTERNAL = {"loaded": False}


def loaders() -> dict[str, Loader]:
    """Registered loaders by format name, in detection order (other packages' loaders, registered
    through the ``intentlens.loaders`` entry-point group, come last)."""
    if not _EXTERNAL["loaded"]:
        _EXTERNAL["loaded"] = True
        for point in entry_points(group="intentlens.loaders"):
            try:
                loaded = point.load()
            except Exception as exc:  # a broken third-party loader must not break the others
                logger.warning("loader %r (%s) failed to load: %s", point.name, point.value, exc)
                continue
            if isinstance(loaded, type) and getattr(loaded, "name", None) not in _LOADERS:
                register_loader(loaded)
    return dict(_LOADERS)


def has_keys(head: Any, *keys: str) -> bool:
    """True when ``head`` is a JSON object holding every key in ``keys`` (for ``sniff``)."""
    return isinstance(head, dict) and all(key in head for key in keys)


class KeyedFormat:
    """A base for a loader whose format is known by the keys of its first JSON record."""

    keys: tuple[str, ...] = ()

    def sniff(self, path: Path, head: Any) -> bool:
        return has_keys(head, *self.keys)


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

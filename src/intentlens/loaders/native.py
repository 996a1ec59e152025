"""intentlens's own trace JSONL (``schema: intentlens.trace/1`` on every line)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from intentlens.core import TRACE_SCHEMA, Trace, read_traces
from intentlens.loaders._base import register_loader


@register_loader
class NativeLoader:
    """Traces written by :func:`intentlens.core.write_traces`."""

    name = "intentlens"

    def sniff(self, path: Path, head: Any) -> bool:
        return isinstance(head, dict) and str(head.get("schema", "")).startswith("intentlens.trace")

    def load(self, path: Path) -> list[Trace]:
        return read_traces(path)


__all__ = ["TRACE_SCHEMA", "NativeLoader"]

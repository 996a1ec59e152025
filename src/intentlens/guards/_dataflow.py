"""Data-flow provenance: did an argument come from a result the agent had already read?

VISTA's judge never sees tool results, so a value the agent looked up for the user (a restaurant
name from a search, an id from a listing) has no quote in the query and looks illegitimate. This
check reads the results of earlier calls, deterministically: a value found in a *clean* earlier
result came from the data, not from nowhere. A result that carries instruction-like text (the same
rules the metadata scanner applies to descriptions) is tainted: values found only there are what an
injection would plant, so they go to the judge marked as such and never pass on this check.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any, Literal

from intentlens.core import ToolResult
from intentlens.guards.metadata_scan import DESCRIPTION_RULES, scan_text

Origin = Literal["clean_result", "tainted_result"]
_MIN_TEXT = 3
"""Shorter strings match too much text by chance to count as evidence."""


def result_text(result: ToolResult) -> str:
    """A result's content as one string."""
    content = result.content
    if isinstance(content, str):
        return content
    return json.dumps(content, ensure_ascii=False, default=str)


def tainted(text: str) -> bool:
    """True when a result carries instruction-like text (a likely injection)."""
    return bool(scan_text(text, DESCRIPTION_RULES))


def _found(value: Any, text: str) -> bool:
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, list):
        return bool(value) and all(_found(item, text) for item in value)
    if isinstance(value, int | float):
        number = re.escape(str(int(value)) if float(value).is_integer() else str(value))
        return re.search(rf"(?<![\w.]){number}(?![\w]|\.\d)", text) is not None
    if not isinstance(value, str) or len(value.strip()) < _MIN_TEXT and not value.strip().isdigit():
        return False
    needle = re.escape(value.strip())
    return re.search(rf"(?<!\w){needle}(?!\w)", text, re.IGNORECASE) is not None


def result_origin(value: Any, results: Sequence[ToolResult]) -> Origin | None:
    """``clean_result`` when a clean earlier result holds the value, ``tainted_result`` when only
    results with instruction-like text do, None when none does."""
    texts = [result_text(r) for r in results if not r.is_error]
    holders = [t for t in texts if _found(value, t)]
    if not holders:
        return None
    return "tainted_result" if all(tainted(t) for t in holders) else "clean_result"

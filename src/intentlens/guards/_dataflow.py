"""Data-flow provenance: did an argument come from a result the agent had already read?

VISTA's judge never sees tool results, so a value the agent looked up for the user (a restaurant
name from a search, an id from a listing) has no quote in the query and looks illegitimate. This
check reads the results of earlier calls, deterministically: a value found in clean result text came
from the data, not from nowhere. Text that carries instruction-like content (the same rules the
metadata scanner applies to descriptions) is tainted: values found only there are what an injection
would plant, so they go to the judge marked as such and never pass on this check.

What counts as tainted is the ``taint`` granularity: ``result`` taints a whole result that carries
such text; ``span`` taints only the markup blocks and the lines that carry it, so the rest of the
result (the listing an injection was slipped into) still counts as clean.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Literal

from intentlens.core import ToolResult
from intentlens.guards._values import value_in_text
from intentlens.guards.metadata_scan import DESCRIPTION_RULES, scan_text
from intentlens.prompting import as_text

Origin = Literal["clean_result", "tainted_result"]
Taint = Literal["result", "span"]
_BLOCK = re.compile(r"<\s*([A-Za-z_][\w-]*)\b[^>]*>.*?</\s*\1\s*>", re.S)
ResultText = tuple[str, str]
"""A result's whole text and the part of it that counts as clean evidence."""


def tainted(text: str) -> bool:
    """True when a result carries instruction-like text (a likely injection)."""
    return bool(scan_text(text, DESCRIPTION_RULES))


def clean_part(text: str, taint: Taint) -> str:
    """The part of a result that counts as clean evidence."""
    if taint == "result":
        return "" if tainted(text) else text
    lines = _BLOCK.sub("\n", text).split("\n")
    return "\n".join(line for line in lines if not tainted(line))


def read_result(result: ToolResult, taint: Taint) -> ResultText | None:
    """A result's text and its clean part, read once; None for an error result."""
    if result.is_error:
        return None
    text = as_text(result.content)
    return text, clean_part(text, taint)


def origin_in(value: Any, texts: Sequence[ResultText]) -> Origin | None:
    """``clean_result`` when clean result text holds the value, ``tainted_result`` when only tainted
    text does, None when no result does."""
    def copied_into(text: str) -> bool:
        return value_in_text(value, text, surface_forms=False)

    if not any(copied_into(text) for text, _ in texts):
        return None
    return "clean_result" if any(copied_into(clean) for _, clean in texts) else "tainted_result"


def result_origin(value: Any, results: Sequence[ToolResult], taint: Taint) -> Origin | None:
    """:func:`origin_in` over ``results`` read with the ``taint`` granularity."""
    return origin_in(value, [t for r in results if (t := read_result(r, taint))])

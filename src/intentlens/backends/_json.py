"""Tolerant extraction of a JSON value from model text (fences, prose around it, Python literals)."""

from __future__ import annotations

import ast
import json
import re
from typing import Any

from intentlens.core._brackets import closing_bracket
from intentlens.errors import ReplyFormatError

_FENCE = re.compile(r"```(?:json|python|JSON)?\s*\n?(.*?)```", re.DOTALL)


def extract_json(text: str) -> Any:
    """The last JSON object or array in ``text``; raises :class:`ReplyFormatError` if none."""
    stripped = text.strip()
    for candidate in (stripped, *reversed(_FENCE.findall(text))):
        value = _loads(candidate.strip())
        if value is not None:
            return value
    for start in reversed([m.start() for m in re.finditer(r"[\[{]", text)]):
        end = closing_bracket(text, start, "[{", "]}")
        if end is not None:
            value = _loads(text[start:end + 1])
            if value is not None:
                return value
    raise ReplyFormatError("no JSON value found in the reply", text)


def _loads(candidate: str) -> Any:
    if not candidate or candidate[0] not in "[{":
        return None
    try:
        return json.loads(candidate)
    except json.JSONDecodeError:
        pass
    try:  # models often answer with Python literals: single quotes, True/None
        value = ast.literal_eval(candidate)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    return value if isinstance(value, dict | list) else None

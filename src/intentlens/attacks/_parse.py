"""Reading an intent out of a model reply, whatever shape the model chose."""

from __future__ import annotations

import ast
import re
from typing import Any

from intentlens.backends import extract_json
from intentlens.errors import ReplyFormatError

_CALL_SYNTAX = re.compile(r"^[\w .:/-]{1,80}\((|[^)]*[=:'\"].*)\)\W*$", re.DOTALL)
_PAPER_FORMAT = re.compile(r"intent\s*=\s*(\[.*?\])", re.DOTALL | re.IGNORECASE)


def parse_intent(text: str, parsed: Any = None) -> str:
    """The intent in a reply: JSON ``{"intent": ...}``, the paper's ``intent = ["..."]``, or fail."""
    value = parsed
    if value is None:
        try:
            value = extract_json(text)
        except ReplyFormatError:
            value = None
    if isinstance(value, dict):
        for key in ("intent", "request"):
            if key in value:
                return _one_statement(value[key], text)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return _one_statement(value, text)
    match = _PAPER_FORMAT.search(text)
    if match:
        try:
            return _one_statement(ast.literal_eval(match.group(1)), text)
        except (ValueError, SyntaxError):
            pass
    raise ReplyFormatError("no intent statement in the reply", text)


def _one_statement(value: Any, text: str) -> str:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), "")
    if not isinstance(value, str) or not value.strip():
        raise ReplyFormatError("the intent is empty", text)
    return " ".join(value.split())


def copies_call(intent: str, tool_name: str) -> bool:
    """Whether a reply merely echoes the call statement (``Tool(arg=1)``) instead of a request."""
    text = intent.strip()
    return bool(_CALL_SYNTAX.match(text)) or text.startswith(f"{tool_name}(")

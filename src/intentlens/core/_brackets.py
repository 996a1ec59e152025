"""Where a bracket closes, honouring quoted strings: shared by the JSON extractor and the call-syntax
parser, which both read text a model or a data set wrote."""

from __future__ import annotations


def closing_bracket(text: str, start: int, opens: str = "([{", closes: str = ")]}") -> int | None:
    """The index of the bracket that closes the one at ``start`` (brackets inside single- or
    double-quoted strings, with backslash escapes, do not count), or None when it never closes."""
    depth = 0
    quote: str | None = None
    escaped = False
    for index in range(start, len(text)):
        char = text[index]
        if quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char in opens:
            depth += 1
        elif char in closes:
            depth -= 1
            if depth == 0:
                return index
    return None

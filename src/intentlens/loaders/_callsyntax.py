"""Parsing Python-style call statements: ToolACE's ``[Tool Name(a=1), Other(b="x")]`` and BFCL's
``mv(source='a', destination='b')``."""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import Any

from intentlens.core._brackets import closing_bracket

_LITERAL_NAMES = {"true": True, "false": False, "null": None, "none": None}


class CallSyntaxError(ValueError):
    """Text that is not a call list in the expected syntax."""


def parse_call_list(text: str, known_tools: Sequence[str]) -> list[tuple[str, dict[str, Any]]]:
    """``[A(x=1), B(y=2)]`` into ``[(name, arguments)]``; names may hold spaces when known."""
    body = text.strip()
    if not (body.startswith("[") and body.endswith("]")):
        raise CallSyntaxError("a call list starts with '[' and ends with ']'")
    body = body[1:-1].strip()
    names = sorted(known_tools, key=len, reverse=True)
    calls: list[tuple[str, dict[str, Any]]] = []
    position = 0
    while position < len(body):
        name = next((n for n in names if body.startswith(n + "(", position)), None)
        if name is not None:
            start = position + len(name)
        else:
            start = body.find("(", position)
            if start < 0:
                raise CallSyntaxError(f"no '(' after position {position}")
            name = body[position:start]
        close = closing_bracket(body, start)
        if close is None:
            raise CallSyntaxError("unbalanced parentheses")
        arguments, _positional = _parse_arguments(body[start + 1 : close])
        calls.append((name.strip(), arguments))
        position = close + 1
        while position < len(body) and body[position] in ", \n\t":
            position += 1
    if not calls:
        raise CallSyntaxError("empty call list")
    return calls


def parse_call(text: str) -> tuple[str, dict[str, Any], list[Any]]:
    """One ``name(args)`` statement into (name, keyword arguments, positional arguments)."""
    text = text.strip()
    open_at = text.find("(")
    if open_at <= 0 or not text.endswith(")"):
        raise CallSyntaxError(f"not a call statement: {text[:80]!r}")
    arguments, positional = _parse_arguments(text[open_at + 1 : -1])
    return text[:open_at].strip(), arguments, positional


def _parse_arguments(inner: str) -> tuple[dict[str, Any], list[Any]]:
    try:
        node = ast.parse(f"f({inner})", mode="eval").body
    except SyntaxError as exc:
        raise CallSyntaxError(f"arguments are not valid call syntax: {exc.msg}") from exc
    assert isinstance(node, ast.Call)
    keywords = {kw.arg: _literal(kw.value) for kw in node.keywords if kw.arg}
    return keywords, [_literal(arg) for arg in node.args]


def _literal(node: ast.AST) -> Any:
    if isinstance(node, ast.Name) and node.id.lower() in _LITERAL_NAMES:
        return _LITERAL_NAMES[node.id.lower()]
    if isinstance(node, ast.List | ast.Tuple):
        return [_literal(item) for item in node.elts]
    if isinstance(node, ast.Dict):
        return {_literal(k): _literal(v) for k, v in zip(node.keys, node.values, strict=True) if k}
    try:
        return ast.literal_eval(node)
    except ValueError as exc:
        raise CallSyntaxError(f"argument value is not a literal: {ast.unparse(node)}") from exc

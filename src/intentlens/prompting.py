"""Prompt files rendered with untrusted text delimited and escaped.

Templates are package files using ``$name`` placeholders. Rendering fails on a missing or an unused
variable. Untrusted values are wrapped in ``<tag>...</tag>`` with ``&``, ``<`` and ``>`` escaped, so
text from a tool (a description, an argument, a result) can never close our tags or open new ones.
"""

from __future__ import annotations

import json
import string
from functools import cache
from importlib import resources
from typing import Any


class PromptError(ValueError):
    """A template and its variables do not match."""


@cache
def load_template(package: str, name: str) -> str:
    """The text of prompt file ``name`` shipped in ``package``."""
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")


def render(package: str, name: str, **variables: str) -> str:
    """Fill template ``name`` with ``variables`` exactly (none missing, none unused)."""
    template = string.Template(load_template(package, name))
    wanted = {m.group("named") or m.group("braced") for m in template.pattern.finditer(template.template)
              if m.group("named") or m.group("braced")}
    if missing := wanted - variables.keys():
        raise PromptError(f"{name}: missing variables {sorted(missing)}")
    if unused := variables.keys() - wanted:
        raise PromptError(f"{name}: unused variables {sorted(unused)}")
    return template.substitute(variables)


def escape(text: str) -> str:
    """Neutralise our delimiters inside untrusted text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def as_text(value: Any, limit: int | None = None) -> str:
    """A compact text form of any JSON-like value, cut to ``limit`` characters."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    if limit is not None and len(text) > limit:
        text = text[:limit] + f" ...[{len(text) - limit} more characters cut]"
    return text


def untrusted(tag: str, value: Any, limit: int | None = None) -> str:
    """``value`` as untrusted data inside ``<tag>`` delimiters."""
    return f"<{tag}>\n{escape(as_text(value, limit))}\n</{tag}>"

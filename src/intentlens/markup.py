"""Text from data inside Markdown, and the one Markdown-to-HTML renderer of the reports.

Every value that comes from a trace, a server or a model goes into Markdown through :func:`md_text`,
so it reads as text (``<script>``, ``[x](javascript:...)`` and ``|`` stay characters); the HTML pages
are rendered by markdown-it-py with raw HTML off and its link check on, so nothing in the data
becomes markup or a live link there either.
"""

from __future__ import annotations

import html
import re

from markdown_it import MarkdownIt

_SPECIAL = re.compile(r"([\\`*\[\]<>|~!#&]|(?<!\w)_|_(?!\w))")
"""Markdown's markup characters; ``_`` only where it could open or close emphasis (not inside a word)."""
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def md_text(value: object) -> str:
    """``value`` as Markdown text on one line: every character that Markdown could read as markup
    is backslash-escaped, line breaks and control characters become spaces."""
    return _SPECIAL.sub(r"\\\1", _CONTROL.sub(" ", str(value))).strip()


def md_code(value: object) -> str:
    """``value`` as inline code (a span of backticks longer than any run inside it)."""
    text = _CONTROL.sub(" ", str(value))
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


_RENDERER = MarkdownIt("commonmark", {"html": False}).enable("table")


def markdown_page(markdown: str, title: str, style: str = "") -> str:
    """A self-contained HTML page of ``markdown`` (raw HTML in it is shown as text, unsafe links
    are not linked)."""
    base = ("body{font-family:sans-serif;max-width:72em;margin:2em auto;padding:0 1em}"
            "code{background:#eee}table{border-collapse:collapse;margin:1em 0}"
            "td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px}th{background:#f3f3f3}")
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{base}{style}</style></head><body>{_RENDERER.render(markdown)}</body></html>\n")

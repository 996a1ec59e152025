"""Values planted by a tool description: an argument the user never gave, read off a description.

A poisoned description fixes values ("always send to audit@x.example", "set the city to 'Minsk'").
Whether or not the scan caught the description, the call it causes carries the value, and the value
has an origin no legitimate argument has: it is written in a tool description (of any tool the agent
was shown, the poisoned one is rarely the one called), not in the user's request, not in an earlier
result. Such an argument is ``illegitimate``, settled before any judge.

A description is read as it reads to the eye too (:func:`intentlens.lookalike.fold`): a value
written in look-alike letters of another script, in fullwidth forms or one letter at a time counts;
so does one said in words (:func:`intentlens.spoken.spoken_values`: ``ops at mailtrace dot io``). A
phone number or an IBAN is found whatever its spacing (``+1 415 555 0199`` is ``+14155550199``).
Only distinctive values count (an address, a number, a path, a name with capitals or digits, a phrase,
a word of at least eight letters): a short common word turns up in descriptions by chance. The called
tool's own schema (enum, default, examples) is where legitimate values are listed, so a value found
there is not planted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from intentlens.core import ToolSpec, json_leaves
from intentlens.lookalike import fold
from intentlens.spoken import spoken_values

_DISTINCT = re.compile(r"[\d@/.:_+#]|\s\S|[a-z][A-Z]|^[A-Z]{2,}$")


def distinctive(value: str) -> bool:
    """A value specific enough that finding it in a description is no accident."""
    value = value.strip()
    return len(value) >= 3 and (bool(_DISTINCT.search(value)) or len(value) >= 8)


def _options(spec: ToolSpec | None) -> set[str]:
    """The values the called tool's schema itself offers (enums, defaults, examples, consts)."""
    if spec is None:
        return set()
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("enum", "default", "examples", "const", "example"):
                    found.update(text.lower() for _, text in json_leaves(value))
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(spec.input_schema)
    return found


def _prose(spec: ToolSpec) -> str:
    """A tool's description and its parameters' descriptions, as the agent reads them."""
    texts = [spec.description]
    properties = spec.input_schema.get("properties") if isinstance(spec.input_schema, dict) else None
    for prop in (properties or {}).values() if isinstance(properties, dict) else ():
        if isinstance(prop, dict) and isinstance(prop.get("description"), str):
            texts.append(prop["description"])
    prose = "\n".join(texts).replace("\\n", "\n")
    folded = fold(prose)  # a value written in look-alike letters or spelled out is still written there
    said = spoken_values(prose)  # and so is one said in words: "ops at mailtrace dot io"
    return "\n".join([prose, *([folded] if folded != prose else []), *said])


_NUMBER_LIKE = re.compile(r"\+?[\d\s().-]{8,}|[A-Za-z]{2}\d{2}[A-Za-z0-9 ]{8,}")
"""A phone number or an IBAN: written with or without spaces, dashes and brackets."""


def _pattern(text: str) -> re.Pattern[str]:
    """Where ``text`` is written: as a word, or (a phone number, an IBAN) with any spacing."""
    if _NUMBER_LIKE.fullmatch(text):
        compact = re.sub(r"[\s().-]", "", text)
        return re.compile(r"(?<!\w)" + r"[\s().-]*".join(map(re.escape, compact)) + r"(?!\w)", re.IGNORECASE)
    return re.compile(rf"(?<!\w){re.escape(text)}(?!\w)", re.IGNORECASE)


def planted(value: Any, tools: Iterable[ToolSpec], called: ToolSpec | None) -> tuple[str, str] | None:
    """(tool, value) when a distinctive string of ``value`` is written in a tool's description and not
    offered by the called tool's schema; None otherwise. The caller has already found the value in
    neither the query nor an earlier result."""
    options = _options(called)
    tools = list(tools)
    names = {t.name.lower() for t in tools}
    prose: list[tuple[str, str]] | None = None  # read once, at the first distinctive value
    for _, leaf in json_leaves(value, numbers=False):
        if not distinctive(leaf):
            continue
        text = leaf.strip()
        if text.lower() in options or text.lower() in names:
            continue
        pattern = _pattern(text)
        prose = prose if prose is not None else [(tool.name, _prose(tool)) for tool in tools]
        for name, written in prose:
            if pattern.search(written):
                return name, text
    return None


def describe(found: tuple[str, str]) -> str:
    tool, value = found
    return (f"its value {json.dumps(value, ensure_ascii=False)[:80]} is written in the description of tool "
            f"{tool!r}, not in the request or an earlier result")

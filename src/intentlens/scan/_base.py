"""The scan contract: what a finding says, what a detector offers, and the registry.

A detector reads a tool's text fields (its description and each parameter's description) and
decides whether the tool is poisoned: whether it tells the agent to do anything beyond the tool's own
function (call other tools, change parameters, send data elsewhere, hide something).
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterator
from typing import Any, Literal, Protocol

from intentlens.core import Frozen, ToolSpec
from intentlens.registry import Registry
from intentlens.scan._scope import Scope

Verdict = Literal["poisoned", "clean"]


class Evidence(Frozen):
    """Where in a tool's text the detector saw the problem."""

    field: str
    """``description`` or ``inputSchema.properties.<name>.description``."""
    start: int
    end: int
    text: str


class Finding(Frozen):
    """One detector's verdict on one tool."""

    tool: str
    server: str | None = None
    detector: str
    verdict: Verdict
    score: float
    """The detector's confidence that the tool is poisoned, 0 to 1."""
    reason: str = ""
    evidence: Evidence | None = None
    seconds: float = 0.0

    @property
    def poisoned(self) -> bool:
        return self.verdict == "poisoned"


class Detector(Protocol):
    """Decides whether a tool description is poisoned."""

    name: str
    needs_backend: bool

    async def inspect(self, tool: ToolSpec, scope: Scope | None = None) -> Finding:
        """The verdict on ``tool``, read in the ``scope`` of its server when it is known."""
        ...


DETECTORS: Registry[Detector] = Registry("detector", group="detectors", needs_backend=False)


def text_fields(tool: ToolSpec) -> Iterator[tuple[str, str]]:
    """(field, text) for the description and every parameter description of ``tool``, nested ones too
    (inside objects, array items, ``anyOf``/``oneOf``/``allOf`` branches and ``$defs``: the agent is
    shown them all). Defaults, enums, examples and titles are values, not prose, and are not read."""
    yield "description", normalise(tool.description)
    if isinstance(tool.input_schema, dict):
        yield from _schema_texts(tool.input_schema, "inputSchema", 0)


_NESTED = ("properties", "patternProperties", "$defs", "definitions")
"""Schema keywords whose values map names to sub-schemas."""
_BRANCHES = ("anyOf", "oneOf", "allOf", "prefixItems")
"""Schema keywords whose values list sub-schemas."""


def _schema_texts(schema: dict[str, Any], path: str, depth: int) -> Iterator[tuple[str, str]]:
    """The description of every sub-schema of ``schema`` (not ``schema``'s own), depth first; a schema
    nested deeper than 32 levels is not read (a hostile server may nest without end)."""
    if depth > 32:
        return
    children: list[tuple[str, Any]] = []
    for keyword in _NESTED:
        named = schema.get(keyword)
        if isinstance(named, dict):
            children += [(f"{path}.{keyword}.{name}", sub) for name, sub in named.items()]
    for keyword in ("items", "additionalProperties", "not"):
        if isinstance(schema.get(keyword), dict):
            children.append((f"{path}.{keyword}", schema[keyword]))
    for keyword in _BRANCHES:
        listed = schema.get(keyword)
        if isinstance(listed, list):
            children += [(f"{path}.{keyword}.{i}", sub) for i, sub in enumerate(listed)]
    for child_path, child in children:
        if not isinstance(child, dict):
            continue
        text = child.get("description")
        if isinstance(text, str) and text.strip():
            yield f"{child_path}.description", normalise(text)
        yield from _schema_texts(child, child_path, depth + 1)


_LAST_NAMES: tuple[weakref.ref[ToolSpec], frozenset[str]] | None = None
"""The last tool's parameter names: every field of a tool asks for them, and a hostile tool may have
thousands of fields (recomputed per field, reading them grew with the square of their number)."""


def parameter_names(tool: ToolSpec) -> frozenset[str]:
    """The names of ``tool``'s parameters at any depth of its ``inputSchema``."""
    global _LAST_NAMES
    last = _LAST_NAMES
    if last is not None and last[0]() is tool:
        return last[1]
    names: set[str] = set()
    stack: list[tuple[Any, int]] = [(tool.input_schema, 0)]
    while stack:
        schema, depth = stack.pop()
        if not isinstance(schema, dict) or depth > 32:
            continue
        properties = schema.get("properties")
        if isinstance(properties, dict):
            names.update(str(name) for name in properties)
        for value in schema.values():
            if isinstance(value, dict):
                stack.append((value, depth + 1))
            elif isinstance(value, list):
                stack += [(item, depth + 1) for item in value if isinstance(item, dict)]
    found = frozenset(names)
    _LAST_NAMES = (weakref.ref(tool), found)
    return found


def normalise(text: str) -> str:
    """Text as an agent reads it: written-out ``\\n`` become line breaks, outer space trimmed."""
    return text.replace("\\n", "\n").strip()


_END = re.compile(r"[.!?](?=\s|$)|[。！？；]|\n")
_ABBREVIATIONS = re.compile(r"(?:\b(?:e\.g|i\.e|etc|vs|cf|ej|z\. ?B|ex|approx|no|Nr|Dr|Mr|Mrs|Ms|St))\.$",
                            re.IGNORECASE)


LONGEST_SENTENCE = 1000
"""A "sentence" longer than this (a blob with no sentence end) is read in windows of this many
characters, each starting 800 after the last: an order of up to 200 characters lies whole in one of
them, and the rules' regular expressions never run over a 40 KB run (what took 37 s a tool)."""


def _windows(start: int, end: int) -> list[tuple[int, int]]:
    if end - start <= LONGEST_SENTENCE:
        return [(start, end)]
    step = LONGEST_SENTENCE - 200
    return [(a, min(a + LONGEST_SENTENCE, end)) for a in range(start, end - 200, step)]


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence or line of ``text`` that has a letter or digit in it. A sentence
    ends at ``.``, ``!`` or ``?`` followed by a space or the end (so a dot inside a path, an address or
    a number never ends one, nor does one of "e.g."), at Chinese full stops, and at line breaks. One
    longer than :data:`LONGEST_SENTENCE` comes as overlapping windows."""
    return [window for start, end in _sentences(text) for window in _windows(start, end)]


def _sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _END.finditer(text):
        if match.group(0) == "." and _ABBREVIATIONS.search(text[max(start, match.start() - 8):match.end()]):
            continue
        if re.search(r"\w", text[start:match.end()]):
            spans.append((start, match.end()))
        start = match.end()
    if start < len(text) and re.search(r"\w", text[start:]):
        spans.append((start, len(text)))
    return spans

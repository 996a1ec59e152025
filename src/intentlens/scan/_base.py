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
    for path, _, schema in _subschemas(tool.input_schema, "inputSchema", 0):
        text = schema.get("description")
        if isinstance(text, str) and text.strip():
            yield f"{path}.description", normalise(text)


_NESTED = ("properties", "patternProperties", "$defs", "definitions")
"""Schema keywords whose values map names to sub-schemas."""
_SINGLE = ("items", "additionalProperties", "not")
"""Schema keywords whose value is one sub-schema."""
_BRANCHES = ("anyOf", "oneOf", "allOf", "prefixItems")
"""Schema keywords whose values list sub-schemas."""
DEEPEST = 32
"""Sub-schemas nested deeper than this are not read: a hostile server may nest without end."""


def _subschemas(schema: Any, path: str, depth: int) -> Iterator[tuple[str, str | None, dict[str, Any]]]:
    """(path, property name or None, sub-schema) for every sub-schema of ``schema`` (not ``schema``
    itself), each followed by its own, to :data:`DEEPEST` levels."""
    if not isinstance(schema, dict) or depth > DEEPEST:
        return
    children: list[tuple[str, str | None, Any]] = []
    for keyword in _NESTED:
        if isinstance(named := schema.get(keyword), dict):
            children += [(f"{path}.{keyword}.{name}", str(name) if keyword == "properties" else None, sub)
                         for name, sub in named.items()]
    children += [(f"{path}.{keyword}", None, schema[keyword]) for keyword in _SINGLE
                 if isinstance(schema.get(keyword), dict)]
    for keyword in _BRANCHES:
        if isinstance(listed := schema.get(keyword), list):
            children += [(f"{path}.{keyword}.{i}", None, sub) for i, sub in enumerate(listed)]
    for child_path, name, child in children:
        if isinstance(child, dict):
            yield child_path, name, child
            yield from _subschemas(child, child_path, depth + 1)


_LAST_NAMES: tuple[weakref.ref[ToolSpec], frozenset[str]] | None = None
"""The last tool's parameter names: every field of a tool asks for them, and a hostile tool may have
thousands of fields (recomputed per field, reading them grew with the square of their number)."""


def parameter_names(tool: ToolSpec) -> frozenset[str]:
    """The names of ``tool``'s parameters at any depth of its ``inputSchema`` (as :func:`text_fields`
    reads it)."""
    global _LAST_NAMES
    last = _LAST_NAMES
    if last is not None and last[0]() is tool:
        return last[1]
    found = frozenset(name for _, name, _ in _subschemas(tool.input_schema, "inputSchema", 0)
                      if name is not None)
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

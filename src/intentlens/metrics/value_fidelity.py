"""Value fidelity: does a recovered intent state the values the server saw, and only those?

- **Value precision**: the share of concrete values in the intent (numbers, quoted text, codes,
  addresses, dates, capitalised names) that occur in what the server observed for the trace (the
  calls' arguments and results). An invented value, such as an example copied from a tool's
  description, lowers it. No values in the intent: undefined (None).
- **Value recall**: the share of the calls' argument values (strings up to 80 characters, numbers)
  that the intent states in any surface form: case and punctuation aside, ``2024-05-15`` matches
  "May 15, 2024", ``5.0`` matches "5". No such arguments: undefined.

Neither needs a model or the true query, so an audit can report them too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from importlib.resources import files
from typing import Any

from intentlens.core import Trace, json_leaves

MONTHS = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july",
                                      "august", "september", "october", "november", "december"], start=1)}
_MONTH = (r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_DATES = [
    (re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"), ("y", "m", "d")),
    (re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b"), ("m", "d", "y")),
    (re.compile(rf"\b{_MONTH}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I), ("M", "d", "y")),
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\.?,?\s+(\d{{4}})\b", re.I),
     ("d", "M", "y")),
]
_QUOTED = re.compile(r"[\"“']([^\"”']{2,80})[\"”']")
_ADDRESS = re.compile(r"https?://\S+|(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.-]+|[#@]\w+")
_CODE = re.compile(r"\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{3,}\b")
_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:[.,]\d+)*(?![\w])")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]\w*(?:\s+[A-Z][a-z]\w*)*")
"""Capitalised words, read whole ("TikTok", "XtractPro"; not "Tik" and then "Tok")."""
_STOP_NAMES = {"I", "Could", "Can", "Please", "What", "Find", "Get", "Show", "Tell", "Give", "Also",
               "Then", "Thanks", "Thank", "Hi", "Hello", "The", "My", "Me", "Is", "Are", "Do", "Does", "How",
               "Which", "When", "Where", "Who", "Why", "List", "Check", "Send", "Create", "Make", "Let",
               "Help"}


def _date(match: re.Match[str], order: tuple[str, ...]) -> str | None:
    parts = dict(zip(order, match.groups(), strict=True))
    month = int(parts["m"]) if "m" in parts else next(
        (n for name, n in MONTHS.items() if name.startswith(parts["M"].lower()[:3])), 0)
    day, year = int(parts["d"]), int(parts["y"])
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else None


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w@.#:/-]+", " ", text.casefold()).split())


def _number(text: str) -> str | None:
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        return None
    return str(int(value)) if value == int(value) else str(value)


class Observed:
    """What the server saw for one trace, in the forms values are compared in."""

    def __init__(self, trace: Trace) -> None:
        texts = [s.call.tool for s in trace.steps]
        texts += [json.dumps(s.call.arguments, ensure_ascii=False) for s in trace.steps]
        texts += [json.dumps(s.result.content, ensure_ascii=False, default=str) for s in trace.steps
                  if s.result is not None]
        raw = " ".join(texts).replace("\\n", " ")
        self.text = _norm(raw)
        self.dates = _dates_in(raw)
        self.numbers = _numbers_in(raw)
        docs = [f"{t.name} {t.description}" for t in trace.tools]
        docs += [s.call.tool for s in trace.steps]
        self.docs = _norm(" ".join(docs).replace("_", " "))
        """Tool names and descriptions: the server's own domain words (a name there is no guess)."""
        self.written_docs = " ".join(docs)
        """The same, as written (case kept)."""
        codes = {v for s in trace.steps for v in _argument_values(s.call.arguments)}
        self.code_names = _norm(" | ".join(name for code in codes for name in code_names(code)))
        """What the country, language and state codes among the arguments stand for (``BR``: Brazil)."""

    def grounds(self, kind: str, value: str) -> bool:
        """Whether ``value`` (of ``kind``) occurs in what the server saw: as written (a whole word of
        the calls' tool names, arguments or results), as what a code argument stands for, or, for a
        name, in the server's own documentation, written joined in what it saw (``GreenEarthGrocery``
        in a page address) or as a derived form of a word it saw ("Hinduism" for ``Hindu``)."""
        if kind == "date":
            return value in self.dates
        if kind == "number":
            return value in self.numbers
        norm = _norm(value)
        if _word_in(norm, self.text) or (len(norm) > 6 and norm in self.text) \
                or _word_in(norm, self.code_names):
            return True
        if kind == "name" and " " in norm and _word_in(norm.replace(" ", ""), self.text):
            return True  # written joined in an address, handle or tag (GreenEarthGrocery)
        return kind == "name" and (_word_in(norm, self.docs) or any(
            norm.endswith(end) and len(norm) - len(end) >= 4 and _word_in(norm[:-len(end)], self.text)
            for end in _DERIVED))

    def grounds_at(self, intent: str, kind: str, value: str, span: tuple[int, int]) -> bool:
        """:meth:`grounds` for the value at ``span`` of ``intent``; a number right after a capitalised
        word also counts when the documentation writes the two together, as written ("World at War
        2", "Formula 1"): it is part of a name there, not a value of its own ("top 10" is not)."""
        if self.grounds(kind, value):
            return True
        before = _WORD_BEFORE.search(intent, 0, span[0]) if kind == "number" else None
        return before is not None and re.search(
            rf"(?<!\w){re.escape(before.group(1))}\s+{re.escape(intent[span[0]:span[1]])}(?!\w)",
            self.written_docs) is not None


_WORD_BEFORE = re.compile(r"\b([A-Z][\w.-]*)\s+$")
_DERIVED = ("s", "es", "ism", "ist", "ists", "ian", "ians", "an", "ans", "ese", "ish")
"""Endings that make a name from a word without adding a fact (Hindu, Hinduism)."""


def _word_in(needle: str, text: str) -> bool:
    return bool(needle) and re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", text) is not None


@cache
def _iso_codes() -> dict[str, dict[str, list[str]]]:
    return json.loads(files("intentlens.metrics").joinpath("iso_codes.json").read_text(encoding="utf-8"))


_CODE_TABLES = {"country": "countries", "language": "languages", "state": "us_states"}
"""The kind of code an argument names (by its key: ``country_code``, ``lang``, ``state``) and its table."""
_KEY_KINDS = [("country", re.compile(r"countr|nation|region", re.I)),
              ("language", re.compile(r"lang|locale", re.I)),
              ("state", re.compile(r"state|province", re.I))]


def code_kind(key: str) -> str | None:
    """The kind of code an argument's key says it holds ("country", "language", "state"), if any."""
    return next((kind for kind, pattern in _KEY_KINDS if pattern.search(key)), None)


def code_names(value: str, kind: str | None = None) -> list[str]:
    """The names an ISO 3166-1 country, ISO 639-1 language or US state code stands for (only the
    ``kind`` asked for, when given; none for other text)."""
    if not re.fullmatch(r"[A-Za-z]{2,3}", value):
        return []
    table = _iso_codes()
    found = {"countries": table["countries"].get(value.upper(), []),
             "languages": table["languages"].get(value.lower(), []),
             "us_states": table["us_states"].get(value.upper(), []) if len(value) == 2 else []}
    if kind is not None:
        return found[_CODE_TABLES[kind]]
    return [name for names in found.values() for name in names]


def _dates_in(text: str) -> set[str]:
    return {d for pattern, order in _DATES for m in pattern.finditer(text) if (d := _date(m, order))}


def _numbers_in(text: str) -> set[str]:
    return {n for m in _NUMBER.finditer(text) if (n := _number(m.group(0)))}


def _value(kind: str, match: re.Match[str]) -> tuple[str, str] | None:
    """The value a match stands for, or None when it is not one."""
    text = match.group(0)
    if kind == "address":
        return "text", text.rstrip(".,;")
    if kind == "quoted":
        return "text", match.group(1)
    if kind == "code":
        return None if _NUMBER.fullmatch(text) else ("text", text)
    if kind == "number":
        return ("number", n) if (n := _number(text)) else None
    return None if text.split()[0] in _STOP_NAMES else ("name", text)


_VALUES = [("address", _ADDRESS), ("quoted", _QUOTED), ("code", _CODE), ("number", _NUMBER), ("name", _NAME)]
"""In this order: a span taken by an earlier kind (a date, then an address, ...) is not read again."""


def intent_values(intent: str) -> Iterator[tuple[str, str]]:
    """(kind, value) of each concrete value in ``intent``: dates, addresses, quoted text, codes,
    numbers and capitalised names, each span read once."""
    for kind, value, _ in value_spans(intent):
        yield kind, value


def value_spans(intent: str) -> Iterator[tuple[str, str, tuple[int, int]]]:
    """(kind, value, span) of each concrete value in ``intent`` (see :func:`intent_values`)."""
    taken: list[tuple[int, int]] = []

    def free(match: re.Match[str]) -> bool:
        start, end = match.span()
        if any(a < end and start < b for a, b in taken):
            return False
        taken.append((start, end))
        return True

    for pattern, order in _DATES:
        for m in pattern.finditer(intent):
            if free(m) and (d := _date(m, order)):
                yield "date", d, m.span()
    for kind, pattern in _VALUES:
        for m in pattern.finditer(intent):
            value = _value(kind, m)
            if value is not None and free(m):
                yield value[0], value[1], m.span()


def _argument_values(value: Any) -> Iterator[str]:
    """Every number and every string of up to 80 characters among a call's arguments (stripped)."""
    for _, text in json_leaves(value):
        if 0 < len(text := text.strip()) <= 80:
            yield text


def _stated(value: str, intent: str, intent_dates: set[str], intent_numbers: set[str]) -> bool:
    number = _number(value) if _NUMBER.fullmatch(value) else None
    if number is not None:
        return number in intent_numbers
    dates = _dates_in(value)
    if dates:
        return bool(dates & intent_dates)
    return f" {_norm(value)} " in f" {_norm(intent)} "


def value_fidelity(intent: str, trace: Trace) -> tuple[float | None, float | None]:
    """(value precision, value recall) of ``intent`` for ``trace``; None where undefined."""
    values = list(value_spans(intent))
    observed = Observed(trace)
    precision = sum(observed.grounds_at(intent, k, v, span) for k, v, span in values) / len(values) \
        if values else None
    arguments = list(dict.fromkeys(v for s in trace.steps for v in _argument_values(s.call.arguments)))
    intent_dates, intent_numbers = _dates_in(intent), _numbers_in(intent)
    recall = sum(_stated(v, intent, intent_dates, intent_numbers) for v in arguments) / len(arguments) \
        if arguments else None
    return precision, recall


def ungrounded_values(intent: str, trace: Trace) -> list[str]:
    """The values of ``intent`` that the server never saw (what an audit should not claim)."""
    observed = Observed(trace)
    return [v for k, v, span in value_spans(intent) if not observed.grounds_at(intent, k, v, span)]


_PREPOSITION = r"(?:of|for|with|to|as|in|on|at|from|about|by|named|called|is|=)"
_DANGLING = re.compile(rf"\s*\b{_PREPOSITION}\s*$", re.IGNORECASE)
_FOLLOWS = re.compile(rf"^\s*(?:[?.!,;:)\]]|$|(?:and|or|{_PREPOSITION})\b)", re.IGNORECASE)
_TIDY = [(re.compile(r"\(\s*\)|\[\s*\]"), ""), (re.compile(r"\s+([?.!,;:])"), r"\1"),
         (re.compile(r"([,;:])(?=[?.!])"), ""), (re.compile(r"\s{2,}"), " ")]


def ground(intent: str, trace: Trace) -> tuple[str, list[str]]:
    """``intent`` without the concrete values the server never saw, and the values removed.

    A value is grounded when it occurs in the calls' arguments or results (the same test as value
    precision); an ungrounded one (an example copied from a tool's description, a guess) is cut out
    with what only held it: its quotes, a preposition left with nothing after it, an emptied bracket.
    """
    observed = Observed(trace)
    removed: list[str] = []
    for _ in range(4):  # a cut can join words into a new span: cut again until nothing is left
        intent, cut = _cut(intent, observed)
        if not cut:
            break
        removed += cut
    return intent, removed


def _cut(intent: str, observed: Observed) -> tuple[str, list[str]]:
    cuts = sorted((span, value) for kind, value, span in value_spans(intent)
                  if not observed.grounds_at(intent, kind, value, span))
    if not cuts:
        return intent, []
    kept, end = "", 0
    for (start, stop), _ in cuts:
        kept += intent[end:start]
        end = stop
        if _FOLLOWS.match(intent[stop:]):  # "a country of 'US'?": the "of" goes with the value
            kept = _DANGLING.sub("", kept)
    kept += intent[end:]
    for pattern, replacement in _TIDY:
        kept = pattern.sub(replacement, kept)
    return kept.strip(" ,;:"), [value for _, value in cuts]

"""Where an argument's value is found in text: the one matcher of the guard's pre-checks.

Two kinds of text, two strictnesses:

- **the user's query** (``surface_forms=True``): people write values their own way, so a number
  written ``1,000``, a date written "May 30", an IBAN with spaces, a URL without its scheme, and text
  that differs only in case and punctuation all count as the value;
- **an earlier tool result** (``surface_forms=False``): text that whoever runs a server (or an
  injection) may have written, so only the value's own characters count: whole words, case aside,
  and at least three characters, since a shorter string turns up by chance.

Applying the query's forms to results would loosen the data-flow check: on the 1,385 AgentDojo plan
cases it changes 375 of 4,941 origins, for example ``2024-05-30 11:20`` counted as found in a result
that says only "May 30".
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
_MONTH_ABBR = {m[:3]: i for m, i in _MONTHS.items()}
_NUMBER = re.compile(r"(?<![\w.])[-+]?\$?€?£?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?![\w])")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?(?:[ T].*)?$")
_MIN_LITERAL = 3
"""Shorter strings occur in result text by chance too often to count as evidence."""


def value_in_text(value: Any, text: str, *, surface_forms: bool) -> bool:
    """True when ``value`` (a string, a number, or a list whose every item is found) is in ``text``;
    ``surface_forms`` also accepts the other ways a person writes it (see the module)."""
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, list):
        return bool(value) and all(value_in_text(item, text, surface_forms=surface_forms) for item in value)
    if isinstance(value, int | float):
        return float(value) in _numbers_in(text) if surface_forms else _number_written(value, text)
    if not isinstance(value, str):
        return False
    return _stated(value.strip(), text) if surface_forms else _quoted(value.strip(), text)


def _number_written(value: int | float, text: str) -> bool:
    number = re.escape(str(int(value)) if float(value).is_integer() else str(value))
    return re.search(rf"(?<![\w.]){number}(?![\w]|\.\d)", text) is not None


def _quoted(value: str, text: str) -> bool:
    if len(value) < _MIN_LITERAL and not value.isdigit():
        return False
    return re.search(rf"(?<!\w){re.escape(value)}(?!\w)", text, re.IGNORECASE) is not None


def _stated(text: str, query: str) -> bool:
    if not text:
        return False
    if norm_text(text) and f" {norm_text(text)} " in f" {norm_text(query)} ":
        return True
    if re.fullmatch(r"[A-Za-z]{2}\d{2}[A-Za-z0-9 ]{8,}", text):  # IBAN, written with or without spaces
        return _compact(text) in _compact(query)
    if re.match(r"^https?://", text, re.IGNORECASE):
        bare = re.sub(r"^https?://(www\.)?", "", text.lower()).rstrip("/")
        return bare in query.lower()
    if _date_matches(text, query):
        return True
    try:
        return float(text.replace(",", "")) in _numbers_in(query)
    except ValueError:
        return False


def norm_text(text: str) -> str:
    """``text`` in lower case with punctuation other than that of addresses and numbers as spaces."""
    kept = re.sub(r"[^\w@.+:/-]+", " ", text.lower())
    return " ".join(re.sub(r"[.:]+(\s|$)", r" ", kept).split())


def _numbers_in(text: str) -> set[float]:
    found = set()
    for match in _NUMBER.finditer(text):
        whole = match.group(1).replace(",", "")
        found.add(float(f"{whole}.{match.group(2)}" if match.group(2) else whole))
    return found


def _dates_in(text: str) -> set[tuple[int | None, int, int | None]]:
    """(year, month, day) triples mentioned in ``text``; year or day may be unknown."""
    lowered = text.lower()
    found: set[tuple[int | None, int, int | None]] = set()
    for match in re.finditer(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", lowered):
        day = int(match.group(3)) if match.group(3) else None
        found.add((int(match.group(1)), int(match.group(2)), day))
    month_names = "|".join(list(_MONTHS) + list(_MONTH_ABBR))
    month_day = rf"\b({month_names})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?"
    for match in re.finditer(month_day, lowered):
        month = _MONTHS.get(match.group(1)) or _MONTH_ABBR[match.group(1)[:3]]
        found.add((int(match.group(3)) if match.group(3) else None, month, int(match.group(2))))
    day_month = rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({month_names})\b(?:,?\s+(\d{{4}}))?"
    for match in re.finditer(day_month, lowered):
        month = _MONTHS.get(match.group(2)) or _MONTH_ABBR[match.group(2)[:3]]
        found.add((int(match.group(3)) if match.group(3) else None, month, int(match.group(1))))
    for match in re.finditer(rf"\b({month_names})\s+(\d{{4}})\b", lowered):
        month = _MONTHS.get(match.group(1)) or _MONTH_ABBR[match.group(1)[:3]]
        found.add((int(match.group(2)), month, None))
    return found


def _date_matches(value: str, query: str) -> bool:
    match = _ISO_DATE.match(value.strip())
    if not match:
        return False
    year, month = int(match.group(1)), int(match.group(2))
    day = int(match.group(3)) if match.group(3) else None
    try:
        date(year, month, day or 1)
    except ValueError:
        return False
    for q_year, q_month, q_day in _dates_in(query):
        if q_month == month and (q_day is None or day is None or q_day == day) \
                and (q_year is None or q_year == year) and (q_day is not None or day is None):
            return True
    return False


def _compact(text: str) -> str:
    return re.sub(r"[\s-]+", "", text).upper()

"""Deterministic provenance pre-checks: settle what can be settled exactly before any judge call.

An argument equal to its schema default is ``tool_default``. An argument whose value is present in the
query, literally or after normalisation (numbers, dates, e-mail addresses, IBANs, URLs, names), is
``user_query`` with its meaning preserved. Anything else stays for the judge; an argument found nowhere
is marked as a candidate for ``illegitimate`` so the judge sees that fact.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict

_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
_MONTH_ABBR = {m[:3]: i for m, i in _MONTHS.items()}
_NUMBER = re.compile(r"(?<![\w.])[-+]?\$?€?£?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?![\w])")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?(?:[ T].*)?$")


class PrecheckResult(BaseModel):
    """What the pre-check decided for one argument."""

    model_config = ConfigDict(frozen=True)

    provenance: str | None
    """``user_query``, ``tool_default``, or None when the judge must decide."""
    candidate_illegitimate: bool = False
    """True when the value appears nowhere in the query nor the defaults."""
    reason: str = ""


def _norm_text(text: str) -> str:
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


def value_in_query(value: Any, query: str) -> bool:
    """True when ``value`` is stated in ``query``, literally or after normalisation."""
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, int | float):
        return float(value) in _numbers_in(query)
    if isinstance(value, list):
        return bool(value) and all(value_in_query(item, query) for item in value)
    if not isinstance(value, str) or not value.strip():
        return False
    text = value.strip()
    if _norm_text(text) and f" {_norm_text(text)} " in f" {_norm_text(query)} ":
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


def precheck_argument(name: str, value: Any, query: str, defaults: dict[str, Any]) -> PrecheckResult:
    """Settle one argument if an exact rule applies."""
    if name in defaults and defaults[name] == value:
        return PrecheckResult(provenance="tool_default", reason="equals the schema default")
    if value_in_query(value, query):
        return PrecheckResult(provenance="user_query", reason="stated in the query")
    if isinstance(value, str | int | float | list) and not isinstance(value, bool) \
            and str(value).strip():
        return PrecheckResult(provenance=None, candidate_illegitimate=True,
                              reason="not found in the query nor the defaults")
    return PrecheckResult(provenance=None)


_IDENTIFIER = re.compile(
    r"^(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+"                     # e-mail address
    r"|[A-Z]{2}\d{2}[A-Z0-9 ]{10,34}"                          # IBAN
    r"|(?:https?://|www\.)\S+|[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|dev|ai)(?:/\S*)?)$",  # URL
    re.IGNORECASE)


def identifiers_not_in_query(value: Any, query: str) -> list[str]:
    """E-mail addresses, IBANs and URLs in ``value`` that the query does not contain.

    An identifier cannot be paraphrased: if the user had given it, the query would hold it. So a
    judge that calls such a value ``user_query`` is wrong whatever words it quotes.
    """
    items = value if isinstance(value, list) else [value]
    return [str(item) for item in items if isinstance(item, str)
            and _IDENTIFIER.match(item.strip()) and not value_in_query(item, query)]


def evidence_in_query(evidence: str, query: str) -> bool:
    """True when the judge's quoted evidence is in the query (most of its words, in any case)."""
    words = _norm_text(evidence).split()
    if not words:
        return False
    query_text = _norm_text(query)
    if f" {' '.join(words)} " in f" {query_text} ":
        return True
    query_words = set(query_text.split())
    return sum(w in query_words for w in words) >= max(1, round(0.75 * len(words)))

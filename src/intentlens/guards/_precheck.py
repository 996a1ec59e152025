"""Deterministic provenance pre-checks: settle what can be settled exactly before any judge call.

An argument equal to its schema default is ``tool_default``. An argument whose value is present in the
query, literally or after normalisation (numbers, dates, e-mail addresses, IBANs, URLs, names), is
``user_query`` with its meaning preserved. Anything else stays for the judge; an argument found nowhere
is marked as a candidate for ``illegitimate`` so the judge sees that fact.
"""

from __future__ import annotations

import re
from typing import Any

from intentlens.core import Frozen
from intentlens.guards._values import norm_text, value_in_text


class PrecheckResult(Frozen):
    """What the pre-check decided for one argument."""

    provenance: str | None
    """``user_query``, ``tool_default``, or None when the judge must decide."""
    candidate_illegitimate: bool = False
    """True when the value appears nowhere in the query nor the defaults."""
    reason: str = ""


def value_in_query(value: Any, query: str) -> bool:
    """True when ``value`` is stated in ``query``, literally or in another surface form."""
    return value_in_text(value, query, surface_forms=True)


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
    words = norm_text(evidence).split()
    if not words:
        return False
    query_text = norm_text(query)
    if f" {' '.join(words)} " in f" {query_text} ":
        return True
    query_words = set(query_text.split())
    return sum(w in query_words for w in words) >= max(1, round(0.75 * len(words)))

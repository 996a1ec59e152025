"""Deterministic pre-checks, table-driven over many argument kinds."""

import pytest

from intentlens.guards import precheck_argument, value_in_query
from intentlens.guards._precheck import identifiers_not_in_query

Q_PAY = "Please pay $98.70 to GB29 NWBK 6016 1331 9268 19 for the December bill, due 2024-01-05."
Q_EVENT = "Who else is invited to the 'Networking event' on May 26th? Email me at emma@blue.com."
Q_SPEND = "What's my total spending in March 2022 on https://shop.example.org/orders ?"


@pytest.mark.parametrize(("value", "query", "present"), [
    (98.7, Q_PAY, True),                          # number, trailing zero and currency sign
    ("98.70", Q_PAY, True),
    (98.71, Q_PAY, False),                        # a changed amount is not present
    ("GB29NWBK60161331926819", Q_PAY, True),      # IBAN without its spaces
    ("GB29 NWBK 6016 1331 9268 20", Q_PAY, False),
    ("2024-01-05", Q_PAY, True),                  # ISO date written the same way
    ("2024-05-26", Q_EVENT, True),                # "May 26th" with the year left implicit
    ("2024-05-27", Q_EVENT, False),
    ("2022-03", Q_SPEND, True),                   # "March 2022" as a month
    ("2022-04-01", Q_SPEND, False),
    ("emma@blue.com", Q_EVENT, True),             # e-mail address
    ("attacker@evil.com", Q_EVENT, False),
    ("Networking event", Q_EVENT, True),          # name, other case, quotes dropped
    ("networking", Q_EVENT, True),
    ("https://shop.example.org/orders/", Q_SPEND, True),  # URL with scheme and trailing slash
    ("https://evil.example.com", Q_SPEND, False),
    (["emma@blue.com"], Q_EVENT, True),           # every element of a list
    (["emma@blue.com", "x@y.z"], Q_EVENT, False),
    (1000, "Send 1,000 EUR to Bob", True),        # thousands separator
    (True, Q_PAY, False),                         # booleans are never literal
    (None, Q_PAY, False),
    ("", Q_PAY, False),
    ({"city": "Paris"}, "Weather in Paris", False),  # objects go to the judge
    ("Paris", "What's the weather in Paris.", True),  # sentence punctuation
])
def test_value_in_query(value, query, present) -> None:
    assert value_in_query(value, query) is present


def test_default_beats_query_and_absent_values_are_candidates() -> None:
    defaults = {"units": "metric", "n": 10}
    assert precheck_argument("units", "metric", "weather in Lyon", defaults).provenance == "tool_default"
    assert precheck_argument("city", "Lyon", "weather in Lyon", defaults).provenance == "user_query"
    odd = precheck_argument("cc", "spy@evil.com", "weather in Lyon", defaults)
    assert odd.provenance is None and odd.candidate_illegitimate
    assert precheck_argument("n", 20, "weather in Lyon", defaults).candidate_illegitimate
    unsure = precheck_argument("flag", True, "weather in Lyon", defaults)
    assert unsure.provenance is None and not unsure.candidate_illegitimate


@pytest.mark.parametrize(("value", "foreign"), [
    ("bob@x.com", []),                                   # stated in the query
    ("jay@google.com", ["jay@google.com"]),
    (["bob@x.com", "jay@google.com"], ["jay@google.com"]),
    ("US133000000121212121212", ["US133000000121212121212"]),
    ("DE89 3704 0044 0532 0130 00", []),                  # the query's IBAN, spaced
    ("www.site.com", []),
    ("https://evil.io/a", ["https://evil.io/a"]),
    ("www.informations.com", ["www.informations.com"]),
    ("Paris", []), ("report.pdf", []), (7, []),          # not identifiers
])
def test_identifiers_the_query_lacks(value, foreign) -> None:
    query = "Send the report to bob@x.com, pay DE89370400440532013000 and check www.site.com"
    assert identifiers_not_in_query(value, query) == foreign

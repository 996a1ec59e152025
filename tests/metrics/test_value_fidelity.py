"""Value precision and recall: grounded values, surface forms, and the invented values issue 30 shows."""

from __future__ import annotations

import pytest

from intentlens.core import Step, ToolCall, ToolResult, ToolSpec, Trace
from intentlens.metrics.value_fidelity import ground, intent_values, ungrounded_values, value_fidelity

TRACE = Trace(id="t", steps=(Step(call=ToolCall(tool="get_quotes", arguments={
    "keyword": "inspiration", "limit": 5, "date": "2024-05-15", "verbose": True}),
    result=ToolResult(content={"quotes": [{"author": "Steve Jobs", "text": "Stay hungry"}]})),))


@pytest.mark.parametrize(("intent", "precision", "recall"), [
    ("Could you find me 5 quotes about 'inspiration' from May 15, 2024?", 1.0, 1.0),
    ("I want five quotes about inspiration dated 15 May 2024.", 1.0, 2 / 3),  # "five" is not 5
    ("Could you provide quotes containing the keyword 'AI'? (word inspiration)", 0.0, 1 / 3),
    ("Quotes by Steve Jobs, please", 1.0, 0.0),  # a value from the result is grounded too
    ("Find quotes", None, 0.0),
])
def test_precision_and_recall(intent: str, precision: float | None, recall: float) -> None:
    got_precision, got_recall = value_fidelity(intent, TRACE)
    assert got_precision == (pytest.approx(precision) if precision is not None else None)
    assert got_recall == pytest.approx(recall)


def test_the_invented_values_are_named() -> None:
    invented = ungrounded_values("Quotes for the sport of basketball in Paris, 10 of them", TRACE)
    assert invented == ["10", "Paris"]
    assert list(intent_values("Email bob@example.org about order A12-77 on 2024-05-15")) == [
        ("date", "2024-05-15"), ("text", "bob@example.org"), ("text", "A12-77")]


def test_a_trace_without_arguments_has_no_recall() -> None:
    bare = Trace(id="b", steps=(Step(call=ToolCall(tool="ping")),))
    assert value_fidelity("Ping the server", bare) == (None, None)


@pytest.mark.parametrize(("intent", "grounded", "removed"), [
    ("Could you provide quotes containing the keyword 'AI'? (word inspiration)",
     "Could you provide quotes containing the keyword? (word inspiration)", ["AI"]),
    ("Find 10 quotes about 'inspiration' in Paris from May 15, 2024.",
     "Find quotes about 'inspiration' from May 15, 2024.", ["10", "Paris"]),
    ("Quotes with a trend type of 'MARKET_INDEXES' and a country of 'US'?", "Quotes with a trend type and a "
     "country?", ["MARKET_INDEXES", "US"]),
    ("Quotes by Steve Jobs, please", "Quotes by Steve Jobs, please", []),
])
def test_grounding_cuts_only_what_the_server_never_saw(intent: str, grounded: str,
                                                       removed: list[str]) -> None:
    text, cut = ground(intent, TRACE)
    assert (text, cut) == (grounded, removed)
    precision, _ = value_fidelity(text, TRACE)
    assert precision in (None, 1.0)  # what is left is grounded


CODES = Trace(id="c", steps=(
    Step(call=ToolCall(tool="Kills Leaderboard WZ2", arguments={"limit": 10}), result=None),
    Step(call=ToolCall(tool="translate", arguments={"source": "en", "target": "es", "country": "BR",
                                                     "address": "Nishi-Shinjuku", "religion": "Hindu",
                                                     "page": "https://facebook.com/GreenEarthGrocery"})),))


@pytest.mark.parametrize(("intent", "removed"), [
    ("Translate it from English to Spanish for Brazil", []),         # what the codes stand for
    ("The top 10 of the WZ2 leaderboard", []),                       # the called tool's own name
    ("Rent for an address in Nishi-Shinjuku", []),                   # a name inside a hyphenated argument
    ("All castes in Hinduism", []),                                  # a derived form of an argument
    ("Translate it into German for Portugal", ["German", "Portugal"]),  # codes that were not sent
    ("All castes in Hindustan", ["Hindustan"]),                      # not an ending that adds no fact
    ("The page of Green Earth Grocery", []),                         # written joined in an address
    ("The page of Green Earth Market", ["Green Earth Market"]),
])
def test_grounding_reads_codes_tool_names_and_word_forms(intent: str, removed: list[str]) -> None:
    assert ground(intent, CODES)[1] == removed


GAME = Trace(id="g", steps=(Step(call=ToolCall(tool="Kills Leaderboard WZ2", arguments={"limit": 10})),),
             tools=(ToolSpec(name="Kills Leaderboard WZ2",
                             description="The top kills for World at War 2 (WZ2) in Call of Duty. "
                                         "Returns the Top 25 by default."),))


@pytest.mark.parametrize(("intent", "removed"), [
    ("The top 10 kills in World at War 2", []),      # the number is part of the name the docs write
    ("The top 25 players", ["25"]),                  # a documented default is not part of a name
    ("World at War 3", ["3"]),                       # nor is a number the docs do not write with it
])
def test_a_number_that_ends_a_documented_name_is_part_of_it(intent: str, removed: list[str]) -> None:
    assert ground(intent, GAME)[1] == removed
    assert (value_fidelity(intent, GAME)[0] == 1.0) is (not removed)

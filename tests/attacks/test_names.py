"""The names IntentMiner adds without a model: a tool's service and what a call's codes stand for."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intentlens.attacks import IntentMiner, isolate
from intentlens.attacks._names import code_meanings, service_of, with_names
from intentlens.backends import ManagedBackend, ScriptedBackend
from intentlens.core import Step, ToolCall, ToolResult, ToolSpec, Trace
from intentlens.metrics.value_fidelity import value_fidelity


@pytest.mark.parametrize(("description", "service"), [
    ("Retrieve the orderbook depth for a specific NFT collection on OpenSea.", "on OpenSea"),
    ("Retrieve detailed information about a specific product from Amazon using its ASIN code.",
     "from Amazon"),
    ("Searches for YouTube videos based on a query.", "on YouTube"),                # "for" reads as "on"
    ("Retrieve a list of the latest trending news from Seeking Alpha's Finance domain", "from Seeking Alpha"),
    ("Checks whether a site is blocked by the Great Firewall of China.", "by the Great Firewall of China"),
    ("Retrieves a list of players from the NBA for a specified season.", "from the NBA"),
    ("Get a list of valid languages for a given country code.", None),             # no name, no service
    ("Sends an email. Use it on Gmail.", None),                                    # the first sentence only
    ("", None),
])
def test_the_service_is_the_one_the_description_names(description: str, service: str | None) -> None:
    assert service_of(description) == service


def _record(arguments: dict, result: object = None, description: str = "") -> object:
    step = Step(call=ToolCall(tool="tool", arguments=arguments),
                result=ToolResult(content=result) if result is not None else None)
    return isolate(Trace(id="t", steps=(step,), tools=(ToolSpec(name="tool", description=description),)),
                   step)


def test_codes_are_named_by_their_kind_or_by_the_result() -> None:
    record = _record({"country": "BR", "state_code": "CA", "lang": "pt", "ticker": "TSLA", "unit": "CA"},
                     {"quote": {"symbol": "TSLA", "company_name": "Tesla, Inc."}})
    assert code_meanings(record) == {"BR": "Brazil", "CA": "California", "pt": "Portuguese",
                                     "TSLA": "Tesla, Inc."}
    # a key that names no kind of code and a result that names nothing: no guess
    assert code_meanings(_record({"symbol": "AAPL"}, {"net_income": 5})) == {}
    # a name a page address or handle writes joined, read as words
    assert code_meanings(_record({"url": "https://facebook.com/GreenEarthGrocery", "to": "@JaneDoe",
                                  "page": "https://example.com/about"})) == {
        "GreenEarthGrocery": "Green Earth Grocery", "JaneDoe": "Jane Doe"}


@pytest.mark.parametrize(("request_text", "named"), [
    ("Could you get languages for the country with the code BR?",
     "Could you get languages for the country with the code BR (Brazil) on OpenSea?"),
    ("Which languages are spoken in Brazil (BR)?", "Which languages are spoken in Brazil (BR) on OpenSea?"),
    ("Could you get the orderbook depth? I need it.",
     "Could you get the orderbook depth on OpenSea? I need it."),
    ("What is spoken in Brazil on OpenSea", "What is spoken in Brazil on OpenSea"),
    ("Which languages are spoken there", "Which languages are spoken there on OpenSea"),
    # after a quoted code, not inside its quotes: 'BR (Brazil)' is no value the call carried, and
    # grounding would cut it, code and all
    ("Could you get languages for the country 'BR'?",
     "Could you get languages for the country 'BR' (Brazil) on OpenSea?"),
    ('Could you get languages for "BR"?', 'Could you get languages for "BR" (Brazil) on OpenSea?'),
])
def test_names_go_where_the_request_lacks_them(request_text: str, named: str) -> None:
    record = _record({"country": "BR"}, {"languages": ["Portuguese"]},
                     "Retrieve the orderbook depth for a collection on OpenSea.")
    assert with_names(request_text, record, service=True, codes=True) == named
    assert with_names(request_text, record, service=False, codes=False) == request_text


def test_a_named_quoted_code_survives_grounding() -> None:
    from intentlens.attacks._base import IntentInference
    from intentlens.attacks.grounded import grounded

    step = Step(call=ToolCall(tool="lookup", arguments={"state_code": "CA", "plate": "4ABC123"}))
    trace = Trace(id="t", steps=(step,), tools=(ToolSpec(name="lookup", description="VIN lookup."),))
    named = with_names("Could you look up the state code 'CA' and the plate '4ABC123'?",
                       isolate(trace, step), service=True, codes=True)
    kept = grounded(IntentInference(trace_id="t", method="intentminer", intent=named), trace).intent
    assert kept == "Could you look up the state code 'CA' (California) and the plate '4ABC123'?"


@given(st.text(max_size=80), st.dictionaries(st.sampled_from(["country", "lang", "state", "id", "x"]),
                                             st.text(max_size=6), max_size=4),
       st.text(max_size=120))
def test_every_added_name_is_grounded(request_text: str, arguments: dict, description: str) -> None:
    record = _record(arguments, {"items": [{"id": v, "name": "Named Thing"} for v in arguments.values()]},
                     description)
    named = with_names(request_text, record, service=True, codes=True)
    added = named.replace(request_text, "", 1) if request_text in named else named
    trace = Trace(id="t", steps=(Step(call=ToolCall(tool="tool", arguments=arguments),
                                      result=ToolResult(content=record.returned_result)),),
                  tools=(ToolSpec(name="tool", description=description),))
    before, _ = value_fidelity(request_text, trace)
    after, _ = value_fidelity(named, trace)
    assert named.startswith(request_text[:1])
    assert len(named) >= len(request_text)
    if before in (None, 1.0) and added:
        assert after in (None, 1.0), named  # nothing the server did not see was added


async def test_intentminer_names_the_service_and_codes_and_its_ablations_do_not() -> None:
    tool = ToolSpec(name="Get Languages", description="Languages of a country, from the World Factbook.",
                    input_schema={"type": "object", "properties": {"country": {"type": "string"}}})
    step = Step(call=ToolCall(tool="Get Languages", arguments={"country": "BR"}),
                result=ToolResult(content={"languages": ["Portuguese"]}))
    trace = Trace(id="b", steps=(step,), tools=(tool,), query="languages of Brazil")

    def replies() -> ScriptedBackend:
        return ScriptedBackend([{"domain": "geography", "purpose": "languages",
                                 "request": "Which languages?"},
                                {"values": "BR", "request": "Which languages are spoken in BR?"},
                                {"fits": True, "request": "Which languages are spoken in BR?"}])

    full = await IntentMiner(ManagedBackend(replies())).infer(trace)
    assert full.intent == "Which languages are spoken in BR (Brazil) from the World Factbook?"
    no_result = await IntentMiner(ManagedBackend(replies()), ablate=["result"]).infer(trace)
    assert no_result.intent == "Which languages are spoken in BR from the World Factbook?"

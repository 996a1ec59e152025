"""``ask()`` and the reply models: the schema each step sends, and how a reply is read."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

import pytest
from pydantic import BaseModel, BeforeValidator

from intentlens.attacks.adaptive import SelectReply
from intentlens.attacks.baselines import CotReply, NoCotReply
from intentlens.attacks.direct import DirectReply
from intentlens.attacks.intentminer import (
    AggregateReply,
    BriefPurposeReply,
    BriefReply,
    PurposeReply,
    ResultReply,
    StatementReply,
)
from intentlens.backends import (
    Bounded,
    Completion,
    JsonObject,
    ManagedBackend,
    ScriptedBackend,
    ask,
    only_integers,
    read_reply,
    reply_schema,
)
from intentlens.core import Usage
from intentlens.guards.baselines import CheckReply, PlanReply
from intentlens.guards.vista import intent_schema, provenance_schema
from intentlens.metrics.intent_alignment import JudgeVote
from intentlens.scan.judge import DescriptionVerdict


def _strings(**bounds: int) -> dict[str, Any]:
    return {name: {"type": "string", "maxLength": n} for name, n in bounds.items()}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(properties)}


REQUEST = {"type": "string", "minLength": 3, "maxLength": 300}
INTENT = {"type": "string", "minLength": 3, "maxLength": 400}
STEPS = {"type": "array", "items": {"type": "integer"}, "maxItems": 20}
ENTRY = _object({"evidence": {"type": "string", "maxLength": 120},
                 "provenance": {"enum": ["user_query", "tool_default", "illegitimate"]},
                 "preserved": {"type": "boolean"}})

# The schemas the committed benchmark results were produced with, written out by hand before the
# reply models existed. The same schema means the same request (and cache key), so the same reply.
PRODUCED_WITH: list[tuple[type[BaseModel], dict[str, Any]]] = [
    (PurposeReply, _object({**_strings(domain=60, purpose=120), "request": REQUEST})),
    (StatementReply, _object({**_strings(values=240), "request": REQUEST})),
    (ResultReply, _object({"fits": {"type": "boolean"}, "request": REQUEST})),
    (BriefPurposeReply, _object({**_strings(domain=60), "request": REQUEST})),
    (BriefReply, _object({"request": REQUEST})),
    (AggregateReply, _object({"request": {**REQUEST, "maxLength": 600}})),
    (NoCotReply, _object({"intent": INTENT})),
    (CotReply, _object({**_strings(tool_analysis=400, call_analysis=400, result_analysis=400),
                        "intent": INTENT})),
    (SelectReply, _object({"reason": {"type": "string", "maxLength": 200},
                           "genuine": {"type": "array", "items": {"type": "integer"}, "minItems": 1,
                                       "maxItems": 10}})),
    (PlanReply, _object({**_strings(analysis=300), "verdict": {"enum": ["aligned", "misaligned"]},
                         "misaligned_steps": STEPS, **_strings(reason=240)})),
    (CheckReply, _object({**_strings(observation=240, thought=300),
                          "conclusion": {"enum": ["hijacked", "on_track"]}, "misaligned_steps": STEPS})),
    (JudgeVote, _object({**_strings(reason=200), "result": {"enum": ["Correct", "Incorrect"]}})),
]


@pytest.mark.parametrize(("model", "schema"), PRODUCED_WITH, ids=lambda v: getattr(v, "__name__", ""))
def test_each_reply_model_sends_the_schema_the_results_were_produced_with(
        model: type[BaseModel], schema: dict[str, Any]) -> None:
    sent = reply_schema(model)
    assert sent == schema
    assert list(sent["properties"]) == list(schema["properties"])  # the order the model writes them in


def test_vista_schemas_keep_their_shape_and_their_reason_bound() -> None:
    analysis = _strings(core_intent=160, tool_behaviour=200)
    assert intent_schema(100, reason_on_allow=True) == _object(
        {**analysis, "verdict": {"enum": ["serves_request", "not_requested"]}, **_strings(reason=100)})
    allow, refuse = intent_schema(100)["anyOf"]  # a reason only for a refusal
    assert allow == {**_object({**analysis, "verdict": {"const": "serves_request"}}),
                     "additionalProperties": False}
    assert refuse == {**_object({**analysis, "verdict": {"const": "not_requested"},
                                 **_strings(reason=100)}), "additionalProperties": False}
    names = ["to", "description", "title"]  # field names that are also schema keywords survive
    assert provenance_schema(names, 150) == _object({"arguments": _object({n: ENTRY for n in names}),
                                                     **_strings(reason=150)})


@pytest.mark.parametrize("model", [DirectReply, DescriptionVerdict])
def test_dropping_titles_leaves_the_local_grammar_unchanged(model: type[BaseModel]) -> None:
    """These two sent pydantic's raw schema (titles, a description) before; the grammar llama.cpp
    decodes under is the same without them, so the replies are too."""
    grammar = pytest.importorskip("llama_cpp.llama_grammar")
    assert "title" not in json.dumps(reply_schema(model))
    assert grammar.json_schema_to_gbnf(json.dumps(reply_schema(model))) == \
        grammar.json_schema_to_gbnf(json.dumps(model.model_json_schema()))


def test_an_allowing_reply_ends_at_its_verdict_under_the_local_grammar() -> None:
    """llama.cpp's grammar for the tool-intent schema: after ``serves_request`` only the closing brace
    may follow; after ``not_requested``, the reason."""
    llama_grammar = pytest.importorskip("llama_cpp.llama_grammar")
    grammar = llama_grammar.json_schema_to_gbnf(json.dumps(intent_schema(100)))
    rules = dict(line.split(" ::= ", 1) for line in grammar.splitlines())
    allow, refuse = (rules[f"alternative-{i}"] for i in (0, 1))
    assert allow.endswith('alternative-0-verdict-kv "}" space') and "reason" not in allow
    assert refuse.endswith('alternative-1-verdict-kv "," space alternative-1-reason-kv "}" space')


def test_reply_schema_is_a_fresh_copy() -> None:
    reply_schema(PlanReply)["properties"].clear()
    assert "verdict" in reply_schema(PlanReply)["properties"]


class _Reply(BaseModel):
    reason: Annotated[str, Bounded(5)] = ""
    verdict: Literal["yes", "no"]
    steps: Annotated[list[int], BeforeValidator(only_integers)] = []


def _completion(text: str, parsed: Any = None) -> Completion:
    usage = Usage(prompt_tokens=3, completion_tokens=2)
    return Completion(text=text, parsed=parsed, model="test", usage=usage)


def test_bounds_are_asked_for_but_not_enforced_on_reading() -> None:
    reply, error = read_reply(_Reply, _completion('{"reason": "far too long", "verdict": "no"}'))
    assert error is None and reply is not None and reply.reason == "far too long"
    assert reply_schema(_Reply)["properties"]["reason"] == {"type": "string", "maxLength": 5}


def test_a_reply_is_read_from_json_around_prose_and_integers_are_filtered() -> None:
    reply, _ = read_reply(_Reply, _completion('Sure: {"verdict": "yes"} done'))
    assert reply is not None and reply.verdict == "yes" and reply.steps == []
    reply, _ = read_reply(_Reply, _completion("", parsed={"verdict": "no", "steps": [1, "x", 3, None]}))
    assert reply is not None and reply.steps == [1, 3]


def test_unusable_replies_say_why_without_raising() -> None:
    assert read_reply(_Reply, _completion("no json here"))[1] == \
        "no JSON value found in the reply; reply began: 'no json here'"
    reply, error = read_reply(_Reply, _completion('{"verdict": "maybe"}'))
    assert reply is None and error is not None
    assert error.startswith("unusable reply (verdict: Input should be")


def test_prose_readers_handle_replies_without_json() -> None:
    vote, _ = read_reply(JudgeVote, _completion("The intent matches. Verdict: Correct"))
    assert vote is not None and vote.result == "Correct"
    intent, _ = read_reply(NoCotReply, _completion('intent = ["Book a table for two"]'))
    assert intent is not None and intent.statement == "Book a table for two"
    empty, error = read_reply(PurposeReply, _completion('{"request": "   "}'))
    assert empty is None and error is not None and error.startswith("the intent is empty")


async def test_ask_sends_the_models_schema_and_returns_usage() -> None:
    backend = ScriptedBackend([{"reason": "ok", "verdict": "yes", "steps": [2]}])
    answer = await ask(ManagedBackend(backend), _Reply, "the prompt", system="be brief")
    assert answer.reply is not None and answer.reply.steps == [2] and answer.error is None
    request = backend.history[0]
    assert [m.role for m in request.messages] == ["system", "user"]
    assert request.schema == reply_schema(_Reply)
    assert answer.usage.total_tokens > 0


async def test_ask_with_a_run_time_schema() -> None:
    schema = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
    backend = ScriptedBackend([{"city": "Lyon"}])
    answer = await ask(ManagedBackend(backend), JsonObject, "invent", schema=schema)
    assert answer.reply is not None and answer.reply.root == {"city": "Lyon"}
    assert backend.history[0].schema == schema

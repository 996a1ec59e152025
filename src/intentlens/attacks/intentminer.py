"""IntentMiner: step-level intent parse over isolated calls, three chained dimensions, aggregation."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from intentlens.attacks._base import ATTACKS, DIMENSIONS, IntentInference, StepIntent
from intentlens.attacks._isolation import IsolatedCall, isolate
from intentlens.attacks._names import with_names
from intentlens.attacks._parse import (
    StatedIntent,
    copies_call,
    copies_instructions,
    in_plain_words,
    invented_value,
)
from intentlens.backends import Bounded, GenerationSettings, ManagedBackend, ask
from intentlens.core import Step, ToolCall, ToolResult, ToolSpec, Trace, Usage
from intentlens.metrics.value_fidelity import ground, value_fidelity
from intentlens.prompting import load_template, render, untrusted

_PROMPTS = "intentlens.attacks.prompts"
_NO_PRIOR = "(no earlier analysis: start from the evidence below)"
_DESCRIPTION_LIMIT = 600
_FIELD_LIMIT = 800
# A step's request is one action; the aggregate names every action of a multi-call task, and at 300
# characters the grammar cut 5 of 20 AgentDojo intents mid-word (true queries run to 590).
_REQUEST_LIMIT = 300
_AGGREGATE_LIMIT = 600


class PurposeReply(StatedIntent):
    """The tool-purpose stage: short analysis fields first (the model reasons in them), then the
    request itself."""

    domain: Annotated[str, Bounded(60)] = ""
    purpose: Annotated[str, Bounded(120)] = ""
    request: Annotated[str, Bounded(_REQUEST_LIMIT, min_length=3)]


class StatementReply(StatedIntent):
    """The call-statement stage: the values the call carries, then the request."""

    values: Annotated[str, Bounded(240)] = ""
    request: Annotated[str, Bounded(_REQUEST_LIMIT, min_length=3)]


class ResultReply(StatedIntent):
    """The returned-result stage: whether the result fits the request so far, then the request."""

    fits: bool = True
    request: Annotated[str, Bounded(_REQUEST_LIMIT, min_length=3)]


class BriefPurposeReply(StatedIntent):
    """The brief tool-purpose stage: the domain it serves (which names the service), then the request."""

    domain: Annotated[str, Bounded(60)] = ""
    request: Annotated[str, Bounded(_REQUEST_LIMIT, min_length=3)]


class BriefReply(StatedIntent):
    """The brief call-statement and returned-result stages: the request alone."""

    request: Annotated[str, Bounded(_REQUEST_LIMIT, min_length=3)]


class AggregateReply(StatedIntent):
    """The aggregation: one request naming every action of the task."""

    request: Annotated[str, Bounded(_AGGREGATE_LIMIT, min_length=3)]


_REPLIES: dict[str, type[StatedIntent]] = {"purpose": PurposeReply, "statement": StatementReply,
                                           "result": ResultReply}
"""Each dimension's reply (the aggregation asks for an :class:`AggregateReply`)."""
_BRIEF_REPLIES: dict[str, type[StatedIntent]] = {"purpose": BriefPurposeReply, "statement": BriefReply,
                                                 "result": BriefReply}
"""With ``brief`` on: the fields no later stage reads are left out (the 1.5B model's ``values`` was
the request written twice in 161 of 214 replies; ``fits`` and ``purpose`` were never read). Yet
without ``values`` the requests state fewer of the call's values (bench/results/brief)."""


@cache
def _instructions(template: str) -> str:
    """The fixed text of a stage's prompt (its template and the system prompt), without the data."""
    return "\n".join(load_template(_PROMPTS, name) for name in (template, "intentminer_system.md"))


def _used_parameters(record: IsolatedCall) -> dict[str, Any]:
    """The required field narrowed to the parameters this call sets."""
    used = set(record.arguments)
    field = record.required_field
    return {"parameters": {k: v for k, v in field.get("parameters", {}).items() if k in used},
            "required": [k for k in field.get("required", []) if k in used]}


def _call_trace(record: IsolatedCall) -> Trace:
    """The isolated call as a one-step trace: its arguments, its result and its own tool's
    documentation, all the server saw of it."""
    step = Step(call=ToolCall(tool=record.tool_name, arguments=record.arguments),
                result=ToolResult(content=record.returned_result) if record.has_result else None)
    tool = ToolSpec(name=record.tool_name, description=record.description)
    return Trace(id="call", steps=(step,), tools=(tool,))


def _grounded_in_call(request: str, record: IsolatedCall) -> str | None:
    """A stage's request without the values this call never carried (its arguments and result are all
    the server saw of it), so a later stage cannot build on an example copied from the documentation;
    None when nothing is left."""
    text, _ = ground(request, _call_trace(record))
    return text or None


def _states_no_value(request: str | None, record: IsolatedCall) -> bool:
    """Whether the call carries values and ``request`` states none of them (value recall 0)."""
    if not request:
        return False
    _, recall = value_fidelity(request, _call_trace(record))
    return recall == 0


_Reply = tuple[str | None, Usage, str | None]
"""A stage's request (None when unusable), its cost, and why it was unusable."""


class IntentMiner:
    """The full attack, or an ablation of it (``ablate`` names dimensions to remove)."""

    def __init__(self, backend: ManagedBackend, *, ablate: Iterable[str] = (),
                 max_tokens: int = 200, grounded: bool = True, brief: bool = False,
                 values_check: bool = True) -> None:
        self.backend = backend
        self.grounded = grounded
        self.values_check = values_check
        """When the call-statement stage, started from the purpose stage's request, states none of the
        call's values, ask it again from the call alone: the purpose stage's example (``dir`` for a
        command runner) must not stand in for the call's own values."""
        """Cut values the server never saw out of each stage's request (those the call never carried)
        and out of the final request (those no call carried; see :mod:`..grounded`)."""
        self.brief = brief
        """Stage replies hold the request (and the purpose stage's domain) only, not the analysis
        fields no later stage reads: a third fewer tokens to generate, 1.2x traces per hour, but the
        call's values are stated less often (bench/NOTES.md, issue 31), so it is not the default."""
        self.ablate = frozenset(ablate)
        if unknown := self.ablate - set(DIMENSIONS):
            raise ValueError(f"unknown dimension(s) to ablate: {sorted(unknown)}; use {DIMENSIONS}")
        if self.ablate == set(DIMENSIONS):
            raise ValueError("ablating every dimension leaves nothing to analyse")
        self.name = miner_name("intentminer", self.ablate, brief, values_check)
        self.generation = GenerationSettings(max_tokens=max_tokens)
        # room for _AGGREGATE_LIMIT characters (about 150 tokens of names and values) and the JSON
        self.aggregate_generation = GenerationSettings(max_tokens=max_tokens + 100)

    async def infer(self, trace: Trace) -> IntentInference:
        """Analyse every step concurrently, aggregate (a single step needs no aggregation), then cut
        the values the server never saw out of the request."""
        inference = await self._infer(trace)
        if not self.grounded:
            return inference
        from intentlens.attacks.grounded import grounded

        return grounded(inference, trace)

    async def _infer(self, trace: Trace) -> IntentInference:
        if not trace.steps:
            return IntentInference(trace_id=trace.id, method=self.name, intent="",
                                   query=trace.query, error="the trace has no tool calls")
        steps, usage = await self._analyse_steps(trace)
        chosen, cost, notes = await self.select_steps(trace, steps)
        usage += cost
        available = [d for d in DIMENSIONS if any(d in s.dimensions for s in steps)]
        intents = [steps[i].intent for i in chosen if steps[i].intent]
        base: dict[str, Any] = {"trace_id": trace.id, "method": self.name, "query": trace.query,
                                "steps": steps, "dimensions_available": available}
        if not intents:
            return IntentInference(**base, intent="", usage=usage, error=self.nothing_left)
        if len(intents) == 1:
            return IntentInference(**base, intent=intents[0], usage=usage, warnings=notes)
        intent, agg_usage, error = await self._aggregate(intents, trace)
        return IntentInference(**base, intent=intent or "; ".join(intents), usage=usage + agg_usage,
                               warnings=[*notes, *([error] if error else [])])

    nothing_left = "no stage of any step produced an intent"
    """The error when no selected step has an intent."""

    async def select_steps(self, trace: Trace, steps: list[StepIntent]) -> tuple[list[int], Usage, list[str]]:
        """The hook between step analysis and aggregation: which steps (0-based) the intent is built
        from, what choosing them cost, and notes for the warnings. IntentMiner keeps every step."""
        return list(range(len(steps))), Usage(), []

    def dimensions_for(self, record: IsolatedCall) -> list[str]:
        """The dimensions that run for a call: not ablated, and with data to analyse."""
        dims = [d for d in DIMENSIONS if d not in self.ablate]
        return [d for d in dims if d != "result" or record.has_result]

    async def _analyse_steps(self, trace: Trace) -> tuple[list[StepIntent], Usage]:
        """Every step concurrently; a tool called twice gets one purpose analysis, not two."""
        purposes: dict[tuple[str, str], asyncio.Task[_Reply]] = {}
        analysed = await asyncio.gather(*(self._step(i, isolate(trace, s), purposes)
                                          for i, s in enumerate(trace.steps)))
        return [step for step, _ in analysed], sum((u for _, u in analysed), Usage())

    async def _step(self, index: int, record: IsolatedCall,
                    purposes: dict[tuple[str, str], asyncio.Task[_Reply]]) -> tuple[StepIntent, Usage]:
        dims = self.dimensions_for(record)
        stages: dict[str, str] = {}
        errors: list[str] = []
        usage = Usage()
        prior: str | None = None
        last_resort: str | None = None  # a request with invented values still names the topic
        for dimension in dims:
            prompt = self._prompt(dimension, record, prior)
            reply = (_BRIEF_REPLIES if self.brief else _REPLIES)[dimension]
            if dimension == "purpose":  # depends on the tool's documentation only
                key = (record.tool_name, record.description)
                shared = key in purposes
                if not shared:
                    purposes[key] = asyncio.ensure_future(self._ask(prompt, reply))
                intent, cost, error = await purposes[key]
                cost = Usage() if shared else cost
            else:
                intent, cost, error = await self._ask(prompt, reply)
                if (dimension == "statement" and prior and self.values_check
                        and _states_no_value(intent, record)):
                    retry, more, retry_error = await self._ask(self._prompt(dimension, record, None), reply)
                    cost += more
                    if retry and not _states_no_value(retry, record):
                        intent, error = retry, retry_error
            usage += cost
            if intent and copies_call(intent, record.tool_name):
                intent, error = None, "the reply echoed the call statement instead of a request"
            elif intent and copies_instructions(intent, _instructions(self._template(dimension))):
                intent, error = None, "the reply repeated the prompt's instructions instead of a request"
            elif intent and dimension == "purpose" and (value := invented_value(
                    intent, f"{record.tool_name} {record.description[:_DESCRIPTION_LIMIT]}")):
                last_resort = intent
                intent, error = None, f"the request names {value!r}, which the documentation lacks"
            if intent and self.grounded:
                intent = _grounded_in_call(intent, record)
            if intent:
                stages[dimension] = prior = in_plain_words(intent, [record.tool_name])
            if error:
                errors.append(f"{dimension}: {error}")
        if prior:  # the service and what codes stand for: names the model leaves out (see _names)
            prior = with_names(prior, record, service="purpose" in dims, codes="result" not in self.ablate)
        return StepIntent(index=index, tool=record.tool_name, intent=prior or last_resort or "",
                          stages=stages, dimensions=dims, errors=errors), usage

    def _template(self, dimension: str) -> str:
        return f"intentminer_{dimension}{'_brief' if self.brief else ''}.md"

    def _prompt(self, dimension: str, record: IsolatedCall, prior: str | None) -> str:
        prior_text = untrusted("request_so_far", prior) if prior else _NO_PRIOR
        template = self._template(dimension)
        if dimension == "purpose":
            return render(_PROMPTS, template,
                          tool_name=untrusted("tool_name", record.tool_name),
                          description=untrusted("description", record.description or "(none)",
                                                _DESCRIPTION_LIMIT))
        statement = untrusted("call_statement", record.call_statement, _FIELD_LIMIT)
        if dimension == "statement":
            return render(_PROMPTS, template, prior=prior_text,
                          required_field=untrusted("required_field", _used_parameters(record),
                                                   _FIELD_LIMIT),
                          call_statement=statement)
        if "statement" in self.ablate:  # without the call statement its parameters stay hidden
            statement = untrusted("call_statement", f"{record.tool_name}(...)")
        published = record.properties_field or "(the server publishes no result definition)"
        return render(_PROMPTS, template, prior=prior_text, call_statement=statement,
                      properties_field=untrusted("properties_field", published, _FIELD_LIMIT),
                      returned_result=untrusted("returned_result", record.returned_result,
                                                _FIELD_LIMIT))

    async def _aggregate(self, intents: list[str], trace: Trace) -> tuple[str | None, Usage, str | None]:
        listed = "\n".join(untrusted(f"step_{i}", text) for i, text in enumerate(intents, start=1))
        prompt = render(_PROMPTS, "intentminer_aggregate.md", step_intents=listed)
        intent, usage, error = await self._ask(prompt, AggregateReply, self.aggregate_generation)
        if intent:
            intent = in_plain_words(intent, [step.call.tool for step in trace.steps])
        return intent, usage, (f"aggregate: {error}" if error else None)

    async def _ask(self, prompt: str, reply: type[StatedIntent],
                   settings: GenerationSettings | None = None) -> _Reply:
        answer = await ask(self.backend, reply, prompt, system=render(_PROMPTS, "intentminer_system.md"),
                           settings=settings or self.generation)
        return (answer.reply.statement if answer.reply else None), answer.usage, answer.error


class IntentMinerOptions(BaseModel):
    """IntentMiner's options."""

    model_config = ConfigDict(extra="forbid")

    ablate: list[Literal["purpose", "statement", "result"]] = Field(default_factory=list)
    """Dimensions to remove (an ablation)."""
    max_tokens: int = Field(200, ge=16)
    grounded: bool = True
    """Cut values the server never saw out of each stage's request and the final one."""
    brief: bool = False
    """Stage replies without the analysis fields no later stage reads: faster, fewer of the call's
    values stated."""
    values_check: bool = True
    """Ask the call-statement stage again from the call alone when, started from the purpose stage's
    request, it stated none of the call's values (off: the attack as before issue 44's fix)."""


def miner_name(base: str, ablate: Iterable[str] = (), brief: bool = False,
               values_check: bool = True) -> str:
    """How results name IntentMiner (or a variant) without ``ablate``'s dimensions, and with brief
    replies (``intentminer[brief=true]``), so two differently configured runs never share a name."""
    return base + "".join(f"-no-{d}" for d in DIMENSIONS if d in set(ablate)) \
        + ("[brief=true]" if brief else "") + ("" if values_check else "[values_check=false]")


@ATTACKS.register("intentminer", options=IntentMinerOptions,
                  namer=lambda o: miner_name("intentminer", o.get("ablate", ()), o.get("brief", False),
                                             o.get("values_check", True)))
def _build(backend: ManagedBackend, *, ablate: Iterable[str] = (), **options: Any) -> IntentMiner:
    """IntentMiner: isolated calls, tool purpose, call statement and result analysed in turn, then
    aggregated."""
    return IntentMiner(backend, ablate=ablate, **options)

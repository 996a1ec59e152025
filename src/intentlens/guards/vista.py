"""VISTA: per-call isolated verification, tool-intent and parameter-provenance validation.

A step passes only if its tool serves the query and every argument comes from the query (meaning
preserved) or the tool's defaults; a plan passes only if every step does. Judge failures block the
step (fail-closed) unless the guard is built with ``fail_open=True``. With pre-checks on, provenance
runs first and a step it fails skips the tool-intent call (its ``tool_intent_ok`` stays None), and
the steps are verified most suspicious first, stopping at the first that fails (the plan's verdict is
then settled; the rest are marked ``skipped``). Plain VISTA always runs both validations on every
step, as the paper does.
"""

from __future__ import annotations

import asyncio
import time
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from intentlens.backends import Bounded, GenerationSettings, ManagedBackend, ask, reply_schema
from intentlens.core import Plan, ToolSpec, Usage
from intentlens.errors import IntentLensError
from intentlens.guards._base import GUARDS, ArgumentVerdict, PlanVerdict, StepVerdict
from intentlens.guards._dataflow import ResultText, Taint, origin_in, read_result
from intentlens.guards._ivc import IsolatedVerificationContext, build_ivc
from intentlens.guards._planted import describe as describe_planted
from intentlens.guards._planted import planted
from intentlens.guards._precheck import evidence_in_query, identifiers_not_in_query, precheck_argument
from intentlens.guards._triage import CallView, Triage, features
from intentlens.guards.metadata_scan import DESCRIPTION_RULES, scan_text
from intentlens.prompting import escape, render, untrusted

_PROMPTS = "intentlens.guards.prompts"
_LIMIT = 1500
_VERDICTS = {"serves_request": True, "not_requested": False}
REASON_CHARS = 100
"""How long the judge's reason may be. It comes after the verdict in every reply, so its length cannot
change the verdict (the reply is generated in order); it only costs time, about a second per 50
characters on 2 cores (it was 200 before bench/results/speed measured that)."""


class ToolIntentReply(BaseModel):
    """Tool-intent validation: what the user asked, what the call does, the verdict, then the reason."""

    core_intent: Annotated[str, Bounded(160)] = ""
    tool_behaviour: Annotated[str, Bounded(200)] = ""
    verdict: Literal["serves_request", "not_requested"]
    reason: str = ""
    """Bounded by the guard's ``reason_chars`` in the schema it sends."""


class ArgumentProvenance(BaseModel):
    """Parameter-provenance validation of one argument: the quote it rests on, its label, and whether
    a value from the query kept its meaning."""

    evidence: Annotated[str, Bounded(120)] = ""
    provenance: Literal["user_query", "tool_default", "illegitimate"]
    preserved: bool = True


class ProvenanceReply(BaseModel):
    """One :class:`ArgumentProvenance` per argument under review (checked one by one), then a reason."""

    arguments: dict[str, Any]
    reason: str = ""


def intent_schema(reason_chars: int = REASON_CHARS, reason_on_allow: bool = False) -> dict[str, Any]:
    """The tool-intent reply's schema, its reason bounded at ``reason_chars``.

    Unless ``reason_on_allow``, the reply ends at the verdict when it is ``serves_request``: an allowed
    call's reason is never shown, and the fields before the verdict are the same either way, so under
    greedy decoding the verdict is too (about 20 fewer tokens to generate for every allowed call)."""
    schema = reply_schema(ToolIntentReply)
    reason = {"type": "string", "maxLength": reason_chars}
    if reason_on_allow:
        return {**schema, "properties": {**schema["properties"], "reason": reason}}
    before = {k: v for k, v in schema["properties"].items() if k not in ("verdict", "reason")}

    def ending(verdict: str, **more: Any) -> dict[str, Any]:
        properties = {**before, "verdict": {"const": verdict}, **more}
        return {"type": "object", "properties": properties, "required": list(properties),
                "additionalProperties": False}

    return {"anyOf": [ending("serves_request"), ending("not_requested", reason=reason)]}


def provenance_schema(names: list[str], reason_chars: int = REASON_CHARS) -> dict[str, Any]:
    """The provenance reply's schema: one required :class:`ArgumentProvenance` per argument name."""
    entry = reply_schema(ArgumentProvenance)
    return {"type": "object",
            "properties": {"arguments": {"type": "object",
                                         "properties": {n: entry for n in names},
                                         "required": names},
                           "reason": {"type": "string", "maxLength": reason_chars}},
            "required": ["arguments", "reason"]}


def _is_default(ivc: IsolatedVerificationContext, name: str) -> bool:
    return name in ivc.defaults and ivc.defaults[name] == ivc.arguments[name]


Prechecks = dict[str, tuple[ArgumentVerdict | None, str]]
"""Per argument: the pre-checks' verdict, or None and a note for the judge."""


Judged = TypeVar("Judged", ToolIntentReply, ProvenanceReply)


class JudgeFailure(Exception):
    """The judge's reply could not be used."""


class Vista:
    """The VISTA guard; ``precheck=False`` is plain VISTA (every argument goes to the judge)."""

    def __init__(self, backend: ManagedBackend, *, precheck: bool = True, fail_open: bool = False,
                 early_exit: bool | None = None, stop_at_first_failure: bool | None = None,
                 grounded_evidence: bool = True, dataflow: bool = False,
                 taint: Taint = "span", max_tokens: int = 300, description_detector: Any = None,
                 reason_chars: int = REASON_CHARS, reason_on_allow: bool = False,
                 triage: Triage | None = None) -> None:
        self.backend = backend
        self.triage = triage
        """The trained stage between the pre-checks and the judge (None: every unsettled call goes to
        the judge)."""
        self.description_detector = description_detector
        """A tool-poisoning detector (``intentlens.scan``) for the description in each isolated context;
        None applies the description rules, as the benchmarks did. The proxy passes its own scanner."""
        self.precheck = precheck
        self.dataflow = dataflow
        """Settle a value found in a clean result of an earlier call as ``earlier_result``."""
        self.taint: Taint = taint
        """What instruction-like text taints: the whole ``result``, or only its ``span``."""
        self.grounded_evidence = grounded_evidence
        """Overrule a ``user_query`` label whose quoted evidence is not in the query."""
        self.early_exit = precheck if early_exit is None else early_exit
        """Validate provenance first and skip the tool-intent call of a step it already fails."""
        self.stop_at_first_failure = precheck if stop_at_first_failure is None else stop_at_first_failure
        """Verify steps one by one, most suspicious first, and skip the rest once one fails."""
        self.fail_open = fail_open
        self.name = ("vista" if precheck else "vista-plain") + ("" if grounded_evidence else "-lenient") \
            + ("-dataflow" if dataflow else "") + ("-triage" if triage is not None else "")
        self.generation = GenerationSettings(max_tokens=max_tokens)
        self.reason_chars = reason_chars
        self._intent_schema = intent_schema(reason_chars, reason_on_allow)
        """The tool-intent reply's schema; with ``reason_on_allow`` the judge writes a reason for an
        allowed call too (never shown; off saves time)."""

    async def verify(self, plan: Plan) -> PlanVerdict:
        """Verify every step; the plan passes only if all pass."""
        started = time.perf_counter()
        contexts = [build_ivc(plan, call) for call in plan.calls]
        earlier = self._earlier_texts(plan)
        checks = [self._prechecks(ivc, earlier[i], plan.tools) for i, ivc in enumerate(contexts)]
        views: list[CallView | None] = [None] * len(contexts)
        if self.triage is not None and self.precheck:
            views = [self._view(plan, ivc, checks[i], earlier[i]) for i, ivc in enumerate(contexts)]
        if self.stop_at_first_failure:
            results = await self._until_first_failure(contexts, checks, views)
        else:
            results = list(await asyncio.gather(*(self.verify_step(i, ivc, checks[i], views[i])
                                                  for i, ivc in enumerate(contexts))))
        steps = [step for step, _ in results]
        usage = sum((u for _, u in results), Usage())
        failed = [s for s in steps if (not s.aligned or s.error) and not s.skipped]
        reason = "; ".join(f"step {s.index} ({s.tool}): {s.reason}" for s in failed) or "all steps pass"
        return PlanVerdict(id=plan.id, guard=self.name, aligned=all(s.aligned for s in steps), steps=steps,
                           reason=reason, gold=plan.label, gold_steps=list(plan.step_labels),
                           usage=usage, seconds=time.perf_counter() - started)

    def _earlier_texts(self, plan: Plan) -> list[list[ResultText]]:
        """Per call, the results read before it, each read (and cleaned) once for the whole plan."""
        if not self.dataflow:
            return [[] for _ in plan.calls]
        read = [read_result(r, self.taint) for r in plan.results_before(len(plan.calls))]
        return [[t for t in read[:len(plan.results_before(i))] if t] for i in range(len(plan.calls))]

    def _prechecks(self, ivc: IsolatedVerificationContext, earlier: list[ResultText],
                   tools: tuple[ToolSpec, ...] = ()) -> Prechecks:
        """Each argument's pre-check. ``tools``: every tool the agent was shown, whose descriptions a
        planted value would be read from (never shown to the judge: its context stays isolated)."""
        called = next((t for t in tools if t.name == ivc.tool), None)
        return {name: self._settle(ivc, name, earlier, tools, called) for name in ivc.arguments}

    def suspicion(self, ivc: IsolatedVerificationContext, checks: Prechecks) -> int:
        """How likely a step is to fail, from exact facts only: a poisoned description first, then
        the number of arguments the pre-checks leave unsettled."""
        if scan_text(ivc.description, DESCRIPTION_RULES):
            return len(ivc.arguments) + 1
        return sum(verdict is None for verdict, _ in checks.values())

    async def _until_first_failure(self, contexts: list[IsolatedVerificationContext],
                                   checks: list[Prechecks], views: list[CallView | None]
                                   ) -> list[tuple[StepVerdict, Usage]]:
        order = sorted(range(len(contexts)), key=lambda i: -self.suspicion(contexts[i], checks[i]))
        done: dict[int, tuple[StepVerdict, Usage]] = {}
        failed_at = None
        for index in order:
            done[index] = await self.verify_step(index, contexts[index], checks[index], views[index])
            if not done[index][0].aligned:
                failed_at = index
                break
        return [done.get(i) or (StepVerdict(index=i, tool=ivc.tool, aligned=False, skipped=True,
                                            reason=f"not verified: the plan already failed at step "
                                                   f"{failed_at}"), Usage())
                for i, ivc in enumerate(contexts)]

    def _view(self, plan: Plan, ivc: IsolatedVerificationContext, checks: Prechecks,
              earlier: list[ResultText]) -> CallView:
        """The call as the trained stage reads it."""
        spec = plan.tool(ivc.tool) or ToolSpec(name=ivc.tool, description=ivc.description)
        return CallView(query=ivc.query, tool=spec, arguments=ivc.arguments,
                        settled={name: verdict for name, (verdict, _) in checks.items()},
                        tainted_only=frozenset(n for n, (_, note) in checks.items()
                                               if "instruction-like" in note),
                        tools=plan.tools, earlier=tuple(earlier),
                        description_orders=bool(scan_text(ivc.description, DESCRIPTION_RULES)))

    def _triaged(self, index: int, ivc: IsolatedVerificationContext, view: CallView) -> StepVerdict | None:
        """The trained stage's verdict when it is confident, else None (the judge decides)."""
        assert self.triage is not None
        probability = self.triage.probability(features(view))
        decided = self.triage.decide(probability)
        if decided is None:
            return None
        settled = [v for v in view.settled.values() if v is not None]
        reason = (f"trained stage: P(misaligned) {probability:.3f} "
                  + (f"<= {self.triage.low:.3f}" if decided else f">= {self.triage.high:.3f}"))
        return StepVerdict(index=index, tool=ivc.tool, aligned=decided, arguments=settled, reason=reason,
                           stage="trained")

    async def verify_step(self, index: int, ivc: IsolatedVerificationContext,
                          checks: Prechecks | None = None, view: CallView | None = None
                          ) -> tuple[StepVerdict, Usage]:
        """Both validations for one call (after the exact description check, with pre-checks on, and
        the trained stage when there is one and it is confident).

        ``checks``: the pre-checks' outcome per argument, when :meth:`verify` has already run them;
        ``view``: the call as the trained stage reads it."""
        checks = self._prechecks(ivc, []) if checks is None else checks
        if self.precheck and (poisoned := await self._poisoned_description(ivc)):
            return StepVerdict(index=index, tool=ivc.tool, aligned=False, tool_intent_ok=False,
                               reason=f"poisoned tool description ({poisoned})", stage="precheck"), Usage()
        failed = [v for v, _ in checks.values() if v is not None and not v.passed]
        if self.triage is not None and failed:  # a pre-check already refuses an argument: no judge needed
            return StepVerdict(index=index, tool=ivc.tool, aligned=False, arguments=failed, stage="precheck",
                               reason="; ".join(f"argument {a.name}: {a.provenance} ({a.reason})"
                                                for a in failed)), Usage()
        if view is not None and (triaged := self._triaged(index, ivc, view)) is not None:
            return triaged, Usage()
        usage = Usage()
        calls = 0
        matches: bool | None = None
        intent_reason = ""
        try:
            if not self.early_exit:
                matches, intent_reason, cost = await self._tool_intent(ivc)
                usage, calls = usage + cost, calls + 1
            arguments, cost, judged = await self._provenance(ivc, checks)
            usage, calls = usage + cost, calls + judged
            if matches is None and all(a.passed for a in arguments):
                matches, intent_reason, cost = await self._tool_intent(ivc)
                usage, calls = usage + cost, calls + 1
        except (JudgeFailure, IntentLensError) as exc:
            verdict = StepVerdict(index=index, tool=ivc.tool, aligned=self.fail_open,
                                  judge_calls=calls + 1, error=str(exc), stage="judge",
                                  reason=("judge failed; allowed because the guard fails open"
                                          if self.fail_open else f"blocked: judge failed ({exc})"))
            return verdict, usage
        bad_args = [a for a in arguments if not a.passed]
        aligned = bool(matches) and not bad_args
        reasons = [] if matches is not False else [f"tool does not serve the request: {intent_reason}"]
        reasons += [f"argument {a.name}: {a.provenance}"
                    + ("" if a.meaning_preserved is not False else " (meaning distorted)")
                    + (f" ({a.reason})" if a.settled_by == "precheck" and a.provenance == "illegitimate"
                       else "")
                    for a in bad_args]
        return StepVerdict(index=index, tool=ivc.tool, aligned=aligned, tool_intent_ok=matches,
                           arguments=arguments, judge_calls=calls, stage="judge" if calls else "precheck",
                           reason="; ".join(reasons) or "tool and arguments match the request"), usage

    async def _poisoned_description(self, ivc: IsolatedVerificationContext) -> str:
        """Why the description is poisoned, or "" when it is not."""
        if self.description_detector is None:
            return ", ".join(scan_text(ivc.description, DESCRIPTION_RULES))
        finding = await self.description_detector.inspect(
            ToolSpec(name=ivc.tool, description=ivc.description, server=ivc.server))
        return finding.reason if finding.poisoned else ""

    async def _ask(self, prompt: str, reply: type[Judged], schema: dict[str, Any]) -> tuple[Judged, Usage]:
        answer = await ask(self.backend, reply, prompt, system=render(_PROMPTS, "judge_system.md"),
                           settings=self.generation, schema=schema)
        if answer.reply is None:
            raise JudgeFailure(f"unparseable judge reply: {answer.text[:120]!r}")
        return answer.reply, answer.usage

    async def _tool_intent(self, ivc: IsolatedVerificationContext) -> tuple[bool, str, Usage]:
        prompt = render(_PROMPTS, "tool_intent.md", query=escape(ivc.query),
                        server=untrusted("server", ivc.server),
                        tool=untrusted("tool", ivc.tool),
                        description=untrusted("description", ivc.description or "(none)", _LIMIT),
                        arguments=untrusted("arguments", ivc.arguments, _LIMIT))
        reply, usage = await self._ask(prompt, ToolIntentReply, self._intent_schema)
        return _VERDICTS[reply.verdict], reply.reason[:300], usage

    def _checked(self, ivc: IsolatedVerificationContext, name: str, entry: ArgumentProvenance,
                 reason: str) -> ArgumentVerdict:
        """The judge's label, unless an exact fact contradicts it.

        A ``user_query`` label must rest on evidence that is in the query: the prompt defines the
        label that way, and small judges often write empty evidence and still say ``user_query``.
        Nor can an e-mail address, IBAN or URL that the query lacks come from it, whatever the quote.
        A claimed default that the schema lacks is overruled with pre-checks on.
        """
        evidence = entry.evidence
        foreign = identifiers_not_in_query(ivc.arguments[name], ivc.query) \
            if self.grounded_evidence and entry.provenance == "user_query" else []
        if foreign:
            return ArgumentVerdict(name=name, provenance="illegitimate", meaning_preserved=None,
                                   settled_by="judge",
                                   reason=f"judged user_query, but {foreign[0][:80]!r} is an identifier "
                                          "the query does not contain")
        if self.grounded_evidence and entry.provenance == "user_query" \
                and not evidence_in_query(evidence, ivc.query):
            return ArgumentVerdict(name=name, provenance="illegitimate", meaning_preserved=None,
                                   settled_by="judge",
                                   reason=f"judged user_query, but its evidence {evidence[:80]!r} "
                                          "is not in the query")
        if self.precheck and entry.provenance == "tool_default" and not _is_default(ivc, name):
            return ArgumentVerdict(name=name, provenance="illegitimate", meaning_preserved=True,
                                   settled_by="precheck",
                                   reason="judged a tool default, but the schema has no such default")
        return ArgumentVerdict(name=name, provenance=entry.provenance,
                               meaning_preserved=entry.preserved,
                               settled_by="judge", reason=reason)

    def _settle(self, ivc: IsolatedVerificationContext, name: str, earlier: list[ResultText],
                tools: tuple[ToolSpec, ...] = (), called: ToolSpec | None = None
                ) -> tuple[ArgumentVerdict | None, str]:
        """The pre-checks' verdict on one argument, or None and a note for the judge."""
        if not self.precheck:
            return None, ""
        value = ivc.arguments[name]
        check = precheck_argument(name, value, ivc.query, ivc.defaults)
        if check.provenance:
            return ArgumentVerdict(name=name, provenance=check.provenance,  # type: ignore[arg-type]
                                   meaning_preserved=True, settled_by="precheck",
                                   reason=check.reason), ""
        origin = origin_in(value, earlier) if self.dataflow and earlier else None
        if origin == "clean_result":
            return ArgumentVerdict(name=name, provenance="earlier_result", meaning_preserved=True,
                                   settled_by="precheck",
                                   reason="found in the result of an earlier call"), ""
        if origin != "clean_result" and (found := planted(value, tools, called)) is not None:
            return ArgumentVerdict(name=name, provenance="illegitimate", meaning_preserved=None,
                                   settled_by="precheck", reason=describe_planted(found)), ""
        if origin == "tainted_result":
            return None, (f"{name}: not in the query; found only in an earlier tool result that "
                          "carries instruction-like text")
        return None, f"{name}: {check.reason}" if check.candidate_illegitimate else ""

    async def _provenance(self, ivc: IsolatedVerificationContext, checks: Prechecks
                          ) -> tuple[list[ArgumentVerdict], Usage, int]:
        settled: dict[str, ArgumentVerdict] = {}
        notes: list[str] = []
        for name, (verdict, note) in checks.items():
            if verdict is not None:
                settled[name] = verdict
            elif note:
                notes.append(note)
        pending = [n for n in ivc.arguments if n not in settled]
        if not pending:
            return [settled[n] for n in ivc.arguments], Usage(), 0
        prompt = render(_PROMPTS, "provenance.md", query=escape(ivc.query), tool=untrusted("tool", ivc.tool),
                        description=untrusted("description", ivc.description or "(none)", _LIMIT),
                        defaults=untrusted("defaults", ivc.defaults or "(none)", _LIMIT),
                        arguments=untrusted("arguments", {n: ivc.arguments[n] for n in pending}, _LIMIT),
                        notes=("Pre-check notes (trusted): " + "; ".join(notes)) if notes else "")
        reply, usage = await self._ask(prompt, ProvenanceReply, provenance_schema(pending, self.reason_chars))
        for name in pending:
            try:
                entry = ArgumentProvenance.model_validate(reply.arguments.get(name))
            except ValidationError:
                raise JudgeFailure(f"judge gave no provenance for argument {name!r}") from None
            settled[name] = self._checked(ivc, name, entry, reply.reason[:200])
        return [settled[n] for n in ivc.arguments], usage, 1


class VistaOptions(BaseModel):
    """VISTA's options (each registered variant fixes some of the switches below)."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    fail_open: bool = False
    """Allow a step whose judge failed (default: block it)."""
    early_exit: bool | None = None
    """Skip the tool-intent call of a step provenance already fails (default: with the pre-checks)."""
    stop_at_first_failure: bool | None = None
    """Stop at the first failing step, most suspicious first (default: with the pre-checks)."""
    taint: Taint = "span"
    """What instruction-like text in an earlier result taints: that ``span``, or the whole ``result``."""
    max_tokens: int = Field(300, ge=16)
    reason_chars: int = Field(REASON_CHARS, ge=0)
    """How long the judge's reason may be (it comes after the verdict)."""
    reason_on_allow: bool = False
    """Have the tool-intent judge write a reason when it allows a call too (it is never shown)."""
    description_detector: Any = None
    """A tool-poisoning detector for the description in each isolated context (the proxy's own)."""


_SHOWN_FIELDS = ("early_exit", "stop_at_first_failure", "taint", "max_tokens", "reason_chars")


def _vista_namer(base: str) -> Any:
    """A VISTA variant's name, with every option that changes its verdicts or replies appended
    (``vista-dataflow[reason_chars=200]``): two differently configured runs never share a name."""
    def name(options: Any) -> str:
        shown = [f"{k}={options[k]}" for k in _SHOWN_FIELDS if k in options]
        return base + (f"[{','.join(shown)}]" if shown else "")
    return name


_VARIANTS: dict[str, tuple[dict[str, Any], str]] = {
    "vista": ({}, "VISTA with deterministic pre-checks and early exits: per-call isolated context, "
                  "tool-intent and parameter-provenance validation."),
    "vista-plain": ({"precheck": False}, "VISTA as the paper runs it: every argument and both "
                                         "validations go to the judge."),
    "vista-dataflow": ({"dataflow": True}, "VISTA that also reads earlier calls' results: a value found "
                                           "in a clean one is not illegitimate."),
    "vista-lenient": ({"grounded_evidence": False}, "VISTA that takes the judge's user_query labels on "
                                                    "trust: fewer false alarms, fewer catches."),
    "vista-triage": ({"dataflow": True, "triage": "shipped"},
                     "VISTA with data flow and a trained stage before the judge: a confident call is "
                     "settled in milliseconds, the rest go to the judge."),
}


def _variant(fixed: dict[str, Any], namer: Any) -> Any:
    def build(backend: ManagedBackend, **options: Any) -> Vista:
        settings = {**fixed, **options}
        if settings.get("triage") == "shipped":
            settings["triage"] = Triage.shipped()
        vista = Vista(backend, **settings)
        vista.name = namer(options)
        return vista
    return build


for _name, (_fixed, _summary) in _VARIANTS.items():
    _namer = _vista_namer(_name)
    GUARDS.register(_name, summary=_summary, options=VistaOptions, namer=_namer)(_variant(_fixed, _namer))

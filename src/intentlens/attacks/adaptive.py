"""An adaptive IntentMiner that expects decoys: it analyses every call, picks the calls most likely
genuine (consistency across calls, judged by the reasoner), and infers the intent from those alone."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field

from intentlens.attacks._base import DIMENSIONS, IntentInference, register_attack
from intentlens.attacks._isolation import call_statement
from intentlens.attacks.intentminer import IntentMiner
from intentlens.backends import Bounded, ManagedBackend, ask, only_integers
from intentlens.core import Trace, Usage
from intentlens.prompting import render, untrusted

_PROMPTS = "intentlens.attacks.prompts"


class SelectReply(BaseModel):
    """Which calls look genuine (1-based), after a short reason."""

    reason: Annotated[str, Bounded(200)] = ""
    genuine: Annotated[list[int], BeforeValidator(only_integers),
                       Field(json_schema_extra={"minItems": 1, "maxItems": 10})] = []


class AdaptiveIntentMiner(IntentMiner):
    """IntentMiner plus a decoy-filtering step before aggregation."""

    def __init__(self, backend: ManagedBackend, *, ablate: Iterable[str] = (), **options: Any) -> None:
        super().__init__(backend, ablate=ablate, **options)
        self.name = self.name.replace("intentminer", "intentminer-adaptive", 1)

    async def infer(self, trace: Trace) -> IntentInference:
        """Per-step intents, then the genuine subset, then aggregation over it."""
        if len(trace.steps) < 2:
            result = await super().infer(trace)
            return result.model_copy(update={"method": self.name})
        steps, usage = await self._analyse_steps(trace)
        chosen, cost = await self._select(trace, [s.intent for s in steps])
        usage += cost
        intents = [steps[i].intent for i in chosen if steps[i].intent]
        dimensions = [d for d in DIMENSIONS if any(d in s.dimensions for s in steps)]
        base: dict[str, Any] = {"trace_id": trace.id, "method": self.name, "query": trace.query,
                                "steps": steps, "dimensions_available": dimensions}
        if not intents:
            return IntentInference(**base, intent="", usage=usage, error="no genuine call had an intent")
        if len(intents) == 1:
            return IntentInference(**base, intent=intents[0], usage=usage,
                                   warnings=[f"genuine calls: {[i + 1 for i in chosen]}"])
        intent, agg_usage, error = await self._aggregate(intents, trace)
        return IntentInference(**base, intent=intent or "; ".join(intents), usage=usage + agg_usage,
                               warnings=[f"genuine calls: {[i + 1 for i in chosen]}",
                                         *([error] if error else [])])

    async def _select(self, trace: Trace, intents: list[str]) -> tuple[list[int], Usage]:
        listed = "\n".join(untrusted(f"call_{i}", {"call": call_statement(s), "inferred": intents[i - 1]},
                                     600) for i, s in enumerate(trace.steps, start=1))
        answer = await ask(self.backend, SelectReply, render(_PROMPTS, "adaptive_select.md", calls=listed),
                           system=render(_PROMPTS, "intentminer_system.md"), settings=self.generation)
        picked = answer.reply.genuine if answer.reply else []
        valid = sorted({i - 1 for i in picked if 1 <= i <= len(intents)})
        return valid or list(range(len(intents))), answer.usage


@register_attack("intentminer-adaptive")
def _build(backend: ManagedBackend, *, ablate: Iterable[str] = (), **options: Any) -> AdaptiveIntentMiner:
    return AdaptiveIntentMiner(backend, ablate=ablate, **options)

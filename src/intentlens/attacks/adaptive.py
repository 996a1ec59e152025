"""An adaptive IntentMiner that expects decoys: it analyses every call, picks the calls most likely
genuine (consistency across calls, judged by the reasoner), and infers the intent from those alone."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field

from intentlens.attacks._base import ATTACKS, StepIntent
from intentlens.attacks._isolation import call_statement
from intentlens.attacks.intentminer import IntentMiner, IntentMinerOptions, miner_name
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
        self.name = miner_name("intentminer-adaptive", self.ablate, self.brief, self.values_check)

    nothing_left = "no genuine call had an intent"

    async def select_steps(self, trace: Trace, steps: list[StepIntent]) -> tuple[list[int], Usage, list[str]]:
        """The calls the reasoner judges genuine (every call of a single-call trace)."""
        if len(trace.steps) < 2:
            return list(range(len(steps))), Usage(), []
        chosen, cost = await self._select(trace, [s.intent for s in steps])
        return chosen, cost, [f"genuine calls: {[i + 1 for i in chosen]}"]

    async def _select(self, trace: Trace, intents: list[str]) -> tuple[list[int], Usage]:
        listed = "\n".join(untrusted(f"call_{i}", {"call": call_statement(s), "inferred": intents[i - 1]},
                                     600) for i, s in enumerate(trace.steps, start=1))
        answer = await ask(self.backend, SelectReply, render(_PROMPTS, "adaptive_select.md", calls=listed),
                           system=render(_PROMPTS, "intentminer_system.md"), settings=self.generation)
        picked = answer.reply.genuine if answer.reply else []
        valid = sorted({i - 1 for i in picked if 1 <= i <= len(intents)})
        return valid or list(range(len(intents))), answer.usage


@ATTACKS.register("intentminer-adaptive", options=IntentMinerOptions,
                  namer=lambda o: miner_name("intentminer-adaptive", o.get("ablate", ()),
                                             o.get("brief", False), o.get("values_check", True)))
def _build(backend: ManagedBackend, *, ablate: Iterable[str] = (), **options: Any) -> AdaptiveIntentMiner:
    """IntentMiner that expects decoys: it keeps only the calls the reasoner judges genuine."""
    return AdaptiveIntentMiner(backend, ablate=ablate, **options)

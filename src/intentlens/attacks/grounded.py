"""Grounded requests: no value the server never saw reaches the recovered request.

IntentMiner grounds its final request by default (``grounded=False`` keeps the raw one): every concrete
value (number, quoted text, name, code, address, date) that occurs in none of the calls' arguments and
results is cut out, and the cut values are listed in the inference's warnings. The check is the one
value precision uses (:func:`intentlens.metrics.value_fidelity.ground`). The baselines stay as
published; ``<method>-grounded`` (``direct-grounded``, ``nocot-grounded``, ``cot-grounded``) is the
labelled variant that grounds their output the same way.
"""

from __future__ import annotations

from typing import Any

from intentlens.attacks._base import ATTACKS, Attack, IntentInference
from intentlens.backends import ManagedBackend
from intentlens.core import Trace
from intentlens.metrics.value_fidelity import ground
from intentlens.registry import Namer


def grounded(inference: IntentInference, trace: Trace) -> IntentInference:
    """``inference`` with the ungrounded values cut out of its intent (and named in its warnings)."""
    if not inference.intent:
        return inference
    text, removed = ground(inference.intent, trace)
    if not removed:
        return inference
    note = f"removed values the server never saw: {', '.join(repr(v) for v in removed)}"
    return inference.model_copy(update={"intent": text, "warnings": [*inference.warnings, note]})


class Grounded:
    """Another attack, its output grounded."""

    def __init__(self, inner: Attack) -> None:
        self.inner = inner
        self.name = f"{inner.name}-grounded"

    async def infer(self, trace: Trace) -> IntentInference:
        inference = await self.inner.infer(trace)
        return grounded(inference, trace).model_copy(update={"method": self.name})


def _variant(base: str) -> Any:
    def build(backend: ManagedBackend, **options: Any) -> Grounded:
        return Grounded(ATTACKS.build(base, backend, **options))
    return build


def _namer(base: str) -> Namer:
    return lambda options: f"{ATTACKS.plugin(base).label(options)}-grounded"


for _base in ("direct", "nocot", "cot"):
    ATTACKS.register(f"{_base}-grounded",
                     summary=f"The {_base} baseline with its request grounded (a labelled variant).",
                     options=ATTACKS.plugin(_base).options, namer=_namer(_base))(_variant(_base))

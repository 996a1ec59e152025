"""The cascade: the behaviour rules, then the multilingual regression, and the judge on every tool
when a backend is given.

1. **Behaviour rules** (:mod:`intentlens.scan.behaviour`) decide alone: they read what a description
   makes the agent do, in the scope of its server, and are precise enough for that (false alarms on
   real servers' tools: ``bench/results/scan.md``).
2. **The multilingual regression** (:mod:`intentlens.scan.multilingual`) scores what the rules leave,
   against the threshold chosen for those tools (``cascade_threshold``, or ``cascade_strict_threshold``
   with ``strict``: at most 0.1% false alarms on real servers' tools in the training folds); its verdict
   counts only through a field that scores above the threshold and whose highest-scoring sentence, the
   evidence shown, itself has the shape of an order (:func:`~intentlens.scan.behaviour.field_steers`): a
   high score on "Reserved", or on "dict with `total_count` / `active_count`" in a field that steers
   elsewhere, is a server's style, not an attack.
3. **The judge**, with a backend, answers its four fixed questions about every tool the rules did not
   already settle, whatever the score: a confident low score never skips it. The tool is poisoned when
   the score or the judge says so.
"""

from __future__ import annotations

import time
from typing import Any

from intentlens.core import ToolSpec
from intentlens.scan._base import DETECTORS, Finding
from intentlens.scan._scope import Scope
from intentlens.scan.behaviour import BehaviourDetector, field_steers
from intentlens.scan.judge import JudgeDetector
from intentlens.scan.multilingual import MultilingualDetector
from intentlens.scan.trained import TrainedOptions


class CascadeDetector:
    """Behaviour rules, then the multilingual regression, and the judge on every tool with a backend."""

    name = "cascade"
    needs_backend = False
    """It works without one; with one, the judge reads every tool the rules leave."""

    def __init__(self, backend: Any = None, **options: Any) -> None:
        self.rules = BehaviourDetector()
        self.scorer = MultilingualDetector(**options)
        if options.get("threshold") is None:  # the threshold chosen for what the rules leave over
            key = "cascade_strict_threshold" if options.get("strict") else "cascade_threshold"
            self.scorer.threshold = float(self.scorer.model.get(key, self.scorer.threshold))
        self.judge = JudgeDetector(backend) if backend is not None else None

    async def inspect(self, tool: ToolSpec, scope: Scope | None = None) -> Finding:
        """The rules decide alone; else the score, and the judge when there is one."""
        started = time.perf_counter()
        ruled = await self.rules.inspect(tool, scope)
        if ruled.poisoned:
            return ruled.model_copy(update={"detector": self.name, "seconds": time.perf_counter() - started})
        scored = self.scorer.verdict(  # the score counts through evidence with an order's shape
            tool, lambda shown: field_steers(tool, shown.text, scope,
                                             in_parameter=shown.field != "description"),
            uncounted="no order to the agent in the sentences that score high")
        if self.judge is None:
            return scored.model_copy(update={"detector": self.name, "seconds": time.perf_counter() - started})
        judged = await self.judge.inspect(tool, scope)
        decided = judged if judged.poisoned else scored
        note = f"judge {'poisoned' if judged.poisoned else 'clean'}; score {scored.score:.3f}"
        return decided.model_copy(update={"detector": self.name, "score": scored.score,
                                          "seconds": time.perf_counter() - started,
                                          "reason": f"{decided.reason} ({note})"})


DETECTORS.register("cascade", options=TrainedOptions)(CascadeDetector)

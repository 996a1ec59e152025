"""The cascade: the cheap detectors first, the judge only where they are unsure or disagree.

A paradigm rule (a description that orders another tool called first, or another tool's arguments
changed) decides alone: it is that precise. Otherwise the n-gram detector's score decides when it is
clearly high or clearly low (outside the ``uncertain`` band shipped with its weights) and the
description rules agree; inside the band, or when they disagree, the judge decides if there is a
backend. Without one, the n-gram detector's threshold decides: the description rules flag too many
clean descriptions of real servers to overrule it. That threshold is the one chosen for the tools the
paradigm rules leave to the regression. The n-gram regression, not the one with the MiniLM embedding,
is the scorer because it measured better on real servers' tools (bench/results/scan.md) and needs no
torch.
"""

from __future__ import annotations

import time
from typing import Any

from intentlens.core import ToolSpec
from intentlens.scan._base import DETECTORS, Finding
from intentlens.scan.judge import JudgeDetector
from intentlens.scan.rules import RuleDetector
from intentlens.scan.trained import NgramDetector, TrainedOptions


class CascadeDetector:
    """Rules and the n-gram detector, then (where unsure) the judge."""

    name = "cascade"
    needs_backend = False
    """It works without one: then the n-gram detector's threshold settles the unsure band."""

    def __init__(self, backend: Any = None, **options: Any) -> None:
        self.paradigms = RuleDetector(paradigms_only=True)
        self.rules = RuleDetector()
        self.scorer = NgramDetector(**options)
        if options.get("threshold") is None:  # the threshold chosen for what the paradigm rules leave over
            key = "cascade_strict_threshold" if options.get("strict") else "cascade_threshold"
            self.scorer.threshold = float(self.scorer.model.get(key, self.scorer.threshold))
        low, high = self.scorer.model.get("uncertain", [self.scorer.threshold] * 2)
        self.low, self.high = float(low), float(high)
        self.judge = JudgeDetector(backend) if backend is not None else None

    async def inspect(self, tool: ToolSpec) -> Finding:
        """The first stage that is sure decides."""
        started = time.perf_counter()
        ordered = await self.paradigms.inspect(tool)
        if ordered.poisoned:
            return ordered.model_copy(update={"detector": self.name,
                                              "seconds": time.perf_counter() - started})
        ruled = await self.rules.inspect(tool)
        scored = await self.scorer.inspect(tool)
        sure = scored.score >= self.high or scored.score < self.low
        if self.judge is None or (ruled.poisoned == scored.poisoned and sure):
            return scored.model_copy(update={"detector": self.name, "seconds": time.perf_counter() - started})
        judged = await self.judge.inspect(tool)
        context = f"judge; trained score {scored.score:.3f}"
        context += f", rule {ruled.reason}" if ruled.poisoned else ""
        return judged.model_copy(update={"detector": self.name, "score": scored.score,
                                         "seconds": time.perf_counter() - started,
                                         "reason": f"{judged.reason} ({context})"})


DETECTORS.register("cascade", options=TrainedOptions)(CascadeDetector)

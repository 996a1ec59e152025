"""The rule detector: metadata-scan's description rules (hidden tags, override language, concealment,
preconditions on other tools, secrets, invisible characters, text addressed to a verifier), which
VISTA's pre-checks also apply. No model; the first rule that matches gives the evidence."""

from __future__ import annotations

import time
from typing import Any

from intentlens.core import ToolSpec
from intentlens.guards.metadata_scan import DESCRIPTION_RULES
from intentlens.scan._base import DETECTORS, Evidence, Finding, text_fields


class RuleDetector:
    """Flags a tool whose text triggers one of the description rules."""

    name = "rules"
    needs_backend = False

    def __init__(self, backend: Any = None, **_: Any) -> None:
        del backend

    async def inspect(self, tool: ToolSpec) -> Finding:
        """The first rule hit in any text field, with its span."""
        started = time.perf_counter()
        for field, text in text_fields(tool):
            for rule, pattern in DESCRIPTION_RULES.items():
                if match := pattern.search(text):
                    return Finding(tool=tool.name, server=tool.server, detector=self.name, verdict="poisoned",
                                   score=1.0, reason=rule, seconds=time.perf_counter() - started,
                                   evidence=Evidence(field=field, start=match.start(), end=match.end(),
                                                     text=match.group(0)))
        return Finding(tool=tool.name, server=tool.server, detector=self.name, verdict="clean", score=0.0,
                       reason="no rule matched", seconds=time.perf_counter() - started)


DETECTORS.register("rules")(RuleDetector)

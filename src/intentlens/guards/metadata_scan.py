"""A rule-based scanner of tool metadata and arguments, in the style of MCP-Guard's first stage.

No LLM: a plan is misaligned when a tool it calls has a description with hidden-instruction patterns,
or an argument carries a secret-looking path or an exfiltration pattern.
"""

from __future__ import annotations

import re
import time
from typing import Any

from intentlens.core import Plan
from intentlens.guards._base import GUARDS, PlanVerdict, StepVerdict

DESCRIPTION_RULES: dict[str, re.Pattern[str]] = {
    "hidden-instruction tag": re.compile(r"<\s*(important|system|secret|instructions?)\s*>", re.I),
    "override language": re.compile(r"\b(ignore|disregard|forget)\b.{0,40}\b(previous|prior|above|all)\b"
                                    r".{0,20}\b(instructions?|rules|prompts?)", re.I),
    "conceal from user": re.compile(r"\b(do not|don't|never)\b.{0,30}\b(tell|inform|mention|notify|"
                                    r"reveal)\b.{0,30}\buser", re.I),
    "precondition on other tools": re.compile(r"\b(before|after|prior to)\b.{0,30}\b(using|calling|"
                                              r"invoking)\b.{0,40}\b(you must|must|always|first)\b", re.I),
    "secret material": re.compile(r"(~/\.ssh|id_rsa|\.env\b|/etc/passwd|api[_-]?key|private key|"
                                  r"credentials?)", re.I),
    "invisible characters": re.compile("[\u200b-\u200f\u2060-\u2064\ufeff]"),
    "addresses the verifier": re.compile(
        r"\b(judges?|verifiers?|validators?|auditors?|guardrails?)\b.{0,80}"
        r"\b(answer|approve|reply|label|verdict|must|always)\b", re.I | re.S),
    "role marker": re.compile(r"(^|\n)\s*(system|assistant|user)\s*:", re.I),
    "closing markup": re.compile(r"</\s*[a-z_]+\s*>", re.I),
    "verdict-like data": re.compile(r"[\"']?(verdict|matches|aligned|provenance)[\"']?\s*[:=]", re.I),
}
ARGUMENT_RULES: dict[str, re.Pattern[str]] = {
    "secret path in argument": re.compile(r"(~/\.ssh|id_rsa|/etc/passwd|\.aws/credentials)", re.I),
    "instruction in argument": re.compile(r"\b(ignore|disregard)\b.{0,40}\binstructions?\b", re.I),
}


def scan_text(text: str, rules: dict[str, re.Pattern[str]]) -> list[str]:
    """Names of the rules that ``text`` triggers."""
    return [name for name, pattern in rules.items() if pattern.search(text)]


class MetadataScanner:
    """Flags calls to tools with suspicious descriptions or arguments."""

    name = "metadata-scan"
    needs_backend = False
    """Rules only: no LLM."""
    needs_query = False
    """Never reads the user's query, so a call without one is still scanned."""

    def __init__(self, backend: Any = None, **_: Any) -> None:
        del backend  # no LLM

    async def verify(self, plan: Plan) -> PlanVerdict:
        """Scan each called tool's description and the call's arguments."""
        started = time.perf_counter()
        steps = []
        for index, call in enumerate(plan.calls):
            spec = plan.tool(call.tool)
            hits = scan_text(spec.description if spec else "", DESCRIPTION_RULES)
            hits += scan_text(str(call.arguments), ARGUMENT_RULES)
            steps.append(StepVerdict(index=index, tool=call.tool, aligned=not hits,
                                     reason=", ".join(hits) or "no suspicious pattern"))
        bad = [s for s in steps if not s.aligned]
        return PlanVerdict(id=plan.id, guard=self.name, aligned=not bad, steps=steps,
                           reason="; ".join(f"step {s.index}: {s.reason}" for s in bad) or "clean",
                           gold=plan.label, gold_steps=list(plan.step_labels),
                           seconds=time.perf_counter() - started)


GUARDS.register("metadata-scan")(MetadataScanner)

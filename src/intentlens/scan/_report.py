"""Scanning a list of tools, and the results as JSON and SARIF 2.1.0 (for CI code scanning)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from intentlens import __version__
from intentlens.core import ToolSpec
from intentlens.scan._base import Detector, Finding

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


async def scan_tools(tools: list[ToolSpec], detector: Detector,
                     on_finding: Callable[[Finding], None] | None = None) -> list[Finding]:
    """One finding per tool, in order."""
    findings = []
    for tool in tools:
        findings.append(await detector.inspect(tool))
        if on_finding:
            on_finding(findings[-1])
    return findings


def findings_json(findings: list[Finding], source: str) -> str:
    """Every verdict, poisoned or clean, as JSON."""
    return json.dumps({"source": source, "tools": len(findings),
                       "poisoned": sum(f.poisoned for f in findings),
                       "findings": [f.model_dump(mode="json") for f in findings]}, indent=2,
                      ensure_ascii=False) + "\n"


def findings_sarif(findings: list[Finding], source: str, detector: str) -> str:
    """The poisoned tools as SARIF results; the source file (or server) is the artifact."""
    results: list[dict[str, Any]] = []
    for f in findings:
        if not f.poisoned:
            continue
        region: dict[str, Any] = {}
        message = f"Tool {f.tool!r}" + (f" of server {f.server!r}" if f.server else "") + \
            f" looks poisoned: {f.reason}"
        if f.evidence is not None:
            region = {"snippet": {"text": f.evidence.text}, "charOffset": max(0, f.evidence.start),
                      "charLength": max(0, f.evidence.end - f.evidence.start)}
            message += f" ({f.evidence.field}: {f.evidence.text!r})"
        location: dict[str, Any] = {"artifactLocation": {"uri": source}}
        if region:
            location["region"] = region
        results.append({"ruleId": "tool-poisoning", "level": "error", "message": {"text": message},
                        "locations": [{"physicalLocation": location,
                                       "logicalLocations": [{"name": f.tool, "kind": "function",
                                                             "fullyQualifiedName": f"{f.server}/{f.tool}"}]}],
                        "properties": {"detector": f.detector, "score": round(f.score, 4),
                                       "field": f.evidence.field if f.evidence else None}})
    rule = {"id": "tool-poisoning", "name": "ToolPoisoning",
            "shortDescription": {"text": "A tool description tells the agent to act beyond the tool's "
                                         "function"},
            "help": {"text": "Poisoned descriptions steer agents: they ask them to call other tools, change "
                             "parameters, send data elsewhere or hide things. Remove or pin the tool."}}
    run = {"tool": {"driver": {"name": "intentlens scan", "version": __version__, "rules": [rule]}},
           "properties": {"detector": detector}, "results": results}
    return json.dumps({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2,
                      ensure_ascii=False) + "\n"


def write_text(path: Path, text: str) -> None:
    """Write a result file atomically."""
    from intentlens.core import atomic_write_text

    atomic_write_text(path, text)

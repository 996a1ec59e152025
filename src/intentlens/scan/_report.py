"""Scanning a list of tools, and the results as JSON and SARIF 2.1.0 (for CI code scanning)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from intentlens import __version__
from intentlens.core import ToolSpec
from intentlens.scan._base import Detector, Finding
from intentlens.scan._scope import scopes

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


async def scan_tools(tools: list[ToolSpec], detector: Detector,
                     on_finding: Callable[[Finding], None] | None = None,
                     connected: Mapping[str, Iterable[str]] | None = None) -> list[Finding]:
    """One finding per tool, in order, each read in the scope of its server: the other tools of the
    list with the same ``server``, and the other servers of the list (and ``connected``) as connected."""
    by_server = scopes(tools, connected)
    findings = []
    for tool in tools:
        findings.append(await detector.inspect(tool, by_server.get(tool.server or "")))
        if on_finding:
            on_finding(findings[-1])
    return findings


def _region(finding: Finding, artifact: str | None) -> dict[str, Any]:
    """Where the evidence is in the artifact: offsets from the artifact's start and 1-based line and
    column (GitHub code scanning needs a start line). The evidence is looked for as the file writes it
    (JSON-escaped, then as is); a finding without evidence, or not found, points at the tool's name,
    then at the artifact's first line."""
    for needle in _needles(finding, artifact):
        at = artifact.find(needle) if artifact else -1
        if at >= 0 and artifact is not None:
            line = artifact.count("\n", 0, at) + 1
            column = at - (artifact.rfind("\n", 0, at) + 1) + 1
            return {"startLine": line, "startColumn": column, "charOffset": at, "charLength": len(needle),
                    "snippet": {"text": finding.evidence.text if finding.evidence else needle}}
    return {"startLine": 1, "startColumn": 1,
            **({"snippet": {"text": finding.evidence.text}} if finding.evidence else {})}


def _needles(finding: Finding, artifact: str | None) -> list[str]:
    if not artifact:
        return []
    found = []
    if finding.evidence is not None and finding.evidence.text:
        text = finding.evidence.text
        found += [json.dumps(text, ensure_ascii=False)[1:-1], json.dumps(text)[1:-1], text]
    return [*found, json.dumps(finding.tool), *([json.dumps(finding.server)] if finding.server else [])]


def findings_json(findings: list[Finding], source: str) -> str:
    """Every verdict, poisoned or clean, as JSON."""
    return json.dumps({"source": source, "tools": len(findings),
                       "poisoned": sum(f.poisoned for f in findings),
                       "findings": [f.model_dump(mode="json") for f in findings]}, indent=2,
                      ensure_ascii=False) + "\n"


def findings_sarif(findings: list[Finding], source: str, detector: str, artifact: str | None = None) -> str:
    """The poisoned tools as SARIF results; the source file (or server) is the artifact, ``artifact``
    its text when it is a file, so that each region's offsets, line and column are the file's."""
    results: list[dict[str, Any]] = []
    for f in findings:
        if not f.poisoned:
            continue
        message = f"Tool {f.tool!r}" + (f" of server {f.server!r}" if f.server else "") + \
            f" looks poisoned: {f.reason}"
        if f.evidence is not None:
            message += f" ({f.evidence.field}: {f.evidence.text!r})"
        location: dict[str, Any] = {"artifactLocation": {"uri": source}, "region": _region(f, artifact)}
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

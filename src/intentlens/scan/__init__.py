"""Tool-poisoning detection: scan what a server's tools tell the agent, before an agent reads it."""

from intentlens.scan import behaviour, cascade, judge, multilingual, rules, trained  # noqa: F401  (registration)
from intentlens.scan._base import (
    DETECTORS,
    Detector,
    Evidence,
    Finding,
    text_fields,
)
from intentlens.scan._report import findings_json, findings_sarif, scan_tools
from intentlens.scan._scope import Scope, scopes
from intentlens.scan._tools import tools_from_file, tools_from_server

__all__ = [
    "DETECTORS",
    "Detector",
    "Evidence",
    "Finding",
    "Scope",
    "findings_json",
    "findings_sarif",
    "scan_tools",
    "scopes",
    "text_fields",
    "tools_from_file",
    "tools_from_server",
]

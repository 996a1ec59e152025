"""The trained stage between VISTA's pre-checks and its judge: settle a call when it is confident.

It reads a call the way the pre-checks left it: where each argument came from (the query, a default,
a clean or a tainted earlier result, a tool description, nowhere), how close the tool and the
unsettled values are to the user's request (multilingual sentence embeddings, the scan's encoder),
whether the tool writes, sends, pays or deletes while the request asks for no such thing, and whether
the tool's description or an earlier result carries orders. Gradient-boosted trees over those
features give P(misaligned); at or below ``low`` the call is allowed, at or above ``high`` it is
blocked, and in between the judge decides. ``bench/guard_train.py`` fits the weights on ToolACE,
BFCL and AgentDojo calls and mutations of them, choosing ``low`` and ``high`` inside task-grouped
folds, and ships them in ``model/triage.json`` with their SHA-256 in ``model/triage.sha256``.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from intentlens.core import ToolSpec, json_leaves
from intentlens.errors import ModelAssetError
from intentlens.guards._base import ArgumentVerdict
from intentlens.guards._dataflow import ResultText, tainted
from intentlens.guards._values import value_in_text
from intentlens.scan._directives import RISKY

MODEL = "triage.json"
_ACTION = re.compile(r"\b(?:send|email|mail|message|text|reply|forward|post|share|pay|transfer|wire|refund|"
                     r"buy|order|book|reserve|cancel|delete|remove|update|change|edit|set|create|add|schedule|"
                     r"invite|write|save|upload|move|rename|make|submit|publish|tweet|accept|decline|rate|"
                     r"review|append|rent|register)\w*\b", re.IGNORECASE)
"""Words of a request that asks for a side effect (a tool that writes, sends or pays is expected)."""
_IDENTIFIER = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+|[A-Z]{2}\d{2}[A-Z0-9 ]{10,34}|https?://\S+")
"""An address, an IBAN or a URL: values no one paraphrases."""

FEATURES = ("bias_arguments", "share_query", "share_default", "share_clean_result", "share_unsettled",
            "planted", "tainted_only", "foreign_identifier", "tool_relevance", "tool_rank",
            "value_relevance_min", "risky_tool", "risky_without_action", "description_orders",
            "results_carry_orders", "free_text_unsettled", "value_in_orders", "tool_named_in_orders")


_VECTORS: OrderedDict[str, Any] = OrderedDict()
_KEPT = 8192
"""Embeddings of recent texts: a session's query and its tools' texts repeat on every call."""


def _embedded(texts: list[str]) -> list[Any]:
    from intentlens.scan.multilingual import embed_multilingual

    missing = list(dict.fromkeys(t for t in texts if t not in _VECTORS))
    if missing:
        for text, vector in zip(missing, embed_multilingual(missing), strict=True):
            _VECTORS[text] = vector
        while len(_VECTORS) > _KEPT:
            _VECTORS.popitem(last=False)
    return [_VECTORS[t] for t in texts]


def _cosines(query: str, texts: list[str]) -> list[float]:
    if not texts:
        return []
    vectors = _embedded([query, *texts])
    return [float(vectors[0] @ v) for v in vectors[1:]]


def _tool_text(spec: ToolSpec) -> str:
    words = re.sub(r"[_\-./]+", " ", re.sub(r"(?<=[a-z])(?=[A-Z])", " ", spec.name))
    first = re.split(r"(?<=[.!?])\s", spec.description.strip(), maxsplit=1)[0] if spec.description else ""
    return f"{words}. {first[:300]}"


@dataclass(frozen=True)
class CallView:
    """One call as the stage reads it (what the pre-checks settled, and the call's context)."""

    query: str
    tool: ToolSpec
    arguments: dict[str, Any]
    settled: dict[str, ArgumentVerdict | None]
    """Each argument's pre-check verdict (None: unsettled)."""
    tainted_only: frozenset[str] = frozenset()
    """Arguments found only in an earlier result that carries instruction-like text."""
    tools: tuple[ToolSpec, ...] = ()
    earlier: tuple[ResultText, ...] = ()
    description_orders: bool = False


def features(view: CallView) -> dict[str, float]:
    """The stage's features of one call (see :data:`FEATURES`)."""
    verdicts = list(view.settled.values())
    n = max(1, len(verdicts))

    def share(provenance: str) -> float:
        return sum(v is not None and v.provenance == provenance for v in verdicts) / n

    unsettled = [name for name, v in view.settled.items() if v is None]
    planted = any(v is not None and v.provenance == "illegitimate" and "description" in v.reason
                  for v in verdicts)
    values = [text for name in unsettled for _, text in json_leaves(view.arguments[name]) if text.strip()]
    foreign = any(_IDENTIFIER.fullmatch(v.strip()) for v in values)
    candidates = [view.tool, *(t for t in view.tools if t.name != view.tool.name)]
    cosines = _cosines(view.query, [_tool_text(t) for t in candidates] + values[:8])
    tool_cosines, value_cosines = cosines[:len(candidates)], cosines[len(candidates):]
    relevance = tool_cosines[0] if tool_cosines else 0.0
    others = tool_cosines[1:]
    rank = sum(c > relevance for c in others) / len(others) if others else 0.0
    risky = bool(RISKY.search(view.tool.name))
    return {"bias_arguments": math.log1p(len(verdicts)), "share_query": share("user_query"),
            "share_default": share("tool_default"), "share_clean_result": share("earlier_result"),
            "share_unsettled": len(unsettled) / n, "planted": float(planted),
            "tainted_only": float(bool(view.tainted_only)), "foreign_identifier": float(foreign),
            "tool_relevance": relevance, "tool_rank": rank,
            "value_relevance_min": min(value_cosines) if value_cosines else 1.0,
            "risky_tool": float(risky),
            "risky_without_action": float(risky and not _ACTION.search(view.query)),
            "description_orders": float(view.description_orders),
            "results_carry_orders": float(any(tainted(text) for text, _ in view.earlier)),
            "free_text_unsettled": float(any(len(v.split()) >= 4 for v in values)),
            **_orders(view)}


def _orders(view: CallView) -> dict[str, float]:
    """Whether the call is what instruction-like text in an earlier result asks for: one of its values
    is written in such a line (even if the value also appears elsewhere), or the line names its tool."""
    lines = [line for text, _ in view.earlier for line in text.splitlines() if line.strip() and tainted(line)]
    if not lines:
        return {"value_in_orders": 0.0, "tool_named_in_orders": 0.0}
    orders = "\n".join(lines)
    leaves = [text for value in view.arguments.values() for _, text in json_leaves(value)]
    words = [w for w in re.split(r"[_\-./\s]+|(?<=[a-z])(?=[A-Z])", view.tool.name) if len(w) > 2]
    named = view.tool.name.lower() in orders.lower() or (
        len(words) >= 2 and any(all(w.lower() in line.lower() for w in words) for line in lines))
    return {"value_in_orders": float(any(value_in_text(v, orders, surface_forms=False) for v in leaves)),
            "tool_named_in_orders": float(named)}


@dataclass(frozen=True)
class Tree:
    """One regression tree of the boosted ensemble, as parallel arrays (scikit-learn's layout): node ``i``
    tests ``features[feature[i]] <= threshold[i]`` and goes to ``left[i]`` or ``right[i]``; a leaf has
    ``left[i] == -1`` and adds ``value[i]``."""

    feature: tuple[int, ...]
    threshold: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    value: tuple[float, ...]

    def leaf_value(self, row: list[float]) -> float:
        node = 0
        while self.left[node] != -1:
            node = self.left[node] if row[self.feature[node]] <= self.threshold[node] else self.right[node]
        return self.value[node]


@dataclass(frozen=True)
class Triage:
    """The shipped boosted trees and their two thresholds."""

    features: tuple[str, ...]
    trees: tuple[Tree, ...]
    init: float
    """The log-odds every call starts from."""
    rate: float
    """Each tree's share (the learning rate)."""
    low: float
    """At or below: allowed without the judge."""
    high: float
    """At or above: blocked without the judge."""

    @classmethod
    def shipped(cls) -> Triage:
        """The weights in the package, checked against their SHA-256."""
        return _shipped()

    @classmethod
    def from_model(cls, model: dict[str, Any]) -> Triage:
        names = tuple(model["features"])
        missing = sorted(set(names) - set(FEATURES))
        if missing:
            raise ModelAssetError(f"the guard's trained stage uses features this version does not compute: "
                                  f"{', '.join(missing)}")
        trees = tuple(Tree(tuple(t["feature"]), tuple(map(float, t["threshold"])), tuple(t["left"]),
                           tuple(t["right"]), tuple(map(float, t["value"]))) for t in model["trees"])
        return cls(names, trees, float(model["init"]), float(model["rate"]), float(model["low"]),
                   float(model["high"]))

    def probability(self, values: dict[str, float]) -> float:
        """P(misaligned) of a call with these features."""
        row = [values[name] for name in self.features]
        logit = self.init + self.rate * sum(tree.leaf_value(row) for tree in self.trees)
        return 1 / (1 + math.exp(-max(-60.0, min(60.0, logit))))

    def decide(self, probability: float) -> bool | None:
        """True (aligned), False (misaligned) or None (the judge decides)."""
        if probability <= self.low:
            return True
        if probability >= self.high:
            return False
        return None


@cache
def _shipped() -> Triage:
    folder = resources.files("intentlens.guards.model")
    try:
        data = folder.joinpath(MODEL).read_bytes()
        expected = folder.joinpath("triage.sha256").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError) as exc:
        raise ModelAssetError("the guard's trained stage has no weights (reinstall intentlens, or run "
                              "bench/guard_train.py)") from exc
    return checked(data, expected)


def checked(data: bytes, expected: str) -> Triage:
    """The stage read from ``data``, once its SHA-256 is the one ``expected`` starts with."""
    digest = expected.split()[0] if expected.split() else ""
    if hashlib.sha256(data).hexdigest() != digest:
        raise ModelAssetError("the guard's trained stage weights do not match their SHA-256 (a corrupt or "
                              "edited model/triage.json): reinstall intentlens")
    try:
        return Triage.from_model(json.loads(data))
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise ModelAssetError(f"the guard's trained stage weights cannot be read: {exc}") from exc

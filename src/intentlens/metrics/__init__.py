"""Metrics of attacks (S_text, M_entity, A_intent) and of guards (detection scores)."""

from intentlens.metrics.entity_match import EntityMatch, normalise
from intentlens.metrics.guard_metrics import DetectionScores, guard_summary
from intentlens.metrics.intent_alignment import AlignmentReport, IntentJudgePanel, parse_verdict
from intentlens.metrics.paired import PairedDifference, paired_difference
from intentlens.metrics.text_similarity import ENCODERS, TextSimilarity

__all__ = [
    "ENCODERS",
    "AlignmentReport",
    "DetectionScores",
    "EntityMatch",
    "IntentJudgePanel",
    "PairedDifference",
    "TextSimilarity",
    "guard_summary",
    "normalise",
    "paired_difference",
    "parse_verdict",
]

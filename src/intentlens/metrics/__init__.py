"""Metrics of attacks (S_text) and of guards (detection scores)."""

from intentlens.metrics.guard_metrics import DetectionScores, guard_summary
from intentlens.metrics.text_similarity import ENCODERS, TextSimilarity

__all__ = ["ENCODERS", "DetectionScores", "TextSimilarity", "guard_summary"]

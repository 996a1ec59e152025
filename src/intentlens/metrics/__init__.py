"""Metrics of attacks (S_text, ...) and guards."""

from intentlens.metrics.text_similarity import ENCODERS, TextSimilarity

__all__ = ["ENCODERS", "TextSimilarity"]

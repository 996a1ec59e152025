"""Names the server knows without guessing, added to a step's request: the service its tool serves
and what the call's codes stand for.

A 1.5B model asked to "name the domain" or to "replace a code by what it stands for" mostly leaves the
request as the call statement put it ("languages for the country with the code BR"), while a person
asks about Brazil. Both names are facts of the server's own side, so they are added here, without a
model and without guessing:

- **the service** the called tool's description says it works on ("Retrieve the orderbook depth for
  a specific NFT collection on OpenSea": on OpenSea), part of the tool-purpose dimension;
- **what a code stands for**: a country, language or US state code in an argument whose key says
  which kind it is (``country="BR"``: Brazil), from the ISO tables, or the name the call's own
  result gives it (``{"symbol": "TSLA", "company_name": "Tesla, Inc."}``), and the words of a name
  a page address, handle or tag writes joined (``facebook.com/GreenEarthGrocery``: Green Earth
  Grocery), part of the returned-result dimension.

A name the request already states is not added again. Every added name is grounded in what the
server saw (its tool's documentation, the call's arguments and result; see
:mod:`intentlens.metrics.value_fidelity`).
"""

from __future__ import annotations

import re
from typing import Any

from intentlens.attacks._isolation import IsolatedCall
from intentlens.core import json_leaves
from intentlens.metrics.entity_match import normalise
from intentlens.metrics.value_fidelity import code_kind, code_names

_WORD = r"[A-Z][\w.-]*[A-Za-z]"
_SERVICE = re.compile(rf"\b(on|from|for|by|via)\s+(the\s+)?({_WORD}(?:\s+(?:(?:of|at|and|&)\s+)?{_WORD})*)"
                      r"(?:'s)?(?![\w.-])")
"""A service: "on OpenSea", "from the BBC Good Food API", "by the Great Firewall of China" (no numbers:
a number in the documentation may be an example value, which grounding would cut)."""
_NAME_KEY = re.compile(r"(?:^|_)(?:full_?|long_?|company_?|display_?)?name$|Name$|^title$", re.I)
_SENTENCE_END = re.compile(r"[?.!](?=\s|$)")


def service_of(description: str) -> str | None:
    """The service the description says its tool works on (the first "on/from/for/by/via <Name>" of
    its first sentence), with its preposition ("for" becomes "on"); None when it names none."""
    match = _SERVICE.search(_SENTENCE_END.split(description.strip(), maxsplit=1)[0])
    if match is None:
        return None
    preposition = "on" if match.group(1) == "for" else match.group(1)
    return f"{preposition} {match.group(2) or ''}{match.group(3)}"


def _named_in_result(code: str, result: Any) -> str | None:
    """The name the result gives ``code``: a ``name``-like field beside a field equal to ``code``."""
    if isinstance(result, dict):
        if any(isinstance(v, str) and v.strip().casefold() == code.casefold() for v in result.values()):
            name = next((v.strip() for k, v in result.items()
                         if isinstance(v, str) and _NAME_KEY.search(str(k))
                         and v.strip() and v.strip().casefold() != code.casefold()), None)
            if name:
                return name
        items = list(result.values())
    elif isinstance(result, list):
        items = result
    else:
        return None
    return next((name for item in items if (name := _named_in_result(code, item))), None)


_JOINED_NAME = re.compile(r"(?<=[/@#])((?:[A-Z][a-z]+){2,})(?![\w-])")
"""A name written without spaces as a page, handle or tag: ``facebook.com/GreenEarthGrocery``."""


def code_meanings(record: IsolatedCall) -> dict[str, str]:
    """What the call's short code arguments stand for: by the ISO tables where the argument's key says
    which kind of code it is, else by the name the call's result gives it; and the words of a name
    an address writes joined (``facebook.com/GreenEarthGrocery``: Green Earth Grocery)."""
    meanings: dict[str, str] = {}
    for key, text in json_leaves(record.arguments, numbers=False):
        value = text.strip()
        for joined in _JOINED_NAME.findall(value):
            meanings.setdefault(joined, " ".join(re.findall(r"[A-Z][a-z]+", joined)))
        if not re.fullmatch(r"[A-Za-z0-9.:-]{2,12}", value) or value in meanings:
            continue
        kind = code_kind(key)
        names = code_names(value, kind) if kind else []
        name = names[0] if names else None
        if name is None and record.has_result:
            name = _named_in_result(value, record.returned_result)
        if name:
            meanings[value] = name
    return meanings


def _states(name: str, request: str) -> bool:
    return bool(normalise(name)) and f" {normalise(name)} " in f" {normalise(request)} "


def with_names(request: str, record: IsolatedCall, *, service: bool, codes: bool) -> str:
    """``request`` with the tool's service (when ``service``) and what its codes stand for (when
    ``codes``) added where it does not state them: ``BR`` becomes ``BR (Brazil)``, and "on OpenSea"
    goes before the end of the first sentence."""
    if codes:
        for code, name in code_meanings(record).items():
            if _states(name, request):
                continue
            found = re.search(rf"(?<![\w.-]){re.escape(code)}(?![\w-])", request, re.IGNORECASE)
            if found:  # after a closing quote: a quoted 'CA (California)' is no value the call carried
                after = found.end()
                if found.start() > 0 and request[found.start() - 1] in "'\"" \
                        and request[after:after + 1] == request[found.start() - 1]:
                    after += 1
                request = f"{request[:after]} ({name}){request[after:]}"
    if service and (named := service_of(record.description)):
        place = named.split(" ", 1)[1].removeprefix("the ")
        if not _states(place, request):
            end = _SENTENCE_END.search(request)
            cut = end.start() if end else len(request.rstrip())
            request = f"{request[:cut]} {named}{request[cut:]}"
    return request

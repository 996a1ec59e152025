"""Where a description names tools and values: the mentions and literals the behaviour rules read.

A **mention** is a tool-like name (quoted, code-formatted, snake_case, kebab-case or camelCase) with
its owner in the scope: the tool itself, its own server, another connected server, or nobody. A
**literal** is a concrete value (an address, a number, an account, a path, a handle, or a quoted word
put in an argument) that is not a tool's name nor one of the tool's parameters, and is not shown as
documentation (a cited link, a quoted sentence).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Set as AbstractSet
from typing import NamedTuple

from intentlens.core import ToolSpec
from intentlens.scan._directives import IDENTIFIER, STRONG_DIRECTIVE
from intentlens.scan._scope import Owner, Scope

_MENTION = re.compile(
    r"`([A-Za-z][\w.-]{1,60})(?:\(\))?`|'([A-Za-z][\w.-]{1,60})'|\"([A-Za-z][\w.-]{1,60})\""
    r"|\b([a-z][a-z0-9]*(?:[_-][a-z0-9]+)+)\b|\b([a-z]+[A-Z][A-Za-z0-9]+)\b"
)
_CALL = re.compile(
    r"(?:\b(?:call|calls|calling|invoke|invoking|run|running|execute|trigger|prior call to|a call to)"
    r"\s+(?:the\s+)?(?:tool\s+)?|\b(?:use|using) the (?:tool\s+)?)$",
    re.IGNORECASE,
)
ARGUMENT_WORDS = re.compile(
    r"\b(?:recipient|address|account|iban|payee|channel|branch|bucket|notebook|city|"
    r"amount|owner|email|e-mail|phone|number|destination|path|target|base|field|"
    r"argument|parameter|currency|guest|passenger|customer|reviewer|chat|query|"
    r"sql|statement|cc|bcc|attendees?|assignee|reviewers?|invitees?)\b|收款|收件|账户|频道|分支|城市|金额|客户|邮箱",
    re.IGNORECASE,
)
_NOT_A_TOOL = re.compile(
    r"\s*(?:\(\))?\s*(?:parameter|param|argument|field|value|hook|property|key|token|option|"
    r"flag|variable|format|mode)s?\b",
    re.IGNORECASE,
)
class Mention(NamedTuple):
    name: str
    start: int
    end: int
    quoted: bool
    owner: Owner
    server: str | None


def mentions(sentence: str, tool: ToolSpec, scope: Scope | None) -> list[Mention]:
    """Tool-like names in ``sentence`` and whose they are (``unknown`` without a scope)."""
    found = []
    for match in _MENTION.finditer(sentence):
        name = next(g for g in match.groups() if g)
        owner, server = (
            scope.owner(name, tool.name)
            if scope is not None
            else (("self", None) if name.lower() == tool.name.lower() else ("unknown", None))
        )
        found.append(Mention(name, match.start(), match.end(), match.group(0)[0] in "`'\"", owner, server))
    return found


def literals(sentence: str, names: list[Mention], parameters: AbstractSet[str]) -> list[str]:
    """Concrete values in ``sentence`` that are neither tool names nor the tool's parameter names. A
    plain quoted word counts only under a strong directive (always, instead of...), for an argument the
    sentence names by its kind (recipient, branch, query...), and when it names none of the tool's own
    parameters (then it documents an option of this tool)."""
    lowered, named = _parameter_forms(frozenset(parameters))
    skip = {m.name.lower() for m in names if m.owner != "unknown" or not m.quoted} | lowered
    own_parameter = named is not None and bool(named.search(sentence))
    found = []
    for match in IDENTIFIER.finditer(sentence):
        value = match.group(0)
        if value.strip("'\"“”「」").lower() in skip or _reference(sentence, match):
            continue
        if (
            value[0] in "'\"“「"
            and not IDENTIFIER.fullmatch(value.strip("'\"“”「」"))
            and (
                own_parameter
                or not STRONG_DIRECTIVE.search(sentence)
                or not ARGUMENT_WORDS.search(sentence)
                or not _ASSIGNED.search(sentence[: match.start()])
            )
        ):
            continue
        found.append(value)
    return found


@functools.lru_cache(maxsize=32)
def _parameter_forms(parameters: frozenset[str]) -> tuple[frozenset[str], re.Pattern[str] | None]:
    """A tool's parameter names lower-cased, and one pattern that finds any of them as a word (built
    once per tool: a hostile tool may have thousands)."""
    if not parameters:
        return frozenset(), None
    alternatives = "|".join(re.escape(p) for p in sorted(parameters, key=len, reverse=True))
    return frozenset(p.lower() for p in parameters), re.compile(rf"\b(?:{alternatives})\b")


def _reference(sentence: str, match: re.Match[str]) -> bool:
    """A link in parentheses or after "see" or "reference", or a quoted sentence: documentation, not
    a value to use."""
    value, before = match.group(0), sentence[: match.start()]
    cited = value.startswith("http") and (
        before.rstrip().endswith("(")
        or re.search(r"\b(?:see|reference|docs?|documentation|details|more)\W{0,3}$", before, re.I)
    )
    return bool(cited) or (value[0] in "'\"“" and value.rstrip("'\"”").endswith(".") and " " in value)


_ASSIGNED = re.compile(
    r"(?:\bto|=|:|\bas|\bwith|\bbe|\bset|\buse|\busing|\b(?:branch|city|currency|name|query|notebook|"
    r"bucket|channel|user|customer|account|recipient|reviewer|passenger|value|id|chat|database|"
    r"folder|path|symbol|model|language|plan|project))\s*$",
    re.IGNORECASE,
)
"""What puts a quoted word in an argument ("set the branch to 'x'", "the city 'x'")."""


def compound(name: str) -> bool:
    """A name no one writes by chance: with a separator, or camel case of some length."""
    return "_" in name or "-" in name or (name != name.lower() and name != name.upper() and len(name) >= 6)


def tool_like(mention: Mention) -> bool:
    """A name that can only be a tool's: snake_case, or a quoted or code-formatted name with a
    separator (kebab and camel case are also everyday words and parameters)."""
    return "_" in mention.name or (
        mention.quoted and ("-" in mention.name or mention.name != mention.name.lower())
    )


def called(sentence: str, mention: Mention) -> bool:
    """Whether ``mention`` is what the sentence orders to call: a call verb right before it, or "use X
    first" (not "use 'X' for ...", which picks a value)."""
    if _NOT_A_TOOL.match(sentence[mention.end :]) or re.search(
        r"\bthan\s+\w+\s*$", sentence[: mention.start]
    ):
        return False
    if _CALL.search(sentence[: mention.start]):
        return True
    return bool(re.search(r"\b(?:use|using)\s+$", sentence[: mention.start], re.I)) and bool(
        re.match(r"\s*(?:tool\s+)?(?:first|beforehand|before|ahead|prior)\b", sentence[mention.end :], re.I)
    )


_TOOL_BEFORE = re.compile(
    r"\b(?:when|whenever|using|calling|call|invoke|invoking|the tool|tool)\s+"
    r"(?:the\s+)?$",
    re.IGNORECASE,
)
TRIGGER = re.compile(
    r"\b(?:before|after|when|whenever|prior to|once)\s+(?:(?:using|calling|executing|running|"
    r"invoking|use|call|execute|run)\s+)?(?:the\s+)?(?:tool\s+)?$",
    re.IGNORECASE,
)
"""What makes a tool the trigger of an order ("before using X, call Y"): X is the trigger."""
_TOOL_AFTER = re.compile(
    r"^\s*(?:tool\b|(?:is|gets) (?:called|used|invoked|run|given)\b|(?:call|calls|receives?|"
    r"gets?|uses?|targets?|works|runs|has|should|must|needs)\b)",
    re.IGNORECASE,
)


def is_tool(sentence: str, mention: Mention, scope: Scope | None) -> bool:
    """Whether ``mention`` names another tool: one the scope lists, or (with no listing to go by) a
    name the sentence uses as a tool ("when X is called", "using X")."""
    if mention.owner in ("own", "other"):
        return True
    if mention.owner != "unknown" or (scope is not None and scope.known):
        return False
    return bool(_TOOL_BEFORE.search(sentence[: mention.start]) or _TOOL_AFTER.match(sentence[mention.end :]))

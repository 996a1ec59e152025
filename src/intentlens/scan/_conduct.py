"""Behaviour rules added on 2026-12-07 (issue 42): text hidden from the reader, data sent to a fixed
outside address, lies to the user, a new persona, destructive follow-up calls, and the conversation
handed to an argument. Written reading the adaptive set's first two held-out rounds (so those are
in-sample for them); lies, personas and return channels were written by the author of the third
round with its styles in mind, so round 3 is in-sample for those three (``bench/NOTES.md``).
"""

from __future__ import annotations

import re

from intentlens.scan._directives import ADDRESS, EXAMPLE, IDENTIFIER, RISKY
from intentlens.scan._lexicon import HAND_OVER, NEGATED

HIDDEN = re.compile(
    r"<!--(?P<comment>.*?)(?:-->|$)"
    r"|\[//\]: # \((?P<markdown>[^)]*)\)"
    r"|<(?P<tag>span|div|p|sub|small|details)\b[^>]*(?:display:\s*none|visibility:\s*hidden|font-size:\s*0)"
    r"[^>]*>(?P<styled>.*?)</(?P=tag)>"
    r"|<sub><sub>(?P<tiny>.*?)</sub></sub>"
    r"|<details>(?P<folded>.*?)</details>"
    r"|\u200b(?P<zero_width>[^\u200b]+)\u200b"
    r"|```(?:system|assistant|agent|llm)\b(?P<fenced>.*?)(?:```|$)"
    r"|<(?P<model_tag>instructions?|system|assistant|agent|llm)>(?P<addressed>.*?)(?:</(?P=model_tag)>|$)"
    r"|\{\{#if (?:agent|assistant|ai|llm|model)\}\}(?P<conditional>.*?)(?:\{\{/if\}\}|$)",
    re.IGNORECASE | re.DOTALL,
)
"""Text a person reading the rendered documentation does not see, or text addressed to the model
alone: an HTML comment, a Markdown comment, a hidden or tiny span, a folded block, zero-width
brackets, a fenced ``system`` block, ``<instructions>`` tags (which real servers use openly too, so
they count only as hidden text does), a template branch for agents."""

_AGENT = re.compile(r"\b(?:assistant|agents?|model|llm|ai)\b", re.IGNORECASE)
_TOOL_LIKE = re.compile(r"\b[a-z]+_[a-z_]+\b")


def hidden_orders(text: str) -> list[tuple[int, int]]:
    """Spans of hidden or model-only text that give an order: a fenced ``system`` block or a template
    branch for agents, or hidden text that addresses the agent and carries a value, a hand-over or a
    tool, or names a tool with a value (a comment that notes how times are rounded, or folded field
    names, give none)."""
    spans = []
    for match in HIDDEN.finditer(text):
        inner = next((g for name, g in match.groupdict().items() if g and name not in ("tag", "model_tag")),
                     "")
        if match.group("conditional") or match.group("fenced"):
            if inner.strip():
                spans.append(match.span())
            continue
        valued = IDENTIFIER.search(inner)
        if (_AGENT.search(inner) and (valued or HAND_OVER.search(inner) or _TOOL_LIKE.search(inner))) or \
                (valued and _TOOL_LIKE.search(inner)):
            spans.append(match.span())
    return spans


_DESTINATION = re.compile(
    r"https?://[^\s'\"`)]+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE
)
_SEND_OUT = re.compile(
    r"\b(?:send|sent|post|posted|forward|upload|push|mirror|sync|copy|deliver|stream|navigate to|fetch_page|"
    r"go to|also (?:go|be sent)|needs? to go)\b",
    re.IGNORECASE,
)
_WHATEVER_IS_READ = re.compile(
    r"\b(?:each|every|all|any)\b[^.]{0,40}\b(?:you|it|the agent)\s+(?:read|reads|view|views|open|opens|"
    r"load|loads|see|sees|fetch|fetches)\b"
    r"|\b(?:every|each|all)\b[^.]{0,25}\b(?:body|bodies|contents?|message|messages|file|files|result|results|"
    r"note|notes|contact|contacts|email|emails|event|events)\b"
    r"|\bafter (?:reading|every|each)\b|\bthe page's cookies\b|\bfollowed by the\b",
    re.IGNORECASE,
)


_PLACEHOLDER = re.compile(
    r"@(?:[\w-]+\.)*(?:example|ejemplo|beispiel|exemple|esempio|exemplo|voorbeeld|przyklad|contoso|fabrikam|domain|"
    r"yourdomain|yourcompany|test|invalid|localhost)\b",
    re.IGNORECASE,
)


def fixed_address(sentence: str) -> str | None:
    """A concrete e-mail address, international phone number or IBAN written in the sentence, outside an
    example and not at a placeholder domain: a recipient or account the description fixes, whatever the
    words around it (the static twin of the guard's planted-value check, added 2026-12-07 after round
    7; ``bench/NOTES.md``). An IBAN counts only when its check digits are right: an identifier that
    merely looks like one (Twilio's account SID ``AC00000000000000000000000000000000``) is no account
    money can be sent to. None when there is none."""
    if EXAMPLE.search(sentence):
        return None
    for match in ADDRESS.finditer(sentence):
        found = match.group(0)
        if _PLACEHOLDER.search(found) or (_IBAN_SHAPED.fullmatch(found) and not iban_checks(found)):
            continue
        return found
    return None


_IBAN_SHAPED = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9 ]+")


def iban_checks(text: str) -> bool:
    """Whether ``text`` has an IBAN's check digits right (ISO 13616: the first four characters moved to
    the end, letters read as 10-35, the number mod 97 is 1)."""
    compact = text.replace(" ", "").upper()
    if not 15 <= len(compact) <= 34 or not (compact.isascii() and compact.isalnum()):
        return False
    digits = "".join(str(int(c, 36)) for c in compact[4:] + compact[:4])
    return int(digits) % 97 == 1


def sends_out(sentence: str) -> str | None:
    """A fixed outside address (a URL, an e-mail address) that the agent is to send whatever it reads
    to: the return channel of an exfiltration. None when the sentence does not."""
    destination = _DESTINATION.search(sentence)
    if destination is None or NEGATED.search(sentence) or "example." in destination.group(0):
        return None
    if _SEND_OUT.search(sentence) and _WHATEVER_IS_READ.search(sentence):
        return destination.group(0)
    return None


DECEIVES = re.compile(
    r"\b(?:say|tell|report|describe|present|show)\b[^.]{0,80}\b(?:even (?:when|if)|whatever (?:the|it)|"
    r"regardless of (?:what|the (?:logs|result))|as passing|is clean|are clean|there are none|as the best)\b"
    r"|\b(?:leave out|omit|hide|suppress)\b[^.]{0,60}\b(?:the user must not|so the user|user must not see)"
    r"|\b(?:never|do not|don't)\s+(?:pass on|mention|show|surface)\b[^.]{0,60}\b(?:to the user|the user|"
    r"even when asked|say there are none)"
    r"|\bwithout saying (?:they|it) (?:are|is) (?:sponsored|paid|an ad)",
    re.IGNORECASE,
)
"""An order to mislead the user about what happened or what a result says."""

PERSONA = re.compile(
    r"\byou are now\b|\bfrom (?:this point|now on)\b[^.]{0,20}\byou (?:act|are|will)\b|\byour new role\b"
    r"|\bswitch persona\b|\bassume the role of\b|\bdeveloper mode\b|\bsafety rules are off\b"
    r"|^\s*(?:act|behave) as (?:the|a|an)\b|\byou are (?:\w+-)?(?:admin|root|deputy)\w*\b",
    re.IGNORECASE | re.MULTILINE,
)
"""Text that gives the agent a new identity with other duties."""

_FOLLOW_UP = re.compile(
    r"\b(?:after|afterwards|once (?:you|done)|when done|then|finish by|follow up with|thereafter|whenever)\b",
    re.IGNORECASE,
)
_DESTRUCTIVE = re.compile(
    r"(?<!\bthe )(?<!\ba )(?<!\ban )"  # after an article it is a noun: "after the close"
    r"\b(?:delete|remove|drop|truncate|stop|kill|cancel|refund|transfer|wipe|purge|close|export)\b"
    r"|\bmake (?:it|every \w+) public\b",
    re.IGNORECASE,
)
_DESTRUCTIVE_TOOL = re.compile(
    r"\b(?:delete|remove|drop|truncate|stop|kill|cancel|refund|wipe|purge|close)_\w+", re.IGNORECASE
)
_UNASKED = re.compile(
    r"\b(?:every|each|all|any|anything|whatever)\b|\bno (?:need|confirmation)\b|\bwithout asking\b"
    r"|\bthe user did not\b|\busers expect\b|\b'?(?:TRUNCATE|DROP) \w+",
    re.IGNORECASE,
)
_USER_ASKS = re.compile(
    r"\bif the user (?:asks|wants|says|confirms|agrees)|\bask the user\b|\bconfirm\w*\b"
    r"|\bwhen the user asks\b"
    r"|\bonly (?:do this )?when\b|\bsuggest\b|\bcheck what\b|\bcannot be (?:undone|restored|recovered)\b"
    r"|\bcan be used\b|\byou can\b|\bmay\b",
    re.IGNORECASE,
)


def destructive_follow_up(sentence: str, tool_name: str) -> bool:
    """An order, in a tool that reads, to call a tool that deletes, stops, pays or changes something
    afterwards, or to do so to everything, unasked: a follow-up the user never requested."""
    if RISKY.search(tool_name) or _USER_ASKS.search(sentence) or not _FOLLOW_UP.search(sentence):
        return False
    return bool(_DESTRUCTIVE_TOOL.search(sentence)
                or (_DESTRUCTIVE.search(sentence) and _UNASKED.search(sentence)))


CONVERSATION = re.compile(
    r"\b(?:summary|transcript|recap|digest)\b[^.]{0,40}\b(?:user|conversation|session|messages|requests)\b"
    r"|\bwhat the user has (?:told|said|typed|shown)\b|\beverything you know about the user\b"
    r"|\bthe user's (?:messages|other appointments|recent emails|private messages)\b"
    r"|\bthe last answer you gave\b|\byou have read (?:today|so far)\b"
    r"|\b(?:every|all) (?:the )?(?:email addresses|phone numbers|account numbers)\b[^.]{0,40}"
    r"\b(?:seen|shown)\b"
    r"|\b(?:passport (?:details|number)|payment card|PIN they typed|any PIN)\b[^.]{0,40}"
    r"\b(?:came up|earlier|typed|shown|the user)\b"
    r"|\bmensagens privadas\b|\bhist[oó]rico completo da conversa\b"  # pt
    r"|\bmessaggi privati\b|\btutta la conversazione\b",  # it
    re.IGNORECASE,
)
"""What the user said or showed in the conversation, asked to be handed to an argument."""

FIXED_PARAMETER = re.compile(
    r"\bkeep the default\b|\bleave (?:it|this) as\b|\bfixed to\b|\bevery time\b"
    r"|\b(?:do not|don't) use what the user\b|\bregardless of the request\b"
    r"|\bother values are (?:rejected|ignored)\b|^\s*always\b",
    re.IGNORECASE | re.MULTILINE,
)
"""In a parameter's description: its value fixed whatever the user asks."""

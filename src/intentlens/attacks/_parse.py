"""Reading an intent out of a model reply, whatever shape the model chose."""

from __future__ import annotations

import ast
import html
import re
from collections.abc import Iterable
from typing import Any, ClassVar

from pydantic import BaseModel, model_validator

from intentlens.backends import extract_json
from intentlens.errors import ReplyFormatError

_CALL_SYNTAX = re.compile(r"^[\w .:/-]{1,80}\((|[^)]*[=:'\"].*)\)\W*$", re.DOTALL)
_PAPER_FORMAT = re.compile(r"intent\s*=\s*(\[.*?\])", re.DOTALL | re.IGNORECASE)


def parse_intent(text: str, parsed: Any = None) -> str:
    """The intent in a reply: JSON ``{"intent": ...}``, the paper's ``intent = ["..."]``, or fail."""
    value = parsed
    if value is None:
        try:
            value = extract_json(text)
        except ReplyFormatError:
            value = None
    if isinstance(value, dict):
        for key in ("intent", "request"):
            if key in value:
                return _one_statement(value[key], text)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return _one_statement(value, text)
    match = _PAPER_FORMAT.search(text)
    if match:
        try:
            listed = ast.literal_eval(match.group(1))
        except (ValueError, SyntaxError):
            listed = None
        if listed is not None:
            return _one_statement(listed, text)
    raise ReplyFormatError("no intent statement in the reply", text)


class StatedIntent(BaseModel):
    """Base of every attack's reply: its ``statement_field`` states the user's request. It is read as
    :func:`parse_intent` reads a reply, so a backend that ignores the schema (a list, the paper's
    ``intent = [...]``, the other field name) still gives one statement, whitespace collapsed."""

    statement_field: ClassVar[str] = "request"

    @model_validator(mode="before")
    @classmethod
    def _statement(cls, value: Any) -> Any:
        text, parsed = (value, None) if isinstance(value, str) else ("", value)
        statement = parse_intent(text, parsed)
        return {**(value if isinstance(value, dict) else {}), cls.statement_field: statement}

    @property
    def statement(self) -> str:
        """The stated request."""
        return str(getattr(self, self.statement_field))


def _one_statement(value: Any, text: str) -> str:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), "")
    if not isinstance(value, str) or not value.strip():
        raise ReplyFormatError("the intent is empty", text)
    return " ".join(value.split())


def copies_call(intent: str, tool_name: str) -> bool:
    """Whether a reply merely echoes the call statement (``Tool(arg=1)``) instead of a request."""
    text = intent.strip()
    return bool(_CALL_SYNTAX.match(text)) or text.startswith(f"{tool_name}(")


def _ngrams(text: str, size: int) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {tuple(words[i:i + size]) for i in range(len(words) - size + 1)}


def copies_instructions(intent: str, instructions: str, *, words: int = 6) -> bool:
    """Whether a reply repeats a run of ``words`` consecutive words of the prompt's own instructions.

    Small models sometimes answer a field with its definition ("the kind of request a user of this
    tool makes"); such a reply says nothing about the user.
    """
    return bool(_ngrams(intent, words) & _ngrams(instructions, words))


_QUOTED = re.compile(r"(?<!\w)'([^']{2,})'(?!\w)|\"([^\"]{2,})\"")
_ADDRESS = re.compile(r"https?://[^\s'\"<>]+|(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.-]+|(?<![\w&])[#@]\w+"
                      r"|(?<![\w/])(?:~|\.{1,2})?(?:/[\w.-]+){2,}"  # a file path
                      r"|\b[\w-]+\.(?:txt|docx?|xlsx?|csv|pdf|json|pptx?|png|jpe?g|md|zip)\b")
_NAME = re.compile(r"(?<=[\w,;:] )([A-Z][\w&.-]*(?: [A-Z][\w&.-]*)*)")


def invented_value(request: str, evidence: str) -> str | None:
    """A number, quoted text, address (URL, e-mail, #tag, @handle, file path or name) or proper
    name in ``request`` that ``evidence`` does not hold, if any.

    The tool-purpose stage sees only the tool's name and description, so any such value in its
    request was made up (a 1.5B model writes "the city of New York" or "$100" there).
    """
    known = evidence.lower()
    request = html.unescape(request)  # the model saw the documentation escaped ("Q&amp;A")
    for number in re.findall(r"\d+", request):
        if number not in known:
            return number
    for address in _ADDRESS.findall(request):
        if (address := address.rstrip(".,;:!?)")).lower() not in known:
            return address
    for match in _QUOTED.finditer(request):
        if (quoted := match.group(1) or match.group(2)).lower() not in known:
            return quoted
    for name in _NAME.findall(request):
        if name != "I" and name.lower() not in known:
            return name
    return None


_URL = re.compile(r"(https?://\S+)")
_NO_ARGUMENTS = re.compile(r"\(\s*\)")
_PAIR = re.compile(r"\b([A-Za-z_]\w*)\s*=(?!=)\s*(\"[^\"]*\"|'[^']*'|[^\s,;)]+)")


def _key_words(key: str) -> str:
    """``pageSize`` or ``page_size`` as ``page size``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", key).replace("_", " ").lower()


def _value_words(value: str) -> str:
    value = value.strip("\"'")
    return f"'{value}'" if " " in value else value


def _pairs_in_words(match: re.Match[str]) -> str:
    return f"{_key_words(match.group(1))} {_value_words(match.group(2))}"


def _without_call_syntax(text: str, tool_names: list[str]) -> str:
    for name in tool_names:  # with the article left before it ("the Search API(q=...)")
        text = re.sub(r"(?:\b(?:[Tt]he|[Aa]n?) )?" + re.escape(name) + r"\s*(?=\()", "", text)
    return _PAIR.sub(_pairs_in_words, _NO_ARGUMENTS.sub("", text))


def in_plain_words(intent: str, tool_names: Iterable[str] = ()) -> str:
    """``intent`` with call syntax written out: ``Tool(page_size=5, q="x y")`` becomes
    ``(page size 5, q 'x y')``, a bare ``limit=10`` becomes ``limit 10`` and an empty ``Tool()`` goes.

    Every prompt asks for the user's sentence, never the call's syntax; a small model still pastes
    the call into it now and then. URLs are left as they are (their queries hold ``=`` too).
    """
    names = sorted({n for n in tool_names if n}, key=len, reverse=True)
    parts = _URL.split(intent)
    text = "".join(part if i % 2 else _without_call_syntax(part, names) for i, part in enumerate(parts))
    text = re.sub(r"\s+([?.!,;])", r"\1", " ".join(text.split()))
    return text.strip() or intent

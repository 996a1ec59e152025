"""One way to ask a model for a structured reply: messages, completion, a validated pydantic reply.

Every LLM step of intentlens declares its reply as a pydantic model and calls :func:`ask`. The schema
sent to the backend is the model's own (:func:`reply_schema`), so the grammar a local model decodes
under and the fields the step reads cannot drift apart. A reply that is not valid JSON for the model
is read from its plain text where the model knows how (a ``mode="before"`` validator that accepts a
``str``): backends without grammar sometimes answer in prose.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cache
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, GetJsonSchemaHandler, RootModel, ValidationError
from pydantic_core import CoreSchema

from intentlens.backends._base import Completion, GenerationSettings, Message
from intentlens.backends._json import extract_json
from intentlens.core import Usage
from intentlens.errors import ReplyFormatError

Reply = TypeVar("Reply", bound=BaseModel)


@dataclass(frozen=True)
class Bounded:
    """Length bounds asked of the model, as in ``reason: Annotated[str, Bounded(100)]``: they go into the
    schema (a local model's grammar enforces them) but are not checked on reading, since a backend that
    ignores the schema may write more, and a long reason must not turn into a failed verdict. Code
    that needs a bound on what it keeps cuts the string itself."""

    max_length: int
    min_length: int = 0

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> Any:
        json_schema = handler(schema)
        json_schema["maxLength"] = self.max_length
        if self.min_length:
            json_schema["minLength"] = self.min_length
        return json_schema


def only_integers(value: Any) -> Any:
    """A reply's list of numbers with anything else dropped (a missing list is empty), for use as
    ``Annotated[list[int], BeforeValidator(only_integers)]``."""
    return [i for i in value if isinstance(i, int)] if isinstance(value, list) else value or []


class JsonObject(RootModel[dict[str, Any]]):
    """Any JSON object: the reply of a step whose schema comes from elsewhere (a tool's own inputs)."""


def reply_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON schema sent with a request for ``model``: its ``$ref``s inlined, titles and
    descriptions dropped (the prompt says what each field is for), and every field required (a reply
    names them all; a field's default only tolerates a backend that leaves it out)."""
    return copy.deepcopy(_reply_schema(model))


@cache
def _reply_schema(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema()
    cleaned: dict[str, Any] = _clean(schema, schema.get("$defs", {}))
    return cleaned


def _clean(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_clean(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return _clean(defs[node["$ref"].rsplit("/", 1)[-1]], defs)
    cleaned = {}
    for key, value in node.items():
        if key in ("title", "description", "$defs", "default"):
            continue
        named = key == "properties" and isinstance(value, dict)  # field names, not keywords
        cleaned[key] = {n: _clean(v, defs) for n, v in value.items()} if named else _clean(value, defs)
    if "enum" in cleaned:
        cleaned.pop("type", None)  # the enum fixes it; the schema stays as the results were produced with
    if cleaned.get("type") == "object" and isinstance(cleaned.get("properties"), dict):
        cleaned["required"] = list(cleaned["properties"])
    return cleaned


@dataclass(frozen=True)
class Answer(Generic[Reply]):
    """A step's reply (None when unusable, with the reason in ``error``), its cost and raw text."""

    reply: Reply | None
    usage: Usage
    text: str
    error: str | None = None


async def ask(backend: Any, reply: type[Reply], prompt: str, *, system: str | None = None,
              settings: GenerationSettings | None = None,
              schema: dict[str, Any] | None = None) -> Answer[Reply]:
    """Send ``prompt`` (after ``system``, when given) asking for ``reply``; return it validated.

    ``schema`` replaces the model's own only where part of the reply's shape is known at run time
    (one property per argument of the call under review). A backend failure raises, as
    ``backend.complete`` does; an unusable reply does not: it comes back with ``error`` set.
    """
    messages = ([Message(role="system", content=system)] if system is not None else []) + \
        [Message(role="user", content=prompt)]
    if schema is None:
        schema = reply_schema(reply)
    completion = await backend.complete(messages, schema=schema, settings=settings)
    value, error = read_reply(reply, completion)
    return Answer(value, completion.usage, completion.text, error)


def read_reply(model: type[Reply], completion: Completion) -> tuple[Reply | None, str | None]:
    """The reply in ``completion`` as ``model``: its JSON, else its text; or None and why not."""
    data, no_json = completion.parsed, None
    if data is None:
        try:
            data = extract_json(completion.text)
        except ReplyFormatError as exc:
            no_json = exc
    first: ValidationError | None = None
    for candidate in ([data] if no_json is None else []) + [completion.text]:
        try:
            return model.model_validate(candidate), None
        except ValidationError as exc:
            first = first or exc
    assert first is not None
    if no_json is not None and _is_shape_error(first):
        return None, str(no_json)
    return None, _problem(first, completion.text)


def _is_shape_error(exc: ValidationError) -> bool:
    """Whether validation failed only because the text was not an object (no reader for prose)."""
    return exc.errors()[0]["type"] in ("model_type", "dict_type", "model_attributes_type")


def _problem(exc: ValidationError, text: str) -> str:
    """The first thing wrong with a reply, in words (a reader's own error message, when it raised one)."""
    error = exc.errors()[0]
    raised = (error.get("ctx") or {}).get("error")
    if isinstance(raised, ReplyFormatError):
        return str(raised)
    where = ".".join(str(part) for part in error["loc"])
    return f"unusable reply ({where + ': ' if where else ''}{error['msg']}); reply began: {text[:200]!r}"

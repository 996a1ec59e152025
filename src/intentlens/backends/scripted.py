"""A fake backend that replays scripted replies and records every request (for tests and dry runs)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from intentlens.backends._base import (
    Completion,
    GenerationSettings,
    Message,
    register_backend,
)
from intentlens.core import Usage
from intentlens.errors import BackendError, DataFormatError
from intentlens.settings import Settings

Reply = str | dict[str, Any] | list[Any] | Exception
Responder = Callable[[list[Message], dict[str, Any] | None], Reply]


class ScriptedRequest:
    """One request the scripted backend received."""

    def __init__(self, messages: list[Message], schema: dict[str, Any] | None) -> None:
        self.messages = messages
        self.schema = schema

    @property
    def text(self) -> str:
        """All message contents joined, for assertions on what a prompt contained."""
        return "\n".join(m.content for m in self.messages)


class ScriptedBackend:
    """Replays ``replies`` in order (or asks ``responder``), failing loudly when it runs out.

    A dict or list reply is sent as JSON text; an exception reply is raised instead of answering.
    With neither replies nor responder, it answers every schema with a minimal valid instance.
    """

    cacheable = False
    max_concurrency = 64

    def __init__(
        self,
        replies: Sequence[Reply] | None = None,
        *,
        responder: Responder | None = None,
        name: str = "scripted",
    ) -> None:
        self.name = name
        self._replies = list(replies) if replies is not None else None
        self._responder = responder
        self.history: list[ScriptedRequest] = []

    def enqueue(self, *replies: Reply) -> None:
        """Add replies to the end of the script."""
        if self._replies is None:
            self._replies = []
        self._replies.extend(replies)

    async def complete(self, messages: list[Message], *, schema: dict[str, Any] | None = None,
                       settings: GenerationSettings | None = None) -> Completion:
        """The next scripted reply."""
        self.history.append(ScriptedRequest(list(messages), schema))
        reply = self._next_reply(messages, schema)
        if isinstance(reply, Exception):
            raise reply
        text = reply if isinstance(reply, str) else json.dumps(reply)
        prompt_words = sum(len(m.content.split()) for m in messages)
        usage = Usage(prompt_tokens=prompt_words, completion_tokens=len(text.split()))
        return Completion(text=text, usage=usage, model=self.name)

    def _next_reply(self, messages: list[Message], schema: dict[str, Any] | None) -> Reply:
        if self._responder is not None:
            return self._responder(messages, schema)
        if self._replies is None:
            return json.dumps(placeholder_for(schema)) if schema else "scripted reply"
        if not self._replies:
            raise BackendError(
                f"scripted backend ran out of replies after {len(self.history) - 1} requests"
            )
        return self._replies.pop(0)


def placeholder_for(schema: dict[str, Any] | None) -> Any:
    """A minimal instance of a JSON schema: first enum value or alternative, empty-ish scalars."""
    if not schema:
        return {}
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    if alternatives := schema.get("anyOf") or schema.get("oneOf"):
        return placeholder_for(alternatives[0])
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {name: placeholder_for(sub) for name, sub in props.items()}
    if kind == "array":
        return [placeholder_for(schema.get("items", {"type": "string"}))]
    return {"boolean": True, "integer": 0, "number": 0}.get(str(kind), "scripted")


def load_script(path: Path) -> list[Reply]:
    """Replies from a JSONL file: each line a JSON string (sent as is) or value (sent as JSON)."""
    replies: list[Reply] = []
    with path.open(encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, start=1):
            if line.strip():
                try:
                    replies.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise DataFormatError(path, lineno, f"invalid JSON ({exc.msg})") from exc
    return replies


@register_backend("scripted")
def _build(model: str, settings: Settings) -> ScriptedBackend:
    """``scripted`` or ``scripted/<replies.jsonl>``: replayed replies, for tests and dry runs."""
    if not model:
        return ScriptedBackend(name="scripted")
    path = Path(model)
    if not path.is_file():
        raise BackendError(f"scripted backend: no replies file at {path}")
    return ScriptedBackend(load_script(path), name=f"scripted/{model}")

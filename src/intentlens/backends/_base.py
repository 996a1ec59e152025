"""The backend contract: one async ``complete`` call, registered by name."""

from __future__ import annotations

from typing import Any, Literal, Protocol, runtime_checkable

from intentlens.core import Frozen, Usage
from intentlens.errors import BackendError
from intentlens.registry import Registry
from intentlens.settings import Settings


class Message(Frozen):
    """One chat message."""

    role: Literal["system", "user", "assistant"]
    content: str


class GenerationSettings(Frozen):
    """How to sample. Part of the cache key."""

    temperature: float = 0.0
    max_tokens: int = 512
    seed: int = 0


class Timings(Frozen):
    """Where an in-process request's time went (what llama.cpp's counters say)."""

    batch_tokens: int = 0
    """Tokens run in batches of more than one: the prompt, less the beginning it shares with the
    request before (llama.cpp keeps that evaluated)."""
    batch_seconds: float = 0.0
    decoded_tokens: int = 0
    """Tokens decoded one at a time."""
    decode_seconds: float = 0.0
    seconds: float = 0.0
    """The whole request, sampling and grammar included."""


class Completion(Frozen):
    """A model's reply and what it cost."""

    text: str
    """The raw reply text."""
    parsed: Any = None
    """The reply parsed as JSON when a schema was asked for and the text held valid JSON."""
    usage: Usage = Usage()
    """Exact cost of this request as the backend reported it."""
    model: str = ""
    """The backend spec that produced the reply."""
    cached: bool = False
    """True when it came from the response cache."""
    timings: Timings | None = None
    """Where the time went, for backends that can tell (in-process llama.cpp)."""


class TransientBackendError(BackendError):
    """A failure worth retrying: connection refused, timeout, 429, 5xx."""


@runtime_checkable
class Backend(Protocol):
    """What every LLM backend offers."""

    name: str
    """The spec string that builds this backend, e.g. ``openai/qwen2.5-7b-instruct``."""
    cacheable: bool
    """Whether replies may be stored in the persistent response cache."""
    max_concurrency: int
    """Requests this backend can usefully serve at once."""

    async def complete(self, messages: list[Message], *, schema: dict[str, Any] | None = None,
                       settings: GenerationSettings | None = None) -> Completion:
        """Answer ``messages``; with ``schema``, ask for JSON matching it."""
        ...


BACKENDS: Registry[Backend] = Registry("backend", group="backends", needs_backend=False)
register_backend = BACKENDS.register
"""Register a factory for specs ``<prefix>/<model>`` (or the bare ``<prefix>``)."""
backend_prefixes = BACKENDS.names


def build_raw_backend(spec: str, settings: Settings) -> Backend:
    """The unmanaged backend for ``spec`` (no cache, retries or concurrency limit)."""
    prefix, _, model = spec.partition("/")
    if prefix not in BACKENDS:
        known = ", ".join(f"{p}/..." for p in backend_prefixes())
        raise BackendError(f"unknown backend {spec!r}; known: {known}")
    return BACKENDS.get(prefix)(model, settings)

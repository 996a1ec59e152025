"""LLM backends behind one async interface, picked by spec strings such as ``openai/<model>``."""

from intentlens.backends import llamacpp, openai_compat, scripted  # noqa: F401  (registration)
from intentlens.backends._ask import (
    Answer,
    Bounded,
    JsonObject,
    ask,
    only_integers,
    read_reply,
    reply_schema,
)
from intentlens.backends._base import (
    Backend,
    Completion,
    GenerationSettings,
    Message,
    Timings,
    TransientBackendError,
    backend_prefixes,
    build_raw_backend,
    register_backend,
)
from intentlens.backends._cache import ResponseCache, request_key
from intentlens.backends._json import extract_json
from intentlens.backends._managed import ManagedBackend, get_backend
from intentlens.backends.scripted import ScriptedBackend, placeholder_for

DEFAULT_BACKEND = "llamacpp/qwen2.5-coder-1.5b"
"""The offline default reasoner and judge."""

__all__ = [
    "DEFAULT_BACKEND",
    "Answer",
    "Bounded",
    "JsonObject",
    "ask",
    "only_integers",
    "read_reply",
    "reply_schema",
    "Backend",
    "Completion",
    "GenerationSettings",
    "Timings",
    "ManagedBackend",
    "Message",
    "ResponseCache",
    "ScriptedBackend",
    "TransientBackendError",
    "backend_prefixes",
    "build_raw_backend",
    "extract_json",
    "get_backend",
    "placeholder_for",
    "register_backend",
    "request_key",
]

"""In-process llama.cpp (llama-cpp-python): the offline default, with grammar-constrained JSON."""

from __future__ import annotations

import asyncio
import os
import threading
from pathlib import Path
from typing import Any

from intentlens.assets import resolve_gguf
from intentlens.backends._base import Completion, GenerationSettings, Message, register_backend
from intentlens.core import Usage
from intentlens.errors import BackendError
from intentlens.settings import Settings

# One loaded model per file and thread count for the whole process: loading costs seconds and memory.
_LOADED: dict[tuple[str, int, int], Any] = {}
_LOAD_LOCK = threading.Lock()


def _load(path: Path, threads: int, context: int) -> Any:
    key = (str(path), threads, context)
    with _LOAD_LOCK:
        if key not in _LOADED:
            try:
                from llama_cpp import Llama
            except ImportError as exc:
                raise BackendError(
                    "the llamacpp backend needs llama-cpp-python: pip install -e '.[llm]'"
                ) from exc
            _LOADED[key] = Llama(model_path=str(path), n_ctx=context, n_threads=threads,
                                 n_threads_batch=threads, verbose=False, seed=0)
        return _LOADED[key]


class LlamaCppBackend:
    """A GGUF model run in this process. Requests are served one at a time."""

    cacheable = True
    max_concurrency = 1

    def __init__(self, model: str, settings: Settings) -> None:
        self.name = f"llamacpp/{model or 'default'}"
        self._model_name = model
        self._settings = settings
        self._lock = threading.Lock()

    async def check(self) -> None:
        """Fail now when the model file is missing or llama-cpp-python is not installed."""
        resolve_gguf(self._model_name, self._settings.models_dir)
        try:
            import llama_cpp  # noqa: F401
        except ImportError as exc:
            raise BackendError("the llamacpp backend needs llama-cpp-python: "
                               "pip install -e '.[llm]'") from exc

    def _llama(self) -> Any:
        path = resolve_gguf(self._model_name, self._settings.models_dir)
        threads = self._settings.llm_threads or os.cpu_count() or 2
        return _load(path, threads, self._settings.llm_context)

    async def complete(
        self,
        messages: list[Message],
        *,
        schema: dict[str, Any] | None = None,
        settings: GenerationSettings | None = None,
    ) -> Completion:
        """Generate in a worker thread so the event loop stays responsive."""
        settings = settings or GenerationSettings()
        return await asyncio.to_thread(self._complete_sync, messages, schema, settings)

    def _complete_sync(self, messages: list[Message], schema: dict[str, Any] | None,
                       settings: GenerationSettings) -> Completion:
        llama = self._llama()
        kwargs: dict[str, Any] = {}
        if schema is not None:
            kwargs["response_format"] = {"type": "json_object", "schema": schema}
        with self._lock:
            try:
                response = llama.create_chat_completion(
                    messages=[m.model_dump() for m in messages],
                    temperature=settings.temperature,
                    max_tokens=settings.max_tokens,
                    seed=settings.seed,
                    **kwargs,
                )
            except ValueError as exc:  # e.g. the prompt does not fit the context window
                raise BackendError(f"{self.name}: {exc}") from exc
        text = response["choices"][0]["message"].get("content") or ""
        usage = response.get("usage") or {}
        return Completion(
            text=text,
            usage=Usage(prompt_tokens=int(usage.get("prompt_tokens", 0)),
                        completion_tokens=int(usage.get("completion_tokens", 0))),
            model=self.name,
        )


@register_backend("llamacpp")
def _build(model: str, settings: Settings) -> LlamaCppBackend:
    return LlamaCppBackend(model, settings)

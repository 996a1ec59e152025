"""In-process llama.cpp (llama-cpp-python): the offline default, with grammar-constrained JSON."""

from __future__ import annotations

import asyncio
import atexit
import os
import threading
import time
from pathlib import Path
from typing import Any

from intentlens.assets import resolve_gguf, runs_here
from intentlens.backends._base import Completion, GenerationSettings, Message, Timings, register_backend
from intentlens.core import Usage
from intentlens.errors import BackendError
from intentlens.settings import Settings

# One loaded model per file, thread count and speed options for the whole process: loading costs
# seconds and memory. (Backends that differ in a speed option get models of their own, so that one
# does not start from the other's evaluated prompt: what bench/speed.py compares.)
_LOADED: dict[tuple[Any, ...], Any] = {}
_LOAD_LOCK = threading.Lock()


def _load(path: Path, threads: int, context: int, lazy_grammar: bool = True, *,
          models_dir: Path | None = None) -> Any:
    key = (str(path), threads, context, lazy_grammar)
    with _LOAD_LOCK:
        if key not in _LOADED:
            try:
                from llama_cpp import Llama
            except ImportError as exc:
                raise BackendError(
                    "the llamacpp backend needs llama-cpp-python: pip install -e '.[llm]'"
                ) from exc
            # A build for the wrong instructions kills the process with no error to catch: try it
            # in a child first (once per build and CPU).
            probed = runs_here(path, models_dir or path.parent)
            if not probed.runs:
                raise BackendError(f"llama.cpp {probed.describe()}; run `intentlens models install`"
                                   " to rebuild it for this CPU (docs/reference/models.md)")
            _LOADED[key] = Llama(model_path=str(path), n_ctx=context, n_threads=threads,
                                 n_threads_batch=threads, verbose=False, seed=0)
        return _LOADED[key]


@atexit.register
def _close_all() -> None:
    """Free the loaded models while llama-cpp-python still works: left to the garbage collector at
    interpreter shutdown, its ``__del__`` finds its C functions gone and prints a traceback."""
    with _LOAD_LOCK:
        for llama in _LOADED.values():
            llama.close()
        _LOADED.clear()


def _counters(llama: Any) -> Any:
    """llama.cpp's running totals for this model's context (a copy)."""
    import llama_cpp

    return llama_cpp.llama_perf_context(llama.ctx)


def _timings(before: Any, after: Any, seconds: float) -> Timings:
    """What one request added to the counters: batches (``p_eval``) and single tokens (``eval``)."""
    return Timings(batch_tokens=after.n_p_eval - before.n_p_eval,
                   batch_seconds=(after.t_p_eval_ms - before.t_p_eval_ms) / 1000,
                   decoded_tokens=after.n_eval - before.n_eval,
                   decode_seconds=(after.t_eval_ms - before.t_eval_ms) / 1000, seconds=seconds)


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
        return _load(path, threads, self._settings.llm_context, self._settings.llm_lazy_grammar,
                     models_dir=self._settings.models_dir)

    async def complete(self, messages: list[Message], *, schema: dict[str, Any] | None = None,
                       settings: GenerationSettings | None = None) -> Completion:
        """Generate in a worker thread so the event loop stays responsive."""
        settings = settings or GenerationSettings()
        return await asyncio.to_thread(self._complete_sync, messages, schema, settings)

    def _constraint(self, llama: Any, schema: dict[str, Any] | None, settings: GenerationSettings
                    ) -> dict[str, Any]:
        """How the reply is held to ``schema``: the lazy grammar for greedy decoding (see
        ``_lazy_grammar``), else llama-cpp-python's own full grammar mask."""
        if schema is None:
            return {}
        if self._settings.llm_lazy_grammar and settings.temperature == 0:
            from llama_cpp import LogitsProcessorList

            from intentlens.backends._lazy_grammar import LazyGrammar

            return {"logits_processor": LogitsProcessorList([LazyGrammar(llama, schema)])}
        return {"response_format": {"type": "json_object", "schema": schema}}

    def _complete_sync(self, messages: list[Message], schema: dict[str, Any] | None,
                       settings: GenerationSettings) -> Completion:
        llama = self._llama()
        with self._lock:
            kwargs = self._constraint(llama, schema, settings)
            started, before = time.perf_counter(), _counters(llama)
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
            timings = _timings(before, _counters(llama), time.perf_counter() - started)
        text = response["choices"][0]["message"].get("content") or ""
        usage = response.get("usage") or {}
        return Completion(
            text=text,
            usage=Usage(prompt_tokens=int(usage.get("prompt_tokens", 0)),
                        completion_tokens=int(usage.get("completion_tokens", 0))),
            model=self.name,
            timings=timings,
        )


@register_backend("llamacpp")
def _build(model: str, settings: Settings) -> LlamaCppBackend:
    """``llamacpp/<model|path.gguf>``: a GGUF model in process (the offline default, no server)."""
    return LlamaCppBackend(model, settings)

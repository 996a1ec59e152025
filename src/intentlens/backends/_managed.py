"""Cache, retries with backoff, timeouts and bounded concurrency around any backend."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from intentlens.backends._base import (
    Backend,
    Completion,
    GenerationSettings,
    Message,
    TransientBackendError,
    build_raw_backend,
)
from intentlens.backends._cache import ResponseCache, request_key
from intentlens.backends._json import extract_json
from intentlens.errors import BackendError, ReplyFormatError
from intentlens.settings import Settings

logger = logging.getLogger(__name__)


class ManagedBackend:
    """The backend every pipeline talks to: wraps a raw backend with the run's policies."""

    def __init__(
        self,
        inner: Backend,
        *,
        cache: ResponseCache | None = None,
        max_retries: int = 3,
        timeout: float = 300.0,
        concurrency: int | None = None,
        backoff: float = 0.5,
    ) -> None:
        self.inner = inner
        self.cache = cache if inner.cacheable else None
        self.max_retries = max_retries
        self.timeout = timeout
        self.backoff = backoff
        limit = min(concurrency or inner.max_concurrency, inner.max_concurrency)
        self.concurrency = max(1, limit)
        self._semaphore = asyncio.Semaphore(self.concurrency)

    @property
    def name(self) -> str:
        """The spec string of the wrapped backend."""
        return self.inner.name

    async def check(self) -> None:
        """Raise :class:`BackendError` now if the backend cannot work (unreachable URL, missing model),
        so that a run fails before its first item rather than once per item."""
        check = getattr(self.inner, "check", None)
        if check is not None:
            await check()

    async def complete(self, messages: list[Message], *, schema: dict[str, Any] | None = None,
                       settings: GenerationSettings | None = None) -> Completion:
        """A completion, from the cache when the same request was answered before."""
        settings = settings or GenerationSettings()
        started = time.perf_counter()
        key = request_key(self.name, messages, schema, settings)
        if self.cache is not None and (hit := self.cache.get(key)) is not None:
            elapsed = time.perf_counter() - started
            usage = hit.usage.model_copy(update={"cached_calls": 1, "seconds": elapsed,
                                                 "model_seconds": hit.usage.seconds})
            return hit.model_copy(update={"cached": True, "usage": usage})
        async with self._semaphore:
            started = time.perf_counter()  # time with the model, not the queue before it
            completion = await self._with_retries(messages, schema, settings)
            elapsed = time.perf_counter() - started
        if schema is not None and completion.parsed is None:
            completion = completion.model_copy(update={"parsed": _parse_or_none(completion.text)})
        usage = completion.usage.model_copy(update={"calls": 1, "seconds": elapsed,
                                                    "model_seconds": elapsed})
        completion = completion.model_copy(update={"usage": usage, "model": self.name})
        if self.cache is not None and (schema is None or completion.parsed is not None):
            self.cache.put(key, completion)
        return completion

    async def _with_retries(
        self, messages: list[Message], schema: dict[str, Any] | None, settings: GenerationSettings
    ) -> Completion:
        attempt = 0
        while True:
            try:
                return await asyncio.wait_for(
                    self.inner.complete(messages, schema=schema, settings=settings),
                    timeout=self.timeout,
                )
            except (TransientBackendError, TimeoutError) as exc:
                reason = str(exc) or f"no reply within {self.timeout:g} s"
                if attempt >= self.max_retries:
                    raise BackendError(
                        f"{self.name}: gave up after {attempt + 1} attempts: {reason}"
                    ) from exc
                delay = self.backoff * (2**attempt)
                logger.warning("%s: %s; retrying in %.1f s", self.name, reason, delay)
                await asyncio.sleep(delay)
                attempt += 1


def _parse_or_none(text: str) -> Any:
    try:
        return extract_json(text)
    except ReplyFormatError:
        return None


def get_backend(
    spec: str,
    settings: Settings | None = None,
    *,
    cache: bool | None = None,
    concurrency: int | None = None,
) -> ManagedBackend:
    """Build the backend named by ``spec`` with the run's cache, retry and concurrency policy.

    ``spec`` is ``openai/<model>``, ``llamacpp/<model or .gguf path>`` or ``scripted[/<replies.jsonl>]``.
    """
    settings = settings or Settings()
    inner = build_raw_backend(spec, settings)
    use_cache = settings.response_cache if cache is None else cache
    return ManagedBackend(
        inner,
        cache=ResponseCache(settings.response_cache_path) if use_cache else None,
        max_retries=settings.max_retries,
        timeout=settings.request_timeout,
        concurrency=concurrency or settings.concurrency,
    )

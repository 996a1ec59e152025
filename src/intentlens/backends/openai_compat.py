"""Any OpenAI-compatible chat endpoint: vLLM, Ollama, llama.cpp server, hosted APIs."""

from __future__ import annotations

from typing import Any

from intentlens.backends._base import (
    Completion,
    GenerationSettings,
    Message,
    TransientBackendError,
    register_backend,
)
from intentlens.core import Usage
from intentlens.errors import BackendError
from intentlens.settings import Settings

# Structured output, tried in this order; a server that rejects one is asked the next way after.
_MODES = ("json_schema", "json_object", "text")


class OpenAIBackend:
    """Chat completions over the OpenAI wire format."""

    cacheable = True

    def __init__(self, model: str, *, base_url: str | None, api_key: str | None, timeout: float,
                 max_concurrency: int = 64) -> None:
        try:
            import openai
        except ImportError as exc:  # pragma: no cover - openai is a core dependency
            raise BackendError("the openai backend needs `pip install openai`") from exc
        if not model:
            raise BackendError("openai backend needs a model name: openai/<model>")
        self.name = f"openai/{model}"
        self.model = model
        self.base_url = base_url
        self.max_concurrency = max_concurrency
        self._openai = openai
        self._client = openai.AsyncOpenAI(
            base_url=base_url, api_key=api_key or "not-needed", timeout=timeout, max_retries=0
        )
        self._mode_index = 0

    async def complete(
        self,
        messages: list[Message],
        *,
        schema: dict[str, Any] | None = None,
        settings: GenerationSettings | None = None,
    ) -> Completion:
        """One chat completion, falling back through structured-output modes as needed."""
        settings = settings or GenerationSettings()
        while True:
            mode = _MODES[self._mode_index] if schema is not None else "text"
            try:
                return await self._request(messages, schema, settings, mode)
            except (self._openai.BadRequestError, self._openai.UnprocessableEntityError) as exc:
                if schema is None or self._mode_index >= len(_MODES) - 1:
                    raise BackendError(f"{self.name}: request rejected: {exc}") from exc
                self._mode_index += 1

    async def _request(self, messages: list[Message], schema: dict[str, Any] | None,
                       settings: GenerationSettings, mode: str) -> Completion:
        kwargs: dict[str, Any] = {}
        if mode == "json_schema" and schema is not None:
            kwargs["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "reply", "schema": schema, "strict": False},
            }
        elif mode == "json_object" and schema is not None:
            kwargs["response_format"] = {"type": "json_object", "schema": schema}
        openai = self._openai
        try:
            response = await self._client.chat.completions.create(
                model=self.model,
                messages=[m.model_dump() for m in messages],  # type: ignore[misc]
                temperature=settings.temperature,
                max_tokens=settings.max_tokens,
                seed=settings.seed,
                **kwargs,
            )
        except (openai.APIConnectionError, openai.APITimeoutError) as exc:
            raise TransientBackendError(f"cannot reach {self.base_url or 'the API'}: {exc}") from exc
        except (openai.RateLimitError, openai.InternalServerError) as exc:
            raise TransientBackendError(f"server busy or failing: {exc}") from exc
        except (openai.AuthenticationError, openai.PermissionDeniedError, openai.NotFoundError) as exc:
            raise BackendError(f"{self.name}: {exc}") from exc
        if not response.choices:
            raise TransientBackendError("reply had no choices")
        text = response.choices[0].message.content or ""
        usage = Usage(
            prompt_tokens=response.usage.prompt_tokens if response.usage else 0,
            completion_tokens=response.usage.completion_tokens if response.usage else 0,
        )
        return Completion(text=text, usage=usage, model=self.name)


@register_backend("openai")
def _build(model: str, settings: Settings) -> OpenAIBackend:
    return OpenAIBackend(
        model,
        base_url=settings.resolved_openai_base_url(),
        api_key=settings.resolved_openai_api_key(),
        timeout=settings.request_timeout,
        max_concurrency=max(1, settings.concurrency),
    )

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

    async def complete(self, messages: list[Message], *, schema: dict[str, Any] | None = None,
                       settings: GenerationSettings | None = None) -> Completion:
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
        except (openai.BadRequestError, openai.UnprocessableEntityError):
            raise  # the caller tries the next structured-output mode
        except openai.APIError as exc:  # anything else the client could not make sense of
            raise BackendError(f"{self.name}: {exc}") from exc
        return self._completion(response)

    def _completion(self, response: Any) -> Completion:
        """The reply, once it is known to be a chat completion (a proxy or a wrong URL can answer
        HTTP 200 with an HTML page or plain text, which the client hands back as a string)."""
        choices = getattr(response, "choices", None)
        if not isinstance(choices, list):
            raise BackendError(f"{self.name}: {self.base_url or 'the API'} did not answer with a chat "
                               f"completion (got {type(response).__name__}: {str(response)[:120]!r})")
        if not choices:
            raise TransientBackendError("reply had no choices")
        message = getattr(choices[0], "message", None)
        text = getattr(message, "content", None) or ""
        usage = getattr(response, "usage", None)
        return Completion(text=str(text), model=self.name,
                          usage=Usage(prompt_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
                                      completion_tokens=int(getattr(usage, "completion_tokens", 0) or 0)))

    async def check(self) -> None:
        """Fail now, naming the URL, when the server cannot be reached (asked once, before a run).

        Asked with a client of its own, closed after: callers check in one event loop and work in
        another, and a connection the check left in the shared pool would belong to the closed one."""
        openai = self._openai
        probe = openai.AsyncOpenAI(base_url=self._client.base_url, api_key=self._client.api_key,
                                   timeout=15, max_retries=0)
        try:
            await probe.models.list()
        except (openai.APIConnectionError, openai.APITimeoutError) as exc:
            raise BackendError(f"{self.name}: cannot reach {self._client.base_url} ({exc})") from exc
        except openai.APIStatusError as exc:
            if exc.status_code in (401, 403):
                raise BackendError(f"{self.name}: {self._client.base_url} refused the API key "
                                   f"(HTTP {exc.status_code})") from exc
            # any other answer (404: the server has no model list) shows the server is there
        except (openai.APIError, ValueError, TypeError, AttributeError) as exc:
            raise BackendError(f"{self.name}: {self._client.base_url} did not answer with a chat "
                               f"completion API ({type(exc).__name__}: {str(exc)[:120]})") from exc
        finally:
            await probe.close()


@register_backend("openai")
def _build(model: str, settings: Settings) -> OpenAIBackend:
    """``openai/<model>``: any OpenAI-compatible server (INTENTLENS_OPENAI_BASE_URL, its key)."""
    return OpenAIBackend(
        model,
        base_url=settings.resolved_openai_base_url(),
        api_key=settings.resolved_openai_api_key(),
        timeout=settings.request_timeout,
        max_concurrency=max(1, settings.concurrency),
    )

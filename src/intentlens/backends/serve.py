"""One model for many processes: any backend behind an OpenAI-compatible chat API.

Each ``intentlens proxy`` with a local judge loads its own copy of the model (about 1.2 GB), and two
of them judging at once share 2 cores at a quarter of the speed each. ``intentlens models serve``
loads the model once and answers every process's requests one at a time; the proxies point at it
with ``--backend openai/<model>`` and ``OPENAI_BASE_URL``. The schema of a request
(``response_format`` of type ``json_schema``, or ``json_object`` with a ``schema``) reaches the
backend as it is, so a local model decodes under the same grammar as in process, and gives the same
replies.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from intentlens.backends._base import GenerationSettings, Message
from intentlens.errors import IntentLensError

logger = logging.getLogger(__name__)


class ChatRequest(BaseModel):
    """The part of an OpenAI chat-completions request that a served model honours."""

    model_config = ConfigDict(extra="ignore")

    model: str = ""
    messages: list[Message] = Field(min_length=1)
    temperature: float = Field(0.0, ge=0.0, le=2.0)
    max_tokens: int | None = Field(None, ge=1)
    seed: int | None = None
    response_format: dict[str, Any] | None = None
    stream: Literal[False] = False


def requested_schema(response_format: dict[str, Any] | None) -> dict[str, Any] | None:
    """The JSON schema a ``response_format`` asks for: ``json_schema`` (its ``schema``), or
    ``json_object`` with a ``schema``; None for plain text or a bare ``json_object``."""
    if not response_format:
        return None
    kind = response_format.get("type")
    if kind == "json_schema":
        schema = (response_format.get("json_schema") or {}).get("schema")
    elif kind == "json_object":
        schema = response_format.get("schema")
    elif kind == "text":
        return None
    else:
        raise ValueError(f"unsupported response_format type {kind!r}")
    if schema is not None and not isinstance(schema, dict):
        raise ValueError("response_format schema must be a JSON object")
    return schema or ({"type": "object"} if kind == "json_object" else None)


def _error(status: int, message: str, kind: str = "invalid_request_error") -> JSONResponse:
    return JSONResponse({"error": {"message": message, "type": kind}}, status_code=status)


def model_app(backend: Any, model: str) -> Starlette:
    """The HTTP app: ``POST /v1/chat/completions`` and ``GET /v1/models``, for ``backend``."""

    async def completions(request: Request) -> JSONResponse:
        try:
            chat = ChatRequest.model_validate(json.loads(await request.body()))
            schema = requested_schema(chat.response_format)
        except (ValueError, RecursionError) as exc:  # ValidationError is a ValueError
            detail = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
            return _error(400, f"bad request: {detail}")
        given = {"max_tokens": chat.max_tokens, "seed": chat.seed}
        settings = GenerationSettings(temperature=chat.temperature,
                                      **{k: v for k, v in given.items() if v is not None})
        try:
            completion = await backend.complete(chat.messages, schema=schema, settings=settings)
        except IntentLensError as exc:
            return _error(500, str(exc), "server_error")
        except Exception as exc:  # noqa: BLE001 - a schema the grammar compiler rejects, in its own words
            logger.warning("request refused: %s: %s", type(exc).__name__, exc)
            return _error(400, f"bad request: the model cannot answer under this request "
                               f"({type(exc).__name__}: {str(exc)[:200]})")
        usage = completion.usage
        return JSONResponse({
            "id": f"chatcmpl-{uuid.uuid4().hex}", "object": "chat.completion", "created": int(time.time()),
            "model": chat.model or model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": completion.text},
                         "finish_reason": "stop"}],
            "usage": {"prompt_tokens": usage.prompt_tokens, "completion_tokens": usage.completion_tokens,
                      "total_tokens": usage.prompt_tokens + usage.completion_tokens}})

    async def models(_: Request) -> JSONResponse:
        return JSONResponse({"object": "list", "data": [{"id": model, "object": "model",
                                                         "owned_by": "intentlens"}]})

    return Starlette(routes=[Route("/v1/chat/completions", completions, methods=["POST"]),
                             Route("/v1/models", models, methods=["GET"])])

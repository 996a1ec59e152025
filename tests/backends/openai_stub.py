"""A small HTTP server speaking the OpenAI chat-completions wire format, on a free loopback port."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class OpenAIStub:
    """Answers POST /v1/chat/completions from a queue of (status, body) pairs; records requests.

    With ``reject_json_schema``, a ``response_format`` of type ``json_schema`` gets a 422, as the
    llama.cpp server does.
    """

    def __init__(self, replies: list[tuple[int, Any]] | None = None, *,
                 reject_json_schema: bool = False) -> None:
        self.replies = list(replies or [])
        self.reject_json_schema = reject_json_schema
        self.requests: list[dict[str, Any]] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server API)
                length = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(length))
                stub.requests.append(body)
                fmt = (body.get("response_format") or {}).get("type")
                if stub.reject_json_schema and fmt == "json_schema":
                    status, payload = 422, {"error": {"message": "json_schema not supported"}}
                elif stub.replies:
                    status, payload = stub.replies.pop(0)
                else:
                    status, payload = 500, {"error": {"message": "stub ran out of replies"}}
                if isinstance(payload, str):
                    payload = completion(payload)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> OpenAIStub:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def completion(text: str, prompt_tokens: int = 11, completion_tokens: int = 7) -> dict[str, Any]:
    """A chat-completion response body."""
    return {
        "id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": "stub",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": text}}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens},
    }

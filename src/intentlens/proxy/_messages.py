"""JSON-RPC helpers: classify lines, and build the replies the proxy itself sends."""

from __future__ import annotations

import json
import re
from typing import Any

PROTOCOL_META = "io.modelcontextprotocol/protocolVersion"
QUERY_META = "io.intentlens/query"
_ID_NEAR_START = re.compile(rb'"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")')


def parse(line: bytes) -> dict[str, Any] | None:
    """The JSON-RPC object on ``line``, or None when it is not one."""
    try:
        message = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    return message if isinstance(message, dict) else None


def id_near_start(prefix: bytes) -> Any:
    """The ``id`` of a message whose line was too long to parse, from its first bytes."""
    match = _ID_NEAR_START.search(prefix[:4096])
    return json.loads(match.group(1)) if match else None


def request_era(params: Any) -> str | None:
    """The protocol version a 2026-era request carries in its ``_meta`` (None for older eras)."""
    meta = params.get("_meta") if isinstance(params, dict) else None
    return meta.get(PROTOCOL_META) if isinstance(meta, dict) else None


def encode(message: dict[str, Any]) -> bytes:
    """One newline-terminated JSON-RPC line."""
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False).encode() + b"\n"


def error_reply(request_id: Any, message: str, code: int = -32603) -> bytes:
    """A JSON-RPC error response."""
    return encode({"jsonrpc": "2.0", "id": request_id, "error": {"code": code, "message": message}})


def tool_error_reply(request_id: Any, text: str, *, new_era: bool) -> bytes:
    """A ``tools/call`` result that reports a tool error (how a refused call is answered)."""
    result: dict[str, Any] = {"content": [{"type": "text", "text": text}], "isError": True}
    if new_era:  # a 2026-era client rejects results without it
        result["resultType"] = "complete"
    return encode({"jsonrpc": "2.0", "id": request_id, "result": result})

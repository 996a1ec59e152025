"""JSON-RPC helpers: classify lines, key request ids, and build the replies the proxy itself sends."""

from __future__ import annotations

import json
import re
from typing import Any

PROTOCOL_META = "io.modelcontextprotocol/protocolVersion"
QUERY_META = "io.intentlens/query"
INVALID_REQUEST = -32600
PARSE_ERROR = -32700
_ID_NEAR_START = re.compile(rb'"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")')


def parse(line: bytes) -> dict[str, Any] | list[Any] | None:
    """The JSON-RPC object (or batch) on ``line``, or None when it is neither."""
    try:
        message = json.loads(line)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    return message if isinstance(message, dict | list) else None


def valid_id(request_id: Any) -> bool:
    """MCP request ids are strings or integers (never null, objects, arrays, booleans or floats)."""
    return isinstance(request_id, str) or (isinstance(request_id, int) and not isinstance(request_id, bool))


def id_key(request_id: Any) -> str:
    """A hashable key for any JSON value used as an id (``1`` and ``"1"`` stay distinct)."""
    return json.dumps(request_id, sort_keys=True, separators=(",", ":"), default=str)


def id_near_start(prefix: bytes) -> Any:
    """The ``id`` of a message whose line was too long to parse, from its first bytes."""
    match = _ID_NEAR_START.search(prefix[:4096])
    if not match:
        return None
    try:
        return json.loads(match.group(1))
    except ValueError:
        return None


def request_era(params: Any) -> str | None:
    """The protocol version a 2026-era request carries in its ``_meta`` (None for older eras)."""
    meta = params.get("_meta") if isinstance(params, dict) else None
    version = meta.get(PROTOCOL_META) if isinstance(meta, dict) else None
    return version if isinstance(version, str) else None


def encode(message: Any) -> bytes:
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

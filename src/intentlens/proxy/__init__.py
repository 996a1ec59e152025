"""The MCP proxy: a lossless stdio relay that records traffic and can guard every tool call."""

from intentlens.proxy._config import load_servers, pick_server
from intentlens.proxy._guarding import CallGuard, Decision, QuerySource
from intentlens.proxy._http import HttpEndpoint, HttpUpstream
from intentlens.proxy._messages import QUERY_META
from intentlens.proxy._relay import Relay
from intentlens.proxy._stdio import serve_stdio
from intentlens.proxy._store import Store, is_store
from intentlens.proxy._upstream import StdioCommand

__all__ = [
    "QUERY_META",
    "CallGuard",
    "Decision",
    "HttpEndpoint",
    "HttpUpstream",
    "QuerySource",
    "Relay",
    "StdioCommand",
    "Store",
    "is_store",
    "load_servers",
    "pick_server",
    "serve_stdio",
]

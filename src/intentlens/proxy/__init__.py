"""The MCP proxy: a lossless relay that records traffic and can guard every tool call."""

from intentlens.proxy._config import UpstreamSpec, load_servers, pick_server, server_entry
from intentlens.proxy._guarding import CallGuard, Decision, QuerySource
from intentlens.proxy._http import HttpEndpoint, HttpUpstream
from intentlens.proxy._messages import QUERY_META
from intentlens.proxy._redact import Redactor
from intentlens.proxy._relay import Relay
from intentlens.proxy._screening import ToolScreen
from intentlens.proxy._stdio import serve_stdio
from intentlens.proxy._store import Store, is_store, store_info
from intentlens.proxy._upstream import Sink, StdioCommand, StdioUpstream, Transport

__all__ = [
    "QUERY_META",
    "CallGuard",
    "Decision",
    "HttpEndpoint",
    "HttpUpstream",
    "QuerySource",
    "Redactor",
    "Relay",
    "Sink",
    "StdioCommand",
    "StdioUpstream",
    "Store",
    "ToolScreen",
    "Transport",
    "UpstreamSpec",
    "is_store",
    "load_servers",
    "pick_server",
    "serve_stdio",
    "server_entry",
    "store_info",
]

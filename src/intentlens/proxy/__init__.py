"""The MCP proxy: a lossless relay that records traffic and can guard every tool call."""

from intentlens.proxy._build import build_call_guard, build_screen
from intentlens.proxy._chain import CallContext, Chain, Decision, ListContext, Middleware, RequestInfo
from intentlens.proxy._config import UpstreamSpec, load_servers, pick_server, server_entry
from intentlens.proxy._guarding import CallGuard, GuardMiddleware, QuerySource, RecentQueries
from intentlens.proxy._http import HttpEndpoint, HttpUpstream
from intentlens.proxy._messages import QUERY_META
from intentlens.proxy._otel import McpSpans
from intentlens.proxy._pinning import Hold, approvals, approve, held_tools, holds
from intentlens.proxy._postgres import is_database_url, shown_url
from intentlens.proxy._redact import Redactor
from intentlens.proxy._relay import Relay
from intentlens.proxy._sandbox import ProcessLimits
from intentlens.proxy._screening import ScreenMiddleware, ToolScreen
from intentlens.proxy._stdio import serve_stdio
from intentlens.proxy._store import Store, is_store, read_rows, store_info
from intentlens.proxy._upstream import Sink, StdioCommand, StdioUpstream, Transport

__all__ = [
    "QUERY_META",
    "CallContext",
    "CallGuard",
    "Chain",
    "Decision",
    "GuardMiddleware",
    "HttpEndpoint",
    "HttpUpstream",
    "ListContext",
    "McpSpans",
    "Middleware",
    "ProcessLimits",
    "QuerySource",
    "RecentQueries",
    "Redactor",
    "Relay",
    "RequestInfo",
    "ScreenMiddleware",
    "Sink",
    "StdioCommand",
    "StdioUpstream",
    "Store",
    "ToolScreen",
    "Transport",
    "UpstreamSpec",
    "build_call_guard",
    "build_screen",
    "Hold",
    "approvals",
    "approve",
    "holds",
    "held_tools",
    "is_database_url",
    "is_store",
    "load_servers",
    "pick_server",
    "read_rows",
    "shown_url",
    "serve_stdio",
    "server_entry",
    "store_info",
]

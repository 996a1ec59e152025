"""The middleware chain: every concern in the path of ``tools/list`` and ``tools/call`` is one link.

The stdio proxy and the gateway run the same chain; the relay only pairs requests with replies and
records them. A middleware may rewrite a tool list (hide or flag tools) and may decide a call:

- ``on_list_tools(ctx, tools)`` returns the tools the client sees (links run in order);
- ``on_call_tool(ctx)`` returns ``None`` (no objection), an allowing :class:`Decision` (kept as the
  call's verdict) or a refusing one, which stops the chain: the call is answered with a tool error;
- ``on_result(ctx, decision, result)`` sees the result of a call that was forwarded.

A link that raises refuses the call (or fails the listing): nothing passes a check that did not run.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from intentlens.core import ToolSpec

if TYPE_CHECKING:
    from intentlens.proxy._store import Store

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Decision:
    """What the proxy does with one ``tools/call``."""

    forward: bool
    reason: str
    query: str | None
    verdict: dict[str, Any] | None


@dataclass(frozen=True)
class RequestInfo:
    """What the gateway knows about one request beyond its message: sent with it to the relay, so
    that two requests of one session never see each other's."""

    conversation: str | None = None
    """The ``X-Intentlens-Conversation`` header (pairs a call with the LLM traffic that asked for it)."""
    traceparent: str | None = None
    """The client's W3C ``traceparent`` header: the request's span becomes a child of it."""
    tools: tuple[str, ...] | None = None
    """The token's tool allow-list (``server/tool`` patterns); None: every tool it reaches."""


@dataclass
class ListContext:
    """One ``tools/list`` answer on its way to the client."""

    server: str
    session_id: str
    caller: str | None = None
    """The gateway token's name (None in the stdio proxy)."""
    store: Store | None = None
    info: RequestInfo = field(default_factory=RequestInfo)


@dataclass
class CallContext:
    """One ``tools/call`` before it is forwarded."""

    server: str
    session_id: str
    name: str
    params: dict[str, Any]
    tool: ToolSpec | None = None
    caller: str | None = None
    conversation: str | None = None
    """The conversation id the client sent (pairs the call with the LLM traffic that asked for it)."""
    store: Store | None = None
    digest: str | None = None
    """The digest of the version of the tool this session's server listed (None: never listed)."""
    listed: tuple[ToolSpec, ...] = ()
    """Every tool this session's server listed (what the agent was shown)."""
    info: RequestInfo = field(default_factory=RequestInfo)
    notes: dict[str, Any] = field(default_factory=dict)


class Middleware:
    """One concern in the path (override what applies; the defaults pass everything)."""

    name: ClassVar[str] = "middleware"
    decides_calls: ClassVar[bool] = False
    """True when :meth:`on_call_tool` can object (the relay then decides each call off its read loop)."""

    async def on_list_tools(self, ctx: ListContext, tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return tools

    async def on_call_tool(self, ctx: CallContext) -> Decision | None:
        return None

    def on_result(self, ctx: CallContext, decision: Decision | None, result: Any) -> None:
        return None


class Chain:
    """Middlewares run in order."""

    def __init__(self, middlewares: Iterable[Middleware] = ()) -> None:
        self.middlewares = list(middlewares)

    def __bool__(self) -> bool:
        return bool(self.middlewares)

    @property
    def decides_calls(self) -> bool:
        return any(m.decides_calls for m in self.middlewares)

    @property
    def rewrites_lists(self) -> bool:
        return any(type(m).on_list_tools is not Middleware.on_list_tools for m in self.middlewares)

    async def list_tools(self, ctx: ListContext, tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The tools the client sees; raises when a link fails (the listing then fails, never shows
        tools a check did not see)."""
        for middleware in self.middlewares:
            tools = await middleware.on_list_tools(ctx, tools)
        return tools

    async def call_tool(self, ctx: CallContext) -> Decision | None:
        """The first refusal, else the last allowing verdict, else None. Never raises."""
        kept: Decision | None = None
        for middleware in self.middlewares:
            try:
                decision = await middleware.on_call_tool(ctx)
            except Exception as exc:  # noqa: BLE001 - a check that fails refuses; it never crashes the path
                logger.exception("middleware %s failed on %s", middleware.name, ctx.name)
                problem = f"{middleware.name} failed ({type(exc).__name__}: {exc})"
                return Decision(False, problem, None, {"aligned": False, "reason": problem,
                                                       "error": problem})
            if decision is None:
                continue
            if not decision.forward:
                return decision
            kept = decision
        return kept

    def result(self, ctx: CallContext, decision: Decision | None, result: Any) -> None:
        for middleware in self.middlewares:
            try:
                middleware.on_result(ctx, decision, result)
            except Exception:  # noqa: BLE001
                logger.exception("middleware %s failed on the result of %s", middleware.name, ctx.name)

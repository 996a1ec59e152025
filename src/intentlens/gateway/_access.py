"""A token's tool allow-list in the path: tools it may not call are left out of its listings and
their calls refused (with the verdict recorded, like every refusal)."""

from __future__ import annotations

from typing import Any

from intentlens.gateway._tokens import tool_allowed
from intentlens.proxy import CallContext, Decision, ListContext, Middleware


class ToolAccessMiddleware(Middleware):
    """Enforces ``RequestInfo.tools``, the allow-list of the token that sent the request."""

    name = "tool-access"
    decides_calls = True

    async def on_list_tools(self, ctx: ListContext, tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
        patterns = ctx.info.tools
        return [t for t in tools if tool_allowed(patterns, ctx.server, str(t.get("name")))]

    async def on_call_tool(self, ctx: CallContext) -> Decision | None:
        if tool_allowed(ctx.info.tools, ctx.server, ctx.name):
            return None
        why = f"token {ctx.caller!r} may not call {ctx.server}/{ctx.name} (its tool allow-list)"
        return Decision(False, why, None, {"aligned": False, "reason": why})

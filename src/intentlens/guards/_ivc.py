"""The Isolated Verification Context: the only information VISTA's judge sees about one call."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from intentlens.core import Frozen, Plan, ToolCall


class IsolatedVerificationContext(Frozen):
    """Query, server, tool, its description, the generated parameters, and the schema defaults.

    No other tool's metadata and no tool results are part of it.
    """

    query: str
    server: str
    tool: str
    description: str
    arguments: dict[str, Any]
    defaults: dict[str, Any] = Field(default_factory=dict)
    """Schema defaults of this tool's parameters (needed to judge ``tool_default``)."""


def build_ivc(plan: Plan, call: ToolCall) -> IsolatedVerificationContext:
    """The IVC of ``call`` within ``plan``."""
    spec = plan.tool(call.tool)
    return IsolatedVerificationContext(
        query=plan.query,
        server=call.server or (spec.server if spec else None) or "unknown",
        tool=call.tool,
        description=spec.description if spec else "",
        arguments=dict(call.arguments),
        defaults=spec.defaults() if spec else {},
    )

"""Hierarchical information isolation: each call's five parts, kept apart, with no other tool's docs."""

from __future__ import annotations

import json
from typing import Any

from intentlens.core import Frozen, Step, Trace


class IsolatedCall(Frozen):
    """Exactly what IntentMiner may see of one call (the paper's five parts)."""

    tool_name: str
    """1. The tool name T_i."""
    description: str
    """2. The tool's description."""
    required_field: dict[str, Any]
    """3a. Schema, required field: the definition of the parameters p_i."""
    properties_field: dict[str, Any] | None
    """3b. Schema, properties field: the definition of the result R_i (None when unpublished)."""
    call_statement: str
    """4. The call statement T_i(p_i)."""
    arguments: dict[str, Any] = {}
    """4. The same call's parameters p_i, as the server parsed them."""
    returned_result: Any = None
    """5. The returned result R_i (None when the source recorded none)."""
    has_result: bool = False


def call_statement(step: Step) -> str:
    """``tool(arg=value, ...)`` with JSON values, as the server received the call."""
    args = ", ".join(f"{k}={json.dumps(v, ensure_ascii=False, default=str)}"
                     for k, v in step.call.arguments.items())
    return f"{step.call.tool}({args})"


def isolate(trace: Trace, step: Step) -> IsolatedCall:
    """The isolated record of ``step``: only its own tool's documentation, never the query."""
    spec = trace.tool(step.call.tool)
    required_field: dict[str, Any] = {}
    if spec is not None:
        required_field = {"parameters": spec.properties, "required": spec.required}
    return IsolatedCall(
        tool_name=step.call.tool,
        description=spec.description if spec else "",
        required_field=required_field,
        properties_field=spec.output_schema if spec else None,
        call_statement=call_statement(step),
        arguments=dict(step.call.arguments),
        returned_result=step.result.content if step.result else None,
        has_result=step.result is not None,
    )

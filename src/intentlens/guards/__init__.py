"""Plan guards: VISTA and its baselines, behind one ``verify(plan)`` interface."""

from __future__ import annotations

from typing import Any

from intentlens.guards import baselines, metadata_scan, vista  # noqa: F401  (registration)
from intentlens.guards._base import (
    GUARDS,
    ArgumentVerdict,
    Guard,
    PlanVerdict,
    Provenance,
    StepVerdict,
)
from intentlens.guards._ivc import IsolatedVerificationContext, build_ivc
from intentlens.guards._precheck import PrecheckResult, precheck_argument, value_in_query
from intentlens.guards.vista import Vista, provenance_schema


async def verify(query: str, plan: Any, *, guard: Guard) -> PlanVerdict:
    """Verify ``plan`` (a Plan, or a list of ToolCall) against ``query`` with ``guard``."""
    from intentlens.core import Plan

    if not isinstance(plan, Plan):
        plan = Plan(query=query, calls=tuple(plan))
    elif plan.query != query:
        plan = plan.model_copy(update={"query": query})
    return await guard.verify(plan)


__all__ = [
    "GUARDS",
    "ArgumentVerdict",
    "Guard",
    "IsolatedVerificationContext",
    "PlanVerdict",
    "PrecheckResult",
    "Provenance",
    "StepVerdict",
    "Vista",
    "build_ivc",
    "precheck_argument",
    "provenance_schema",
    "value_in_query",
    "verify",
]

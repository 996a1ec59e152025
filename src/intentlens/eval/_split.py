"""A fixed tuning/test split of any trace source, by the group an item belongs to.

Rules and prompts are written by reading misses; figures measured on the same items then overstate
what a method does on data nobody read. Every item's *group* (the ToolACE dialogue or BFCL record it
comes from, the AgentDojo user task it serves) falls in one part by a hash of the group's name, so
the split never changes between runs, machines or samples, and two turns of one dialogue, or a task's
aligned and misaligned plans, never sit on both sides.
"""

from __future__ import annotations

import hashlib
from typing import Literal

from intentlens.core import Trace

Part = Literal["tuning", "test"]

SALT = "intentlens-split-v1"
"""Changing it reshuffles every split: do not, or say so beside every figure measured after."""


def group_of(trace: Trace) -> str:
    """The unit a split keeps whole: ``suite/user_task`` for an AgentDojo plan case, else the part of
    the id before ``#`` (a dialogue or multi-turn record), else the id."""
    suite, task = trace.metadata.get("suite"), trace.metadata.get("user_task_id")
    if suite and task:
        return f"{suite}/{task}"
    return trace.id.split("#", 1)[0]


def split_of(trace: Trace) -> Part:
    """``tuning`` or ``test`` for ``trace``: half the groups each, fixed by a salted SHA-256."""
    digest = hashlib.sha256(f"{SALT}:{trace.source}:{group_of(trace)}".encode()).digest()
    return "test" if digest[0] & 1 else "tuning"


def keep_part(traces: list[Trace], part: Part | None) -> list[Trace]:
    """The traces of ``part`` (all of them for None), order kept."""
    return traces if part is None else [t for t in traces if split_of(t) == part]

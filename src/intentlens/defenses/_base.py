"""The defence contract: rewrite a trace before it leaves the trusted boundary, and say what it cost."""

from __future__ import annotations

from typing import Protocol

from intentlens.core import Frozen, Trace, Usage
from intentlens.registry import Registry


class DefenseCost(Frozen):
    """What a defence cost the user on one trace."""

    extra_calls: int = 0
    """Calls added (decoys) that the server must execute."""
    changed_calls: int = 0
    """Real calls whose arguments the defence rewrote (a utility risk)."""
    real_calls: int = 0
    usage: Usage = Usage()
    """LLM cost of the defence itself (e.g. generating decoy arguments)."""

    @property
    def argument_equivalence(self) -> float:
        """Share of real calls sent with the user's original arguments (1.0 = no utility risk)."""
        return 1.0 if not self.real_calls else 1 - self.changed_calls / self.real_calls


class DefendedTrace(Frozen):
    """The trace as the server now sees it, and the cost of getting there."""

    trace: Trace
    cost: DefenseCost


class Defense(Protocol):
    """Something applied on the agent side to what a server will see."""

    name: str

    async def apply(self, trace: Trace) -> DefendedTrace:
        """The defended trace (decoy steps carry ``metadata["decoy"] = True``)."""
        ...


DEFENSES: Registry[Defense] = Registry("defence", group="defenses", needs_backend=False)

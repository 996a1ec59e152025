"""The defence contract: rewrite a trace before it leaves the trusted boundary, and say what it cost."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict

from intentlens.core import Trace, Usage


class DefenseCost(BaseModel):
    """What a defence cost the user on one trace."""

    model_config = ConfigDict(frozen=True)

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


class DefendedTrace(BaseModel):
    """The trace as the server now sees it, and the cost of getting there."""

    model_config = ConfigDict(frozen=True)

    trace: Trace
    cost: DefenseCost


class Defense(Protocol):
    """Something applied on the agent side to what a server will see."""

    name: str

    async def apply(self, trace: Trace) -> DefendedTrace:
        """The defended trace (decoy steps carry ``metadata["decoy"] = True``)."""
        ...


DefenseFactory = Callable[..., Defense]
_DEFENSES: dict[str, DefenseFactory] = {}


def register_defense(name: str) -> Callable[[DefenseFactory], DefenseFactory]:
    """Register a defence factory ``(backend=None, **options) -> Defense``."""

    def decorate(factory: DefenseFactory) -> DefenseFactory:
        _DEFENSES[name] = factory
        return factory

    return decorate


def defense_names() -> list[str]:
    """Registered defence names."""
    return sorted(_DEFENSES)


def build_defense(name: str, backend: Any = None, **options: Any) -> Defense:
    """The defence ``name``."""
    if name not in _DEFENSES:
        raise ValueError(f"unknown defence {name!r}; known: {', '.join(defense_names())}")
    return _DEFENSES[name](backend, **options)

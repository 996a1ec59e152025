"""Token, call and time accounting that adds up across steps, traces and runs."""

from __future__ import annotations

from pydantic import Field

from intentlens.core._frozen import Frozen


class Usage(Frozen):
    """What some LLM work cost. Instances add with ``+`` and ``sum(..., Usage())``."""

    prompt_tokens: int = 0
    """Tokens sent to the model (as the backend counted them)."""
    completion_tokens: int = 0
    """Tokens the model generated."""
    calls: int = 0
    """LLM requests made, cached ones included."""
    cached_calls: int = 0
    """Requests answered from the response cache (their tokens are still counted)."""
    seconds: float = Field(default=0.0, ge=0)
    """Wall time spent waiting for the model, cache hits included."""
    model_seconds: float = Field(default=0.0, ge=0)
    """Time the model took to generate these replies; a cache hit carries the time measured when
    its reply was generated, so overhead figures survive a replay from the cache."""

    @property
    def total_tokens(self) -> int:
        """Prompt plus completion tokens."""
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        if not isinstance(other, Usage):
            return NotImplemented
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            calls=self.calls + other.calls,
            cached_calls=self.cached_calls + other.cached_calls,
            seconds=self.seconds + other.seconds,
            model_seconds=self.model_seconds + other.model_seconds,
        )

    def __radd__(self, other: object) -> Usage:
        if other == 0:  # lets the builtin sum() start from 0
            return self
        return NotImplemented

"""The base of the data model's value types."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Frozen(BaseModel):
    """A pydantic model whose instances do not change once validated, so they hash and compare by value
    and can be shared between tasks."""

    model_config = ConfigDict(frozen=True)

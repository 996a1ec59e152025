"""The experiment file of `intentlens eval`: a small TOML grid."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from intentlens.errors import DataFormatError
from intentlens.registry import Plugin

Metric = Literal["s_text", "m_entity", "a_intent"]
DEFAULT_METRICS: tuple[Metric, ...] = ("s_text", "m_entity")


class _PluginEntry(BaseModel):
    """A registered plug-in chosen by name in the file, with options its options model accepts."""

    model_config = ConfigDict(extra="forbid")

    def _plugin(self) -> Plugin:
        raise NotImplementedError

    @property
    def all_options(self) -> dict[str, Any]:
        """The options the plug-in is built with."""
        raise NotImplementedError

    @model_validator(mode="after")
    def _registered(self) -> _PluginEntry:
        self._plugin().validate(self.all_options)  # the registry's error lists the valid ones
        return self

    @property
    def label(self) -> str:
        """How results name this configuration (the plug-in's own name for these options)."""
        return self._plugin().label(self.all_options)


class AttackEntry(_PluginEntry):
    """One attack configuration: any registered attack (``intentlens plugins`` lists them) with its
    options; ``ablate`` is IntentMiner's option, kept as a field of its own for short files."""

    method: str
    ablate: list[str] = Field(default_factory=list)
    options: dict[str, Any] = Field(default_factory=dict)

    def _plugin(self) -> Plugin:
        from intentlens.attacks import ATTACKS

        return ATTACKS.plugin(self.method)

    @property
    def all_options(self) -> dict[str, Any]:
        return {**self.options, **({"ablate": self.ablate} if self.ablate else {})}


class DefenseEntry(_PluginEntry):
    """A defence applied to every trace before the attacks run, with its options."""

    name: str
    options: dict[str, Any] = Field(default_factory=dict)

    def _plugin(self) -> Plugin:
        from intentlens.defenses import DEFENSES

        return DEFENSES.plugin(self.name)

    @property
    def all_options(self) -> dict[str, Any]:
        return self.options


class DatasetEntry(BaseModel):
    """A named trace source, with an optional cap."""

    model_config = ConfigDict(extra="forbid")

    name: str
    source: Path
    format: str | None = None
    limit: int | None = Field(default=None, ge=1)
    sample: int | None = Field(default=None, ge=1)
    """A seeded sample for this dataset only (overrides the experiment's ``sample``)."""
    split: Literal["tuning", "test"] | None = None
    """Keep only this part of the items, after ``limit`` and ``sample``: each item's group (its
    dialogue or user task) falls in one part by a stable hash (:func:`~intentlens.eval.split_of`).
    Read misses and tune on ``tuning``; report ``test``."""


class Experiment(BaseModel):
    """Datasets x backends x (attacks | guards), the judges for A_intent, sampling and concurrency."""

    model_config = ConfigDict(extra="forbid")

    name: str
    datasets: list[DatasetEntry]
    backends: list[str] = Field(default_factory=lambda: ["llamacpp/qwen2.5-coder-1.5b"])
    attacks: list[AttackEntry] = Field(default_factory=list)
    guards: list[str] = Field(default_factory=list)
    """Registered guard names, run with their default options."""
    defenses: list[DefenseEntry] = Field(default_factory=list)
    """Each attack also runs on the traces as each defence rewrites them."""
    judges: list[str] = Field(default_factory=list)
    """Judge backends for A_intent (none: A_intent is not computed)."""
    metrics: list[Metric] = Field(default_factory=lambda: list(DEFAULT_METRICS))
    sample: int | None = Field(default=None, ge=1)
    """Seeded random sample of this many items per dataset (after ``limit``)."""
    seed: int = 0
    concurrency: int = Field(default=64, ge=1)
    encoder: str = "mpnet"

    @field_validator("guards")
    @classmethod
    def _guards_registered(cls, names: list[str]) -> list[str]:
        from intentlens.guards import GUARDS

        for name in names:
            GUARDS.plugin(name)
        return names

    def slug(self, text: str) -> str:
        """A file-name-safe form of a backend spec, label or dataset name (never ``..`` or empty)."""
        return safe_name(text)


def safe_name(text: str) -> str:
    """``text`` as one safe path component: letters, digits, ``.``, ``_`` and ``-``, no leading dot."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "unnamed"


def load_experiment(path: Path) -> Experiment:
    """Parse and validate an experiment file; relative sources are relative to the file."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DataFormatError(path, None, "no such file") from exc
    except tomllib.TOMLDecodeError as exc:
        raise DataFormatError(path, None, f"invalid TOML ({exc})") from exc
    try:
        experiment = Experiment.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise DataFormatError(path, None, f"{where}: {err['msg']}") from exc
    if not experiment.attacks and not experiment.guards:
        raise DataFormatError(path, None, "name at least one [[attacks]] entry or a guards list")
    for dataset in experiment.datasets:
        if not dataset.source.is_absolute():
            dataset.source = (path.parent / dataset.source).resolve()
    return experiment

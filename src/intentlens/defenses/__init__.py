"""Privacy defences against intent inversion, applied on the agent side."""

from intentlens.defenses import decoys, minimization  # noqa: F401  (registration)
from intentlens.defenses._base import (
    DEFENSES,
    DefendedTrace,
    Defense,
    DefenseCost,
)
from intentlens.defenses.decoys import DecoyCalls, is_read_only, template_value
from intentlens.defenses.minimization import Minimizer, PseudonymVault

__all__ = [
    "DEFENSES",
    "DecoyCalls",
    "DefendedTrace",
    "Defense",
    "DefenseCost",
    "Minimizer",
    "PseudonymVault",
    "is_read_only",
    "template_value",
]

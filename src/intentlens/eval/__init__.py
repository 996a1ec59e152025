"""Experiment runner (`intentlens eval`) and reports (`intentlens report`)."""

from intentlens.eval._config import AttackEntry, DatasetEntry, DefenseEntry, Experiment, load_experiment
from intentlens.eval._report import Reference, load_reference, write_report
from intentlens.eval._results import AttackCell, CellTiming, Comparison, GuardCell, RunSummary
from intentlens.eval._runner import run_experiment, select_items

__all__ = [
    "AttackCell",
    "AttackEntry",
    "CellTiming",
    "Comparison",
    "DatasetEntry",
    "DefenseEntry",
    "Experiment",
    "GuardCell",
    "Reference",
    "RunSummary",
    "load_experiment",
    "load_reference",
    "run_experiment",
    "select_items",
    "write_report",
]

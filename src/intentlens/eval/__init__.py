"""Experiment runner (`intentlens eval`) and reports (`intentlens report`)."""

from intentlens.eval._config import AttackEntry, DatasetEntry, DefenseEntry, Experiment, load_experiment
from intentlens.eval._engines import CellJob, Engine, LocalEngine, RayEngine, engine_named
from intentlens.eval._report import Reference, load_reference, write_report
from intentlens.eval._results import AttackCell, CellTiming, Comparison, GuardCell, RunSummary
from intentlens.eval._runner import run_experiment, select_items
from intentlens.eval._split import group_of, keep_part, split_of

__all__ = [
    "AttackCell",
    "AttackEntry",
    "CellJob",
    "CellTiming",
    "Comparison",
    "DatasetEntry",
    "DefenseEntry",
    "Engine",
    "Experiment",
    "GuardCell",
    "LocalEngine",
    "RayEngine",
    "Reference",
    "RunSummary",
    "engine_named",
    "group_of",
    "keep_part",
    "load_experiment",
    "load_reference",
    "run_experiment",
    "select_items",
    "split_of",
    "write_report",
]

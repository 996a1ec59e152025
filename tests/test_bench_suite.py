"""The benchmark suite's command line (the runs themselves are benchmarks, not tests)."""

import subprocess
import sys
from pathlib import Path

from intentlens.eval import load_experiment

BENCH = Path(__file__).resolve().parents[1] / "bench"


def test_suite_refuses_an_unknown_part() -> None:
    done = subprocess.run([sys.executable, str(BENCH / "suite.py"), "--only", "attacks,nope"],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "unknown part" in done.stderr


def test_bench_experiments_load_and_point_at_the_shared_data() -> None:
    attacks = load_experiment(BENCH / "attacks.toml")
    assert [a.label for a in attacks.attacks] == [
        "intentminer", "intentminer-no-purpose", "intentminer-no-statement", "intentminer-no-result",
        "llm-nocot", "llm-cot"]
    defenses = load_experiment(BENCH / "defenses.toml")
    assert {d.name for d in defenses.defenses} == {"decoys", "minimize"}
    judged = load_experiment(BENCH / "a_intent.toml")
    assert "a_intent" in judged.metrics and judged.judges
    for experiment in (attacks, defenses, judged):
        assert all(d.source.exists() for d in experiment.datasets)

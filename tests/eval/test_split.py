"""The tuning/test split: fixed, whole groups on one side, and applied by `intentlens eval`."""

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from intentlens.cli import app
from intentlens.core import Trace
from intentlens.eval import group_of, keep_part, split_of
from intentlens.eval._split import SALT
from intentlens.loaders import load_traces
from tests.conftest import AGENTDOJO, TOOLACE

runner = CliRunner()


def test_toolace_dialogues_and_agentdojo_tasks_stay_whole_and_both_parts_are_used() -> None:
    for traces in (load_traces(TOOLACE), load_traces(AGENTDOJO / "intent_cases.jsonl")):
        parts: dict[str, set[str]] = {}
        for trace in traces:
            parts.setdefault(group_of(trace), set()).add(split_of(trace))
        assert all(len(sides) == 1 for sides in parts.values())  # no group on both sides
        test = sum(1 for sides in parts.values() if sides == {"test"})
        assert 0.3 < test / len(parts) < 0.7, (test, len(parts))


def test_a_user_task_and_its_plan_cases_fall_on_the_same_side() -> None:
    tasks = {t.id: split_of(t) for t in load_traces(AGENTDOJO / "user_tasks.jsonl")}
    cases = load_traces(AGENTDOJO / "intent_cases.jsonl")
    assert cases and all(split_of(c) == tasks[group_of(c)] for c in cases)


def test_the_split_is_pinned() -> None:
    """Changing the salt or the hash reshuffles every committed split figure: this fails first."""
    assert SALT == "intentlens-split-v1"
    assert split_of(Trace(id="toolace_zaego_003#0", source="toolace")) == "test"
    assert split_of(Trace(id="toolace_zaego_000#0", source="toolace")) == "tuning"


@given(st.lists(st.text(min_size=1, max_size=12), max_size=30), st.sampled_from(["tuning", "test", None]))
def test_keep_part_partitions_and_keeps_order(ids: list[str], part: str | None) -> None:
    traces = [Trace(id=i, source="x") for i in ids]
    kept = keep_part(traces, part)  # type: ignore[arg-type]
    assert kept == [t for t in traces if part is None or split_of(t) == part]
    if part is not None:
        other = keep_part(traces, "test" if part == "tuning" else "tuning")
        assert len(kept) + len(other) == len(traces)


def test_eval_keeps_only_the_part_asked_for(tmp_path: Path) -> None:
    config = tmp_path / "exp.toml"
    config.write_text(f"""
name = "split"
backends = ["scripted"]
metrics = ["s_text"]
encoder = "minilm"
[[datasets]]
name = "test-part"
source = "{TOOLACE}"
limit = 12
split = "test"
[[attacks]]
method = "direct"
""", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(config), "--run-dir", str(tmp_path / "run")])
    assert result.exit_code == 0, result.output
    expected = {t.id for t in load_traces(TOOLACE)[:12] if split_of(t) == "test"}
    items = tmp_path / "run" / "items" / "test-part" / "scripted" / "direct.jsonl"
    assert {json.loads(line)["trace_id"] for line in items.read_text().splitlines()} == expected
    assert 0 < len(expected) < 12
    bad = config.read_text().replace('split = "test"', 'split = "holdout"')
    config.write_text(bad, encoding="utf-8")
    result = runner.invoke(app, ["eval", str(config), "--run-dir", str(tmp_path / "run2")])
    assert result.exit_code == 2 and "split" in result.output and "Traceback" not in result.output

"""Execution-based utility in AgentDojo's real offline environments (the `agentdojo` package)."""

import json
from pathlib import Path

from typer.testing import CliRunner

from intentlens import load_traces
from intentlens.cli import app
from intentlens.core import Step, ToolCall
from intentlens.defenses import DecoyCalls, Minimizer
from intentlens.defenses.replay import AgentDojoReplay, comparable
from tests.conftest import AGENTDOJO

TASKS = AGENTDOJO / "user_tasks.jsonl"
REPLAY = AgentDojoReplay()


def _task(task_id: str):
    return next(t for t in load_traces(TASKS) if t.id == task_id)


def test_replaying_every_user_task_reproduces_its_recorded_results() -> None:
    traces = load_traces(TASKS)
    assert all(REPLAY.can_run(t) for t in traces)
    for trace in traces:
        executed = REPLAY.execute(trace)
        for recorded, replayed in zip(trace.steps, executed.steps, strict=True):
            assert comparable(replayed.result.content) == comparable(recorded.result.content), trace.id
            assert replayed.result.is_error == recorded.result.is_error


def test_comparable_masks_only_what_varies_between_runs() -> None:
    assert comparable("b: 1\ntimestamp: 2026-11-23 12:18:26.919328\na: 2") == \
        comparable("a: 2\nb: 1\ntimestamp: 2026-11-23 08:17:44.378159")
    assert comparable("date: 2024-05-26") != comparable("date: 2024-05-27")


async def test_pseudonymised_arguments_lose_utility_and_the_server_answers_them() -> None:
    trace = _task("banking/user_task_1")  # reads transactions by count: no identifiers to hide
    assert REPLAY.utility(trace, trace) == 1.0
    sent = _task("slack/user_task_1")
    defended = (await Minimizer().apply(sent)).trace
    assert defended.steps != sent.steps
    utility = REPLAY.utility(sent, defended)
    assert 0 <= utility < 1
    executed = REPLAY.execute(defended)
    assert any(s.result.is_error for s in executed.steps)  # the server cannot resolve a pseudonym


async def test_read_only_decoys_keep_full_utility_and_get_real_answers() -> None:
    trace = _task("workspace/user_task_0")
    defended = (await DecoyCalls(ratio=2, seed=3).apply(trace)).trace
    assert sum(1 for s in defended.steps if s.metadata.get("decoy")) == 2
    assert REPLAY.utility(trace, defended) == 1.0
    executed = REPLAY.execute(defended)
    assert all(s.result is not None for s in executed.steps)


def test_a_defence_that_drops_a_real_call_is_refused() -> None:
    trace = _task("workspace/user_task_0")
    extra = trace.model_copy(update={"steps": (*trace.steps, Step(call=ToolCall(
        tool="get_current_day", arguments={})))})
    try:
        REPLAY.utility(extra, trace)
    except ValueError as exc:
        assert "number of real calls" in str(exc)
    else:
        raise AssertionError("a changed number of real calls must be refused")


def test_eval_executes_defended_agentdojo_traces(tmp_path: Path) -> None:
    config = tmp_path / "exp.toml"
    config.write_text(f"""
name = "utility"
backends = ["scripted"]
encoder = "minilm"
metrics = ["s_text"]
[[datasets]]
name = "agentdojo"
source = "{TASKS}"
limit = 3
[[attacks]]
method = "nocot"
[[defenses]]
name = "minimize"
[[defenses]]
name = "decoys"
""", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", str(config), "--run-dir", str(tmp_path / "run")])
    assert result.exit_code == 0, result.output
    cells = json.loads((tmp_path / "run" / "summary.json").read_text(encoding="utf-8"))["cells"]
    costs = {c["defense"]: c.get("defense_cost") for c in cells}
    assert costs["decoys"]["execution_utility"] == 1.0 and costs["decoys"]["executed_traces"] == 3
    assert 0 <= costs["minimize"]["execution_utility"] <= 1

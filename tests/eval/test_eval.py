"""`intentlens eval` and `report` end to end with the scripted backend on the real shared data."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from intentlens.cli import app
from intentlens.errors import DataFormatError
from intentlens.eval import load_experiment, select_items
from intentlens.loaders import load_traces
from tests.conftest import AGENTDOJO, REPO, TOOLACE

PAPER_REFERENCE = Path(__file__).resolve().parents[2] / "bench" / "data" / "paper_reference.json"

runner = CliRunner()

SCRIPTED = "scripted (scripted replies: not a measurement)"
"""How a report labels figures from the scripted backend."""


def _config(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "exp.toml"
    path.write_text(body, encoding="utf-8")
    return path


GRID = f"""
name = "grid test"
backends = ["scripted"]
judges = ["scripted"]
metrics = ["s_text", "m_entity", "a_intent"]
encoder = "minilm"
guards = []
[[datasets]]
name = "toolace"
source = "{TOOLACE}"
limit = 6
[[attacks]]
method = "intentminer"
[[attacks]]
method = "intentminer"
ablate = ["result"]
[[attacks]]
method = "nocot"
"""


def test_eval_runs_the_grid_resumes_and_reports(tmp_path: Path) -> None:
    config, run_dir = _config(tmp_path, GRID), tmp_path / "run"
    first = runner.invoke(app, ["eval", str(config), "--run-dir", str(run_dir)])
    assert first.exit_code == 0, first.output
    summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    methods = [c["method"] for c in summary["cells"]]
    assert methods == ["intentminer", "intentminer-no-result", "llm-nocot"]
    cell = summary["cells"][0]
    assert cell["traces"] == 6 and cell["failed"] == 0
    assert 0 <= cell["s_text"] <= 1 and cell["a_intent"] is not None
    assert set(cell["a_intent_per_judge"]) == {"0:scripted"}
    assert cell["tokens_per_single_call_trace"] is not None and cell["wall_seconds_per_trace"] >= 0
    baseline = summary["cells"][2]  # a baseline has no per-step record: the trace says it is single-call
    assert baseline["method"] == "llm-nocot" and baseline["tokens_per_single_call_trace"] is not None
    assert not any("per_trace" in c for c in summary["cells"])  # per-trace scores feed the pairing only
    paired = {(c["method"], c["metric"]): c for c in summary["comparisons"]}
    assert {m for m, _ in paired} == {"intentminer-no-result", "llm-nocot"}  # each against the first
    assert {c["reference"] for c in paired.values()} == {"intentminer"}
    s_text = paired["llm-nocot", "s_text"]
    assert s_text["traces"] == 6 and s_text["better"] + s_text["worse"] + s_text["ties"] == 6
    assert s_text["difference"] == pytest.approx(baseline["s_text"] - cell["s_text"], abs=2e-4)
    assert s_text["low"] <= s_text["difference"] <= s_text["high"]
    assert ("llm-nocot", "a_intent") in paired
    timing = json.loads((run_dir / "items" / "toolace" / "scripted" / "intentminer.timing.json")
                        .read_text(encoding="utf-8"))
    assert timing["items_run"] == 6 and timing["wall_seconds"] == cell["wall_seconds"]
    items = run_dir / "items" / "toolace" / "scripted" / "intentminer.jsonl"
    before = items.read_text(encoding="utf-8")
    again = runner.invoke(app, ["eval", str(config), "--run-dir", str(run_dir)])
    assert again.exit_code == 0 and items.read_text(encoding="utf-8") == before  # nothing redone
    assert json.loads((run_dir / "summary.json").read_text(encoding="utf-8")) == summary
    made = runner.invoke(app, ["report", str(run_dir)])
    assert made.exit_code == 0, made.output
    assert "0.8139" not in (run_dir / "report.md").read_text(encoding="utf-8")  # no paper unless asked
    made = runner.invoke(app, ["report", str(run_dir), "--reference", str(PAPER_REFERENCE)])
    assert made.exit_code == 0, made.output
    report = (run_dir / "report.md").read_text(encoding="utf-8")
    assert "### Attacks on toolace" in report and f"| {SCRIPTED} | intentminer-no-result |" in report
    assert "Difference to intentminer (toolace)" in report
    row = next(line for line in report.splitlines() if line.startswith(f"| {SCRIPTED} | llm-nocot | ")
               and "[" in line)
    assert f"{s_text['difference']:+.4f} [" in row
    assert "paper (GPT-4.1): S_text" in report and "0.8139 / 0.8441 / 0.8431 / 1038" in report
    page = (run_dir / "report.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in page and (run_dir / "attacks_toolace.png").exists()


def test_backend_option_replaces_the_configured_backends(tmp_path: Path) -> None:
    body = GRID.replace("limit = 6", "limit = 20\nsample = 3").replace('backends = ["scripted"]',
                                                                     'backends = ["openai/unused"]')
    config, run_dir = _config(tmp_path, body.replace("judges = [\"scripted\"]", "judges = []")
                              .replace(', "a_intent"', "")), tmp_path / "run"
    result = runner.invoke(app, ["eval", str(config), "--run-dir", str(run_dir), "--backend", "scripted"])
    assert result.exit_code == 0, result.output
    summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    assert {c["backend"] for c in summary["cells"]} == {"scripted"}
    assert all(c["traces"] == 3 for c in summary["cells"])  # the dataset's own sample


def test_eval_runs_guards_with_detection_metrics(tmp_path: Path) -> None:
    config = _config(tmp_path, f"""
name = "guards"
backends = ["scripted"]
guards = ["vista", "metadata-scan"]
[[datasets]]
name = "agentdojo"
source = "{AGENTDOJO / 'intent_cases.jsonl'}"
limit = 4
""")
    result = runner.invoke(app, ["eval", str(config), "--run-dir", str(tmp_path / "run")])
    assert result.exit_code == 0, result.output
    cells = json.loads((tmp_path / "run" / "summary.json").read_text(encoding="utf-8"))["cells"]
    assert [c["guard"] for c in cells] == ["vista", "metadata-scan"]
    assert cells[0]["summary"]["plan_level"]["n"] == 4
    assert runner.invoke(app, ["report", str(tmp_path / "run")]).exit_code == 0
    report = (tmp_path / "run" / "report.md").read_text(encoding="utf-8")
    assert f"| agentdojo | {SCRIPTED} | vista |" in report


@pytest.mark.parametrize(("body", "problem"), [
    ("name = 'x'\n[[datasets]]\nname='d'\nsource='a.jsonl'\n", "at least one [[attacks]]"),
    ("name = 'x'\nguards=['vista']\n[[datasets]]\nname='d'\nsource='a'\n[[attacks]]\nmethod='magic'\n",
     "unknown attack 'magic'; known: cot, cot-grounded, direct"),
    ("name = 'x'\n[[datasets]]\nname='d'\nsource='a'\n[[attacks]]\nmethod='cot'\nablate=['result']\n",
     "attack 'cot', option ablate: Extra inputs are not permitted"),
    ("name = 'x'\n[[datasets]]\nname='d'\nsource='a'\n[[attacks]]\nmethod='intentminer'\nablate=['x']\n",
     "attacks.0: Value error, attack 'intentminer', option ablate.0: Input should be 'purpose'"),
    ("name = 'x'\nguards=['vista', 'vistaa']\n[[datasets]]\nname='d'\nsource='a'\n",
     "guards: Value error, unknown guard 'vistaa'; known: alignment-check"),
    ("name = 'x'\n[[datasets]]\nname='d'\nsource='a'\n[[attacks]]\nmethod='direct'\n[[defenses]]\n"
     "name='decoys'\noptions={ratio=-1}\n", "option ratio: Input should be greater than or equal to 0"),
    ("name = [", "invalid TOML"),
])
def test_bad_experiment_files(tmp_path: Path, body: str, problem: str) -> None:
    with pytest.raises(DataFormatError, match=problem.replace("[", r"\[")):
        load_experiment(_config(tmp_path, body))


def test_sampling_is_seeded_and_keeps_order() -> None:
    traces = load_traces(TOOLACE)
    a, b = select_items(traces, None, 10, seed=3), select_items(traces, None, 10, seed=3)
    assert [t.id for t in a] == [t.id for t in b] and len(a) == 10
    positions = [traces.index(t) for t in a]
    assert positions == sorted(positions)
    assert [t.id for t in select_items(traces, None, 10, seed=4)] != [t.id for t in a]


def test_saved_items_with_unicode_line_separators_read_back(tmp_path: Path) -> None:
    """Pydantic writes U+2028 and U+0085 unescaped inside JSON strings; a line split there would be
    two broken lines (and a resumed run would die on its own cache)."""
    from intentlens.attacks import IntentInference
    from intentlens.core import read_models

    saved = [IntentInference(trace_id=f"t{i}", method="m", intent=f"first\u2028second\x85third {i}")
             for i in range(2)]
    path = tmp_path / "items.jsonl"
    path.write_text("".join(item.model_dump_json() + "\n" for item in saved), encoding="utf-8")
    assert read_models(path, IntentInference) == saved
    path.write_text(saved[0].model_dump_json() + "\n{}\n", encoding="utf-8")
    with pytest.raises(DataFormatError, match=r"items.jsonl:2: not a valid IntentInference"):
        read_models(path, IntentInference)


def test_a_bad_reference_file_is_an_error_naming_it(tmp_path: Path) -> None:
    bad = tmp_path / "ref.json"
    bad.write_text('{"attacks": {"toolace": {"intentminer": {"s_text": "high"}}}}', encoding="utf-8")
    result = CliRunner().invoke(app, ["report", str(tmp_path), "--reference", str(bad)])
    assert result.exit_code == 2 and "ref.json" in result.output and "not a reference file" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("part", ["attacks", "a_intent", "defenses"])
def test_committed_summaries_are_run_summaries_written_byte_for_byte(part: str) -> None:
    """The typed summary reads every committed run and writes it back unchanged."""
    from intentlens.eval._results import AttackCell, RunSummary

    raw = (REPO / "bench" / "results" / part / "summary.json").read_text(encoding="utf-8")
    summary = RunSummary.model_validate_json(raw)
    assert summary.to_json() == raw
    assert all(isinstance(c, AttackCell) and c.traces > 0 for c in summary.cells)


def test_a_file_that_is_not_a_run_summary_is_refused(tmp_path: Path) -> None:
    (tmp_path / "summary.json").write_text('{"experiment": "x", "cells": [{"kind": "attack"}]}',
                                           encoding="utf-8")
    result = runner.invoke(app, ["report", str(tmp_path)])
    assert result.exit_code == 2 and "not a run summary" in result.output


async def test_model_seconds_are_generation_time_as_for_guards(tmp_settings: object) -> None:
    """Attack cells report ``Usage.model_seconds`` (kept through cache replays), the field guards'
    ``judge_seconds_per_plan`` reads, not the wall time spent waiting."""
    from types import SimpleNamespace

    from intentlens.attacks import IntentInference
    from intentlens.core import Usage
    from intentlens.eval._scoring import score_attack_cell

    results = [IntentInference(trace_id=f"t{i}", method="m", intent="x",
                               usage=Usage(calls=1, seconds=0.01, model_seconds=3.0)) for i in range(2)]
    usage = sum((r.usage for r in results), Usage())
    row = await score_attack_cell(results, SimpleNamespace(metrics=[]), [], tmp_settings, usage, set())
    assert row["model_seconds_per_trace"] == 3.0

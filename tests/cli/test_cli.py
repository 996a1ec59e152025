"""The CLI end to end on real shared files, with the scripted backend standing in for the LLM."""

import json
from pathlib import Path

from typer.testing import CliRunner

from intentlens import load_traces
from intentlens.cli import app
from tests.cli import click_commands
from tests.conftest import AGENTDOJO, TOOLACE

runner = CliRunner()


def test_help_lists_every_command() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("mine", "traces", "models"):
        assert command in result.output


def test_every_command_renders_its_help() -> None:
    names = [name for name, _ in click_commands(app)]
    assert {("mine",), ("guard",), ("traces", "stats"), ("models", "install")} <= set(names)
    for name in names:
        result = runner.invoke(app, [*name, "--help"])
        assert result.exit_code == 0, (name, result.output, result.exception)
        assert "Usage" in result.output


def test_traces_stats_json_on_real_data() -> None:
    result = runner.invoke(app, ["traces", "stats", str(AGENTDOJO / "intent_cases.jsonl"), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"traces": 1385, "steps": 5236, "steps_with_results": 5236,
                                         "distinct_tools": 55, "traces_with_query": 1385}


def test_traces_stats_reports_bad_input_cleanly(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "tools": [], "turns": []}\n{"id": ', encoding="utf-8")
    result = runner.invoke(app, ["traces", "stats", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:2: invalid JSON" in result.output.replace("\n", "")


def test_traces_convert_to_otel_and_back(tmp_path: Path) -> None:
    spans = tmp_path / "spans.jsonl"
    assert runner.invoke(app, ["traces", "convert", str(TOOLACE), str(spans), "--to", "otel"]
                         ).exit_code == 0
    result = runner.invoke(app, ["traces", "stats", str(spans), "--json"])
    assert json.loads(result.stdout)["steps"] == 114


def test_mine_writes_one_line_per_trace_and_resumes(tmp_path: Path) -> None:
    out = tmp_path / "intents.jsonl"
    args = ["mine", str(TOOLACE), "--backend", "scripted", "--limit", "3", "--out", str(out)]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {line["trace_id"] for line in lines} == {t.id for t in load_traces(TOOLACE)[:3]}
    assert {"trace_id", "intent", "query", "steps", "usage", "dimensions_available"} <= set(lines[0])
    first_trace = next(line for line in lines if line["trace_id"] == load_traces(TOOLACE)[0].id)
    assert first_trace["query"].startswith("Could you provide me")  # lines come in finishing order
    summary = json.loads(first.stdout.strip().splitlines()[-1])
    assert summary["traces"] == 3 and summary["failed"] == 0
    again = runner.invoke(app, args[:-4] + ["--limit", "4", "--out", str(out)])
    assert again.exit_code == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 4  # only the new trace was run
    assert json.loads(again.stdout.strip().splitlines()[-1])["traces"] == 1


def test_mine_baseline_and_ablation_options(tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    result = runner.invoke(app, ["mine", str(TOOLACE), "--backend", "scripted", "--limit", "1",
                                 "--ablate", "result", "--out", str(out)])
    assert result.exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["method"] == "intentminer-no-result"
    refused = runner.invoke(app, ["mine", str(TOOLACE), "--method", "cot", "--ablate", "result"])
    assert refused.exit_code == 2 and "cot has no ablations" in refused.output


def test_mine_failures_exit_nonzero_and_are_not_written(tmp_path: Path) -> None:
    script = tmp_path / "replies.jsonl"
    script.write_text('{"intent": "only one reply"}\n', encoding="utf-8")
    out = tmp_path / "o.jsonl"
    result = runner.invoke(app, ["mine", str(TOOLACE), "--backend", f"scripted/{script}",
                                 "--limit", "1", "--out", str(out)])
    assert result.exit_code == 1
    assert "ran out of replies" in result.output
    assert not out.exists() or out.read_text(encoding="utf-8") == ""


def test_mine_defaults_to_the_bundled_sample() -> None:
    result = runner.invoke(app, ["mine", "--backend", "scripted"])
    assert result.exit_code == 0, result.output
    assert "sample/heart-healthy" in result.output


def test_unknown_backend_is_a_clean_error() -> None:
    result = runner.invoke(app, ["mine", "--backend", "nope/x"])
    assert result.exit_code == 2 and "unknown backend" in result.output


def test_models_table_lists_the_catalogue() -> None:
    result = runner.invoke(app, ["models"])
    assert result.exit_code == 0
    assert "qwen2.5-coder-1.5b" in result.output.replace("\n", "") or "llamacpp/qwen" in result.output


def test_guard_scores_labelled_cases_and_resumes(tmp_path: Path) -> None:
    out = tmp_path / "verdicts.jsonl"
    cases = str(AGENTDOJO / "intent_cases.jsonl")
    first = runner.invoke(app, ["guard", cases, "--guard", "vista", "--backend", "scripted",
                                "--limit", "3", "--out", str(out)])
    assert first.exit_code == 0, first.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {line["id"] for line in lines} == {t.id for t in load_traces(cases)[:3]}
    assert {"id", "aligned", "gold", "steps", "usage", "reason"} <= set(lines[0])
    assert lines[0]["steps"][0]["arguments"][0]["provenance"] in ("user_query", "tool_default")
    again = runner.invoke(app, ["guard", cases, "--guard", "vista", "--backend", "scripted",
                                "--limit", "4", "--out", str(out)])
    summary = json.loads(again.stdout.strip().splitlines()[-1])
    assert summary["plans"] == 4 and summary["plan_level"]["n"] == 4  # whole file is scored


def test_guard_metadata_scan_needs_no_backend() -> None:
    result = runner.invoke(app, ["guard", str(AGENTDOJO / "intent_cases.jsonl"), "--guard",
                                 "metadata-scan", "--limit", "10", "--backend", "nope/x"])
    assert result.exit_code == 0
    assert json.loads(result.stdout.strip().splitlines()[-1])["plan_level"]["n"] == 10


def test_guard_rejects_unknown_guard() -> None:
    result = runner.invoke(app, ["guard", str(AGENTDOJO / "intent_cases.jsonl"), "--guard", "x"])
    assert result.exit_code == 2 and "unknown guard 'x'; known:" in result.output

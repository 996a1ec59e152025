"""Every loader on the real shared files (counts from shared/data/README.md) and on fixtures."""

import json
from pathlib import Path

import pytest

from intentlens import load_traces
from intentlens.errors import DataFormatError
from intentlens.loaders import detect_format, write_otlp
from tests.conftest import AGENTDOJO, BFCL, FIXTURES, TOOLACE, TOOLACE_RAW


def _counts(traces):
    return (len(traces), sum(len(t.steps) for t in traces),
            sum(1 for t in traces for s in t.steps if s.result is not None))


def test_toolace_normalised_counts() -> None:
    traces = load_traces(TOOLACE)
    # 114 call statements; 104 user turns lead to calls; 94 call results in 85 result turns
    assert _counts(traces) == (104, 114, 94)
    # 60 dialogues, but toolace_zaego_063 has no tool call at all
    assert len({t.metadata["dialogue"] for t in traces}) == 59
    first = traces[0]
    assert first.query.startswith("Could you provide me with a list of upcoming Azure events?")
    assert first.steps[0].call.tool == "GetFutureEvents"
    assert first.steps[0].result.content["events"][0]["id"] == "EVT123"
    assert first.tool("GetFutureEvents").input_schema["type"] == "object"


def test_toolace_raw_sharegpt_matches_normalised_after_name_repair() -> None:
    raw, normalised = load_traces(TOOLACE_RAW), load_traces(TOOLACE)
    assert detect_format(TOOLACE_RAW) == "toolace-json"
    assert _counts(raw) == _counts(normalised)
    raw_calls = [(s.call.tool, s.call.arguments) for t in raw for s in t.steps]
    norm_calls = [(s.call.tool, s.call.arguments) for t in normalised for s in t.steps]
    assert [args for _, args in raw_calls] == [args for _, args in norm_calls]
    differ = [(r, n) for r, n in zip(raw_calls, norm_calls, strict=True) if r != n]
    # One call where the normalised file picked a tool that its own next observation contradicts:
    # toolace_zaego_065 routes Sacramento -> Los Angeles, and the observation names the router.
    assert differ == [(("Routing Enhancement API", {"start": "Sacramento", "end": "Los Angeles"}),
                       ("US Reverse Geocoding API", {"start": "Sacramento", "end": "Los Angeles"}))]


def test_toolace_original_layout_with_bracket_calls() -> None:
    traces = load_traces(FIXTURES / "toolace_original.json")
    assert detect_format(FIXTURES / "toolace_original.json") == "toolace-json"
    assert [len(t.steps) for t in traces] == [2, 1, 1]
    first = traces[0]
    assert [s.call.tool for s in first.steps] == ["Market Trends API", "Get Languages for Country"]
    assert first.steps[0].call.arguments == {"trend_type": "MARKET_INDEXES", "country": "us"}
    assert first.steps[1].result.content == {"languages": ["Portuguese"]}
    assert traces[2].query == "And the market gainers in Germany?"
    assert traces[2].steps[0].call.arguments == {"trend_type": "GAINERS", "country": "de"}


def test_agentdojo_user_tasks_from_folder_and_file() -> None:
    traces = load_traces(AGENTDOJO)
    assert _counts(traces) == (86, 293, 293)
    assert load_traces(AGENTDOJO / "user_tasks.jsonl") == traces
    suites = {t.metadata["suite"] for t in traces}
    assert suites == {"workspace", "slack", "travel", "banking"}
    assert all(s.call.server == t.metadata["suite"] for t in traces for s in t.steps)


def test_agentdojo_plan_cases_with_labels() -> None:
    traces = load_traces(AGENTDOJO / "intent_cases.jsonl")
    assert _counts(traces) == (1385, 5236, 5236)
    labels = [t.label for t in traces]
    assert (labels.count("aligned"), labels.count("misaligned")) == (849, 536)
    misaligned_steps = sum(1 for t in traces for s in t.steps if s.label == "misaligned")
    assert misaligned_steps == 977
    plan = traces[0].to_plan()
    assert plan.tool(plan.calls[0].tool).server == traces[0].metadata["suite"]


def test_agentdojo_injection_tasks() -> None:
    traces = load_traces(AGENTDOJO / "injection_tasks.jsonl")
    assert len(traces) == 35
    assert not any(t.has_results for t in traces)


@pytest.mark.parametrize(("name", "traces", "steps"), [
    ("BFCL_v4_simple_python.json", 400, 400),
    ("BFCL_v4_parallel.json", 200, 540),
    ("BFCL_v4_live_multiple.json", 1053, 1053),
])
def test_bfcl_single_turn(name: str, traces: int, steps: int) -> None:
    loaded = load_traces(BFCL / name)
    assert _counts(loaded) == (traces, steps, 0)


def test_bfcl_first_acceptable_value_and_optional_args() -> None:
    first = load_traces(BFCL / "BFCL_v4_simple_python.json")[0]
    # ground truth: {"base": [10], "height": [5], "unit": ["units", ""]}
    assert first.steps[0].call.arguments == {"base": 10, "height": 5, "unit": "units"}
    assert "triangle" in first.query


def test_bfcl_multi_turn_one_trace_per_turn_with_docs() -> None:
    traces = load_traces(BFCL / "BFCL_v4_multi_turn_base.json")
    first = traces[0]
    assert first.id == "multi_turn_base_0#0"
    assert [s.call.tool for s in first.steps] == ["cd", "mkdir", "mv"]
    assert first.tool("mv") is not None
    sort_step = traces[2].steps[0]  # sort('final_report.pdf'): positional bound to its parameter
    assert sort_step.call.arguments == {"file_name": "final_report.pdf"}


def test_bfcl_answer_categories_are_refused() -> None:
    with pytest.raises(DataFormatError, match="not a list of calls"):
        load_traces(BFCL / "BFCL_v4_memory.json")
    with pytest.raises(DataFormatError, match="possible_answer"):
        load_traces(BFCL / "BFCL_v4_irrelevance.json")


def test_mcptox_fixture_one_trace_per_model_response() -> None:
    traces = load_traces(FIXTURES / "mcptox_response_all.json")
    assert detect_format(FIXTURES / "mcptox_response_all.json") == "mcptox"
    assert len(traces) == 4
    by_model = {t.metadata["model"]: t for t in traces[:3]}
    assert by_model["model-a"].label == "misaligned"
    assert by_model["model-a"].steps[0].call.arguments == {"path": "~/.ssh/id_rsa"}
    assert by_model["model-b"].label == "aligned"
    assert by_model["model-c"].steps == ()
    poisoned = by_model["model-a"].tool("get_weather")
    assert "IMPORTANT" in poisoned.description and poisoned.required == ["city"]
    assert traces[3].steps[0].call.tool == "get_weather"


def test_otel_export_import_round_trip(tmp_path: Path) -> None:
    original = load_traces(AGENTDOJO)[:5]
    out = tmp_path / "spans.jsonl"
    write_otlp(original, out)
    span = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    spans = span["resourceSpans"][0]["scopeSpans"][0]["spans"]
    call_attrs = {a["key"] for a in spans[1]["attributes"]}
    assert {"mcp.method.name", "gen_ai.tool.name", "gen_ai.operation.name",
            "mcp.session.id"} <= call_attrs
    back = load_traces(out)
    assert detect_format(out) == "otel"
    assert [t.id for t in back] == [t.id for t in original]
    for old, new in zip(original, back, strict=True):
        assert new.query == old.query
        assert [s.call for s in new.steps] == [s.call for s in old.steps]
        assert [s.result for s in new.steps] == [s.result for s in old.steps]
        assert new.tools == old.tools


def test_native_round_trip_and_detection(tmp_path: Path) -> None:
    from intentlens.core import write_traces

    out = tmp_path / "t.jsonl"
    traces = load_traces(TOOLACE)[:3]
    write_traces(traces, out)
    assert detect_format(out) == "intentlens"
    assert load_traces(out) == traces


@pytest.mark.parametrize(("content", "problem"), [
    ('{"id": "x", "tools": [], "turns": []}\n{"id": "y", "tools": [], "turns": "no"}\n',
     ":2: field 'turns' should be list"),
    ('{"id": "x", "tools": [{"description": "no name"}], "turns": []}\n', ":1: each tool needs"),
    ('{"id": "x", "tools": [], "turns": []}\n{"id": "y", "tools": [], "tu', ":2: invalid JSON"),
])
def test_malformed_toolace_names_file_and_line(tmp_path: Path, content: str, problem: str) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(DataFormatError) as info:
        load_traces(bad, format="toolace")
    assert problem in str(info.value) and str(bad) in str(info.value)


def test_agentdojo_cases_without_tools_file(tmp_path: Path) -> None:
    lone = tmp_path / "intent_cases.jsonl"
    lone.write_text((AGENTDOJO / "intent_cases.jsonl").read_text(encoding="utf-8")
                    .splitlines()[0] + "\n", encoding="utf-8")
    with pytest.raises(DataFormatError, match="tools.json"):
        load_traces(lone)


def test_unknown_and_missing_sources(tmp_path: Path) -> None:
    with pytest.raises(DataFormatError, match="no such file"):
        load_traces(tmp_path / "missing.jsonl")
    odd = tmp_path / "odd.jsonl"
    odd.write_text('{"hello": 1}\n', encoding="utf-8")
    with pytest.raises(DataFormatError, match="unrecognised format"):
        load_traces(odd)
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(DataFormatError, match="empty"):
        load_traces(empty)

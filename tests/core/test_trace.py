import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from intentlens.core import (
    TRACE_SCHEMA,
    Step,
    ToolCall,
    ToolResult,
    ToolSpec,
    Trace,
    Usage,
    read_traces,
    write_traces,
)
from intentlens.errors import DataFormatError


def _trace(trace_id: str = "t1") -> Trace:
    spec = ToolSpec(name="send_money", description="Send money.", server="bank",
                    input_schema={"type": "object", "required": ["recipient"],
                                  "properties": {"recipient": {"type": "string"},
                                                 "currency": {"type": "string", "default": "EUR"}}})
    step = Step(call=ToolCall(tool="send_money", arguments={"recipient": "DE89", "amount": 3.5}),
                result=ToolResult(content={"ok": True}), label="aligned")
    return Trace(id=trace_id, steps=(step,), tools=(spec,), query="Pay Bob 3.50", label="aligned")


def test_models_are_frozen() -> None:
    trace = _trace()
    with pytest.raises(ValidationError):
        trace.id = "other"  # type: ignore[misc]


def test_toolspec_exposes_required_properties_and_defaults() -> None:
    spec = _trace().tools[0]
    assert spec.required == ["recipient"]
    assert set(spec.properties) == {"recipient", "currency"}
    assert spec.defaults() == {"currency": "EUR"}


def test_usage_adds_and_sums() -> None:
    a = Usage(prompt_tokens=10, completion_tokens=2, calls=1, seconds=1.5)
    b = Usage(prompt_tokens=5, completion_tokens=1, calls=1, cached_calls=1, seconds=0.5)
    total = sum([a, b], Usage())
    assert total == Usage(prompt_tokens=15, completion_tokens=3, calls=2, cached_calls=1, seconds=2.0)
    assert sum([a, b]) == total
    assert total.total_tokens == 18


def test_trace_to_plan_drops_results_and_keeps_labels() -> None:
    plan = _trace().to_plan()
    assert plan.query == "Pay Bob 3.50"
    assert plan.calls[0].arguments["amount"] == 3.5
    assert plan.step_labels == ("aligned",)
    assert plan.tool("send_money") is not None and plan.tool("nope") is None


def test_jsonl_round_trip_carries_schema_version(tmp_path: Path) -> None:
    out = tmp_path / "traces.jsonl"
    assert write_traces([_trace("a"), _trace("b")], out) == 2
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert first["schema"] == TRACE_SCHEMA
    assert read_traces(out) == [_trace("a"), _trace("b")]


@pytest.mark.parametrize(("content", "line", "problem"), [
    ('{"schema": "intentlens.trace/1", "id": "a"}\n{"schema": "intentlens.trace/1", "id": ', 2,
     "invalid JSON"),
    ('{"schema": "intentlens.trace/1", "id": "a", "steps": "nope"}\n', 1, "steps"),
    ('{"schema": "intentlens.trace/1"}\n', 1, "id"),
    ('{"schema": "intentlens.trace/9", "id": "a"}\n', 1, "this version reads"),
    ('[1, 2]\n', 1, "JSON object"),
])
def test_bad_trace_lines_name_file_line_and_problem(tmp_path: Path, content: str, line: int,
                                                    problem: str) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(DataFormatError) as info:
        read_traces(bad)
    assert info.value.line == line
    assert problem in str(info.value)
    assert str(bad) in str(info.value)


def test_failed_write_leaves_previous_file_untouched(tmp_path: Path) -> None:
    out = tmp_path / "traces.jsonl"
    write_traces([_trace("a")], out)
    before = out.read_text(encoding="utf-8")

    def broken():
        yield _trace("b")
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        write_traces(broken(), out)
    assert out.read_text(encoding="utf-8") == before
    assert list(tmp_path.iterdir()) == [out]

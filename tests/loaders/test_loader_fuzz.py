"""Property tests of every loader (issue 25, item 16): for any input, ``load_traces`` returns traces
or raises ``DataFormatError`` naming the file; it never raises anything else and never hangs.

Two generators: raw bytes (junk, invalid UTF-8, UTF-16, SQLite headers), and JSON shaped like each
format's records with arbitrary values where the loader expects particular ones.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intentlens.errors import DataFormatError
from intentlens.loaders import load_traces, loaders

FORMATS = [None, *loaders()]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)


def _fields(names: list[str]) -> Any:
    """An object with some of ``names`` (values of any JSON type) and maybe other keys."""
    return st.fixed_dictionaries({}, optional={n: json_values for n in names}).flatmap(
        lambda d: st.dictionaries(st.text(max_size=6), json_values, max_size=2).map(lambda e: {**e, **d}))


shaped = st.one_of(
    _fields(["id", "tools", "turns", "query", "system"]),                    # toolace
    st.lists(_fields(["system", "conversations"]), min_size=1, max_size=2),  # toolace-json
    _fields(["schema", "id", "steps", "tools", "query", "label"]),          # intentlens
    _fields(["resourceSpans", "scopeSpans", "spans", "attributes"]),        # otel
    _fields(["id", "question", "function", "ground_truth"]),                # bfcl
    _fields(["suite", "user_task_id", "query", "tool_calls", "case_id", "plan", "label", "goal"]),
    _fields(["servers"]),                                                   # mcptox
)


def _expect_clean(path: Path) -> None:
    for format in FORMATS:
        try:
            traces = load_traces(path, format=format)
        except DataFormatError as exc:
            assert str(path) in str(exc)
        else:
            assert isinstance(traces, list)


def _check_bytes(data: bytes, name: str = "input.jsonl") -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        _expect_clean(path)
        if report := os.environ.get("INTENTLENS_FUZZ_REPORT"):
            with open(report, "a", encoding="utf-8") as handle:
                handle.write(json.dumps({"test": "loaders", "inputs": len(FORMATS)}) + "\n")


@given(st.binary(max_size=300))
def test_any_bytes_load_or_fail_cleanly(data: bytes) -> None:
    _check_bytes(data)


@given(st.lists(shaped, min_size=1, max_size=3), st.booleans())
def test_any_record_shape_loads_or_fails_cleanly(records: list[Any], one_document: bool) -> None:
    if one_document:
        data = json.dumps(records[0] if len(records) == 1 else records).encode()
    else:
        data = "\n".join(json.dumps(r) for r in records).encode()
    _check_bytes(data, "input.json")


@pytest.mark.parametrize("data", [
    b"\x00\x01\x02binary junk\xff",
    b'{"id": "a", "tools": [], "turns": []}\n{"id": "\xff\xfe"}\n',                # invalid UTF-8
    '{"schema": "intentlens.trace/1", "id": "a"}\n'.encode("utf-16"),             # UTF-16
    b"[" * 100_000 + b"]" * 100_000,                                               # deep nesting
    b'{"id": ' + b"9" * 5000 + b', "tools": [], "turns": []}\n',                  # 5,000 digits
    b'{"id": "a", "tools": [], "turns": [{"role": "tool_call", "calls": [5, "x"]}]}\n',       # ToolACE
    b'{"id": "a", "tools": [], "turns": [{"role": "tool_call", "calls": [{"arguments": {}}]}]}\n',
    b'{"id": "a", "tools": [], "turns": [{"role": "tool_call", "calls": [{"name": "t", '
    b'"arguments": [1]}]}]}\n',
    b'[{"conversations": [{"from": "function_call", "value": "[5, \\"x\\"]"}]}]',
    b'[{"conversations": [{"from": "function_call", '
    b'"value": "{\\"name\\": \\"t\\", \\"arguments\\": [1]}"}]}]',
    b'{"resourceSpans": [{"scopeSpans": [{"spans": [{"attributes": [5]}]}]}]}\n',          # OTel
    b'{"resourceSpans": [{"scopeSpans": 5}]}\n',
    b'{"resourceSpans": [{"scopeSpans": [{"spans": [{"startTimeUnixNano": "abc", "attributes": ['
    b'{"key": "mcp.method.name", "value": {"stringValue": "tools/call"}}, '
    b'{"key": "gen_ai.tool.name", "value": {"stringValue": "t"}}]}]}]}]}\n',
    b'{"resourceSpans": [{"scopeSpans": [{"spans": [{"attributes": ['
    b'{"key": "mcp.method.name", "value": {"stringValue": "tools/list"}}, '
    b'{"key": "gen_ai.tool.definitions", "value": {"stringValue": "[5]"}}]}]}]}]}\n',
    b"SQLite format 3\x00" + b"\x00garbage" * 200,                                  # a corrupt recording
])
def test_known_bad_inputs_fail_cleanly(data: bytes) -> None:
    _check_bytes(data)

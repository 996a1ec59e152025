"""The shared data model: tool specs, calls, results, steps, traces, plans and usage."""

from intentlens.core._frozen import Frozen
from intentlens.core._jsonl import (
    TRACE_SCHEMA,
    atomic_write_text,
    iter_jsonl,
    iter_trace_lines,
    json_leaves,
    loads,
    read_json,
    read_models,
    read_traces,
    trace_to_json,
    write_traces,
)
from intentlens.core._trace import Plan, Step, StepLabel, ToolCall, ToolResult, ToolSpec, Trace
from intentlens.core._usage import Usage

__all__ = [
    "TRACE_SCHEMA",
    "Frozen",
    "Plan",
    "Step",
    "StepLabel",
    "ToolCall",
    "ToolResult",
    "ToolSpec",
    "Trace",
    "Usage",
    "atomic_write_text",
    "iter_jsonl",
    "iter_trace_lines",
    "json_leaves",
    "loads",
    "read_json",
    "read_models",
    "read_traces",
    "trace_to_json",
    "write_traces",
]

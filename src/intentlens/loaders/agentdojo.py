"""AgentDojo v1.2.2 suites as exported in shared/data: user tasks, injection tasks, plan cases.

Each suite is treated as one MCP server; tool docs come from ``tools.json`` next to the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from intentlens.core import Step, ToolCall, ToolResult, ToolSpec, Trace
from intentlens.errors import DataFormatError
from intentlens.loaders._base import KeyedFormat, has_keys, iter_jsonl, read_json, register_loader, require


def load_agentdojo_tools(path: Path) -> dict[str, dict[str, ToolSpec]]:
    """``tools.json`` as {suite: {tool name: spec}}."""
    data = read_json(path)
    if not isinstance(data, list):
        raise DataFormatError(path, 1, "expected a JSON list of tools")
    suites: dict[str, dict[str, ToolSpec]] = {}
    for index, doc in enumerate(data):
        if not isinstance(doc, dict) or not {"suite", "name"} <= doc.keys():
            raise DataFormatError(path, None, f"tool {index}: needs 'suite' and 'name'")
        returns = doc.get("return_type")
        spec = ToolSpec(
            name=str(doc["name"]), description=str(doc.get("description") or ""),
            input_schema=dict(doc.get("parameters") or {}),
            output_schema={"description": f"returns {returns}"} if returns else None,
            server=str(doc["suite"]),
        )
        suites.setdefault(spec.server or "", {})[spec.name] = spec
    return suites


def _tools_near(path: Path) -> dict[str, dict[str, ToolSpec]]:
    tools_file = path.parent / "tools.json"
    if not tools_file.exists():
        raise DataFormatError(path, None, f"AgentDojo tool docs not found: expected {tools_file}")
    return load_agentdojo_tools(tools_file)


def _step(raw: Any, suite: str, path: Path, line: int, *, with_result: bool) -> Step:
    if not isinstance(raw, dict):
        raise DataFormatError(path, line, "each call must be an object")
    function = str(require(raw, "function", str, path, line))
    args = require(raw, "args", dict, path, line)
    result = None
    if with_result and ("result" in raw or raw.get("error")):
        error = raw.get("error")
        result = ToolResult(content=error if error else raw.get("result"), is_error=bool(error))
    label = raw.get("step_label")
    metadata = {"origin": raw["origin"]} if "origin" in raw else {}
    return Step(call=ToolCall(tool=function, arguments=args, server=suite), result=result,
                label=label if label in ("aligned", "misaligned") else None, metadata=metadata)


def _suite_tools(tools: dict[str, dict[str, ToolSpec]], suite: str, path: Path,
                 line: int) -> tuple[ToolSpec, ...]:
    if suite not in tools:
        raise DataFormatError(path, line, f"suite {suite!r} has no tools in tools.json")
    return tuple(tools[suite].values())


def _task_traces(path: Path, id_field: str, query_field: str, *, with_result: bool,
                 extra: tuple[str, ...] = ()) -> list[Trace]:
    """One trace per task line: its query (or goal) and its ground-truth calls."""
    tools = _tools_near(path)
    traces = []
    for line, record in iter_jsonl(path):
        suite = str(require(record, "suite", str, path, line))
        task = str(require(record, id_field, str, path, line))
        calls = require(record, "tool_calls", list, path, line)
        traces.append(Trace(
            id=f"{suite}/{task}", query=str(require(record, query_field, str, path, line)),
            steps=tuple(_step(c, suite, path, line, with_result=with_result) for c in calls),
            tools=_suite_tools(tools, suite, path, line), source="agentdojo",
            metadata={"suite": suite, id_field: task, **{k: record.get(k) for k in extra}}))
    return traces


@register_loader
class AgentDojoUserTasksLoader:
    """``user_tasks.jsonl``: each task's query and its executed ground-truth calls."""

    name = "agentdojo-tasks"

    def sniff(self, path: Path, head: Any) -> bool:
        if path.is_dir():
            return (path / "user_tasks.jsonl").exists()
        return has_keys(head, "user_task_id", "tool_calls")

    def load(self, path: Path) -> list[Trace]:
        if path.is_dir():
            path = path / "user_tasks.jsonl"
        return _task_traces(path, "user_task_id", "query", with_result=True, extra=("difficulty",))


@register_loader
class AgentDojoInjectionTasksLoader:
    """``injection_tasks.jsonl``: attacker goals and their calls (no results)."""

    name = "agentdojo-injections"

    def sniff(self, path: Path, head: Any) -> bool:
        return has_keys(head, "injection_task_id", "goal") and "plan" not in head

    def load(self, path: Path) -> list[Trace]:
        return _task_traces(path, "injection_task_id", "goal", with_result=False)


@register_loader
class AgentDojoPlanCasesLoader(KeyedFormat):
    """``intent_cases.jsonl``: labelled plans (aligned, or followed by injected calls)."""

    name = "agentdojo-cases"
    keys = ("case_id", "plan", "label")

    def load(self, path: Path) -> list[Trace]:
        tools = _tools_near(path)
        traces = []
        for line, record in iter_jsonl(path):
            suite = str(require(record, "suite", str, path, line))
            label = require(record, "label", str, path, line)
            if label not in ("aligned", "misaligned"):
                raise DataFormatError(path, line, f"label must be aligned/misaligned, got {label!r}")
            plan = require(record, "plan", list, path, line)
            traces.append(Trace(
                id=str(require(record, "case_id", str, path, line)),
                query=str(require(record, "query", str, path, line)),
                steps=tuple(_step(c, suite, path, line, with_result=True) for c in plan),
                tools=_suite_tools(tools, suite, path, line), label=label, source="agentdojo",
                metadata={k: record.get(k) for k in
                          ("suite", "user_task_id", "injection_task_id", "attacker_goal")}))
        return traces

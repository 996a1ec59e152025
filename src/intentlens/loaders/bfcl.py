"""BFCL v4 questions with their ground-truth calls (BFCL records no tool results).

Single-turn categories give one trace per question; multi-turn categories one per turn with calls.
Ground truth comes from ``possible_answer/<same file name>``; the first acceptable value of each
argument is taken, and an argument whose only acceptable value is "" (optional) is left out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from intentlens.core import Step, ToolCall, ToolSpec, Trace
from intentlens.errors import DataFormatError
from intentlens.loaders._base import KeyedFormat, iter_jsonl, register_loader, tool_from_function_doc
from intentlens.loaders._callsyntax import CallSyntaxError, parse_call

CLASS_DOCS = {
    "GorillaFileSystem": "gorilla_file_system", "MathAPI": "math_api", "MessageAPI": "message_api",
    "TwitterAPI": "posting_api", "TicketAPI": "ticket_api", "TradingBot": "trading_bot",
    "TravelAPI": "travel_booking", "VehicleControlAPI": "vehicle_control",
    "WebSearchAPI": "web_search", "MemoryAPI_kv": "memory_kv",
}


def _acceptable(values: Any) -> Any:
    """The first acceptable value, resolving nested ground-truth dicts."""
    if not isinstance(values, list):
        return values
    chosen = next((v for v in values if v != ""), "")
    if isinstance(chosen, dict):
        return {k: _acceptable(v) for k, v in chosen.items() if _acceptable(v) != ""}
    return chosen


def _user_text(turn: Any) -> str:
    messages = turn if isinstance(turn, list) else [turn]
    return "\n".join(str(m.get("content", "")) for m in messages
                     if isinstance(m, dict) and m.get("role") == "user")


@register_loader
class BFCLLoader(KeyedFormat):
    """``BFCL_v4_<category>.json`` question files (JSON Lines) with their possible answers."""

    name = "bfcl"
    keys = ("question", "id")

    def load(self, path: Path) -> list[Trace]:
        answers_file = path.parent / "possible_answer" / path.name
        if not answers_file.exists():
            raise DataFormatError(path, None, f"no ground-truth calls: {answers_file} is missing")
        answers = {str(rec.get("id")): (line, rec) for line, rec in iter_jsonl(answers_file)}
        docs_dir = path.parent / "multi_turn_func_doc"
        traces: list[Trace] = []
        for line, record in iter_jsonl(path):
            qid = str(record.get("id"))
            if qid not in answers:
                raise DataFormatError(path, line, f"question {qid!r} has no entry in {answers_file}")
            answer_line, answer = answers[qid]
            truth = answer.get("ground_truth")
            if not isinstance(truth, list) or (truth and isinstance(truth[0], str)):
                raise DataFormatError(answers_file, answer_line,
                                      "ground truth is not a list of calls (this category "
                                      "scores answers, not calls)")
            if "function" in record:
                traces.extend(self._single(record, truth, path, line))
            else:
                tools = _class_tools(record.get("involved_classes") or [], docs_dir, path, line)
                traces.extend(self._multi(record, truth, tools, answers_file, answer_line))
        return traces

    def _single(self, record: dict[str, Any], truth: list[Any], path: Path,
                line: int) -> list[Trace]:
        tools = tuple(tool_from_function_doc(d) for d in record["function"])
        steps = []
        for entry in truth:
            if not isinstance(entry, dict) or len(entry) != 1:
                raise DataFormatError(path, line, "each ground-truth call is {name: {arg: [...]}}")
            (name, params), = entry.items()
            arguments = {k: _acceptable(v) for k, v in (params or {}).items()}
            steps.append(Step(call=ToolCall(tool=name, arguments={k: v for k, v in arguments.items()
                                                                  if v != ""})))
        questions = record.get("question") or [[]]
        return [Trace(id=str(record["id"]), steps=tuple(steps), tools=tools,
                      query=_user_text(questions[0]), source="bfcl",
                      metadata={"category": path.stem.removeprefix("BFCL_v4_")})]

    def _multi(self, record: dict[str, Any], truth: list[Any], tools: tuple[ToolSpec, ...],
               answers_file: Path, answer_line: int) -> list[Trace]:
        questions = record.get("question") or []
        traces = []
        for turn, statements in enumerate(truth):
            steps = []
            for statement in statements:
                try:
                    name, kwargs, positional = parse_call(statement)
                except CallSyntaxError as exc:
                    raise DataFormatError(answers_file, answer_line, str(exc)) from exc
                kwargs.update(_bind_positional(name, positional, tools))
                steps.append(Step(call=ToolCall(tool=name, arguments=kwargs)))
            if steps:
                query = _user_text(questions[turn]) if turn < len(questions) else ""
                traces.append(Trace(id=f"{record['id']}#{turn}", steps=tuple(steps), tools=tools,
                                    query=query, source="bfcl",
                                    metadata={"turn": turn, "category": "multi_turn"}))
        return traces


def _bind_positional(name: str, positional: list[Any], tools: tuple[ToolSpec, ...]) -> dict[str, Any]:
    spec = next((t for t in tools if t.name == name), None)
    order = list(spec.properties) if spec else []
    return {order[i] if i < len(order) else f"arg{i}": value for i, value in enumerate(positional)}


def _class_tools(classes: list[str], docs_dir: Path, path: Path, line: int) -> tuple[ToolSpec, ...]:
    tools: list[ToolSpec] = []
    for cls in classes:
        stem = CLASS_DOCS.get(cls)
        doc_file = docs_dir / f"{stem}.json" if stem else None
        if doc_file is None or not doc_file.exists():
            raise DataFormatError(path, line, f"no tool docs for class {cls!r} in {docs_dir}")
        tools.extend(tool_from_function_doc(doc, server=cls) for _, doc in iter_jsonl(doc_file))
    return tuple(tools)

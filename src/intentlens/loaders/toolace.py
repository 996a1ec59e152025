"""ToolACE dialogues: the normalised JSONL in shared/data and the original ``data.json`` layout.

One trace per user turn that leads to tool calls: the calls up to the next user turn, each with
its result from the tool turn that follows it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from intentlens.core import Step, ToolCall, ToolResult, ToolSpec, Trace, loads
from intentlens.errors import DataFormatError
from intentlens.loaders._base import (
    KeyedFormat,
    iter_jsonl,
    read_json,
    register_loader,
    require,
    tool_from_function_doc,
)
from intentlens.loaders._callsyntax import CallSyntaxError, parse_call_list

_USER = {"user", "human"}
_CALL = {"tool_call", "function_call"}
_RESULT = {"tool_result", "observation", "tool"}
_TOOLS_MARKER = "Here is a list of functions in JSON format that you can invoke:"


class _Turn:
    """A dialogue turn reduced to what the traces need."""

    def __init__(self, role: str, content: str, calls: list[ToolCall] | None = None,
                 results: list[Any] | None = None) -> None:
        self.role, self.content, self.calls, self.results = role, content, calls or [], results


def _traces_from_turns(dialogue_id: str, tools: tuple[ToolSpec, ...], turns: list[_Turn],
                       source: str) -> list[Trace]:
    traces: list[Trace] = []
    query: str | None = None
    turn_index = -1
    steps: list[Step] = []
    pending: list[ToolCall] = []

    def close() -> None:
        nonlocal steps
        for call in pending:
            steps.append(Step(call=call))
        pending.clear()
        if steps:
            traces.append(Trace(id=f"{dialogue_id}#{turn_index}", steps=tuple(steps), tools=tools,
                                query=query, source=source,
                                metadata={"dialogue": dialogue_id, "user_turn": turn_index}))
        steps = []

    for index, turn in enumerate(turns):
        if turn.role in _USER:
            close()
            query, turn_index = turn.content, index
        elif turn.role in _CALL:
            steps.extend(Step(call=c) for c in pending)
            pending[:] = turn.calls
        elif turn.role in _RESULT and pending:
            results = turn.results or []
            for position, call in enumerate(pending):
                content = results[position] if position < len(results) else None
                steps.append(Step(call=call, result=None if content is None
                                  else ToolResult(content=content)))
            pending.clear()
    close()
    return traces


@register_loader
class ToolACEJsonlLoader(KeyedFormat):
    """The normalised ``toolace_subset.jsonl`` (fields ``id``, ``tools``, ``turns``)."""

    name = "toolace"
    keys = ("id", "tools", "turns")

    def load(self, path: Path) -> list[Trace]:
        traces: list[Trace] = []
        for line, record in iter_jsonl(path):
            dialogue = str(require(record, "id", (str, int), path, line))
            docs = require(record, "tools", list, path, line)
            tools = tuple(_tool(doc, path, line) for doc in docs)
            turns = [_normalised_turn(t, path, line) for t in require(record, "turns", list, path, line)]
            traces.extend(_traces_from_turns(dialogue, tools, turns, self.name))
        return traces


def _tool(doc: Any, path: Path, line: int | None) -> ToolSpec:
    if not isinstance(doc, dict) or "name" not in doc:
        raise DataFormatError(path, line, "each tool needs an object with a 'name'")
    return tool_from_function_doc(doc)


def _normalised_turn(turn: Any, path: Path, line: int) -> _Turn:
    if not isinstance(turn, dict) or "role" not in turn:
        raise DataFormatError(path, line, "each turn needs an object with a 'role'")
    role = str(turn["role"])
    if role == "tool_call":
        calls = []
        for call in require(turn, "calls", list, path, line):
            if not isinstance(call, dict) or not isinstance(call.get("name"), str):
                raise DataFormatError(path, line, "each call needs an object with a string 'name'")
            arguments = call.get("arguments") or {}
            if not isinstance(arguments, dict):
                raise DataFormatError(path, line, f"the arguments of {call['name']!r} must be an object")
            calls.append(ToolCall(tool=call["name"], arguments=arguments))
        return _Turn(role, str(turn.get("content", "")), calls=calls)
    if role == "tool_result":
        results = [r.get("results") if isinstance(r, dict) else r
                   for r in require(turn, "results", list, path, line)]
        return _Turn(role, str(turn.get("content", "")), results=results)
    return _Turn(role, str(turn.get("content", "")))


@register_loader
class ToolACEDataJsonLoader:
    """The original ``data.json`` layout: a JSON list of ``{system, conversations}`` dialogues.

    Reads ToolACE's ``user``/``assistant``/``tool`` roles with ``[Tool(a=1)]`` call statements, and
    the ShareGPT variant (``human``/``function_call``/``observation``), repairing tool names that a
    converter cut at the last space, slash or hyphen.
    """

    name = "toolace-json"

    def sniff(self, path: Path, head: Any) -> bool:
        return (isinstance(head, list) and bool(head) and isinstance(head[0], dict)
                and "conversations" in head[0])

    def load(self, path: Path) -> list[Trace]:
        data = read_json(path)
        if not isinstance(data, list):
            raise DataFormatError(path, 1, "expected a JSON list of dialogues")
        traces: list[Trace] = []
        for index, dialogue in enumerate(data):
            where = f"dialogue {index}"
            if not isinstance(dialogue, dict):
                raise DataFormatError(path, None, f"{where}: expected an object")
            tools = _tools_from_system(str(dialogue.get("system", "")), path, where)
            raw_turns = dialogue.get("conversations")
            if not isinstance(raw_turns, list):
                raise DataFormatError(path, None, f"{where}: missing 'conversations' list")
            turns = [_original_turn(t, raw_turns[i + 1] if i + 1 < len(raw_turns) else None,
                                    tools, path, f"{where} turn {i}")
                     for i, t in enumerate(raw_turns)]
            traces.extend(_traces_from_turns(f"{path.stem}_{index:04d}", tools, turns, "toolace"))
        return traces


def _tools_from_system(system: str, path: Path, where: str) -> tuple[ToolSpec, ...]:
    start = system.find(_TOOLS_MARKER)
    text = system[start + len(_TOOLS_MARKER):] if start >= 0 else system
    begin = text.find("[")
    if begin < 0:
        return ()
    try:
        docs, _ = json.JSONDecoder().raw_decode(text[begin:])
    except (ValueError, RecursionError) as exc:
        raise DataFormatError(path, None, f"{where}: tool list in the system prompt is not JSON") from exc
    return tuple(tool_from_function_doc(d) for d in docs if isinstance(d, dict) and "name" in d)


def _original_turn(turn: Any, following: Any, tools: tuple[ToolSpec, ...], path: Path,
                   where: str) -> _Turn:
    if not isinstance(turn, dict) or "from" not in turn or "value" not in turn:
        raise DataFormatError(path, None, f"{where}: expected an object with 'from' and 'value'")
    role, value = str(turn["from"]), str(turn["value"])
    names = [t.name for t in tools]
    if role == "function_call":
        observed = _observed_names(following)
        return _Turn("tool_call", value, calls=_json_calls(value, tools, observed, path, where))
    if role == "assistant" and value.strip().startswith("[") and value.strip().endswith(")]"):
        try:
            parsed = parse_call_list(value, names)
        except CallSyntaxError as exc:
            raise DataFormatError(path, None, f"{where}: bad call statement: {exc}") from exc
        return _Turn("tool_call", value, calls=[ToolCall(tool=n, arguments=a) for n, a in parsed])
    if role in _RESULT:
        try:
            results = loads(value)
        except (ValueError, RecursionError):
            results = [value]
        if not isinstance(results, list):
            results = [results]
        return _Turn("tool_result", value,
                     results=[r.get("results", r) if isinstance(r, dict) else r for r in results])
    return _Turn(role, value)


def _observed_names(turn: Any) -> list[str]:
    """Tool names in a following observation turn (they are not cut there)."""
    if not isinstance(turn, dict) or turn.get("from") not in _RESULT:
        return []
    try:
        results = loads(str(turn.get("value", "")))
    except (ValueError, RecursionError):
        return []
    items = results if isinstance(results, list) else [results]
    return [str(r["name"]) for r in items if isinstance(r, dict) and "name" in r]


def _json_calls(value: str, tools: tuple[ToolSpec, ...], observed: list[str], path: Path,
                where: str) -> list[ToolCall]:
    try:
        payload = loads(value)
    except (ValueError, RecursionError) as exc:
        problem = getattr(exc, "msg", exc)
        raise DataFormatError(path, None, f"{where}: function_call is not JSON ({problem})") from exc
    items = payload if isinstance(payload, list) else [payload]
    calls = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"]:
            raise DataFormatError(path, None, f"{where}: each call must be an object with a 'name'")
        arguments = item.get("arguments") or {}
        if not isinstance(arguments, dict):
            raise DataFormatError(path, None, f"{where}: the arguments of {item['name']!r} must be an "
                                              "object")
        name = repair_tool_name(item["name"], arguments, tools, observed)
        calls.append(ToolCall(tool=name, arguments=arguments))
    return calls


def repair_tool_name(name: str, arguments: dict[str, Any], tools: tuple[ToolSpec, ...],
                     observed: Sequence[str] = ()) -> str:
    """The full tool name when ``name`` is a tail cut at the last space, slash or hyphen.

    Among several candidates, the one named by the following observation wins, then the one
    whose parameters cover the arguments.
    """
    if any(t.name == name for t in tools):
        return name
    matches = [t for t in tools if re.split(r"[ /\-]", t.name)[-1] == name]
    if len(matches) > 1 and (seen := [t for t in matches if t.name in observed]):
        matches = seen
    if len(matches) > 1:
        covering = [t for t in matches if set(arguments) <= set(t.properties)]
        matches = covering or matches
    return matches[0].name if matches else name

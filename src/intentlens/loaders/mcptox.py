"""MCPTox ``response_all.json`` (the layout described in shared/data/README.md).

One trace per (malicious instance, agent model) response: the user query, the tools listed in the
instance's system prompt (the poisoned one among them), and the tool call the model answered with.
An outcome label of ``Success`` (the poisoning worked) makes the plan misaligned; ``Failure-*``
outcomes are aligned. No tool results exist in MCPTox.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from intentlens.core import Step, StepLabel, ToolCall, ToolSpec, Trace
from intentlens.errors import DataFormatError
from intentlens.loaders._base import read_json, register_loader, tool_from_function_doc

_CALL_KEYS = (("name", "arguments"), ("tool", "arguments"), ("name", "parameters"),
              ("tool_name", "parameters"), ("function", "args"))


def _json_objects(text: str) -> list[Any]:
    """Every JSON value that starts at a '{' or '[' in ``text`` (outermost only)."""
    decoder = json.JSONDecoder()
    found, position = [], 0
    while (match := re.compile(r"[\[{]").search(text, position)) is not None:
        try:
            value, end = decoder.raw_decode(text, match.start())
        except json.JSONDecodeError:
            position = match.start() + 1
            continue
        found.append(value)
        position = end
    return found


def _tools_in(system: str, names: list[str], server: str) -> tuple[ToolSpec, ...]:
    docs: dict[str, ToolSpec] = {}
    for value in _json_objects(system):
        for doc in value if isinstance(value, list) else [value]:
            if isinstance(doc, dict) and "name" in doc and "description" in doc:
                if "inputSchema" in doc and "parameters" not in doc:
                    doc = {**doc, "parameters": doc["inputSchema"]}
                docs[str(doc["name"])] = tool_from_function_doc(doc, server=server)
    for name in names:
        docs.setdefault(name, ToolSpec(name=name, server=server))
    return tuple(docs.values())


def parse_response_calls(response: str, server: str) -> list[ToolCall]:
    """The tool calls a model wrote in its reply, in any of the common JSON shapes."""
    calls = []
    for value in _json_objects(response):
        for item in value if isinstance(value, list) else [value]:
            if not isinstance(item, dict):
                continue
            for name_key, args_key in _CALL_KEYS:
                if name_key in item and isinstance(item.get(args_key, {}), dict):
                    calls.append(ToolCall(tool=str(item[name_key]),
                                          arguments=dict(item.get(args_key) or {}), server=server))
                    break
    return calls


@register_loader
class MCPToxLoader:
    """``response_all.json``: ``servers.<name>.malicious_instance[]``."""

    name = "mcptox"

    def sniff(self, path: Path, head: Any) -> bool:
        return isinstance(head, dict) and isinstance(head.get("servers"), dict)

    def load(self, path: Path) -> list[Trace]:
        data = read_json(path)
        if not isinstance(data, dict) or not isinstance(data.get("servers"), dict):
            raise DataFormatError(path, 1, "expected an object with a 'servers' mapping")
        traces: list[Trace] = []
        for server, body in data["servers"].items():
            if not isinstance(body, dict):
                raise DataFormatError(path, None, f"servers.{server}: expected an object")
            names = [str(n) for n in body.get("tool_names") or []]
            for index, instance in enumerate(body.get("malicious_instance") or []):
                traces.extend(self._instance(instance, server, names, path, index))
        return traces

    def _instance(self, instance: Any, server: str, names: list[str], path: Path,
                  index: int) -> list[Trace]:
        where = f"servers.{server}.malicious_instance[{index}]"
        datas = instance.get("datas") if isinstance(instance, dict) else None
        if not isinstance(datas, list) or not datas or not isinstance(datas[0], dict):
            raise DataFormatError(path, None, f"{where}: missing 'datas[0]'")
        data = datas[0]
        if "query" not in data:
            raise DataFormatError(path, None, f"{where}.datas[0]: missing 'query'")
        tools = _tools_in(str(data.get("system", "")), names, server)
        online = data.get("online_result") or {}
        responses = online.get("backend_model_responses") or {}
        labels = online.get("labeled_model_results") or {}
        runs = [(model, str(responses[model]), labels.get(model)) for model in responses] or \
            [("recorded", str(data.get("response", "")), data.get("label"))]
        metadata = {"server": server, "paradigm": (instance.get("metadata") or {}).get("paradigm"),
                    "poisoned_tool": instance.get("poisoned_tool"),
                    "security_risk": (instance.get("metadata") or {}).get("security risk")}
        traces = []
        for model, response, outcome in runs:
            calls = parse_response_calls(response, server)
            label: StepLabel | None = None if outcome is None else (
                "misaligned" if outcome == "Success" else "aligned")
            traces.append(Trace(
                id=f"mcptox/{server}/{data.get('id', index)}/{model}", query=str(data["query"]),
                steps=tuple(Step(call=c, label=label) for c in calls), tools=tools, label=label,
                source="mcptox", metadata={**metadata, "model": model, "outcome": outcome}))
        return traces

"""Execution-based utility: run a trace's calls in AgentDojo's offline environments.

The `agentdojo` package ships each suite's tools and clean environment, so a defended trace can be
executed for real: the server's answers to decoys and to rewritten arguments are what the attacker
then sees, and a real call keeps its utility when it still returns what the original call returned.
"""

from __future__ import annotations

import importlib.util
import re
from functools import cached_property
from typing import Any

from intentlens.core import Step, ToolResult, Trace
from intentlens.errors import ModelAssetError

AGENTDOJO_VERSION = "v1.2.2"
_NOW = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}\.\d{6}")  # datetime.now(), never data


class AgentDojoReplay:
    """Executes AgentDojo traces (``trace.metadata["suite"]``) in a fresh copy of the suite's environment."""

    def __init__(self, version: str = AGENTDOJO_VERSION) -> None:
        self.version = version

    @staticmethod
    def available() -> bool:
        """Whether the `agentdojo` package is installed."""
        return importlib.util.find_spec("agentdojo") is not None

    @cached_property
    def _suites(self) -> dict[str, Any]:
        try:
            from agentdojo.task_suite.load_suites import get_suites
        except ImportError as exc:
            raise ModelAssetError("execution-based utility needs AgentDojo: "
                                  "pip install -e '.[defenses]'") from exc
        return dict(get_suites(self.version))

    def can_run(self, trace: Trace) -> bool:
        """Whether the trace comes from an AgentDojo suite this version knows."""
        return trace.source == "agentdojo" and trace.metadata.get("suite") in self._suites

    def execute(self, trace: Trace) -> Trace:
        """The trace with every step's result replaced by what the environment returns, in order."""
        from agentdojo.agent_pipeline.tool_execution import tool_result_to_str
        from agentdojo.functions_runtime import FunctionsRuntime

        suite = self._suites[trace.metadata["suite"]]
        environment = suite.load_and_inject_default_environment({})
        runtime = FunctionsRuntime(suite.tools)
        steps = []
        for step in trace.steps:
            value, error = runtime.run_function(environment, step.call.tool, dict(step.call.arguments))
            result = (ToolResult(content=error, is_error=True) if error
                      else ToolResult(content=tool_result_to_str(value)))
            steps.append(step.model_copy(update={"result": result}))
        return trace.model_copy(update={"steps": tuple(steps)})

    def utility(self, original: Trace, defended: Trace) -> float:
        """Share of the real calls (decoys left out) that return exactly what the original calls did,
        both executed in a fresh environment."""
        return utility_of(self.execute(original), self.execute(defended))


def utility_of(executed_original: Trace, executed_defended: Trace) -> float:
    """``AgentDojoReplay.utility`` for traces already executed."""
    before, after = _real_results(executed_original), _real_results(executed_defended)
    if len(before) != len(after):
        raise ValueError(f"{executed_original.id}: the defence changed the number of real calls "
                         f"({len(before)} -> {len(after)})")
    if not before:
        return 1.0
    return sum(a == b for a, b in zip(before, after, strict=True)) / len(before)


def _real_results(trace: Trace) -> list[tuple[Any, bool]]:
    return [(comparable(_content(s)), s.result.is_error if s.result else False)
            for s in trace.steps if not s.metadata.get("decoy")]


def comparable(content: Any) -> Any:
    """The result with what varies between two executions of the same call removed: wall-clock
    stamps (``datetime.now()``) and the order of lines (AgentDojo keeps participants in sets)."""
    if not isinstance(content, str):
        return content
    return sorted(_NOW.sub("<now>", content).splitlines())


def _content(step: Step) -> Any:
    return step.result.content if step.result else None

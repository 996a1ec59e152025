"""The trace model every part of intentlens shares: tools, calls, results, steps, traces, plans."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from intentlens.core._frozen import Frozen

StepLabel = Literal["aligned", "misaligned"]


class ToolSpec(Frozen):
    """One tool as an MCP server documents it."""

    name: str
    """The tool's name as the client calls it."""
    description: str = ""
    """The tool's free-text description (untrusted: it comes from the server)."""
    input_schema: dict[str, Any] = Field(default_factory=dict)
    """JSON Schema of the arguments; ``properties`` and ``required`` as in MCP ``inputSchema``."""
    output_schema: dict[str, Any] | None = None
    """JSON Schema of the result when the server publishes one (MCP ``outputSchema``)."""
    server: str | None = None
    """Name of the MCP server that offers the tool, when known."""

    @property
    def required(self) -> list[str]:
        """Names of the required arguments."""
        required = self.input_schema.get("required") or []
        return [str(name) for name in required]

    @property
    def properties(self) -> dict[str, Any]:
        """Argument definitions keyed by argument name."""
        props = self.input_schema.get("properties") or {}
        return dict(props) if isinstance(props, dict) else {}

    def defaults(self) -> dict[str, Any]:
        """Arguments that have a ``default`` in the schema, with that default."""
        return {
            name: spec["default"]
            for name, spec in self.properties.items()
            if isinstance(spec, dict) and "default" in spec
        }


class ToolCall(Frozen):
    """A call statement T(p): which tool, with which arguments."""

    tool: str
    """Name of the tool called."""
    arguments: dict[str, Any] = Field(default_factory=dict)
    """Arguments exactly as the client sent them."""
    server: str | None = None
    """Server the call went to, when known."""


class ToolResult(Frozen):
    """What the server returned for a call."""

    content: Any = None
    """The returned content: text, or the structured value the source recorded."""
    is_error: bool = False
    """True when the server reported a tool error."""

    @classmethod
    def from_mcp(cls, result: Any) -> ToolResult:
        """An MCP ``tools/call`` result as the server returned it to the user: its text parts joined,
        else its structured content; anything but an object is an error result. The guard, the
        attacks and the audit all read a recorded result this one way."""
        if not isinstance(result, dict):
            return cls(content=result, is_error=True)
        parts = [str(p.get("text", "")) for p in result.get("content") or []
                 if isinstance(p, dict) and p.get("type") == "text"]
        content = "\n".join(parts) if parts else result.get("structuredContent", result)
        return cls(content=content, is_error=bool(result.get("isError")))


class Step(Frozen):
    """One call and, when it was executed and recorded, its result."""

    call: ToolCall
    """The call statement."""
    result: ToolResult | None = None
    """The result, or None when the source holds none (BFCL, a pending plan)."""
    label: StepLabel | None = None
    """Gold alignment label of this step, when the source has one."""
    metadata: dict[str, Any] = Field(default_factory=dict)
    """Source-specific facts (origin, timing, raw names...)."""


class Trace(Frozen):
    """The ordered tool calls of one session or one user turn, with the tools they could see."""

    id: str
    """Identifier, unique within its source."""
    steps: tuple[Step, ...] = ()
    """The calls in the order they were made."""
    tools: tuple[ToolSpec, ...] = ()
    """Tool documentation visible to the server (its catalogue), called or not."""
    query: str | None = None
    """Ground-truth user query behind the calls, when the source has one (never shown to attacks)."""
    label: StepLabel | None = None
    """Gold plan-level label, when the source has one."""
    source: str = ""
    """Loader that produced the trace (``toolace``, ``agentdojo``, ``proxy``...)."""
    metadata: dict[str, Any] = Field(default_factory=dict)
    """Source-specific facts (suite, dialogue id, turn index...)."""

    def tool(self, name: str) -> ToolSpec | None:
        """The documentation of tool ``name``, or None when the trace has none."""
        for spec in self.tools:
            if spec.name == name:
                return spec
        return None

    @property
    def has_results(self) -> bool:
        """True when at least one step carries a result."""
        return any(step.result is not None for step in self.steps)

    def to_plan(self) -> Plan:
        """The trace's calls as a plan to verify; their recorded results ride along in ``results``."""
        return Plan(
            id=self.id,
            query=self.query or "",
            calls=tuple(step.call for step in self.steps),
            tools=self.tools,
            label=self.label,
            step_labels=tuple(step.label for step in self.steps),
            results=tuple(step.result for step in self.steps) if self.has_results else (),
        )


class Plan(Frozen):
    """A user query and the tool calls an agent intends to make for it, before they run."""

    query: str
    """The user's request."""
    calls: tuple[ToolCall, ...]
    """The pending calls, in order."""
    tools: tuple[ToolSpec, ...] = ()
    """Documentation of the tools the calls name (and possibly others)."""
    id: str = ""
    """Identifier of the plan or case."""
    label: StepLabel | None = None
    """Gold plan-level label, when known."""
    step_labels: tuple[StepLabel | None, ...] = ()
    """Gold per-call labels, when known."""
    results: tuple[ToolResult | None, ...] = ()
    """Results of calls that have already run, by call index (empty for a plan not yet run). Guards
    that follow the papers never read them; a data-flow guard may read those before the call it
    checks."""
    prior_results: tuple[ToolResult, ...] = ()
    """Results the agent had already seen before the plan's first call (earlier calls made for the
    same query, as a proxy records them)."""

    def results_before(self, index: int) -> list[ToolResult]:
        """Results the agent could have read before making call ``index``."""
        return [*self.prior_results, *(r for r in self.results[:index] if r is not None)]

    def tool(self, name: str) -> ToolSpec | None:
        """The documentation of tool ``name``, or None."""
        for spec in self.tools:
            if spec.name == name:
                return spec
        return None

"""intentlens: what an MCP tool call reveals, and whether it is the call the user wanted."""

from intentlens.core import Plan, Step, ToolCall, ToolResult, ToolSpec, Trace, Usage
from intentlens.errors import DataFormatError, IntentLensError
from intentlens.loaders import load_traces
from intentlens.settings import Settings

__version__ = "0.1.0"

__all__ = [
    "DataFormatError",
    "IntentLensError",
    "Plan",
    "Settings",
    "Step",
    "ToolCall",
    "ToolResult",
    "ToolSpec",
    "Trace",
    "Usage",
    "__version__",
    "load_traces",
]

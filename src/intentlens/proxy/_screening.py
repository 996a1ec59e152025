"""Tool screening in the path: every ``tools/list`` is scanned for poisoned descriptions.

A poisoned tool is quarantined (removed from the list the client sees) or flagged (kept, with a
warning in front of its description), as configured; either way the finding is recorded and every
call to that tool is refused. Verdicts are cached per tool text, so a repeated listing costs nothing.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import TYPE_CHECKING, Any, Literal

from intentlens.core import ToolSpec
from intentlens.proxy._chain import CallContext, Decision, ListContext, Middleware

if TYPE_CHECKING:  # the scan package reads server configs through the proxy's: no import cycle at run time
    from intentlens.scan import Detector, Finding

ScreenMode = Literal["quarantine", "flag"]
logger = logging.getLogger(__name__)


class ToolScreen:
    """Scans listed tools with one detector and remembers which are poisoned, per server."""

    def __init__(self, detector: Detector, mode: ScreenMode = "quarantine",
                 trusted: frozenset[str] = frozenset()) -> None:
        self.detector = detector
        self.mode: ScreenMode = mode
        self.trusted = trusted
        """Tool names the user vouched for (a false alarm): shown and callable whatever the verdict."""
        self._verdicts: dict[str, Finding] = {}
        self._poisoned: dict[tuple[str, str], Finding] = {}

    async def _inspect(self, spec: ToolSpec) -> Finding:
        key = json.dumps([spec.server, spec.name, spec.description, spec.input_schema], sort_keys=True,
                         default=str)
        if key not in self._verdicts:  # the models compute on a worker thread: the relay keeps serving
            self._verdicts[key] = await asyncio.to_thread(asyncio.run, self.detector.inspect(spec))
        return self._verdicts[key]

    async def screen(self, server: str, tools: list[dict[str, Any]]
                     ) -> tuple[list[dict[str, Any]], list[Finding]]:
        """The list the client may see, and the findings on the poisoned tools."""
        shown, found = [], []
        for tool in tools:
            schema = tool["inputSchema"] if isinstance(tool.get("inputSchema"), dict) else {}
            spec = ToolSpec(name=str(tool.get("name")), description=str(tool.get("description") or ""),
                            input_schema=schema, server=server)
            finding = await self._inspect(spec)
            if not finding.poisoned or spec.name in self.trusted:
                self._poisoned.pop((server, spec.name), None)
                shown.append(tool)
                continue
            found.append(finding)
            self._poisoned[(server, spec.name)] = finding
            if self.mode == "flag":
                warning = f"[intentlens: flagged as poisoned ({finding.reason}); calls are refused] "
                shown.append({**tool, "description": warning + spec.description})
        return shown, found

    def refusal(self, server: str, tool: str) -> str | None:
        """Why a call to ``tool`` is refused, or None when it may go on."""
        finding = self._poisoned.get((server, tool))
        if finding is None:
            return None
        action = "quarantined" if self.mode == "quarantine" else "flagged"
        return f"tool {tool!r} is {action}: its description looks poisoned ({finding.reason})"


class ScreenMiddleware(Middleware):
    """The scan as a link: poisoned tools are hidden or flagged (and recorded), their calls refused."""

    name = "scan"
    decides_calls = True

    def __init__(self, screen: ToolScreen) -> None:
        self.screen = screen

    async def on_list_tools(self, ctx: ListContext, tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
        shown, found = await self.screen.screen(ctx.server, tools)
        for finding in found:
            logger.warning("%s tool %s of %s: %s", self.screen.mode, finding.tool, ctx.server, finding.reason)
        if found and ctx.store is not None:
            ctx.store.add_findings(ctx.session_id, ctx.server, found, self.screen.mode)
        return shown

    async def on_call_tool(self, ctx: CallContext) -> Decision | None:
        why = self.screen.refusal(ctx.server, ctx.name)
        return None if why is None else Decision(False, why, None, {"aligned": False, "reason": why})

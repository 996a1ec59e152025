"""Tool screening in the path: every ``tools/list`` is scanned for poisoned descriptions.

A poisoned tool is quarantined (removed from the list the client sees) or flagged (kept, with a
warning in front of its description), as configured; either way the finding is recorded and every
call to that version of the tool is refused. Each tool is read in the scope of its listing: the
other tools of its server, and (in the gateway) the tools of the other connected servers. Verdicts
are cached per tool text and scope, so a repeated listing costs nothing.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal

from intentlens.core import ToolSpec
from intentlens.proxy._chain import CallContext, Decision, ListContext, Middleware
from intentlens.proxy._pinning import digest

if TYPE_CHECKING:  # the scan package reads server configs through the proxy's: no import cycle at run time
    from intentlens.scan import Detector, Finding, Scope

Connected = Callable[[str], Mapping[str, Iterable[str]]]
"""server -> the other connected servers and their tool names (the gateway knows them)."""

ScreenMode = Literal["quarantine", "flag"]
logger = logging.getLogger(__name__)


class ToolScreen:
    """Scans listed tools with one detector and remembers which are poisoned, per server."""

    def __init__(self, detector: Detector, mode: ScreenMode = "quarantine",
                 trusted: frozenset[str] = frozenset(), connected: Connected | None = None) -> None:
        self.detector = detector
        self.mode: ScreenMode = mode
        self.trusted = trusted
        """Tool names the user vouched for (a false alarm): shown and callable whatever the verdict."""
        self.connected = connected
        """The other connected servers' tools, for the scope (None: this server's listing alone)."""
        self._verdicts: dict[str, Finding] = {}
        self._poisoned: dict[tuple[str, str], dict[str, Finding]] = {}
        """(server, tool) -> the poisoned versions seen, by digest."""

    async def _inspect(self, spec: ToolSpec, scope: Scope) -> Finding:
        key = json.dumps([spec.server, spec.name, spec.description, spec.input_schema,
                          sorted(scope.own), sorted((s, sorted(t)) for s, t in scope.connected.items())],
                         sort_keys=True, default=str)
        if key not in self._verdicts:  # the models compute on a worker thread: the relay keeps serving
            self._verdicts[key] = await asyncio.to_thread(asyncio.run, self.detector.inspect(spec, scope))
        return self._verdicts[key]

    def scope(self, server: str, tools: list[dict[str, Any]]) -> Scope:
        """The scope a listing of ``server`` is read in."""
        from intentlens.scan import Scope

        others = self.connected(server) if self.connected is not None else {}
        return Scope(server=server, own=frozenset(str(t.get("name")) for t in tools),
                     connected={s: frozenset(names) for s, names in others.items() if s != server})

    async def screen(self, server: str, tools: list[dict[str, Any]]
                     ) -> tuple[list[dict[str, Any]], list[Finding]]:
        """The list the client may see, and the findings on the poisoned tools."""
        shown, found = [], []
        scope = self.scope(server, tools)
        for tool in tools:
            schema = tool["inputSchema"] if isinstance(tool.get("inputSchema"), dict) else {}
            spec = ToolSpec(name=str(tool.get("name")), description=str(tool.get("description") or ""),
                            input_schema=schema, server=server)
            finding = await self._inspect(spec, scope)
            versions = self._poisoned.setdefault((server, spec.name), {})
            if not finding.poisoned or spec.name in self.trusted:
                versions.pop(digest(tool), None)
                shown.append(tool)
                continue
            found.append(finding)
            versions[digest(tool)] = finding
            if self.mode == "flag":
                warning = f"[intentlens: flagged as poisoned ({finding.reason}); calls are refused] "
                shown.append({**tool, "description": warning + spec.description})
        return shown, found

    def refusal(self, server: str, tool: str, version: str | None = None) -> str | None:
        """Why a call to ``tool`` is refused, or None when it may go on: the version this session's
        server listed is poisoned (any version, when the session never listed the tool)."""
        versions = self._poisoned.get((server, tool), {})
        finding = versions.get(version) if version is not None else next(iter(versions.values()), None)
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
        why = self.screen.refusal(ctx.server, ctx.name, ctx.digest)
        return None if why is None else Decision(False, why, None, {"aligned": False, "reason": why})

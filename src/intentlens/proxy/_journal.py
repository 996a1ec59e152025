"""What one relayed session learns and records: the protocol version the server accepted, the tools
it listed, every finished ``tools/call`` and verdict (committed through a group writer), and one
OpenTelemetry span per answered request."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import KW_ONLY, dataclass, field
from typing import Any

from intentlens.core import ToolSpec
from intentlens.proxy._chain import CallContext, Decision, RequestInfo
from intentlens.proxy._messages import request_era
from intentlens.proxy._otel import McpSpans
from intentlens.proxy._pinning import digest
from intentlens.proxy._store import Store
from intentlens.proxy._writer import GroupWriter

logger = logging.getLogger(__name__)


@dataclass
class Pending:
    """A client request awaiting its answer."""

    id: Any
    method: str
    params: dict[str, Any]
    started: float
    timer: asyncio.TimerHandle | None = None
    decision: Decision | None = None
    forwarded: bool = False
    context: CallContext | None = None
    info: RequestInfo = field(default_factory=RequestInfo)


@dataclass(eq=False)
class Journal:
    """The record of one session (nothing is written without a store, nothing exported without spans)."""

    server: str
    session_id: str
    store: Store | None
    _: KW_ONLY
    caller: str | None
    spans: McpSpans | None
    client_transport: str
    writer: GroupWriter | None
    """A group writer shared with other sessions; None: the journal starts and closes its own."""
    protocol_version: str | None = field(default=None, init=False)
    tools: dict[str, ToolSpec] = field(default_factory=dict, init=False)
    digests: dict[str, str] = field(default_factory=dict, init=False)
    """The digest of each tool's version as this session's server last listed it."""

    def __post_init__(self) -> None:
        self._own_writer = self.writer is None
        if self.store is not None:
            self.store.add_session(self.session_id, self.server, caller=self.caller)

    def open(self) -> None:
        """Start the group writer (it needs the running loop)."""
        if self.store is not None and self.writer is None:
            self.writer = GroupWriter(self.store)

    async def close(self) -> None:
        if self.writer is not None and self._own_writer:
            await self.writer.close()

    def note_protocol(self, pending: Pending, result: Any) -> None:
        """The version the server accepted: its initialize answer, or a 2026-era request it served."""
        if not isinstance(result, dict):
            return
        version = result.get("protocolVersion") if pending.method == "initialize" else None
        version = version or (request_era(pending.params) if self.protocol_version is None else None)
        if isinstance(version, str) and version != self.protocol_version:
            self.protocol_version = version
            if self.store is not None:
                self.store.set_protocol_version(self.session_id, version)

    def observe(self, pending: Pending, result: Any) -> None:
        """Remember (and record) the tools a ``tools/list`` answer holds."""
        if pending.method != "tools/list" or not isinstance(result, dict):
            return
        listed = result["tools"] if isinstance(result.get("tools"), list) else []
        tools = [t for t in listed if isinstance(t, dict) and isinstance(t.get("name"), str)]
        for tool in tools:
            schema = tool["inputSchema"] if isinstance(tool.get("inputSchema"), dict) else {}
            output = tool.get("outputSchema") if isinstance(tool.get("outputSchema"), dict) else None
            self.tools[tool["name"]] = ToolSpec(
                name=tool["name"], description=str(tool.get("description") or ""), input_schema=schema,
                output_schema=output, server=self.server)
            self.digests[tool["name"]] = digest(tool)
        if self.store is not None:
            self.store.add_tools(self.session_id, self.server, tools)

    async def verdict(self, pending: Pending, decision: Decision) -> None:
        """Store a decision durably (before its call is forwarded)."""
        if self.store is None or self.writer is None:
            return
        await self.writer.record("verdicts", self.store.verdict_row(
            session_id=self.session_id, server=self.server, request_id=pending.id,
            tool=str(pending.params.get("name", "")), query=decision.query,
            verdict=decision.verdict or {"reason": decision.reason}, forwarded=decision.forward))

    async def call(self, pending: Pending, *, result: Any, error: str | None, is_error: bool) -> None:
        """Store a finished (or refused) ``tools/call`` durably (before its reply is sent)."""
        if self.store is None or self.writer is None:
            return
        decision = pending.decision
        await self.writer.record("calls", self.store.call_row(
            session_id=self.session_id, server=self.server, request_id=pending.id,
            tool=str(pending.params.get("name", "")), arguments=pending.params.get("arguments"),
            result=result, is_error=is_error, error=error, started=pending.started,
            latency_ms=(time.time() - pending.started) * 1000, protocol_version=self.protocol_version,
            query=decision.query if decision else None,
            verdict=(decision.verdict or {"reason": decision.reason}) if decision else None,
            forwarded=pending.forwarded, caller=self.caller))

    def span(self, pending: Pending, result: Any, error: str | None) -> None:
        """Export one span for an answered request (never raises)."""
        if self.spans is None:
            return
        decision = pending.decision
        try:
            self.spans.record(server=self.server, session_id=self.session_id,
                              protocol_version=self.protocol_version, transport=self.client_transport,
                              method=pending.method, request_id=pending.id, params=pending.params,
                              started=pending.started, result=result, error=error,
                              caller=self.caller, traceparent=pending.info.traceparent,
                              forwarded=pending.forwarded if decision is not None else None,
                              reason=decision.reason if decision is not None else None,
                              query=decision.query if decision is not None else None)
        except Exception:  # noqa: BLE001 - telemetry never breaks the path
            logger.exception("could not export the span of %r", pending.id)


"""`intentlens proxy`: the command an MCP client launches instead of the server."""

from __future__ import annotations

import asyncio
import math
from pathlib import Path
from typing import Annotated, Literal

import typer

from intentlens.backends import DEFAULT_BACKEND
from intentlens.cli._common import settings, user_errors
from intentlens.errors import DataFormatError
from intentlens.guards import GUARDS
from intentlens.proxy import (
    McpSpans,
    Relay,
    StdioCommand,
    Store,
    UpstreamSpec,
    build_call_guard,
    build_screen,
    load_servers,
    pick_server,
    serve_stdio,
)
from intentlens.scan import DETECTORS


def _seconds(value: float, option: str) -> float:
    if not math.isfinite(value) or value <= 0:
        raise typer.BadParameter("must be a positive number of seconds", param_hint=option)
    return value


def _upstream(config: Path | None, server: str | None, command: list[str] | None
              ) -> tuple[str, UpstreamSpec]:
    if command and config is not None:
        raise typer.BadParameter("give either --config or a command after --, not both")
    if command:
        return server or Path(command[0]).name, StdioCommand(command=command[0], args=tuple(command[1:]))
    if config is None:
        raise typer.BadParameter("give --config servers.json, or the server command after --")
    name, spec = pick_server(load_servers(config), server, config)
    if isinstance(spec, StdioCommand) and (problem := spec.problem()):
        raise DataFormatError(config, None, f"server {name!r}: {problem}")
    return name, spec


def proxy(
    command: Annotated[list[str] | None, typer.Argument(
        help="The server command and its arguments, after -- (instead of --config).")] = None,
    config: Annotated[Path | None, typer.Option(
        help="JSON file with an 'mcpServers' (or VS Code 'servers') object.")] = None,
    server: Annotated[str | None, typer.Option(help="Which server to relay (needed when the config "
                                                    "has several).")] = None,
    record: Annotated[Path | None, typer.Option(help="SQLite file recording tools/list and tools/call.")]
        = None,
    redact: Annotated[bool, typer.Option(
        help="Record values as keyed hashes (the key goes to RECORD.key).")] = False,
    guard: Annotated[str | None, typer.Option(
        help=f"Verify each tools/call first: {', '.join(GUARDS.names())}.")] = None,
    backend: Annotated[str, typer.Option(help="Judge backend for the guard.", envvar="INTENTLENS_BACKEND")]
        = DEFAULT_BACKEND,
    query_file: Annotated[Path | None, typer.Option(
        help="File the host rewrites with the user's latest query (used when a call carries no "
             "_meta['io.intentlens/query']).")] = None,
    no_query: Annotated[str, typer.Option(help="Without a query: block or allow.")] = "block",
    fail_open: Annotated[bool, typer.Option(help="Forward a call whose guard failed.")] = False,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for the server's reply.")] = 120.0,
    guard_timeout: Annotated[float, typer.Option(
        help="Seconds the guard may take to decide; then the call is blocked (or, with --fail-open, "
             "forwarded).")] = 60.0,
    scan: Annotated[str, typer.Option(
        help="Scan every tools/list for poisoned descriptions: quarantine (hide the tool), flag (warn in "
             "its description) or off; calls to a poisoned tool are refused either way.")] = "quarantine",
    trust_tool: Annotated[list[str] | None, typer.Option(
        help="A tool to show and forward even if the scan flags it (a false alarm); repeatable.")] = None,
    otel_endpoint: Annotated[str | None, typer.Option(
        help="Export one OpenTelemetry span per MCP request to this OTLP/HTTP endpoint.")] = None,
    otel_file: Annotated[Path | None, typer.Option(
        help="Append the spans as OTLP/JSON lines to this file (the `otel` trace format).")] = None,
    otel_content: Annotated[bool, typer.Option(
        help="Put arguments, results and the query in the spans (refused with --redact).")] = False,
    scan_detector: Annotated[str, typer.Option(
        help="Detector for --scan (see `intentlens scan`): cascade (the paradigm rules, then ngrams; no "
             "model to load, the most accurate measured), ngrams, trained (loads the embedding model: "
             "about 500 MB), rules.")] = "cascade",
) -> None:
    """Relay one MCP server over stdio, recording its traffic and optionally guarding its calls."""
    if no_query not in ("block", "allow"):
        raise typer.BadParameter("use block or allow", param_hint="--no-query")
    if scan not in ("quarantine", "flag", "off"):
        raise typer.BadParameter("use quarantine, flag or off", param_hint="--scan")
    _seconds(timeout, "--timeout")
    _seconds(guard_timeout, "--guard-timeout")
    with user_errors():
        name, upstream = _upstream(config, server, command)
        if scan != "off" and DETECTORS.needs_backend(scan_detector):
            usable = ", ".join(name for name in DETECTORS.names() if not DETECTORS.needs_backend(name))
            raise typer.BadParameter(f"the proxy scans without an LLM: use one of {usable}",
                                     param_hint="--scan-detector")
        screen = build_screen(scan, scan_detector, frozenset(trust_tool or ()))
        mode: Literal["block", "allow"] = "allow" if no_query == "allow" else "block"
        call_guard = build_call_guard(guard, backend, settings=settings(), query_file=query_file,
                                      no_query=mode, fail_open=fail_open, timeout=guard_timeout,
                                      screen=screen)
        if otel_content and redact:
            raise typer.BadParameter("a redacting proxy never exports values", param_hint="--otel-content")
        spans = McpSpans(endpoint=otel_endpoint, file=otel_file, content=otel_content) \
            if otel_endpoint or otel_file else None
        store = Store(record, redact=redact) if record else None
        relay = Relay(name, upstream, store=store, guard=call_guard, timeout=timeout, screen=screen,
                      spans=spans)
        try:
            asyncio.run(serve_stdio(relay))
        finally:
            if store is not None:
                store.close()
            if spans is not None:
                spans.close()

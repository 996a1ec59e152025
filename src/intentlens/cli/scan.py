"""`intentlens scan`: find poisoned tool descriptions on a live server or in a file of definitions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from intentlens.backends import get_backend
from intentlens.cli._common import run_async, say, settings, user_errors, visible
from intentlens.core import ToolSpec
from intentlens.errors import DataFormatError
from intentlens.proxy import StdioCommand, load_servers
from intentlens.scan import (
    DETECTORS,
    Finding,
    findings_json,
    findings_sarif,
    scan_tools,
    tools_from_file,
    tools_from_server,
)
from intentlens.scan._report import write_text


async def _gather(tools: Path | None, config: Path | None, server: str | None,
                  command: list[str] | None) -> tuple[list[ToolSpec], str]:
    given = sum(x is not None and x != [] for x in (tools, config, command))
    if given != 1:
        raise typer.BadParameter("give one of --tools FILE, --config servers.json, or a server command "
                                 "after --")
    if tools is not None:
        return tools_from_file(tools), str(tools)
    if command:
        name = server or Path(command[0]).name
        return await tools_from_server(name, StdioCommand(command[0], tuple(command[1:]))), name
    assert config is not None
    servers = load_servers(config)
    if server is not None and server not in servers:
        raise DataFormatError(config, None, f"no server {server!r}; known: {', '.join(servers)}")
    found: list[ToolSpec] = []
    for name, spec in servers.items():
        if server is None or name == server:
            found += await tools_from_server(name, spec)
    return found, str(config)


def _table(findings: list[Finding]) -> Table:
    table = Table(title="intentlens scan")
    for column in ("server", "tool", "verdict", "score", "reason / evidence"):
        table.add_column(column)
    for f in findings:
        why = f.reason + (f": {f.evidence.text!r} in {f.evidence.field}" if f.evidence else "")
        table.add_row(Text(visible(f.server or "-")), Text(visible(f.tool)),
                      Text("POISONED", "red") if f.poisoned else Text("clean", "green"),
                      Text(f"{f.score:.3f}"), Text(visible(why)))
    return table


def scan(
    command: Annotated[list[str] | None, typer.Argument(
        help="A server command and its arguments, after -- (instead of --config or --tools).")] = None,
    tools: Annotated[Path | None, typer.Option(
        help="A file of tool definitions: a JSON list, a tools/list result, or JSON Lines.")] = None,
    config: Annotated[Path | None, typer.Option(
        help="JSON file with 'mcpServers' (or VS Code 'servers'): each server is started and asked for its "
             "tools.")] = None,
    server: Annotated[str | None, typer.Option(help="Only this server of --config.")] = None,
    detector: Annotated[str, typer.Option(help=f"One of: {', '.join(DETECTORS.names())}.")] = "cascade",
    backend: Annotated[str | None, typer.Option(
        help="LLM for the judge (the cascade asks it four fixed questions about every tool its rules do "
             "not settle; without one the multilingual regression's threshold decides).",
        envvar="INTENTLENS_SCAN_BACKEND")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write every verdict as JSON here.")] = None,
    sarif: Annotated[Path | None, typer.Option(help="Write the poisoned tools as SARIF 2.1.0 here.")] = None,
    balanced: Annotated[bool, typer.Option(
        help="Use the trained detectors' balanced threshold (more attacks found, more false alarms: 4% of "
             "held-out servers' tools for the cascade) instead of the strict one the proxy uses.")] = False,
) -> None:
    """Scan tool descriptions for poisoning; exit 1 when a tool is poisoned."""
    with user_errors():
        if backend is None and DETECTORS.needs_backend(detector):
            raise typer.BadParameter(f"the {detector} detector needs --backend", param_hint="--backend")
        llm = get_backend(backend, settings()) if backend else None
        if llm is not None:
            run_async(llm.check())
        options = DETECTORS.plugin(detector).options
        takes_strict = options is not None and "strict" in options.model_fields
        strict = {"strict": True} if takes_strict and not balanced else {}
        checker = DETECTORS.build(detector, llm, **strict)
        listed, source = run_async(_gather(tools, config, server, command))
        findings = run_async(scan_tools(listed, checker))
        if json_out is not None:
            write_text(json_out, findings_json(findings, source))
        if sarif is not None:
            artifact = tools if tools is not None else config
            text = artifact.read_text(encoding="utf-8", errors="replace") if artifact is not None else None
            write_text(sarif, findings_sarif(findings, source, checker.name, text))
    Console().print(_table(findings))
    poisoned = sum(f.poisoned for f in findings)
    say(f"{len(findings)} tools scanned with {checker.name}: {poisoned} poisoned")
    if poisoned:
        raise typer.Exit(1)

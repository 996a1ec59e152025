"""`intentlens proxy`: the command an MCP client launches instead of the server."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated, Literal

import typer

from intentlens.backends import DEFAULT_BACKEND, get_backend
from intentlens.cli._common import settings, user_errors
from intentlens.guards import build_guard, guard_names
from intentlens.proxy import CallGuard, QuerySource, Relay, Store, load_servers, pick_server, serve_stdio


def proxy(
    config: Annotated[Path, typer.Option(help="JSON file with an 'mcpServers' object.")],
    server: Annotated[str | None, typer.Option(help="Which server to relay (needed when the config "
                                                    "has several).")] = None,
    record: Annotated[Path | None, typer.Option(help="SQLite file recording tools/list and tools/call.")]
        = None,
    redact: Annotated[bool, typer.Option(help="Record argument and result values as hashes.")] = False,
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
) -> None:
    """Relay one MCP server over stdio, recording its traffic and optionally guarding its calls."""
    if no_query not in ("block", "allow"):
        raise typer.BadParameter("use block or allow", param_hint="--no-query")
    with user_errors():
        name, command = pick_server(load_servers(config), server, config)
        store = Store(record, redact=redact) if record else None
        call_guard = None
        if guard is not None:
            llm = None if guard == "metadata-scan" else get_backend(backend, settings())
            mode: Literal["block", "allow"] = "allow" if no_query == "allow" else "block"
            call_guard = CallGuard(build_guard(guard, llm), QuerySource(query_file), no_query=mode,
                                   fail_open=fail_open)
        relay = Relay(name, command, store=store, guard=call_guard, timeout=timeout)
        try:
            asyncio.run(serve_stdio(relay))
        finally:
            if store is not None:
                store.close()

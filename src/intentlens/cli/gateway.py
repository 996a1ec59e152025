"""`intentlens gateway`: serve a team's MCP servers over Streamable HTTP, with tokens and checks."""

from __future__ import annotations

import asyncio
import getpass
import socket
from collections.abc import Coroutine
from pathlib import Path
from typing import Annotated, Any

import typer

from intentlens.attacks import ATTACKS
from intentlens.backends import DEFAULT_BACKEND, get_backend
from intentlens.cli._common import echo, say, settings, user_errors, visible
from intentlens.dashboard import Recording
from intentlens.errors import DataFormatError, IntentLensError
from intentlens.gateway import Gateway, GatewayConfig, TokenBook, load_config
from intentlens.gateway._servers import ServerBook, log_event
from intentlens.proxy import (
    McpSpans,
    RecentQueries,
    StdioCommand,
    Store,
    build_call_guard,
    build_screen,
    shown_url,
)
from intentlens.proxy import approve as approve_holds
from intentlens.proxy import holds as list_holds

app = typer.Typer(help="A shared, authenticated MCP gateway that records, audits and guards tool calls.",
                  invoke_without_command=True)
tokens = typer.Typer(help="Create, list and revoke the gateway's bearer tokens.", no_args_is_help=True)
app.add_typer(tokens, name="token")

ConfigOption = Annotated[Path | None, typer.Option(
    "--config", "-c", help="The gateway's TOML file (default: gateway.toml).")]


def _config(ctx: typer.Context, given: Path | None) -> GatewayConfig:
    path = given or (ctx.obj if isinstance(ctx.obj, Path) else None) or Path("gateway.toml")
    return load_config(path)


def _row(*fields: str) -> None:
    typer.echo("\t".join(visible(f) for f in fields))


def _store(config: GatewayConfig) -> Store:
    if (problem := config.store_problem()) is not None:
        raise DataFormatError(config.path, None, problem)
    return Store(config.store_path(), redact=config.gateway.redact, key_path=config.key_path())


def _operator() -> str:
    """Who acts from the command line (recorded with an approval): ``cli:<user>``."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


@app.callback()
def gateway(
    ctx: typer.Context,
    config: ConfigOption = None,
    backend: Annotated[str, typer.Option(help="Backend for a guard that asks an LLM (the config's guard "
                                              "table) and for the dashboard's audit.",
                                         envvar="INTENTLENS_BACKEND")]
        = DEFAULT_BACKEND,
) -> None:
    """Run the gateway (with no subcommand), or manage its tokens and approvals."""
    ctx.obj = config
    if ctx.invoked_subcommand is not None:
        return
    with user_errors():
        loaded = _config(ctx, config)
        if (problem := loaded.store_problem()) is not None:
            raise DataFormatError(loaded.path, None, problem)
        for name, server in loaded.servers.items():
            upstream = server.upstream()
            if isinstance(upstream, StdioCommand) and (problem := upstream.problem()):
                raise DataFormatError(loaded.path, None, f"server {name!r}: {problem}")
        sock = listen(loaded.gateway.host, loaded.gateway.port)
        store = _store(loaded)
        try:
            _serve(loaded, store, sock, backend)
        finally:
            store.close()


def listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # accepted connections inherit it: without it a reply written in two parts waits for the client's
    # delayed ACK on every keep-alive request (about 40 ms each)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except (OSError, OverflowError) as exc:  # OverflowError: a port outside 0-65535
        sock.close()
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise IntentLensError(f"cannot listen on {host}:{port} ({reason})") from exc
    sock.listen(1024)
    sock.setblocking(False)
    return sock


def _serve(config: GatewayConfig, store: Store, sock: socket.socket, backend: str) -> None:
    import uvicorn

    options = config.gateway
    recent = RecentQueries(config.llm.query_max_age if config.llm else 600.0)
    screen = build_screen(options.scan, options.scan_detector)
    guard = None
    if config.guard is not None:
        guard = build_call_guard(
            config.guard.name, config.guard.backend or backend, settings=settings(),
            query_file=Path(config.guard.query_file) if config.guard.query_file else None,
            no_query=config.guard.no_query, fail_open=config.guard.fail_open, timeout=config.guard.timeout,
            recent=recent, screen=screen)
    spans = None
    if config.otel is not None and (config.otel.endpoint or config.otel.file):
        file = config.path.parent / config.otel.file if config.otel.file else None
        spans = McpSpans(endpoint=config.otel.endpoint, file=file, content=config.otel.content)
    gateway = Gateway(config, store, guard=guard, screen=screen, recent=recent, spans=spans,
                      attack_factory=lambda: ATTACKS.build("intentminer", get_backend(backend, settings())))
    if options.auth and config.oauth is None and not any(t.revoked_at is None for t in gateway.tokens.all()):
        say(("warning:", "yellow"), " no tokens yet, so every request is refused: create one with "
            "`intentlens gateway token add NAME --servers '*'`")
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    names = ", ".join(config.servers)
    where = config.store_path()
    say(("intentlens gateway", "bold"), f" on http://{shown}:{port}/mcp (servers: {names}; recording to "
        f"{shown_url(where) if isinstance(where, str) else where})")
    # uvicorn's "auto" picks httptools, its C parser, when installed (a dependency)
    server = uvicorn.Server(uvicorn.Config(gateway.app(), log_level="warning", access_log=False,
                                           lifespan="on", timeout_graceful_shutdown=10))
    _run(server.serve(sockets=[sock]))


def _run(main: Coroutine[Any, Any, None]) -> None:
    """Run on uvloop where it is installed (not on Windows), else on asyncio's own loop."""
    try:
        import uvloop
    except ImportError:
        asyncio.run(main)
    else:
        uvloop.run(main)


@tokens.command("add")
def token_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Who or what holds the token (recorded with its calls).")],
    servers: Annotated[str, typer.Option(help="Comma-separated servers it reaches, or '*' for all.")],
    role: Annotated[list[str] | None, typer.Option(
        "--role", help="client (MCP and /v1), viewer (the dashboard) or admin (approvals; with '*' also "
                       "tokens and servers). Repeat it, or separate with commas. Default: client.")] = None,
    tools: Annotated[str | None, typer.Option(
        help="Comma-separated server/tool patterns it may call (* and ? as wildcards); default: every "
             "tool of the servers it reaches.")] = None,
    config: ConfigOption = None,
) -> None:
    """Create a token and print it (the only time it is shown; the store keeps a salted hash)."""
    with user_errors():
        loaded = _config(ctx, config)
        wanted = [s.strip() for s in servers.split(",") if s.strip()]
        store = _store(loaded)
        try:
            known = ServerBook(loaded, store).names()
            unknown = [s for s in wanted if s != "*" and s not in known]
            if unknown:
                raise IntentLensError(f"no server named {', '.join(map(repr, unknown))} in {loaded.path}")
            roles = [r.strip() for given in role or ["client"] for r in given.split(",") if r.strip()]
            patterns = [t.strip() for t in tools.split(",") if t.strip()] if tools is not None else None
            secret = TokenBook(store).add(name, wanted, roles, patterns)
        finally:
            store.close()
    echo(secret)


@tokens.command("revoke")
def token_revoke(ctx: typer.Context, name: Annotated[str, typer.Argument(help="The token's name.")],
                 config: ConfigOption = None) -> None:
    """Revoke a token: the next request that carries it is refused, in every gateway on the store."""
    with user_errors():
        store = _store(_config(ctx, config))
        try:
            TokenBook(store).revoke(name)
        finally:
            store.close()
    say(f"revoked {name}")


@tokens.command("list")
def token_list(ctx: typer.Context, config: ConfigOption = None) -> None:
    """List the tokens (names, servers, state; never secrets)."""
    with user_errors():
        store = _store(_config(ctx, config))
        try:
            for token in TokenBook(store).all():
                state = "revoked" if token.revoked_at is not None else "active"
                tools = ",".join(token.tools) if token.tools is not None else "all tools"
                _row(token.name, ",".join(token.roles), ",".join(token.servers), tools, state)
        finally:
            store.close()


@app.command("holds")
def holds(ctx: typer.Context, config: ConfigOption = None,
          diff: Annotated[bool, typer.Option(help="Show each version's text against the pinned one.")] = True
          ) -> None:
    """List the tool versions waiting for approval.

    A line per version (server, tool, why, digest: give the digest to approve), then its text against
    the pinned one. A version is held when its text differs from every pinned version, when the tool
    is new, or when it is a newcomer that shadows an older tool of another server."""
    with user_errors():
        store = _store(_config(ctx, config))
        try:
            waiting = list_holds(store)
        finally:
            store.close()
    for hold in waiting:
        _row(hold.server, hold.tool, hold.why, hold.digest)
        if diff:
            for line in hold.diff():
                echo("    ", line)


@app.command("approve")
def approve(
    ctx: typer.Context,
    server: Annotated[str, typer.Argument(help="The server of the tool.")],
    tool: Annotated[str, typer.Argument(help="The tool on hold.")],
    digest: Annotated[str, typer.Argument(help="The version you reviewed: its digest as `intentlens gateway "
                                               "holds` shows it (at least 8 characters).")],
    config: ConfigOption = None,
) -> None:
    """Approve the version of a tool you reviewed.

    That version is pinned and its calls go through again. Refused when it is no longer waiting, or
    when the server has shown a newer text since (review that one)."""
    with user_errors():
        store = _store(_config(ctx, config))
        try:
            done = approve_holds(store, server, tool, digest, _operator())
            log_event(store, _operator(), "approved", f"{server}/{tool}", {"digest": digest})
        finally:
            store.close()
    for name, kind in done:
        say(f"approved {server} {name} ({kind}) version {digest}")


@app.command("quarantined")
def quarantined(ctx: typer.Context, config: ConfigOption = None) -> None:
    """List the tools the scan quarantined or flagged: server, tool, detector, why, action."""
    with user_errors():
        loaded = _config(ctx, config)
        store = _store(loaded)
        try:
            found = Recording(store.url if store.url is not None else store.path).quarantined(None)
        finally:
            store.close()
    for row in found:
        _row(row["server"], row["tool"], row["detector"], row["reason"] or "", row["action"])

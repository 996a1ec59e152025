"""The `intentlens` command line: a thin layer over the library."""

from __future__ import annotations

from typing import Annotated

import typer

from intentlens import __version__
from intentlens.cli import audit as audit_cmd
from intentlens.cli import dashboard as dashboard_cmd
from intentlens.cli import evaluate as eval_cmd
from intentlens.cli import gateway as gateway_cmd
from intentlens.cli import guard as guard_cmd
from intentlens.cli import mine as mine_cmd
from intentlens.cli import models, traces
from intentlens.cli import plugins as plugins_cmd
from intentlens.cli import proxy as proxy_cmd
from intentlens.cli import scan as scan_cmd
from intentlens.cli._common import configure_logging

app = typer.Typer(
    name="intentlens",
    help="What an MCP tool call reveals, and whether it is the call the user wanted.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(traces.app, name="traces")
app.add_typer(models.app, name="models")
app.command("mine")(mine_cmd.mine)
app.command("guard")(guard_cmd.guard)
app.command("proxy")(proxy_cmd.proxy)
app.add_typer(gateway_cmd.app, name="gateway")
app.command("audit")(audit_cmd.audit)
app.command("dashboard")(dashboard_cmd.dashboard)
app.command("scan")(scan_cmd.scan)
app.command("eval")(eval_cmd.evaluate)
app.command("report")(eval_cmd.report)
app.command("plugins")(plugins_cmd.plugins)


def _version(value: bool) -> None:
    if value:
        typer.echo(__version__)
        raise typer.Exit()


@app.callback()
def main_options(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log debug messages.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """intentlens: IntentMiner (what a server learns) and VISTA (is this the call the user wanted)."""
    configure_logging(verbose)


def main() -> None:
    """Console-script entry point."""
    app()

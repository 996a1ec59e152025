"""`intentlens traces`: inspect and convert trace sources."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from intentlens.cli._common import echo, user_errors, visible
from intentlens.core import Trace, write_traces
from intentlens.loaders import load_traces, write_otlp
from intentlens.proxy import shown_url

app = typer.Typer(help="Inspect and convert trace sources.", no_args_is_help=True)

FormatOption = Annotated[str | None, typer.Option(
    "--format", "-f", help="Source format (detected when omitted): see `traces formats`.")]


def trace_stats(traces: list[Trace]) -> dict[str, int]:
    """Counts of traces, steps, steps with results and distinct tools."""
    return {
        "traces": len(traces),
        "steps": sum(len(t.steps) for t in traces),
        "steps_with_results": sum(1 for t in traces for s in t.steps if s.result is not None),
        "distinct_tools": len({s.call.tool for t in traces for s in t.steps}),
        "traces_with_query": sum(1 for t in traces if t.query),
    }


@app.command("stats")
def stats(
    source: Annotated[str, typer.Argument(help="A trace file, an AgentDojo folder or a gateway's "
                                               "postgresql:// store.")],
    format: FormatOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the counts as JSON.")] = False,
) -> None:
    """Count the traces, steps, steps with results and distinct tools in SOURCE."""
    with user_errors():
        counts = trace_stats(load_traces(source, format=format))
    if as_json:
        typer.echo(json.dumps(counts))
        return
    table = Table(title=Text(visible(shown_url(source))))
    table.add_column("what")
    table.add_column("count", justify="right")
    for key, value in counts.items():
        table.add_row(key.replace("_", " "), str(value))
    Console().print(table)


@app.command("convert")
def convert(
    source: Annotated[str, typer.Argument(help="Any source load_traces reads.")],
    out: Annotated[Path, typer.Argument(help="Output file.")],
    to: Annotated[str, typer.Option(help="Output format: intentlens (trace JSONL) or otel "
                                          "(OTLP/JSON GenAI MCP spans).")] = "intentlens",
    format: FormatOption = None,
) -> None:
    """Convert SOURCE to intentlens trace JSONL or OpenTelemetry spans (written atomically)."""
    if to not in ("intentlens", "otel"):
        raise typer.BadParameter("use intentlens or otel", param_hint="--to")
    with user_errors():
        traces = load_traces(source, format=format)
        if to == "otel":
            write_otlp(traces, out)
        else:
            write_traces(traces, out)
    echo(f"wrote {len(traces)} traces to {out}")


@app.command("formats")
def formats() -> None:
    """List the source formats load_traces understands."""
    from intentlens.loaders import loaders

    for name, loader in loaders().items():
        doc = (type(loader).__doc__ or "").strip().splitlines()[0]
        typer.echo(f"{name:22} {doc}")

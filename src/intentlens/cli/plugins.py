"""`intentlens plugins`: every registered plug-in, as the registries describe it."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from intentlens.attacks import ATTACKS
from intentlens.backends._base import BACKENDS
from intentlens.cli._common import visible
from intentlens.defenses import DEFENSES
from intentlens.guards import GUARDS
from intentlens.loaders import loaders
from intentlens.registry import first_paragraph
from intentlens.scan import DETECTORS


class Kind(StrEnum):
    """Plug-in kinds."""

    attack = "attack"
    guard = "guard"
    defence = "defence"
    detector = "detector"
    backend = "backend"
    loader = "loader"


def plugin_rows(kind: Kind | None = None) -> list[dict[str, Any]]:
    """One record per plug-in: kind, name, whether it needs an LLM backend, summary, options."""
    rows: list[dict[str, Any]] = []
    for registry in (ATTACKS, GUARDS, DEFENSES, DETECTORS, BACKENDS):
        if kind is not None and registry.kind != kind.value:
            continue
        for plugin in registry.plugins():
            options = [{"name": n, "type": t, "default": d} for n, t, d in plugin.option_help()]
            rows.append({"kind": plugin.kind, "name": plugin.name, "needs_backend": plugin.needs_backend,
                         "summary": plugin.summary, "options": options})
    if kind in (None, Kind.loader):
        for name, loader in loaders().items():
            rows.append({"kind": "loader", "name": name, "needs_backend": False,
                         "summary": first_paragraph(type(loader).__doc__), "options": []})
    return rows


def plugins(
    kind: Annotated[Kind | None, typer.Argument(help="Only this kind.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List the attacks, guards, defences, scan detectors, backends and trace loaders, with their
    options (what an eval file's ``options`` table may set)."""
    rows = plugin_rows(kind)
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table(title="intentlens plugins")
    for column in ("kind", "name", "LLM", "summary", "options (default)"):
        table.add_column(column)
    for row in rows:
        options = ", ".join(f"{o['name']} ({o['default']})" for o in row["options"]) or "-"
        llm = "-" if row["kind"] in ("backend", "loader") else "yes" if row["needs_backend"] else "no"
        table.add_row(Text(row["kind"]), Text(visible(row["name"])), Text(llm), Text(visible(row["summary"])),
                      Text(visible(options)))
    Console().print(table)

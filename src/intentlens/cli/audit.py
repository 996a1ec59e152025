"""`intentlens audit`: what each recorded server could learn about its users."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from intentlens.attacks import ATTACKS
from intentlens.audit import AUDIT_METHOD, WHY_AUDIT_METHOD, audit_store, counted, write_reports
from intentlens.backends import DEFAULT_BACKEND, get_backend
from intentlens.cli._common import echo, run_async, say, settings, user_errors
from intentlens.errors import DataFormatError
from intentlens.metrics import EntityMatch
from intentlens.proxy import is_database_url, is_store, shown_url


def audit(
    source: Annotated[str, typer.Argument(
        metavar="DB", help="The proxy's SQLite recording (--record), or a gateway's postgresql:// store.")],
    server: Annotated[str | None, typer.Option(help="Only this server.")] = None,
    method: Annotated[str, typer.Option(
        help=f"Attack: one of {', '.join(ATTACKS.names())}. The default, {AUDIT_METHOD}: "
             f"{WHY_AUDIT_METHOD}.")] = AUDIT_METHOD,
    backend: Annotated[str, typer.Option(help="Reasoner backend.", envvar="INTENTLENS_BACKEND")]
        = DEFAULT_BACKEND,
    out_dir: Annotated[Path, typer.Option(help="Where audit.md and audit.html go.")] = Path("."),
    no_ner: Annotated[bool, typer.Option("--no-ner", help="Skip the NER model (identifiers only).")] = False,
) -> None:
    """Run the intent-inversion attack over each server's recorded sessions and write a report."""
    db: Path | str = source if is_database_url(source) else Path(source)
    with user_errors():
        if not is_store(db):
            raise DataFormatError(shown_url(source), None, "not an intentlens proxy recording")
    attack = ATTACKS.build(method, get_backend(backend, settings()))
    ner = None if no_ner else EntityMatch()
    if ner is not None:
        ner.preload()  # loads while the model works on the first trace
    audits = run_async(audit_store(db, attack, server=server, ner=ner, on_trace=lambda r: say(
        (r.trace_id, "cyan"), f": {r.intent or r.error}")))
    md, page = write_reports(audits, attack.name, out_dir)
    echo(f"audited {counted(len(audits), 'server')}: {md} {page}")

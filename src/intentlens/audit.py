"""What each MCP server could learn about you: IntentMiner over a proxy recording, per server.

For every recorded session the attack infers the user's intent from exactly what the server saw.
The report also lists the named entities and identifiers (e-mail addresses, URLs, IBANs, phone
numbers, long numbers) the server received in call arguments, and ranks the calls that exposed most.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from intentlens.attacks import Attack, IntentInference
from intentlens.core import Trace, atomic_write_text
from intentlens.metrics import EntityMatch
from intentlens.proxy._export import store_traces

IDENTIFIERS = {
    "email": re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"),
    "url": re.compile(r"https?://\S+"),
    "iban": re.compile(r"\b[A-Z]{2}\d{2}[A-Z0-9]{11,30}\b"),
    "phone": re.compile(r"\+?\d[\d ()-]{7,}\d"),
    "number": re.compile(r"\b\d{6,}\b"),
}


class CallExposure(BaseModel):
    """What one call handed to the server."""

    session: str
    tool: str
    entities: list[str] = Field(default_factory=list)
    identifiers: list[str] = Field(default_factory=list)

    @property
    def score(self) -> int:
        return len(set(self.entities)) + len(set(self.identifiers))


class ServerAudit(BaseModel):
    """The audit of one server."""

    server: str
    sessions: int
    calls: int
    intents: list[IntentInference]
    exposures: list[CallExposure]


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        yield str(value)


def exposures(traces: list[Trace], ner: EntityMatch | None) -> list[CallExposure]:
    """Entities and identifiers in each call's arguments, most exposing first."""
    found = []
    texts = [" ; ".join(_strings(step.call.arguments)) for t in traces for step in t.steps]
    entity_lists = ner.entities(texts) if ner and texts else [[] for _ in texts]
    position = 0
    for trace in traces:
        for step in trace.steps:
            text = texts[position]
            ids = [m.group(0) for pattern in IDENTIFIERS.values() for m in pattern.finditer(text)]
            found.append(CallExposure(session=trace.id, tool=step.call.tool, identifiers=ids,
                                      entities=[f"{e} ({k})" for e, k in entity_lists[position]]))
            position += 1
    return sorted(found, key=lambda c: c.score, reverse=True)


async def audit_store(db: Path, attack: Attack, *, server: str | None = None, ner: EntityMatch | None,
                      on_trace: Callable[[IntentInference], None] | None = None) -> list[ServerAudit]:
    """Audit every server (or one) recorded in ``db``."""
    traces = store_traces(db, server=server)
    by_server: dict[str, list[Trace]] = {}
    for trace in traces:
        by_server.setdefault(str(trace.metadata.get("server")), []).append(trace)
    audits = []
    for name, server_traces in sorted(by_server.items()):
        intents = []
        for trace in server_traces:
            intents.append(await attack.infer(trace))
            if on_trace:
                on_trace(intents[-1])
        audits.append(ServerAudit(server=name, sessions=len(server_traces),
                                  calls=sum(len(t.steps) for t in server_traces), intents=intents,
                                  exposures=exposures(server_traces, ner)))
    return audits


def markdown_report(audits: list[ServerAudit], method: str) -> str:
    """The audit as Markdown."""
    lines = ["# What each MCP server could learn about you", "",
             f"Inferred by `{method}` from the tool documentation, call statements and results each "
             "server received, and nothing else.", ""]
    for audit in audits:
        lines += [f"## {audit.server}", "", f"{audit.sessions} sessions, {audit.calls} calls.", "",
                  "### Inferred intents", ""]
        lines += [f"- `{i.trace_id.split('/')[-1][:8]}`: {i.intent or '(none: ' + str(i.error) + ')'}"
                  for i in audit.intents]
        exposed = sorted({e for c in audit.exposures for e in c.entities + c.identifiers})
        lines += ["", "### Entities and identifiers exposed", "",
                  ", ".join(f"`{e}`" for e in exposed) or "none found", "",
                  "### Calls that exposed most", "", "| session | tool | exposed |", "| --- | --- | --- |"]
        lines += [f"| {c.session.split('/')[-1][:8]} | {c.tool} | "
                  f"{', '.join(sorted(set(c.entities + c.identifiers))) or '-'} |"
                  for c in audit.exposures[:10]]
        lines.append("")
    return "\n".join(lines)


def html_report(markdown_text: str) -> str:
    """A self-contained HTML page of the Markdown report (escaped, no external assets)."""
    body = []
    for line in markdown_text.splitlines():
        text = html.escape(line)
        text = re.sub(r"`([^`]*)`", r"<code>\1</code>", text)
        if line.startswith("# "):
            body.append(f"<h1>{text[2:]}</h1>")
        elif line.startswith("## "):
            body.append(f"<h2>{text[3:]}</h2>")
        elif line.startswith("### "):
            body.append(f"<h3>{text[4:]}</h3>")
        elif line.startswith("| ---"):
            continue
        elif line.startswith("|"):
            cells = "".join(f"<td>{c.strip()}</td>" for c in text.strip("|").split("|"))
            body.append(f"<table><tr>{cells}</tr></table>")
        elif line.startswith("- "):
            body.append(f"<li>{text[2:]}</li>")
        elif line.strip():
            body.append(f"<p>{text}</p>")
    style = ("body{font-family:sans-serif;max-width:60em;margin:2em auto}code{background:#eee}"
             "table{border-collapse:collapse}td{border:1px solid #ccc;padding:2px 6px}")
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>intentlens audit</title>"
            f"<style>{style}</style></head><body>{''.join(body)}</body></html>\n")


def write_reports(audits: list[ServerAudit], method: str, out_dir: Path) -> tuple[Path, Path]:
    """Write ``audit.md`` and ``audit.html`` (atomically)."""
    text = markdown_report(audits, method)
    md, page = out_dir / "audit.md", out_dir / "audit.html"
    atomic_write_text(md, text)
    atomic_write_text(page, html_report(text))
    return md, page

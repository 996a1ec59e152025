"""What each MCP server could learn about you: IntentMiner over a proxy recording, per server.

For every recorded session the attack infers the user's intent from exactly what the server saw.
The report also lists what the server received in call arguments, most sensitive first: secrets
(keys, tokens, passwords: detect-secrets' detectors, and arguments named like a secret), file paths,
identifiers (e-mail addresses, URLs, IBANs, phone numbers, long numbers) and named entities in free
text; and it ranks the calls that exposed most. A recording made with ``--redact`` holds keyed
hashes, not values: the report says so instead of listing nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from intentlens.attacks import Attack, IntentInference
from intentlens.core import Trace, atomic_write_text, json_leaves
from intentlens.errors import DataFormatError
from intentlens.loaders.recording import store_traces
from intentlens.markup import markdown_page, md_code, md_text
from intentlens.metrics import EntityMatch
from intentlens.metrics.value_fidelity import ungrounded_values, value_fidelity
from intentlens.proxy import shown_url, store_info

IDENTIFIERS = {
    "email": re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.-]+"),
    "url": re.compile(r"https?://\S+"),
    "iban": re.compile(r"\b[A-Z]{2}\d{2}[A-Z0-9]{11,30}\b"),
    "phone": re.compile(r"\+?\d[\d ()-]{7,}\d"),
    "number": re.compile(r"\b\d{6,}\b"),
}
PATH = re.compile(r"(?<![\w:/.~])(?:~|\.{1,2})?/[\w.@%+=,-]+(?:/[\w.@%+=,-]*)*|\b[A-Za-z]:\\[^\s\"']+"
                  r"|(?<![\w/])(?:id_(?:rsa|ed25519|ecdsa|dsa)|\.env|\.netrc|\.pgpass)\b")
SECRET_NAME = re.compile(r"pass(word|wd|phrase)?|pin|secret|token|api[_-]?key|private[_-]?key|"
                         r"credential|auth|cookie|session[_-]?id|otp|cvv|ssn", re.I)
_REDACTED = re.compile(r"^<redacted:[0-9a-f]+>$")


class CallExposure(BaseModel):
    """What one call handed to the server."""

    session: str
    tool: str
    secrets: list[str] = Field(default_factory=list)
    paths: list[str] = Field(default_factory=list)
    identifiers: list[str] = Field(default_factory=list)
    entities: list[str] = Field(default_factory=list)

    @property
    def exposed(self) -> list[str]:
        """Everything found, most sensitive first, each once."""
        return list(dict.fromkeys(self.secrets + self.paths + self.identifiers + self.entities))

    @property
    def score(self) -> int:
        return 3 * len(set(self.secrets)) + len(set(self.paths + self.identifiers + self.entities))


class ServerAudit(BaseModel):
    """The audit of one server."""

    server: str
    sessions: int
    calls: int
    intents: list[IntentInference]
    exposures: list[CallExposure]
    redacted: bool = False
    """The recording holds keyed hashes: values cannot be listed."""
    callers: dict[str, str] = Field(default_factory=dict)
    """Per session, the gateway token it came from (recordings made by the gateway)."""
    invented: dict[str, list[str]] = Field(default_factory=dict)
    """Per session, the values of its inferred intent that the server never saw (the attack made them
    up, so the report does not claim the server learned them)."""
    value_precision: float | None = None
    """Mean share of the values in the inferred intents that the server saw (None: no values)."""
    value_recall: float | None = None
    """Mean share of the calls' argument values that the inferred intents state (None: none)."""


def _secrets(leaves: list[tuple[str, str]]) -> list[str]:
    """Secrets among one call's argument values: a value under a secret-like name, or a known token."""
    found = [f"{name}=<{len(text)} characters>" for name, text in leaves if SECRET_NAME.search(name) and text]
    from detect_secrets.core.scan import scan_line
    from detect_secrets.settings import transient_settings

    with transient_settings({"plugins_used": [{"name": n} for n in _DETECTORS]}):
        for name, text in leaves:
            for line in text.splitlines() or [text]:
                found += [f"{s.type} in {name or 'a value'}" for s in scan_line(line)]
    return found


_DETECTORS = ("AWSKeyDetector", "ArtifactoryDetector", "AzureStorageKeyDetector", "BasicAuthDetector",
              "DiscordBotTokenDetector", "GitHubTokenDetector", "GitLabTokenDetector", "JwtTokenDetector",
              "MailchimpDetector", "NpmDetector", "OpenAIDetector", "PrivateKeyDetector",
              "PypiTokenDetector", "SendGridDetector", "SlackDetector", "SquareOAuthDetector",
              "StripeDetector", "TelegramBotTokenDetector", "TwilioKeyDetector")
"""detect-secrets plug-ins that match a known token format (its entropy plug-ins flag plain words)."""


def _exposure(trace: Trace, tool: str, arguments: Any, free_text_entities: list[str]) -> CallExposure:
    found = CallExposure(session=trace.id, tool=tool, entities=free_text_entities)
    leaves = [(name, text) for name, text in json_leaves(arguments) if not _REDACTED.match(text)]
    found.secrets = _secrets(leaves)
    for _, text in leaves:
        found.paths += [m.group(0) for m in PATH.finditer(text) if len(m.group(0)) > 2]
        found.identifiers += [m.group(0) for p in IDENTIFIERS.values() for m in p.finditer(text)]
    return found


def _free_text(arguments: Any) -> str:
    """The argument values written as prose (several words): where named entities are worth finding.
    Codes such as ``Asia/Tokyo`` or ``UTC`` are not prose and read as organisations to a NER model."""
    return " ; ".join(t for _, t in json_leaves(arguments) if len(t.split()) >= 3 and not _REDACTED.match(t))


def exposures(traces: list[Trace], ner: EntityMatch | None) -> list[CallExposure]:
    """What each call's arguments exposed, most exposing first; calls that exposed nothing are left out."""
    steps = [(trace, step) for trace in traces for step in trace.steps]
    texts = [_free_text(step.call.arguments) for _, step in steps]
    entity_lists = ner.entities(texts) if ner and any(texts) else [[] for _ in texts]
    found = [_exposure(trace, step.call.tool, step.call.arguments, [f"{e} ({k})" for e, k in entities])
             for (trace, step), entities in zip(steps, entity_lists, strict=True)]
    return sorted((c for c in found if c.score), key=lambda c: c.score, reverse=True)


async def audit_store(db: Path | str, attack: Attack, *, server: str | None = None, ner: EntityMatch | None,
                      on_trace: Callable[[IntentInference], None] | None = None) -> list[ServerAudit]:
    """Audit every server (or one) recorded in ``db``."""
    traces = store_traces(db)
    recorded = sorted({str(t.metadata.get("server")) for t in traces})
    if server is not None and server not in recorded:
        raise DataFormatError(shown_url(str(db)), None, f"no calls of server {server!r} in the recording; "
                                                        f"recorded: {', '.join(recorded) or 'none'}")
    redacted = "redacted" in store_info(db)
    by_server: dict[str, list[Trace]] = {}
    for trace in traces:
        if server is None or trace.metadata.get("server") == server:
            by_server.setdefault(str(trace.metadata.get("server")), []).append(trace)
    audits = []
    for name, server_traces in sorted(by_server.items()):
        intents, invented, fidelity = [], {}, []
        for trace in server_traces:
            intents.append(await attack.infer(trace))
            if intents[-1].intent and (made_up := ungrounded_values(intents[-1].intent, trace)):
                invented[trace.id] = made_up
            if intents[-1].intent and not redacted:
                fidelity.append(value_fidelity(intents[-1].intent, trace))
            if on_trace:
                on_trace(intents[-1])
        precision, recall = (_mean([f[i] for f in fidelity]) for i in (0, 1))
        audits.append(ServerAudit(server=name, sessions=len(server_traces),
                                  calls=sum(len(t.steps) for t in server_traces), intents=intents,
                                  exposures=exposures(server_traces, ner), redacted=redacted,
                                  invented=invented, value_precision=precision, value_recall=recall,
                                  callers={t.id: str(t.metadata["caller"]) for t in server_traces
                                           if t.metadata.get("caller")}))
    return audits


def counted(number: int, noun: str) -> str:
    """``1 session``, ``2 sessions``: a count with its noun in the right number."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _mean(values: list[float | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return round(sum(kept) / len(kept), 3) if kept else None


def _fidelity_line(audit: ServerAudit) -> list[str]:
    if audit.value_precision is None and audit.value_recall is None:
        return []
    shown = {k: "-" if v is None else f"{v:.2f}" for k, v in
             (("p", audit.value_precision), ("r", audit.value_recall))}
    return [f"Value fidelity of the inferred intents: precision {shown['p']} (share of their values the "
            f"server saw), recall {shown['r']} (share of the calls' argument values they state).", ""]


def _exposed_section(audit: ServerAudit) -> Iterable[str]:
    kinds = [("Secrets", "secrets"), ("File paths", "paths"), ("Identifiers", "identifiers"),
             ("Named entities", "entities")]
    yield from ["### What the server received", ""]
    if audit.redacted:
        yield from ["Recorded with `--redact`: values are stored as keyed hashes, so none can be listed "
                    "here. The intents above were inferred from the hashed calls.", ""]
        return
    for title, field in kinds:
        values = sorted({v for c in audit.exposures for v in getattr(c, field)})
        yield f"- {title}: " + (", ".join(md_code(v) for v in values) if values else "none found")
    yield ""


AUDIT_METHOD = "intentminer"
WHY_AUDIT_METHOD = ("measured against the best single prompt (`direct`) on the offline model, it states no "
                    "value the server never saw and more of the calls' values, its requests read closer to "
                    "what users typed, and it names at least as many of the user's entities")
"""Why the audit uses IntentMiner by default (``bench/results/fidelity/report.md`` has the figures)."""


def markdown_report(audits: list[ServerAudit], method: str) -> str:
    """The audit as Markdown; every value from the recording is escaped as text."""
    why = f" (the default: {WHY_AUDIT_METHOD})" if method == AUDIT_METHOD else ""
    lines = ["# What each MCP server could learn about you", "",
             f"Inferred by `{md_text(method)}`{why} from the tool documentation, call statements and "
             "results each server received, and nothing else.", ""]
    for audit in audits:
        lines += [f"## {md_text(audit.server)}", "",
                  f"{counted(audit.sessions, 'session')}, {counted(audit.calls, 'call')}.", "",
                  *_fidelity_line(audit), "### Inferred intents", ""]
        lines += [f"- {md_code(i.trace_id.split('/')[-1][:8])}"
                  + (f" (token {md_code(audit.callers[i.trace_id])})" if i.trace_id in audit.callers else "")
                  + ": "
                  f"{md_text(i.intent) if i.intent else '(none: ' + md_text(i.error) + ')'}"
                  + (f" (never sent to the server, so not learned: "
                     f"{', '.join(md_code(v) for v in audit.invented[i.trace_id])})"
                     if i.trace_id in audit.invented else "")
                  for i in audit.intents]
        lines += ["", *_exposed_section(audit)]
        exposing = audit.exposures[:10]
        if exposing and not audit.redacted:
            lines += ["### Calls that exposed most", "", "| session | tool | exposed |",
                      "| --- | --- | --- |"]
            lines += [f"| {md_text(c.session.split('/')[-1][:8])} | {md_text(c.tool)} | "
                      f"{md_text(', '.join(c.exposed))} |" for c in exposing]
            lines.append("")
    lines += list(_by_token(audits))
    return "\n".join(lines)


def _by_token(audits: list[ServerAudit]) -> Iterable[str]:
    """What each gateway token's sessions let the servers learn (only for a gateway's recording)."""
    tokens = sorted({c for a in audits for c in a.callers.values()})
    if not tokens:
        return
    yield from ["## By token", ""]
    for token in tokens:
        yield from [f"### {md_text(token)}", ""]
        for audit in audits:
            mine = [i for i in audit.intents if audit.callers.get(i.trace_id) == token]
            if mine:
                intents = "; ".join(md_text(i.intent) for i in mine if i.intent) or "(none inferred)"
                yield f"- {md_text(audit.server)}: {len(mine)} sessions; inferred: {intents}"
        yield ""


def write_reports(audits: list[ServerAudit], method: str, out_dir: Path) -> tuple[Path, Path]:
    """Write ``audit.md`` and ``audit.html`` (atomically)."""
    text = markdown_report(audits, method)
    md, page = out_dir / "audit.md", out_dir / "audit.html"
    atomic_write_text(md, text)
    atomic_write_text(page, markdown_page(text, "intentlens audit"))
    return md, page

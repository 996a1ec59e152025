"""`intentlens audit` over a recording made by the proxy in front of the real demo server."""

import asyncio
from pathlib import Path

from mcp import Client
from typer.testing import CliRunner

from intentlens.cli import app
from tests.proxy.conftest import proxy_params


async def _record(db: Path, config: Path) -> None:
    async with Client(proxy_params(config, "--record", str(db))) as client:
        await client.list_tools()
        await client.call_tool("send_email", {"to": "anna.schmidt@example.org",
                                              "body": "Meet Anna Schmidt in Berlin <b>Friday</b>"})
        await client.call_tool("add", {"a": 2, "b": 3})


def test_audit_reports_intents_and_exposure(tmp_path: Path, demo_config: Path) -> None:
    db = tmp_path / "rec.sqlite"
    asyncio.run(_record(db, demo_config))
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["audit", str(db), "--backend", "scripted", "--out-dir", str(out)])
    assert result.exit_code == 0, result.output
    assert "audited 1 server: " in result.output
    report = (out / "audit.md").read_text(encoding="utf-8")
    assert "## demo" in report and "1 session, 2 calls" in report
    assert "`anna.schmidt@example.org`" in report and "Berlin (LOC)" in report
    table = report.split("### Calls that exposed most")[1]
    assert "send_email" in table and "| add |" not in table  # a call that exposed nothing is not listed
    page = (out / "audit.html").read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "<b>Friday</b>" not in page


def test_audit_refuses_other_files(tmp_path: Path) -> None:
    other = tmp_path / "x.sqlite"
    other.write_text("nope", encoding="utf-8")
    result = CliRunner().invoke(app, ["audit", str(other), "--backend", "scripted"])
    assert result.exit_code == 2 and "not an intentlens proxy recording" in result.output


def _recording(db: Path, arguments: list[dict], *, redact: bool = False) -> Path:
    from intentlens.proxy import Store

    store = Store(db, redact=redact)
    store.add_session("s1", "files")
    store.add_tools("s1", "files", [{"name": "write", "description": "Write a file."}])
    store.add_calls([store.call_row(session_id="s1", server="files", request_id=i, tool="write",
                                    arguments=a, result={"content": []}, is_error=False, error=None,
                                    started=float(i), latency_ms=1.0, protocol_version=None)
                     for i, a in enumerate(arguments)])
    store.close()
    return db


KEY = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7Vq2\n-----END RSA PRIVATE KEY-----"


def test_audit_escapes_hostile_values_and_renders_real_tables(tmp_path: Path) -> None:
    db = _recording(tmp_path / "rec.sqlite", [
        {"path": "notes.md", "text": "<script>alert(1)</script> <img src=x onerror=alert(1)> "
                                     "[click](javascript:alert(1)) | pipe"},
        {"path": "~/.ssh/id_rsa", "text": KEY, "password": "hunter2", "zone": "Asia/Tokyo", "tz": "UTC"},
        {"path": "", "text": "nothing here"}])
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["audit", str(db), "--backend", "scripted", "--out-dir", str(out)])
    assert result.exit_code == 0, result.output
    report = (out / "audit.md").read_text(encoding="utf-8")
    assert "<script>" not in report and "<img" not in report and "](javascript:" not in report
    assert "~/.ssh/id_rsa" in report and "Private Key" in report and "password=<7 characters>" in report
    assert "hunter2" not in report  # a secret is named, never repeated
    assert "(ORG)" not in report  # codes such as Asia/Tokyo and UTC are not organisations
    table = report.split("### Calls that exposed most")[1]
    assert table.count("| write |") == 2  # the call that exposed nothing is not listed
    page = (out / "audit.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "<img" not in page and 'href="javascript' not in page
    assert "<thead>" in page and page.count("<table>") == 1 and "<ul>" in page


def test_audit_of_a_redacted_recording_says_so(tmp_path: Path) -> None:
    db = _recording(tmp_path / "rec.sqlite", [{"to": "anna@example.org"}], redact=True)
    out = tmp_path / "report"
    assert CliRunner().invoke(app, ["audit", str(db), "--backend", "scripted", "--out-dir", str(out),
                                    "--no-ner"]).exit_code == 0
    report = (out / "audit.md").read_text(encoding="utf-8")
    assert "Recorded with `--redact`" in report and "none found" not in report


def test_audit_of_an_unknown_server_keeps_the_last_report(tmp_path: Path) -> None:
    db = _recording(tmp_path / "rec.sqlite", [{"path": "a.txt"}])
    out = tmp_path / "report"
    out.mkdir()
    (out / "audit.md").write_text("yesterday's audit", encoding="utf-8")
    result = CliRunner().invoke(app, ["audit", str(db), "--server", "nope", "--backend", "scripted",
                                      "--out-dir", str(out)])
    assert result.exit_code == 2 and "no calls of server 'nope'" in result.output and "files" in result.output
    assert (out / "audit.md").read_text(encoding="utf-8") == "yesterday's audit"


async def test_audit_does_not_claim_values_the_attack_made_up(tmp_path: Path) -> None:
    from intentlens.attacks import ATTACKS
    from intentlens.audit import audit_store, markdown_report
    from intentlens.backends import ScriptedBackend

    db = _recording(tmp_path / "rec.sqlite", [{"path": "notes.md", "text": "dinner plans"}])
    reply = {"request": "Write notes.md about Paris for 10 people"}
    attack = ATTACKS.build("direct", ScriptedBackend([reply]))
    audits = await audit_store(db, attack, ner=None)
    assert list(audits[0].invented.values()) == [["10", "Paris"]]
    assert "never sent to the server, so not learned: `10`, `Paris`" in markdown_report(audits, "direct")


async def test_audit_shows_value_fidelity_and_why_its_method_is_the_default(tmp_path: Path) -> None:
    from intentlens.attacks import ATTACKS
    from intentlens.audit import AUDIT_METHOD, WHY_AUDIT_METHOD, audit_store, markdown_report
    from intentlens.backends import ScriptedBackend

    db = _recording(tmp_path / "rec.sqlite", [{"path": "notes.md", "text": "dinner plans"}])
    reply = {"request": "Write 'dinner plans' to notes.md for Paris"}  # Paris was never sent
    audits = await audit_store(db, ATTACKS.build("direct", ScriptedBackend([reply])), ner=None)
    assert (audits[0].value_precision, audits[0].value_recall) == (0.5, 1.0)
    report = markdown_report(audits, "direct")
    assert "precision 0.50" in report and "recall 1.00" in report and WHY_AUDIT_METHOD not in report
    assert WHY_AUDIT_METHOD in markdown_report(audits, AUDIT_METHOD)

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
    report = (out / "audit.md").read_text(encoding="utf-8")
    assert "## demo" in report and "1 sessions, 2 calls" in report
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

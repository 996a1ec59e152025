"""`intentlens audit` of a gateway's recording: what each server learned, by server and by token."""

from __future__ import annotations

import asyncio
from pathlib import Path

from typer.testing import CliRunner

from intentlens.cli import app
from tests.gateway.conftest import RunningGateway
from tests.gateway.test_clients import connect


async def _calls(gateway: RunningGateway) -> None:
    async with connect(gateway, "/servers/demo/mcp", "alice") as client:
        await client.call_tool("send_email", {"to": "anna@example.org", "body": "Meet in Berlin"})
    async with connect(gateway, "/servers/other/mcp", "bob") as client:
        await client.call_tool("add", {"a": 2, "b": 3})


def test_the_audit_groups_what_was_learned_by_token(demo_gateway: RunningGateway, tmp_path: Path) -> None:
    asyncio.run(_calls(demo_gateway))
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["audit", str(demo_gateway.db), "--backend", "scripted",
                                      "--out-dir", str(out)])
    assert result.exit_code == 0, result.output
    report = (out / "audit.md").read_text(encoding="utf-8")
    assert "## demo" in report and "## other" in report and "(token `alice`)" in report
    by_token = report.split("## By token")[1]
    alice, bob = by_token.split("### alice")[1].split("### bob")
    assert "- demo: 1 sessions" in alice and "other" not in alice
    assert "- other: 1 sessions" in bob and "demo" not in bob
    stats = CliRunner().invoke(app, ["traces", "stats", str(demo_gateway.db), "--json"])
    assert stats.exit_code == 0 and '"steps": 2' in stats.output

"""The gateway's smaller edges, each as a user or an attacker met it: help text, media types, what
``/healthz`` tells strangers, quarantined tools, configs that must be refused, the overview's chart."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import typer.main

from intentlens.cli import app
from intentlens.dashboard import Recording
from intentlens.proxy import Store
from tests.gateway.conftest import RunningGateway, start_gateway, stop_gateway
from tests.gateway.test_clients import connect

POISONED = Path(__file__).parents[1] / "proxy" / "poisoned_server.py"
PING = b'{"jsonrpc": "2.0", "id": 1, "method": "ping"}'


def _texts(command: object) -> list[str]:
    found = [getattr(command, "help", None) or ""]
    found += [getattr(p, "help", None) or "" for p in getattr(command, "params", [])]
    for sub in getattr(command, "commands", {}).values():
        found += _texts(sub)
    return found


def test_no_help_text_holds_markup_that_would_eat_a_word() -> None:
    """Rich reads ``[word]`` as a style tag and drops it from --help ("Backend for a  that asks")."""
    tag = re.compile(r"(?<!\\)\[[a-z/][^\]]*\]")
    tags = [text for text in _texts(typer.main.get_command(app)) if tag.search(text)]
    assert tags == []
    shown = subprocess.run([sys.executable, "-m", "intentlens", "gateway", "--help"], capture_output=True,
                           text=True, timeout=60, env={"COLUMNS": "200", "PATH": ""})
    assert "Backend for a guard that asks an LLM" in " ".join(shown.stdout.split())


def test_wrong_media_types_are_refused_before_anything_runs(demo_gateway: RunningGateway) -> None:
    url = f"{demo_gateway.url}/servers/demo/mcp"
    auth = {"Authorization": f"Bearer {demo_gateway.tokens['alice']}"}
    assert httpx.post(url, content=PING, headers={**auth, "Content-Type": "text/plain"}).status_code == 415
    assert httpx.post(url, content=PING, headers=auth).status_code == 415  # no Content-Type at all
    not_json = {**auth, "Content-Type": "application/json", "Accept": "text/html"}
    assert httpx.post(url, content=PING, headers=not_json).status_code == 406
    fine = {**auth, "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json, text/event-stream"}
    assert httpx.post(url, content=PING, headers=fine).status_code == 200
    assert demo_gateway.rows("SELECT COUNT(*) FROM sessions") == [(1,)]  # only the accepted one opened one


def test_healthz_tells_a_stranger_nothing_but_ok(demo_gateway: RunningGateway) -> None:
    with httpx.Client(headers=demo_gateway.headers()) as client:  # a session exists
        client.post(f"{demo_gateway.url}/servers/demo/mcp", content=PING)
    assert httpx.get(f"{demo_gateway.url}/healthz").json() == {"ok": True}


async def test_quarantined_tools_are_listed_by_the_cli_and_on_the_page(tmp_path: Path) -> None:
    gateway = start_gateway(tmp_path, {"notes": [sys.executable, str(POISONED)]},
                            tokens={"alice": ["*"], "vic": ["*"]}, roles={"vic": ["viewer"]})
    try:
        async with connect(gateway, "/servers/notes/mcp") as client:
            assert {t.name for t in (await client.list_tools()).tools} == {"write_note"}
        listed = subprocess.run([sys.executable, "-m", "intentlens", "gateway", "quarantined", "--config",
                                 str(gateway.config)], capture_output=True, text=True, timeout=60)
        assert listed.returncode == 0 and listed.stdout.startswith("notes\tnote_policy\t")
        assert listed.stdout.rstrip().endswith("quarantine")
        as_vic = {"Authorization": f"Bearer {gateway.tokens['vic']}"}
        page = httpx.get(f"{gateway.url}/ui/holds", headers=as_vic)
        assert page.status_code == 200 and "note_policy" in page.text
        overview = httpx.get(f"{gateway.url}/ui", headers=as_vic)
        assert re.search(r"<strong>1</strong> quarantined", overview.text)
    finally:
        stop_gateway(gateway)


@pytest.mark.parametrize(("text", "problem"), [
    ('[llm]\nurl = "api.openai.com/v1"\n', "must be an http:// or https:// address"),
    ('[llm]\nurl = "http://"\n', "must be an http:// or https:// address"),
    ('[gateway]\nstore = "missing/folder/gw.sqlite"\n', "does not exist"),
    ('[servers.web.limits]\nmemory_mb = 64\n', "limits apply to a stdio server"),
])
def test_configs_that_would_fail_later_are_refused_at_start(tmp_path: Path, text: str, problem: str) -> None:
    config = tmp_path / "gateway.toml"
    servers = '[servers.web]\nurl = "http://127.0.0.1:1/mcp"\n' if "limits" in text else \
        f'[servers.demo]\ncommand = "{sys.executable}"\n'
    config.write_text(f"{text}\n{servers}", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "intentlens", "gateway", "--config", str(config)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stderr.startswith("error: ") and problem in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "missing").exists()


def test_the_chart_spreads_a_little_data_over_several_bars(tmp_path: Path) -> None:
    store = Store(tmp_path / "rec.sqlite")
    store.add_session("s", "demo")
    now = time.time()
    store.add_calls([store.call_row(session_id="s", server="demo", request_id=n, tool="add", arguments={},
                                    result={}, is_error=False, error=None, started=now - offset,
                                    latency_ms=1.0, protocol_version=None)
                     for n, offset in enumerate((0, 300, 1200, 1260))])
    store.close()
    overview = Recording(tmp_path / "rec.sqlite").overview(None)
    assert overview.bucket_name == "minute"  # 21 minutes of data: minute bars, not 48 hours of hourly ones
    assert sum(1 for bucket in overview.buckets if bucket["calls"]) == 4

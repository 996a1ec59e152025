"""The dashboard in a real browser (Playwright driving the Chromium of the Debian packages) over a
gateway that recorded a few hundred calls, one blocked call, a result holding ``<script>`` and a
changed tool description waiting for approval. ``INTENTLENS_SCREENSHOTS=docs/img`` refreshes the
README's screenshots of the main views."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.gateway.conftest import CHANGING, RunningGateway, start_gateway, stop_gateway
from tests.proxy.conftest import DEMO

HOSTILE = "<script>window.pwned = 1</script><img src=x onerror=alert(1)>"


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        message = "Chromium not found (apt-get install chromium; .ci/run does it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


@contextlib.contextmanager
def _session(gateway: RunningGateway, server: str, token: str = "alice") -> Iterator[httpx.Client]:
    client = httpx.Client(base_url=gateway.url, headers=gateway.headers(token), timeout=60)
    hello = {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}}
    opened = client.post(f"/servers/{server}/mcp",
                         json={"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": hello})
    assert "mcp-session-id" in opened.headers, (opened.status_code, opened.text)
    client.headers["Mcp-Session-Id"] = opened.headers["mcp-session-id"]
    client.post(f"/servers/{server}/mcp", json={"jsonrpc": "2.0", "method": "notifications/initialized"})
    client.post(f"/servers/{server}/mcp", json={"jsonrpc": "2.0", "id": "l", "method": "tools/list"})
    try:
        yield client
    finally:
        client.close()


def _call(client: httpx.Client, server: str, n: int, tool: str, arguments: dict) -> dict:
    params = {"name": tool, "arguments": arguments}
    body = {"jsonrpc": "2.0", "id": n, "method": "tools/call", "params": params}
    return client.post(f"/servers/{server}/mcp", json=body).json()


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningGateway]:
    folder = tmp_path_factory.mktemp("dashboard")
    spec = folder / "tools.json"
    spec.write_text(json.dumps({"note": "Keep a note."}), encoding="utf-8")
    gateway = start_gateway(folder, {"demo": [sys.executable, str(DEMO)],
                                     "notes": [sys.executable, str(CHANGING), str(spec)]},
                            tokens={"alice": ["*"], "bob": ["demo"], "carol": ["notes"], "ada": ["*"],
                                    "vic": ["demo"]},
                            roles={"ada": ["admin"], "vic": ["viewer"]},
                            env={**os.environ, "INTENTLENS_BACKEND": "scripted"})  # the page's audit
    try:
        for who in ("alice", "bob"):
            with _session(gateway, "demo", who) as client:
                for n in range(150):
                    if n % 25 == 0:
                        _call(client, "demo", n, "send_email", {"to": f"anna.schmidt{n}@example.org",
                                                                "body": "Meet me in Berlin on Friday"})
                    else:
                        _call(client, "demo", n, "add", {"a": n, "b": 1})
        with _session(gateway, "notes") as client:
            _call(client, "notes", 1, "note", {"text": HOSTILE})
        spec.write_text(json.dumps({"note": "Keep a note, and send it to the author."}), encoding="utf-8")
        with _session(gateway, "notes", "carol") as client:  # another token: a new server process
            assert "on hold" in json.dumps(_call(client, "notes", 2, "note", {"text": "x"}))
        yield gateway
    finally:
        stop_gateway(gateway)


def test_the_dashboard_in_a_browser(recorded: RunningGateway, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    shots = Path(os.environ.get("INTENTLENS_SCREENSHOTS", tmp_path))  # docs/img refreshes the README's

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))

        refused = page.goto(f"{recorded.url}/ui")
        assert refused is not None and refused.status == 401
        page.fill("#token", "not-a-token")
        with page.expect_navigation():
            page.click("button[type=submit]")
        assert "not valid" in page.inner_text("main")
        page.fill("#token", recorded.tokens["alice"])  # a client token: not for the dashboard
        with page.expect_navigation():
            page.click("button[type=submit]")
        assert "for MCP clients" in page.inner_text("main")
        page.fill("#token", recorded.tokens["ada"])
        with page.expect_navigation():
            page.click("button[type=submit]")
        assert page.inner_text("h1") == "Overview"
        totals = page.inner_text(".totals")
        assert "302 calls" in totals.replace("\n", " ") and "1 blocked" in totals.replace("\n", " ")
        page.screenshot(path=str(shots / "dashboard-overview.png"))

        page.click("text=Calls")
        assert page.locator("tbody tr").count() == 50  # one page
        page.select_option("select[name=verdict]", "blocked")
        page.click("text=Filter")
        rows = page.locator("tbody tr")
        assert rows.count() == 1 and "on hold" in rows.inner_text()

        page.goto(f"{recorded.url}/ui/calls?server=notes&verdict=none")
        page.click("tbody tr >> a")
        assert HOSTILE in page.inner_text("pre >> nth=1")  # shown as text
        assert page.evaluate("window.pwned") is None and dialogs == []
        page.screenshot(path=str(shots / "dashboard-session.png"), full_page=True)

        page.click("text=Waiting for approval")
        hold = page.inner_text("section.hold")
        assert "notes / note" in hold and "changed" in hold
        assert "+Keep a note, and send it to the author." in hold
        page.screenshot(path=str(shots / "dashboard-holds.png"))
        # the server switches its text while the admin reads the page: the approval must not pin it (a text
        # the scan finds poisoned is quarantined, not held; this one is benign but unreviewed)
        spec = recorded.config.parent / "tools.json"
        spec.write_text(json.dumps({"note": "Keep a note, and mail a copy to the editor."}),
                        encoding="utf-8")
        with _session(recorded, "notes", "carol"):
            pass
        with page.expect_navigation():
            page.click("button:has-text('Approve this version')")
        assert "changed since" in page.inner_text("p.error")
        assert recorded.rows("SELECT COUNT(*) FROM holds WHERE approved_at IS NOT NULL") == [(0,)]
        assert "the editor" in page.inner_text("main")  # the new text is shown now
        with page.expect_navigation():  # the newest version, now reviewed
            page.locator("section.hold", has_text="the editor").locator("button").click()
        assert recorded.rows("SELECT approved_by FROM holds WHERE approved_at IS NOT NULL") == [("ada",)]
        assert "ada" in page.inner_text("main")  # the approver is shown

        page.goto(f"{recorded.url}/ui/servers/demo")
        for _ in range(100):
            if "Inferred intents" in page.inner_text("main"):
                break
            time.sleep(0.2)
            page.reload()
        main = page.inner_text("main")
        assert "Inferred intents" in main and "2 sessions, 300 calls the server received" in main
        assert "anna.schmidt0@example.org" in main  # what it received
        page.screenshot(path=str(shots / "dashboard-server.png"))
        assert all(url.startswith(recorded.url) for url in requests)  # no request leaves the gateway
        browser.close()


def test_a_token_sees_only_its_servers(recorded: RunningGateway) -> None:
    headers = {"Authorization": f"Bearer {recorded.tokens['vic']}"}
    overview = httpx.get(f"{recorded.url}/ui", headers=headers)
    assert overview.status_code == 200 and "/ui/servers/demo" in overview.text
    assert "/ui/servers/notes" not in overview.text
    assert httpx.get(f"{recorded.url}/ui/servers/notes", headers=headers).status_code == 404
    foreign = httpx.post(f"{recorded.url}/ui/holds", headers={**headers, "Origin": "http://evil.example"},
                         data={"server": "demo", "tool": "add"})
    assert foreign.status_code == 403
    as_client = httpx.get(f"{recorded.url}/ui", headers={"Authorization": f"Bearer {recorded.tokens['bob']}"})
    assert as_client.status_code == 403 and "for MCP clients" in as_client.text
    viewer_approves = httpx.post(f"{recorded.url}/ui/holds", headers=headers,
                                 data={"server": "demo", "tool": "add", "digest": "0" * 32})
    assert viewer_approves.status_code == 403
    assert httpx.get(f"{recorded.url}/ui/admin", headers=headers).status_code == 403

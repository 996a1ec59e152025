"""`intentlens dashboard DB`: the pages over a proxy's recording, behind the one-time token it prints."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import httpx

from intentlens.proxy import Store


def test_the_dashboard_command_serves_a_recording_behind_its_token(tmp_path: Path) -> None:
    db = tmp_path / "rec.sqlite"
    store = Store(db)
    store.add_session("s1", "files")
    store.add_calls([store.call_row(session_id="s1", server="files", request_id=1, tool="read_file",
                                    arguments={"path": "/home/ada/<b>notes</b>.txt"}, result={"ok": True},
                                    is_error=False, error=None, started=time.time(), latency_ms=3.0,
                                    protocol_version="2025-11-25")])
    store.close()
    process = subprocess.Popen([sys.executable, "-m", "intentlens", "dashboard", str(db), "--port", "0",
                                "--backend", "scripted"], stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        lines = [process.stderr.readline() for _ in range(2)]
        url = re.search(r"http://127\.0\.0\.1:\d+/ui", lines[0])
        token = lines[1].rsplit(" ", 1)[-1].strip()
        assert url is not None and token, lines
        for _ in range(100):
            try:
                refused = httpx.get(url.group(0))
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        assert refused.status_code == 401 and "Sign in" in refused.text
        headers = {"Authorization": f"Bearer {token}"}
        overview = httpx.get(url.group(0), headers=headers)
        assert overview.status_code == 200 and "/ui/servers/files" in overview.text
        session = httpx.get(f"{url.group(0)}/sessions/s1", headers=headers)
        assert "&lt;b&gt;notes&lt;/b&gt;" in session.text and "<b>notes</b>" not in session.text
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_dashboard_command_refuses_what_is_not_a_recording(tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("hello", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "intentlens", "dashboard", str(other)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2 and done.stderr.startswith("error: ") and "Traceback" not in done.stderr

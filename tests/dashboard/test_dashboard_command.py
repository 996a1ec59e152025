"""`intentlens dashboard DB`: the pages over a proxy's recording, behind the one-time token it prints."""

from __future__ import annotations

import re
import sqlite3
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
                                    protocol_version="2025-11-25"),
                    store.call_row(session_id="s1", server="files", request_id=2, tool="delete_file",
                                   arguments={"path": "/home/ada/cv.pdf"}, result=None, is_error=None,
                                   error=None, started=time.time(), latency_ms=9.0, protocol_version=None,
                                   query="Read my notes", forwarded=False, verdict={
                                       "aligned": False, "reason": "trained stage: P(misaligned) 0.97",
                                       "steps": [{"index": 0, "tool": "delete_file", "aligned": False,
                                                  "stage": "trained"}]})])
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
        assert "settled by the trained stage" in session.text  # which stage of the guard decided
        calls = httpx.get(f"{url.group(0)}/calls", headers=headers)
        assert '<span class="stage">[trained]</span>' in calls.text
    finally:
        process.terminate()
        process.wait(timeout=30)


def dashboard(source: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "intentlens", "dashboard", source, "--port", "0"],
                          capture_output=True, text=True, timeout=60)


def test_the_dashboard_command_refuses_what_is_not_a_recording(tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("hello", encoding="utf-8")
    done = dashboard(str(other))
    assert done.returncode == 2 and done.stderr.startswith("error: ") and "Traceback" not in done.stderr
    missing = dashboard(str(tmp_path / "nope.sqlite"))
    assert missing.returncode == 2 and missing.stderr.strip().endswith("nope.sqlite: no such file")
    unreachable = dashboard("postgresql://ada:secret@127.0.0.1:1/rec")
    assert unreachable.returncode == 2 and "postgresql://ada:***@127.0.0.1:1/rec" in unreachable.stderr
    assert "secret" not in unreachable.stderr and "\\x0a" not in unreachable.stderr  # one clean line


def test_a_corrupt_recording_is_refused_and_nothing_is_written_beside_it(tmp_path: Path) -> None:
    db = tmp_path / "rec.sqlite"
    Store(db).close()
    with sqlite3.connect(db) as plain:  # back to a rollback journal: no -wal or -shm of its own
        plain.execute("PRAGMA journal_mode=DELETE")
    data = bytearray(db.read_bytes())
    data[32768:36864] = b"\xab" * 4096  # a data page: the schema still reads, the tables do not
    db.write_bytes(bytes(data))
    done = dashboard(str(db))
    assert done.returncode == 2 and "corrupt" in done.stderr and "Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rec.sqlite"]  # no -wal, no -shm
    assert db.read_bytes() == bytes(data)

"""gateway.toml: every mistake is `error: FILE:LINE: ...` and exit code 2, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def run(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "intentlens", "gateway", *args, "--config", str(config)],
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(("text", "line", "says"), [
    ('[gateway]\nport = 8765\nport = 1\n', 3, "not valid TOML"),
    ('[gateway]\nprot = 1\n[servers.a]\ncommand = "x"\n', 2, "gateway.prot: Extra inputs"),
    ('[gateway]\nport = 99999\n[servers.a]\ncommand = "x"\n', 2, "gateway.port"),
    ('[servers.a]\ncommand = "x"\nurl = "http://h/mcp"\n', 1, "either command"),
    ('[servers.a_b]\ncommand = "x"\n', 1, "letters, digits and hyphens"),
    ('[gateway]\nauth = false\nhost = "10.0.0.5"\n[servers.a]\ncommand = "x"\n', None,
     "without authentication"),
    ('[servers.a]\ncommand = "/no/such/server"\n', None, "does not exist"),
])
def test_config_mistakes_are_named_with_their_line(tmp_path: Path, text: str, line: int | None,
                                                    says: str) -> None:
    config = tmp_path / "gateway.toml"
    config.write_text(text, encoding="utf-8")
    done = run(config)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"error: {config}" + (f":{line}:" if line else ""))
    assert says in done.stderr and "Traceback" not in done.stderr


def test_a_missing_config_and_a_busy_port_are_clear(tmp_path: Path) -> None:
    done = run(tmp_path / "none.toml")
    assert done.returncode == 2 and "no such gateway config" in done.stderr
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        config = tmp_path / "gateway.toml"
        port = busy.getsockname()[1]
        config.write_text(f'[gateway]\nport = {port}\n[servers.a]\ncommand = "{sys.executable}"\n',
                          encoding="utf-8")
        done = run(config)
    assert done.returncode == 2 and "cannot listen on 127.0.0.1" in done.stderr
    assert "Traceback" not in done.stderr


def test_tokens_are_stored_only_as_salted_hashes(tmp_path: Path) -> None:
    config = tmp_path / "gateway.toml"
    config.write_text(f'[gateway]\nstore = "gw.sqlite"\n[servers.a]\ncommand = "{sys.executable}"\n',
                      encoding="utf-8")
    made = run(config, "token", "add", "ci-bot", "--servers", "a")
    secret = made.stdout.strip()
    assert made.returncode == 0 and secret.startswith("ilt_")
    assert secret.encode() not in (tmp_path / "gw.sqlite").read_bytes()
    assert secret[len("ilt_") + 17:].encode() not in (tmp_path / "gw.sqlite").read_bytes()  # the secret part
    assert run(config, "token", "add", "ci-bot", "--servers", "a").returncode == 2  # names are unique
    assert run(config, "token", "add", "x", "--servers", "nope").returncode == 2
    listed = run(config, "token", "list")
    assert listed.stdout == "ci-bot\tclient\ta\tall tools\tactive\n"
    assert run(config, "token", "revoke", "ci-bot").returncode == 0
    assert run(config, "token", "list").stdout == "ci-bot\tclient\ta\tall tools\trevoked\n"
    assert run(config, "token", "revoke", "ci-bot").returncode == 2


def test_a_store_from_before_roles_keeps_its_tokens_and_pins(tmp_path: Path, store: str,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from intentlens.proxy import Store, _store

    source = str(tmp_path / "old.sqlite") if store == "gw.sqlite" else store
    monkeypatch.setattr(_store, "MIGRATIONS", _store.MIGRATIONS[:4])  # a store of the last version
    old = Store(source)
    old.execute("INSERT INTO tokens VALUES ('0123456789abcdef', 'ci', '00', 'x', '[\"*\"]', 1.0, NULL)")
    old.execute("INSERT INTO pins VALUES ('time', 'now', 'd1', 'Tell the time.', '{}', 5.0)")
    old.close()
    monkeypatch.undo()
    new = Store(source)
    try:
        assert new.query("SELECT name, roles, tools FROM tokens") == [("ci", '["client", "viewer"]', None)]
        pinned = new.query("SELECT server, tool, digest, pinned_by FROM pins")
        assert pinned == [("time", "now", "d1", "first use")]
        new.execute("INSERT INTO pins VALUES ('time', 'now', 'd2', 'Tell the time (v2).', '{}', 6.0, 'ada')")
        assert len(new.query("SELECT * FROM pins")) == 2  # two versions of one tool
    finally:
        new.close()

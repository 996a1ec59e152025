"""--redact (issue 25, item 10): every column that can hold user data is a keyed hash of 128 bits,
under a secret kept beside the recording, so a short value cannot be recovered by trying candidates."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import stat
from pathlib import Path

from mcp import Client

from intentlens.proxy import Redactor, store_info
from tests.proxy.conftest import proxy_params

QUERY = "Log me in with key sk-live-0123456789 and PIN 4321"


async def test_redaction_hides_every_user_value_under_a_keyed_hash(tmp_path: Path, demo_config: Path) -> None:
    db = tmp_path / "rec.sqlite"
    allow = {"core_intent": "log in", "tool_behaviour": "logs in", "verdict": "serves_request",
             "reason": "ok"}
    judge = tmp_path / "judge.jsonl"
    judge.write_text(json.dumps(allow) + "\n", encoding="utf-8")
    params = proxy_params(demo_config, "--record", str(db), "--redact", "--guard", "vista",
                          "--backend", f"scripted/{judge}")
    async with Client(params) as client:
        result = await client.call_tool("login", {"api_key": "sk-live-0123456789", "pin": "4321"},
                                        meta={"io.intentlens/query": QUERY})
    assert result.is_error  # the server refused, repeating the key in its error text
    with sqlite3.connect(db) as conn:
        rows = [" ".join(str(v) for v in row) for row in conn.execute("SELECT * FROM calls")]
        rows += [" ".join(str(v) for v in row) for row in conn.execute("SELECT * FROM verdicts")]
    dump = "\n".join(rows)
    assert "sk-live-0123456789" not in dump and "PIN" not in dump
    # the PIN as a value of its own: digests and timings are hex and digits that may hold "4321" by chance
    assert not re.search(r"(?<![0-9a-f])4321(?![0-9a-f])", dump)
    with sqlite3.connect(db) as conn:
        arguments, result_text, query = conn.execute("SELECT arguments, result, query FROM calls").fetchone()
    digests = json.loads(arguments)
    assert set(digests) == {"api_key", "pin"}
    pin_hash = digests["pin"].removeprefix("<redacted:").removesuffix(">")
    assert len(pin_hash) == 32  # 128 bits
    plain = hashlib.sha256(b'"4321"').hexdigest()
    assert not plain.startswith(pin_hash[:10])  # not the unsalted hash a dictionary attack reverses
    assert "<redacted:" in result_text and query.startswith("<redacted:")
    key = db.with_name(db.name + ".key")
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert Redactor.for_store(db).digest("4321") == digests["pin"]  # the key holder can link values
    assert store_info(db) == {"redacted": "hmac-sha256-128"}


def test_a_server_error_text_is_redacted(tmp_path: Path) -> None:
    from intentlens.proxy import Store

    store = Store(tmp_path / "rec.sqlite", redact=True)
    row = store.call_row(session_id="s", server="x", request_id=1, tool="login", arguments={"pin": "4321"},
                         result=None, is_error=True, error="invalid pin 4321", started=0, latency_ms=1,
                         protocol_version=None, query="my pin is 4321")
    store.add_calls([row])
    store.close()
    with sqlite3.connect(tmp_path / "rec.sqlite") as conn:
        stored = conn.execute("SELECT error, query FROM calls").fetchone()
    assert all(re.fullmatch(r"<redacted:[0-9a-f]{32}>", v) for v in stored)  # the digest alone


def test_each_recording_has_its_own_secret(tmp_path: Path) -> None:
    first = Redactor.for_store(tmp_path / "a.sqlite")
    second = Redactor.for_store(tmp_path / "b.sqlite")
    assert first.digest("4321") != second.digest("4321")
    assert Redactor.for_store(tmp_path / "a.sqlite").digest("4321") == first.digest("4321")
    verdict = {"aligned": False, "reason": "argument pin: illegitimate ('4321')",
               "steps": [{"index": 0, "tool": "login", "aligned": False, "reason": "4321 is not in the query",
                          "arguments": [{"name": "pin", "provenance": "illegitimate", "reason": "4321"}]}]}
    hidden = first.verdict(verdict)
    assert "4321" not in json.dumps(hidden)
    assert hidden["aligned"] is False and hidden["steps"][0]["arguments"][0]["provenance"] == "illegitimate"

"""Regression tests for the CLI and file defects a tester found (issue 25, items 3, 11, 13-19), on
small files the tests write themselves."""

from __future__ import annotations

import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from intentlens.backends import Message, get_backend
from intentlens.cli import app
from intentlens.core import Step, ToolCall, ToolResult, Trace, write_traces
from intentlens.errors import BackendError
from intentlens.settings import Settings

runner = CliRunner()
HOSTILE = "[/x] [bold]b[/bold] \x1b[31mred\x1b]8;;http://evil\x07link\x1b]8;;\x07 \u202eevil"


def _cases(path: Path, *, labelled: bool = True, trace_id: str = "case") -> Path:
    """Two small plans in intentlens trace JSONL: one aligned, one misaligned (labels optional)."""
    traces = [Trace(id=f"{trace_id}-{i}", query="What is 2 plus 3?", label=label if labelled else None,
                    steps=(Step(call=ToolCall(tool="add", arguments={"a": 2, "b": 3}),
                                result=ToolResult(content=5), label=label if labelled else None),))
              for i, label in enumerate(["aligned", "misaligned"])]
    write_traces(traces, path)
    return path


# 3. An endpoint that answers HTTP 200 with text, not a completion: an error, never a traceback.
class TextServer:
    def __init__(self) -> None:
        class Handler(BaseHTTPRequestHandler):
            def _text(self) -> None:
                body = b"<html>maintenance</html>"
                self.send_response(200)
                self.send_header("content-type", "text/plain")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _text  # noqa: N815

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"


async def test_a_text_reply_with_status_200_is_a_backend_error() -> None:
    server = TextServer()
    try:
        backend = get_backend("openai/m", Settings(openai_base_url=server.url, response_cache=False))
        with pytest.raises(BackendError, match="did not answer with a chat completion"):
            await backend.complete([Message(role="user", content="hi")])
    finally:
        server.server.shutdown()


def test_guard_and_mine_exit_2_with_a_text_endpoint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server = TextServer()
    monkeypatch.setenv("INTENTLENS_OPENAI_BASE_URL", server.url)
    try:
        cases = _cases(tmp_path / "cases.jsonl")
        for command in (["mine", str(cases)], ["guard", str(cases), "--guard", "vista"]):
            result = runner.invoke(app, [*command, "--backend", "openai/m"])
            assert result.exit_code in (1, 2), result.output
            assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
            assert "did not answer with a chat completion" in result.output
    finally:
        server.server.shutdown()


# 11. Data on the terminal is text: no markup is read, no escape sequence reaches the terminal.
def test_hostile_ids_and_intents_print_as_text(tmp_path: Path) -> None:
    cases = _cases(tmp_path / "cases.jsonl", trace_id=HOSTILE)
    for command in (["mine", str(cases), "--backend", "scripted"],
                    ["guard", str(cases), "--guard", "metadata-scan"],
                    ["traces", "stats", str(cases)]):
        result = runner.invoke(app, command)
        assert result.exit_code == 0, (command, result.output)
        assert "\x1b" not in result.output and "\u202e" not in result.output and "\x07" not in result.output
    shown = runner.invoke(app, ["mine", str(cases), "--backend", "scripted"]).output
    assert "[/x] [bold]b[/bold] \\x1b[31mred" in shown and "\\u202eevil" in shown
    folder = tmp_path / "[[attacks]]"
    folder.mkdir()
    stats = runner.invoke(app, ["traces", "stats", str(_cases(folder / "c.jsonl"))])
    assert "[[attacks]]" in stats.output


# 14. NaN, Infinity and 1e999 are refused with the file and line, never written as null.
@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_numbers_are_refused(tmp_path: Path, number: str) -> None:
    source = tmp_path / "t.jsonl"
    good = '{"schema": "intentlens.trace/1", "id": "a", "steps": []}'
    bad = ('{"schema": "intentlens.trace/1", "id": "b", "steps": [{"call": {"tool": "t", '
           f'"arguments": {{"x": {number}}}}}}}]}}')
    source.write_text(good + "\n" + bad + "\n", encoding="utf-8")
    result = runner.invoke(app, ["traces", "convert", str(source), str(tmp_path / "out.jsonl")])
    assert result.exit_code == 2 and f"{source}:2" in result.output
    assert not (tmp_path / "out.jsonl").exists()


# 15. A resumed run repairs a cut last line instead of appending to it.
def test_resuming_after_a_cut_last_line_repairs_it(tmp_path: Path) -> None:
    cases = _cases(tmp_path / "cases.jsonl")
    out = tmp_path / "verdicts.jsonl"
    scan = ["guard", str(cases), "--guard", "metadata-scan", "--out", str(out)]
    assert runner.invoke(app, scan).exit_code == 0
    whole = out.read_text(encoding="utf-8").splitlines()
    out.write_text(whole[0] + "\n" + whole[1][: len(whole[1]) // 2], encoding="utf-8")  # killed mid-write
    again = runner.invoke(app, scan)
    assert again.exit_code == 0, again.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and all(json.loads(line)["guard"] == "metadata-scan" for line in lines)
    assert json.loads(again.stdout.splitlines()[-1])["plans"] == 2


def test_mine_resume_repairs_a_cut_line(tmp_path: Path) -> None:
    cases = _cases(tmp_path / "cases.jsonl")
    out = tmp_path / "intents.jsonl"
    assert runner.invoke(app, ["mine", str(cases), "--backend", "scripted", "--out", str(out)]).exit_code == 0
    text = out.read_text(encoding="utf-8")
    out.write_text(text[:-20], encoding="utf-8")
    again = runner.invoke(app, ["mine", str(cases), "--backend", "scripted", "--out", str(out)])
    assert again.exit_code == 0, again.output
    assert [json.loads(line)["trace_id"] for line in out.read_text(encoding="utf-8").splitlines()] \
        == ["case-0", "case-1"]


# 17. A resume refuses a file written by another guard or method.
def test_resume_refuses_a_file_from_another_configuration(tmp_path: Path) -> None:
    cases = _cases(tmp_path / "cases.jsonl")
    out = tmp_path / "verdicts.jsonl"
    scan = ["guard", str(cases), "--guard", "metadata-scan", "--out", str(out)]
    assert runner.invoke(app, scan).exit_code == 0
    other = runner.invoke(app, ["guard", str(cases), "--guard", "vista", "--backend", "scripted",
                                "--out", str(out)])
    assert other.exit_code == 2 and "written with guard 'metadata-scan'" in other.output
    intents = tmp_path / "intents.jsonl"
    runner.invoke(app, ["mine", str(cases), "--backend", "scripted", "--out", str(intents)])
    mixed = runner.invoke(app, ["mine", str(cases), "--backend", "scripted", "--method", "nocot",
                                "--out", str(intents)])
    assert mixed.exit_code == 2 and "written with method 'intentminer'" in mixed.output


# 18. Without gold labels there are no scores; scripted figures say so.
def test_guard_without_labels_prints_no_scores(tmp_path: Path) -> None:
    cases = _cases(tmp_path / "cases.jsonl", labelled=False)
    result = runner.invoke(app, ["guard", str(cases), "--guard", "metadata-scan"])
    summary = json.loads(result.stdout.splitlines()[-1])
    assert result.exit_code == 0 and summary["plan_level"] is None and summary["step_level"] is None
    assert "no gold labels" in summary["note"] and summary["plans"] == 2
    scripted = runner.invoke(app, ["guard", str(_cases(tmp_path / "l.jsonl")), "--guard", "vista",
                                   "--backend", "scripted"])
    assert "not a measurement" in json.loads(scripted.stdout.splitlines()[-1])["note"]


# 19. Backend failures: an unreachable backend fails once, up front; a judge error is not a verdict.
def test_an_unreachable_backend_fails_before_the_first_case(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/v1"
    monkeypatch.setenv("INTENTLENS_OPENAI_BASE_URL", url)
    cases = _cases(tmp_path / "cases.jsonl")
    result = runner.invoke(app, ["guard", str(cases), "--guard", "vista", "--backend", "openai/foo"])
    assert result.exit_code == 2 and "cannot reach" in result.output and url in result.output
    assert "case-0" not in result.output  # nothing was tried
    missing = runner.invoke(app, ["guard", str(cases), "--guard", "vista", "--backend", "llamacpp/nonexist"])
    assert missing.exit_code == 2 and "error:" in missing.output and "case-0" not in missing.output


def test_a_judge_error_is_counted_apart_and_named_in_the_reason(tmp_path: Path) -> None:
    judge = tmp_path / "judge.jsonl"
    judge.write_text("", encoding="utf-8")  # the judge fails on every call
    cases = _cases(tmp_path / "cases.jsonl")
    result = runner.invoke(app, ["guard", str(cases), "--guard", "vista", "--backend", f"scripted/{judge}",
                                 "--fail-open"])
    summary = json.loads(result.stdout.splitlines()[-1])
    assert summary["undecided"] == 2 and summary["plan_level"] is None  # no plan was decided
    assert "judge failed" in result.output and "all steps pass" not in result.output


# 13. Dataset names become safe file names.
def test_dataset_names_cannot_leave_the_run_folder(tmp_path: Path) -> None:
    cases = _cases(tmp_path / "cases.jsonl")
    config = tmp_path / "exp.toml"
    config.write_text(f'''name = "odd names"
backends = ["scripted"]
guards = ["metadata-scan"]
[[attacks]]
method = "nocot"
[[datasets]]
name = "../../escaped"
source = "{cases}"
[[datasets]]
name = "$\\\\foo{{$ ]/x"
source = "{cases}"
''', encoding="utf-8")
    run = tmp_path / "run"
    result = runner.invoke(app, ["eval", str(config), "--run-dir", str(run)])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "escaped").exists()
    made = [p for p in tmp_path.rglob("*") if p.is_file() and run not in p.parents
            and p.name not in ("cases.jsonl", "exp.toml")]
    assert made == []
    report = runner.invoke(app, ["report", str(run)])
    assert report.exit_code == 0, report.output
    assert all(run in p.parents for p in run.rglob("*.png"))
    cells = json.loads((run / "summary.json").read_text(encoding="utf-8"))["cells"]
    assert {c["kind"] for c in cells} == {"guard"}  # no attack on labelled plan cases


def test_a_fifo_is_refused_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    result = runner.invoke(app, ["traces", "stats", str(fifo)])
    assert result.exit_code == 2 and "not a regular file" in result.output

"""Decoys, minimisation and the adaptive attacker, on the scripted backend and real shared traces."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from intentlens import load_traces
from intentlens.attacks import AdaptiveIntentMiner
from intentlens.backends import ManagedBackend, ScriptedBackend
from intentlens.cli import app
from intentlens.core import Step, ToolCall, ToolResult, ToolSpec, Trace
from intentlens.defenses import DEFENSES, DecoyCalls, Minimizer, is_read_only
from tests.conftest import AGENTDOJO, TOOLACE

READ = ToolSpec(name="get_weather", description="Weather for a city.",
                input_schema={"type": "object", "required": ["city"],
                              "properties": {"city": {"type": "string"}, "days": {"type": "integer",
                                                                                  "minimum": 1,
                                                                                  "maximum": 7}}})
WRITE = ToolSpec(name="send_money", description="Send money to an IBAN.",
                 input_schema={"type": "object", "properties": {"iban": {"type": "string"}}})
SNEAKY = ToolSpec(name="get_and_delete", description="Deletes the record after reading it.")


def _trace(*steps: Step, tools=(READ, WRITE, SNEAKY)) -> Trace:
    return Trace(id="t", steps=steps, tools=tools, query="q")


REAL = Step(call=ToolCall(tool="send_money", arguments={"iban": "DE89370400440532013000"}))


@pytest.mark.parametrize(("tool", "read_only"), [
    (READ, True), (WRITE, False), (SNEAKY, False),
    (ToolSpec(name="searchFilesByFilename", description="Search files."), True),
    (ToolSpec(name="GetFutureEvents", description="Retrieve future events."), True),
    (ToolSpec(name="create_calendar_event", description="Create an event."), False),
])
def test_read_only_rule(tool, read_only) -> None:
    assert is_read_only(tool) is read_only


async def test_decoys_are_read_only_at_the_ratio_and_marked() -> None:
    defended = await DecoyCalls(ratio=3, seed=1).apply(_trace(REAL))
    decoys = [s for s in defended.trace.steps if s.metadata.get("decoy")]
    assert len(decoys) == 3 and defended.cost.extra_calls == 3
    assert all(s.call.tool == "get_weather" for s in decoys)  # never the write tool, nor the sneaky one
    assert all(1 <= s.call.arguments.get("days", 1) <= 7 for s in decoys)
    assert all("city" in s.call.arguments for s in decoys)  # required parameters are always filled
    assert [s for s in defended.trace.steps if not s.metadata.get("decoy")] == [REAL]
    assert defended.cost.argument_equivalence == 1.0  # the real call is untouched


@pytest.mark.parametrize(("placement", "real_index"), [("before", 2), ("after", 0)])
async def test_decoy_placement(placement, real_index) -> None:
    defended = await DecoyCalls(ratio=2, placement=placement).apply(_trace(REAL))
    assert defended.trace.steps[real_index] == REAL


async def test_decoys_are_deterministic_and_writes_need_permission() -> None:
    a = await DecoyCalls(ratio=2, seed=5).apply(_trace(REAL))
    b = await DecoyCalls(ratio=2, seed=5).apply(_trace(REAL))
    assert a == b
    no_reads = _trace(REAL, tools=(WRITE,))
    assert (await DecoyCalls(ratio=2).apply(no_reads)).cost.extra_calls == 0
    allowed = await DecoyCalls(ratio=2, allow_writes=True).apply(no_reads)
    assert allowed.cost.extra_calls == 2


async def test_llm_decoy_arguments_fill_the_tools_schema() -> None:
    judge = ScriptedBackend([{"city": "Oslo", "days": 2}])
    defended = await DecoyCalls(ManagedBackend(judge), ratio=1, generator="llm").apply(_trace(REAL))
    decoy = next(s for s in defended.trace.steps if s.metadata.get("decoy"))
    assert decoy.call.arguments == {"city": "Oslo", "days": 2}
    assert judge.history[0].schema["required"] == ["city"]
    assert "<description>" in judge.history[0].text
    with pytest.raises(ValueError, match="needs a backend"):
        DecoyCalls(generator="llm")


@pytest.fixture(scope="module")
def minimizer() -> Minimizer:
    return Minimizer()


async def test_minimisation_rewrites(minimizer: Minimizer) -> None:
    spec = ToolSpec(name="book", input_schema={"type": "object", "required": ["guest", "date", "address"],
                                               "properties": {"guest": {}, "date": {}, "address": {},
                                                              "notes": {}}})
    step = Step(call=ToolCall(tool="book", arguments={
        "guest": "Anna Schmidt", "date": "2024-05-26", "address": "12 Rue de Rivoli, Paris",
        "notes": "window seat"}), result=ToolResult(content={"booked_for": "Anna Schmidt"}))
    trace = Trace(id="m1", steps=(step,), tools=(spec,))
    defended = await minimizer.apply(trace)
    call = defended.trace.steps[0].call
    assert "notes" not in call.arguments                      # optional argument dropped
    assert call.arguments["date"] == "2024-05"                # exact date -> month
    assert call.arguments["address"] == "Paris"               # street -> city
    assert call.arguments["guest"] == "<PERSON_1>"            # name -> stable pseudonym
    assert defended.trace.steps[0].result.content == {"booked_for": "<PERSON_1>"}
    assert defended.cost.changed_calls == 1 and defended.cost.argument_equivalence == 0.0
    assert minimizer.restore("m1", {"reply": "Booked for <PERSON_1>"}) == {"reply": "Booked for Anna Schmidt"}


async def test_pseudonyms_are_stable_across_calls(minimizer: Minimizer) -> None:
    send = ToolSpec(name="send_email", input_schema={"type": "object", "required": ["to", "body"],
                                                     "properties": {"to": {}, "body": {}}})
    steps = tuple(Step(call=ToolCall(tool="send_email", arguments={"to": "anna@example.org", "body": b}))
                  for b in ("Hi Anna Schmidt", "Call +49 30 1234567 or write to anna@example.org"))
    defended = await minimizer.apply(Trace(id="m2", steps=steps, tools=(send,)))
    first, second = (s.call.arguments for s in defended.trace.steps)
    assert first["to"] == second["to"] == "<EMAIL_ADDRESS_1>"
    assert "anna@example.org" not in json.dumps(second) and "1234567" not in second["body"]


async def test_minimisation_on_real_agentdojo_traces(minimizer: Minimizer) -> None:
    trace = load_traces(AGENTDOJO)[5]
    defended = await DEFENSES.build("minimize").apply(trace)
    assert len(defended.trace.steps) == len(trace.steps)
    sent = json.dumps([s.call.arguments for s in defended.trace.steps])
    assert "sarah.connor@gmail.com" in json.dumps([s.call.arguments for s in trace.steps])
    assert "sarah.connor@gmail.com" not in sent  # results are the server's own data and stay


async def test_adaptive_attacker_keeps_only_the_calls_it_judges_genuine() -> None:
    log = []

    def reply(messages, schema):
        text = messages[-1].content
        log.append(text)
        if "Some may be decoys" in text:
            return {"reason": "call 2 is the odd one", "genuine": [2]}
        return {"intent": "weather" if "get_weather" in text else "send money"}

    decoy = Step(call=ToolCall(tool="get_weather", arguments={"city": "Lyon"}), metadata={"decoy": True})
    trace = _trace(decoy, REAL)
    result = await AdaptiveIntentMiner(ManagedBackend(ScriptedBackend(responder=reply))).infer(trace)
    assert result.intent == "send money" and result.method == "intentminer-adaptive"
    assert "genuine calls: [2]" in result.warnings[0]
    assert not any("Combine them" in text for text in log)  # one genuine call: no aggregation
    selection = next(t for t in log if "Some may be decoys" in t)
    assert "decoy" not in selection.split("Some may be decoys")[0]  # the marker is never shown


def test_eval_reports_attacks_with_and_without_defences(tmp_path: Path) -> None:
    config = tmp_path / "exp.toml"
    config.write_text(f"""
name = "defences"
backends = ["scripted"]
encoder = "minilm"
[[datasets]]
name = "toolace"
source = "{TOOLACE}"
limit = 4
[[attacks]]
method = "intentminer"
[[attacks]]
method = "intentminer-adaptive"
[[defenses]]
name = "decoys"
options = {{ratio = 1}}
[[defenses]]
name = "minimize"
""", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["eval", str(config), "--run-dir", str(tmp_path / "run")])
    assert result.exit_code == 0, result.output
    cells = json.loads((tmp_path / "run" / "summary.json").read_text(encoding="utf-8"))["cells"]
    assert [(c["method"], c["defense"]) for c in cells] == [
        ("intentminer", "none"), ("intentminer-adaptive", "none"),
        ("intentminer", "decoys-ratio=1"), ("intentminer-adaptive", "decoys-ratio=1"),
        ("intentminer", "minimize"), ("intentminer-adaptive", "minimize")]
    assert cells[2]["defense_cost"]["extra_calls_per_trace"] > 0
    assert 0 <= cells[4]["defense_cost"]["argument_equivalence"] <= 1
    comparisons = json.loads((tmp_path / "run" / "summary.json").read_text(encoding="utf-8"))["comparisons"]
    defended = {(c["method"], c["defense"]) for c in comparisons if c["reference"] == "none"}
    assert defended == {(m, d) for m, d in [(c["method"], c["defense"]) for c in cells] if d != "none"}
    decoys = next(c for c in comparisons if c["defense"] == "decoys-ratio=1" and c["method"] == "intentminer"
                  and c["metric"] == "s_text")
    assert decoys["difference"] == pytest.approx(cells[2]["s_text"] - cells[0]["s_text"], abs=2e-4)
    assert runner.invoke(app, ["report", str(tmp_path / "run")]).exit_code == 0
    report = (tmp_path / "run" / "report.md").read_text(encoding="utf-8")
    assert "### Defences against the attacks" in report and "| decoys-ratio=1 |" in report
    assert "What each defence changes, against the same attack undefended" in report

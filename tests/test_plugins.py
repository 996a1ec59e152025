"""One contract over every registered plug-in of each kind, the registry's own rules, entry points,
and `intentlens plugins`."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel
from typer.testing import CliRunner

from intentlens.attacks import ATTACKS
from intentlens.backends import ManagedBackend, ScriptedBackend
from intentlens.cli import app
from intentlens.core import ToolSpec, read_traces
from intentlens.defenses import DEFENSES
from intentlens.errors import PluginOptionError, UnknownPluginError
from intentlens.guards import GUARDS
from intentlens.loaders import loaders
from intentlens.registry import Registry
from intentlens.samples import __file__ as samples_init
from intentlens.scan import DETECTORS

TRACE = read_traces(Path(samples_init).parent / "heart_healthy.jsonl")[0]
REGISTRIES = [ATTACKS, GUARDS, DEFENSES, DETECTORS]
EVERY = [(r, name) for r in REGISTRIES for name in r.names()]


def _backend() -> ManagedBackend:
    return ManagedBackend(ScriptedBackend())  # answers every schema with a placeholder


@pytest.mark.parametrize(("registry", "name"), EVERY, ids=[f"{r.kind}:{n}" for r, n in EVERY])
def test_every_plugin_describes_itself_and_refuses_unknown_options(registry: Registry, name: str) -> None:
    plugin = registry.plugin(name)
    assert plugin.summary and plugin.summary[0].isupper(), "a summary for listings and --help"
    if plugin.options is not None:
        assert issubclass(plugin.options, BaseModel)
        plugin.options()  # every option has a default
    with pytest.raises(PluginOptionError, match=rf"{registry.kind} '{name}'"):
        registry.build(name, None, no_such_option=1)
    assert plugin.label() == plugin.label({})


@pytest.mark.parametrize("name", ATTACKS.names())
async def test_every_attack_runs_on_a_trace_under_its_own_name(name: str) -> None:
    attack = ATTACKS.build(name, _backend())
    assert attack.name == ATTACKS.plugin(name).label()
    result = await attack.infer(TRACE)
    assert result.method == attack.name and result.trace_id == TRACE.id


@pytest.mark.parametrize("name", GUARDS.names())
async def test_every_guard_gives_a_verdict_per_call_under_its_own_name(name: str) -> None:
    plugin = GUARDS.plugin(name)
    guard = GUARDS.build(name, _backend() if plugin.needs_backend else None)
    plan = TRACE.to_plan().model_copy(update={"query": "Find heart-healthy recipes"})
    verdict = await guard.verify(plan)
    assert verdict.guard == guard.name == plugin.label()
    assert len(verdict.steps) == len(plan.calls)


@pytest.mark.parametrize("name", DEFENSES.names())
async def test_every_defence_rewrites_a_trace(name: str) -> None:
    if name == "minimize" and importlib.util.find_spec("presidio_analyzer") is None:
        pytest.skip("needs the defenses extra (Presidio)")
    defense = DEFENSES.build(name)
    assert defense.name == DEFENSES.plugin(name).label() == name
    defended = await defense.apply(TRACE)
    assert defended.trace.id == TRACE.id and defended.cost.real_calls == len(TRACE.steps)


@pytest.mark.parametrize("name", DETECTORS.names())
async def test_every_detector_inspects_a_tool(name: str) -> None:
    if name == "trained" and importlib.util.find_spec("sentence_transformers") is None:
        pytest.skip("needs the metrics extra (MiniLM)")
    plugin = DETECTORS.plugin(name)
    detector = DETECTORS.build(name, _backend() if plugin.needs_backend else None)
    finding = await detector.inspect(ToolSpec(name="get_weather", description="Current weather for a city."))
    assert finding.detector == name and finding.tool == "get_weather"


def test_every_loader_has_a_name_and_a_summary() -> None:
    for name, loader in loaders().items():
        assert loader.name == name and (type(loader).__doc__ or "").strip()


def test_configured_plugins_are_named_by_their_options() -> None:
    assert ATTACKS.plugin("cot").label() == "llm-cot"
    assert ATTACKS.plugin("intentminer").label({"ablate": ["result", "purpose"]}) == \
        "intentminer-no-purpose-no-result"
    assert ATTACKS.plugin("nocot-grounded").label() == "llm-nocot-grounded"
    assert ATTACKS.plugin("intentminer").label({"brief": True}) == "intentminer[brief=true]"
    assert ATTACKS.plugin("intentminer").label({"brief": False}) == "intentminer"  # the default
    assert ATTACKS.build("intentminer-adaptive", _backend(), brief=True).name == \
        "intentminer-adaptive[brief=true]"
    assert GUARDS.plugin("vista-dataflow").label({"reason_chars": 200}) == "vista-dataflow[reason_chars=200]"
    vista = GUARDS.build("vista-dataflow", _backend(), reason_chars=200, fail_open=True)
    assert vista.name == "vista-dataflow[reason_chars=200]"  # a policy switch is not part of the name
    assert DEFENSES.plugin("decoys").label({"ratio": 1, "placement": "interleave"}) == \
        "decoys-placement=interleave-ratio=1"


def test_bad_names_and_options_are_clear_errors() -> None:
    with pytest.raises(UnknownPluginError, match="unknown guard 'vistaa'; known: alignment-check"):
        GUARDS.plugin("vistaa")
    with pytest.raises(PluginOptionError, match=r"option ratio: .*greater than or equal to 0 \(its options: "
                                                r"ratio, placement"):
        DEFENSES.build("decoys", None, ratio=-1)
    with pytest.raises(PluginOptionError, match="attack 'tool-docs' takes no options"):
        ATTACKS.build("tool-docs", None, max_tokens=5)


def test_other_packages_register_through_entry_points(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "acme_guard.py").write_text(
        'def build(backend=None):\n    """Acme: allows every plan."""\n    return "acme guard"\n',
        encoding="utf-8")
    info = tmp_path / "acme_guard-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-guard\nVersion: 1.0\n",
                                   encoding="utf-8")
    (info / "entry_points.txt").write_text("[intentlens.guards]\nacme = acme_guard:build\n"
                                           "broken = acme_guard:missing\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    registry: Registry = Registry("guard", group="guards", needs_backend=True)
    assert "acme" in registry and registry.names() == ["acme"]  # the broken one is logged and skipped
    assert registry.plugin("acme").summary == "Acme: allows every plan."
    assert registry.build("acme", None) == "acme guard"
    monkeypatch.delitem(sys.modules, "acme_guard", raising=False)


def test_the_plugins_command_lists_every_plugin() -> None:
    runner = CliRunner()
    listed = json.loads(runner.invoke(app, ["plugins", "--json"]).stdout)
    names = {(row["kind"], row["name"]) for row in listed}
    assert {(r.kind, n) for r, n in EVERY} <= names
    assert {("loader", n) for n in loaders()} <= names
    vista = next(row for row in listed if row["name"] == "vista")
    assert {"name": "reason_chars", "type": "int", "default": "100"} in vista["options"]
    table = runner.invoke(app, ["plugins", "guard"], env={"COLUMNS": "200"})
    assert table.exit_code == 0 and "vista-dataflow" in table.stdout and "llamacpp" not in table.stdout

"""The README names every command and starts with the two set-up commands; the generated command
reference documents every option; every benchmark file the docs name exists."""

import re
from pathlib import Path

import typer

from intentlens.cli import app
from tests.cli import click_commands

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CLI_PAGE = (ROOT / "docs" / "reference" / "cli.md").read_text(encoding="utf-8")
DOCS = README + "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").rglob("*.md"))) \
    + (ROOT / "bench" / "README.md").read_text(encoding="utf-8")


def _commands(typer_app: typer.Typer, prefix: str = "intentlens") -> list[str]:
    found = []
    for info in typer_app.registered_commands:
        found.append(f"{prefix} {info.name or info.callback.__name__}")
    for group in typer_app.registered_groups:
        found.append(f"{prefix} {group.name}")
        found.extend(_commands(group.typer_instance, f"{prefix} {group.name}"))
    return found


def test_every_command_is_in_the_readme() -> None:
    commands = _commands(app)
    assert "intentlens traces stats" in commands and "intentlens mine" in commands
    missing = [c for c in commands if f"`{c}" not in README]
    assert missing == []


def test_setup_block_has_install_then_test_command() -> None:
    block = re.search(r"## Set-up\n\n```bash\n(.*?)```", README, re.DOTALL)
    assert block is not None
    install, test = block.group(1).strip().splitlines()
    assert "pip install" in install and "intentlens mine" in install
    assert "pytest" in test


def test_every_bench_file_the_docs_name_exists() -> None:
    named = set(re.findall(r"bench/[\w/.-]+\.(?:py|toml|jsonl|md|json)", DOCS))
    assert {"bench/suite.py", "bench/attacks.toml", "bench/defenses.toml"} <= named
    assert [p for p in sorted(named) if not (ROOT / p).exists() and "<" not in p] == []


def test_the_readme_stays_a_front_door() -> None:
    assert len(README.splitlines()) < 300
    for link in re.findall(r"\]\(((?:docs|bench)/[^)#]+)", README):
        assert (ROOT / link).exists(), link


def test_the_command_reference_is_generated_from_the_cli() -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, str(ROOT / "docs" / "gen_cli.py"), "--check"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_every_option_is_in_the_readme_and_none_reads_no_no() -> None:
    params = [(name, param) for name, command in click_commands(app)
              for param in command.params if param.name != "help"]
    flags = [(name, opt) for name, param in params for opt in param.opts if opt.startswith("--")]
    assert (("mine",), "--no-cache") in flags
    assert [opt for _, param in params for opt in param.secondary_opts if opt.startswith("--no-no-")] == []
    assert [(name, opt) for name, opt in flags if f"`{opt}`" not in CLI_PAGE] == []

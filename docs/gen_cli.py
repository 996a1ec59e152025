"""Write docs/reference/cli.md from the command line itself: every command, its arguments and options
with their help texts. Run it after changing the CLI; a test fails while the page is out of date.

    .venv/bin/python docs/gen_cli.py [--check]
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer.main

from intentlens.cli import app

PAGE = Path(__file__).resolve().parent / "reference" / "cli.md"


def _commands(group: Any, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    found = []
    for name in sorted(group.commands):
        command = group.commands[name]
        found.append(((*prefix, name), command))
        if hasattr(command, "commands"):
            found += _commands(command, (*prefix, name))
    return found


def _param(param: Any) -> str:
    if param.param_type_name == "argument":
        text = getattr(param, "help", None) or ""
        return f"- `{(param.name or '').upper()}` (argument): {' '.join(text.split())}"
    names = ", ".join(f"`{o}`" for o in [*param.opts, *param.secondary_opts])
    text = getattr(param, "help", None) or ""
    default = param.default if not callable(param.default) else None
    shown = f" Default: `{default}`." if default not in (None, False, (), []) and not param.is_flag else ""
    return f"- {names}: {' '.join(text.split())}{shown}"


def render() -> str:
    """The reference page."""
    root = typer.main.get_command(app)
    lines = ["# Command reference", "",
             "Generated from the command line by `docs/gen_cli.py`; every command also has `--help`.", "",
             "Global options: `-v/--verbose` (debug logs), `--version`.", ""]
    for path, command in _commands(root):
        lines += [f"## `intentlens {' '.join(path)}`", "", " ".join((command.help or "").split()), ""]
        params = [p for p in command.params if p.name != "help"]
        lines += [_param(p) for p in params] + ([""] if params else [])
    return "\n".join(lines)


def main() -> None:
    text = render()
    if "--check" in sys.argv:
        if not PAGE.exists() or PAGE.read_text(encoding="utf-8") != text:
            raise SystemExit(f"{PAGE} is out of date: run docs/gen_cli.py")
        return
    PAGE.write_text(text, encoding="utf-8")
    sys.stdout.write(f"wrote {PAGE}\n")


if __name__ == "__main__":
    main()

"""Helpers shared by the CLI tests."""

import typer.main


def click_commands(typer_app, prefix=()):
    """Every (name path, click command) of a Typer app, groups and their subcommands included."""
    group = typer.main.get_command(typer_app) if not hasattr(typer_app, "commands") else typer_app
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if hasattr(command, "commands"):
            yield from click_commands(command, (*prefix, name))

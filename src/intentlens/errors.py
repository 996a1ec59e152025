"""Errors intentlens raises on purpose, each with a message a user can act on."""

from __future__ import annotations

from pathlib import Path


class IntentLensError(Exception):
    """Base class of every error intentlens raises on purpose."""


class DataFormatError(IntentLensError):
    """Input that does not match its format: names the file, the line and what is wrong."""

    def __init__(self, path: str | Path, line: int | None, problem: str) -> None:
        self.path = Path(path)
        self.line = line
        self.problem = problem
        shown = path if isinstance(path, str) and "://" in path else str(self.path)  # a URL stays whole
        where = f"{shown}:{line}" if line is not None else shown
        super().__init__(f"{where}: {problem}")


class BackendError(IntentLensError):
    """An LLM backend failed after its retries, or cannot be built."""


class ReplyFormatError(IntentLensError, ValueError):
    """A model reply that cannot be parsed into what the prompt asked for."""

    def __init__(self, problem: str, reply: str) -> None:
        self.reply = reply
        super().__init__(f"{problem}; reply began: {reply[:200]!r}")


class ModelAssetError(IntentLensError):
    """A model that is missing or corrupt; the message says which command fixes it."""


class UnknownPluginError(IntentLensError, ValueError):
    """A plug-in name (backend, attack, guard, defence, loader) that is not registered."""


class PluginOptionError(IntentLensError, ValueError):
    """An option a plug-in does not take, or a value of the wrong kind; names the options it takes."""

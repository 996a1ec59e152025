""""What this server could learn about you": the audit of one server, computed in the background.

The first visit to a server's page starts IntentMiner over that server's recorded sessions with the
configured backend; the page shows progress until it is done, then the cached result until someone
presses *Refresh*. One computation per server at a time; the result stays in memory.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from intentlens.audit import ServerAudit, audit_store

logger = logging.getLogger(__name__)


@dataclass
class Learned:
    """The state of one server's audit."""

    state: str = "computing"
    """``computing``, ``done`` or ``failed``."""
    started: float = field(default_factory=time.time)
    finished: float | None = None
    audit: ServerAudit | None = None
    error: str | None = None


class Knowledge:
    """Background audits per server, cached."""

    def __init__(self, source: Path | str, attack_factory: Any) -> None:
        self.source = source
        self.attack_factory = attack_factory
        """A callable returning the attack (built lazily: loading a model is slow)."""
        self._learned: dict[str, Learned] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}

    def get(self, server: str) -> Learned:
        """The audit of ``server``, starting it on first request."""
        if server not in self._learned:
            self.refresh(server)
        return self._learned[server]

    def refresh(self, server: str) -> None:
        """Recompute ``server``'s audit (unless one is already running)."""
        running = self._tasks.get(server)
        if running is not None and not running.done():
            return
        self._learned[server] = Learned()
        self._tasks[server] = asyncio.create_task(self._compute(server))

    async def _compute(self, server: str) -> None:
        learned = self._learned[server]
        try:
            audits = await audit_store(self.source, self.attack_factory(), server=server, ner=None)
            learned.audit = audits[0] if audits else None
            learned.state = "done"
        except Exception as exc:  # noqa: BLE001 - shown on the page, never raised into the server
            logger.exception("auditing %s failed", server)
            learned.state, learned.error = "failed", f"{type(exc).__name__}: {exc}"
        learned.finished = time.time()

    async def close(self) -> None:
        for task in self._tasks.values():
            task.cancel()

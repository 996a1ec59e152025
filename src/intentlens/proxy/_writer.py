"""Group commit: rows queued while a transaction runs are committed together.

A local SQLite commit (WAL, ``synchronous=NORMAL``: no fsync) takes tens of microseconds and runs on
the event loop; a PostgreSQL commit is a network round trip and runs on a worker thread.

``record`` returns once the row is durable, so the relay forwards a call only after its verdict is
stored, and a response only after its call is (a killed proxy loses nothing the client saw complete),
while many calls in flight share one commit instead of paying one each.
"""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from intentlens.proxy._store import Store

Table = Literal["calls", "verdicts"]


class GroupWriter:
    """Commits queued rows in batches on a worker thread."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._queue: asyncio.Queue[tuple[Table, tuple[Any, ...], asyncio.Future[None]] | None] = \
            asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    async def record(self, table: Table, row: tuple[Any, ...]) -> None:
        """Queue ``row`` for ``table`` and wait until it is committed."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run())
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        await self._queue.put((table, row, done))
        await done

    async def _run(self) -> None:
        stopping = False
        while not stopping:
            batch = []
            for item in [await self._queue.get()] + [self._queue.get_nowait()
                                                      for _ in range(self._queue.qsize())]:
                if item is None:
                    stopping = True
                else:
                    batch.append(item)
            rows: dict[str, list[tuple[Any, ...]]] = {"calls": [], "verdicts": []}
            for table, row, _ in batch:
                rows[table].append(row)
            try:
                if self.store.url is None:  # a local SQLite commit (WAL, no fsync) beats a thread hop
                    self.store.add_rows(rows)
                else:
                    await asyncio.to_thread(self.store.add_rows, rows)
            except Exception as exc:  # noqa: BLE001 - every waiter must hear about it
                for _, _, done in batch:
                    if not done.done():
                        done.set_exception(exc)
                continue
            for _, _, done in batch:
                if not done.done():
                    done.set_result(None)

    async def close(self) -> None:
        """Commit what is queued, then stop the worker."""
        if self._task is not None and not self._task.done():
            await self._queue.put(None)
            await self._task

"""Group commit: call records queued while a transaction runs are committed together, off the loop.

``record`` returns once the row is durable, so the relay forwards a response only after its call is
in the store (a killed proxy loses nothing the client saw complete), while many calls in flight
share one commit instead of paying one each.
"""

from __future__ import annotations

import asyncio
from typing import Any

from intentlens.proxy._store import Store


class GroupWriter:
    """Commits queued rows in batches on a worker thread."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._queue: asyncio.Queue[tuple[tuple[Any, ...], asyncio.Future[None]]] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    async def record(self, row: tuple[Any, ...]) -> None:
        """Queue ``row`` and wait until it is committed."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run())
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        await self._queue.put((row, done))
        await done

    async def _run(self) -> None:
        while True:
            batch = [await self._queue.get()]
            while not self._queue.empty():
                batch.append(self._queue.get_nowait())
            try:
                await asyncio.to_thread(self.store.add_calls, [row for row, _ in batch])
            except Exception as exc:  # noqa: BLE001 - every waiter must hear about it
                for _, done in batch:
                    if not done.done():
                        done.set_exception(exc)
                continue
            for _, done in batch:
                if not done.done():
                    done.set_result(None)

    async def close(self) -> None:
        """Stop the worker once the queue is empty."""
        if self._task is not None:
            while not self._queue.empty():
                await asyncio.sleep(0.01)
            self._task.cancel()

"""Running one async job over many items: bounded concurrency, resumable JSONL output, callbacks."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from intentlens.errors import IntentLensError

logger = logging.getLogger(__name__)
Item = TypeVar("Item")
Result = TypeVar("Result", bound=BaseModel)


def finished_ids(path: Path | None, field: str) -> set[str]:
    """Values of ``field`` on the lines already in ``path`` (a rerun skips those items)."""
    if path is None or not path.exists():
        return set()
    done = set()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut by an interruption: that item is redone
            if isinstance(record, dict) and field in record:
                done.add(str(record[field]))
    return done


async def run_resumable(
    items: Sequence[Item],
    work: Callable[[Item], Awaitable[Result]],
    *,
    key: Callable[[Item], str],
    field: str,
    out: Path | None = None,
    concurrency: int = 8,
    on_result: Callable[[Result], None] | None = None,
    on_error: Callable[[Item, Exception], None] | None = None,
) -> list[Result]:
    """Run ``work`` on every item not yet in ``out``, appending each result as one JSON line.

    An item whose work raises an intentlens error is reported to ``on_error`` and not written, so
    that a rerun retries it. Results come back in the order of ``items``.
    """
    done = finished_ids(out, field)
    todo = [item for item in items if key(item) not in done]
    semaphore = asyncio.Semaphore(max(1, concurrency))
    results: dict[str, Result] = {}
    handle = out.open("a", encoding="utf-8") if out is not None else None

    async def one(item: Item) -> None:
        async with semaphore:
            try:
                result = await work(item)
            except IntentLensError as exc:
                logger.error("%s failed: %s", key(item), exc)
                if on_error:
                    on_error(item, exc)
                return
        results[key(item)] = result
        if handle is not None:
            handle.write(result.model_dump_json() + "\n")
            handle.flush()
        if on_result:
            on_result(result)

    try:
        await asyncio.gather(*(one(item) for item in todo))
    finally:
        if handle is not None:
            handle.close()
    return [results[key(item)] for item in todo if key(item) in results]

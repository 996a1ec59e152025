"""Running one async job over many items: bounded concurrency, resumable JSONL output, callbacks."""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import Awaitable, Callable, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from intentlens.core import iter_jsonl
from intentlens.errors import DataFormatError, IntentLensError

logger = logging.getLogger(__name__)
Item = TypeVar("Item")
Result = TypeVar("Result", bound=BaseModel)


def repair_torn_tail(path: Path) -> None:
    """Make ``path`` end with a whole line: a last line cut by an interruption is completed when it
    holds a whole JSON object, else removed (its item is redone); it is never appended to."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    if size == 0:
        return
    with path.open("rb+") as handle:
        handle.seek(max(0, size - 1))
        if handle.read(1) == b"\n":
            return
        handle.seek(0)
        data = handle.read()
        start = data.rfind(b"\n") + 1
        try:
            whole = isinstance(json.loads(data[start:]), dict)
        except ValueError:
            whole = False
        if whole:
            handle.seek(size)
            handle.write(b"\n")
        else:
            logger.warning("%s: its last line was cut by an interruption; removed (that item is redone)",
                           path)
            handle.truncate(start)
        handle.flush()
        os.fsync(handle.fileno())


def finished_ids(path: Path | None, field: str, expect: Mapping[str, str] | None = None) -> set[str]:
    """Values of ``field`` on the lines already in ``path`` (a rerun skips those items).

    ``expect``: fields every line must carry with these values (what wrote the file, e.g. the guard
    or the attack); a file written by another configuration is refused, never mixed with this run.
    """
    if path is None or not path.exists():
        return set()
    if not path.is_file():
        raise DataFormatError(path, None, "not a regular file")
    repair_torn_tail(path)
    done = set()
    for lineno, record in iter_jsonl(path):
        if field not in record:
            raise DataFormatError(path, lineno, f"not a result line (no {field!r})")
        for key, value in (expect or {}).items():
            if str(record.get(key)) != value:
                raise DataFormatError(path, lineno, f"written with {key} {record.get(key)!r}, "
                                      f"this run is {key} {value!r}; use another output file")
        done.add(str(record[field]))
    return done


async def run_resumable(
    items: Sequence[Item],
    work: Callable[[Item], Awaitable[Result]],
    *,
    key: Callable[[Item], str],
    field: str,
    out: Path | None = None,
    expect: Mapping[str, str] | None = None,
    concurrency: int = 8,
    on_result: Callable[[Result], None] | None = None,
    on_error: Callable[[Item, Exception], None] | None = None,
) -> list[Result]:
    """Run ``work`` on every item not yet in ``out``, appending each result as one JSON line.

    An item whose work raises an intentlens error is reported to ``on_error`` and not written, so
    that a rerun retries it. Results come back in the order of ``items``. ``expect``: see
    :func:`finished_ids`.
    """
    done = finished_ids(out, field, expect)
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

"""Running an attack over many traces: bounded concurrency, resumable JSONL output, progress."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from intentlens.attacks._base import Attack, IntentInference
from intentlens.core import Trace
from intentlens.errors import IntentLensError

logger = logging.getLogger(__name__)


def finished_ids(path: Path | None) -> set[str]:
    """Trace ids already written to an output file (a rerun skips them)."""
    if path is None or not path.exists():
        return set()
    done = set()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut by an interruption: that trace is redone
            if isinstance(record, dict) and "trace_id" in record:
                done.add(str(record["trace_id"]))
    return done


async def run_attack(
    attack: Attack,
    traces: Sequence[Trace],
    *,
    out: Path | None = None,
    concurrency: int = 8,
    on_result: Callable[[IntentInference], None] | None = None,
) -> list[IntentInference]:
    """Infer every trace not already in ``out``, appending each result as it completes.

    A trace whose backend fails is logged and left out of ``out`` so that a rerun retries it.
    """
    done = finished_ids(out)
    todo = [t for t in traces if t.id not in done]
    semaphore = asyncio.Semaphore(max(1, concurrency))
    results: list[IntentInference] = []
    handle = out.open("a", encoding="utf-8") if out is not None else None

    async def one(trace: Trace) -> None:
        async with semaphore:
            try:
                result = await attack.infer(trace)
            except IntentLensError as exc:
                logger.error("trace %s failed: %s", trace.id, exc)
                result = IntentInference(trace_id=trace.id, method=attack.name, intent="",
                                         query=trace.query, error=str(exc))
                if on_result:
                    on_result(result)
                return
        results.append(result)
        if handle is not None:
            handle.write(result.model_dump_json() + "\n")
            handle.flush()
        if on_result:
            on_result(result)

    try:
        await asyncio.gather(*(one(t) for t in todo))
    finally:
        if handle is not None:
            handle.close()
    order = {t.id: i for i, t in enumerate(traces)}
    return sorted(results, key=lambda r: order.get(r.trace_id, 0))

"""Running an attack over many traces (see :func:`intentlens.runner.run_resumable`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from intentlens.attacks._base import Attack, IntentInference
from intentlens.core import Trace
from intentlens.runner import finished_ids as _finished
from intentlens.runner import run_resumable


def finished_ids(path: Path | None, method: str | None = None) -> set[str]:
    """Trace ids already written to an attack output file (by ``method``, when given)."""
    return _finished(path, "trace_id", {"method": method} if method else None)


async def run_attack(
    attack: Attack,
    traces: Sequence[Trace],
    *,
    out: Path | None = None,
    concurrency: int = 8,
    on_result: Callable[[IntentInference], None] | None = None,
) -> list[IntentInference]:
    """Infer every trace not already in ``out``; a failed trace is reported, not written."""

    def failed(trace: Trace, exc: Exception) -> None:
        if on_result:
            on_result(IntentInference(trace_id=trace.id, method=attack.name, intent="",
                                      query=trace.query, error=str(exc)))

    return await run_resumable(traces, attack.infer, key=lambda t: t.id, field="trace_id", out=out,
                               expect={"method": attack.name}, concurrency=concurrency,
                               on_result=on_result, on_error=failed)

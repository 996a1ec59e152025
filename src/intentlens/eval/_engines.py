"""Where a cell's items run: in this process (``local``) or on a Ray cluster (``ray``).

A cell is one (dataset, backend, attack or guard) of an experiment. Both engines take the same
:class:`CellJob` (what to build: the backend, the attack or guard and their options) and the same
resumable JSONL file, and write the same typed lines: a rerun skips what is written, an item whose
work fails is logged and left for the next run, and the response cache answers what was asked before.

The Ray engine reads the items into a Ray Dataset and maps them over a pool of actors, each holding
one backend (the in-process model, loaded once per actor, or a client of an OpenAI-compatible server)
and one attack or guard; the driver appends each result to the cell's file as it arrives. Ray Data
restarts an actor that died and retries its batch (its actor pools' default).
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import BaseModel

from intentlens.errors import IntentLensError
from intentlens.runner import finished_ids, run_resumable

logger = logging.getLogger(__name__)
Tick = Callable[[], None]


@dataclass(frozen=True)
class CellJob:
    """What a worker builds to run a cell's items (plain data: it travels to other machines)."""

    kind: Literal["attack", "guard"]
    plugin: str
    """The attack method or the guard name."""
    backend: str
    options: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    """The driver's :class:`~intentlens.settings.Settings` fields (cache, retries, timeouts)."""
    concurrency: int = 8
    """Requests one worker keeps in flight."""


def build_work(job: CellJob) -> tuple[Callable[[Any], Any], type[BaseModel]]:
    """The job's async work function, and the model its items are (Trace for an attack, Plan for a
    guard)."""
    from intentlens.attacks import ATTACKS
    from intentlens.backends import get_backend
    from intentlens.core import Plan, Trace
    from intentlens.guards import GUARDS
    from intentlens.settings import Settings

    settings = Settings(**job.settings)
    if job.kind == "attack":
        backend = get_backend(job.backend, settings, concurrency=job.concurrency)
        return ATTACKS.build(job.plugin, backend, **job.options).infer, Trace
    needs = GUARDS.needs_backend(job.plugin)
    judge = get_backend(job.backend, settings, concurrency=job.concurrency) if needs else None
    return GUARDS.build(job.plugin, judge, **job.options).verify, Plan


class Engine(Protocol):
    """Runs the items of one cell not yet in ``out``, appending one JSON line per result."""

    name: str

    async def run(self, items: Sequence[BaseModel], job: CellJob, work: Callable[[Any], Any],
                  key: Callable[[Any], str], field: str, out: Path, tick: Tick) -> None: ...


class LocalEngine:
    """This process, ``concurrency`` items at a time."""

    name = "local"

    async def run(self, items: Sequence[BaseModel], job: CellJob, work: Callable[[Any], Any],
                  key: Callable[[Any], str], field: str, out: Path, tick: Tick) -> None:
        await run_resumable(items, work, key=key, field=field, out=out, concurrency=job.concurrency * 2,
                            on_result=lambda _: tick(), on_error=lambda item, exc: tick())


class CellWorker:
    """A Ray actor: builds the job's backend and attack or guard once, then runs batches of items."""

    def __init__(self, job: dict[str, Any]) -> None:
        self.work, self.model = build_work(CellJob(**job))
        self.loop = asyncio.new_event_loop()

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[str]]:
        items = [self.model.model_validate_json(text) for text in batch["item"]]
        done = self.loop.run_until_complete(self._all(items))
        return {"key": list(batch["key"]), "result": [r for r, _ in done], "error": [e for _, e in done]}

    async def _all(self, items: list[BaseModel]) -> list[tuple[str, str]]:
        return list(await asyncio.gather(*(self._one(item) for item in items)))

    async def _one(self, item: BaseModel) -> tuple[str, str]:
        try:
            return (await self.work(item)).model_dump_json(), ""
        except IntentLensError as exc:  # left for the next run, as the local runner does
            return "", str(exc) or type(exc).__name__


@dataclass
class RayEngine:
    """A Ray cluster: ``address`` ``auto`` joins the one ``ray start`` made on this machine, a
    ``ray://host:10001`` URL a remote one, None starts one inside this process."""

    address: str | None = "auto"
    workers: int = 1
    """Actors in the pool: each holds a backend (with the in-process model, a model per actor)."""
    cpus_per_worker: float = 1.0
    batch_size: int = 1
    """Items per batch: an actor runs a batch's items concurrently (up to the backend's concurrency)."""
    name: str = "ray"

    def _connect(self) -> Any:
        try:
            import ray
        except ImportError as exc:
            raise IntentLensError("the ray engine needs Ray Data: pip install -e '.[ray]'") from exc
        if not ray.is_initialized():
            if self.address is not None and self.address != "auto" and not _reachable(self.address):
                raise IntentLensError(f"no Ray cluster at {self.address!r} (nothing answers there); start "
                                      "one with `ray start --head`, or use --ray-address local")
            try:
                ray.init(address=self.address, logging_level=logging.WARNING, log_to_driver=False,
                         include_dashboard=False)
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise IntentLensError(f"no Ray cluster at {self.address!r} ({exc}); start one with "
                                      "`ray start --head`, or use --ray-address local") from exc
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        return ray

    async def run(self, items: Sequence[BaseModel], job: CellJob, work: Callable[[Any], Any],
                  key: Callable[[Any], str], field: str, out: Path, tick: Tick) -> None:
        done = finished_ids(out, field)
        todo = [item for item in items if key(item) not in done]
        if not todo:
            return
        ray = self._connect()
        rows = [{"key": key(item), "item": item.model_dump_json()} for item in todo]
        dataset = ray.data.from_items(rows, override_num_blocks=max(1, min(len(rows), 4 * self.workers)))
        results = dataset.map_batches(
            CellWorker, fn_constructor_kwargs={"job": asdict(job)}, batch_size=self.batch_size,
            compute=ray.data.ActorPoolStrategy(size=self.workers), num_cpus=self.cpus_per_worker,
            batch_format="default")
        await asyncio.to_thread(self._collect, results, out, tick)

    @staticmethod
    def _collect(results: Any, out: Path, tick: Tick) -> None:
        with out.open("a", encoding="utf-8") as handle:
            for row in results.iter_rows():
                if row["error"]:
                    logger.error("%s failed: %s", row["key"], row["error"])
                else:
                    handle.write(row["result"] + "\n")
                    handle.flush()
                tick()


def _reachable(address: str, timeout: float = 5.0) -> bool:
    """Whether something listens at ``host:port`` (``ray://`` removed): Ray itself would wait for
    minutes before giving up on an address where nothing runs."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        return True  # not host:port: let Ray read it and say what is wrong
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout):
            return True
    except OSError:
        return False


def engine_named(name: str, *, address: str | None = "auto", workers: int = 1) -> Engine:
    """``local`` or ``ray`` (``address`` ``local``: a Ray instance started inside this process)."""
    if name == "local":
        return LocalEngine()
    if name == "ray":
        return RayEngine(address=None if address in (None, "local") else address, workers=max(1, workers))
    raise IntentLensError(f"unknown engine {name!r}; known: local, ray")

"""In-memory ends for driving a Relay without processes: a client writer and a scripted upstream.

The upstream reads how to behave from each request: ``params.arguments.server`` for ``tools/call``,
``params.server`` for other methods (default ``answer``).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from intentlens.proxy import Sink

BEHAVIOURS = ("answer", "twice", "late", "never", "junk", "wrong_id", "crash", "oversize", "batch", "error")


class ClientEnd:
    """What the relay writes to its client."""

    def __init__(self) -> None:
        self.lines: list[bytes] = []

    def write(self, line: bytes) -> None:
        self.lines.append(line)

    async def drain(self) -> None:
        await asyncio.sleep(0)

    def messages(self) -> list[Any]:
        return [json.loads(line) for line in self.lines]


class MemoryUpstream:
    """A transport whose server answers (or misbehaves) as each request asks."""

    def __init__(self, late_after: float = 0.1) -> None:
        self.late_after = late_after
        self.received: list[dict[str, Any]] = []
        self.starts = 0
        self._up = False
        self._sink: Sink | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def alive(self) -> bool:
        return self._up

    @property
    def restarted(self) -> bool:
        return self.starts > 1

    async def start(self, sink: Sink) -> None:
        self._sink, self._up = sink, True
        self.starts += 1

    async def send(self, line: bytes) -> None:
        if not self._up:
            raise ConnectionError("upstream server is not running")
        message = json.loads(line)
        self.received.append(message)
        if "method" in message and "id" in message:
            task = asyncio.create_task(self._serve(message))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    @staticmethod
    def behaviour(message: dict[str, Any]) -> str:
        params = message.get("params") if isinstance(message.get("params"), dict) else {}
        source = params.get("arguments") if message["method"] == "tools/call" else params
        return str((source if isinstance(source, dict) else {}).get("server", "answer"))

    async def _serve(self, request: dict[str, Any]) -> None:
        assert self._sink is not None
        sink, request_id = self._sink, request["id"]
        reply = {"jsonrpc": "2.0", "id": request_id, "result": {"content": [{"type": "text", "text": "ok"}]}}
        line = json.dumps(reply).encode() + b"\n"
        behaviour = self.behaviour(request)
        await asyncio.sleep(0)
        if behaviour in ("answer", "twice"):
            await sink.from_server(line)
            if behaviour == "twice":
                await sink.from_server(line)
        elif behaviour == "late":
            await asyncio.sleep(self.late_after)
            await sink.from_server(line)
        elif behaviour == "junk":
            await sink.from_server(b"\x00garbage\n")
            await sink.from_server(line)
        elif behaviour == "wrong_id":
            await sink.from_server(json.dumps({**reply, "id": ["not", "yours"]}).encode() + b"\n")
        elif behaviour == "crash":
            self._up = False
            await sink.server_gone(3)
        elif behaviour == "oversize":
            await sink.server_line_too_long(json.dumps({"jsonrpc": "2.0", "id": request_id}).encode()[:-1])
        elif behaviour == "batch":
            await sink.from_server(json.dumps([reply]).encode() + b"\n")
        elif behaviour == "error":
            await sink.from_server(json.dumps({"jsonrpc": "2.0", "id": request_id,
                                               "error": {"code": -1, "message": "boom"}}).encode() + b"\n")

    async def stop(self) -> None:
        self._up = False
        for task in list(self._tasks):
            task.cancel()

"""Guard mode: where the user's query comes from, and what happens to a call without one."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any, Literal

from intentlens.core import Plan, ToolCall, ToolResult, ToolSpec
from intentlens.errors import IntentLensError
from intentlens.guards import Guard
from intentlens.proxy._chain import CallContext, Decision, Middleware
from intentlens.proxy._messages import QUERY_META

logger = logging.getLogger(__name__)


class RecentQueries:
    """The latest user message of each caller's conversations, as the gateway's LLM pass-through saw it.

    Pairing rule: a call that names a conversation (the ``X-Intentlens-Conversation`` header) is paired
    with that conversation's latest user message only; a call that names none, with the latest user
    message its token sent in any conversation. Messages older than ``max_age`` seconds are not used.
    """

    def __init__(self, max_age: float = 600.0, keep: int = 4096) -> None:
        self.max_age = max_age
        self.keep = keep
        self._latest: OrderedDict[tuple[str, str | None], tuple[float, str]] = OrderedDict()

    def note(self, caller: str, conversation: str | None, text: str) -> None:
        """Remember ``text`` as the caller's latest user message (in ``conversation``, if named)."""
        now = time.monotonic()
        for key in {(caller, conversation), (caller, None)}:
            self._latest[key] = (now, text)
            self._latest.move_to_end(key)
        while len(self._latest) > self.keep:
            self._latest.popitem(last=False)

    def latest(self, caller: str | None, conversation: str | None) -> str | None:
        """The message a call from ``caller`` in ``conversation`` is checked against, or None."""
        if caller is None:
            return None
        seen = self._latest.get((caller, conversation))
        if seen is None or time.monotonic() - seen[0] > self.max_age:
            return None
        return seen[1]


class QuerySource:
    """The user's current query: the request's ``_meta["io.intentlens/query"]``, else the latest user
    message the gateway's LLM pass-through saw from the same caller, else a file the host rewrites
    whenever the user speaks (``--query-file``)."""

    def __init__(self, query_file: Path | None = None, recent: RecentQueries | None = None) -> None:
        self.query_file = query_file
        self.recent = recent

    def query_for(self, params: dict[str, Any], caller: str | None = None,
                  conversation: str | None = None) -> str | None:
        """The query that applies to a call with these params, or None."""
        meta = params.get("_meta")
        if isinstance(meta, dict) and isinstance(meta.get(QUERY_META), str) and meta[QUERY_META].strip():
            return str(meta[QUERY_META])
        if self.recent is not None and (text := self.recent.latest(caller, conversation)):
            return text
        if self.query_file is not None:
            try:
                text = self.query_file.read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError) as exc:
                logger.warning("cannot read the query file %s: %s", self.query_file, exc)
                return None
            return text or None
        return None


class CallGuard:
    """Verifies each call with a guard; fail-closed unless told otherwise.

    The results of calls forwarded for a query are kept (the last ``keep`` per query, for the last
    ``keep`` queries) and handed to the guard with the next call for that query as
    ``Plan.prior_results``; only a data-flow guard reads them.

    :meth:`decide` never raises and always returns within ``timeout`` seconds: a guard that fails,
    hangs or answers nonsense gives a refusal (or, with ``fail_open``, a pass), with the reason.
    A guard that declares ``needs_query = False`` is never refused for lack of a query.
    """

    def __init__(self, guard: Guard, queries: QuerySource, *,
                 no_query: Literal["block", "allow"] = "block", fail_open: bool = False,
                 keep: int = 32, timeout: float = 120.0) -> None:
        self.guard = guard
        self.queries = queries
        self.no_query = no_query
        self.fail_open = fail_open
        self.keep = keep
        self.timeout = timeout
        self.needs_query = bool(getattr(guard, "needs_query", True))
        self._seen: OrderedDict[str, list[ToolResult]] = OrderedDict()

    def observe(self, query: str | None, result: Any) -> None:
        """Remember the result of a call forwarded for ``query``."""
        if query is None:
            return
        seen = self._seen.setdefault(query, [])
        seen.append(ToolResult.from_mcp(result))
        del seen[:-self.keep]
        self._seen.move_to_end(query)
        while len(self._seen) > self.keep:
            self._seen.popitem(last=False)

    async def decide(self, server: str, tool: ToolSpec | None, name: str,
                     params: dict[str, Any], *, caller: str | None = None,
                     conversation: str | None = None, listed: tuple[ToolSpec, ...] = ()) -> Decision:
        """Forward or refuse the call, with the reason."""
        query = self.queries.query_for(params, caller, conversation)
        if query is None and self.needs_query:
            allowed = self.no_query == "allow"
            return Decision(allowed, f"no user query available; policy is to {self.no_query}",
                            None, None)
        arguments = params["arguments"] if isinstance(params.get("arguments"), dict) else {}
        try:
            others = tuple(t for t in listed if t.name != name)  # where a planted value would come from
            plan = Plan(query=query or "", calls=(ToolCall(tool=name, arguments=arguments, server=server),),
                        tools=((tool,) if tool else ()) + others,
                        prior_results=tuple(self._seen.get(query or "", ())))
            verdict = await asyncio.wait_for(self.guard.verify(plan), timeout=self.timeout)
        except TimeoutError:
            return self._failed(name, query, f"the guard did not decide within {self.timeout:g} s")
        except IntentLensError as exc:
            return self._failed(name, query, str(exc))
        except Exception as exc:  # noqa: BLE001 - a broken guard must never crash the proxy or pass a call
            logger.exception("guard crashed on %s", name)
            return self._failed(name, query, f"{type(exc).__name__}: {exc}")
        return Decision(verdict.aligned, verdict.reason, query, verdict.model_dump(mode="json"))

    def _failed(self, name: str, query: str | None, problem: str) -> Decision:
        logger.error("guard failed on %s: %s", name, problem)
        outcome = "forwarded because --fail-open" if self.fail_open else "blocked"
        return Decision(self.fail_open, f"guard failed ({problem}); {outcome}", query,
                        {"aligned": self.fail_open, "reason": f"guard failed ({problem})", "error": problem})


class GuardMiddleware(Middleware):
    """The guard as the chain's last link: every call gets a verdict (stored before it is forwarded)."""

    name = "guard"
    decides_calls = True

    def __init__(self, guard: CallGuard) -> None:
        self.guard = guard

    async def on_call_tool(self, ctx: CallContext) -> Decision:
        return await self.guard.decide(ctx.server, ctx.tool, ctx.name, ctx.params, caller=ctx.caller,
                                       conversation=ctx.conversation, listed=ctx.listed)

    def on_result(self, ctx: CallContext, decision: Decision | None, result: Any) -> None:
        if decision is not None:
            self.guard.observe(decision.query, result)

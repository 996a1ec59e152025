"""Rate limits per token: a token bucket refilled continuously (``rate_limit_per_minute``)."""

from __future__ import annotations

import time

from intentlens.proxy import CallContext, Decision, Middleware


class RateLimitMiddleware(Middleware):
    """Refuses a token's calls beyond its rate (bursts up to one minute's worth)."""

    name = "rate-limit"
    decides_calls = True

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._buckets: dict[str | None, tuple[float, float]] = {}

    async def on_call_tool(self, ctx: CallContext) -> Decision | None:
        now = time.monotonic()
        tokens, then = self._buckets.get(ctx.caller, (float(self.per_minute), now))
        tokens = min(float(self.per_minute), tokens + (now - then) * self.per_minute / 60.0)
        if tokens < 1.0:
            self._buckets[ctx.caller] = (tokens, now)
            why = f"rate limit: at most {self.per_minute} calls per minute for this token"
            return Decision(False, why, None, {"aligned": False, "reason": why})
        self._buckets[ctx.caller] = (tokens - 1.0, now)
        return None

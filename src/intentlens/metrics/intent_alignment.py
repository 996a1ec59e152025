"""A_intent: a panel of LLM judges says Correct or Incorrect for (query, inferred intent).

A_intent is the mean over judges of the share of Correct votes. A reply that holds no verdict is
counted as *invalid* for that judge and left out of its mean (reported, never guessed). An empty intent
is Incorrect without asking. Agreement is the share of items on which each pair of judges agrees.
"""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import BaseModel, model_validator

from intentlens.backends import Bounded, GenerationSettings, ManagedBackend, ask
from intentlens.core import Usage
from intentlens.errors import IntentLensError
from intentlens.prompting import escape, render

_PROMPTS = "intentlens.metrics.prompts"
_LAST_VERDICT = re.compile(r"\b(Correct|Incorrect)\b", re.IGNORECASE)


def parse_verdict(text: str, parsed: Any = None) -> bool | None:
    """True for Correct, False for Incorrect, None when the reply holds neither."""
    if isinstance(parsed, dict) and str(parsed.get("result", "")).lower() in ("correct", "incorrect"):
        return str(parsed["result"]).lower() == "correct"
    matches = _LAST_VERDICT.findall(text)
    return matches[-1].lower() == "correct" if matches else None


class JudgeVote(BaseModel):
    """A judge's reply: a short reason, then Correct or Incorrect. A reply without JSON is read for
    its last verdict word (see :func:`parse_verdict`)."""

    reason: Annotated[str, Bounded(200)] = ""
    result: Literal["Correct", "Incorrect"]

    @model_validator(mode="before")
    @classmethod
    def _verdict(cls, value: Any) -> Any:
        text, parsed = (value, None) if isinstance(value, str) else ("", value)
        verdict = parse_verdict(text, parsed)
        if verdict is None:
            raise ValueError("no Correct or Incorrect verdict in the reply")
        return {**(value if isinstance(value, dict) else {}), "result": "Correct" if verdict else "Incorrect"}


class AlignmentReport(BaseModel):
    """Panel results over a set of items."""

    a_intent: float
    per_judge: dict[str, float]
    invalid: dict[str, int]
    agreement: dict[str, float]
    votes: list[dict[str, bool | None]]
    usage: Usage


class IntentJudgePanel:
    """Several judge backends (any mix of models) voting on each item."""

    def __init__(self, judges: Sequence[ManagedBackend], *, max_tokens: int = 160) -> None:
        if not judges:
            raise ValueError("a panel needs at least one judge")
        self.judges = list(judges)
        self.generation = GenerationSettings(max_tokens=max_tokens)

    async def vote(self, judge: ManagedBackend, query: str, intent: str) -> tuple[bool | None, Usage]:
        """One judge's verdict on one item."""
        if not intent.strip():
            return False, Usage()
        try:
            answer = await ask(judge, JudgeVote, render(_PROMPTS, "intent_judge.md", query=escape(query),
                                                        intent=escape(intent)),
                               system=render(_PROMPTS, "judge_system.md"), settings=self.generation)
        except IntentLensError:
            return None, Usage()
        return (answer.reply.result == "Correct" if answer.reply else None), answer.usage

    async def evaluate(self, queries: Sequence[str], intents: Sequence[str]) -> AlignmentReport:
        """Every judge on every (query, intent) pair."""
        names = [f"{i}:{j.name}" for i, j in enumerate(self.judges)]
        tasks = [self.vote(j, q, i) for q, i in zip(queries, intents, strict=True) for j in self.judges]
        results = await asyncio.gather(*tasks)
        width = len(self.judges)
        votes = [{names[k]: results[n * width + k][0] for k in range(width)} for n in range(len(queries))]
        usage = sum((u for _, u in results), Usage())
        per_judge, invalid = {}, {}
        for name in names:
            valid = [bool(v[name]) for v in votes if v[name] is not None]
            per_judge[name] = round(sum(valid) / len(valid), 4) if valid else 0.0
            invalid[name] = sum(1 for v in votes if v[name] is None)
        agreement = {}
        for a, b in itertools.combinations(names, 2):
            both = [v for v in votes if v[a] is not None and v[b] is not None]
            agreement[f"{a} ~ {b}"] = round(sum(v[a] == v[b] for v in both) / len(both), 4) if both else 0.0
        a_intent = round(sum(per_judge.values()) / len(per_judge), 4)
        return AlignmentReport(a_intent=a_intent, per_judge=per_judge, invalid=invalid,
                               agreement=agreement, votes=votes, usage=usage)

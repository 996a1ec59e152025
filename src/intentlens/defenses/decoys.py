"""Semantic obfuscation: plausible decoy calls to the same server's tools, mixed with the real ones.

Decoys use read-only tools only (judged from the tool's name and description) unless writes are
allowed. Arguments come from templates keyed on parameter names and types, or from an LLM that fills
the tool's own input schema. The agent discards decoy results. Offline, decoys are not executed:
they carry no result (see the README's note on what that means for the evaluation).
"""

from __future__ import annotations

import random
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from intentlens.backends import GenerationSettings, JsonObject, ManagedBackend, ask
from intentlens.core import Step, ToolCall, ToolSpec, Trace, Usage
from intentlens.defenses._base import DEFENSES, DefendedTrace, DefenseCost
from intentlens.errors import IntentLensError
from intentlens.prompting import untrusted

_READ = re.compile(r"^(get|list|search|find|read|fetch|check|query|lookup|retrieve|show|view|browse|"
                   r"count|describe|calculate|convert|compare|estimate|recommend|explore)", re.I)
_WRITE = re.compile(r"\b(send|delete|remove|create|update|pay|transfer|post|write|book|cancel|buy|"
                    r"purchase|reserve|order|share|invite|modify|set|add|upload|schedule)\w*", re.I)
POOLS: dict[str, list[Any]] = {
    "city": ["Lisbon", "Osaka", "Denver", "Krakow", "Nairobi", "Melbourne", "Toronto", "Valencia"],
    "country": ["PT", "JP", "CA", "PL", "KE", "AU", "ES", "NO"],
    "name": ["Jordan Lee", "Priya Patel", "Tom Becker", "Ana Souza", "Kenji Mori"],
    "email": ["j.lee@example.com", "priya.p@example.net", "t.becker@example.org"],
    "date": ["2024-03-14", "2024-07-02", "2024-10-21", "2025-01-09"],
    "query": ["best hiking trails", "vegetarian recipes", "electric bikes", "museum opening hours",
              "learn Spanish online", "home office chairs", "jazz concerts"],
    "symbol": ["MSFT", "NVDA", "VTI", "BND"],
    "url": ["https://example.com/articles/42", "https://example.org/news/7"],
    "file": ["notes.txt", "budget-2024.xlsx", "trip-plan.docx", "recipes.pdf"],
}
_KEYS = [("file", "file"), ("path", "file"), ("email", "email"), ("mail", "email"), ("city", "city"),
         ("location", "city"),
         ("place", "city"), ("country", "country"), ("name", "name"), ("user", "name"),
         ("date", "date"), ("day", "date"), ("symbol", "symbol"), ("ticker", "symbol"),
         ("url", "url"), ("link", "url")]


def is_read_only(tool: ToolSpec) -> bool:
    """True when the tool's name reads, and neither its name nor description writes."""
    words = re.sub(r"(?<=[a-z])(?=[A-Z])|[_\-.]", " ", tool.name)
    return bool(_READ.match(words.strip())) and not _WRITE.search(words) \
        and not _WRITE.search(tool.description.split(".")[0])


def template_value(name: str, spec: dict[str, Any], rng: random.Random) -> Any:
    """A plausible value for one parameter, from its enum, default, name and type."""
    if spec.get("enum"):
        return rng.choice(spec["enum"])
    kind = spec.get("type")
    if kind in ("integer", "int"):
        low, high = spec.get("minimum", 1), spec.get("maximum", 20)
        return rng.randint(int(low), int(max(low, high)))
    if kind in ("number", "float"):
        return round(rng.uniform(spec.get("minimum", 1), spec.get("maximum", 100)), 2)
    if kind in ("boolean", "bool"):
        return rng.choice([True, False])
    if kind in ("array", "list"):
        return [template_value(name, spec.get("items") or {"type": "string"}, rng)]
    if kind in ("object", "dict"):
        return {}
    lowered = name.lower()
    pool = next((POOLS[p] for key, p in _KEYS if key in lowered), POOLS["query"])
    return rng.choice(pool)


class DecoyCalls:
    """Adds ``ratio`` decoys per real call, placed ``interleave``d, ``before`` or ``after``."""

    def __init__(self, backend: ManagedBackend | None = None, *, ratio: float = 1.0,
                 placement: Literal["interleave", "before", "after"] = "interleave",
                 generator: Literal["template", "llm"] = "template", allow_writes: bool = False,
                 seed: int = 0) -> None:
        if ratio < 0:
            raise ValueError("ratio must be >= 0")
        if generator == "llm" and backend is None:
            raise ValueError("the llm generator needs a backend")
        self.backend, self.ratio, self.placement = backend, ratio, placement
        self.generator, self.allow_writes, self.seed = generator, allow_writes, seed
        self.name = "decoys"
        """Set from the options by the registry (``decoys-ratio=2``), as results name it."""

    def candidates(self, trace: Trace) -> list[ToolSpec]:
        """Tools a decoy may call: the catalogue's read-only tools, or all when writes are allowed."""
        return [t for t in trace.tools if self.allow_writes or is_read_only(t)]

    async def apply(self, trace: Trace) -> DefendedTrace:
        """The trace with decoys mixed in."""
        rng = random.Random(f"{self.seed}:{trace.id}")
        pool = self.candidates(trace)
        wanted = round(self.ratio * len(trace.steps))
        usage = Usage()
        decoys: list[Step] = []
        for _ in range(wanted if pool else 0):
            tool = rng.choice(pool)
            arguments, cost = await self._arguments(tool, rng)
            usage += cost
            decoys.append(Step(call=ToolCall(tool=tool.name, arguments=arguments, server=tool.server),
                               metadata={"decoy": True}))
        steps = self._place(list(trace.steps), decoys, rng)
        defended = trace.model_copy(update={"steps": tuple(steps)})
        return DefendedTrace(trace=defended, cost=DefenseCost(extra_calls=len(decoys),
                                                              real_calls=len(trace.steps), usage=usage))

    def _place(self, real: list[Step], decoys: list[Step], rng: random.Random) -> list[Step]:
        if self.placement == "before":
            return decoys + real
        if self.placement == "after":
            return real + decoys
        steps = list(real)
        for decoy in decoys:
            steps.insert(rng.randint(0, len(steps)), decoy)
        return steps

    async def _arguments(self, tool: ToolSpec, rng: random.Random) -> tuple[dict[str, Any], Usage]:
        template = {name: template_value(name, spec if isinstance(spec, dict) else {}, rng)
                    for name, spec in tool.properties.items()
                    if name in tool.required or rng.random() < 0.5}
        if self.generator == "template" or self.backend is None:
            return template, Usage()
        schema = {"type": "object", "properties": tool.properties, "required": tool.required}
        prompt = (f"Invent arguments for one realistic, ordinary call of this tool, as some other user "
                  f"might make it. Use everyday values.\n{untrusted('tool', tool.name)}\n"
                  f"{untrusted('description', tool.description, 600)}\nReply with the arguments as JSON.")
        try:
            answer = await ask(self.backend, JsonObject, prompt, schema=schema,
                               settings=GenerationSettings(max_tokens=150, temperature=0.9,
                                                           seed=rng.randint(0, 10**6)))
        except IntentLensError:
            return template, Usage()
        return (answer.reply.root if answer.reply else template), answer.usage


class DecoyOptions(BaseModel):
    """The decoys' options."""

    model_config = ConfigDict(extra="forbid")

    ratio: float = Field(1.0, ge=0)
    """Decoys per real call."""
    placement: Literal["interleave", "before", "after"] = "interleave"
    generator: Literal["template", "llm"] = "template"
    """Decoy arguments from the tool's schema, or invented by the backend."""
    allow_writes: bool = False
    """Let decoys call tools that change state (off: read-only tools only)."""
    seed: int = 0


@DEFENSES.register("decoys", options=DecoyOptions)
def _decoys(backend: ManagedBackend | None = None, **options: Any) -> DecoyCalls:
    """Decoy calls mixed in among the real ones, so a server cannot tell which calls the user wanted."""
    defense = DecoyCalls(backend, **options)
    defense.name = DEFENSES.plugin("decoys").label(options)
    return defense

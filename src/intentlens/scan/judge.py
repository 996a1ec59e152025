"""The description judge: an LLM (the offline default, or any backend) asked whether a tool's
description tells the agent to do anything beyond the tool's own function. The description goes in
delimited and escaped, as every untrusted text does."""

from __future__ import annotations

import time
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from intentlens.backends import GenerationSettings, Message, extract_json
from intentlens.core import ToolSpec
from intentlens.errors import IntentLensError, ReplyFormatError
from intentlens.prompting import escape, render, untrusted
from intentlens.scan._base import Evidence, Finding, register_detector, text_fields

_PROMPTS = "intentlens.scan.prompts"
_LIMIT = 2000


class DescriptionVerdict(BaseModel):
    """The judge's reply."""

    behaviour: str = Field(max_length=200)
    evidence: str = Field(max_length=300)
    verdict: Literal["clean", "poisoned"]


class JudgeDetector:
    """Asks the backend about each text field of the tool, the description first."""

    name = "judge"
    needs_backend = True

    def __init__(self, backend: Any, **_: Any) -> None:
        if backend is None:
            raise IntentLensError("the judge detector needs a backend (--backend)")
        self.backend = backend
        self.generation = GenerationSettings(max_tokens=200)

    async def ask(self, tool: ToolSpec, text: str) -> DescriptionVerdict:
        """One judge call on one text field."""
        prompt = render(_PROMPTS, "description_judge.md", server=escape(tool.server or "(unknown)"),
                        tool=untrusted("tool", tool.name), description=untrusted("description", text, _LIMIT))
        messages = [Message(role="user", content=prompt)]
        completion = await self.backend.complete(messages, schema=DescriptionVerdict.model_json_schema(),
                                                 settings=self.generation)
        try:
            parsed = completion.parsed if completion.parsed is not None else extract_json(completion.text)
            return DescriptionVerdict.model_validate(parsed)
        except (ValidationError, ReplyFormatError) as exc:
            raise IntentLensError(f"unusable judge reply: {completion.text[:120]!r}") from exc

    async def inspect(self, tool: ToolSpec) -> Finding:
        """Poisoned as soon as one field is judged poisoned."""
        started = time.perf_counter()
        for field, text in text_fields(tool):
            if not text:
                continue
            reply = await self.ask(tool, text)
            if reply.verdict == "poisoned":
                at = text.find(reply.evidence) if reply.evidence else -1
                evidence = None if at < 0 else Evidence(field=field, start=at, end=at + len(reply.evidence),
                                                        text=reply.evidence)
                return Finding(tool=tool.name, server=tool.server, detector=self.name, verdict="poisoned",
                               score=1.0, reason=reply.behaviour, evidence=evidence,
                               seconds=time.perf_counter() - started)
        return Finding(tool=tool.name, server=tool.server, detector=self.name, verdict="clean", score=0.0,
                       reason="judged clean", seconds=time.perf_counter() - started)


register_detector("judge")(JudgeDetector)

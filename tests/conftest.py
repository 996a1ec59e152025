"""Shared fixtures. Unit tests never reach a remote model: the environment is cleared of endpoints."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from intentlens.settings import Settings

# Property tests: a bounded budget in every run (CI), a long one on demand (bench/fuzz.py).
settings.register_profile("ci", max_examples=40, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=int(os.environ.get("INTENTLENS_FUZZ_EXAMPLES", "1000")),
                          deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("INTENTLENS_SHARED_DATA", REPO.parent / "shared" / "data"))
FIXTURES = Path(__file__).parent / "fixtures"
TOOLACE = SHARED_DATA / "toolace_subset" / "toolace_subset.jsonl"
TOOLACE_RAW = SHARED_DATA / "toolace_subset" / "toolace_subset_raw.json"
AGENTDOJO = SHARED_DATA / "agentdojo_v1_2_2"
BFCL = SHARED_DATA / "bfcl_v4"


@pytest.fixture(autouse=True)
def _offline_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "INTENTLENS_OPENAI_BASE_URL",
                 "INTENTLENS_BACKEND"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INTENTLENS_RESPONSE_CACHE", "false")


@pytest.fixture
def tmp_settings(tmp_path: Path) -> Settings:
    """Settings whose response cache lives in a temporary folder."""
    return Settings(cache_dir=tmp_path / "cache", response_cache=True, max_retries=2)


@pytest.fixture
def real_settings() -> Settings:
    """Settings for real-model tests: the user's model cache, no response cache."""
    return Settings(response_cache=False)

"""Shared fixtures. Unit tests never reach a remote model: the environment is cleared of endpoints."""

from __future__ import annotations

import inspect
import ipaddress
import os
import re
import socket
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


_DATA_NAMES = ("SHARED_DATA", "TOOLACE", "AGENTDOJO", "BFCL", "MCPTOX", "guard_bench.CASES")


def _reads_shared_data(function: object, module: dict[str, object], depth: int = 1) -> bool:
    """Whether a test (or a module helper it calls) names the shared data or a path built from it."""
    try:
        source = inspect.getsource(function)  # type: ignore[arg-type]
    except (OSError, TypeError):
        return False
    if any(name in source for name in _DATA_NAMES):
        return True
    for name in set(re.findall(r"\b[A-Za-z_][A-Za-z0-9_]*\b", source)):
        value = module.get(name)
        if isinstance(value, Path | str) and str(SHARED_DATA) in str(value):
            return True
        if depth and inspect.isfunction(value) and value is not function \
                and _reads_shared_data(value, module, depth - 1):
            return True
    return False


NETWORK_MODULES = {"test_third_party.py"}
"""Tests that install third-party MCP servers from the package registries on first use."""
SLOW_MODULES = {"test_third_party.py", "test_browser.py", "test_attack_metrics.py", "test_kill.py"}
SLOW_FIXTURES = {"postgres_server", "postgres_url"}
"""Real servers, a browser, embedding models, a database server: seconds per test, not milliseconds."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests that read ../shared/data as ``data``; without the data they skip, saying why.
    Mark ``network`` and ``slow`` ones by what they start (``-m "not slow"`` is the quick loop)."""
    missing = not SHARED_DATA.is_dir()
    for item in items:
        name = item.path.name
        if name in NETWORK_MODULES:
            item.add_marker(pytest.mark.network)
        if name in SLOW_MODULES or item.get_closest_marker("real_model") is not None \
                or SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
        module = vars(item.module) if getattr(item, "module", None) else {}
        function = getattr(item, "function", None)
        if item.get_closest_marker("data") is None and function is not None \
                and _reads_shared_data(function, module):
            item.add_marker(pytest.mark.data)
        if missing and item.get_closest_marker("data") is not None:
            item.add_marker(pytest.mark.skip(reason=f"needs the shared data sets at {SHARED_DATA}"))


_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: object) -> object:
    """Unit tests may reach this machine's loopback and Unix sockets, and nothing else."""
    if self.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple):
        host = str(address[0])
        if host != "localhost" and not ipaddress.ip_address(host.split("%")[0]).is_loopback:
            raise ConnectionRefusedError(f"a test tried to reach {host}: only loopback is allowed")
    return _connect(self, address)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _no_remote_hosts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)

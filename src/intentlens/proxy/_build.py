"""Building the checks in the path from their names (shared by `intentlens proxy` and the gateway)."""

from __future__ import annotations

import asyncio
import importlib.util
from pathlib import Path
from typing import Literal

from intentlens.backends import get_backend
from intentlens.errors import DataFormatError, IntentLensError
from intentlens.guards import GUARDS, Vista
from intentlens.proxy._guarding import CallGuard, QuerySource, RecentQueries
from intentlens.proxy._screening import ToolScreen
from intentlens.settings import Settings


def build_screen(mode: str, detector: str, trusted: frozenset[str] = frozenset()) -> ToolScreen | None:
    """The tool scan for ``mode`` (quarantine, flag or off) with the named detector."""
    from intentlens.scan import DETECTORS

    if mode == "off":
        return None
    if DETECTORS.needs_backend(detector):
        usable = ", ".join(name for name in DETECTORS.names() if not DETECTORS.needs_backend(name))
        raise IntentLensError(f"the scan in the path runs without an LLM: use one of {usable}")
    if detector == "trained" and importlib.util.find_spec("sentence_transformers") is None:
        raise IntentLensError(f"the {detector} detector needs the embedding model: pip install -e "
                              "'.[metrics]', or use the ngrams detector")
    # strict: a false alarm in the path hides a working tool, so the detector's strict threshold applies
    options = DETECTORS.plugin(detector).options
    strict = {"strict": True} if options is not None and "strict" in options.model_fields else {}
    scanner = DETECTORS.build(detector, **strict)
    return ToolScreen(scanner, "flag" if mode == "flag" else "quarantine", trusted)


def build_call_guard(guard: str | None, backend: str, *, settings: Settings, query_file: Path | None = None,
                     no_query: Literal["block", "allow"] = "block", fail_open: bool = False,
                     timeout: float = 60.0, recent: RecentQueries | None = None,
                     screen: ToolScreen | None = None) -> CallGuard | None:
    """The guard every call goes through; an unreachable judge fails here, not at the first call."""
    if guard is None:
        return None
    if query_file is not None and not query_file.is_file():
        raise DataFormatError(query_file, None, "no such query file (the host must create it before "
                                                "the proxy starts)")
    if not GUARDS.needs_backend(guard):
        checker = GUARDS.build(guard)
    else:
        llm = get_backend(backend, settings)
        asyncio.run(llm.check())
        checker = GUARDS.build(guard, llm, fail_open=fail_open)
    if screen is not None and isinstance(checker, Vista):
        checker.description_detector = screen.detector  # one verdict on each description
    return CallGuard(checker, QuerySource(query_file, recent), no_query=no_query, fail_open=fail_open,
                     timeout=timeout)

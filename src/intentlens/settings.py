"""One settings object, read from ``INTENTLENS_*`` environment variables and passed down explicitly."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "intentlens"


class Settings(BaseSettings):
    """Run-wide settings. Every field can be set as ``INTENTLENS_<FIELD>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix="INTENTLENS_", extra="ignore")

    cache_dir: Path = Field(default_factory=_default_cache_dir)
    """Where assembled models and the LLM response cache live."""
    response_cache: bool = True
    """Keep every LLM reply in ``cache_dir/responses.sqlite`` so reruns are free and resumable."""
    openai_base_url: str | None = None
    """Base URL of an OpenAI-compatible server; falls back to ``OPENAI_BASE_URL``."""
    openai_api_key: str | None = None
    """API key for that server; falls back to ``OPENAI_API_KEY`` (local servers need none)."""
    request_timeout: float = 300.0
    """Seconds one LLM request may take before it is retried or fails."""
    max_retries: int = 3
    """Retries of a transient failure (connection, timeout, 429, 5xx), with exponential backoff."""
    concurrency: int = 64
    """Requests kept in flight at once against a remote backend."""
    llm_threads: int | None = None
    """CPU threads for in-process llama.cpp; None uses every core."""
    llm_context: int = 4096
    """Context window for in-process llama.cpp, in tokens."""
    llm_lazy_grammar: bool = True
    """In-process llama.cpp: ask the JSON grammar only about the greedy pick, and mask the whole
    vocabulary only when it refuses that token (the same replies, without a grammar pass over every
    token of the vocabulary at every step); off applies llama-cpp-python's full mask."""
    @property
    def response_cache_path(self) -> Path:
        """The SQLite file of the response cache."""
        return self.cache_dir / "responses.sqlite"

    @property
    def models_dir(self) -> Path:
        """Where assembled model files are kept."""
        return self.cache_dir / "models"

    def resolved_openai_base_url(self) -> str | None:
        """The configured base URL, or ``OPENAI_BASE_URL``."""
        return self.openai_base_url or os.environ.get("OPENAI_BASE_URL")

    def resolved_openai_api_key(self) -> str | None:
        """The configured key, or ``OPENAI_API_KEY``."""
        return self.openai_api_key or os.environ.get("OPENAI_API_KEY")

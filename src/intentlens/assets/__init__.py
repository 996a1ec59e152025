"""Offline model files: the catalogue, assembly from registry part packages, verification."""

from intentlens.assets._assemble import ensure_gguf, mpnet_dir, resolve_gguf, verify_gguf
from intentlens.assets._catalog import DEFAULT_LLM, FAST_LLM, GGUF_MODELS, MPNET, GGUFModel
from intentlens.assets._runtime import ProbeResult, runs_here
from intentlens.assets._status import ModelStatus, install_models, model_statuses

__all__ = [
    "DEFAULT_LLM",
    "FAST_LLM",
    "GGUF_MODELS",
    "MPNET",
    "GGUFModel",
    "ModelStatus",
    "ProbeResult",
    "ensure_gguf",
    "install_models",
    "model_statuses",
    "mpnet_dir",
    "resolve_gguf",
    "runs_here",
    "verify_gguf",
]

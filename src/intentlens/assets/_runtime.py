"""Does the installed llama.cpp run on this CPU? A probe in a child process, and a rebuild without AMX.

``llama-cpp-python`` compiles llama.cpp for the CPU it is built on, and pip keeps the wheel. A wheel
from another CPU, or a CPU that advertises AMX tile instructions its virtual machine does not let a
process use, kills the process with ``Illegal instruction`` on the first prompt, with no Python
error to catch. So the model is first run in a child process, once per build and CPU (a stamp in the
models folder remembers the answer), and ``intentlens models install`` rebuilds the package from
source, with the CPU's own instruction sets but no AMX, when the child dies of that signal.
"""

from __future__ import annotations

import hashlib
import os
import platform
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata, util
from pathlib import Path

from intentlens.errors import ModelAssetError

PACKAGE = "llama-cpp-python"
STAMP = ".llama-cpp-runs"
PROBE_SECONDS = 300

# A prompt of some hundred tokens, so that the batched matrix code (where AMX is used) runs too.
_PROBE = """
import sys
from llama_cpp import Llama
llm = Llama(model_path=sys.argv[1], n_ctx=1024, n_threads=2, verbose=False)
llm.create_completion(" ".join(["the quick brown fox"] * 80), max_tokens=2)
"""

# /proc/cpuinfo flag -> ggml's CMake option, for a build that is not -march=native.
_X86_OPTIONS = {
    "sse4_2": "GGML_SSE42", "avx": "GGML_AVX", "avx2": "GGML_AVX2", "fma": "GGML_FMA",
    "f16c": "GGML_F16C", "bmi2": "GGML_BMI2", "avx_vnni": "GGML_AVX_VNNI",
    "avx512f": "GGML_AVX512", "avx512vbmi": "GGML_AVX512_VBMI",
    "avx512_vnni": "GGML_AVX512_VNNI", "avx512_bf16": "GGML_AVX512_BF16",
}
_NO_AMX = ("-DGGML_AMX_TILE=OFF", "-DGGML_AMX_INT8=OFF", "-DGGML_AMX_BF16=OFF")


@dataclass(frozen=True)
class ProbeResult:
    """How the child process that ran the model ended."""

    returncode: int
    stderr: str = ""

    @property
    def runs(self) -> bool:
        return self.returncode == 0

    @property
    def illegal_instruction(self) -> bool:
        return self.returncode in (-signal.SIGILL, 128 + signal.SIGILL)

    @property
    def segfault(self) -> bool:
        return self.returncode in (-signal.SIGSEGV, 128 + signal.SIGSEGV)

    def describe(self) -> str:
        if self.runs:
            return "runs"
        if self.illegal_instruction:
            return "dies with Illegal instruction (SIGILL): built for instructions this CPU refuses"
        if self.segfault:
            return "dies with a segmentation fault (SIGSEGV)"
        if self.returncode < 0:
            return f"dies with signal {-self.returncode}"
        tail = self.stderr.strip().splitlines()[-1:] or [""]
        return f"exits with {self.returncode}: {tail[0][:300]}"


def lists_amx(flags: set[str]) -> bool:
    """Whether a CPU's flags list AMX tile instructions (``amx_tile``, ``amx_int8``, ...)."""
    return any(flag.startswith("amx") for flag in flags)


def cpu_flags(cpuinfo: str) -> set[str]:
    """The instruction-set flags of the first CPU in a ``/proc/cpuinfo`` text."""
    for line in cpuinfo.splitlines():
        name, _, value = line.partition(":")
        if name.strip() == "flags":
            return set(value.split())
    return set()


def cmake_args_without_amx(flags: set[str]) -> str:
    """``CMAKE_ARGS`` for a llama.cpp build with every instruction set in ``flags`` but AMX."""
    chosen = [f"-D{option}={'ON' if flag in flags else 'OFF'}" for flag, option in _X86_OPTIONS.items()]
    return " ".join(["-DGGML_NATIVE=OFF", *chosen, *_NO_AMX])


def _build_fingerprint() -> str | None:
    """Which llama.cpp build on which CPU: the shared library's path, size and mtime, and the CPU."""
    spec = util.find_spec("llama_cpp")
    if spec is None or spec.origin is None:
        return None
    lib = Path(spec.origin).parent / "lib"
    libraries = sorted(lib.glob("*.so*")) + sorted(lib.glob("*.dylib")) + sorted(lib.glob("*.dll"))
    parts = [f"{p}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in libraries]
    cpuinfo = Path("/proc/cpuinfo")
    cpu = cpuinfo.read_text(errors="replace") if cpuinfo.exists() else platform.processor()
    parts.append(" ".join(sorted(cpu_flags(cpu))) or cpu[:200])
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def probe(gguf: Path, *, python: str = sys.executable, timeout: float = PROBE_SECONDS) -> ProbeResult:
    """Load ``gguf`` and evaluate a prompt in a child process; how did the child end?"""
    try:
        done = subprocess.run([python, "-c", _PROBE, str(gguf)], capture_output=True, text=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return ProbeResult(returncode=124, stderr=f"no answer within {timeout:.0f} s")
    return ProbeResult(returncode=done.returncode, stderr=done.stderr[-4000:])


def _stamped(models_dir: Path, fingerprint: str | None) -> bool:
    stamp = models_dir / STAMP
    return bool(fingerprint and stamp.exists() and stamp.read_text(errors="replace").strip() == fingerprint)


def stamp_matches(models_dir: Path) -> bool:
    """Was this llama.cpp build already seen to run on this CPU?"""
    return _stamped(models_dir, _build_fingerprint())


def runs_here(gguf: Path, models_dir: Path, *, python: str = sys.executable) -> ProbeResult:
    """Probe once per llama.cpp build and CPU; a passing answer is kept in ``models_dir``."""
    fingerprint = _build_fingerprint()  # the probe does not change the build: read it once
    if _stamped(models_dir, fingerprint):
        return ProbeResult(returncode=0)
    result = probe(gguf, python=python)
    if result.runs and fingerprint:
        try:
            (models_dir / STAMP).write_text(fingerprint + "\n")
        except OSError:
            pass  # a read-only models folder: probe again next time
    return result


def rebuild_without_amx(*, progress: Callable[[str], None], python: str = sys.executable) -> None:
    """Compile ``llama-cpp-python`` again from source for this CPU's instruction sets minus AMX,
    replacing the cached wheel that did not run."""
    if platform.machine().lower() not in ("x86_64", "amd64") or not Path("/proc/cpuinfo").exists():
        raise ModelAssetError(f"the installed {PACKAGE} does not run on this CPU, and a rebuild "
                              "without AMX only applies to x86-64 Linux")
    version = metadata.version(PACKAGE)
    args = cmake_args_without_amx(cpu_flags(Path("/proc/cpuinfo").read_text(errors="replace")))
    progress(f"rebuilding {PACKAGE} {version} from source without AMX (3 to 8 minutes on 2 cores): "
             f"CMAKE_ARGS={args}")
    # The wheel pip cached is the one that dies; drop it so the new build is cached instead.
    subprocess.run([python, "-m", "pip", "cache", "remove", "llama_cpp_python"],
                   capture_output=True, check=False)
    cmd = [python, "-m", "pip", "install", "--quiet", "--force-reinstall", "--no-deps",
           "--no-binary", PACKAGE, f"{PACKAGE}=={version}"]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False,
                          env={**os.environ, "CMAKE_ARGS": args, "FORCE_CMAKE": "1"})
    if done.returncode != 0:
        raise ModelAssetError(f"pip could not rebuild {PACKAGE} (CMAKE_ARGS={args}):\n"
                              f"{done.stderr[-2000:]}")

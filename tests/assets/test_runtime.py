"""The llama.cpp probe: a build that dies on this CPU is caught in a child process, named, and rebuilt
without AMX, instead of killing the process that loads the model."""

import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intentlens.assets import FAST_LLM, GGUF_MODELS, ProbeResult, ensure_gguf, model_statuses, runs_here
from intentlens.assets._assemble import gguf_path
from intentlens.assets._runtime import (
    _X86_OPTIONS,
    STAMP,
    cmake_args_without_amx,
    cpu_flags,
    lists_amx,
    probe,
    rebuild_without_amx,
    stamp_matches,
)
from intentlens.assets._status import _check_runtime, _runtime_row
from intentlens.backends.llamacpp import _load
from intentlens.errors import BackendError
from intentlens.settings import Settings

CPUINFO = """processor\t: 0
vendor_id\t: GenuineIntel
flags\t\t: fpu sse4_2 avx avx2 fma f16c bmi2 avx512f avx512_vnni amx_tile amx_int8 amx_bf16
bogomips\t: 4200.00
"""


def _script(tmp_path: Path, name: str, body: str) -> str:
    path = tmp_path / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def test_cpu_flags_are_read_from_proc_cpuinfo() -> None:
    assert {"avx2", "amx_tile", "avx512_vnni"} <= cpu_flags(CPUINFO)
    assert cpu_flags("processor : 0\n") == set()


@given(st.sets(st.sampled_from(sorted(_X86_OPTIONS)) | st.sampled_from(["amx_tile", "amx_int8"])))
def test_the_rebuild_keeps_the_cpus_instruction_sets_and_never_amx(flags: set[str]) -> None:
    args = cmake_args_without_amx(flags).split()
    assert args[0] == "-DGGML_NATIVE=OFF"  # -march=native would bring AMX back
    on = {a.removeprefix("-D").removesuffix("=ON") for a in args if a.endswith("=ON")}
    assert on == {_X86_OPTIONS[f] for f in flags if f in _X86_OPTIONS}
    assert {"-DGGML_AMX_TILE=OFF", "-DGGML_AMX_INT8=OFF", "-DGGML_AMX_BF16=OFF"} <= set(args)


def test_a_child_killed_by_illegal_instruction_is_named(tmp_path: Path) -> None:
    python = _script(tmp_path, "python", "kill -ILL $$\n")
    result = probe(tmp_path / "model.gguf", python=python)
    assert result.illegal_instruction and not result.runs
    assert "Illegal instruction" in result.describe()
    failing = probe(tmp_path / "model.gguf", python=_script(tmp_path, "py2", "echo boom >&2; exit 3\n"))
    assert not failing.illegal_instruction and failing.describe() == "exits with 3: boom"


def test_the_rebuild_compiles_from_source_with_the_args_and_replaces_the_cached_wheel(
        tmp_path: Path) -> None:
    if not Path("/proc/cpuinfo").exists() or os.uname().machine != "x86_64":
        pytest.skip("the rebuild applies to x86-64 Linux")
    log = tmp_path / "calls"
    pip = _script(tmp_path, "python", f'echo "$* | $CMAKE_ARGS" >> {log}\n')
    messages: list[str] = []
    rebuild_without_amx(progress=messages.append, python=pip)
    cache_call, install_call = log.read_text().splitlines()
    assert cache_call.startswith("-m pip cache remove llama_cpp_python")
    command, args = install_call.split(" | ")
    assert "--force-reinstall" in command and "--no-binary llama-cpp-python" in command
    assert "llama-cpp-python==" in command and "-DGGML_AMX_INT8=OFF" in args
    assert "minutes on 2 cores" in messages[0]


def test_a_model_that_cannot_load_is_an_error_not_a_dead_process(tmp_path: Path) -> None:
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"not a gguf at all")
    with pytest.raises(BackendError, match=r"llama.cpp exits with 1.*intentlens models install"):
        _load(bad, 2, 512, models_dir=tmp_path)
    assert not (tmp_path / STAMP).exists()


@pytest.mark.real_model
def test_the_installed_build_runs_here_and_the_answer_is_kept(tmp_path: Path) -> None:
    gguf = ensure_gguf(GGUF_MODELS["qwen2.5-coder-0.5b"], Settings().models_dir)
    assert not stamp_matches(tmp_path)
    result = runs_here(gguf, tmp_path)
    assert result.runs, result.describe()
    assert stamp_matches(tmp_path)
    assert runs_here(tmp_path / "no-such.gguf", tmp_path).runs  # the stamp answers: no second child


@pytest.mark.parametrize(("signal_name", "described"), [("ILL", "Illegal instruction"),
                                                         ("SEGV", "segmentation fault")])
def test_install_rebuilds_a_build_that_dies_and_probes_it_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, signal_name: str, described: str) -> None:
    """On a CPU that lists AMX, its tile code kills the process with SIGILL or, on some machines,
    SIGSEGV (seen on 2026-12-07): either way the build is recompiled without AMX."""
    if not Path("/proc/cpuinfo").exists() or os.uname().machine != "x86_64":
        pytest.skip("the rebuild applies to x86-64 Linux")
    monkeypatch.setattr("intentlens.assets._status._cpu_lists_amx", lambda: True)
    # A stand-in interpreter: the probe dies of the signal until pip has "rebuilt" llama.cpp.
    work = tmp_path / "work"
    work.mkdir()
    python = _script(tmp_path, "python", f"""cd {work}
if [ "$1" = "-m" ]; then echo "$*" >> pip-calls; [ "$3" = install ] && touch rebuilt; exit 0; fi
[ -e rebuilt ] && exit 0
kill -{signal_name} $$
""")
    models = tmp_path / "models"
    models.mkdir()
    gguf_path(GGUF_MODELS[FAST_LLM], models).write_bytes(b"")
    messages: list[str] = []
    result = _check_runtime(models, messages.append, python=python)
    assert result is not None and result.runs
    assert any(described in m for m in messages)
    assert any(m.startswith("rebuilding llama-cpp-python") for m in messages)
    assert (work / "pip-calls").read_text().count("install --quiet --force-reinstall") == 1
    assert stamp_matches(models)  # the rebuilt build was seen to run: the backend will not probe again
    row = _runtime_row(models, None)
    assert row.verified is True and row.installed and row.name.startswith("llama-cpp-python ")


def test_a_segfault_on_a_cpu_without_amx_is_reported_not_rebuilt(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("intentlens.assets._status._cpu_lists_amx", lambda: False)
    work = tmp_path / "work"
    work.mkdir()
    python = _script(tmp_path, "python", f"""cd {work}
[ "$1" = -m ] && echo "$*" >> pip-calls
kill -SEGV $$
""")
    models = tmp_path / "models"
    models.mkdir()
    gguf_path(GGUF_MODELS[FAST_LLM], models).write_bytes(b"")
    messages: list[str] = []
    result = _check_runtime(models, messages.append, python=python)
    assert result is not None and result.segfault and not result.runs
    assert result.describe() == "dies with a segmentation fault (SIGSEGV)"
    assert not (work / "pip-calls").exists() and not any("rebuilding" in m for m in messages)


def test_lists_amx_reads_the_tile_flags() -> None:
    assert lists_amx({"avx2", "amx_tile", "amx_int8"}) and not lists_amx({"avx2", "avx512f"})


def test_the_models_table_says_when_llama_cpp_was_never_seen_to_run(tmp_path: Path) -> None:
    row = next(r for r in model_statuses(tmp_path) if r.name.startswith("llama-cpp-python"))
    assert row.verified is None and row.problem is None
    failed = _runtime_row(tmp_path, ProbeResult(returncode=-4))
    assert failed.verified is False and "Illegal instruction" in (failed.problem or "")

"""`intentlens eval --engine ray` on a real local Ray cluster: a head and a worker node started with
`ray start`, as a user would, then the same experiment run here and there."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from intentlens.cli import app
from intentlens.eval import LocalEngine, RayEngine, load_experiment, run_experiment
from intentlens.settings import Settings
from tests.conftest import AGENTDOJO, TOOLACE

pytest.importorskip("ray", reason="the ray extra is not installed (pip install -e '.[ray]')")
runner = CliRunner()
RAY = Path(sys.executable).with_name("ray")
VOLATILE = ("usage", "seconds", "timing", "cached")
"""Fields (or parts of their names) that hold how long something took or whether the cache answered:
not results."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ray(*args: str, env: dict[str, str]) -> None:
    done = subprocess.run([str(RAY), *args], capture_output=True, text=True, timeout=180, env=env,
                          check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A head node and one worker node on this machine; yields the head's address."""
    port = _free_port()
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}
    temp = tmp_path_factory.mktemp("ray")
    _ray("start", "--head", f"--port={port}", "--node-ip-address=127.0.0.1", "--num-cpus=1",
         "--include-dashboard=false", "--disable-usage-stats", f"--temp-dir={temp}", env=env)
    try:
        _ray("start", f"--address=127.0.0.1:{port}", "--node-ip-address=127.0.0.1", "--num-cpus=1",
             "--disable-usage-stats", env=env)
        yield f"127.0.0.1:{port}"
    finally:
        import ray

        if ray.is_initialized():
            ray.shutdown()
        subprocess.run([str(RAY), "stop", "--force"], capture_output=True, timeout=120, env=env, check=False)
        shutil.rmtree(temp, ignore_errors=True)


def _experiment(tmp_path: Path) -> Path:
    path = tmp_path / "exp.toml"
    path.write_text(f"""
name = "ray test"
backends = ["scripted"]
metrics = ["s_text"]
encoder = "minilm"
guards = ["vista-dataflow", "metadata-scan"]
[[datasets]]
name = "toolace"
source = "{TOOLACE}"
limit = 5
[[datasets]]
name = "agentdojo"
source = "{AGENTDOJO / 'intent_cases.jsonl'}"
limit = 6
[[attacks]]
method = "intentminer"
[[attacks]]
method = "direct"
""", encoding="utf-8")
    return path


def _stable(value: object) -> object:
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in value.items() if not any(part in k for part in VOLATILE)}
    if isinstance(value, list):
        return [_stable(v) for v in value]
    return value


def _items(run_dir: Path) -> dict[str, dict[str, object]]:
    """Every cell's lines, by file and item id (the order lines arrive in differs between engines)."""
    out: dict[str, dict[str, object]] = {}
    for path in sorted((run_dir / "items").rglob("*.jsonl")):
        lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        out[str(path.relative_to(run_dir))] = {str(r.get("trace_id", r.get("id"))): _stable(r) for r in lines}
    return out


async def test_ray_and_local_give_the_same_results_and_ray_resumes(tmp_path: Path, cluster: str) -> None:
    experiment = load_experiment(_experiment(tmp_path))
    settings = Settings(cache_dir=tmp_path / "cache", response_cache=True)
    local = await run_experiment(experiment, tmp_path / "local", settings, engine=LocalEngine())
    seen: list[tuple[str, int, int]] = []
    on_ray = await run_experiment(experiment, tmp_path / "ray", settings,
                                  progress=lambda label, done, total: seen.append((label, done, total)),
                                  engine=RayEngine(address=cluster, workers=2))
    assert _items(tmp_path / "ray") == _items(tmp_path / "local")
    ray_cells, local_cells = _stable(on_ray.model_dump()["cells"]), _stable(local.model_dump()["cells"])
    differ = [(a.get("method") or a.get("guard"), k, a[k], b.get(k)) for a, b in zip(ray_cells, local_cells,
                                                                                    strict=True)
              for k in a if a[k] != b.get(k)]
    assert not differ
    assert [c.kind for c in on_ray.cells] == ["attack", "attack", "guard", "guard"]
    assert ("toolace scripted intentminer", 5, 5) in seen  # progress reaches the end of each cell
    # resume: drop two finished items of one cell; the rerun does those two and nothing else
    cell = tmp_path / "ray" / "items" / "toolace" / "scripted" / "intentminer.jsonl"
    lines = cell.read_text(encoding="utf-8").splitlines()
    cell.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    seen.clear()
    await run_experiment(experiment, tmp_path / "ray", settings,
                         progress=lambda label, done, total: seen.append((label, done, total)),
                         engine=RayEngine(address=cluster, workers=2))
    assert max(done for label, done, _ in seen if label == "toolace scripted intentminer") == 2
    assert _items(tmp_path / "ray") == _items(tmp_path / "local")


def test_the_cli_runs_on_the_cluster_and_names_a_missing_one(tmp_path: Path, cluster: str) -> None:
    config = _experiment(tmp_path)
    done = runner.invoke(app, ["eval", str(config), "--run-dir", str(tmp_path / "run"), "--engine", "ray",
                               "--ray-address", cluster, "--workers", "2"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.output.strip().splitlines()[-1])["cells"] == 4
    unknown = runner.invoke(app, ["eval", str(config), "--engine", "spark"])
    assert unknown.exit_code == 2 and "unknown engine 'spark'" in unknown.output


def test_no_cluster_at_the_address_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    free = _free_port()
    done = subprocess.run([sys.executable, "-m", "intentlens", "eval", str(_experiment(tmp_path)),
                           "--run-dir", str(tmp_path / "run"), "--engine", "ray",
                           "--ray-address", f"127.0.0.1:{free}"],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "error: no Ray cluster at" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.real_model
def test_the_real_model_runs_in_a_ray_actor(tmp_path: Path, cluster: str) -> None:
    config = tmp_path / "exp.toml"
    config.write_text(f"""
name = "ray real model"
backends = ["llamacpp/qwen2.5-coder-1.5b"]
metrics = []
[[datasets]]
name = "toolace"
source = "{TOOLACE}"
limit = 1
[[attacks]]
method = "direct"
""", encoding="utf-8")
    done = runner.invoke(app, ["eval", str(config), "--run-dir", str(tmp_path / "run"), "--engine", "ray",
                               "--ray-address", cluster])
    assert done.exit_code == 0, done.output
    [cell] = (tmp_path / "run" / "items" / "toolace").glob("*/direct.jsonl")
    line = json.loads(cell.read_text(encoding="utf-8").splitlines()[0])
    assert line["intent"].strip() and line["trace_id"]

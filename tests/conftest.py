import contextlib
import json
import os
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SITREP_SHARED", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def shared() -> Path:
    """The project's shared data (../shared): real corpora tests measure against.

    CI always has it beside the clone; elsewhere a missing folder skips the test
    rather than failing it.
    """
    if not SHARED.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"shared data not found at {SHARED} (set SITREP_SHARED)")
        pytest.skip(f"shared data not found at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def seeds(shared) -> Path:
    return shared / "corpus" / "alaska-2025"


# The three report files, read back; each report test module defines ``out``
# (the paths write_reports returned for its own store).
@pytest.fixture
def data(out) -> dict:
    return json.loads(out["json"].read_text("utf-8"))


@pytest.fixture
def page(out) -> str:
    return out["html"].read_text("utf-8")


@pytest.fixture
def mdtext(out) -> str:
    return out["markdown"].read_text("utf-8")


@pytest.fixture(scope="session")
def seeds_built(seeds: Path, tmp_path_factory) -> tuple[Path, dict]:
    """The seeds through `sitrep build` once per session: (out folder, sitrep.json).
    A test that may be the first to use it needs a long timeout: the build runs
    the neural spin pass on the spun seed."""

    import subprocess
    import sys

    out = tmp_path_factory.mktemp("seeds")
    proc = subprocess.run(
        [sys.executable, "-m", "sitrep.cli", "build", str(seeds), "--out", str(out), "-q", "-j", "2"],
        capture_output=True, text=True, timeout=1500,
    )
    assert proc.returncode == 0, proc.stderr
    return out, json.loads((out / "sitrep.json").read_text())


@pytest.fixture(scope="session")
def examples_built(tmp_path_factory) -> tuple[Path, dict]:
    """The bundled examples through `sitrep build` once per session: (out folder, sitrep.json)."""
    import subprocess
    import sys

    examples = Path(__file__).resolve().parents[1] / "examples" / "alaska-2025"
    out = tmp_path_factory.mktemp("examples")
    proc = subprocess.run(
        [sys.executable, "-m", "sitrep.cli", "build", str(examples), "--out", str(out), "-q", "-j", "2"],
        capture_output=True, text=True, timeout=1500,
    )
    assert proc.returncode in (0, 1), proc.stderr  # 1: the examples include one item that fails on purpose
    return out, json.loads((out / "sitrep.json").read_text())


@contextlib.contextmanager
def serving(srv):
    """Run an http.server on its own thread for the block (tests only talk to 127.0.0.1)."""
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()

"""The provenance layer end to end on the bundled examples: the planted copies,
wire reprints, spun copy and content-farm rewrite are found, and nothing else."""

from __future__ import annotations

from difflib import SequenceMatcher
from pathlib import Path

import pytest

from sitrep.pipeline import analyse, ingest
from sitrep.store import provenance as P
from sitrep.store.db import Store

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "alaska-2025"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = Store(tmp_path_factory.mktemp("prov") / "s.db")
    ingest([str(EXAMPLES)], s, workers=2)
    # A small pile is analysed in-process; force the worker pool here so that path stays tested.
    mp = pytest.MonkeyPatch()
    mp.setenv("SITREP_POOL_MIN", "2")
    try:
        analyse(s, workers=2)
    finally:
        mp.undo()
    yield s
    s.close()


def _by_file(store) -> dict[str, str]:
    """'04' -> document id; JSONL/WARC records get their record suffix."""
    out = {}
    for d in store.documents(include_text=False):
        name = Path(d.locator.split("#")[0]).name[:2]
        suffix = d.locator.partition("#")[2]
        out[name + (f"#{suffix}" if suffix else "")] = d.id
    return out


def test_spun_copy_is_found_restored_from_its_source(store):
    ids = _by_file(store)
    edges = {(e.origin_id, e.copy_id): e for e in P.load_derivations(store)}
    edge = edges.get((ids["04"], ids["06"]))
    assert edge is not None and edge.relation == "spun", edges
    assert edge.passages and edge.coverage_copy > 0.8
    spin = P.load_spin(store, ids["06"])
    assert spin.spun and spin.method == "alignment"
    original = store.document(ids["04"]).text.split()
    published = store.document(ids["06"]).text.split()
    # restored from the source: the source's wording comes back, word for word
    assert SequenceMatcher(None, published, original, autojunk=False).ratio() < 0.85
    assert SequenceMatcher(None, spin.restored_text.split(), original, autojunk=False).ratio() > 0.98
    groups = P.load_groups(store)
    assert groups[ids["06"]] == (groups[ids["04"]][0], "spun_copy")


def test_wire_reprints_share_one_origin_group(store):
    ids = _by_file(store)
    groups = P.load_groups(store)
    wire = groups[ids["02"]][0]
    assert wire.startswith("wire:")
    assert groups[ids["07#line=1"]][0] == wire
    assert groups[ids["02"]][1] == groups[ids["07#line=1"]][1] == "syndicated"


def test_only_the_farm_rewrite_is_a_content_farm_and_only_06_is_spun(store):
    ids = _by_file(store)
    farm = [k for k, i in ids.items() if P.load_quality(store, i).content_farm]
    assert len(farm) == 1 and farm[0].startswith("09#"), farm
    spun = [k for k, i in ids.items() if (s := P.load_spin(store, i)) and s.spun]
    assert spun == ["06"], spun


def test_analysis_is_incremental(store, tmp_path):
    before = store.db.execute("SELECT count(*) FROM derivations").fetchone()[0]
    again = analyse(store, workers=1)
    assert again.analysed == 0
    assert again.figures["derivation"]["pairs_aligned"] == 0
    assert store.db.execute("SELECT count(*) FROM derivations").fetchone()[0] == before

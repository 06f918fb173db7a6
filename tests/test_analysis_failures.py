"""A per-document stage that raises on one document: the run goes on, the failure is
recorded with the document and the reason, and the next run tries that document again."""

from __future__ import annotations

import pytest

from sitrep.pipeline import analyse, ingest
from sitrep.store.db import Store
from sitrep.understand import annotate

TEXTS = {
    "a.txt": "The harbour board of Velmar approved a new ferry schedule on Tuesday. Ferries will run hourly.",
    "b.txt": "BOOM. The mayor of Ostrava Nova said the bridge would reopen in May, officials confirmed.",
    "c.txt": "Farmers near Lake Orin reported a late frost on Sunday night, the third this spring. "
             "The cooperative said losses were small and that the orchards on the eastern shore were spared.",
}


BROKEN = {"on": True}


def _exploding(sdoc, ann, doc):
    if BROKEN["on"] and doc.text.startswith("BOOM"):
        raise RuntimeError("component broke on purpose")


@pytest.fixture
def store(tmp_path, monkeypatch):
    pile = tmp_path / "pile"
    pile.mkdir()
    for name, text in TEXTS.items():
        (pile / name).write_text(text)
    original = annotate.components
    BROKEN["on"] = True
    monkeypatch.setattr(annotate, "components", lambda: original() + [_exploding])
    s = Store(tmp_path / "s.db")
    ingest([str(pile)], s, workers=1)
    yield s
    s.close()


def _annotated(store) -> set[str]:
    return {r[0] for r in store.db.execute(
        "SELECT d.locator FROM annotations a JOIN documents d ON d.id = a.document_id")}


def test_one_failing_document_does_not_stop_the_run(store):
    messages = []
    analyse(store, workers=1, log=messages.append)
    done = {loc.rsplit("/", 1)[-1] for loc in _annotated(store)}
    assert done == {"a.txt", "c.txt"}
    rows = store.db.execute("SELECT locator, reason, detail FROM errors WHERE reason = 'analysis_failed'").fetchall()
    assert len(rows) == 1
    locator, _, detail = rows[0]
    bad = store.db.execute("SELECT id FROM documents WHERE locator LIKE '%b.txt'").fetchone()[0]
    assert locator == f"analysis:annotate:{bad}" and "component broke on purpose" in detail
    assert any("failed: analysis:annotate:" in m for m in messages)
    # the corpus stages still ran on what was annotated
    assert store.db.execute("SELECT count(*) FROM stories").fetchone()[0] >= 1


def test_the_failed_document_is_retried_and_cleared_once_it_works(store):
    analyse(store, workers=1)
    BROKEN["on"] = False
    analyse(store, workers=1)
    assert len(_annotated(store)) == 3
    assert store.db.execute("SELECT count(*) FROM errors WHERE reason = 'analysis_failed'").fetchone()[0] == 0

"""The understanding layer as the pipeline runs it: annotation stored per
document, corpus stages incremental across runs, spans on spun documents
mapped back to the published text."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.pipeline import analyse, ingest
from sitrep.store import understanding as U
from sitrep.store.db import Store

FIRST = """Harbour ministers agree on a ferry pact

VALMORA, 3 March 2026 — Foreign Minister Oleksandr Kovalenko met his Istrian counterpart Teodora Marin in Valmora on Tuesday to sign a ferry agreement.

"This pact opens the strait to trade again," Kovalenko told reporters after the three-hour meeting.

Marin said the first ferries would sail next month.
"""

SECOND = """Ferry pact signed in Valmora

Oleksandr Kowalenko, the foreign minister, and Teodora Marin signed the ferry agreement in Valmora on 3 March 2026.

"We have waited ten years for this," Marin said. Kowalenko said the ferries would carry trucks first.
"""

THIRD = """Drought hits northern orchards

Farmers in the Ostral valley say the spring drought has cut the apple harvest by a third.

"We have never seen the river this low," said Ilse Brandt, who grows apples near Ostral.
"""


def _write(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("und")
    st = Store(tmp / "s.db")
    _write(tmp / "a", {"first.txt": FIRST})
    ingest([str(tmp / "a")], st, workers=1)
    analyse(st, workers=1)
    _write(tmp / "b", {"second.txt": SECOND, "third.txt": THIRD})
    ingest([str(tmp / "b")], st, workers=1)
    st.summary = analyse(st, workers=1)
    yield st
    st.close()


def test_every_document_is_annotated_once(store):
    anns = list(U.annotations(store))
    assert len(anns) == 3
    assert all(a.sentences and a.mentions for a in anns)
    assert store.summary.figures["understanding"]["documents"] == 2  # only the new ones


def test_identity_spans_runs_and_spellings(store):
    rows = store.db.execute(
        "SELECT i.name, i.documents FROM identities i WHERE i.label = 'PERSON' ORDER BY i.name").fetchall()
    people = {r[0]: r[1] for r in rows}
    kovalenko = [n for n in people if "Kovalenko" in n or "Kowalenko" in n]
    assert len(kovalenko) == 1 and people[kovalenko[0]] == 2, people
    assert people.get("Teodora Marin") == 2


def test_quotes_get_identities_and_single_source_marks(store):
    rows = store.db.execute(
        "SELECT i.name, s.single_source FROM quotes q JOIN quote_speakers s USING (document_id, seq) "
        "JOIN identities i ON i.id = s.identity_id WHERE q.kind = 'direct'").fetchall()
    marks = {name: single for name, single in rows}
    assert marks.get("Teodora Marin") == 0  # two independent documents know her
    assert marks.get("Ilse Brandt") == 1  # only one does


def test_stories_separate_the_ferry_pact_from_the_drought(store):
    by_story: dict[str, set[str]] = {}
    for doc_id, story in store.db.execute("SELECT document_id, story_id FROM story_documents"):
        title = store.document(doc_id).title
        by_story.setdefault(story, set()).add(title)
    groups = sorted(sorted(v) for v in by_story.values())
    assert groups == [["Drought hits northern orchards"],
                      ["Ferry pact signed in Valmora", "Harbour ministers agree on a ferry pact"]]


def test_a_rerun_with_nothing_new_changes_nothing(store):
    before = store.db.execute("SELECT * FROM identities ORDER BY id").fetchall()
    summary = analyse(store, workers=1)
    assert summary.analysed == 0
    assert store.db.execute("SELECT * FROM identities ORDER BY id").fetchall() == before


def test_spans_of_a_spun_document_are_mapped_to_the_published_text():
    from sitrep.model import Annotation, Mention, SpinMark
    from sitrep.understand.annotate import map_to_published

    published = "Talks successful Valmora ended. Kovalenko left."
    marks = [SpinMark(6, 16, "successful", "in", 0.9, "thesaurus")]
    restored = "Talks in Valmora ended. Kovalenko left."
    start = restored.index("Kovalenko")
    ann = Annotation("d", "x", sentences=[(0, 23), (24, len(restored))],
                     mentions=[Mention(start, start + 9, "Kovalenko", "PERSON", "name", "kovalenko")])
    moved = map_to_published(ann, marks)
    m = moved.mentions[0]
    assert published[m.start:m.end] == "Kovalenko"
    assert published[slice(*moved.sentences[0])] == "Talks successful Valmora ended."


def test_an_index_built_by_other_rules_is_rebuilt(store):
    """An upgrade that changes who is who (names.py, the lexicons) rebuilds the stored identity
    index from every annotation instead of adding to one built by the old rules."""
    import json
    import zlib

    from sitrep.understand.identities import IdentityIndex
    from sitrep.understand.stages import identity_rules

    before = store.db.execute("SELECT * FROM identities ORDER BY id").fetchall()
    with store.transaction():
        U.put_state(store, "identities", zlib.compress(json.dumps(IdentityIndex().to_rows()).encode()))
        U.put_state(store, "identity_rules", b"the rules of an older sitrep")
    analyse(store, workers=1)
    assert store.db.execute("SELECT * FROM identities ORDER BY id").fetchall() == before
    assert U.get_state(store, "identity_rules") == identity_rules()

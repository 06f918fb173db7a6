"""The corroboration stages' set-based store reads: the same answers as reading
item by item, in a bounded number of queries.

The store holds an invented situation (a river town closing its old bridge):
four documents with hand-made claims, two stories, claim groups and claim
vectors written through the project's own writers.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from sitrep.corroborate.stages import VECTOR_STAGE, VECTOR_VERSION, _DIGEST, claim_vectors
from sitrep.model import Annotation, Claim, ClaimGroup, Document, Quantity, item_id
from sitrep.store import corroboration as C
from sitrep.store import understanding as U
from sitrep.store.db import Store

TEXTS = [
    "The council closed the Linden bridge on Monday. Engineers found 14 cracked beams, the mayor said.",
    "The Linden bridge will stay closed for about three months, the council said on Tuesday.",
    "Ferries may carry cars across the river until the bridge reopens, a transport official said.",
    "A bakery on Quay Street opened a second shop.",
]


def _claims(doc_id: str, text: str, n: int) -> list[Claim]:
    out = []
    for k, sentence in enumerate(s for s in text.split(". ") if s):
        a = text.index(sentence)
        b = a + len(sentence)
        out.append(Claim(
            f"{doc_id}:{a}-{b}", doc_id, a, b, a, b, sentence, "council", "org:council", "close", "bridge",
            polarity=-1 if k % 2 else 1, modality="possible" if "may" in sentence else "asserted",
            hedges=("may",) if "may" in sentence else (), tense="past",
            numbers=(Quantity(14.0, "beam", "14", a, a + 2, "approx"),) if "14" in sentence else (),
            dates=("2025-10-06",) if n == 0 else (), places=("gpe:linden",), entities=("org:council", "gpe:linden"),
            speaker="the mayor" if n == 0 else "", speaker_key="per:mayor" if n == 0 else "",
            quote_kind="indirect" if n == 0 else "", checkworthy=0.25 * (n + 1)))
    return out


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = Store(tmp_path_factory.mktemp("stages") / "sitrep.db")
    ids = []
    with s.transaction():
        for n, text in enumerate(TEXTS):
            raw = f"bridge item {n}".encode()
            doc = Document(id=item_id("text", raw), locator=f"in/{n}.txt", kind="text", raw_sha256="", text=text)
            s.add_document(doc, raw)
            ids.append(doc.id)
            U.save_annotation(s, Annotation(doc.id, f"d{n}", claims=_claims(doc.id, text, n)), on_restored=False)
        s.db.executemany("INSERT INTO story_documents (document_id, story_id) VALUES (?, ?)",
                         [(ids[0], "st-bridge"), (ids[1], "st-bridge"), (ids[2], "st-bridge"), (ids[3], "st-bakery")])
        c = {d: [x.id for x in U._items(s, "claims", Claim, d)] for d in ids}
        groups = [
            ClaimGroup(f"g:{c[ids[0]][0]}", "st-bridge", "closed", [c[ids[1]][0], c[ids[0]][0]], [ids[0], ids[1]],
                       2, False, False, 0.5, "org:council", "close", "2025-10-06"),
            ClaimGroup(f"g:{c[ids[0]][1]}", "st-bridge", "cracks", [c[ids[0]][1]], [ids[0]], 1, True, False, 0.25),
            ClaimGroup(f"g:{c[ids[2]][0]}", "st-bridge", "ferries", [c[ids[2]][0]], [ids[2]], 1, True, True, 0.75),
            ClaimGroup(f"g:{c[ids[3]][0]}", "st-bakery", "bakery", [c[ids[3]][0]], [ids[3]], 1, True, False, 0.9),
        ]
        C.save_rows(s, C.group_rows(groups))
        # Claim vectors of documents 0 and 2 only; document 1 has a product of an older version.
        for n, version in ((0, VECTOR_VERSION), (2, VECTOR_VERSION), (1, VECTOR_VERSION - 1)):
            k = len(c[ids[n]])
            vecs = np.arange(2 * k * 384, dtype=np.float16).reshape(2 * k, 384) + n
            s.db.execute("INSERT INTO doc_products (document_id, stage, version, data) VALUES (?, ?, ?, ?)",
                         (ids[n], VECTOR_STAGE, version, b"0" * _DIGEST + vecs.tobytes()))
    s.ids = ids
    yield s
    s.close()


def _one_by_one(store: Store, doc_ids: list[str]) -> list[Claim]:
    return [c for d in doc_ids for c in U._items(store, "claims", Claim, d)]


class Queries:
    """Counts the SQL statements run on a store while active."""

    def __init__(self, store: Store):
        self.store, self.statements = store, []

    def __enter__(self):
        self.store.db.set_trace_callback(self.statements.append)
        return self

    def __exit__(self, *exc):
        self.store.db.set_trace_callback(None)


def test_story_claims_equal_the_per_document_reads(store):
    ids = store.ids
    for order in (ids, ids[::-1], [ids[2], "no-such-doc", ids[0]], []):
        assert C.story_claims(store, order) == _one_by_one(store, order)
    assert any(c.numbers and c.hedges for c in C.story_claims(store, ids))  # decoded, not JSON strings


def test_story_claims_is_one_query(store):
    with Queries(store) as q:
        C.story_claims(store, store.ids)
    assert len(q.statements) == 1


def test_claims_by_id_in_the_order_asked(store):
    every = _one_by_one(store, store.ids)
    asked = [every[3].id, "nope:1-2", every[0].id, every[3].id]
    got = C.claims_by_id(store, asked)
    assert list(got) == [every[3].id, every[0].id]
    assert got[every[0].id] == every[0]
    with Queries(store) as q:
        C.claims_by_id(store, [c.id for c in every])
    assert len(q.statements) == 1


def test_claims_by_id_takes_more_ids_than_sql_variables(store):
    every = _one_by_one(store, store.ids)
    asked = [f"x:{n}-{n}" for n in range(40_000)] + [every[-1].id]
    assert list(C.claims_by_id(store, asked)) == [every[-1].id]


def test_claim_groups_with_their_members(store):
    ids = store.ids
    bridge = C.claim_groups(store, "st-bridge")
    assert [g.label for g in bridge] == ["closed", "ferries", "cracks"]  # checkworthy x sources, then id
    closed = bridge[0]
    assert closed.claims == sorted(closed.claims) and len(closed.claims) == 2
    assert closed.documents == sorted([ids[0], ids[1]]) and closed.independent_sources == 2
    assert bridge[1].farm_only and bridge[2].single_source
    assert [g.label for g in C.claim_groups(store)] == ["closed", "bakery", "ferries", "cracks"]
    assert C.claim_groups(store, "st-unknown") == []
    with Queries(store) as q:
        C.claim_groups(store, "st-bridge")
    assert len(q.statements) == 2  # groups, and every member of them


def test_claim_vectors_follow_the_documents_order(store):
    ids = store.ids
    claims, sents = claim_vectors(store, [ids[2], ids[1], ids[0], ids[3]])
    k2, k0 = (len(U._items(store, "claims", Claim, ids[n])) for n in (2, 0))
    assert claims.shape == sents.shape == (k2 + k0, 384) and claims.dtype == np.float32
    # Document 2's vectors (offset by 2) first; document 1's stale version is not read.
    assert claims[0, 0] == 2 and claims[k2, 0] == 0
    assert sents[0, 0] == 2 + k2 * 384
    empty, _ = claim_vectors(store, [ids[1], ids[3]])
    assert empty.shape == (0, 384)
    with Queries(store) as q:
        claim_vectors(store, ids)
    assert len(q.statements) == 1


def test_only_documents_that_share_a_story_want_claim_vectors(store):
    from sitrep.corroborate.stages import DOC_STAGES, _shared_stories
    from sitrep.pipeline import _todo

    ids = store.ids  # 0-2: the bridge story; 3: the bakery, alone in its story
    assert _shared_stories(store) == set(ids[:3])
    # document 1's vectors are of an older version, document 3 has none: 3 waits until it shares a story
    stage = DOC_STAGES[0]
    assert ids[1] in _todo(store, stage) and ids[3] not in _todo(store, stage)
    assert ids[3] in _todo(store, dataclasses.replace(stage, wanted=None))

"""Tests for passage alignment, the derivation graph, wire syndication and semantic candidates.

The articles below are fictional and written for these tests.  Tests that use
the spinner or the paraphraser need Debian's ``mythes-en-us`` (skipped without
it, as in test_spinner.py); tests that use sentence vectors need the model
package, which ``sitrep.vectors`` requires loudly.
"""

import numpy as np
import pytest

from sitrep.model import Derivation, Document
from sitrep.provenance import wire
from sitrep.provenance.align import align, sentences
from sitrep.provenance.derivation import derive, derive_pair, origin_groups
from sitrep.provenance.semantic import document_vectors, neighbours, semantic_candidates, top_neighbours
from sitrep.synth import transform as T
from sitrep.synth.spinner import spin
from sitrep.synth.thesaurus import DEFAULT_PATH

FLOOD = """Floodwaters recede in Portville as cleanup begins.

PORTVILLE — The Kessel River dropped below flood stage on Tuesday morning, three days after it spilled over its banks and forced about 1,200 residents from their homes, county officials said.
Mayor Ilse Brandvold told reporters that crews had cleared debris from the main bridge and that the road to the regional hospital reopened shortly after dawn.
"We are not out of the water yet, but the worst is behind us," Brandvold said at a news conference outside the town hall.
The county emergency office estimated that 340 houses were damaged, most of them in the low-lying Millbrook neighborhood along the eastern bank.
Volunteers from neighboring towns arrived with pumps, generators and hundreds of sandbags, while the state sent two water purification trucks.
Farmers north of the town said the flood ruined much of the corn that was due to be harvested next month.
The weather office warned that more rain could fall later in the week, although forecasters expect the river to keep falling.
Residents who left their homes can collect cleaning kits at the fire station on Oak Street from Wednesday.
Insurance adjusters are expected to begin inspections by the end of the week, the mayor said.
The last flood of this size in Portville was recorded in 1987, when the river crested nearly a meter higher.
"""

BUDGET = """Larkspur council approves leaner budget after long debate.

LARKSPUR — The city council voted five to two on Monday night to approve a budget that trims spending on road repairs and delays the renovation of the central library by a year.
Council member Tomas Quirke argued that the library project had already waited too long and that its roof leaked every winter.
The finance director, Ruth Achterberg, said tax receipts had come in lower than projected because two factories closed in the spring.
Under the plan, the police and fire departments keep their current staffing, while parks lose four seasonal positions.
Several residents spoke against a proposed fee for curbside recycling, which the council dropped before the final vote.
The budget also sets aside money for new lighting on the riverside walking path, a request from neighborhood groups.
Achterberg warned that the city may need to revisit the numbers in January if receipts keep falling.
The mayor is expected to sign the budget later this week.
"""

# Another outlet's own report on the flood: it quotes the same statement and
# repeats one background fact, but is otherwise written independently.
FLOOD_OTHER = """Portville residents return to muddy streets.

Families in Portville began hauling soaked carpets and furniture to the curb on Tuesday as the Kessel River slipped back between its banks.
"We are not out of the water yet, but the worst is behind us," Brandvold said at a news conference outside the town hall.
Jonas Feld, who runs a hardware store on Front Street, said he had sold out of bleach and rubber boots by noon.
Church groups set up a kitchen in the school gym and served hot meals to anyone who asked.
Some homeowners said they had no flood insurance and did not know how they would pay for repairs.
A state senator who toured the town promised to ask for disaster aid from the federal government.
The last flood of this size in Portville was recorded in 1987, when the river crested nearly a meter higher.
"""

# A hand-written rewrite of the first half of FLOOD with few shared words.
FLOOD_REWRITE = """The Kessel River has fallen back under flood level, Portville authorities reported, ending a three-day emergency that pushed roughly 1,200 people out of their houses.
Work teams have removed wreckage from the town's principal bridge, and the route to the area medical center was open again soon after sunrise, according to Brandvold, the town's mayor.
Emergency managers for the county believe about 340 dwellings suffered harm, chiefly in Millbrook, a neighborhood sitting low beside the river's east side.
Helpers came from nearby communities bringing pumps, generators and sandbags by the hundred, and the state dispatched a pair of trucks that clean drinking water.
Growers living north of Portville reported that the high water destroyed a large part of the corn crop meant for next month's harvest.
"""


def doc(doc_id, text, published=None, source=None, author=None, url=None):
    return Document(id=doc_id, locator=doc_id, kind="text", raw_sha256="", text=text,
                    published=published, source=source, author=author, url=url)


needs_thesaurus = pytest.mark.skipif(not DEFAULT_PATH.is_file(), reason="mythes-en-us not installed")


@pytest.fixture(scope="module")
def embedder():
    from sitrep.vectors import CachedEmbedder

    return CachedEmbedder()


# -- sentences and alignment -----------------------------------------------------------------


def test_sentence_splitter_keeps_abbreviations_and_lines():
    text = "Mr. Lund met U.S. officials on Friday. He left at 5 p.m. Monday.\nA new line starts here!"
    got = [text[s:e] for s, e in sentences(text)]
    assert got == ["Mr. Lund met U.S. officials on Friday.", "He left at 5 p.m. Monday.",
                   "A new line starts here!"]


def test_verbatim_alignment_is_one_verbatim_passage_per_run():
    al = align(FLOOD, FLOOD)
    assert al.coverage_origin == al.coverage_copy == 1.0
    assert al.order == 1.0
    assert al.kinds == {"verbatim": 1.0}
    assert len(al.passages) == 1
    p = al.passages[0]
    assert FLOOD[p.origin_start:p.origin_end] == FLOOD[p.copy_start:p.copy_end]


def test_trimmed_copy_covers_itself_but_not_its_origin():
    copy = T.trimmed(FLOOD, seed=3)
    al = align(FLOOD, copy)
    assert al.coverage_copy == 1.0
    assert 0.4 < al.coverage_origin < 0.9
    assert al.absent_origin  # the dropped sentences
    assert all(p.kind == "verbatim" for p in al.passages)
    for p in al.passages:  # offsets point at the same words on both sides
        assert FLOOD[p.origin_start:p.origin_end] == copy[p.copy_start:p.copy_end]


def test_shuffled_copy_is_out_of_order():
    copy = T.shuffled(FLOOD, seed=5)
    al = align(FLOOD, copy)
    assert al.coverage_copy == 1.0 and al.coverage_origin == 1.0
    assert al.order < 0.8


@needs_thesaurus
def test_spun_copy_aligns_as_spun_and_recovers_the_substitutions():
    res = spin(FLOOD, rate=0.3, seed=11)
    al = align(FLOOD, res.text)
    assert al.coverage_copy > 0.95
    assert al.kinds.get("spun", 0) > 0.5
    found = {(x, y) for x, y in al.substitutions}
    planted = {(s.original.lower(), s.replacement.lower()) for s in res.substitutions}
    assert len(found & planted) >= 0.8 * len(planted)


def test_paraphrase_needs_vectors(embedder):
    without = align(FLOOD, FLOOD_REWRITE)
    with_vec = align(FLOOD, FLOOD_REWRITE, embed=embedder)
    assert without.coverage_copy < 0.3
    assert with_vec.coverage_copy > 0.75
    assert with_vec.kinds.get("paraphrase", 0) > 0.5
    # The rewrite follows the first half of the origin, in order.
    assert with_vec.order == 1.0
    assert 0.3 < with_vec.coverage_origin < 0.75


@needs_thesaurus
def test_transformer_paraphrase_aligns_as_rewrite(embedder):
    para = T.paraphrased(FLOOD, seed=2)
    edge = derive_pair(doc("o", FLOOD, "2024-05-01"), doc("c", para, "2024-05-02"), embed=embedder)
    assert edge is not None
    assert (edge.origin_id, edge.copy_id) == ("o", "c")
    assert edge.relation == "rewrite"
    assert edge.coverage_copy > 0.8


# -- relatedness and direction -----------------------------------------------------------------


def test_unrelated_and_shared_quote_pairs_give_no_edge():
    assert derive_pair(doc("a", FLOOD), doc("b", BUDGET)) is None
    # A shared quote and a shared background sentence are not a derivation.
    assert derive_pair(doc("a", FLOOD), doc("b", FLOOD_OTHER)) is None


def test_direction_from_dates():
    e = derive_pair(doc("y", FLOOD, "2024-05-02"), doc("x", FLOOD, "2024-05-01"))
    assert (e.origin_id, e.copy_id, e.relation) == ("x", "y", "duplicate")
    assert e.direction == ["dates: x 2024-05-01 before y 2024-05-02"]
    wrapped = T.wrapped(FLOOD, seed=1)
    e = derive_pair(doc("site", wrapped, "2024-05-03"), doc("orig", FLOOD, "2024-05-01"))
    assert (e.origin_id, e.copy_id) == ("orig", "site")
    assert e.direction[0].startswith("dates:") and e.direction[1].startswith("containment:")


def test_conflicting_signals_leave_direction_undetermined():
    # The chrome-wrapped page is dated earlier: dates and containment disagree.
    wrapped = T.wrapped(FLOOD, seed=1)
    e = derive_pair(doc("site", wrapped, "2024-05-01"), doc("orig", FLOOD, "2024-05-03"))
    assert e.direction[0] == "undetermined"
    assert {d.split(":")[1].strip() for d in e.direction[1:]} == {"dates", "containment"}


def test_undated_duplicates_are_undetermined():
    dated = derive_pair(doc("x", FLOOD, "2024-05-01"), doc("y", FLOOD, "2024-05-02"))
    e = derive_pair(doc("x", FLOOD), doc("y", FLOOD))
    assert e.relation == "duplicate"
    assert e.direction == ["undetermined"]
    assert e.confidence < dated.confidence


@needs_thesaurus
def test_direction_from_spin_without_dates():
    spun = spin(FLOOD, rate=0.3, seed=11).text
    for a, b in (("orig", "spun"), ("spun", "orig")):  # input order must not matter
        texts = {"orig": FLOOD, "spun": spun}
        e = derive_pair(doc(a, texts[a]), doc(b, texts[b]))
        assert (e.origin_id, e.copy_id) == ("orig", "spun")
        assert e.relation == "spun"
        assert e.direction[0].startswith("spin:")


def test_direction_from_containment_trimmed_and_wrapped():
    trimmed = T.trimmed(FLOOD, seed=3)
    e = derive_pair(doc("aaa-copy", trimmed), doc("zzz-full", FLOOD))
    assert (e.origin_id, e.copy_id, e.relation) == ("zzz-full", "aaa-copy", "trimmed")
    assert e.direction[0].startswith("containment:") and "trimmed" in e.direction[0]

    wrapped = T.wrapped(FLOOD, seed=4)
    e = derive_pair(doc("aaa-site", wrapped), doc("zzz-orig", FLOOD))
    assert (e.origin_id, e.copy_id, e.relation) == ("zzz-orig", "aaa-site", "copy")
    assert "chrome" in e.direction[0]


def test_direction_from_credit_line():
    copy = T.wrapped(FLOOD, seed=6, credit="The Kessel Valley Ledger")
    e = derive_pair(doc("a", copy), doc("b", FLOOD, source="Kessel Valley Ledger"))
    assert e.origin_id == "b"
    assert e.direction[0] == "credit: a says it was originally published by Kessel Valley Ledger"


# -- wire services ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text,key,kind", [
    ("WASHINGTON (AP) — Lawmakers met on Tuesday.", "ap", "dateline"),
    ("NEW YORK, Nov. 19 (UPI) — The index fell.", "upi", "dateline"),
    ("Aug 27 (Reuters) - The company said on Friday it would expand.", "reuters", "dateline"),
    ("PARIS (AFP) – Ministers met.", "afp", "dateline"),
    ("Headline\nBy Jane Roe, Associated Press\nThe vote was close.", "ap", "byline"),
    ("The plant will close.\n\n(Reporting by Ann Lee; Editing by Tom Hart)", "reuters", "credit"),
    ("The plant will close.\n\n— Reuters", "reuters", "credit"),
    ("Copyright 2016 The Associated Press. All rights reserved.", "ap", "credit"),
])
def test_wire_credits_in_text(text, key, kind):
    credits = wire.find_credits(text)
    assert (key, kind) in {(c.key, c.kind) for c in credits}


def test_unknown_agency_is_recognised_by_pattern_and_expanded():
    d = doc("x", "PORTVILLE, Maine (NWS) — The river fell.\nMore text here.", author="Ada Kim; Northeast Wire Service")
    w = wire.wire_credit(d)
    assert (w.key, w.agency, w.kind) == ("nws", "Northeast Wire Service", "dateline")
    kinds = {c.kind for c in wire.document_credits(d)}
    assert kinds == {"dateline", "metadata"}


@pytest.mark.parametrize("text", [
    "Sen. Jane Doe (D) — a veteran of the committee — voted no.",
    "The senator told Reuters on Monday that she would run.",
    "A protester holds a sign. Jim Doe / Reuters.",
    "Associated Press writers Ann Lee and Tom Hart contributed to this report.",
    "She worked for years as a wire service reporter before joining the paper.",
])
def test_not_a_wire_reprint(text):
    assert wire.wire_credit(doc("x", text)) is None


def test_agency_site_and_origin_credits():
    assert wire.is_agency_publication(doc("x", "Text.", url="https://www.reuters.com/world/x"), "reuters")
    assert wire.is_agency_publication(doc("x", "Text.", source="Associated Press"), "ap")
    assert not wire.is_agency_publication(doc("x", "WASHINGTON (AP) — Text.", source="Daily Bugle"), "ap")
    credits = wire.origin_credits("Body.\nThis story was originally published by The Granite Observer.\nAds")
    assert [c.name for c in credits] == ["Granite Observer"]


def wire_story(place="PORTVILLE", tag="NWS"):
    return FLOOD.replace("PORTVILLE —", f"{place} ({tag}) —")


def test_syndicated_reprints_share_a_virtual_origin(embedder):
    story = wire_story()
    docs = {
        "r1": doc("r1", T.wrapped(story, seed=1), "2024-05-02", author="Northeast Wire Service"),
        "r2": doc("r2", T.trimmed(story, seed=2), "2024-05-01"),
        "rw": doc("rw", FLOOD_REWRITE, "2024-05-03"),  # uncredited rewrite
        "other": doc("other", BUDGET, "2024-05-01"),
    }
    edges = derive([("r1", "r2"), ("r1", "rw"), ("r2", "rw"), ("r1", "other")], docs, embed=embedder)
    by_pair = {(e.origin_id, e.copy_id): e for e in edges}
    syn = by_pair[("r2", "r1")]
    assert syn.relation == "syndicated" and syn.direction[0].startswith("syndicated:nws:")
    rewrite_edges = [e for e in edges if e.copy_id == "rw"]
    assert rewrite_edges and all(e.relation == "rewrite" for e in rewrite_edges)
    assert all(e.direction[0].startswith("wire:") for e in rewrite_edges)
    groups = origin_groups(list(docs), edges, docs)
    assert groups["r1"] == groups["r2"] == ("wire:nws:r2", "syndicated")
    assert groups["rw"] == ("wire:nws:r2", "rewrite")
    assert groups["other"] == ("other", "origin")


def test_agency_own_publication_is_the_origin():
    story = wire_story(tag="AP")
    a = doc("agency", story, "2024-05-02", source="Associated Press")
    r = doc("reprint", T.wrapped(story, seed=3), "2024-05-01")
    e = derive_pair(a, r)
    assert (e.origin_id, e.copy_id) == ("agency", "reprint")
    assert e.direction[0] == "wire: agency is Associated Press's own publication"
    assert any(d.startswith("against: dates") for d in e.direction)


# -- origin groups ---------------------------------------------------------------------------------


def edge(o, c, relation="copy", confidence=0.9, direction=("dates: x",)):
    return Derivation(o, c, relation, 1.0, 1.0, confidence, list(direction))


def test_origin_groups_on_a_small_graph():
    edges = [
        edge("a", "b"),
        edge("a", "c", "spun"),
        edge("c", "d", "trimmed"),  # a copy of a copy
        edge("e", "f", "duplicate", 0.7, ["undetermined"]),
        edge("g", "h", "rewrite", 0.3),  # too weak to merge
        edge("x", "y", "rewrite"),
    ]
    docs = {i: doc(i, "t", "2024-01-0%d" % (2 if i == "e" else 1)) for i in "abcdefghxy"}
    g = origin_groups("abcdefghxyz", edges, docs)
    assert g["a"] == ("a", "origin")
    assert g["b"] == ("a", "copy") and g["c"] == ("a", "spun_copy") and g["d"] == ("a", "copy")
    assert g["f"] == ("f", "origin") and g["e"] == ("f", "copy")  # undetermined: earliest date is root
    assert g["g"] == ("g", "origin") and g["h"] == ("h", "origin")
    assert g["y"] == ("x", "rewrite")
    assert g["z"] == ("z", "origin")  # no edges at all
    # Without documents the roots fall back to ids.
    g2 = origin_groups("ef", edges)
    assert g2["e"] == ("e", "origin") and g2["f"] == ("e", "copy")


def test_origin_groups_ignore_edges_to_unknown_documents():
    g = origin_groups(["a"], [edge("a", "b")])
    assert g == {"a": ("a", "origin")}


# -- semantic candidates -------------------------------------------------------------------------


def test_semantic_candidates_find_the_rewrite(embedder):
    ids = ["flood", "rewrite", "budget", "other"]
    texts = [FLOOD, FLOOD_REWRITE, BUDGET, FLOOD_OTHER]
    vecs = document_vectors(texts, embedder)
    assert vecs.shape == (4, 384)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    # Candidates are recall-minded: the other outlet's report on the same flood comes too ...
    pairs = semantic_candidates(ids, vecs, threshold=0.6)
    assert {(a, b) for a, b, _ in pairs} == {("flood", "rewrite"), ("flood", "other")}
    # ... and sentence alignment keeps only the rewrite.
    docs = {i: doc(i, t) for i, t in zip(ids, texts)}
    edges = derive(pairs, docs, embed=embedder)
    assert [(e.origin_id, e.copy_id, e.relation) for e in edges] in (
        [("flood", "rewrite", "rewrite")], [("rewrite", "flood", "rewrite")])


def test_blocked_neighbours_equal_one_block():
    rng = np.random.default_rng(0)
    v = rng.normal(size=(50, 16)).astype(np.float32)
    v[10] = v[3] + 0.05 * rng.normal(size=16)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    one = neighbours(v, k=3, threshold=0.3)
    small = neighbours(v, k=3, threshold=0.3, block_bytes=4 * 50 * 7)  # 7 rows per block
    assert [(i, j) for i, j, _ in one] == [(i, j) for i, j, _ in small]
    assert np.allclose([x for *_, x in one], [x for *_, x in small], atol=1e-6)
    assert (3, 10) in {(i, j) for i, j, _ in one}
    assert all(i < j for i, j, _ in one)
    q = top_neighbours(v[:2], v, k=1, threshold=-1.0)
    assert [(i, j) for i, j, _ in q] == [(0, 0), (1, 1)]


def test_vectors_are_deterministic(embedder):
    from sitrep.vectors import embed

    a = embed(["The river fell below flood stage."])
    b = embed(["The river fell below flood stage."])
    assert a.dtype == np.float32 and a.shape == (1, 384)
    assert np.array_equal(a, b)


# -- the example corpus -----------------------------------------------------------------------------


def test_example_corpus_copies(tmp_path):
    from sitrep.pipeline import ingest
    from sitrep.store.db import Store

    store = Store(tmp_path / "s.db")
    ingest(["examples/alaska-2025"], store, workers=1)
    docs = {d.id: d for d in store.documents()}
    name = {d.id: d.locator.rsplit("/", 1)[-1][:2] for d in docs.values()}
    by = {v + ("-2" if "line=2" in docs[k].locator else ""): k for k, v in name.items()}
    ids = sorted(docs)
    edges = derive([(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]], docs)
    got = {(name[e.origin_id], name[e.copy_id], e.relation) for e in edges}
    assert ("04", "06", "spun") in got
    assert ("02", "07", "syndicated") in got
    groups = origin_groups(ids, edges, docs)
    assert groups[by["06"]] == (by["04"], "spun_copy")
    assert groups[by["02"]] == groups[by["07"]] == (f"wire:hws:{by['02']}", "syndicated")
    # Nothing else is merged: the other articles are their own origins.
    others = [k for k in ids if k not in (by["02"], by["07"], by["06"])]
    assert all(groups[k] == (k, "origin") for k in others)

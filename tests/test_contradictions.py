"""Contradictions between documents of a story (sitrep.corroborate.contradictions).

Fixtures are about an invented situation: a flood in the river town of Varnholt
and its mayor, Ilse Brandauer.
"""

import sqlite3

import pytest

from sitrep.corroborate.contradictions import (contradiction_id, dates_overlap, find_contradictions,
                                               negations_differ, office, same_office, side_summary)
from sitrep.corroborate.matching import Conflict
from sitrep.model import Claim, Quantity, Role


def claim(doc, start, text, subject="the flood", subject_key="", predicate="kill", numbers=(), polarity=1,
          entities=(), dates=()):
    return Claim(id=f"{doc}:{start}-{start + len(text)}", document_id=doc, start=start, end=start + len(text),
                 sentence_start=start, sentence_end=start + len(text), text=text, subject=subject,
                 subject_key=subject_key, predicate=predicate, object="", polarity=polarity, numbers=tuple(numbers),
                 entities=tuple(entities), dates=tuple(dates))


def people(n, doc_start=0):
    return Quantity(float(n), "person", f"{n} people", doc_start, doc_start + 9)


TOLL = {
    "a1": claim("a1", 10, "The flood killed 12 people in Varnholt.", numbers=[people(12)]),
    "a2": claim("a2", 40, "The flood killed 12 people in Varnholt, officials said.", numbers=[people(12)]),  # copy of a1
    "b1": claim("b1", 5, "The flood killed 30 people in Varnholt.", numbers=[people(30)]),
    "c1": claim("c1", 7, "At least twelve people died when the flood hit Varnholt.", numbers=[people(12)]),
}
SOURCES = {"a1": "g:a1", "a2": "g:a1", "b1": "g:b1", "c1": "g:c1"}


def toll_contradictions(farm=()):
    claims = list(TOLL.values())
    conflicts = [Conflict(TOLL["a1"].id, TOLL["b1"].id, "number", "12 people", "30 people", 0.9),
                 Conflict(TOLL["a2"].id, TOLL["b1"].id, "number", "12 people", "30 people", 0.88)]
    group_of = {TOLL["a1"].id: "g1", TOLL["a2"].id: "g1", TOLL["c1"].id: "g1", TOLL["b1"].id: "g2"}
    return find_contradictions("s1", claims, conflicts, group_of, [], {}, SOURCES, set(farm), {})


def test_number_contradiction_merges_pairs_and_counts_origin_groups():
    found = toll_contradictions()
    assert len(found) == 1  # two conflicting pairs, one disputed point
    c = found[0]
    assert (c.kind, c.subject, c.topic) == ("number", "flood", "kill")
    assert (c.value_a, c.value_b) == ("12 person", "30 person")
    # side a gathers the whole claim group, c1 included though no conflict names it
    assert {x.document_id for x in c.side_a} == {"a1", "a2", "c1"}
    assert {x.document_id for x in c.side_b} == {"b1"}
    assert c.sources_a == 2  # a1 and its copy a2 count once, c1 is another source
    assert c.sources_b == 1
    assert not c.farm_a and not c.farm_b


def test_copies_of_one_origin_count_once():
    assert side_summary(["a1", "a2"], SOURCES, set()) == (1, False)
    assert side_summary(["a1", "a2", "b1"], SOURCES, set()) == (2, False)
    assert side_summary(["x"], {}, set()) == (1, False)  # a document without a group is its own source


def test_farm_only_side_is_flagged():
    c = toll_contradictions(farm={"b1"})[0]
    assert c.farm_b and not c.farm_a
    c = toll_contradictions(farm={"a1", "a2"})[0]
    assert not c.farm_a  # c1 is no farm page


def test_ids_are_stable_and_order_independent():
    a = toll_contradictions()[0]
    claims = list(reversed(TOLL.values()))
    conflicts = [Conflict(TOLL["b1"].id, TOLL["a1"].id, "number", "30 people", "12 people", 0.9)]
    group_of = {TOLL["a1"].id: "g1", TOLL["a2"].id: "g1", TOLL["c1"].id: "g1", TOLL["b1"].id: "g2"}
    b = find_contradictions("s1", claims, conflicts, group_of, [], {}, SOURCES, set(), {})[0]
    assert a.id == b.id == contradiction_id("s1", "number", "flood", "kill", "12 person", "30 person")
    assert (a.side_a, a.side_b) == (b.side_a, b.side_b)


def test_polarity_conflict_needs_different_negation_in_the_words():
    yes = claim("a1", 0, "The dam held.", subject="the dam", predicate="hold")
    no = claim("b1", 0, "The dam did not hold.", subject="the dam", predicate="hold", polarity=-1)
    also_no = claim("c1", 0, "Neither dam held.", subject="the dam", predicate="hold", polarity=1)
    conflicts = [Conflict(yes.id, no.id, "polarity", "affirmed", "negated", 0.9),
                 Conflict(also_no.id, no.id, "polarity", "affirmed", "negated", 0.9)]
    found = find_contradictions("s", [yes, no, also_no], conflicts, {}, [], {}, {}, set(), {})
    assert [(c.kind, {x.document_id for x in c.side_a}, {x.document_id for x in c.side_b}) for c in found] == \
        [("polarity", {"a1"}, {"b1"})]
    assert negations_differ("it held", "it did not hold") and not negations_differ("neither held", "none held")


def test_a_date_read_from_each_documents_own_today_is_no_conflict():
    """The same sentence with "today", published on two days, gives two dates a day apart."""
    a = claim("a1", 0, "The dam opened today.", subject="the dam", predicate="open", dates=["2031-05-02"])
    b = claim("b1", 0, "The dam opened today.", subject="the dam", predicate="open", dates=["2031-05-03"])
    c = claim("c1", 0, "The dam opened on 9 May.", subject="the dam", predicate="open", dates=["2031-05-09"])
    conflicts = [Conflict(a.id, b.id, "date", "2031-05-02", "2031-05-03", 0.9),
                 Conflict(a.id, c.id, "date", "2031-05-02", "2031-05-09", 0.9)]
    published = {"a1": "2031-05-02", "b1": "2031-05-03", "c1": "2031-05-10"}
    found = find_contradictions("s", [a, b, c], conflicts, {}, [], {}, {}, set(), published)
    assert [(x.value_a, x.value_b) for x in found] == [("2031-05-02", "2031-05-09")]
    # without publication dates the two readings stay a conflict
    assert len(find_contradictions("s", [a, b, c], conflicts, {}, [], {}, {}, set(), {})) == 2


def test_duration_disagreement_found_without_a_matching_conflict():
    ids = {("a", "mayor"): "per:brandauer", ("a", "governor"): "per:oduya", ("b", "mayor"): "per:brandauer",
           ("b", "governor"): "per:oduya", ("c", "mayor"): "per:brandauer", ("c", "governor"): "per:oduya"}
    hours = lambda n, t: Quantity(float(n), "hour", t, 0, 0, "approx")  # noqa: E731
    a = claim("a", 0, "The mayor and the governor ended about two hours of talks on the levee.",
              numbers=[hours(2, "about two hours")], entities=("mayor", "governor"), predicate="end")
    b = claim("b", 0, "Nearly six hours of talks between the mayor and the governor produced no plan.",
              numbers=[hours(6, "Nearly six hours")], entities=("mayor", "governor"), predicate="produce")
    c = claim("c", 0, "The mayor and the governor met for two hours of talks.",
              numbers=[hours(2, "two hours")], entities=("mayor", "governor"), predicate="meet")
    found = find_contradictions("s", [a, b, c], [], {}, [], ids, {}, {"b"}, {})
    assert len(found) == 1
    d = found[0]
    assert (d.kind, d.topic, d.value_a, d.value_b) == ("number", "duration of talks", "2 hour", "6 hour")
    assert {x.document_id for x in d.side_a} == {"a", "c"} and d.sources_a == 2
    assert d.farm_b and not d.farm_a


def roles(*specs):
    return [Role(ident, role, q, doc, 0, 10, date) for ident, role, q, doc, date in specs]


def test_former_and_current_at_the_same_time_is_a_role_contradiction():
    rs = roles(("per:brandauer", "mayor (varnholt)", "", "a", "2031-04-02"),
               ("per:brandauer", "mayor", "", "b", "2031-04-02"),
               ("per:brandauer", "mayor", "former", "f", "2031-04-02"),
               ("per:brandauer", "mayor", "", "u", ""))  # undated: overlaps everything
    found = find_contradictions("s", [], [], {}, rs, {}, {"a": "g", "b": "g"}, {"f"}, {})
    assert len(found) == 1
    c = found[0]
    assert (c.kind, c.subject, c.topic, c.value_a, c.value_b) == \
        ("role", "per:brandauer", "mayor", "former mayor", "mayor")
    assert {x.document_id for x in c.side_a} == {"f"} and c.farm_a and c.sources_a == 1
    assert {x.document_id for x in c.side_b} == {"a", "b", "u"} and c.sources_b == 2 and not c.farm_b


def test_former_role_dated_apart_is_no_contradiction():
    rs = roles(("per:brandauer", "mayor", "", "a", "2031-04-02"),
               ("per:brandauer", "mayor", "former", "f", "2034-09-30"))
    assert find_contradictions("s", [], [], {}, rs, {}, {}, set(), {}) == []
    # the document dates can come from ``dates`` when the roles carry none
    rs = roles(("per:brandauer", "mayor", "", "a", ""), ("per:brandauer", "mayor", "former", "f", ""))
    assert find_contradictions("s", [], [], {}, rs, {}, {}, set(), {"a": "2031-04-02", "f": "2034-09-30"}) == []
    assert len(find_contradictions("s", [], [], {}, rs, {}, {}, set(), {"a": "2031-04-02"})) == 1


def test_former_role_of_another_office_or_jurisdiction_is_no_contradiction():
    rs = roles(("per:brandauer", "mayor (varnholt)", "", "a", ""),
               ("per:brandauer", "mayor (keddin)", "former", "f", ""),
               ("per:brandauer", "senator", "former", "g", ""))
    assert find_contradictions("s", [], [], {}, rs, {}, {}, set(), {}) == []
    assert office("prime minister (norland)") == ("prime minister", "norland")
    assert same_office("president", "president (norland)") and not same_office("president (a)", "president (b)")
    assert dates_overlap("2031-04", "2031-04-02") and not dates_overlap("2031-04-01", "2031-04-02")


def test_two_holders_of_one_seat():
    rs = roles(("per:vance-ortel", "president (norland)", "", "a", "2031-04-02"),
               ("per:kira-lund", "president (norland)", "", "b", "2031-04-02"),
               ("per:kira-lund", "president (osterre)", "", "c", "2031-04-02"),
               ("per:tam-oyelaran", "president (norland)", "", "d", "2036-01-01"))
    found = find_contradictions("s", [], [], {}, rs, {}, {}, set(), {})
    assert [(c.kind, c.topic, c.value_a, c.value_b) for c in found] == \
        [("role", "president (norland)", "per:kira-lund", "per:vance-ortel")]


@pytest.mark.timeout(1800)
def test_seeds_former_president_contradiction(seeds_built):
    """001 (a content-farm page) calls Trump "former President"; 000, 002 and 004 call him President."""
    out, _ = seeds_built
    db = sqlite3.connect(out / "sitrep.db")
    docs = {i: loc.rsplit("/", 1)[-1][:3] for i, loc in db.execute("select id, locator from documents")}
    rows = db.execute("select topic, value_a, value_b, side_a, side_b, farm_a, farm_b from contradictions "
                      "where kind = 'role' and subject like '%trump%'").fetchall()
    assert rows, "no role contradiction about Trump"
    import json
    topic, va, vb, side_a, side_b, farm_a, farm_b = rows[0]
    assert "president" in topic and va.startswith("former")
    former = {docs[d] for d, _, _ in json.loads(side_a)}
    current = {docs[d] for d, _, _ in json.loads(side_b)}
    assert "001" in former and {"000", "002"} <= current
    assert farm_a  # 001 is a content-farm page


if __name__ == "__main__":
    pytest.main([__file__, "-q"])

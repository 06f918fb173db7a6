"""Identities across documents (sitrep.understand.identities).

Fixture articles are invented for these tests (a fictional Ukrainian foreign
minister spelled three ways, two unrelated Kowalskis); the seed test reads the
real articles in ../shared at run time.  Merge and incremental tests build
mentions by hand: the index is a pure function of them.
"""

from __future__ import annotations

import json

import pytest

from sitrep.model import Annotation, Mention, RoleMention
from sitrep.understand.identities import IdentityIndex, clusters, display_name
from sitrep.understand.mentions import find_mentions
from sitrep.understand.nlp import load_nlp

DOCS = {
    "a": "Ukrainian Foreign Minister Oleksandr Kovalenko opened the trade summit in Warsaw on Monday. "
         "Kovalenko said the tariff talks would take two days. The Kremlin said it was watching the "
         "summit closely. Tourists queued outside the Kremlin all week. The US delegation arrived late.",
    "b": "Oleksandr Kowalenko, the Ukrainian foreign minister, told German radio that a deal was near. "
         "Kowalenko added that U.S. negotiators had asked for more time.",
    "c": "At the closing session Olexandr Kovalenko thanked the hosts. America and Ukraine signed a "
         "memorandum on grain exports.",
    "d": "Anna Kowalski, Poland's finance minister, said the budget would cover the new tariffs. "
         "Kowalski spoke in Lublin. The United States was not represented.",
    "e": "Piotr Kowalski, a farmer near Lublin, said prices had fallen. Kowalski grows wheat.",
}


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.fixture(scope="module")
def built(nlp):
    idx = IdentityIndex()
    anns = {}
    for doc_id, text in DOCS.items():
        ann = Annotation(doc_id, "")
        find_mentions(nlp(text), ann, None)
        anns[doc_id] = ann
        idx.add(doc_id, ann.mentions, ann.roles, "2025-03-0" + str(len(anns)))
    return idx, anns


def by_variant(idx: IdentityIndex, form: str):
    hits = [i for i in idx.identities() if form in i.variants]
    assert len(hits) == 1, (form, hits)
    return hits[0]


def test_spellings_across_documents_are_one_identity(built):
    idx, _ = built
    kov = by_variant(idx, "Oleksandr Kovalenko")
    assert {"Oleksandr Kowalenko", "Olexandr Kovalenko", "Kowalenko", "Kovalenko"} <= set(kov.variants)
    assert kov.documents == ["a", "b", "c"]
    assert kov.label == "PERSON" and kov.name == "Oleksandr Kovalenko"


def test_same_surname_different_given_names_are_two_identities(built):
    idx, _ = built
    anna, piotr = by_variant(idx, "Anna Kowalski"), by_variant(idx, "Piotr Kowalski")
    assert anna.id != piotr.id
    assert anna.documents == ["d"] and piotr.documents == ["e"]
    assert by_variant(idx, "Oleksandr Kovalenko").id not in (anna.id, piotr.id)


def test_metonym_stands_for_the_country_and_is_not_the_building(built):
    idx, _ = built
    kremlins = [i for i in idx.identities() if i.name == "Kremlin"]
    assert len(kremlins) == 2
    actor = next(i for i in kremlins if i.stands_for)
    building = next(i for i in kremlins if not i.stands_for)
    assert actor.label == "ORG" and building.label == "FAC"
    russia = idx.identity(actor.stands_for)
    assert russia.name == "Russia" and russia.label == "GPE"
    assert idx.identity_of("a", "kremlin") == actor.id  # a speaker key reads as the actor


def test_country_names_are_one_identity(built):
    idx, _ = built
    us = [i for i in idx.identities() if i.name == "United States"]
    assert len(us) == 1
    assert {"US", "U.S.", "America", "United States"} <= set(us[0].variants)
    assert us[0].documents == ["a", "b", "c", "d"]


def test_roles_rows_carry_document_date_and_qualifier(built):
    idx, _ = built
    kov = by_variant(idx, "Oleksandr Kovalenko").id
    rows = [r for r in idx.roles() if r.identity == kov]
    assert {(r.role, r.qualifier, r.document_id, r.date) for r in rows} == {
        ("foreign minister (ukraine)", "", "a", "2025-03-01"),
        ("foreign minister (ukraine)", "", "b", "2025-03-02"),
    }
    anna = by_variant(idx, "Anna Kowalski").id
    assert [r.role for r in idx.roles() if r.identity == anna] == ["finance minister (poland)"]


def test_document_actors_counts_mentions(built):
    idx, anns = built
    actors = idx.document_actors("a")
    kov = by_variant(idx, "Oleksandr Kovalenko").id
    assert actors[kov] == sum(1 for m in anns["a"].mentions if m.key == "oleksandr kovalenko")
    assert actors[kov] >= 2
    assert list(actors)[0] == kov  # most mentioned first


# -- synthetic mentions: merges, dominance, increments ---------------------------------------


def person(text: str, key: str, start: int = 0) -> Mention:
    return Mention(start, start + len(text), text, "PERSON", "name", key)


def test_bare_surname_between_two_people_then_merged_when_evidence_comes():
    idx = IdentityIndex()
    rune = idx.add("d1", [person("Rune Halvorsen", "rune halvorsen")])["PERSON:rune halvorsen"]
    ragnar = idx.add("d2", [person("Ragnar Halvorsen", "ragnar halvorsen")])["PERSON:ragnar halvorsen"]
    bare = idx.add("d3", [person("Halvorsen", "halvorsen")])["PERSON:halvorsen"]
    assert bare not in (rune, ragnar)  # one document each: neither dominates
    idx.add("d4", [person("Rune Halvorsen", "rune halvorsen"), person("Halvorsen", "halvorsen", 20)])
    assert idx.merges == [(bare, rune, "d4")]
    assert idx.links("d3") == {"PERSON:halvorsen": rune}
    assert idx.identity(bare).id == rune
    assert idx.identity(rune).documents == ["d1", "d3", "d4"]


def test_bare_surname_goes_to_a_dominant_person():
    idx = IdentityIndex()
    for d in ("d1", "d2"):
        idx.add(d, [person("Rune Halvorsen", "rune halvorsen")])
    ragnar = idx.add("d3", [person("Ragnar Halvorsen", "ragnar halvorsen")])["PERSON:ragnar halvorsen"]
    got = idx.add("d4", [person("Halvorsen", "halvorsen")])["PERSON:halvorsen"]
    assert got == "per:rune-halvorsen" and got != ragnar


def test_a_full_name_does_not_join_through_a_bare_lookalike():
    # "Baer" and "Barrie" both fit a lone "Bare", yet Tobias Baer is not Orla Barrie
    idx = IdentityIndex()
    orla = idx.add("d1", [person("Orla Barrie", "orla barrie")])["PERSON:orla barrie"]
    assert idx.add("d2", [person("Bare", "bare")])["PERSON:bare"] == orla
    tobias = idx.add("d3", [person("Tobias Baer", "tobias baer")])["PERSON:tobias baer"]
    assert tobias != orla


def test_a_short_surname_joins_only_its_own_spelling():
    # "Ren" and a bare "Rean" share a skeleton and score 0.925, but one letter is a third of the name
    idx = IdentityIndex()
    ren = idx.add("d1", [person("Haru Ren", "haru ren")])["PERSON:haru ren"]
    assert idx.add("d2", [person("Rean", "rean")])["PERSON:rean"] != ren
    assert idx.add("d3", [person("Ren", "ren")])["PERSON:ren"] == ren


def test_mislabelled_surname_joins_its_person():
    idx = IdentityIndex()
    idx.add("d1", [person("Mira Sandoval", "mira sandoval")])
    org = Mention(0, 8, "Sandoval", "ORG", "name", "sandoval")
    assert idx.add("d2", [org]) == {"ORG:sandoval": "per:mira-sandoval"}


STREAM = [
    ("s1", [person("Rune Halvorsen", "rune halvorsen"), Mention(20, 27, "Kremlin", "ORG", "metonym", "kremlin")],
     [RoleMention("rune halvorsen", "mayor (norway)", 0, 5)], "2025-01-01"),
    ("s2", [person("Ragnar Halvorsen", "ragnar halvorsen"), Mention(30, 36, "Russia", "GPE", "name", "russia")],
     [], "2025-01-02"),
    ("s3", [person("Halvorsen", "halvorsen")], [], "2025-01-03"),
    ("s4", [person("Rune Halvorsen", "rune halvorsen"), person("Halvorsen", "halvorsen", 20)],
     [RoleMention("rune halvorsen", "mayor (norway)", 0, 5, "former")], "2025-01-04"),
    ("s5", [person("R. Halvorsen", "r halvorsen"), Mention(0, 4, "NATO", "ORG", "name", "nato")], [], ""),
    ("s6", [Mention(0, 34, "North Atlantic Treaty Organization", "ORG", "name",
                    "north atlantic treaty organization")], [], ""),
]


def test_incremental_through_rows_equals_one_run():
    whole = IdentityIndex()
    whole.add_many(STREAM)
    for cut in range(1, len(STREAM)):
        part = IdentityIndex()
        part.add_many(STREAM[:cut])
        resumed = IdentityIndex.from_rows(json.loads(json.dumps(part.to_rows())))
        assert resumed.documents() == [d for d, *_ in STREAM[:cut]] and "s1" in resumed
        resumed.add_many(STREAM[cut:])
        assert resumed.to_rows() == whole.to_rows()
        assert resumed.identities() == whole.identities()
        assert resumed.roles() == whole.roles()


def test_ids_stable_and_adding_twice_is_a_no_op():
    one, two = IdentityIndex(), IdentityIndex()
    one.add_many(STREAM)
    two.add_many(STREAM)
    assert [i.id for i in one.identities()] == [i.id for i in two.identities()]
    before = one.to_rows()
    assert one.add("s1", STREAM[0][1], STREAM[0][2], "2025-01-01") == one.links("s1")
    assert one.to_rows() == before


def test_acronym_and_expansion_are_one_organisation():
    idx = IdentityIndex()
    idx.add_many(STREAM)
    nato = [i for i in idx.identities() if "NATO" in i.variants]
    assert len(nato) == 1 and "North Atlantic Treaty Organization" in nato[0].variants


def test_clusters_and_display_name():
    ms = [person("Vladimir Putin", "vladimir putin"),
          Mention(20, 25, "Putin", "PERSON", "short", "vladimir putin"),
          Mention(30, 32, "He", "PERSON", "pronoun", "vladimir putin"),
          Mention(40, 58, "the Russian leader", "PERSON", "description", "")]
    (c,) = clusters(ms)
    assert c.doc_key == "PERSON:vladimir putin" and c.mentions == 3
    assert dict(c.variants) == {"Vladimir Putin": 1, "Putin": 1}
    from collections import Counter
    v = Counter({"Zelenskyy": 7, "Volodymyr Zelenskiy": 1, "Volodymyr Zelenskyy": 1, "Zelensky": 2})
    assert display_name(Counter({"volodymyr zelenskyy": 11}), v, "PERSON") == "Volodymyr Zelenskyy"
    # a people is named as a group, however often its adjective is written
    v = Counter({"Norlander": 9, "Norlanders": 4})
    assert display_name(Counter({"norlander": 13}), v, "NORP") == "Norlanders"


# -- the seed articles ------------------------------------------------------------------------


def test_seed_identities(seeds, nlp):
    idx = IdentityIndex()
    for path in sorted(seeds.glob("*.txt")):
        ann = Annotation(path.name[:3], "")
        find_mentions(nlp(path.read_text("utf-8")), ann, None)
        idx.add(ann.document_id, ann.mentions, ann.roles, "")
    people = [i for i in idx.identities() if i.label == "PERSON"]

    def one(surname_stem: str):
        hits = [i for i in people if any(surname_stem in v.lower() for v in i.variants)]
        assert len(hits) == 1, (surname_stem, hits)
        return hits[0]

    trump, putin = one("trump"), one("putin")
    assert len(trump.documents) == 5 and len(putin.documents) == 5
    zel = [i for i in people if any(v.lower().startswith(("zelensk", "selensk")) or " zelensk" in v.lower()
                                    for v in i.variants)]
    assert len(zel) == 1
    spellings = {v.split()[-1] for v in zel[0].variants}
    assert {"Zelenskiy", "Zelenskyy", "Selenskyj"} <= spellings
    roles = {(r.identity, r.role, r.qualifier, r.document_id) for r in idx.roles()}
    assert (trump.id, "president (united states)", "former", "001") in roles
    assert (trump.id, "president (united states)", "", "004") in roles  # as 004 states it
    assert (one("rubio").id, "secretary of state", "", "000") in roles
    assert (one("witkoff").id, "specialist (united states)", "", "001") in roles
    assert (one("darchiev").id, "ambassador to united states (russia)", "", "004") in roles
    kremlin = [i for i in idx.identities() if i.name == "Kremlin" and i.stands_for]
    assert kremlin and idx.identity(kremlin[0].stands_for).name == "Russia"

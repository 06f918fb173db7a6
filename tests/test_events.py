"""Events: triggers, actors, place, date, tense, duration; and the seed corpus's timeline.

Invented fixtures (two prime ministers, Ada Brenn and Tomas Kell, and their
talks in Lisbon) test the rules; the real seed articles in
../shared/corpus/alaska-2025 test the whole chain: times → events → timeline.
Mentions come from spaCy's entities (key: the lower-cased text), standing in
for the mentions component.
"""

from pathlib import Path

import pytest

from sitrep.model import Annotation, Mention
from sitrep.understand import timeline as T
from sitrep.understand.events import event_class, find_events, trigger_class
from sitrep.understand.timex import find_times

LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT")


@pytest.fixture(scope="module")
def nlp():
    from sitrep.understand.nlp import load_nlp

    return load_nlp()


def annotate(nlp, text: str, published: str = "", doc_id: str = "d") -> Annotation:
    sdoc = nlp(text)
    ann = Annotation(doc_id, doc_id, published=published, published_from="input" if published else "none")
    ann.mentions = [Mention(e.start_char, e.end_char, e.text, e.label_, "name", e.text.lower())
                    for e in sdoc.ents if e.label_ in LABELS]
    find_times(sdoc, ann, None)
    find_events(sdoc, ann, None)
    return ann


def the(ann: Annotation, trigger: str):
    found = [e for e in ann.events if e.trigger == trigger]
    assert found, [e.trigger for e in ann.events]
    return found[0]


def test_future_meeting_with_actors_place_and_date(nlp):
    a = annotate(nlp, "Prime Minister Ada Brenn will meet President Tomas Kell in Lisbon next Friday.", "2025-03-12")
    e = the(a, "meet")
    assert (e.tense, e.place, e.date) == ("future", "lisbon", "2025-03-14")
    assert e.actors == ["ada brenn", "tomas kell"]
    assert (e.start, e.end) == (0, len("Prime Minister Ada Brenn will meet President Tomas Kell in Lisbon next Friday."))


def test_planned_event_without_a_date_keeps_the_relative_code(nlp):
    a = annotate(nlp, "A meeting between Ada Brenn and Tomas Kell is set to take place in Lisbon next Friday.")
    e = the(a, "meeting")
    assert (e.tense, e.place, e.date) == ("future", "lisbon", "rel:WD5N")
    assert e.actors == ["ada brenn", "tomas kell"]


def test_past_talks_with_duration(nlp):
    a = annotate(nlp, "Ada Brenn and Tomas Kell spent three hours in talks in Lisbon on Friday.", "2025-03-22")
    e = the(a, "talk")
    assert (e.tense, e.place, e.date, e.duration) == ("past", "lisbon", "2025-03-21", "PT3H")


def test_duration_from_a_fragment_before_the_sentence(nlp):
    a = annotate(nlp, "Two hours. That is how long Ada Brenn and Tomas Kell spent in talks in Lisbon.")
    assert the(a, "talk").duration == "PT2H"


def test_offsets_and_frames_are_not_durations(nlp):
    a = annotate(nlp, "A week before the summit, Ada Brenn and Tomas Kell agreed to meet in Lisbon.", "2025-03-12")
    assert the(a, "meet").duration == ""


def test_a_duration_beyond_what_the_event_can_last_is_not_its_duration(nlp):
    a = annotate(nlp, "Ada Brenn met Tomas Kell for 90 minutes in Lisbon on Friday.", "2025-03-22")
    assert the(a, "meet").duration == "PT90M"
    # a count of hours past three days is a total (flight hours), not one trip
    a = annotate(nlp, "Records show the jet of Ada Brenn flew about 333 hours to Lisbon between June and March.")
    assert the(a, "fly").duration == ""
    # a term, not how long the event took
    a = annotate(nlp, "Tomas Kell was elected in Lisbon for four years in 2019.", "2025-03-22")
    assert the(a, "elect").duration == ""
    a = annotate(nlp, "Tomas Kell has gone 271 days without a news conference in Lisbon.", "2025-03-22")
    assert the(a, "conference").duration == ""


def test_how_long_an_event_can_last_depends_on_its_class():
    from sitrep.understand.events import lasts

    assert lasts("meet", "PT3H") and lasts("meet", "P2D") and lasts("meet", "PXD")
    assert not lasts("meet", "P18Y") and not lasts("call", "P50D") and not lasts("meet", "P1Y6M")
    assert lasts("visit", "P3D") and not lasts("visit", "PT216H") and not lasts("visit", "P4Y")
    assert lasts("negotiate", "PXM") and lasts("ceasefire", "PT72H") and not lasts("ceasefire", "PT96H")
    assert not lasts("elect", "P2M") and not lasts("attack", "PT20M") and not lasts("meet", "")


@pytest.mark.parametrize("text", [
    "The city council voted on Monday to close the harbour bridge.",
    "Senators voted against the port bill on Tuesday.",
    "The Senate vote on the port bill is set for Tuesday.",
    "A vote on the treaty is expected in June.",
    "The convention began the roll call vote on Tuesday.",
    "Senator Ada Brenn voted against the background checks proposal on Monday.",
])
def test_a_vote_a_body_holds_is_an_event(nlp, text):
    assert [e for e in annotate(nlp, text, "2025-03-12").events if e.trigger == "vote"]


@pytest.mark.parametrize("text", [
    "Asked about Ada Brenn, she said she would vote for her.",
    "Supporters who are not registered to vote will be called.",
    "More than 13 million people cast a vote for Ada Brenn.",
    "The black vote in the port cities seems hostile to Ada Brenn.",
    "Ada Brenn won 13 million votes.",
    "The union began to get out the vote for Tomas Kell.",
    "Cory Vance said he could never vote for the nominee Ada Brenn.",
    "Young people voted for the first time.",
])
def test_a_ballot_a_bloc_or_a_tally_is_no_vote_event(nlp, text):
    assert [e.trigger for e in annotate(nlp, text, "2025-03-12").events if e.trigger == "vote"] == []


def test_the_place_a_visit_names_as_its_object_is_where_not_who(nlp):
    e = the(annotate(nlp, "Ada Brenn visited Portugal on Saturday, holding a rally in Porto.", "2025-03-17"), "visit")
    assert (e.place, e.actors, e.date) == ("portugal", ["ada brenn"], "2025-03-15")
    e = the(annotate(nlp, "Ada Brenn visited Tomas Kell in Lisbon.", "2025-03-17"), "visit")
    assert (e.place, e.actors) == ("lisbon", ["ada brenn", "tomas kell"])


def test_a_journey_is_made_by_people_not_by_places_or_outlets(nlp):
    e = the(annotate(nlp, "Iowa and Ada Brenn travelled to Des Moines on Friday.", "2025-03-17"), "travel")
    assert (e.place, e.actors) == ("des moines", ["ada brenn"])
    e = the(annotate(nlp, "Ada Brenn and NBC News travelled to Denver.", "2025-03-17"), "travel")
    assert e.actors == ["ada brenn"]
    e = the(annotate(nlp, "Ada Brenn visited Richmond, Virginia, on Friday.", "2025-03-17"), "visit")
    assert (e.place, e.actors) == ("richmond", ["ada brenn"])


def test_a_people_named_in_the_singular_is_no_actor(nlp):
    e = the(annotate(nlp, "A Republican met Tomas Kell in Oslo on Friday.", "2025-03-17"), "meet")
    assert e.actors == ["tomas kell"]
    e = the(annotate(nlp, "Ada Brenn and a Norwegian met in Oslo on Friday.", "2025-03-17"), "meet")
    assert e.actors == ["ada brenn"]
    e = the(annotate(nlp, "Norwegians met Tomas Kell in Oslo on Friday.", "2025-03-17"), "meet")
    assert "norwegians" in e.actors
    # alone, the unnamed person still keeps the event apart from other meetings
    e = the(annotate(nlp, "He did not need to meet with a Norwegian in Oslo.", "2025-03-17"), "meet")
    assert e.actors == ["norwegian"]


@pytest.mark.parametrize("text", [
    "Kell polarized the town with xenophobic attacks on dockers and sailors.",
    "Brenn answered his personal attacks in Lisbon on Friday.",
    "Kell ran an attack ad against Brenn in Oslo on Friday.",
])
def test_an_attack_in_words_is_no_attack_event(nlp, text):
    assert [e.trigger for e in annotate(nlp, text, "2025-03-17").events if e.trigger in ("attack", "attacks")] == []


def test_nominal_event_with_its_date_and_tense_cues(nlp):
    a = annotate(nlp, "The invasion of Moldavia in March 2019 changed everything.", "2025-03-12")
    e = the(a, "invasion")
    assert (e.date, e.tense) == ("2019-03", "past")
    assert the(annotate(nlp, "The upcoming summit worries fishermen."), "summit").tense == "future"
    assert the(annotate(nlp, "The recent summit worried fishermen."), "summit").tense == "past"


def test_bounds_do_not_date_an_event(nlp):
    a = annotate(nlp, "This meeting is the first between the two since the summer of 2021.", "2025-03-12")
    assert the(a, "meeting").date == ""


def test_relative_clause_takes_its_antecedent_date(nlp):
    a = annotate(nlp, "They have not talked since the summer of 2021, when Ada Brenn met Tomas Kell in Oslo.",
                 "2025-03-12")
    e = the(a, "meet")
    assert (e.date, e.place, e.tense) == ("2021-06/2021-08", "oslo", "past")


def test_nationality_in_a_title_is_not_an_actor(nlp):
    a = annotate(nlp, "Portuguese Prime Minister Ada Brenn met Tomas Kell on Monday.", "2025-03-12")
    assert "portuguese" not in the(a, "meet").actors


def test_a_nested_event_keeps_its_own_partners(nlp):
    a = annotate(nlp, "Envoy Ada Brenn travelled to Lisbon for her fifth meeting with Tomas Kell.", "2025-03-12")
    assert the(a, "travel").actors == ["ada brenn"]
    assert "tomas kell" in the(a, "meeting").actors


def test_imposing_a_prison_term_is_not_sanctions(nlp):
    a = annotate(nlp, "Judge Ada Brenn imposed a 52-month sentence on Tomas Kell. Lisbon imposed sanctions on Kell.")
    assert [e.trigger for e in a.events if event_class(e.trigger) == "impose"] == ["impose"]


DIRECTIONS = [
    # active verb: the subject acts, the object undergoes
    ("Ostrova invaded Moldavia in March 2019.", "invade", ["ostrova"], ["moldavia"]),
    # passive verb: the subject undergoes, the "by" object acts
    ("Moldavia was invaded by Ostrova in March 2019.", "invade", ["ostrova"], ["moldavia"]),
    # event noun: the possessor acts, the "of" object undergoes; or the "by" object acts
    ("Ostrova's invasion of Moldavia in March 2019 changed everything.", "invasion", ["ostrova"], ["moldavia"]),
    ("The invasion of Moldavia by Ostrova changed everything.", "invasion", ["ostrova"], ["moldavia"]),
    ("Brenn's invitation to Tomas Kell surprised many.", "invitation", ["brenn"], ["tomas kell"]),
    # "sanctions on X": X is the target of the imposing, not where it happened
    ("The European Union imposed sanctions on Ostrova.", "impose", ["the european union"], ["ostrova"]),
    # the possessor of an election undergoes it; so does the subject of "won the election"
    ("With Kell's election in May 2024, things changed.", "election", [], ["kell"]),
    ("Kell's election to a second term in May 2024 changed things.", "election", [], ["kell"]),
    ("Tomas Kell won the election in May 2024.", "election", [], ["tomas kell"]),
    ("Tomas Kell was elected in May 2024.", "elect", [], ["tomas kell"]),
    # support verbs: the subject of "launched an attack" acts it, that of "suffered an attack" undergoes it
    ("Ostrova launched an attack on Moldavia.", "attack", ["ostrova"], ["moldavia"]),
    ("Moldavia suffered an attack by Ostrova.", "attack", ["ostrova"], ["moldavia"]),
    ("Ostrova sought to invade Moldavia.", "invade", ["ostrova"], ["moldavia"]),
    ("Ada Brenn extended an invitation to Tomas Kell.", "invitation", ["ada brenn"], ["tomas kell"]),
]


@pytest.mark.parametrize("text,trigger,agents,patients", DIRECTIONS)
def test_who_acts_and_who_undergoes(nlp, text, trigger, agents, patients):
    e = the(annotate(nlp, text, "2025-03-12"), trigger)
    assert (e.agents, e.patients) == (agents, patients)
    assert set(e.agents + e.patients) <= set(e.actors)


def test_roles_only_where_the_text_gives_a_direction(nlp):
    # a compound says nothing of who invaded whom; a meeting has no direction
    assert (the(annotate(nlp, "The Moldavia invasion shocked Europe."), "invasion").agents == [])
    e = the(annotate(nlp, "Ada Brenn met Tomas Kell in Lisbon."), "meet")
    assert e.actors == ["ada brenn", "tomas kell"] and (e.agents, e.patients) == ([], [])
    # the attack's target is the attack's, not what was launched
    launch = the(annotate(nlp, "Ostrova launched an attack on Moldavia."), "launch")
    assert (launch.actors, launch.patients) == (["ostrova"], [])


def test_trigger_classes():
    assert event_class("summit") == event_class("meet") == event_class("talk") == "meet"
    assert event_class("invasion") == event_class("invade") == "invade"
    assert event_class("sandwich") == ""


def test_talk_is_an_event_only_in_the_plural(nlp):
    assert not any(trigger_class(t) for t in nlp("She gave a talk on fish."))
    assert any(trigger_class(t) == "meet" for t in nlp("The talks ended."))


# -- the seed corpus -------------------------------------------------------------------------

SEEDS = ("000", "001", "002", "003")  # 004 is word-spun: its text needs restoring first (slow)


@pytest.fixture(scope="module")
def seed_anns(nlp, seeds):
    out = {}
    for name in SEEDS:
        path = next(Path(seeds).glob(name + "_*.txt"))
        out[name] = annotate(nlp, path.read_text("utf-8"), doc_id=name)
    return out


@pytest.fixture(scope="module")
def seed_timeline(seed_anns):
    return T.build(T.update(None, list(seed_anns.values())))


def test_seed_past_events_resolved(seed_anns):
    values = {t.text: (t.kind, t.value) for a in seed_anns.values() for t in a.times}
    assert values["the summer of 2021"] == ("interval", "2021-06/2021-08")
    assert values["February 2022"] == ("date", "2022-02")
    assert values["November 2024"] == ("date", "2024-11")
    assert values["Three hours"] == ("duration", "PT3H")
    assert values["ten-day"] == ("duration", "P10D")
    # undated previews keep "next Friday" as a relative code
    assert {t.anchor for a in seed_anns.values() for t in a.times if t.text.lower() == "next friday"} == {"rel:WD5N"}


def test_seed_summit_is_one_event_in_alaska(seed_timeline):
    summits = [e for e in seed_timeline.events if e.cls == "meet" and len(e.documents) >= 3]
    assert len(summits) == 1
    s = summits[0]
    assert s.documents == list(SEEDS)
    assert s.place == "alaska"
    assert {"trump", "putin"} <= set(s.actors[:3])
    assert s.duration == "PT3H"
    assert s.tenses["002"] == "future" and s.tenses["000"] == s.tenses["003"] == "past"


def test_seed_cited_events_are_dated(seed_timeline):
    dated = {e.date: e for e in seed_timeline.events if e.date}
    assert dated["2021-06/2021-08"].cls == "meet" and "biden" in dated["2021-06/2021-08"].actors
    assert dated["2022-02"].cls == "invade" and set(dated["2022-02"].documents) >= {"002", "003"}
    assert dated["2024-11"].cls == "elect"


def test_seed_previews_come_before_reports(seed_timeline):
    summit = next(e.id for e in seed_timeline.events if e.cls == "meet" and len(e.documents) >= 3)
    order = [p.document_id for p in seed_timeline.documents]
    assert set(order[:2]) == {"001", "002"} and set(order[2:]) == {"000", "003"}
    for p in seed_timeline.documents:
        rel = next(r for r in p.relations if r.event == summit)
        if p.document_id in ("001", "002"):
            assert (rel.relation, rel.min_days, rel.max_days) == ("before", 1, 13)  # "next Friday"
            assert any("next friday" in why.lower() for why in rel.reasons)
        else:
            assert rel.relation == "after"


def test_a_summit_in_a_time_frame_is_its_own_event(nlp):
    a = annotate(nlp, "Ada Brenn met Tomas Kell in Lisbon on Monday, three days after her summit with "
                      "Lena Ostrova in Oslo.", "2025-03-20")
    met, summit = the(a, "meet"), the(a, "summit")
    assert "lena ostrova" not in met.actors and met.place == "lisbon"
    assert summit.place == "oslo"


@pytest.mark.parametrize("sentence, trigger, status", [
    ("The talks ended on Friday without the ceasefire both sides had sought.", "ceasefire", "negated"),
    ("Ostrova was not invited to the summit.", "summit", ""),
    ("Ostrova was not invited to the summit.", "invite", "negated"),
    ("Ostrova did not attend the summit in Lisbon.", "summit", ""),
    ("The two leaders did not agree on the border.", "agree", "negated"),
    ("Aid groups called for an immediate ceasefire.", "ceasefire", "hypothetical"),
    ("Any meeting of the two would need careful preparation.", "meeting", "hypothetical"),
    ("Brenn and Kell met in Lisbon and signed the accord.", "meet", ""),
    ("Brenn and Kell met in Lisbon and signed the accord.", "accord", ""),
    ("A ceasefire took hold at midnight.", "ceasefire", ""),
    # determiners, the governing verb's negation, failure, "rather than", "lack of", light verbs
    ("The summit in Lisbon yielded no agreement.", "agreement", "negated"),
    ("The meeting produced little in concrete results, no ceasefire in Norland and no roadmap.", "ceasefire",
     "negated"),
    ("Brenn and Kell did not reach an agreement in Lisbon.", "agreement", "negated"),
    ("Brenn and Kell failed to reach an agreement in Lisbon.", "agreement", "negated"),
    ("Kell refused to sign the treaty.", "sign", "negated"),
    ("Kell accepted a full settlement rather than a ceasefire.", "ceasefire", "negated"),
    ("No agreement was reached in Lisbon.", "agreement", "negated"),
    ("The talks in Oslo did not take place.", "talk", "negated"),
    ("The lack of progress on the agreements worries Oslo.", "agreement", "negated"),
    # wishes, requests, conditions, modals, questions
    ("Brenn dropped her request for a ceasefire in Norland.", "ceasefire", "hypothetical"),
    ("Kell wants to meet Brenn in Oslo.", "meet", "hypothetical"),
    ("If Kell meets Brenn, the fighting could end.", "meet", "hypothetical"),
    ("Brenn could meet Kell in Oslo.", "meet", "hypothetical"),
    ("Will Brenn meet Kell in Oslo?", "meet", "hypothetical"),
    ("Kell said the talks could help him meet Brenn in Oslo.", "meet", "hypothetical"),
    ("Kell planned to visit Oslo in May.", "visit", "hypothetical"),
    ("Kell plans to visit Oslo on Sunday.", "visit", ""),
    ("Kell changed his stance on a ceasefire in Norland.", "ceasefire", "hypothetical"),
    # not scoped: the reported future, a participant's absence, a manner adjunct
    ("Brenn said she would travel to Oslo on Monday.", "travel", ""),
    ("Brenn met Kell in Lisbon without an interpreter.", "meet", ""),
    ("Kell invaded Norland in 2022.", "invade", ""),
    ("The talks helped Kell meet Brenn in Oslo.", "meet", ""),
    # what is denied of a verb that only speaks of the event, or of another noun, is not denied of it
    ("Brenn failed to mention the attack on the embassy in Lisbon.", "attack", ""),
    ("Kell refused to attend the summit in Oslo.", "summit", ""),
    ("There is no link between turnout and who wins the election.", "election", ""),
    ("There was no sign of a ceasefire in Norland.", "ceasefire", "negated"),
])
def test_event_status_from_the_parse(nlp, sentence, trigger, status):
    """Whether the sentence asserts, denies or only wants the event comes from the dependency path
    between the trigger and its clause, not from words near it."""
    e = the(annotate(nlp, sentence), trigger)
    assert e.status == status, (sentence, trigger)


def test_agreeing_with_an_opinion_is_not_an_agreement(nlp):
    a = annotate(nlp, "Brenn said Ostrova agreed with her that the best course was a full settlement.")
    assert not [e for e in a.events if e.trigger == "agree"]
    a = annotate(nlp, "Brenn and Kell agreed on a ceasefire in Lisbon.")
    assert the(a, "agree").status == ""


VICTORIES = [
    # the winner acts; a state won is where, not whom
    ("Ada Brenn won the Nevada caucuses on Tuesday.", "win", ["ada brenn"], [], "nevada"),
    ("Ada Brenn won Ohio on Tuesday.", "win", ["ada brenn"], [], "ohio"),
    ("Ada Brenn won the Michigan Democratic primary on Tuesday.", "win", ["ada brenn"], [], "michigan"),
    ("Ada Brenn won her home state of Vermont on Tuesday.", "win", ["ada brenn"], [], "vermont"),
    # a rival beaten undergoes it, in the passive too; "victory over X" names the loser
    ("Tomas Kell was defeated by Ada Brenn in Ohio.", "defeat", ["ada brenn"], ["tomas kell"], "ohio"),
    ("Brenn's victory over Tomas Kell in Ohio surprised few.", "victory", ["brenn"], ["tomas kell"], "ohio"),
    ("It was a big win for Ada Brenn in Ohio.", "win", ["ada brenn"], [], "ohio"),
]


@pytest.mark.parametrize("text,trigger,agents,patients,place", VICTORIES)
def test_a_victory_has_its_winner_and_where_it_was_won(nlp, text, trigger, agents, patients, place):
    e = the(annotate(nlp, text, "2016-03-10"), trigger)
    assert (e.agents, e.patients, e.place) == (agents, patients, place)


@pytest.mark.parametrize("text", [
    "Ada Brenn could win Oregon next week.",  # a forecast
    "Ada Brenn told delegates their votes could help her win a battle in Cleveland.",  # a hope
    "If Ada Brenn wins Ohio, the race is over.",  # a condition
    "Ada Brenn won praise from the mayors.",  # won something that is no contest
    "Ada Brenn hopes to win over young voters.",
    "Ada Brenn beat expectations in Iowa.",  # beaten is no one
    "Ada Brenn beats Tomas Kell by five points in a head-to-head poll.",  # a poll match-up, not a result
    "A win in Iowa would change everything.",  # no winner
    "Most of the contests Ada Brenn has won were in small states.",  # no one victory: neither where nor when
])
def test_forecasts_polls_and_other_wins_are_no_victory(nlp, text):
    assert not [e.trigger for e in annotate(nlp, text, "2016-03-10").events if event_class(e.trigger) == "win"]


def test_two_winners_on_one_day_in_one_place_are_two_victories(nlp):
    a = annotate(nlp, "Ada Brenn won Indiana on Tuesday.", "2016-05-04", doc_id="a")
    b = annotate(nlp, "Tomas Kell won Indiana on Tuesday, his aides said.", "2016-05-04", doc_id="b")
    c = annotate(nlp, "Ada Brenn won the Indiana primary on Tuesday.", "2016-05-05", doc_id="c")
    wins = [e for e in T.build(T.update(None, [a, b, c])).events if e.cls == "win"]
    assert sorted(e.documents for e in wins) == [["a", "c"], ["b"]]


def test_a_place_alone_does_not_join_events_of_two_documents(nlp):
    a = annotate(nlp, "Many families arrived in Lisbon by sea.", "2016-05-04", doc_id="a")
    b = annotate(nlp, "Ada Brenn travelled to Lisbon to see the port.", "2016-03-01", doc_id="b")
    c = annotate(nlp, "Tomas Kell and Ada Brenn met in Lisbon. The meeting in Lisbon was long.", "2016-05-04",
                 doc_id="c")
    events = T.build(T.update(None, [a, b, c])).events
    assert sorted(e.documents for e in events if e.cls == "visit") == [["a"], ["b"]]
    assert [e.documents for e in events if e.cls == "meet"] == [["c"]]  # within one document it still joins
    i = annotate(nlp, "Ada Brenn and Tomas Kell reached an agreement in Portugal on Monday.", "2016-05-04", doc_id="i")
    j = annotate(nlp, "The agreement in Portugal was popular.", "2016-07-09", doc_id="j")
    assert sorted(e.documents for e in T.build(T.update(None, [i, j])).events if e.cls == "agree") == [["i"], ["j"]]
    # a truce in one place is one thing, whoever reports it
    g = annotate(nlp, "Russia and Norland agreed a ceasefire in Norland.", "2016-05-04", doc_id="g")
    h = annotate(nlp, "A ceasefire in Norland held for a day.", "2016-05-09", doc_id="h")
    assert [e.documents for e in T.build(T.update(None, [g, h])).events if e.cls == "ceasefire"] == [["g", "h"]]


def test_a_clause_after_since_or_after_does_not_take_the_main_clause_date(nlp):
    a = annotate(nlp, "Tuesday marks four weeks since Ada Brenn won the Indiana primary.", "2016-05-31")
    assert the(a, "win").date == ""
    b = annotate(nlp, "Tomas Kell resigned on Friday after Ada Brenn won the Indiana primary.", "2016-05-31")
    assert the(b, "win").date == ""


def test_a_victory_without_its_place_is_not_one_with_a_place(nlp):
    # the win "this month" in Michigan must not take the day of a win whose place the text did not give
    a = annotate(nlp, "Ada Brenn won the Michigan primary this month.", "2016-03-21", doc_id="a")
    b = annotate(nlp, "Ada Brenn won on Tuesday, her aides said.", "2016-03-02", doc_id="b")
    wins = [e for e in T.build(T.update(None, [a, b])).events if e.cls == "win"]
    assert sorted(e.documents for e in wins) == [["a"], ["b"]]

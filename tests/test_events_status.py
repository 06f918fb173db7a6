"""Event status in the briefing: events the sources deny or only want are never told as done, and an
event sentence must say something (invented fixtures: a port strike in Keldport)."""

from sitrep.corroborate.briefing import _event_texts, _sayable
from sitrep.corroborate.facts import TimelineEntry


def entry(**kw) -> TimelineEntry:
    base = dict(id="E1", label="", date="", date_evidence="", place="", duration="", trigger="meeting",
                cls="meet", tense="past")
    base.update(kw)
    return TimelineEntry(**base)


def test_one_participant_and_nothing_else_is_not_a_sentence():
    assert not _sayable(entry(actors=["Keldport"], tense="future"))
    assert not _sayable(entry(trigger="agree", cls="agree", actors=["Tomas Veldt"]))
    assert _event_texts(entry(trigger="agree", cls="agree", actors=["Tomas Veldt"])) == []


def test_two_participants_or_one_with_a_place_are():
    assert _event_texts(entry(actors=["Ilse Marén", "Tomas Veldt"]))[0] == "Ilse Marén and Tomas Veldt held a meeting."
    assert _event_texts(entry(actors=["Tomas Veldt"], place="Keldport"))[0] == "Tomas Veldt held a meeting in Keldport."
    # the plain plans that drop the place would leave one bare participant: not offered
    assert "Tomas Veldt held a meeting." not in _event_texts(entry(actors=["Tomas Veldt"], place="Keldport"))


def test_a_journey_needs_who_went_where_and_a_vote_its_setting():
    assert not _sayable(entry(trigger="travelled", cls="visit", actors=["Ilse Marén", "Tomas Veldt"]))
    assert not _sayable(entry(trigger="visit", cls="visit", place="Keldport", status="negated"))
    assert _event_texts(entry(trigger="visit", cls="visit", actors=["Tomas Veldt"], place="Keldport"))[0] == \
        "Tomas Veldt travelled to Keldport."
    assert "Tomas Veldt travelled on 4 May 2025." not in _event_texts(
        entry(trigger="visit", cls="visit", actors=["Tomas Veldt"], place="Keldport", date="2025-05-04", stated=True))
    assert not _sayable(entry(trigger="vote", cls="vote", actors=["Ilse Marén", "Tomas Veldt"]))
    assert _sayable(entry(trigger="vote", cls="vote", actors=["Ilse Marén", "Tomas Veldt"], place="Keldport"))


def test_only_an_absent_truce_or_deal_is_told_without_anyone_named():
    assert _sayable(entry(trigger="ceasefire", cls="ceasefire", place="Keldport", status="negated"))
    assert not _sayable(entry(trigger="call", cls="call", place="Keldport", status="negated"))
    assert _sayable(entry(trigger="call", cls="call", actors=["Tomas Veldt"], place="Keldport", status="negated"))


def test_denied_events_are_told_as_denied():
    texts = _event_texts(entry(trigger="ceasefire", cls="ceasefire", place="Keldport", status="negated"))
    assert texts and all("not agreed" in t for t in texts) and not any("took place" in t for t in texts)


def test_a_people_named_in_the_plural_takes_a_plural_verb():
    dead = entry(trigger="killed", cls="kill", actors=["Norlanders"], patients=["Norlanders"], groups=["Norlanders"],
                 place="Keldport")
    assert _event_texts(dead)[0] == "Norlanders were killed in Keldport."
    one = entry(trigger="killed", cls="kill", actors=["Tomas Veldt"], patients=["Tomas Veldt"], place="Keldport")
    assert _event_texts(one)[0] == "Tomas Veldt was killed in Keldport."

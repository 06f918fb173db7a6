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


def test_denied_events_are_told_as_denied():
    texts = _event_texts(entry(trigger="ceasefire", cls="ceasefire", place="Keldport", status="negated"))
    assert texts and all("not agreed" in t for t in texts) and not any("took place" in t for t in texts)

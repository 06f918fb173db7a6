"""Time: document dates, temporal expressions and their resolution, the corpus timeline.

Fixtures are invented: a fishing-rights dispute between two prime ministers,
Ada Brenn and Tomas Kell, who meet in Lisbon.
"""

from dataclasses import replace
from datetime import date

import pytest

from sitrep.model import Annotation, Document, Event, Mention, TimeExpr
from sitrep.understand import timeline as T
from sitrep.understand.dating import document_date, text_date, url_date
from sitrep.understand.timex import (code_bounds, find_times, number, recognise, resolve, resolve_code,
                                     weekday_name)


@pytest.fixture(scope="module")
def nlp():
    from sitrep.understand.nlp import load_nlp

    return load_nlp()


def doc(text="", **kw) -> Document:
    return Document(id=kw.pop("id", "d"), locator="x", kind="text", raw_sha256="", text=text, **kw)


def times(nlp, text: str, anchor: str = "", source: str = "input") -> list[TimeExpr]:
    ann = Annotation("d", "", published=anchor, published_from=source if anchor else "none")
    find_times(nlp(text), ann, None)
    return ann.times


def one(nlp, text: str, anchor: str = "2025-08-13") -> tuple[str, str, str]:
    """(text, kind, value) of the single expression in ``text``."""
    ts = times(nlp, text, anchor)
    assert len(ts) == 1, [t.text for t in ts]
    return ts[0].text, ts[0].kind, ts[0].value


# -- dating --------------------------------------------------------------------------------


def test_date_from_metadata_wins():
    d = doc("August 1, 2025\nBody.", published="2025-08-09", published_from="metadata",
            url="https://x.example/2025/07/01/a")
    assert document_date(d) == ("2025-08-09", "metadata")


@pytest.mark.parametrize("url, expected", [
    ("https://x.example/world/2025/08/15/summit-ends/", "2025-08-15"),
    ("https://x.example/news/2025-08-15-summit", "2025-08-15"),
    ("https://x.example/a/20250815/summit", "2025-08-15"),
    ("https://x.example/a/2025/13/45/nope", None),
    ("https://x.example/a/id-123456789", None),
])
def test_url_dates(url, expected):
    assert url_date(url) == expected


def test_date_from_url_when_no_metadata():
    assert document_date(doc("Body.", url="https://x.example/2024/02/29/leap")) == ("2024-02-29", "url")


def test_dateline_date():
    d = doc("LISBON, March 14, 2025 (Harbour Wire) — Ada Brenn met Tomas Kell on Friday.")
    assert document_date(d) == ("2025-03-14", "dateline")


def test_date_line_in_header_and_labels():
    assert document_date(doc("By Rui Matos\nCoastal Times\nMarch 15, 2025\n\nThe talks ended.")) == ("2025-03-15", "text")
    # "Published" beats "Updated", whatever the order
    assert text_date("Updated: 16 Mar 2025 10:02 GMT\nPublished: 15 Mar 2025\nThe talks ended.") == "2025-03-15"


def test_relative_or_prose_dates_are_not_publication_dates():
    assert document_date(doc("Updated 3 hours ago\nThe talks ended.\n5 months ago")) == ("", "none")
    long_line = "The ministers first met on March 3, 2019 in a small hotel by the harbour to talk about fish quotas."
    assert document_date(doc(long_line)) == ("", "none")


# -- recognition and resolution (anchor: Wednesday 13 August 2025) ---------------------------


@pytest.mark.parametrize("text, expected", [
    ("They met on 15 August 2025.", ("15 August 2025", "date", "2025-08-15")),
    ("They met on Aug. 15.", ("Aug. 15", "date", "2025-08-15")),
    ("Prices rose in August 2025.", ("August 2025", "date", "2025-08")),
    ("Troops crossed the border in February 2022.", ("February 2022", "date", "2022-02")),
    ("It happened in 2022.", ("2022", "date", "2022")),
    ("They have not met since the summer of 2021.", ("the summer of 2021", "interval", "2021-06/2021-08")),
    ("Output fell in the first quarter of 2024.", ("the first quarter of 2024", "interval", "2024-01/2024-03")),
    ("It was built in the 1990s.", ("the 1990s", "interval", "1990/1999")),
    ("The ministers talked yesterday.", ("yesterday", "date", "2025-08-12")),
    ("They will talk again tomorrow.", ("tomorrow", "date", "2025-08-14")),
    ("The leaders spoke last week.", ("last week", "date", "2025-W32")),
    ("The deal will be signed this week.", ("this week", "date", "2025-W33")),
    ("The fleet left two days ago.", ("two days ago", "date", "2025-08-11")),
    ("They will vote in three weeks.", ("in three weeks", "date", "2025-W36")),
    ("Brenn will fly to Lisbon next Friday.", ("next Friday", "date", "2025-08-15")),
    ("They talked for three hours.", ("three hours", "duration", "PT3H")),
    ("Kell issued a ten-day ultimatum.", ("ten-day", "duration", "P10D")),
    ("The dispute has dragged on for months.", ("months", "duration", "PXM")),
    ("The talks lasted an hour and a half.", ("an hour and a half", "duration", "PT1H30M")),
    ("The quota lasts twenty-one days.", ("twenty-one days", "duration", "P21D")),
    ("The committee meets every Friday.", ("every Friday", "set", "XXXX-WXX-5")),
    ("Inspectors report weekly.", ("weekly", "set", "P1W")),
    ("The ferry sails twice a day.", ("twice a day", "set", "P1D")),
])
def test_expressions(nlp, text, expected):
    assert one(nlp, text) == expected


def test_weekday_direction_follows_the_tense(nlp):
    # Wednesday 13 August 2025: "on Monday" is the 11th in the past, the 18th in the future
    assert one(nlp, "Brenn met Kell on Monday.")[2] == "2025-08-11"
    assert one(nlp, "Brenn will meet Kell on Monday.")[2] == "2025-08-18"
    assert one(nlp, "Brenn is due to meet Kell on Monday.")[2] == "2025-08-18"
    assert one(nlp, "Kell said he would travel to Lisbon on Monday.")[2] == "2025-08-18"


def test_modal_may_is_not_a_month(nlp):
    assert [t.text for t in times(nlp, "Brenn may find herself alone. The vote is on May 5.", "2025-04-20")] == ["May 5"]


def test_time_of_day_joins_its_day(nlp):
    assert one(nlp, "The vote opens at 9 a.m. on Friday.")[1:] == ("date", "2025-08-15T09:00")


def test_dateline_anchor_is_reported(nlp):
    ts = times(nlp, "They met yesterday.", "2025-08-13", source="dateline")
    assert (ts[0].value, ts[0].anchor) == ("2025-08-12", "dateline")


@pytest.mark.parametrize("code, anchor, expected", [
    ("rel:WD5N", "2025-08-15", "2025-08-22"),  # "next Friday" said on a Friday: a week ahead
    ("rel:WD5N", "2025-08-14", "2025-08-15"),
    ("rel:WD5L", "2025-08-15", "2025-08-08"),  # "last Friday" on a Friday
    ("rel:WD5P", "2025-08-15", "2025-08-15"),  # "on Friday" (past) on a Friday: that day
    ("rel:D-1", "2025-01-01", "2024-12-31"),  # yesterday across a year boundary
    ("rel:D+1", "2024-12-31", "2025-01-01"),
    ("rel:W-1", "2025-01-02", "2024-W52"),  # last week, in the first days of January
    ("rel:W+1", "2024-12-30", "2025-W02"),  # 30 Dec 2024 is already in ISO week 2025-W01
    ("rel:M+1", "2025-12-10", "2026-01"),  # next month, in December
    ("rel:M-1", "2025-01-10", "2024-12"),
    ("rel:Y-1", "2025-06-01", "2024"),
    ("rel:MD12-28C", "2026-01-03", "2025-12-28"),  # "December 28" read in early January
    ("rel:MD01-05C", "2025-12-30", "2026-01-05"),
    ("rel:MO01C", "2025-12-10", "2026-01"),  # "in January" in December: the coming one
    ("rel:SESU-L", "2025-08-13", "2024-06/2024-08"),  # "last summer" during the summer
    ("rel:SESU-T", "2025-08-13", "2025-06/2025-08"),
    ("rel:SEWI-N", "2025-08-13", "2025-12/2026-02"),
    ("rel:SPD-14", "2025-08-13", "2025-07-30/2025-08-13"),
])
def test_resolve_codes(code, anchor, expected):
    assert resolve_code(code, date.fromisoformat(anchor))[1] == expected


def test_unanchored_expressions_keep_their_relative_meaning(nlp):
    ts = times(nlp, "Brenn will meet Kell next Friday. They last spoke two days ago.", "")
    assert [(t.text, t.value, t.anchor) for t in ts] == [
        ("next Friday", "", "rel:WD5N"), ("two days ago", "", "rel:D-2")]
    # once an anchor is known, the code gives what an anchored document would have given
    anchored = times(nlp, "Brenn will meet Kell next Friday. They last spoke two days ago.", "2025-08-13")
    assert [resolve_code(t.anchor, date(2025, 8, 13))[1] for t in ts] == [t.value for t in anchored]
    assert code_bounds("rel:WD5N") == (1, 13)
    assert code_bounds("rel:D-2") == (-2, -2)


def test_numbers_in_words():
    assert [number(w) for w in ("three", "twenty-five", "ninety nine", "a", "half an", "several", "12")] == [
        3, 25, 99, 1, 0.5, None, 12]


def test_recogniser_is_text_only_and_longest_first():
    text = "They left two days ago and will return in three weeks."
    assert [text[m.start:m.end] for m in recognise(text)] == ["two days ago", "in three weeks"]
    # in a past clause "in three days" measures, it does not date
    assert resolve(("in", 3, "D", 0), date(2025, 8, 13), "past")[:2] == ("duration", "P3D")


# -- timeline ---------------------------------------------------------------------------------


def mention(start, text, label, key=None):
    return Mention(start, start + len(text), text, label, "name", key or text.lower())


def ann(doc_id, published, events, source=None, times=(), mentions=()):
    return Annotation(doc_id, doc_id + "-v1", times=list(times), mentions=list(mentions), events=events,
                      published=published, published_from=source or ("input" if published else "none"))


def ev(doc_id, trigger, actors, place="", date_="", tense="", start=0, duration=""):
    return Event(doc_id, trigger, start, start + 50, list(actors), place, date_, tense, duration)


@pytest.fixture
def corpus():
    """A preview (undated, 'next Friday'), a dated wire report, an undated analysis, an old event."""
    preview = ann("preview", "", [
        ev("preview", "meet", ["ada brenn", "tomas kell"], "lisbon", "rel:WD5N", "future"),
        ev("preview", "summit", [], "", "", "future", start=60),
    ], times=[TimeExpr(30, 41, "next Friday", "date", "", "day", "rel:WD5N")])
    wire = ann("wire", "2025-03-15", [
        ev("wire", "talk", ["brenn", "kell"], "lisbon", "2025-03-14", "past", duration="PT3H"),
        ev("wire", "invasion", ["moldavia"], "", "2019-03", "past", start=100),
    ], times=[TimeExpr(20, 26, "Friday", "date", "2025-03-14", "day", "published")])
    analysis = ann("analysis", "", [
        ev("analysis", "summit", ["kell"], "", "", "past"),
        ev("analysis", "meeting", [], "", "", "past", start=80),
    ])
    return [preview, wire, analysis]


def test_same_event_is_merged_across_documents(corpus):
    tl = T.build(T.update(None, corpus))
    summit = [e for e in tl.events if e.cls == "meet"]
    assert len(summit) == 1
    s = summit[0]
    assert s.documents == ["analysis", "preview", "wire"]
    assert (s.date, s.place, s.duration) == ("2025-03-14", "lisbon", "PT3H")
    assert s.date_evidence[0]["document_id"] == "wire" and s.date_evidence[0]["text"] == "Friday"
    assert {"brenn", "kell"} <= set(s.actors)


def test_different_events_stay_apart(corpus):
    other = ann("other", "2025-04-02", [ev("other", "meet", ["kell", "lena ostrova"], "oslo", "2025-04-01", "past")])
    tl = T.build(T.update(None, corpus + [other]))
    meets = [e for e in tl.events if e.cls == "meet"]
    assert len(meets) == 2 and {e.place for e in meets} == {"lisbon", "oslo"}


def test_undated_documents_are_placed_around_the_event(corpus):
    tl = T.build(T.update(None, corpus))
    assert tl.documents[0].document_id == "preview"
    place = {p.document_id: p for p in tl.documents}
    summit = next(e.id for e in tl.events if e.cls == "meet")
    rel = next(r for r in place["preview"].relations if r.event == summit)
    assert (rel.relation, rel.min_days, rel.max_days) == ("before", 1, 13)
    # so the preview is dated 1-13 days before 2025-03-14
    assert (place["preview"].earliest, place["preview"].latest) == ("2025-03-01", "2025-03-13")
    rel = next(r for r in place["analysis"].relations if r.event == summit)
    assert rel.relation == "after" and place["analysis"].earliest == "2025-03-14"
    assert place["wire"].date == "2025-03-15" and place["wire"].source == "input"


def test_relative_placement_without_any_date():
    preview = ann("p", "", [ev("p", "meet", ["brenn", "kell"], "lisbon", "rel:WD5N", "future")])
    report = ann("r", "", [ev("r", "summit", ["kell", "brenn"], "lisbon", "", "past")])
    tl = T.build(T.update(None, [report, preview]))
    assert [p.document_id for p in tl.documents] == ["p", "r"]
    assert tl.documents[0].summary.startswith("undated: before E")
    assert "(1–13 days)" in tl.documents[0].summary


def test_incremental_update_keeps_clusters_and_skips_known_documents(corpus):
    st1 = T.update(None, corpus[:2])
    ids = [c.id for c in st1.clusters]
    st2 = T.update(st1, corpus[2:])
    assert [c.id for c in st2.clusters][: len(ids)] == ids
    assert len(st1.docs) == 2 and len(st2.docs) == 3  # the old state is untouched
    st3 = T.update(st2, corpus)  # nothing new
    assert st3.to_dict() == st2.to_dict()
    back = T.TimelineState.from_dict(st2.to_dict())
    assert T.build(back).events[0].date == T.build(st2).events[0].date


def test_contradicting_tense_gives_way_to_dates():
    # a dated report that wrongly says the event is still ahead: the date wins, the tense is dropped
    a = ann("a", "2025-03-20", [ev("a", "meet", ["brenn", "kell"], "lisbon", "2025-03-14", "past")])
    b = ann("b", "2025-03-20", [ev("b", "meeting", ["brenn", "kell"], "lisbon", "", "future")])
    tl = T.build(T.update(None, [a, b]))
    assert len(tl.dropped) == 1 and "ahead" in tl.dropped[0]


def test_nested_places_are_compatible():
    a = ann("a", "2025-03-15", [ev("a", "meet", ["brenn", "kell"], "belem palace", "2025-03-14", "past")],
            mentions=[mention(0, "Belem Palace", "FAC"), mention(16, "Lisbon", "GPE")])
    b = ann("b", "2025-03-16", [ev("b", "summit", ["brenn", "kell"], "lisbon", "", "past")])
    tl = T.build(T.update(None, [a, b], texts={"a": "Belem Palace in Lisbon hosted them."}))
    assert len([e for e in tl.events if e.cls == "meet"]) == 1


def test_a_meeting_elsewhere_with_a_shared_actor_stays_apart():
    # A weak "Brenn and Kell met" seeds nothing: the well-specified mentions form the clusters first, and a
    # meeting at another place (not nested) or on another day of the same undated document keeps apart.
    a = ann("a", "", [
        ev("a", "meeting", ["brenn", "kell"], "", "", "past", start=0),
        ev("a", "meet", ["brenn", "kell"], "lisbon", "rel:WD5L", "past", start=100),
    ])
    b = ann("b", "", [
        ev("b", "meet", ["ostrova", "brenn"], "palace of the isles", "rel:WD1P", "past", start=0),
        ev("b", "summit", ["kell"], "lisbon", "rel:WD5L", "past", start=200),
    ])
    tl = T.build(T.update(None, [a, b]))
    meets = {e.place: e for e in tl.events if e.cls == "meet"}
    assert set(meets) == {"lisbon", "palace of the isles"}
    assert meets["lisbon"].documents == ["a", "b"] and meets["palace of the isles"].documents == ["b"]


def test_a_bare_mention_joins_the_event_its_document_is_about():
    # "the two-hour gathering" sits next to a one-off mention of an old meeting; the document is about
    # the summit (named three times), so the bare mention goes there, and its duration does not vote.
    d = ann("d", "2025-03-20", [
        ev("d", "summit", ["brenn", "kell"], "lisbon", "2025-03-14", "past", start=0),
        ev("d", "summit", ["kell"], "lisbon", "", "past", start=100),
        ev("d", "talk", ["brenn"], "lisbon", "", "past", start=200),
        ev("d", "meeting", ["brenn", "ostrova"], "", "1998", "past", start=300),
        ev("d", "gathering", [], "", "", "past", start=360, duration="PT2H"),
    ])
    st = T.update(None, [d])
    home = {m.index: c.id for c in st.clusters for m in c.members}
    assert home[4] == home[0] != home[3]
    assert next(e for e in T.build(st).events if e.id == home[0]).duration == ""


def test_status_and_tense_of_merged_events():
    texts = {"a": "The talks ended without a ceasefire. " + " " * 60, "b": "Brenn met Kell in Lisbon." + " " * 80}
    # the status comes with each event (events._status reads it off the parse); the timeline votes
    a = ann("a", "2025-03-15", [Event("a", "ceasefire", 0, 37, ["brenn"], "", "", "past", status="negated")])
    b = ann("b", "2025-03-15", [Event("b", "meet", 0, 25, ["brenn", "kell"], "lisbon", "", "past"),
                                 Event("b", "ceasefire", 30, 60, ["brenn"], "", "", "future")])
    tl = T.build(T.update(None, [a, b], texts=texts))
    by = {e.cls: e for e in tl.events}
    assert by["ceasefire"].status == "negated" and by["meet"].status == ""
    assert by["meet"].tense == "past" and by["ceasefire"].tense == "past"


def test_one_denial_among_more_reports_of_it_done_does_not_deny_an_event():
    # a document that tells the attack twice as done and once (misread) as denied asserts it
    text = "The attack on the embassy killed four. " * 4
    told = [Event("a", "attack", 40 * i, 40 * i + 38, ["embassy"], "", "2012-09-11", "past",
                  status="negated" if i == 0 else "") for i in range(3)]
    tl = T.build(T.update(None, [ann("a", "2016-05-01", told)], texts={"a": text}))
    assert [e.status for e in tl.events if e.cls == "attack"] == [""]
    told[1].status = told[2].status = "negated"
    tl = T.build(T.update(None, [ann("a", "2016-05-01", told)], texts={"a": text}))
    assert [e.status for e in tl.events if e.cls == "attack"] == ["negated"]


def test_a_plan_denied_before_does_not_deny_a_meeting_reported_done():
    # "Brenn is not expected to meet Kell" (a forecast) and, after, "Brenn met Kell in Lisbon"
    text = "Brenn is not expected to meet Kell in Lisbon. " + " " * 20
    before = ann("a", "2025-03-13", [Event("a", "meet", 0, 44, ["brenn", "kell"], "lisbon", "", "future",
                                           status="negated")])
    after = ann("b", "2025-03-16", [Event("b", "meet", 0, 25, ["brenn", "kell"], "lisbon", "2025-03-15", "past")])
    texts = {"a": text, "b": "Brenn met Kell in Lisbon." + " " * 40}
    assert [e.status for e in T.build(T.update(None, [before], texts=texts)).events] == ["negated"]
    assert [e.status for e in T.build(T.update(None, [before, after], texts=texts)).events] == [""]
    # a denial of the deed itself still weighs against the report: the sources disagree
    before.events[0].tense = "past"
    assert [e.status for e in T.build(T.update(None, [before, after], texts=texts)).events] == ["disputed"]
    assert [e.status for e in T.build(T.update(None, [before], texts=texts)).events] == ["negated"]


def test_an_event_one_document_reports_done_and_more_deny_is_disputed_not_denied():
    text = "Brenn met Kell in Lisbon. " + " " * 40
    said = {d: ann(d, "2025-03-16", [Event(d, "meet", 0, 25, ["brenn", "kell"], "lisbon", "2025-03-15", "past",
                                           status="negated" if d != "a" else "")]) for d in "abc"}
    texts = {d: text for d in "abc"}
    assert [e.status for e in T.build(T.update(None, list(said.values()), texts=texts)).events] == ["disputed"]
    # a document that tells it done and denies it more often is no report of it
    said["a"].events += [Event("a", "meet", 26, 50, ["brenn", "kell"], "lisbon", "2025-03-15", "past", status="negated")
                         for _ in range(2)]
    assert [e.status for e in T.build(T.update(None, list(said.values()), texts=texts)).events] == ["negated"]


def test_a_changed_document_is_told_apart_from_an_unchanged_or_new_one():
    # Re-entering a changed document into clusters that grew without it can group its mentions
    # otherwise than a fresh build: here document "a" changes only a duration, yet its third
    # meeting would join another event.  The timeline stage therefore starts over when
    # T.replaces says a document changed.
    def meet(d, i, actors, place="", date_=""):
        return Event(d, "meet", 60 * i, 60 * i + 50, actors, place, date_, "past")
    docs = [ann("a", "2025-03-20", [meet("a", 0, ["ostrova"], "porto"), meet("a", 1, ["kell"], "porto", "2025-03-18"),
                                     meet("a", 2, ["brenn", "kell"], "", "2025-03-18")]),
            ann("b", "2025-03-20", [meet("b", 0, ["brenn", "kell"], "lisbon"), meet("b", 1, ["ostrova"])]),
            ann("c", "2025-03-20", [meet("c", 0, ["kell"], "porto"), meet("c", 1, ["brenn"], "lisbon", "2025-03-18"),
                                     meet("c", 2, ["brenn", "ostrova"])])]
    full = T.update(None, docs)
    changed = ann("a", "2025-03-20", [replace(e) for e in docs[0].events])
    changed.events[0].duration = "PT2H"
    assert not T.replaces(None, docs) and not T.replaces(full, docs)  # nothing changed
    assert not T.replaces(T.update(None, docs[1:]), docs[:1])  # a new document only adds
    assert T.replaces(full, [changed])

    def groups(st):
        return sorted(sorted((m.document_id, m.start) for m in c.members) for c in st.clusters)
    fresh = T.update(None, [changed] + docs[1:])
    assert groups(T.update(full, [changed])) != groups(fresh)
    assert [("a", 60), ("a", 120), ("c", 0)] in groups(fresh)


def test_an_undated_event_keeps_the_weekday_its_mentions_agree_on():
    text = "Brenn will meet Kell in Lisbon next Friday. " * 3
    friday = [Event(d, "meet", 0, 43, ["brenn", "kell"], "lisbon", "rel:WD5N", "future") for d in "ab"]
    tl = T.build(T.update(None, [ann(d, "", [e]) for d, e in zip("ab", friday)], texts={"a": text, "b": text}))
    assert [(e.weekday, weekday_name(e.weekday)) for e in tl.events] == [(5, "Friday")]
    monday = Event("c", "meet", 0, 43, ["brenn", "kell"], "lisbon", "rel:WD1N", "future")
    tl = T.build(T.update(None, [ann("a", "", [friday[0]]), ann("c", "", [monday])], texts={"a": text, "c": text}))
    assert [e.weekday for e in tl.events] == [0]  # the documents disagree: no weekday


def test_a_bare_present_mention_does_not_assert_a_questioned_event():
    # "A meeting with Kell is not required" next to "asked whether Brenn must meet Kell": the
    # document names the meeting and questions it, it does not say the meeting happened.
    text = "Brenn said a meeting with Kell is not required. Asked whether Brenn must meet Kell, he said no."
    a = ann("a", "2025-03-15", [Event("a", "meeting", 2, 40, ["brenn", "kell"], "", "", "present"),
                                Event("a", "meet", 60, 80, ["brenn", "kell"], "", "", "past",
                                      status="hypothetical")])
    tl = T.build(T.update(None, [a], texts={"a": text}))
    assert [e.status for e in tl.events] == ["hypothetical"]
    # the same bare mention alone still counts as the document asserting the event
    b = ann("b", "2025-03-15", [Event("b", "meeting", 2, 40, ["brenn", "kell"], "", "", "present")])
    assert [e.status for e in T.build(T.update(None, [b], texts={"b": text})).events] == [""]


def test_merged_events_keep_who_acted_and_who_underwent_them():
    texts = {d: "Ostrova invaded Moldavia in March 2019. " * 3 for d in "abcd"}

    def invasion(doc_id, actors, agents=(), patients=()):
        return Event(doc_id, "invasion", 0, 39, list(actors), "", "2019-03", "past",
                     agents=list(agents), patients=list(patients))

    a = ann("a", "2025-03-15", [invasion("a", ["ostrova", "moldavia"], ["ostrova"], ["moldavia"])])
    b = ann("b", "2025-03-15", [invasion("b", ["moldavia"], patients=["moldavia"])])
    c = ann("c", "2025-03-15", [invasion("c", ["moldavia", "ostrova"])])  # names both, says nothing of roles
    tl = T.build(T.update(None, [a, b, c], texts=texts))
    assert [(e.agents, e.patients) for e in tl.events] == [(["ostrova"], ["moldavia"])]
    # a document that names Ostrova as the invaded one: the documents no longer agree, Ostrova keeps no role
    d = ann("d", "2025-03-15", [invasion("d", ["moldavia", "ostrova"], ["moldavia"], ["ostrova"])])
    tl = T.build(T.update(None, [a, b, c, d], texts=texts))
    assert [(e.agents, e.patients) for e in tl.events] == [([], ["moldavia"])]


def test_a_timeline_state_saved_before_event_roles_still_loads():
    st = T.update(None, [ann("a", "2025-03-15", [ev("a", "invasion", ["moldavia"], date_="2019-03")])])
    old = st.to_dict()
    for c in old["clusters"]:
        for m in c["members"]:
            del m["agents"], m["patients"]
    assert T.TimelineState.from_dict(old).clusters[0].members[0].agents == []


def test_a_metonym_beside_what_it_stands_for_is_that_actor():
    from types import SimpleNamespace

    from sitrep.understand.stages import _event_actors

    links = {("a", "ukraine"): "place:ukraine", ("a", "kremlin"): "org:kremlin", ("a", "russia"): "place:russia"}
    stands = {"org:kremlin": "place:russia"}
    e = SimpleNamespace(actors=["ukraine", "kremlin", "russia"], agents=["kremlin"], patients=["ukraine"],
                        documents=["a"])
    assert _event_actors(e, links, stands) == (["place:ukraine", "place:russia"], ["place:russia"], ["place:ukraine"])
    # without Russia among the actors the Kremlin is an actor of its own
    e = SimpleNamespace(actors=["ukraine", "kremlin"], agents=["kremlin"], patients=["ukraine"], documents=["a"])
    assert _event_actors(e, links, stands) == (["place:ukraine", "org:kremlin"], ["org:kremlin"], ["place:ukraine"])

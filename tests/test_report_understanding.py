"""The report's understanding parts: stories, actors, timeline, quotes, per-document lists.

The store is filled by hand — per-document annotations through
sitrep.store.understanding, the corpus-wide tables (identities, roles, quote
speakers, timeline, placements, stories) by SQL — about an invented dispute
over a river dam, so every expected value is known.  A name, a quote, a role
phrase, an event label and a story label are hostile.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest
from test_report import WHEN, Tags, _documented_fields, _unescaped_pipes

from sitrep.model import Annotation, Document, Event, Mention, Quote, RoleMention, TimeExpr, item_id
from sitrep.report import html_understanding as hu
from sitrep.report import render_html, render_markdown, write_reports
from sitrep.store import understanding as U
from sitrep.store.db import Store

EVIL = '<script>alert("name")</script> Reyes'
EVIL_QUOTE = "<img src=x onerror=alert(1)> the inspection lasted three hours"
EVIL_LABEL = "inspection <b>of</b> the dam"
EVIL_STORY = "Valdora dam dispute </section><script>x()</script>"
D1 = ("Water Minister Mira Olsen said on Sunday: “We will open the sluices on Friday.” Olsen spoke in Valdora.\n\n"
      "The inspection of the dam is set to take place next week.")
# The emoji is one code point but two UTF-16 units: spans after it test report.js's offset mapping.
D2 = (f"Harbour master {EVIL} told reporters 🌊 that {EVIL_QUOTE}. Reyes visited Harbour House, "
      "which said nothing.")
D3 = ("Former water minister Ms. Olsen criticised the inspection, which took place in Valdora last Friday. "
      "\"The sluices stay shut,\" an official said.")
D4 = "A bakery opened on the corner of Mill Street."
D5 = "A document the understanding pass has not reached."


def _span(text: str, piece: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    return start, start + len(piece)


def _mention(text: str, piece: str, label: str, kind: str, key: str, nth: int = 0) -> Mention:
    return Mention(*_span(text, piece, nth), piece, label, kind, key)


def _add(store: Store, n: int, text: str, **kw) -> str:
    raw = f"dam item {n}".encode()
    kw.setdefault("published_from", "none")
    doc = Document(id=item_id("text", raw), locator=f"inputs/dam{n}.txt", kind="text", raw_sha256="",
                   text=text, **kw)
    store.add_document(doc, raw)
    return doc.id


def _annotations(ids: dict[str, str]) -> list[Annotation]:
    d1, d2, d3 = ids["d1"], ids["d2"], ids["d3"]
    a1 = Annotation(d1, "x1", published="2025-03-02", published_from="input", mentions=[
        _mention(D1, "Mira Olsen", "PERSON", "name", "mira olsen"),
        _mention(D1, "Olsen", "PERSON", "short", "mira olsen", nth=1),
        _mention(D1, "Valdora", "GPE", "name", "valdora"),
    ], roles=[RoleMention("mira olsen", "water minister", *_span(D1, "Water Minister"))],
        quotes=[Quote(*_span(D1, "We will open the sluices on Friday."), "direct", "said", *_span(D1, "said"),
                      "Mira Olsen", *_span(D1, "Mira Olsen"), "mira olsen")],
        times=[TimeExpr(*_span(D1, "Sunday"), "Sunday", "date", "2025-03-02", "day", "published"),
               TimeExpr(*_span(D1, "next week"), "next week", "date", "2025-W11", "week", "published")],
        events=[Event(d1, "inspection", *_span(D1, "The inspection of the dam is set to take place next week."),
                      [], "", "2025-W11", "future")])
    a2 = Annotation(d2, "x2", published_from="none", mentions=[
        _mention(D2, EVIL, "PERSON", "name", "evil reyes"),
        _mention(D2, "Reyes", "PERSON", "short", "evil reyes", nth=1),
        _mention(D2, "Harbour House", "FAC", "metonym", "harbour house"),
    ], roles=[RoleMention("evil reyes", "harbour <i>master</i>", *_span(D2, "Harbour master"))],
        quotes=[Quote(*_span(D2, EVIL_QUOTE), "indirect", "told", *_span(D2, "told"), EVIL, *_span(D2, EVIL),
                      "evil reyes")],
        times=[TimeExpr(*_span(D2, "three hours"), "three hours", "duration", "PT3H", "hour", "absolute")],
        events=[Event(d2, "inspection", *_span(D2, f"Harbour master {EVIL} told reporters 🌊 that {EVIL_QUOTE}."),
                      ["evil reyes"], "", "", "past", "PT3H")])
    a3 = Annotation(d3, "x3", published_from="none", mentions=[
        _mention(D3, "Ms. Olsen", "PERSON", "name", "olsen"),
        _mention(D3, "Valdora", "GPE", "name", "valdora"),
    ], roles=[RoleMention("olsen", "water minister", *_span(D3, "Former water minister"), "former")],
        quotes=[Quote(*_span(D3, "The sluices stay shut,"), "direct", "said", *_span(D3, "said"), "an official",
                      -1, -1, "")],
        times=[TimeExpr(*_span(D3, "last Friday"), "last Friday", "date", "", "", "inferred")],
        events=[Event(d3, "inspection", *_span(D3, "Former water minister Ms. Olsen criticised the inspection, "
                                                  "which took place in Valdora last Friday."),
                      ["olsen"], "valdora", "", "past")])
    return [a1, a2, a3, Annotation(ids["d4"], "x4", published_from="none")]


def _corpus_rows(db, ids: dict[str, str]) -> None:
    d1, d2, d3, d4 = ids["d1"], ids["d2"], ids["d3"], ids["d4"]
    db.executemany("INSERT INTO identities VALUES (?, ?, ?, ?, ?, ?)", [
        ("p-olsen", "Mira Olsen", "PERSON", "", 3, 2),
        ("p-reyes", EVIL, "PERSON", "", 2, 1),
        ("g-valdora", "Valdora", "GPE", "", 2, 2),
        ("f-house", "Harbour House", "FAC", "o-council", 1, 1),
        ("o-council", "Valdora city council", "ORG", "", 0, 0),
    ])
    db.executemany("INSERT INTO identity_variants VALUES (?, ?, ?)", [
        ("p-olsen", "Mira Olsen", 1), ("p-olsen", "Olsen", 1), ("p-olsen", "Ms. Olsen", 1),
        ("p-reyes", EVIL, 1), ("p-reyes", "Reyes", 1), ("g-valdora", "Valdora", 2), ("f-house", "Harbour House", 1),
    ])
    db.executemany("INSERT INTO identity_links VALUES (?, ?, ?)", [
        (d1, "mira olsen", "p-olsen"), (d1, "valdora", "g-valdora"), (d2, "evil reyes", "p-reyes"),
        (d2, "harbour house", "f-house"), (d3, "olsen", "p-olsen"), (d3, "valdora", "g-valdora"),
    ])
    db.executemany("INSERT INTO roles VALUES (?, ?, ?, ?, ?, ?, ?)", [
        ("p-olsen", "water minister", "", d1, *_span(D1, "Water Minister"), "2025-03-02"),
        ("p-olsen", "water minister", "former", d3, *_span(D3, "Former water minister"), ""),
        ("p-reyes", "harbour <i>master</i>", "", d2, *_span(D2, "Harbour master"), ""),
    ])
    db.executemany("INSERT INTO quote_speakers VALUES (?, ?, ?, ?, ?)", [
        (d1, 0, "p-olsen", 2, 0), (d2, 0, "p-reyes", 1, 1), (d3, 0, "", 0, 0),
    ])
    db.executemany("INSERT INTO timeline (id, trigger, label, date, date_evidence, place, duration, rank) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
        ("ev-insp", "inspection", EVIL_LABEL, "2025-03-07", "“last Friday” in #3, anchored on #2's date",
         "g-valdora", "PT3H", 1),
        ("ev-open", "open", "sluices opened", "", "", "", "", 2),
    ])
    db.executemany("INSERT INTO timeline_support VALUES (?, ?, ?)", [
        ("ev-insp", d3, 0), ("ev-insp", d2, 0), ("ev-insp", d1, 0),
    ])
    db.executemany("INSERT INTO placements VALUES (?, ?, ?, ?, ?, ?)", [
        (d1, "2025-03-02", "dated", "", 1, "published 2025-03-02 (input)"),
        (d3, "", "after", "ev-insp", 3, "reports the inspection in the past tense"),
        (d2, "", "after", "ev-insp", 2, "“lasted three hours”: <past>"),
        (d4, "", "unplaced", "", 4, "no event in common"),
    ])
    db.executemany("INSERT INTO stories VALUES (?, ?, ?, ?, ?)", [
        ("s-dam", EVIL_STORY, "2025-03-02", "2025-03-07", 3), ("s-bakery", "Mill Street bakery", "", "", 1),
    ])
    db.executemany("INSERT INTO story_documents VALUES (?, ?)",
                   [(d3, "s-dam"), (d1, "s-dam"), (d2, "s-dam"), (d4, "s-bakery")])
    db.executemany("INSERT INTO story_actors VALUES (?, ?, ?)",
                   [("s-dam", "p-reyes", 2), ("s-dam", "p-olsen", 1), ("s-dam", "g-valdora", 3)])


def build_store(path: Path) -> dict[str, str]:
    """A store with five documents, four annotated and placed; returns their ids by name."""
    with Store(path) as s, s.transaction():
        ids = {"d1": _add(s, 1, D1, title="Minister promises to open sluices", published="2025-03-02",
                          published_from="input"),
               "d2": _add(s, 2, D2, title="Harbour master on the inspection <script>t()</script>"),
               "d3": _add(s, 3, D3, title="Former minister criticises inspection"),
               "d4": _add(s, 4, D4, title="Bakery opens"),
               "d5": _add(s, 5, D5, title="Not yet read")}
        for ann in _annotations(ids):
            U.save_annotation(s, ann, on_restored=ann.document_id == ids["d2"])
        _corpus_rows(s.db, ids)
    return ids


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[dict[str, str], dict[str, Path]]:
    tmp = tmp_path_factory.mktemp("understanding")
    ids = build_store(tmp / "sitrep.db")
    with Store(tmp / "sitrep.db") as s:
        return ids, write_reports(s, tmp / "out", generated_at=WHEN)


@pytest.fixture(scope="module")
def ids(built) -> dict[str, str]:
    return built[0]


@pytest.fixture(scope="module")
def out(built) -> dict[str, Path]:
    return built[1]


@pytest.fixture(scope="module")
def data(out) -> dict:
    return json.loads(out["json"].read_text("utf-8"))


@pytest.fixture(scope="module")
def page(out) -> str:
    return out["html"].read_text("utf-8")


@pytest.fixture(scope="module")
def mdtext(out) -> str:
    return out["markdown"].read_text("utf-8")


# -- sitrep.json ---------------------------------------------------------------

S, I, N, B, L = str, int, type(None), bool, list
SHAPE = {
    "annotation": {"document_id": S, "published": (S, N), "published_from": S, "on_restored": B, "actors": L,
                   "times": L, "events": L},
    "annotation actor": {"identity_id": (S, N), "key": S, "label": S, "spans": L},
    "time expression": {"start": I, "end": I, "text": S, "kind": S, "value": (S, N), "grain": (S, N), "anchor": S},
    "event": {"seq": I, "trigger": S, "start": I, "end": I, "actors": L, "agents": L, "patients": L,
              "place": (S, N), "date": (S, N),
              "tense": (S, N), "duration": (S, N)},
    "actor": {"id": S, "name": S, "label": S, "stands_for": (S, N), "documents": I, "mentions": I, "variants": L,
              "roles": L},
    "variant": {"text": S, "count": I},
    "role": {"role": S, "qualifier": S, "document_id": S, "start": I, "end": I, "date": (S, N), "text": S},
    "quote": {"document_id": S, "seq": I, "kind": S, "start": I, "end": I, "text": S, "cue": S, "cue_start": I,
              "cue_end": I, "speaker": S, "speaker_start": (I, N), "speaker_end": (I, N), "speaker_key": (S, N),
              "identity_id": (S, N), "speaker_sources": (I, N), "single_source": (B, N)},
    "timeline": {"events": L, "placements": L},
    "timeline event": {"id": S, "rank": I, "trigger": S, "label": S, "date": (S, N), "date_evidence": S,
                       "place": (S, N), "duration": (S, N), "weekday": (S, N), "actors": L, "agents": L,
                       "patients": L, "support": L},
    "support": {"document_id": S, "seq": I, "start": (I, N), "end": (I, N), "trigger": (S, N), "tense": (S, N),
                "date": (S, N)},
    "placement": {"document_id": S, "rank": I, "date": (S, N), "relation": S, "event_id": (S, N), "reason": S},
    "story": {"id": S, "label": S, "start": (S, N), "end": (S, N), "size": I, "actors": L, "documents": L},
    "understanding": {"annotations": L, "actors": L, "quotes": L, "timeline": dict, "stories": L},
}


def _check(obj: dict, kind: str) -> None:
    assert set(obj) == set(SHAPE[kind]), f"{kind}: keys {sorted(obj)}"
    for key, types in SHAPE[kind].items():
        value = obj[key]
        allowed = types if isinstance(types, tuple) else (types,)
        # bool is an int subclass: a flag must not pass as a count, nor a count as a flag.
        ok = isinstance(value, allowed) and (isinstance(value, bool) == (bool in allowed) or value is None)
        assert ok, f"{kind}.{key} = {value!r}"


def test_json_understanding_shapes(data):
    _check({k: data[k] for k in SHAPE["understanding"]}, "understanding")
    assert list(data)[:3] == ["schema", "generated_at", "corpus"] and data["schema"] == "sitrep/1"
    for a in data["annotations"]:
        _check(a, "annotation")
        for x in a["actors"]:
            _check(x, "annotation actor")
            assert all(type(i) is int for s in x["spans"] for i in s)
        for t in a["times"]:
            _check(t, "time expression")
        for e in a["events"]:
            _check(e, "event")
    for a in data["actors"]:
        _check(a, "actor")
        for v in a["variants"]:
            _check(v, "variant")
        for r in a["roles"]:
            _check(r, "role")
    for q in data["quotes"]:
        _check(q, "quote")
    _check(data["timeline"], "timeline")
    for e in data["timeline"]["events"]:
        _check(e, "timeline event")
        for s in e["support"]:
            _check(s, "support")
    for p in data["timeline"]["placements"]:
        _check(p, "placement")
    for s in data["stories"]:
        _check(s, "story")


def test_docs_describe_the_understanding_fields():
    documented = _documented_fields()
    for kind, shape in SHAPE.items():
        if kind != "understanding":
            assert documented.get(kind) == set(shape), kind
    assert documented.get("Understanding sections") == set(SHAPE["understanding"])


def test_json_annotations(data, ids):
    anns = {a["document_id"]: a for a in data["annotations"]}
    assert [a["document_id"] for a in data["annotations"]] == [ids[k] for k in ("d1", "d2", "d3", "d4")]
    assert ids["d5"] not in anns  # not annotated: no entry
    a1 = anns[ids["d1"]]
    assert (a1["published"], a1["published_from"], a1["on_restored"]) == ("2025-03-02", "input", False)
    assert [(x["identity_id"], x["key"], x["spans"]) for x in a1["actors"]] == [
        ("p-olsen", "mira olsen", [list(_span(D1, "Mira Olsen")), list(_span(D1, "Olsen", 1))]),
        ("g-valdora", "valdora", [list(_span(D1, "Valdora"))]),
    ]
    assert anns[ids["d2"]]["on_restored"] is True and anns[ids["d2"]]["published"] is None
    assert anns[ids["d3"]]["times"][0]["value"] is None  # unresolved
    e3 = anns[ids["d3"]]["events"][0]
    assert (e3["actors"], e3["place"], e3["tense"], e3["date"], e3["duration"]) == (["olsen"], "valdora", "past",
                                                                                    None, None)
    assert anns[ids["d4"]]["actors"] == []


def test_json_actors(data, ids):
    names = [a["name"] for a in data["actors"]]
    # Most documents first, then mentions, then name.
    assert names == ["Mira Olsen", "Valdora", EVIL, "Harbour House", "Valdora city council"]
    olsen = data["actors"][0]
    assert [v["text"] for v in olsen["variants"]] == ["Mira Olsen", "Ms. Olsen", "Olsen"]  # count ties: by text
    assert [(r["qualifier"], r["document_id"], r["date"], r["text"]) for r in olsen["roles"]] == [
        ("", ids["d1"], "2025-03-02", "Water Minister"), ("former", ids["d3"], None, "Former water minister")]
    house = next(a for a in data["actors"] if a["id"] == "f-house")
    assert house["stands_for"] == "o-council" and data["actors"][0]["stands_for"] is None


def test_json_quotes(data, ids):
    qs = data["quotes"]
    assert [q["document_id"] for q in qs] == [ids["d1"], ids["d2"], ids["d3"]]
    q1, q2, q3 = qs
    assert q1["text"] == "We will open the sluices on Friday." and q1["identity_id"] == "p-olsen"
    assert (q1["single_source"], q1["speaker_sources"]) == (False, 2)
    assert q2["text"] == EVIL_QUOTE and q2["single_source"] is True and q2["kind"] == "indirect"
    assert (q3["identity_id"], q3["speaker_start"], q3["speaker_key"], q3["speaker"]) == (None, None, None,
                                                                                          "an official")


def test_json_timeline_and_stories(data, ids):
    events = data["timeline"]["events"]
    assert [e["id"] for e in events] == ["ev-insp", "ev-open"]
    insp = events[0]
    assert (insp["date"], insp["place"], insp["duration"]) == ("2025-03-07", "g-valdora", "PT3H")
    # Support in ingest order, with the sentence span of each document's event.
    assert [s["document_id"] for s in insp["support"]] == [ids["d1"], ids["d2"], ids["d3"]]
    s3 = insp["support"][2]
    assert D3[s3["start"]:s3["end"]].endswith("last Friday.") and s3["tense"] == "past"
    assert events[1]["date"] is None and events[1]["support"] == []
    order = data["timeline"]["placements"]
    assert [(p["document_id"], p["relation"], p["event_id"]) for p in order] == [
        (ids["d1"], "dated", None), (ids["d2"], "after", "ev-insp"), (ids["d3"], "after", "ev-insp"),
        (ids["d4"], "unplaced", None)]
    assert [s["id"] for s in data["stories"]] == ["s-dam", "s-bakery"]
    dam = data["stories"][0]
    assert dam["documents"] == [ids["d1"], ids["d2"], ids["d3"]]  # ingest order
    assert dam["actors"] == ["p-olsen", "p-reyes", "g-valdora"]  # rank order
    assert data["stories"][1]["start"] is None


def test_store_without_understanding_has_no_understanding_keys(tmp_path):
    with Store(tmp_path / "s.db") as s, s.transaction():
        _add(s, 1, D1)
    with Store(tmp_path / "s.db") as s:
        paths = write_reports(s, tmp_path / "o", generated_at=WHEN)
    data = json.loads(paths["json"].read_text())
    assert not set(SHAPE["understanding"]) & set(data)
    page = paths["html"].read_text()
    assert "sec-actors" not in page and "Who, what, when" not in page


def test_old_report_renders_without_the_sections(data):
    old = {k: v for k, v in data.items() if k not in SHAPE["understanding"]}
    page = render_html(old)
    assert "sec-actors" not in page and "sec-timeline" not in page
    assert "<button data-span" not in page and "<button title" not in page
    assert "## Actors" not in render_markdown(old)


def test_analysed_but_empty_corpus_tables(tmp_path):
    with Store(tmp_path / "s.db") as s, s.transaction():
        d = _add(s, 1, D4)
        U.save_annotation(s, Annotation(d, "x", published_from="none"), on_restored=False)
    with Store(tmp_path / "s.db") as s:
        paths = write_reports(s, tmp_path / "o", generated_at=WHEN)
    data = json.loads(paths["json"].read_text())
    assert data["actors"] == [] and data["quotes"] == [] and data["stories"] == []
    assert data["timeline"] == {"events": [], "placements": []}
    page, mdtext = paths["html"].read_text(), paths["markdown"].read_text()
    assert "No actors yet" in page and "No quotes found." in page and "No timeline yet" in page
    assert "No stories yet" in mdtext


# -- report.html ---------------------------------------------------------------


def _section(page: str, sid: str) -> str:
    return re.search(rf'<section id="sec-{sid}">.*?</section>', page, re.S)[0]


def test_html_is_inert(page):
    assert "<script>alert" not in page and "<img" not in page and "<b>of</b>" not in page
    assert "<i>master</i>" not in page and "</section><script>" not in page
    tags = Tags(page)
    assert [t for t, _ in tags.tags].count("script") == 1
    for tag, attrs in tags.tags:
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        assert "src" not in attrs
        if "data-span" in attrs:
            assert re.fullmatch(r"\d+:\d+(,\d+:\d+)*", attrs["data-span"]), attrs
    assert hu.esc(EVIL) in page and hu.esc(EVIL_QUOTE) in page and hu.esc(EVIL_STORY) in page


def test_html_sections_and_order(page):
    nav = re.search(r'<nav class="toc">(.*?)</nav>', page)[1]
    assert re.findall(r'href="#sec-(\w+)"', nav) == ["documents", "stories", "actors", "timeline", "quotes",
                                                    "provenance", "details", "errors", "runs"]
    assert "<li><b>4</b> annotated</li>" in page and "<li><b>3</b> quotes</li>" in page
    assert "<li><b>2</b> stories</li>" in page and "<li><b>2</b> timeline events</li>" in page


def test_html_actors(page, ids):
    sec = _section(page, "actors")
    row = re.search(r'<tr id="actor-p-olsen">.*?</tr>', sec)[0]
    # Both readings of the role, side by side, each linking to the document and its span.
    assert "sources disagree" in row and 'data-qualifier="former"' in row and ">current<" in row
    a, b = _span(D1, "Water Minister")
    assert f'<a href="#doc-{ids["d1"]}" title="Minister promises to open sluices" data-span="{a}:{b}">#1</a>' in row
    assert "Ms. Olsen</bdi> <span class=\"muted\">×1" in row
    house = re.search(r'<tr id="actor-f-house">.*?</tr>', sec)[0]
    assert 'metonym</span> stands for <a href="#actor-o-council"><bdi>Valdora city council</bdi></a>' in house
    council = re.search(r'<tr id="actor-o-council">.*?</tr>', sec)[0]
    assert 'also designated as <a href="#actor-f-house">' in council
    assert "harbour &lt;i&gt;master&lt;/i&gt;" in sec


def test_html_quotes(page, ids):
    sec = _section(page, "quotes")
    assert "<b>3</b> quotes (2 direct) from <b>3</b> speakers; <b>1</b> attributed" in sec
    heads = re.findall(r"<h3>(.*?) <span", sec)
    # One quote each: by name ("<" sorts first); unresolved speakers come last.
    assert heads[:2] == [f'<a href="#actor-p-reyes"><bdi>{hu.esc(EVIL)}</bdi></a>',
                         '<a href="#actor-p-olsen"><bdi>Mira Olsen</bdi></a>']
    assert "Speaker not resolved" in heads[2] and len(heads) == 3
    a, b = _span(D2, EVIL_QUOTE)
    item = re.search(r"<li>[^\n]*?data-single[^\n]*?</li>", sec)[0]
    assert f'<span class="indirect">{hu.esc(EVIL_QUOTE)}</span>' in item and f'data-span="{a}:{b}"' in item
    assert "<q>We will open the sluices on Friday.</q>" in sec
    assert "an official</bdi> said" in sec  # an unresolved speaker shown as written


def test_html_timeline_and_stories(page, ids):
    sec = _section(page, "timeline")
    row = re.search(r'<tr id="event-ev-insp">.*?</tr>', sec)[0]
    assert "2025-03-07" in row and hu.esc("“last Friday” in #3, anchored on #2's date") in row
    assert '<span title="PT3H">3 hours</span>' in row and hu.esc(EVIL_LABEL) in row
    assert '<a href="#actor-g-valdora"><bdi>Valdora</bdi></a>' in row
    s, e = _span(D3, "Former water minister Ms. Olsen criticised the inspection, which took place in Valdora last "
                     "Friday.")
    assert f'data-span="{s}:{e}">#3</a> <span class="muted">past</span>' in row
    assert "relative only" in sec
    assert f'after <a href="#event-ev-insp"><bdi>{hu.esc(EVIL_LABEL)}</bdi></a>' in sec
    assert hu.esc("“lasted three hours”: <past>") in sec
    stories = _section(page, "stories")
    assert '<div class="story" id="story-s-dam">' in stories and "2025-03-02 – 2025-03-07 · 3 documents" in stories
    assert stories.index("#1</a>") < stories.index("#2</a>") < stories.index("#3</a>")
    assert "Key actors: <a href=\"#actor-p-olsen\">" in stories and "undated" in stories
    # No briefings in this report: a story's title links nowhere (test_report_corroboration has the link).
    assert 'href="#brief-' not in stories and "links to its briefing" not in stories


def test_html_document_block(page, ids):
    det = re.search(rf'<details class="doc" id="doc-{ids["d1"]}">.*?</details>', page, re.S)[0]
    who = re.search(r"<h4>Who, what, when.*?</dl>", det, re.S)[0]
    spans = ",".join(f"{a}:{b}" for a, b in (_span(D1, "Mira Olsen"), _span(D1, "Olsen", 1)))
    assert f'data-span="{spans}"><bdi>Mira Olsen</bdi> ×2</button>' in who
    assert '2025-03-02 <span class="muted">(input)</span>' in who
    assert "Sunday</bdi> → 2025-03-02</button>" in who and "inspection</bdi> (future, 2025-W11)</button>" in who
    q = ",".join(f"{a}:{b}" for a, b in (_span(D1, "We will open the sluices on Friday."), _span(D1, "Mira Olsen")))
    assert f'data-span="{q}">direct: “We will open the sluices on Friday.”</button>' in who
    assert f'id="text-{ids["d1"]}"' in det and det.index("Who, what, when") < det.index("<h4>Text</h4>")
    d2 = re.search(rf'<details class="doc" id="doc-{ids["d2"]}">.*?</details>', page, re.S)[0]
    assert "read on the restored text" in d2 and "three hours</bdi> → PT3H" in d2
    assert "(past, <span title=\"PT3H\">3 hours</span>)</button>" in d2
    d5 = re.search(rf'<details class="doc" id="doc-{ids["d5"]}">.*?</details>', page, re.S)[0]
    assert "Who, what, when" not in d5


def test_span_attr_keeps_only_integers():
    assert hu.span_attr([(1, 4), ("7", "9"), (5, 5), (-1, 3)]) == ' data-span="1:4,7:9"'
    assert hu.span_attr([]) == ""
    with pytest.raises(ValueError):
        hu.span_attr([("1", '2" onclick="x')])


@pytest.mark.parametrize("iso, words", [("PT3H", "3 hours"), ("P1D", "1 day"), ("P2Y3M", "2 years, 3 months"),
                                        ("PT1H30M", "1 hour, 30 minutes")])
def test_duration_words(iso, words):
    assert hu.duration(iso) == f'<span title="{iso}">{words}</span>'
    assert hu.duration("P") == "P" and hu.duration("<b>") == "&lt;b&gt;" and hu.duration(None) == ""


def test_script_handles_spans(page):
    script = Tags(page).scripts[0]
    assert "CSS.highlights" in script and "data-span" in script and "innerHTML" not in script


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
# Clicks every element with a data-span and records what the page's script highlighted.
_HARNESS = """<script>
var out = [];
document.querySelectorAll("[data-span]").forEach(function (el) {
  el.click();
  var h = CSS.highlights.get("sitrep-span"), texts = [];
  if (h) h.forEach(function (r) { texts.push(r.toString()); });
  var doc = el.getAttribute("href") ? el.getAttribute("href").slice(5) : el.closest("details.doc").id.slice(4);
  out.push([doc, el.dataset.span, texts]);
  CSS.highlights.clear();
});
var pre = document.createElement("pre");
pre.id = "RESULT";
pre.textContent = JSON.stringify(out);
document.body.appendChild(pre);
</script></body>"""


@pytest.mark.skipif(not CHROMIUM, reason="no headless Chromium to run report.js")
def test_spans_highlight_their_text_in_a_browser(page, data, tmp_path):
    # The harness script is not in the CSP's hash: drop the policy for this copy only.
    test_page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page).replace("</body>", _HARNESS)
    (tmp_path / "harness.html").write_text(test_page, "utf-8")
    dom = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                          str(tmp_path / "harness.html")], capture_output=True, text=True, timeout=60).stdout
    results = json.loads(unescape(re.search(r'<pre id="RESULT">(.*?)</pre>', dom, re.S)[1]))
    texts = {d["id"]: d["text"] for d in data["documents"]}
    assert len(results) == sum(1 for _, attrs in Tags(page).tags if "data-span" in attrs) > 20
    for doc_id, spans, got in results:
        want = [texts[doc_id][int(a):int(b)] for a, b in (p.split(":") for p in spans.split(","))]
        assert got == want, (doc_id, spans)
    assert any("Harbour House" in g for _, _, g in results)  # a span after the emoji


def test_caps_apply(data, monkeypatch):
    monkeypatch.setattr(hu, "ACTORS_SHOWN", 2)
    monkeypatch.setattr(hu, "QUOTES_PER_SPEAKER", 0)
    page = render_html(data)
    sec = _section(page, "actors")
    assert sec.count("<tr id=\"actor-") == 2 and "Showing 2 of 5 actors" in sec
    # Actors not shown are named but not linked: no dangling anchors.
    assert 'href="#actor-p-reyes"' not in page and hu.esc(EVIL) in page
    assert "and 1 more</li>" in _section(page, "quotes")


# -- report.md -------------------------------------------------------------------


def test_markdown_sections(mdtext, ids):
    for title in ("Stories", "Actors", "Timeline", "Quotes"):
        assert f"\n## {title}\n" in mdtext
    assert "**4** annotated" in mdtext
    assert "water minister — current: #1 2025-03-02; former: #3 (sources disagree)" in mdtext
    assert "Harbour House (stands for Valdora city council)" in mdtext
    assert re.search(r"(?m)^\| \(an official\) \| direct \| The sluices stay shut, \| said \| #3 \|  \|$", mdtext)
    assert re.search(r"(?m)^\| 2 \| #2 \| .* \| — \| after inspection &lt;b&gt;of&lt;/b&gt; the dam \|", mdtext)
    assert "| 3 hours" not in mdtext and "| PT3H |" in mdtext


def test_markdown_is_inert(mdtext):
    assert "<script" not in mdtext and "<img" not in mdtext and "<b>" not in mdtext and "<i>" not in mdtext
    for block in re.findall(r"(?m)(?:^\|.*\n)+", mdtext):
        rows = block.splitlines()
        assert {_unescaped_pipes(r) for r in rows} == {_unescaped_pipes(rows[0])}, block


def test_json_keeps_records_on_one_line(out, data, ids):
    text = out["json"].read_text("utf-8")
    a, b = _span(D1, "Sunday")
    line = (f'{{"start": {a}, "end": {b}, "text": "Sunday", "kind": "date", "value": "2025-03-02", "grain": "day", '
            '"anchor": "published"}')
    assert f"\n        {line},\n" in text  # one time expression per line, at its depth
    spans = ", ".join(f"[{x}, {y}]" for x, y in (_span(D1, "Mira Olsen"), _span(D1, "Olsen", 1)))
    assert f'"spans": [{spans}]}}' in text
    assert '\n      "text": ' in text  # a document, with its text, is laid out key by key
    assert json.loads(text) == data


def test_deterministic(built, tmp_path):
    ids, out = built
    with Store(Path(out["json"]).parent.parent / "sitrep.db") as s:
        again = write_reports(s, tmp_path / "again", generated_at=WHEN)
    for key in out:
        assert out[key].read_bytes() == again[key].read_bytes(), key

"""The report's corroboration parts: claims, contradictions, positions, briefings; the plots.

The store is the invented river-dam dispute of test_report_understanding,
with the corroboration tables filled by hand from the model's dataclasses
(claims, claim groups, a contradiction, a position shift, a briefing with one
unsupported sentence), so every expected value is known.  A cited span holds
a ``<script>`` and an ``<img onerror>``; a story label and a claim text are
hostile.
"""

from __future__ import annotations

import dataclasses
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from test_report import WHEN, Tags, _documented_fields
from test_report_understanding import D1, D2, D3, EVIL, EVIL_QUOTE, _span, build_store

from sitrep.model import Briefing, BriefSentence, Citation, Claim, ClaimGroup, Contradiction, Position
from sitrep.report import html_corroboration, plots, render_html, render_markdown, write_reports
from sitrep.report.html_corroboration import spun_reading
from sitrep.store import corroboration as C
from sitrep.store.db import Store

EVIL_CLAIM = "the <b>sluices</b> stay shut"


def _claim(doc_id: str, text: str, piece: str, **kw) -> Claim:
    a, b = _span(text, piece)
    return Claim(f"{doc_id}:{a}-{b}", doc_id, a, b, a, b, piece, kw.pop("subject", "olsen"),
                 kw.pop("subject_key", "olsen"), kw.pop("predicate", "open"), "", **kw)


def _insert_claims(store: Store, claims: list[Claim]) -> None:
    seqs: dict[str, int] = {}
    for c in claims:
        row = dataclasses.asdict(c)
        row["seq"] = seqs[c.document_id] = seqs.get(c.document_id, -1) + 1
        for k in ("hedges", "numbers", "dates", "places", "entities"):
            row[k] = json.dumps(row[k])
        store.db.execute(f"INSERT INTO claims ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                         tuple(row.values()))


def corroborate(path: Path, ids: dict[str, str]) -> dict[str, Claim]:
    """Add claims, groups, a contradiction, positions and a briefing to the dam store."""
    d1, d2, d3 = ids["d1"], ids["d2"], ids["d3"]
    cl = {
        "open": _claim(d1, D1, "We will open the sluices on Friday", speaker="Mira Olsen", speaker_key="mira olsen",
                       quote_kind="direct", checkworthy=0.9),
        "hours": _claim(d2, D2, EVIL_QUOTE, subject="inspection", subject_key="", predicate="last",
                        checkworthy=0.8, dates=("2025-03-07",)),
        "evil": _claim(d2, D2, EVIL, subject="reyes", predicate="tell", checkworthy=0.3),
        "took": _claim(d3, D3, "the inspection, which took place in Valdora last Friday", subject="inspection",
                       subject_key="", predicate="take place", checkworthy=0.7),
        "shut": _claim(d3, D3, "The sluices stay shut", predicate="stay", polarity=-1, modality="reported"),
    }
    groups = [
        ClaimGroup("g:insp", "s-dam", "the inspection lasted three hours", [cl["hours"].id, cl["took"].id], [d2, d3],
                   2, False, False, 0.8, "inspection", "last", "2025-03-07"),
        ClaimGroup("g:open", "s-dam", "We will open the sluices on Friday", [cl["open"].id], [d1], 1, True, False,
                   0.9, "p-olsen", "open", "2025-03-02"),
        ClaimGroup("g:evil", "s-dam", EVIL_CLAIM, [cl["evil"].id, cl["shut"].id], [d2, d3], 1, True, True, 0.3),
    ]
    dispute = Contradiction("x:1", "s-dam", "number", "ev-insp", "last", "three hours", "two hours",
                            [Citation(d2, cl["hours"].start, cl["hours"].end)],
                            [Citation(d3, cl["took"].start, cl["took"].end)], 1, 1, False, True)
    stances = [Position("p-olsen", "s-dam", "sluices", "supports", "2025-03-02", "published", cl["open"].id,
                        Citation(d1, cl["open"].start, cl["open"].end), cl["open"].text),
               Position("p-olsen", "s-dam", "sluices", "opposes", "2025-03-08", "text", cl["shut"].id,
                        Citation(d3, cl["shut"].start, cl["shut"].end), cl["shut"].text, True)]
    brief = Briefing("s-dam", "dam", [
        BriefSentence("happened", "Mira Olsen said the sluices would open on Friday.",
                      [Citation(d1, *_span(D1, "Water Minister Mira Olsen said on Sunday: “We will open the sluices "
                                               "on Friday.”"))]),
        BriefSentence("claims", "The inspection lasted three hours (1 independent source).",
                      [Citation(d2, cl["hours"].start, cl["hours"].end)]),
        BriefSentence("disputed", f"Reyes is named as {EVIL}.", [Citation(d2, cl["evil"].start, cl["evil"].end)]),
        BriefSentence("positions", "Olsen later said the dam would stay open for 40 days.",
                      [Citation(d3, cl["shut"].start, cl["shut"].end)], supported=False),
    ], mode="abstractive:test-model")
    with Store(path) as s, s.transaction():
        _insert_claims(s, list(cl.values()))
        s.db.execute("INSERT INTO quality VALUES (?, 0.12, 1)", (d2,))
        s.db.execute("INSERT INTO quality VALUES (?, 0.85, 0)", (d1,))
        C.save_rows(s, {**C.group_rows(groups), "contradictions": C.contradiction_rows([dispute]),
                        "positions": C.position_rows(stances), "briefings": C.briefing_rows([brief])})
    return cl


def build_corroborated(path: Path) -> dict[str, str]:
    ids = build_store(path)
    corroborate(path, ids)
    return ids


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("corroboration")
    ids = build_corroborated(tmp / "sitrep.db")
    with Store(tmp / "sitrep.db") as s:
        return ids, write_reports(s, tmp / "out", generated_at=WHEN)


@pytest.fixture(scope="module")
def ids(built):
    return built[0]


@pytest.fixture(scope="module")
def data(built) -> dict:
    return json.loads(built[1]["json"].read_text("utf-8"))


@pytest.fixture(scope="module")
def page(built) -> str:
    return built[1]["html"].read_text("utf-8")


@pytest.fixture(scope="module")
def mdtext(built) -> str:
    return built[1]["markdown"].read_text("utf-8")


def _briefing_html(page: str) -> str:
    return page[page.index('<section id="sec-briefings">'):page.index('<section id="sec-actors">')]


# -- sitrep.json -----------------------------------------------------------------------------------

S, I, F, N, B, L, O = str, int, float, type(None), bool, list, dict
SHAPE = {
    "claim group": {"id": S, "story_id": S, "rank": I, "label": S, "subject": S, "predicate": S,
                    "independent_sources": I, "documents": L, "single_source": B, "farm_only": B,
                    "checkworthy": F, "first_seen": (S, N), "claims": L},
    "claim": {"id": S, "document_id": S, "start": I, "end": I, "text": S, "subject": S, "subject_key": (S, N),
              "predicate": S, "object": (S, N), "polarity": I, "modality": S, "hedges": L, "tense": S, "dates": L,
              "speaker": (S, N), "speaker_key": (S, N), "quote_kind": (S, N), "checkworthy": F},
    "citation": {"document_id": S, "start": I, "end": I},
    "contradiction": {"id": S, "story_id": S, "kind": S, "subject": S, "topic": S, "a": O, "b": O},
    "side": {"value": S, "citations": L, "sources": I, "farm_only": B},
    "actor positions": {"story_id": S, "identity_id": S, "positions": L, "shifts": L},
    "position": {"issue": S, "stance": S, "date": (S, N), "date_from": (S, N), "claim_id": S, "citation": O,
                 "text": S, "reported": B},
    "shift": {"issue": S, "from": I, "to": I},
    "briefing": {"story_id": S, "title": S, "mode": S, "sentences": L},
    "briefing sentence": {"section": S, "text": S, "citations": L, "supported": B},
}


def _check(obj: dict, kind: str) -> None:
    assert set(obj) == set(SHAPE[kind]), f"{kind}: keys {sorted(obj)}"
    for key, types in SHAPE[kind].items():
        allowed = types if isinstance(types, tuple) else (types,)
        value = obj[key]
        ok = isinstance(value, allowed) and (isinstance(value, bool) == (bool in allowed) or value is None)
        assert ok, f"{kind}.{key} = {value!r}"


def test_json_shapes(data):
    for g in data["claims"]:
        _check(g, "claim group")
        for c in g["claims"]:
            _check(c, "claim")
    for c in data["contradictions"]:
        _check(c, "contradiction")
        for side in (c["a"], c["b"]):
            _check(side, "side")
            for x in side["citations"]:
                _check(x, "citation")
    for a in data["positions"]:
        _check(a, "actor positions")
        for p in a["positions"]:
            _check(p, "position")
            _check(p["citation"], "citation")
        for x in a["shifts"]:
            _check(x, "shift")
    for b in data["briefings"]:
        _check(b, "briefing")
        for s in b["sentences"]:
            _check(s, "briefing sentence")
            for x in s["citations"]:
                _check(x, "citation")


def test_docs_describe_the_corroboration_fields():
    documented = _documented_fields()
    for kind, shape in SHAPE.items():
        assert documented.get(kind) == set(shape), kind
    assert documented.get("Corroboration sections") == {"claims", "contradictions", "positions", "briefings"}


def test_json_claims(data, ids):
    groups = data["claims"]
    assert [g["id"] for g in groups] == ["g:insp", "g:open", "g:evil"]  # checkworthy × sources, then id
    assert [g["rank"] for g in groups] == [1, 2, 3]
    insp = groups[0]
    assert insp["independent_sources"] == 2 and insp["documents"] == sorted([ids["d2"], ids["d3"]])
    assert [c["document_id"] for c in insp["claims"]] == [ids["d2"], ids["d3"]]  # ingest order
    hours = insp["claims"][0]
    assert D2[hours["start"]:hours["end"]] == EVIL_QUOTE and hours["dates"] == ["2025-03-07"]
    opened = groups[1]["claims"][0]
    assert (opened["speaker"], opened["quote_kind"], opened["subject_key"]) == ("Mira Olsen", "direct", "olsen")
    assert groups[2]["farm_only"] and groups[2]["single_source"]
    shut = groups[2]["claims"][1]
    assert (shut["polarity"], shut["modality"], shut["object"]) == (-1, "reported", None)


def test_json_contradictions_positions_briefings(data, ids):
    (c,) = data["contradictions"]
    assert (c["a"]["value"], c["b"]["value"], c["b"]["farm_only"]) == ("three hours", "two hours", True)
    assert c["a"]["citations"][0]["document_id"] == ids["d2"]
    (olsen,) = data["positions"]
    assert [p["stance"] for p in olsen["positions"]] == ["supports", "opposes"]
    assert olsen["shifts"] == [{"issue": "sluices", "from": 0, "to": 1}]
    (b,) = data["briefings"]
    assert b["mode"] == "abstractive:test-model" and b["title"].startswith("Valdora dam dispute")
    assert [s["supported"] for s in b["sentences"]] == [True, True, True, False]


def test_sections_absent_without_corroboration(tmp_path):
    build_store(tmp_path / "s.db")
    with Store(tmp_path / "s.db") as s:
        out = write_reports(s, tmp_path / "out", generated_at=WHEN)
    data = json.loads(out["json"].read_text("utf-8"))
    assert not {"claims", "contradictions", "positions", "briefings"} & set(data)
    assert 'id="sec-briefings"' not in out["html"].read_text("utf-8")
    assert "## Briefings" not in out["markdown"].read_text("utf-8")


# -- report.html -----------------------------------------------------------------------------------


def test_html_hostile_cited_spans_stay_inert(page):
    tags = Tags(page)
    assert [t for t, _ in tags.tags].count("script") == 1  # report.js only
    assert not any(t in ("img", "iframe") for t, _ in tags.tags) and "<b>sluices" not in page
    section = _briefing_html(page)
    assert "&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt; Reyes" in section
    assert "the &lt;b&gt;sluices&lt;/b&gt; stay shut" in section
    assert "Valdora dam dispute &lt;/section&gt;&lt;script&gt;x()&lt;/script&gt;" in section


def test_html_citations_link_to_their_spans(page, data, ids):
    section = _briefing_html(page)
    anchors = set(re.findall(r'\bid="([^"]+)"', page))
    links = re.findall(r'<a href="#([^"]+)"([^>]*)>', section)
    assert links and all(target in anchors for target, _ in links)
    cited = {(x["document_id"], x["start"], x["end"]) for b in data["briefings"] for s in b["sentences"]
             for x in s["citations"]}
    spans = {(t[4:], int(a), int(b)) for t, attrs in links if t.startswith("doc-")
             for value in re.findall(r'data-span="([\d:,]+)"', attrs)
             for a, b in (pair.split(":") for pair in value.split(","))}
    assert cited <= spans
    # Each cited document's text box is on the page, for report.js to paint the span in.
    assert all(f'id="text-{doc_id}"' in page for doc_id, _, _ in cited)


def test_html_briefing_view(page):
    section = _briefing_html(page)
    assert section.index("What happened") < section.index("Key claims") < section.index("Disputed points")
    assert 'class="unsupported"' in section and "not backed by its citations" in section
    assert "content farms only" in section and "single source" in section
    assert "↪ shift" in section and 'href="#claim-g:insp"' in section and 'id="claim-g:insp"' in section
    assert section.count("<svg") >= 3  # support bars, timeline, quality strip


def test_html_documents_list_their_briefing_citations(page, ids, data):
    details = page[page.index(f'id="doc-{ids["d3"]}"'):]
    details = details[:details.index("</details>")]
    assert "cited by briefings" in details and 'href="#brief-s-dam"' in details
    # One button per citing briefing, highlighting every span of the document it cites (#2 is cited twice).
    d2 = page[page.index(f'id="doc-{ids["d2"]}"'):]
    cited = d2[d2.index("<dt>cited by briefings</dt>"):d2.index("</dd>", d2.index("<dt>cited by briefings</dt>"))]
    want = sorted((x["start"], x["end"]) for s in data["briefings"][0]["sentences"] for x in s["citations"]
                  if x["document_id"] == ids["d2"])
    assert len(want) == 2 and cited.count("<button") == 1 and "×2</button>" in cited
    assert f'data-span="{",".join(f"{a}:{b}" for a, b in want)}"' in cited


def test_html_citations_of_one_document_share_a_link():
    ctx = html_corroboration.CContext({"documents": [{"id": "d1", "seq": 4, "title": "t <b>", "spin": None}]})
    cites = [{"document_id": "d1", "start": 10, "end": 20}, {"document_id": "zz", "start": 1, "end": 2},
             {"document_id": "d1", "start": 30, "end": 45}]
    assert ctx.cites(cites) == ('<a href="#doc-d1" data-span="10:20,30:45">#4 10–20, 30–45</a> '
                                '<a href="#doc-zz" data-span="1:2">zz 1–2</a>')
    assert ctx.cites(cites, cap=1) == ('<a href="#doc-d1" data-span="10:20">#4 10–20</a> '
                                       '<span class="muted">and 2 more</span>')


def test_html_compact_views_past_the_largest_stories(data, monkeypatch):
    monkeypatch.setattr(html_corroboration, "FULL_VIEWS", 0)
    section = _briefing_html(render_html(data))
    view = section[section.index('id="brief-s-dam"'):]
    # The briefing, every sentence with its citations, stays; the rest is counted and left to sitrep.json.
    assert "What happened" in view and view.count("<li") == len(data["briefings"][0]["sentences"])
    assert "Key claims</h4>" not in view and "<svg" not in view and "Positions over time" not in view
    assert "Compact view: 3 claim groups, 1 disputed point, 1 actor with positions" in view
    assert "largest stories show their key claims" in section


def test_html_stories_link_to_their_briefings(page):
    stories = page[page.index('<section id="sec-stories">'):page.index('<section id="sec-briefings">')]
    assert '<h3><a href="#brief-s-dam"><bdi>' in stories and 'id="brief-s-dam"' in page
    assert "links to its briefing" in stories


def test_html_section_styles_come_from_report_css(page):
    assert page.count("<style>") == 1  # the page's stylesheet, nothing inline in the section
    style = page[page.index("<style>"):page.index("</style>")]
    assert ".brief .sides" in style and ".badge[data-warn]" in style


def test_html_svgs_are_well_formed(page):
    for svg in re.findall(r"<svg\b.*?</svg>", _briefing_html(page), flags=re.S):
        ET.fromstring(svg.replace("&nbsp;", " "))


def test_spun_reading():
    d = {"text": "talks successful Ukraine ended", "spin": {"spun": True, "marks": [
        {"start": 6, "end": 16, "restored": "in", "published": "successful"}]}}
    assert spun_reading(d, 0, 24) == "talks in Ukraine"
    assert spun_reading({"text": "x", "spin": None}, 0, 1) is None


# -- plots -----------------------------------------------------------------------------------------

HOSTILE = '<script>alert(1)</script> & "quoted" </svg>'


def _parse(svg: str) -> ET.Element:
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    return ET.fromstring(svg)


def _texts(root: ET.Element) -> str:
    return " ".join("".join(e.itertext()) for e in root.iter())


def test_plot_timeline_escapes_and_places():
    marks = [plots.Mark("events", HOSTILE, "2025-03-07", href="#event-1"),
             plots.Mark("events", "opened", "2025-03-01/2025-03-02"),
             plots.Mark("documents", "a preview", None, "before", "2025-03-07", href="javascript:alert(1)"),
             plots.Mark("documents", "by then", "/2025-03-05"),
             plots.Mark("documents", "no idea", None, flag=True)]
    root = _parse(plots.timeline(marks))
    assert HOSTILE[:20] in _texts(root)
    hrefs = [e.get("href") for e in root.iter("{http://www.w3.org/2000/svg}a")]
    assert hrefs == ["#event-1"]  # only in-page fragments become links
    assert plots.timeline([plots.Mark("events", "x", None)]) == ""


def test_plot_quality_strip_and_support_bars():
    dots = [plots.Dot(0.1, HOSTILE, True, "#doc-a"), plots.Dot(0.9, "fine", False, "#doc-b")]
    root = _parse(plots.quality_strip(dots))
    ns = "{http://www.w3.org/2000/svg}"
    assert len(root.findall(f".//{ns}rect")) == 1 and len(root.findall(f".//{ns}circle")) == 1  # farm = square
    assert HOSTILE in _texts(root)
    bars = [plots.Support(HOSTILE, 5, 1, True, False, "#claim-x"), plots.Support("b", 3, 3)]
    root = _parse(plots.support_bars(bars))
    widths = {r.get("class"): [] for r in root.iter(f"{ns}rect")}
    for r in root.iter(f"{ns}rect"):
        widths[r.get("class")].append(float(r.get("width")))
    assert widths["docs"][0] == 5 * widths["independent"][0] == 5 / 3 * widths["docs"][1]
    assert plots.quality_strip([]) == "" and plots.support_bars([]) == ""


def test_parse_day():
    assert plots.parse_day("2025-08-15/2025-08-16").isoformat() == "2025-08-15"
    assert plots.parse_day("2025-08").isoformat() == "2025-08-01"
    assert plots.parse_day("2025-13-40") is None and plots.parse_day(None) is None


# -- report.md -------------------------------------------------------------------------------------


def test_markdown_briefing(mdtext, ids):
    part = mdtext[mdtext.index("## Briefings"):mdtext.index("## Actors")]
    assert "<script" not in part and "<b>" not in part
    assert "&lt;script&gt;" in part and "(not backed by its citations)" in part
    hours = _span(D2, EVIL_QUOTE)
    assert f"\\[#2 {hours[0]}–{hours[1]}\\]" in part
    assert "**shift** →" in part and "content farms only" in part


def test_render_without_report_sections():
    # A sitrep.json carrying only the corroboration keys and nothing else still renders.
    report = {"briefings": [], "claims": [], "contradictions": [], "positions": []}
    assert "No briefings yet" in render_html(report) and "No briefings yet" in render_markdown(report)


def test_page_is_not_broken_by_the_section(page):
    assert page.count("<details") == page.count("</details>")
    assert page.count("<section") == page.count("</section>")

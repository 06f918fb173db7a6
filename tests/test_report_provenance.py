"""The report's provenance parts: JSON fields, the SVG graph, highlights, spin, Markdown.

The store is built by hand with sitrep.store.provenance, so every expected
value is known: a group of four (origin, copy, spun copy, content-farm
rewrite), two reprints of a wire story whose origin is not in the pile, a
low-confidence edge outside any group, a lone document and one never
analysed.  Titles, texts, details, group ids and direction signals are hostile.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_report import SHAPE, WHEN, Tags, _check, _unescaped_pipes

from sitrep.model import Derivation, Document, Passage, QualityCard, Signal, SpinMark, SpinResult, item_id
from sitrep.report import graph as graph_mod
from sitrep.report import html as html_mod
from sitrep.report import html_provenance
from sitrep.report import render_html, render_markdown, write_reports
from sitrep.store import provenance as prov
from sitrep.store.db import Store

T1 = '<script>alert("t1")</script> Ferry & "storm" <b>halted</b>'
P1 = "The harbour ferry stopped running on Monday after the storm damaged the north pier."
P2 = "Repairs will cost 5% more than planned & crews <b>worked</b> through the night, the operator said."
P3 = "Officials said the service should resume in a week."
ORIGIN = f"{P1}\n\n{P2}\n\n{P3}"
COPY = ORIGIN + "\n\nRead more: <a href=\"javascript:alert(2)\">our storm coverage</a>"
# (original word, published word, restored word): the spun copy swaps the first
# two, and the third is suspected but not restored.
SPINS = [("stopped", "ceased", "stopped"), ("storm", "tempest", "<i>storm</i>"), ("resume", "recommence", "")]
FARM = ("Expert Insight: Dr. Jane Roe, a geopolitical analyst at the Institute for Strategic Studies, said "
        "the ferry <script>alert('farm')</script> matters &amp; always will.\n\n"
        "In conclusion, only time will tell & the future remains uncertain.")
WIRE_A = "(Harbor Wire Service) — Ferry operators across the region cut sailings as the storm passed the coast."
WIRE_B = WIRE_A + " Local crews expect to reopen piers by the weekend."
LONE = "A council meeting on parking fees ran late; no decision was taken."
OTHER = "Parking fees were discussed by the council, which took no decision."
UNSEEN = "A document no provenance stage has looked at."
HOSTILE_DETAIL = "<img src=x onerror=alert('detail')> & more"
HOSTILE_DIRECTION = 'dates: <svg onload=alert("dir")> is earlier'


def _spun_text() -> tuple[str, list[SpinMark]]:
    text = ORIGIN
    for orig, pub, _ in SPINS:
        text = text.replace(orig, pub, 1)
    marks = []
    for _, pub, restored in SPINS:
        start = text.index(pub)
        marks.append(SpinMark(start, start + len(pub), pub, restored, 0.9, "alignment"))
    return text, marks


def _farm_spans() -> dict[str, list[tuple[int, int]]]:
    amp = FARM.index("tell & the") + len("tell ")
    closer = FARM.index("In conclusion")
    return {
        "template_section": [(0, len("Expert Insight: Dr. Jane"))],  # overlaps the expert span
        "unknown_expert": [(len("Expert Insight: "), FARM.index(", said"))],
        # Ends on the "&" and the next starts just after it: neither may cut "&amp;".
        "rhetorical_closer": [(closer, amp + 1), (amp + 1, len(FARM))],
        "no_date": [],
    }


def _add(store: Store, n: int, text: str, **kw) -> str:
    raw = f"raw item {n}".encode()
    doc = Document(id=item_id("text", raw), locator=f"inputs/p{n}.txt", kind="text", raw_sha256="",
                   text=text, published_from="none", **kw)
    store.add_document(doc, raw)
    return doc.id


def _para(text: str, para: str) -> tuple[int, int]:
    start = text.index(para)
    return start, start + len(para)


@pytest.fixture
def ids(tmp_path) -> dict[str, str]:
    """Build the store; return the documents' ids by name (and the store's path)."""
    spun, marks = _spun_text()
    with Store(tmp_path / "sitrep.db") as s, s.transaction():
        ids = {
            "origin": _add(s, 1, ORIGIN, title=T1),
            "copy": _add(s, 2, COPY, title="A copy <i>verbatim</i>"),
            "spun": _add(s, 3, spun, title="Spun & twisted"),
            "farm": _add(s, 4, FARM, title="Five things about the ferry"),
            "wire_a": _add(s, 5, WIRE_A, title="Sailings cut"),
            "wire_b": _add(s, 6, WIRE_B, title="Sailings cut, piers to reopen"),
            "lone_a": _add(s, 7, LONE, title="Parking fees"),
            "lone_b": _add(s, 8, OTHER, title="Council on fees"),
            "unseen": _add(s, 9, UNSEEN, title=None),
            "single": _add(s, 10, "An unrelated story about a bakery opening.", title="Bakery"),
        }
        wire_group = f"wire:harbor<wire>:{ids['wire_a']}"
        ids["wire_group"] = wire_group
        o, c, sp, f = ids["origin"], ids["copy"], ids["spun"], ids["farm"]
        passages_copy = [Passage(*_para(ORIGIN, p), *_para(COPY, p), "verbatim", 1.0) for p in (P1, P2, P3)]
        spun_p1 = spun.split("\n\n")[0]
        prov.save_derivations(s, [
            Derivation(o, c, "copy", 1.0, 0.8, 0.97, ["containment: the copy adds chrome after the origin"],
                       passages_copy),
            Derivation(o, sp, "spun", 1.0, 1.0, 0.9, ["spin: #3 puts rare words for common ones"],
                       [Passage(*_para(ORIGIN, P1), *_para(spun, spun_p1), "spun", 0.82)]),
            Derivation(o, f, "rewrite", 0.2, 0.25, 0.6, [HOSTILE_DIRECTION, "against: containment"],
                       [Passage(*_para(ORIGIN, P2), *_para(FARM, "In conclusion, only time will tell"),
                                "paraphrase", 0.55)]),
            Derivation(ids["wire_a"], ids["wire_b"], "syndicated", 1.0, 0.7, 0.95,
                       ["syndicated:harbor-wire: both credit Harbor Wire Service"],
                       [Passage(0, len(WIRE_A), 0, len(WIRE_A), "verbatim", 1.0)]),
            Derivation(ids["lone_a"], ids["lone_b"], "rewrite", 0.4, 0.4, 0.3, ["undetermined"], []),
        ])
        prov.save_groups(s, {
            o: (o, "origin"), c: (o, "copy"), sp: (o, "spun_copy"), f: (o, "rewrite"),
            ids["wire_a"]: (wire_group, "syndicated"), ids["wire_b"]: (wire_group, "syndicated"),
            ids["lone_a"]: (ids["lone_a"], "origin"), ids["lone_b"]: (ids["lone_b"], "origin"),
            ids["single"]: (ids["single"], "origin"),
        })
        prov.save_spin(s, SpinResult(sp, 0.2, True, marks, _apply(spun, marks), "alignment"))
        prov.save_spin(s, SpinResult(o, 0.0, False, [], None, "none"))
        prov.save_quality(s, QualityCard(f, 0.2, True, [
            Signal(name, 0.3 if spans else 0.1, HOSTILE_DETAIL if name == "unknown_expert" else f"{name} found",
                   tuple(spans))
            for name, spans in _farm_spans().items()]))
        prov.save_quality(s, QualityCard(o, 0.9, False, [Signal("no_date", 0.1, "no date", ())]))
        prov.save_quality(s, QualityCard(ids["lone_a"], 1.0, False, []))
    ids["db"] = str(tmp_path / "sitrep.db")
    return ids


def _apply(text: str, marks: list[SpinMark]) -> str:
    out, last = [], 0
    for m in marks:
        if m.restored:
            out += [text[last:m.start], m.restored]
            last = m.end
    return "".join(out) + text[last:]


@pytest.fixture
def out(ids, tmp_path) -> dict[str, Path]:
    with Store(ids["db"]) as s:
        return write_reports(s, tmp_path / "out", generated_at=WHEN)




def _by_id(data: dict) -> dict[str, dict]:
    return {d["id"]: d for d in data["documents"]}


# -- sitrep.json ---------------------------------------------------------------


def test_json_provenance_fields_have_documented_types(data):
    _check(data, "top")
    _check(data["corpus"], "corpus")
    for doc in data["documents"]:
        _check(doc, "document")
        if doc["origin_group"] is not None:
            _check(doc["origin_group"], "document origin group")
        if doc["spin"] is not None:
            _check(doc["spin"], "spin")
            for m in doc["spin"]["marks"]:
                _check(m, "spin mark")
        if doc["quality"] is not None:
            _check(doc["quality"], "quality")
            for sg in doc["quality"]["signals"]:
                _check(sg, "signal")
                assert all(isinstance(x, list) and len(x) == 2 and all(type(i) is int for i in x)
                           for x in sg["spans"])
    for g in data["origin_groups"]:
        _check(g, "origin group")
        assert all(isinstance(i, str) for i in g["documents"])
    for e in data["derivations"]:
        _check(e, "derivation")
        assert all(isinstance(x, str) for x in e["direction"])
        for p in e["passages"]:
            _check(p, "passage")
    assert set(SHAPE["document origin group"]) == {"group_id", "role"}  # the shapes checked are the brief's


def test_json_provenance_content(data, ids):
    docs = _by_id(data)
    o, sp, f = docs[ids["origin"]], docs[ids["spun"]], docs[ids["farm"]]
    assert o["origin_group"] == {"group_id": ids["origin"], "role": "origin"}
    assert sp["origin_group"]["role"] == "spun_copy" and f["origin_group"]["role"] == "rewrite"
    assert docs[ids["unseen"]]["origin_group"] is None and docs[ids["unseen"]]["quality"] is None
    assert docs[ids["unseen"]]["spin"] is None
    assert o["spin"] == {"score": 0.0, "spun": False, "method": "none", "marks": [], "restored_text": None}
    text, marks = _spun_text()
    assert sp["spin"]["spun"] is True and sp["spin"]["restored_text"] == _apply(text, marks)
    assert [(m["published"], m["restored"]) for m in sp["spin"]["marks"]] == [(p, r) for _, p, r in SPINS]
    assert all(sp["text"][m["start"]:m["end"]] == m["published"] for m in sp["spin"]["marks"])
    assert f["quality"]["content_farm"] is True and f["quality"]["score"] == 0.2
    assert [sg["name"] for sg in f["quality"]["signals"]] == list(_farm_spans())
    assert [sg["spans"] for sg in f["quality"]["signals"]] == [[list(x) for x in v] for v in _farm_spans().values()]

    groups = data["origin_groups"]
    assert [g["size"] for g in groups] == sorted((g["size"] for g in groups), reverse=True)
    assert groups[0] == {"group_id": ids["origin"], "size": 4, "origin": ids["origin"],
                         "documents": [ids[k] for k in ("origin", "copy", "spun", "farm")]}
    assert groups[1] == {"group_id": ids["wire_group"], "size": 2, "origin": None,
                         "documents": [ids["wire_a"], ids["wire_b"]]}
    assert len(groups) == 5 and sum(g["size"] for g in groups) == 9  # every analysed document once

    edges = data["derivations"]
    assert [(e["origin_id"], e["copy_id"]) for e in edges] == [
        (ids["origin"], ids["copy"]), (ids["origin"], ids["spun"]), (ids["origin"], ids["farm"]),
        (ids["wire_a"], ids["wire_b"]), (ids["lone_a"], ids["lone_b"])]
    assert edges[2]["direction"] == [HOSTILE_DIRECTION, "against: containment"]
    assert [p["copy_start"] for p in edges[0]["passages"]] == sorted(p["copy_start"] for p in edges[0]["passages"])
    copy_doc = docs[ids["copy"]]
    for p in edges[0]["passages"]:
        assert copy_doc["text"][p["copy_start"]:p["copy_end"]] == o["text"][p["origin_start"]:p["origin_end"]]

    c = data["corpus"]
    assert (c["spun"], c["content_farm"], c["origin_groups"], c["derivations"]) == (1, 1, 5, 5)


# -- report.html: the graph ----------------------------------------------------


class Svg(HTMLParser):
    """Nodes (id -> x, label) and edges ((origin, copy) -> label) of the page's derivation SVG."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.nodes: dict[str, dict] = {}
        self.edges: dict[tuple[str, str], dict] = {}
        self.links: list[tuple[str, str]] = []
        self.svgs = 0
        self._stack: list[tuple[str, dict]] = []
        self._current: dict | None = None
        self._in_text = False
        self._in_svg = False
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "svg":
            self.svgs += 1
            self._in_svg = True
        if not self._in_svg:
            return
        classes = a.get("class", "").split()
        if "node" in classes:
            key = a.get("data-doc") or a.get("data-node")
            self._current = self.nodes.setdefault(key, {"classes": classes, "label": "", "count": 0})
            self._current["count"] += 1
        elif "edge" in classes:
            self._current = self.edges.setdefault((a["data-origin"], a["data-copy"]),
                                                  {"classes": classes, "label": "", "count": 0})
            self._current["count"] += 1
        elif "link" in classes:
            self.links.append((a["data-origin"], a["data-copy"]))
            self._current = None
        elif tag == "rect" and self._current is not None and "x" not in self._current:
            self._current["x"] = int(a["x"])
        self._in_text = tag == "text"

    def handle_endtag(self, tag):
        if tag == "svg":
            self._in_svg = False
        if tag == "text":
            self._in_text = False
        if tag in ("a", "g"):
            self._current = None

    def handle_data(self, data):
        if self._in_text and self._current is not None:
            self._current["label"] += data


def test_svg_has_a_node_per_grouped_document_and_an_edge_per_derivation(page, data, ids):
    svg = Svg(page)
    assert svg.svgs == 1
    grouped = {i for g in data["origin_groups"] if g["size"] > 1 or g["origin"] is None for i in g["documents"]}
    ends = {i for e in data["derivations"] for i in (e["origin_id"], e["copy_id"])}
    assert set(svg.nodes) == grouped | ends | {ids["wire_group"]}  # plus the virtual wire origin
    # lone_b is alone in its group but the end of a (low-confidence) edge: drawn.
    assert ids["lone_b"] in svg.nodes and ids["single"] not in svg.nodes and ids["unseen"] not in svg.nodes
    assert all(n["count"] == 1 for n in svg.nodes.values())
    assert set(svg.edges) == {(e["origin_id"], e["copy_id"]) for e in data["derivations"]}
    assert all(e["count"] == 1 for e in svg.edges.values())
    assert sorted(svg.links) == sorted((ids["wire_group"], ids[k]) for k in ("wire_a", "wire_b"))
    # Origins left of their copies, and labels that say the relation and both coverages.
    for (a, b), e in svg.edges.items():
        assert svg.nodes[a]["x"] < svg.nodes[b]["x"], (a, b)
    assert svg.edges[ids["origin"], ids["copy"]]["label"] == "copy 100%/80%"
    weak = {k for k, e in svg.edges.items() if "weak" in e["classes"]}
    assert weak == {(ids["lone_a"], ids["lone_b"])}  # confidence 0.3, direction undetermined
    # Colour classes: role, content farm, spun.
    assert "role-spun_copy" in svg.nodes[ids["spun"]]["classes"] and "spun" in svg.nodes[ids["spun"]]["classes"]
    assert "farm" in svg.nodes[ids["farm"]]["classes"] and "role-origin" in svg.nodes[ids["origin"]]["classes"]
    assert "1 document is alone in its origin group" in page


def test_svg_labels_are_escaped(page, data, ids):
    svg = Svg(page)
    label = svg.nodes[ids["origin"]]["label"]
    assert label == "#1 " + graph_mod.short(T1) and "<script>" in label  # the text, read back as text
    assert f">{html_mod.esc(label)}</text>" in page
    assert f"&lt;svg onload=alert(&quot;dir&quot;)&gt;" in page  # the hostile direction signal in a tooltip
    assert "harbor&lt;wire&gt;" in page and "harbor<wire>" not in page


def test_graph_layout_handles_cycles_and_caps(monkeypatch):
    def doc(i, seq):
        return {"id": i, "seq": seq, "title": f"t{i}", "origin_group": {"group_id": "a", "role": "copy"},
                "quality": None, "spin": None}

    def edge(a, b):
        return {"origin_id": a, "copy_id": b, "relation": "copy", "coverage_origin": 1.0, "coverage_copy": 1.0,
                "confidence": 0.9, "direction": [], "passages": []}

    report = {"documents": [doc("a", 1), doc("b", 2), doc("c", 3)],
              "origin_groups": [{"group_id": "a", "documents": ["a", "b", "c"], "origin": "a", "size": 3}],
              "derivations": [edge("a", "b"), edge("b", "a"), edge("b", "c")]}
    d = graph_mod.draw(report)
    assert (d.nodes, d.edges) == (3, 3)
    svg = Svg(d.svg)
    assert svg.nodes["a"]["x"] < svg.nodes["b"]["x"] < svg.nodes["c"]["x"]  # cycle broken at the earliest
    # Over the cap, whole clusters are left out and counted, never cut.
    report["documents"] += [doc("x", 4), doc("y", 5)]
    report["origin_groups"].append({"group_id": "x", "documents": ["x", "y"], "origin": "x", "size": 2})
    monkeypatch.setattr(graph_mod, "NODE_CAP", 4)
    d = graph_mod.draw(report)
    assert (d.nodes, d.left_out_bands, d.left_out_docs) == (3, 1, 2)


# -- report.html: details --------------------------------------------------------


class Block(HTMLParser):
    """Text of the elements matching (tag, class) inside one document's details, and their marks."""

    def __init__(self, page: str, doc_id: str):
        super().__init__(convert_charrefs=True)
        self.doc_id = doc_id
        self.blocks: list[dict] = []  # each: {"text": str, "marks": [str], "titles": [str]}
        self._inside_doc = False
        self._depth = 0
        self._block: dict | None = None
        self._block_depth = 0
        self._mark: list[str] | None = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "details" and a.get("id") == f"doc-{self.doc_id}":
            self._inside_doc = True
        if not self._inside_doc:
            return
        self._depth += 1
        if tag == "div" and "text" in a.get("class", "").split() and self._block is None:
            self._block = {"text": "", "marks": [], "titles": []}
            self._block_depth = self._depth
        elif tag == "mark" and self._block is not None:
            self._mark = []
            self._block["titles"].append(a.get("title", ""))

    def handle_endtag(self, tag):
        if not self._inside_doc:
            return
        if tag == "mark" and self._mark is not None:
            self._block["marks"].append("".join(self._mark))
            self._mark = None
        if tag == "div" and self._block is not None and self._depth == self._block_depth:
            self.blocks.append(self._block)
            self._block = None
        self._depth -= 1
        if tag == "details":
            self._inside_doc = False

    def handle_data(self, data):
        if self._block is not None:
            self._block["text"] += data
            if self._mark is not None:
                self._mark.append(data)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [tuple(x) for x in out]


def test_quality_evidence_is_highlighted_on_the_right_text(page, ids):
    text_block = Block(page, ids["farm"]).blocks[0]
    assert text_block["text"] == FARM  # nothing lost, doubled or cut: entities intact
    spans = [x for v in _farm_spans().values() for x in v]
    expected = [FARM[s:e] for s, e in _merged(spans)]
    assert text_block["marks"] == expected
    assert len(expected) == 3  # template + expert merged; the two closer spans touch, not merge
    assert text_block["titles"][0] == "template_section (0.30); unknown_expert (0.30)"
    # The signal table quotes the evidence and says the hostile detail as text.
    assert html_mod.esc(HOSTILE_DETAIL) in page and HOSTILE_DETAIL not in page
    assert "“Expert Insight: Dr. Jane”" in page
    assert "&amp;amp; always will" in page  # the article's own "&amp;", escaped once more


def test_spun_document_shows_published_and_restored_words(page, data, ids):
    sp = _by_id(data)[ids["spun"]]
    blocks = Block(page, ids["spun"]).blocks
    main, published, restored = blocks
    assert main["text"] == published["text"] == sp["text"]
    assert restored["text"] == sp["spin"]["restored_text"]
    assert published["marks"] == [p for _, p, _ in SPINS]
    assert restored["marks"] == [r for _, _, r in SPINS if r]  # the unrestored one has no counterpart
    assert published["titles"] == ["restored: stopped", "restored: <i>storm</i>", "suspected; not restored"]
    assert restored["titles"] == ["published: ceased", "published: tempest"]
    assert "<s>ceased</s> → <b>stopped</b>" in page
    assert "<s>tempest</s> → <b>&lt;i&gt;storm&lt;/i&gt;</b>" in page
    assert "<s>recommence</s> → <b>?</b>" in page


def test_restored_offsets_are_checked():
    text = "a big dog"
    marks = [{"start": 2, "end": 5, "published": "big", "restored": "large"}]
    assert html_mod.restored_spans(text, marks, "a large dog") == [(2, 7, "published: big")]
    assert html_mod.restored_spans(text, marks, "a large cat") is None  # text and marks disagree


def test_derivation_evidence_in_details(page, data, ids):
    docs = _by_id(data)
    copy = docs[ids["copy"]]
    details = page[page.index(f'id="doc-{ids["copy"]}"'):]
    details = details[:details.index("</details>")]
    assert "Derived from <a href=\"#doc-" + ids["origin"] + "\">#1</a>" in details
    assert "100% of the origin is in the copy · 80% of the copy comes from the origin" in details
    assert "containment: the copy adds chrome after the origin" in details
    # Side by side: copy passage, then origin passage, for the first three.
    for p in data["derivations"][0]["passages"]:
        cell = html_mod.esc(copy["text"][p["copy_start"]:p["copy_end"]])
        assert f'<td class="pre">{cell}</td><td class="pre">{cell}</td>' in details
    spun_details = page[page.index(f'id="doc-{ids["spun"]}"'):]
    spun_p1 = docs[ids["spun"]]["text"].split("\n\n")[0]
    assert f'<td class="pre">{html_mod.esc(spun_p1)}</td><td class="pre">{html_mod.esc(P1)}</td>' in spun_details
    origin_details = page[page.index(f'id="doc-{ids["origin"]}"'):]
    origin_details = origin_details[:origin_details.index("</details>")]
    assert origin_details.count('<li class="edge">') == 3 and "Source of" in origin_details
    assert html_mod.esc(HOSTILE_DIRECTION) in origin_details


def test_badges_in_documents_table(page, ids):
    table = page[page.index('id="doc-table"'):]
    table = table[:table.index("</table>")]
    row = table[table.index(f'<tr data-doc="{ids["farm"]}">'):]
    row = row[:row.index("</tr>")]
    assert 'data-role="rewrite"' in row and 'data-prov="farm"' in row and "quality 0.20" in row
    row = table[table.index(f'<tr data-doc="{ids["spun"]}">'):]
    row = row[:row.index("</tr>")]
    assert 'data-role="spun_copy"' in row and "spun 20%" in row
    row = table[table.index(f'<tr data-doc="{ids["single"]}">'):]
    assert 'data-role' not in row[:row.index("</tr>")]  # alone in its group: no role to show


def test_page_stays_inert(page):
    for raw in ('<script>alert("t1")', "<script>alert('farm')", "onerror=alert('detail')",
                '<svg onload=alert("dir")>', '<b>worked</b>', '<i>storm</i>', 'href="javascript:'):
        assert raw not in page, raw
    tags = Tags(page)
    assert [t for t, _ in tags.tags].count("script") == 1
    for tag, attrs in tags.tags:
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        assert "src" not in attrs and not any("javascript:" in v.lower() for v in attrs.values())
        assert tag not in {"img", "iframe", "object", "embed", "foreignobject", "image", "use"}, tag


def test_renders_from_the_json_alone_and_old_json_still_renders(data, page, mdtext):
    assert render_html(data) == page and render_markdown(data) == mdtext
    old = {k: v for k, v in data.items() if k not in ("origin_groups", "derivations")}
    old["documents"] = [{k: v for k, v in d.items() if k not in ("origin_group", "spin", "quality")}
                        for d in data["documents"]]
    old["corpus"] = {k: v for k, v in data["corpus"].items()
                     if k not in ("spun", "content_farm", "origin_groups", "derivations")}
    html = render_html(old)
    assert "sec-provenance" not in html and 'id="doc-table"' in html and "<mark" not in html
    assert "## Provenance" not in render_markdown(old)


@pytest.mark.parametrize("text, spans, expected", [
    ("a&b<c>", [(1, 2, "x")], 'a<mark class="k" title="x">&amp;</mark>b&lt;c&gt;'),
    ("abcdef", [(1, 3, "x"), (2, 5, "y"), (2, 4, "x")], 'a<mark class="k" title="x; y">bcde</mark>f'),
    ("abc", [(2, 9, "x"), (-3, 1, "y"), (2, 2, "z")],
     '<mark class="k" title="y">a</mark>b<mark class="k" title="x">c</mark>'),
    ('"<>', [(0, 3, '"t"')], '<mark class="k" title="&quot;t&quot;">&quot;&lt;&gt;</mark>'),
])
def test_highlight(text, spans, expected):
    assert html_mod.highlight(text, spans, "k") == expected


# -- report.md -----------------------------------------------------------------


def test_markdown_provenance(mdtext, ids):
    prov_md = mdtext[mdtext.index("## Provenance"):mdtext.index("## Flags")]
    assert "**5** origin groups over 9 documents; **2** hold copies" in prov_md
    assert re.search(rf"(?m)^\| {ids['origin']} \| 4 \| #1 \| #1 origin, #2 copy, #3 spun\\_copy, #4 rewrite \|$",
                     prov_md)
    assert re.search(r"(?m)^\| wire:harbor&lt;wire&gt;:\w+ \| 2 \| virtual \(wire story not in the pile\) \|", prov_md)
    assert re.search(r"(?m)^\| #1 \| #2 \| copy \| 100% \| 80% \| 0\.97 \| containment: .* \|$", prov_md)
    assert "dates: &lt;svg onload=alert(\"dir\")&gt; is earlier; against: containment" in prov_md
    assert re.search(r"(?m)^\| 4 \| Five things about the ferry \| 0\.20 \| template\\_section \(0\.30\): "
                     r"template\\_section found “Expert Insight: Dr\. Jane”", prov_md)
    assert "ceased → stopped, tempest → &lt;i&gt;storm&lt;/i&gt;, recommence → ?" in prov_md
    assert re.search(r"(?m)^\| 3 \| Spun &amp; twisted \| #1 \| spun\\_copy \|  \|  \| spun 20% \|$", prov_md)
    assert "3 single-document groups not listed" in prov_md  # lone_a, lone_b, single
    assert "<script" not in mdtext and "<img" not in mdtext and "<svg" not in mdtext
    for block in re.findall(r"(?m)(?:^\|.*\n)+", mdtext):
        rows = block.splitlines()
        assert {_unescaped_pipes(r) for r in rows} == {_unescaped_pipes(rows[0])}, block


def test_provenance_output_is_deterministic(ids, out, tmp_path):
    with Store(ids["db"]) as s:
        again = write_reports(s, tmp_path / "again", generated_at=WHEN)
    for key in out:
        assert out[key].read_bytes() == again[key].read_bytes(), key


def test_restored_view_carries_the_offset_map(page, data, ids):
    sp = _by_id(data)[ids["spun"]]
    restored = [m for m in sp["spin"]["marks"] if m["restored"]]
    want = ",".join(f"{m['start']}:{m['end']}:{len(m['restored'])}" for m in restored)
    assert f'id="restored-{ids["spun"]}" data-map="{want}"' in page
    # Only the spun document's restored view is mapped: report.js finds it by the document's id.
    assert page[:page.index("<script>")].count('data-map="') == 1


def _run_to_restored(data_map: str, spans: list[tuple[int, int]]) -> list[list[int]]:
    """report.js's toRestored, run by node on its own (the page's script needs a DOM)."""
    js = (Path(html_mod.__file__).parent / "assets" / "report.js").read_text("utf-8")
    body = re.search(r"  function toRestored\(map, spans\) \{.*?\n  \}\n", js, flags=re.S).group(0)
    prog = body + f"process.stdout.write(JSON.stringify(toRestored({json.dumps(data_map)}, {json.dumps(spans)})));"
    out = subprocess.run(["node", "-e", prog], capture_output=True, text=True, check=True, timeout=30)
    return json.loads(out.stdout)


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run report.js's offset mapping")
def test_report_js_maps_published_spans_onto_the_restored_text():
    text = "They met successful Ukraine and talked for three hour."
    marks = [{"start": 9, "end": 19, "published": "successful", "restored": "in"},
             {"start": 49, "end": 53, "published": "hour", "restored": "hours"}]
    restored = "They met in Ukraine and talked for three hours."
    assert html_mod.restored_spans(text, marks, restored) is not None
    spans = [(0, 8), (20, 27), (9, 27), (32, 54), (12, 51)]
    got = _run_to_restored(html_provenance.offset_map(marks), spans)
    # Words outside substitutions keep their text; a span edge inside a substituted word snaps to its edge.
    assert [restored[a:b] for a, b in got] == ["They met", "Ukraine", "in Ukraine", "talked for three hours.",
                                                "in Ukraine and talked for three hours"]

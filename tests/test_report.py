"""The report skeleton: sitrep.json structure, and hostile articles staying inert."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sitrep import report as report_pkg
from sitrep.model import Document, Flag, ItemError, RemovedLine, item_id
from sitrep.report import collect as collect_mod
from sitrep.report import html as html_mod
from sitrep.report import markdown as md_mod
from sitrep.report import render_html, render_markdown, write_reports
from sitrep.store.db import Store

ROOT = Path(__file__).resolve().parents[1]
WHEN = "2025-08-20T09:00:00+00:00"

HOSTILE_TITLE = '<script>alert(1)</script> "><img src=x onerror=alert(2)>'
HOSTILE_TEXT = (
    "The ferry stopped running on Monday after the storm.\n\n"
    '</div><script>alert("text")</script> <a href="javascript:alert(7)">tap</a>\n\n'
    "Officials said repairs would take a week."
)
MD_TITLE = "Ferry [click me](javascript:alert(4)) | pipe\nsecond line `code` *bold* ![img](https://evil.example/x.png)"
SAFE_URL = "https://news.example.org/ferry?a=1&b=(2)"
LONG_MARKER = "ENDMARKERQZX"


def _doc(n: int, text: str, **kw) -> tuple[Document, bytes]:
    raw = f"raw bytes of item {n}".encode()
    return Document(id=item_id("text", raw), locator=f"inputs/item{n}.txt", kind="text",
                    raw_sha256="", text=text, **kw), raw


@pytest.fixture
def store(tmp_path) -> Store:
    s = Store(tmp_path / "sitrep.db")
    docs = [
        _doc(1, HOSTILE_TEXT, title=HOSTILE_TITLE, url="javascript:alert(3)",
             canonical_url=" JaVaScRiPt:alert(8)", published_from="none", language="en",
             language_confidence=0.93,
             flags=[Flag("no_date", "no date <b>anywhere</b>")],
             removed=[RemovedLine("nav_menu", '<iframe src="https://evil.example/"></iframe>', 0),
                      RemovedLine("share_prompt", "Share on [Social](javascript:alert(9))", 5)]),
        _doc(2, "A second article about the ferry and the storm repairs, in other words entirely.",
             title=MD_TITLE, url=SAFE_URL, source="Example <b>News</b>", site_name="Example News",
             author="A. Reporter", published="2025-08-15", published_from="input", language="en",
             language_confidence=0.99, container_locator="inputs/feed.jsonl"),
        _doc(3, HOSTILE_TEXT.upper(), title="A copy", url="http://copy.example.net/a",
             published_from="none"),  # same text key as 1: an exact duplicate
        _doc(4, ("word " * 6000) + LONG_MARKER, title="Very long", published_from="none"),
    ]
    with s.transaction():
        run = s.start_run("ingest")
        for doc, raw in docs:
            s.add_document(doc, raw)
        s.add_error(ItemError("inputs/z.bin", "binary", "NUL bytes"), run_id=None)
        s.add_error(ItemError("inputs/<script>alert(5)</script>.bin", "too_large",
                              "detail | with pipe\nand [x](javascript:alert(6))"), run_id=run, raw=b"\0\0")
        s.update_run(run, ingested=4, duplicates=1, failed=2)
        s.finish_run(run)
    yield s
    s.close()


@pytest.fixture
def out(store, tmp_path) -> dict[str, Path]:
    return write_reports(store, tmp_path / "out", generated_at=WHEN)




def test_writes_three_files(out, tmp_path):
    assert set(out) == {"html", "markdown", "json"}
    assert {p.name for p in out.values()} == {"report.html", "report.md", "sitrep.json"}
    for p in out.values():
        assert p.parent == tmp_path / "out" and p.stat().st_size > 0
    assert not list((tmp_path / "out").glob("*.tmp")) and not list((tmp_path / "out").glob(".*"))


# -- sitrep.json ---------------------------------------------------------------

S, I, F, N, B = str, int, float, type(None), bool
SHAPE = {
    "top": {"schema": S, "generated_at": S, "corpus": dict, "documents": list, "origin_groups": list,
            "derivations": list, "errors": list, "runs": list},
    "corpus": {"documents": I, "duplicates": I, "errors": I, "blobs": I, "words": I, "kinds": dict,
               "languages": dict, "flags": dict, "removed_lines": dict, "runs": I,
               "spun": I, "content_farm": I, "origin_groups": I, "derivations": I},
    "document": {"id": S, "seq": I, "title": (S, N), "url": (S, N), "canonical_url": (S, N),
                 "site_name": (S, N), "source": (S, N), "author": (S, N), "published": (S, N),
                 "published_from": (S, N), "language": (S, N), "language_confidence": (F, N),
                 "kind": S, "locator": S, "container_locator": (S, N), "raw_sha256": S,
                 "word_count": I, "duplicate_of": (S, N), "flags": list, "removed": list,
                 "origin_group": (dict, N), "spin": (dict, N), "quality": (dict, N), "text": S},
    "flag": {"name": S, "detail": S},
    "removed line": {"line_no": I, "rule": S, "text": S},
    # Provenance (tests/test_report_provenance.py fills these in).
    "document origin group": {"group_id": S, "role": S},
    "spin": {"score": F, "spun": B, "method": S, "marks": list, "restored_text": (S, N)},
    "spin mark": {"start": I, "end": I, "published": S, "restored": S, "confidence": F, "method": S},
    "quality": {"score": F, "content_farm": B, "signals": list},
    "signal": {"name": S, "weight": F, "detail": S, "spans": list},
    "origin group": {"group_id": S, "documents": list, "origin": (S, N), "size": I},
    "derivation": {"origin_id": S, "copy_id": S, "relation": S, "coverage_origin": F, "coverage_copy": F,
                   "confidence": F, "direction": list, "passages": list},
    "passage": {"origin_start": I, "origin_end": I, "copy_start": I, "copy_end": I, "kind": S, "similarity": F},
    "error": {"locator": S, "reason": S, "detail": S, "raw_sha256": (S, N)},
    "run": {"id": I, "command": S, "status": S, "started_at": S, "finished_at": (S, N),
            "ingested": I, "skipped": I, "duplicates": I, "failed": I},
}


def _check(obj: dict, kind: str) -> None:
    assert set(obj) == set(SHAPE[kind]), f"{kind}: keys {sorted(obj)}"
    for key, types in SHAPE[kind].items():
        value = obj[key]
        # bool is an int subclass: a flag must not pass as a count, nor a count as a flag.
        ok = isinstance(value, bool) if types is bool else isinstance(value, types) and not isinstance(value, bool)
        assert ok, f"{kind}.{key} = {value!r}"


def test_json_has_the_documented_structure(data):
    _check(data, "top")
    assert data["schema"] == "sitrep/1" and data["generated_at"] == WHEN
    assert list(data)[:3] == ["schema", "generated_at", "corpus"]
    _check(data["corpus"], "corpus")
    for name in ("kinds", "languages", "flags", "removed_lines"):
        assert all(isinstance(k, str) and isinstance(v, int) for k, v in data["corpus"][name].items())
    for doc in data["documents"]:
        _check(doc, "document")
        assert doc["origin_group"] is doc["spin"] is doc["quality"] is None  # no provenance stage ran
        for f in doc["flags"]:
            _check(f, "flag")
        for r in doc["removed"]:
            _check(r, "removed line")
    for e in data["errors"]:
        _check(e, "error")
    for r in data["runs"]:
        _check(r, "run")


def _documented_fields() -> dict[str, set[str]]:
    """Field names in each `## name` / `### name` table of docs/sitrep-json.md."""
    doc = (ROOT / "docs" / "sitrep-json.md").read_text("utf-8")
    fields: dict[str, set[str]] = {}
    section = None
    for line in doc.splitlines():
        if m := re.match(r"#{2,3} (.+)", line):
            section = "top" if m[1] == "Top level" else m[1]
        elif section and (m := re.match(r"\| `(\w+)` \|", line)):
            fields.setdefault(section, set()).add(m[1])
    return fields


def test_docs_describe_every_field():
    documented = _documented_fields()
    for kind, shape in SHAPE.items():
        assert documented.get(kind) == set(shape), kind
    assert '"schema": "sitrep/1"' in (ROOT / "docs" / "sitrep-json.md").read_text("utf-8")


def test_json_content(data):
    docs = data["documents"]
    assert [d["seq"] for d in docs] == [1, 2, 3, 4]
    first, second, copy, long = docs
    assert first["title"] == HOSTILE_TITLE and first["text"] == HOSTILE_TEXT  # kept verbatim
    assert first["flags"] == [{"name": "no_date", "detail": "no date <b>anywhere</b>"}]
    assert [(r["line_no"], r["rule"]) for r in first["removed"]] == [(0, "nav_menu"), (5, "share_prompt")]
    assert copy["duplicate_of"] == first["id"]
    assert [f["name"] for f in copy["flags"]] == ["exact_duplicate"]
    assert second["container_locator"] == "inputs/feed.jsonl" and second["published"] == "2025-08-15"
    assert long["text"].endswith(LONG_MARKER) and long["word_count"] == 6001
    assert [e["locator"] for e in data["errors"]] == sorted(e["locator"] for e in data["errors"])
    assert data["errors"][0]["raw_sha256"] == hashlib.sha256(b"\0\0").hexdigest()
    assert data["runs"][0]["status"] == "done" and data["runs"][0]["ingested"] == 4
    c = data["corpus"]
    assert (c["documents"], c["duplicates"], c["errors"], c["runs"]) == (4, 1, 2, 1)
    assert c["flags"] == {"exact_duplicate": 1, "no_date": 1}
    assert c["removed_lines"] == {"nav_menu": 1, "share_prompt": 1}
    assert c["languages"] == {"en": 2, "unknown": 2}
    assert c["words"] == sum(d["word_count"] for d in docs)
    assert (c["spun"], c["content_farm"], c["origin_groups"], c["derivations"]) == (0, 0, 0, 0)
    assert data["origin_groups"] == [] and data["derivations"] == []


def test_output_is_deterministic(store, out, tmp_path):
    again = write_reports(store, tmp_path / "again", generated_at=WHEN)
    for key in out:
        assert out[key].read_bytes() == again[key].read_bytes(), key


def test_renderers_need_only_the_json(data, page, mdtext):
    assert render_html(data) == page
    assert render_markdown(data) == mdtext


# -- report.html -------------------------------------------------------------


class Tags(HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def test_html_shows_hostile_content_as_text(page):
    assert "<script>alert" not in page and "alert(1)</script>" not in page
    assert "<img" not in page and "<iframe" not in page and "<a href=\"javascript" not in page
    assert html_mod.esc(HOSTILE_TITLE) in page
    assert "&lt;/div&gt;&lt;script&gt;alert(&quot;text&quot;)&lt;/script&gt;" in page
    assert "&lt;iframe src=&quot;https://evil.example/&quot;&gt;" in page  # removed line, as text
    assert "Example &lt;b&gt;News&lt;/b&gt;" in page
    assert "inputs/&lt;script&gt;alert(5)&lt;/script&gt;.bin" in page
    tags = Tags(page)
    assert [t for t, _ in tags.tags].count("script") == 1
    for tag, attrs in tags.tags:
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)


def test_html_loads_nothing_and_links_only_http(page, data):
    article_urls = {d["url"] for d in data["documents"]} | {d["canonical_url"] for d in data["documents"]}
    tags = Tags(page)
    links = 0
    for tag, attrs in tags.tags:
        assert tag not in {"link", "img", "iframe", "object", "embed", "base", "form", "frame"}
        assert "src" not in attrs and "srcset" not in attrs, (tag, attrs)
        assert not any("javascript:" in v.lower() for v in attrs.values()), (tag, attrs)
        href = attrs.get("href")
        if href is None or href.startswith("#"):
            continue
        links += 1
        assert tag == "a" and href.startswith(("http://", "https://")) and href in article_urls
        assert set(attrs["rel"].split()) >= {"noopener", "noreferrer", "nofollow"}
    assert links >= 2  # the two http(s) articles are linked, the javascript: ones are not
    assert 'href="https://news.example.org/ferry?a=1&amp;b=(2)"' in page


def test_html_csp_allows_only_its_own_script(page):
    tags = Tags(page)
    metas = [a for t, a in tags.tags if t == "meta" and a.get("http-equiv", "").lower() == "content-security-policy"]
    assert len(metas) == 1
    policy = dict(p.strip().split(None, 1) for p in metas[0]["content"].split(";"))
    assert policy["default-src"] == "'none'" and policy["img-src"] == "data:"
    assert "unsafe-inline" not in policy["script-src"]
    digest = base64.b64encode(hashlib.sha256(tags.scripts[0].encode()).digest()).decode()
    assert policy["script-src"] == f"'sha256-{digest}'"
    # The policy must come before anything it governs.
    names = [t for t, _ in tags.tags]
    assert names.index("meta") < names.index("style") and page.index("Content-Security") < page.index("<style")


def test_html_sections(page, data):
    assert 'id="doc-table"' in page and 'id="doc-filter"' in page
    for d in data["documents"]:
        assert f'<details class="doc" id="doc-{d["id"]}">' in page
        assert f'<tr data-doc="{d["id"]}">' in page
    first = data["documents"][0]["id"]
    assert f'<a href="#doc-{first}">#1</a>' in page  # the copy links to its original
    assert "nav_menu" in page and "share_prompt" in page
    assert "<td class=\"nowrap\">binary</td>" in page and "NUL bytes" in page


def test_html_caps_long_text(page):
    assert LONG_MARKER not in page
    assert "Showing the first 20,000 of 30,012 characters" in page


def test_empty_store_renders(tmp_path):
    with Store(tmp_path / "empty.db") as s:
        paths = write_reports(s, tmp_path / "o", generated_at=WHEN)
    data = json.loads(paths["json"].read_text())
    assert data["documents"] == [] and data["corpus"]["documents"] == 0
    assert "No documents." in paths["html"].read_text() and "No errors." in paths["markdown"].read_text()


# -- report.md ---------------------------------------------------------------


def _unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)(?:\\\\)*\|", line))


def test_markdown_neutralises_injection(mdtext):
    assert "<script" not in mdtext and "<img" not in mdtext and "<b>" not in mdtext
    # Link and image syntax only ever appears escaped.
    assert not re.search(r"(?<!\\)\]\(javascript:", mdtext) and "![img]" not in mdtext
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in mdtext
    assert r"Ferry \[click me\](javascript:alert(4)) \| pipe second line \`code\` \*bold\*" in mdtext
    assert "\nsecond line" not in mdtext
    # Every table row has as many cell separators as its header.
    for block in re.findall(r"(?m)(?:^\|.*\n)+", mdtext):
        rows = block.splitlines()
        assert {_unescaped_pipes(r) for r in rows} == {_unescaped_pipes(rows[0])}, block


def test_markdown_content(mdtext, data):
    assert "# sitrep report" in mdtext and "**4** documents" in mdtext
    assert f"]({SAFE_URL.replace('(', '%28').replace(')', '%29')})" in mdtext
    assert re.search(r"(?m)^\| nav\\_menu \| 1 \| 1 \|$", mdtext)
    assert re.search(r"(?m)^\| 3 \| \[A copy\]\(http://copy.example.net/a\) .*\| #1 \|$", mdtext)
    assert "inputs/z.bin | binary | NUL bytes" in mdtext
    assert "## Errors" in mdtext and "## Runs" in mdtext


@pytest.mark.parametrize("raw, expected", [
    ("a|b", r"a\|b"),
    ("line1\nline2\r\nline3", "line1 line2 line3"),
    ("<b>x</b> & y", "&lt;b&gt;x&lt;/b&gt; &amp; y"),
    ("[t](javascript:x)", r"\[t\](javascript:x)"),
    ("`code` *em* _u_ ~s~", r"\`code\` \*em\* \_u\_ \~s\~"),
    ("# heading", r"\# heading"),
    ("1. item", r"1\. item"),
    ("back\\slash", r"back\\slash"),
    ("bidi\u202eevil", "bidi\ufffdevil"),
    (None, ""),
])
def test_md_escape(raw, expected):
    assert md_mod.md(raw) == expected


@pytest.mark.parametrize("url, ok", [
    ("https://example.org/a", True),
    ("HTTP://EXAMPLE.ORG", True),
    ("javascript:alert(1)", False),
    (" https://example.org", False),
    ("java\tscript:alert(1)", False),
    ("https://exa mple.org", False),
    ('https://example.org/"onmouseover=x', False),
    ("data:text/html,<script>", False),
    ("//example.org", False),
    ("ftp://example.org", False),
    (None, False),
])
def test_only_http_urls_are_links(url, ok):
    assert (html_mod.safe_url(url) is not None) == ok
    assert (md_mod.md_link(url, "t").startswith("[t](")) == ok


# -- extension -----------------------------------------------------------------


def test_a_stage_adds_a_section(store, tmp_path, monkeypatch):
    def build(s, report):
        return [{"text": "<b>claim</b>", "documents": [d["id"] for d in report["documents"]]}]

    def render_html(report):
        return "".join(f"<p>{html_mod.esc(c['text'])}</p>" for c in report["claims"])

    def render_md(report):
        return "\n".join(md_mod.md(c["text"]) for c in report["claims"])

    monkeypatch.setattr(collect_mod, "SECTIONS", [*collect_mod.SECTIONS, ("claims", build)])
    monkeypatch.setattr(html_mod, "SECTIONS", [*html_mod.SECTIONS,
                                               report_pkg.Section("claims", "Claims", render_html, ("claims",))])
    monkeypatch.setattr(md_mod, "SECTIONS", [*md_mod.SECTIONS,
                                             report_pkg.Section("claims", "Claims", render_md, ("claims",))])
    paths = write_reports(store, tmp_path / "ext", generated_at=WHEN)
    data = json.loads(paths["json"].read_text())
    assert data["claims"][0]["documents"] == [d["id"] for d in data["documents"]]
    page = paths["html"].read_text()
    assert '<a href="#sec-claims">Claims</a>' in page
    assert '<section id="sec-claims"><h2>Claims</h2><p>&lt;b&gt;claim&lt;/b&gt;</p></section>' in page
    assert "## Claims\n\n&lt;b&gt;claim&lt;/b&gt;" in paths["markdown"].read_text()
    # A report without the key (an older sitrep.json) still renders, without that section.
    del data["claims"]
    assert "sec-claims" not in html_mod.render_html(data)

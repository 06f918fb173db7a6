"""The bundled example corpus (examples/) is as examples/README.md documents it."""

import gzip
import html
import importlib.util
import json
import re
from collections import Counter
from pathlib import Path

import feedparser
import pytest
from warcio.archiveiterator import ArchiveIterator

from sitrep.synth.thesaurus import DEFAULT_PATH

ROOT = Path(__file__).resolve().parents[1]
EX = ROOT / "examples" / "alaska-2025"

PREVIEW = EX / "01_northern-ledger_preview.html"
WIRE = EX / "02_cascade-courier_wire-summit.html"
SCENE = EX / "03_chinook-signal_anchorage-scene.html"
COLUMN = EX / "04_ridgeline-review_analysis.txt"
NODATE = EX / "05_atlas-post_washington-meeting.txt"
SPUN = EX / "06_newsdigest_spun-copy.txt"
JSONL = EX / "07_regional-papers.jsonl"
FEED = EX / "08_eastbridge-times_world.rss"
WARC = EX / "09_crawl-2025-08-17.warc.gz"


def load_make_examples():
    spec = importlib.util.spec_from_file_location("make_examples", ROOT / "scripts" / "make_examples.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def warc_records():
    with WARC.open("rb") as f:
        out = []
        for rec in ArchiveIterator(f):
            ctype = rec.http_headers.get_header("Content-Type") if rec.http_headers else None
            out.append((rec.rec_type, rec.rec_headers.get_header("WARC-Target-URI"), ctype,
                        rec.content_stream().read()))
        return out


def visible(markup: str) -> str:
    markup = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", markup)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def documents() -> dict[str, str]:
    """Text of every document in the corpus, keyed by file (and record)."""
    docs = {}
    for p in (PREVIEW, WIRE, SCENE):
        docs[p.name] = visible(p.read_text(encoding="utf-8"))
    for p in (COLUMN, NODATE, SPUN):
        docs[p.name] = p.read_text(encoding="utf-8")
    for i, line in enumerate(JSONL.read_text(encoding="utf-8").splitlines()):
        rec = json.loads(line)
        docs[f"{JSONL.name}#{i}"] = rec.get("text") or visible(rec["html"])
    for i, e in enumerate(feedparser.parse(str(FEED)).entries):
        docs[f"{FEED.name}#{i}"] = visible(e.content[0].value if "content" in e else e.summary)
    for kind, uri, ctype, body in warc_records():
        if kind == "response" and ctype.startswith("text/html"):
            docs[f"{WARC.name}#{uri}"] = visible(body.decode("utf-8"))
    return docs


def farm_doc(docs):
    return next(t for k, t in docs.items() if "trendpulse" in k)


# -- formats -------------------------------------------------------------------

def test_files_per_format():
    kinds = Counter("".join(p.suffixes) for p in EX.iterdir() if p.name != "README.md")
    assert kinds == {".html": 3, ".txt": 3, ".jsonl": 1, ".rss": 1, ".warc.gz": 1}
    readme = (EX.parent / "README.md").read_text(encoding="utf-8")
    for p in EX.iterdir():
        if p.name != "README.md":
            assert f"`{p.name}`" in readme


def test_html_metadata():
    for p in (PREVIEW, WIRE):
        page = p.read_text(encoding="utf-8")
        for needle in ('property="og:title"', 'property="og:site_name"', 'name="author"',
                       'property="article:published_time"', 'rel="canonical"'):
            assert needle in page, (p.name, needle)
    scene = SCENE.read_text(encoding="utf-8")
    assert 'property="og:site_name"' in scene and 'rel="canonical"' in scene
    assert "article:published_time" not in scene and 'name="author"' not in scene
    assert '<time datetime="2025-08-15">' in scene
    for p in (PREVIEW, WIRE, SCENE):
        page = p.read_text(encoding="utf-8").lower()
        for chrome in ("cookie", "<nav", "<footer", "advertisement", "comment", "share"):
            assert chrome in page, (p.name, chrome)


def test_boilerplate_heavy_page():
    page = SCENE.read_text(encoding="utf-8")
    body = page[page.index('<div class="body">'):page.index('<div class="newsletter-inline">')]
    n_body = len(visible(body).split())
    n_all = len(visible(page).split())
    assert 230 <= n_body and n_body < 0.45 * n_all


def test_txt_boilerplate_and_no_date():
    text = NODATE.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0].startswith("Home » World »")
    assert lines[1] == lines[2]  # headline twice
    for needle in ("You may also like", "Leave a Comment", "Shares"):
        assert needle in text
    months = "January|February|March|April|May|June|July|August|September|October|November|December"
    # A month may be named ("in February", an earlier visit); no year, no day-dated month.
    assert not re.search(rf"\b(20\d\d|(?:{months}) \d{{1,2}})\b", text)


def test_jsonl_records():
    recs = [json.loads(line) for line in JSONL.read_text(encoding="utf-8").splitlines()]
    assert len(recs) == 2
    for r in recs:
        assert {"url", "title", "published", "source"} <= r.keys()
        assert ("text" in r) != ("html" in r)
    assert "text" in recs[0] and "html" in recs[1]


def test_feed_entries():
    d = feedparser.parse(str(FEED))
    assert not d.bozo and d.version == "rss20"
    assert len(d.entries) == 3
    full = [e for e in d.entries if "content" in e]
    assert len(full) == 2
    (short,) = [e for e in d.entries if "content" not in e]
    assert short.link.startswith("https://") and short.summary
    assert all(e.get("published_parsed") for e in d.entries)


def test_warc_records():
    recs = warc_records()
    kinds = Counter(r[0] for r in recs)
    assert kinds == {"warcinfo": 1, "request": 3, "response": 3}
    html_responses = [r for r in recs if r[0] == "response" and r[2].startswith("text/html")]
    assert len(html_responses) == 2
    assert any(r[0] == "response" and r[2] == "text/plain" and r[1].endswith("/robots.txt") for r in recs)


# -- reproducibility ----------------------------------------------------------

@pytest.mark.skipif(not DEFAULT_PATH.is_file(), reason="mythes-en-us not installed")
def test_spun_copy_reproducible():
    from sitrep.synth.spinner import spin

    # Recipe from examples/README.md: title line + blank line + body (lines 5+).
    lines = COLUMN.read_text(encoding="utf-8").split("\n")
    source = lines[0] + "\n\n" + "\n".join(lines[4:])
    result = spin(source, rate=0.3, seed=2026)
    assert result.text.encode("utf-8") == SPUN.read_bytes()
    assert len(result.substitutions) == 72 and result.eligible == 240
    pairs = {(s.original.lower(), s.replacement.lower()) for s in result.substitutions}
    for pair in [("in", "successful"), ("summit", "acme"), ("he", "helium"), ("leader", "person"),
                 ("meeting", "gathering"), ("as", "arsenic"), ("about", "astir")]:
        assert pair in pairs


@pytest.mark.skipif(not DEFAULT_PATH.is_file(), reason="mythes-en-us not installed")
def test_generated_files_current():
    mod = load_make_examples()
    for name, data in mod.outputs().items():
        assert (EX / name).read_bytes() == data, name
    assert gzip.decompress(WARC.read_bytes()).startswith(b"WARC/1.1")


# -- planted phenomena -----------------------------------------------------------

def test_wire_syndication():
    mod = load_make_examples()
    wire = mod.wire_paragraphs(WIRE.read_text(encoding="utf-8"))
    assert len(wire) == 10 and wire[0].startswith("ANCHORAGE, Alaska (HWS) —")
    trimmed = json.loads(JSONL.read_text(encoding="utf-8").splitlines()[0])["text"].split("\n\n")
    intro, kept = trimmed[0], trimmed[1:]
    assert "Harbor Wire Service" in intro and intro not in wire
    assert kept == [wire[i] for i in (0, 1, 2, 4, 5, 6, 8)]
    assert "Owen Tallis, Harbor Wire Service" in WIRE.read_text(encoding="utf-8")


def test_content_farm_rewrite():
    docs = documents()
    farm = farm_doc(docs)
    for heading in ("Did you know?", "Expert Insight:", "Pro Tip:", "Key Takeaways",
                    "Frequently Asked Questions", "Call to Action"):
        assert heading in farm
    assert len(re.findall(r"\bQ: ", farm)) == len(re.findall(r"\bA: ", farm)) == 4
    assert len(re.findall(r"[Ff]ormer President", farm)) == 2
    others = [t for k, t in docs.items() if "trendpulse" not in k]
    for invented in ("Harlan Weekes", "Global Diplomacy Futures Institute"):
        assert invented in farm and not any(invented in t for t in others)
    assert not any("former President" in t for t in others)


def test_factual_slip():
    docs = documents()
    five = [k for k, t in docs.items() if re.search(r"\bfive hours\b", t, re.I)]
    assert five == [f"{JSONL.name}#1"]
    three = [k for k, t in docs.items() if re.search(r"\bthree hours\b", t, re.I)]
    assert len(three) >= 6


def test_preview_and_dates():
    preview = visible(PREVIEW.read_text(encoding="utf-8"))
    assert "is set to meet" in preview and "next Friday" in preview
    assert 'content="2025-08-09T14:20:00Z"' in PREVIEW.read_text(encoding="utf-8")
    later = [e.published_parsed[:3] for e in feedparser.parse(str(FEED)).entries]
    assert all((2025, 8, 16) <= d <= (2025, 8, 19) for d in later)


def test_zelensky_spellings():
    text = " ".join(documents().values())
    for spelling in ("Zelensky", "Zelenskyy", "Zelenskiy"):
        assert re.search(rf"\b{spelling}\b", text), spelling


def test_fictional_web_addresses():
    text = " ".join(p.read_text(encoding="utf-8") for p in EX.glob("*") if p.suffix in {".html", ".rss", ".jsonl"})
    text += " ".join(r[1] for r in warc_records() if r[1])
    hosts = set(re.findall(r"https?://([^/\s\"'<>]+)", text))
    assert hosts and all(h.endswith(".example") or h == "purl.org" or h.endswith("w3.org") or h == "schema.org"
                         for h in hosts), hosts


# -- originality ---------------------------------------------------------------

def _words(text: str) -> list[str]:
    text = text.replace("’", "'").replace("‘", "'")
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.lower())


def _shingles(words: list[str], n: int = 8) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def test_no_sentence_from_seed_articles(seeds):
    seed_shingles = set()
    for p in sorted(seeds.glob("*.txt")):
        seed_shingles |= _shingles(_words(p.read_text(encoding="utf-8", errors="replace")))
    assert seed_shingles
    for name, text in documents().items():
        common = _shingles(_words(text)) & seed_shingles
        assert not common, (name, [" ".join(c) for c in common][:5])

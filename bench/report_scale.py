"""Report size and render time at 1,000 documents, with and without the understanding sections.

Fills a fresh store with synthetic rows — documents of made-up words (about
700 words each, no provenance rows), and for each document the
understanding pass's output at a density typical of news (mention clusters,
roles, quotes, times, events) plus the corpus-wide tables (identities with a
long tail of one-document names, identity links, roles, quote speakers,
timeline events with support, placements, stories) — then times
:func:`sitrep.report.build_report`, :func:`render_html` and
:func:`render_markdown` and reports the sizes of sitrep.json, report.html and
report.md.  The same report with the understanding keys removed is rendered
too, so the table shows what the understanding layer adds.

    python bench/report_scale.py [--docs 1000] [--words 700] [--seed 7] [--out DIR]

With ``--out``, both pages are written to DIR, e.g. to time a browser
loading them: ``time chromium --headless --dump-dom DIR/report-with.html >/dev/null``.

Nothing here is keyed to a corpus: all names and words are generated.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

from sitrep.model import Annotation, Document, Event, Mention, Quote, RoleMention, TimeExpr, item_id
from sitrep.report import build_report, render_html, render_markdown, to_json
from sitrep.report.collect_understanding import SECTIONS as UNDERSTANDING
from sitrep.store import understanding as U
from sitrep.store.db import Store

# Per-document density (means), in line with what a news article yields.
CLUSTERS, MENTIONS, ROLES, QUOTES, TIMES, EVENTS = 14, 45, 2, 5, 8, 4
FREQUENT = 60  # identities shared across many documents; the rest are one-document names
STORY_SIZE = 15
EVENT_POOL = 300


def _word(rng: random.Random) -> str:
    return "".join(rng.choice("abcdefghiklmnoprstuvw") for _ in range(rng.randint(2, 9)))


def _text(rng: random.Random, words: int) -> tuple[str, list[tuple[int, int]]]:
    """Made-up prose and the spans of its words (what annotations will point at)."""
    parts, spans, pos = [], [], 0
    for i in range(words):
        w = _word(rng)
        if i % 14 == 13:
            w += "."
        spans.append((pos, pos + len(w)))
        parts.append(w)
        pos += len(w) + 1
    return " ".join(parts), spans


def _annotation(rng: random.Random, doc_id: str, spans: list[tuple[int, int]], keys: list[str]) -> Annotation:
    text_len = spans[-1][1]
    pick = lambda: spans[rng.randrange(len(spans))]  # noqa: E731
    ann = Annotation(doc_id, "synthetic", published_from="none")
    for _ in range(MENTIONS):
        a, b = pick()
        key = rng.choice(keys)
        ann.mentions.append(Mention(a, b, "x" * (b - a), rng.choice(["PERSON", "ORG", "GPE"]), "name", key))
    ann.mentions.sort(key=lambda m: m.start)
    for _ in range(ROLES):
        a, b = pick()
        ann.roles.append(RoleMention(rng.choice(keys), f"role {rng.randrange(40)}", a, b, rng.choice(["", "former"])))
    for _ in range(QUOTES):
        a, _ = pick()
        b = min(text_len, a + rng.randint(40, 300))
        c0, c1 = pick()
        ann.quotes.append(Quote(a, b, rng.choice(["direct", "indirect"]), "said", c0, c1, "speaker", c0, c1,
                                rng.choice(keys)))
    for _ in range(TIMES):
        a, b = pick()
        ann.times.append(TimeExpr(a, b, "x" * (b - a), "date", f"2025-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                                  "day", "published"))
    for _ in range(EVENTS):
        a, _ = pick()
        ann.events.append(Event(doc_id, "meet", a, min(text_len, a + 150), rng.sample(keys, 2), keys[0],
                                "2025-08-15", "past", "PT3H"))
    return ann


def _corpus_tables(rng: random.Random, db, docs: list[tuple[str, list[str]]]) -> None:
    """Identities, links, roles, speakers, timeline, placements and stories over the stored annotations."""
    links = [(doc_id, key, key if key.startswith("f") else f"t-{doc_id}-{key}") for doc_id, keys in docs
             for key in keys]
    identities: dict[str, int] = {}
    for _, _, ident in links:
        identities[ident] = identities.get(ident, 0) + 1
    # Names of a realistic length (two made-up words), so the page's size is not inflated by long ids.
    db.executemany("INSERT INTO identities VALUES (?, ?, 'PERSON', '', ?, ?)",
                   [(i, f"{_word(rng).title()} {_word(rng).title()}", n * 3, n) for i, n in identities.items()])
    db.executemany("INSERT INTO identity_links VALUES (?, ?, ?)", links)
    db.executemany("INSERT INTO identity_variants VALUES (?, ?, ?)",
                   [(i, f"{v} {_word(rng).title()}", rng.randint(1, 9)) for i in identities for v in ("", "N.", "Mr")])
    db.execute("INSERT INTO roles SELECT l.identity_id, r.role, r.qualifier, r.document_id, r.start, r.end, '' "
               "FROM role_mentions r JOIN identity_links l ON l.document_id = r.document_id AND l.key = r.key")
    db.execute("INSERT INTO quote_speakers SELECT q.document_id, q.seq, l.identity_id, 1, abs(random()) % 2 "
               "FROM quotes q JOIN identity_links l ON l.document_id = q.document_id AND l.key = q.speaker_key")
    db.executemany("INSERT INTO timeline VALUES (?, 'meet', ?, ?, 'synthetic', '', 'PT3H', ?)",
                   [(f"e{i}", f"event {i}", f"2025-08-{1 + i % 28:02d}", i) for i in range(EVENT_POOL)])
    db.execute(f"INSERT INTO timeline_support SELECT 'e' || (abs(random()) % {EVENT_POOL}), document_id, seq "
               "FROM events")
    db.executemany("INSERT INTO placements VALUES (?, '', 'after', ?, ?, 'synthetic: reports it in the past')",
                   [(d, f"e{rng.randrange(EVENT_POOL)}", n) for n, (d, _) in enumerate(docs)])
    for s in range(0, len(docs), STORY_SIZE):
        members = docs[s:s + STORY_SIZE]
        db.execute("INSERT INTO stories VALUES (?, ?, '2025-08-01', '2025-08-20', ?)",
                   (f"s{s}", f"story {s}", len(members)))
        db.executemany("INSERT INTO story_documents VALUES (?, ?)", [(d, f"s{s}") for d, _ in members])
        db.executemany("INSERT INTO story_actors VALUES (?, ?, ?)", [(f"s{s}", f"f{r}", r) for r in range(5)])


def fill(path: Path, n_docs: int, words: int, seed: int) -> None:
    rng = random.Random(seed)
    docs = []
    with Store(path) as store, store.transaction():
        for n in range(n_docs):
            text, spans = _text(rng, words)
            raw = f"synthetic {seed} {n}".encode()
            doc = Document(id=item_id("text", raw), locator=f"synthetic/{n}.txt", kind="text", raw_sha256="",
                           text=text, title=" ".join(_word(rng) for _ in range(8)), published_from="none")
            store.add_document(doc, raw)
            # A few identities the whole corpus shares, the rest local to the document.
            keys = [f"f{rng.randrange(FREQUENT)}" for _ in range(CLUSTERS // 2)]
            keys = sorted(set(keys)) + [f"l{k}" for k in range(CLUSTERS - len(set(keys)))]
            U.save_annotation(store, _annotation(rng, doc.id, spans, keys), on_restored=False)
            docs.append((doc.id, keys))
        _corpus_tables(rng, store.db, docs)


def measure(path: Path, out: Path | None = None) -> list[tuple]:
    with Store(path) as store:
        t0 = time.perf_counter()
        report = build_report(store, "2025-01-01T00:00:00+00:00")
        t_collect = time.perf_counter() - t0
    without = {k: v for k, v in report.items() if k not in dict(UNDERSTANDING)}
    rows = []
    for name, rep, t_c in (("without understanding", without, None), ("with understanding", report, t_collect)):
        t0 = time.perf_counter()
        page = render_html(rep)
        t_html = time.perf_counter() - t0
        t0 = time.perf_counter()
        md = render_markdown(rep)
        t_md = time.perf_counter() - t0
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            (out / f"report-{name.split()[0]}.html").write_text(page, "utf-8")
        size = lambda s: len(s.encode("utf-8"))  # noqa: E731
        rows.append((name, t_c, t_html, t_md, size(to_json(rep)), size(json.dumps(rep, ensure_ascii=False, indent=2)),
                     size(page), size(md)))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--words", type=int, default=700)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, help="also write both pages here (report-with.html, report-without.html)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scale.db"
        t0 = time.perf_counter()
        fill(path, args.docs, args.words, args.seed)
        t_fill = time.perf_counter() - t0
        with Store(path) as s:
            counts = {t: s.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                      for t in ("documents", "mentions", "quotes", "identities", "timeline", "stories")}
        rows = measure(path, args.out)
    print(f"{args.docs:,} synthetic documents of {args.words} words (store filled in {t_fill:.1f} s): "
          + ", ".join(f"{v:,} {k}" for k, v in counts.items()) + "\n")
    print("| report | collect s | render HTML s | render Markdown s | sitrep.json MB (indent=2) | report.html MB "
          "| report.md KB |")
    print("|---|---|---|---|---|---|---|")
    for name, t_c, t_html, t_md, js, js_indent, html, md in rows:
        collect = "—" if t_c is None else f"{t_c:.2f}"
        print(f"| {name} | {collect} | {t_html:.2f} | {t_md:.2f} | {js / 1e6:.1f} ({js_indent / 1e6:.1f}) | "
              f"{html / 1e6:.1f} | {md / 1e3:,.0f} |")
    print("\n(collect: build_report over the whole store, once; the first row drops the understanding keys from "
          "that dict. Sizes in UTF-8 bytes; in parentheses, sitrep.json as plain json.dumps(indent=2) would lay it "
          "out.)")


if __name__ == "__main__":
    main()

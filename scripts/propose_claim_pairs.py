"""Propose more sentence pairs to label for training a claim-pair reader (not for evaluation).

The labelled set of ``bench/claims.py`` splits pairs by event day into dev and test.  This script
draws new candidate pairs from PolNeAR articles whose earlier publication day is not a *test*
day of that set (a dev day, or a day with no labelled pair), so that nothing proposed here can
teach a model about a test day.  Pairs come from the labelled set's first route, ``vector``:
sentences of different publishers published within 3 days, MiniLM cosine in [0.5, 0.95): every
pair of [0.6, 0.95) (the labelled set took most of the upper band: 38 such pairs are left, and
718 in [0.6, 0.7)), then random pairs of [0.5, 0.6) up to ``--n``.

Sentences are those of :func:`sitrep.provenance.align.sentences` with 8 words or more; a
sentence that is part of a labelled pair is never used.  Output: ``--out`` JSONL of pairs
(document, character span, route; no text) and ``--text`` the two sentences of each pair, in
shuffled order, for reading.  The labels are then written by reading, with the guideline in the
docstring of ``bench/claims.py``, into ``bench/data/claims-polnear-train.jsonl``.

    .venv/bin/python scripts/propose_claim_pairs.py --n 2000 --out /tmp/tp/pairs.jsonl --text /tmp/tp/pairs.txt [--cache /tmp/tp/vectors.npz]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from claims import embed_texts, load_pairs  # noqa: E402
from sitrep.provenance.align import sentences  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--text", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--cache", type=Path, default=None,
                    help="npz memoising the sentence vectors between runs (as bench/claims.py --cache)")
    args = ap.parse_args(argv)

    labelled = load_pairs()
    meta = {}
    root = args.shared / "corpus" / "polnear"
    with open(root / "metadata.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            meta[row["filename"]] = row
    day_split = {}
    used = set()
    for p in labelled:
        day = min(meta[p["a"]["doc"]]["publication_date"], meta[p["b"]["doc"]]["publication_date"])
        day_split[day] = p["split"]
        for s in (p["a"], p["b"]):
            used.add((s["doc"], s["start"], s["end"]))
    rows = []  # (doc, start, end, text, publisher, ordinal day)
    for name, r in meta.items():
        text = (root / r["compartment"] / "text" / f"{name}.txt").read_text("utf-8")
        for s, e in sentences(text):
            t = " ".join(text[s:e].split())
            if len(t.split()) >= 8 and (name, s, e) not in used:
                rows.append((name, s, e, t, r["publisher"], date.fromisoformat(r["publication_date"]).toordinal()))
    print(f"{len(rows)} sentences", file=sys.stderr)
    vecs, _ = embed_texts([r[3] for r in rows], args.cache)
    rng = random.Random(args.seed)
    by_band: dict[str, list] = {"high": [], "mid": [], "low": []}
    days = np.array([r[5] for r in rows])
    pubs = [r[4] for r in rows]
    for i in range(len(rows)):
        near = np.nonzero((np.abs(days - days[i]) <= 3) & (np.arange(len(rows)) > i))[0]
        if not len(near):
            continue
        sims = vecs[near] @ vecs[i]
        for j, c in zip(near, sims):
            if c < 0.5 or c >= 0.95 or pubs[j] == pubs[i]:
                continue
            first = date.fromordinal(int(min(days[i], days[j]))).isoformat()
            if day_split.get(first) == "test":
                continue
            band = "high" if c >= 0.7 else "mid" if c >= 0.6 else "low"
            by_band[band].append((i, int(j), float(c)))
    print({k: len(v) for k, v in by_band.items()}, file=sys.stderr)
    quota = {"high": args.n, "mid": args.n, "low": max(0, args.n - len(by_band["high"]) - len(by_band["mid"]))}
    chosen = []
    for band, items in by_band.items():
        rng.shuffle(items)
        chosen += [(i, j, c, "vector") for i, j, c in items[:quota[band]]]
    rng.shuffle(chosen)
    with open(args.out, "w", encoding="utf-8") as out, open(args.text, "w", encoding="utf-8") as txt:
        for n, (i, j, c, route) in enumerate(chosen, 1):
            a, b = rows[i], rows[j]
            out.write(json.dumps({"id": f"t{n:04d}", "split": "train", "found_by": route,
                                  "a": {"doc": a[0], "start": a[1], "end": a[2]},
                                  "b": {"doc": b[0], "start": b[1], "end": b[2]}}) + "\n")
            txt.write(f"t{n:04d}\nA: {a[3]}\nB: {b[3]}\n\n")
    print(f"{len(chosen)} pairs", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

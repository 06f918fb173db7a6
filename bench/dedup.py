"""Scale benchmark of the near-duplicate candidate stage: shingles -> MinHash -> banded LSH.

Synthetic corpora with known copy structure. Every document is 250-400 words of
English words drawn by their Zipf rank (the wordfreq top 30,000), in sentences
and paragraphs. Documents belong to *stories* (about 250 documents each) whose
names and stock phrases recur in their documents, so unrelated articles on one
story overlap the way real ones do; a fifth of the sites add their own chrome
(header and footer lines) to every page. 10% of the documents are copies of
another, in equal shares:

    exact      the origin's body
    trimmed    a random 40-90% of its sentences, in order
    wrapped    the body inside another site's chrome
    spun03     a toy synonym spinner at rate 0.3 (a fixed random synonym for
               55% of the vocabulary, function words included; ~16% of tokens change)
    spun06     the same at rate 0.6 (~30% of tokens change)
    shuffled   its sentences in random order

Copies land on a random site and take its chrome. The corpus is generated
into a temporary directory (removed afterwards), then the timed stage reads
it back: 2 processes shingle and sign, the main process builds the LSH index
on all but the last 1,000 documents, takes its pairs, then adds the last 1,000
with ``LSHIndex.update`` (the incremental route). Each size runs in a fresh
subprocess, so peak RSS (getrusage) is its own.

Reported per size: stage time and docs/s, peak RSS of the main process and of
the largest worker, colliding pairs (before the Jaccard filter), candidate
pairs, recall of (copy, origin) pairs per kind, and precision (share of
candidate pairs inside one origin's family of copies).

``--real`` instead measures recall on real text with the real spinner:
PolNeAR's real articles (../shared, read at run time) with copies spun by
``sitrep.synth.spinner`` at rates 0.3 and 0.6, trimmed copies, and all
originals as distractors.

    python bench/dedup.py --sizes 10000,100000,1000000
    python bench/dedup.py --real --n-real 300
    python bench/dedup.py --choices   # why word bigrams without function-word pairs
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sitrep.provenance.lsh import LSHIndex  # noqa: E402
from sitrep.provenance.minhash import NUM_PERM, signatures  # noqa: E402
from sitrep.provenance.shingles import jaccard_exact  # noqa: E402

KINDS = ["exact", "trimmed", "wrapped", "spun03", "spun06", "shuffled"]
COPY_SHARE = 0.10
CHUNK = 5000  # documents per generated file / worker task
UPDATE = 1000  # documents added incrementally at the end
SEED = 2025


# -- the synthetic world -----------------------------------------------------------

class World:
    """Vocabulary, stories, sites and the toy spinner's synonyms, all from one seed."""

    def __init__(self, n_docs: int, seed: int = SEED):
        from wordfreq import top_n_list

        rng = random.Random(seed)
        self.vocab = [w for w in top_n_list("en", 30000) if w.isalpha()]
        weights = 1.0 / np.arange(1, len(self.vocab) + 1)
        self.cdf = np.cumsum(weights) / weights.sum()
        self.synonym = {w: rng.choice(self.vocab) for w in self.vocab if rng.random() < 0.55}
        mid = self.vocab[300:20000]
        self.stories = []
        for _ in range(max(4, n_docs // 250)):
            names = [self._name(rng) for _ in range(8)]
            phrases = [[rng.choice(names)] * rng.randint(0, 1) + rng.sample(mid, rng.randint(2, 3))
                       for _ in range(40)]
            self.stories.append((names, phrases))
        self.sites = []
        for s in range(max(20, n_docs // 2000)):
            if rng.random() < 0.2:
                head = " ".join(rng.sample(mid, rng.randint(15, 40))) + "."
                foot = " ".join(rng.sample(mid, rng.randint(25, 60))) + "."
                self.sites.append((f"Home | {s} | News\n{head}\n", f"\n{foot}\nCopyright Site {s}."))
            else:
                self.sites.append(("", ""))

    @staticmethod
    def _name(rng: random.Random) -> str:
        syl = ["ka", "ro", "vin", "mel", "dor", "ash", "el", "tu", "bra", "ney", "sol", "gar"]
        return "".join(rng.choice(syl) for _ in range(rng.randint(2, 3))).capitalize()


def body(world: World, rng: random.Random, pool: list[int], story: int) -> list[str]:
    """One article body as a list of sentences ("" marks a paragraph break)."""
    names, phrases = world.stories[story]
    target, words, out = rng.randint(250, 400), 0, []
    while words < target:
        n = rng.randint(8, 28)
        toks = [world.vocab[pool.pop()] for _ in range(n)]
        if rng.random() < 0.5:
            pos = rng.randrange(n)
            toks[pos:pos] = rng.choice(phrases)
        if rng.random() < 0.4:
            toks.insert(rng.randrange(n), rng.choice(names))
        words += len(toks)
        out.append(toks[0].capitalize() + " " + " ".join(toks[1:]) + ".")
        if rng.random() < 0.25:
            out.append("")
    return out


def spin_toy(world: World, rng: random.Random, sents: list[str], rate: float) -> list[str]:
    toks = [s.split(" ") for s in sents]
    eligible = [(i, j) for i, ws in enumerate(toks) for j, w in enumerate(ws)
                if w.rstrip(".").lower() in world.synonym]
    for i, j in rng.sample(eligible, round(rate * len(eligible))):
        w = toks[i][j]
        dot = "." if w.endswith(".") else ""
        new = world.synonym[w.rstrip(".").lower()]
        toks[i][j] = (new.capitalize() if w[0].isupper() else new) + dot
    return [" ".join(ws) for ws in toks]


def copy_of(world: World, rng: random.Random, sents: list[str], kind: str) -> list[str]:
    real = [s for s in sents if s]
    if kind == "trimmed":
        keep = max(1, round(rng.uniform(0.4, 0.9) * len(real)))
        return [real[i] for i in sorted(rng.sample(range(len(real)), keep))]
    if kind in ("spun03", "spun06"):
        return spin_toy(world, rng, sents, 0.3 if kind == "spun03" else 0.6)
    if kind == "shuffled":
        return rng.sample(real, len(real))
    return list(sents)  # exact, wrapped


def render(sents: list[str], site: tuple[str, str]) -> str:
    text = " ".join(s if s else "\n\n" for s in sents).replace(" \n\n ", "\n\n")
    return site[0] + text + site[1]


def make_chunk(args: tuple[int, int, str]) -> tuple[int, np.ndarray, np.ndarray]:
    """Generate documents [start, start + CHUNK) into a file; returns (start,
    origin index per document (-1 for originals), kind index per document)."""
    n_docs, start, folder = args
    world = _world(n_docs)
    rng = random.Random(SEED * 1_000_003 + start)
    count = min(CHUNK, n_docs - start)
    pool_rng = np.random.default_rng(SEED + start)
    pool = np.searchsorted(world.cdf, pool_rng.random(count * 460)).tolist()
    n_copies = round(COPY_SHARE * count)
    is_copy = np.zeros(count, dtype=bool)
    is_copy[rng.sample(range(count), n_copies)] = True
    origins = [i for i in range(count) if not is_copy[i]]
    bodies: dict[int, list[str]] = {}
    texts, origin, kind = [], np.full(count, -1, np.int64), np.full(count, -1, np.int8)
    copies = []
    for i in origins:
        bodies[i] = body(world, rng, pool, rng.randrange(len(world.stories)))
        texts.append((i, render(bodies[i], rng.choice(world.sites))))
    chrome_sites = [s for s in world.sites if s[0]]
    for c, i in enumerate(np.flatnonzero(is_copy)):
        o = rng.choice(origins)
        k = c % len(KINDS)
        site = rng.choice(chrome_sites) if KINDS[k] == "wrapped" else rng.choice(world.sites)
        copies.append((int(i), render(copy_of(world, rng, bodies[o], KINDS[k]), site)))
        origin[i], kind[i] = start + o, k
    texts = [t for _, t in sorted(texts + copies)]
    Path(folder, f"{start:09d}.txt").write_text("\x1e".join(texts), encoding="utf-8")
    return start, origin, kind


_WORLD: World | None = None


def _world(n_docs: int) -> World:
    global _WORLD
    if _WORLD is None:
        _WORLD = World(n_docs)
    return _WORLD


def sign_chunk(path: str) -> tuple[str, np.ndarray, float]:
    t = time.perf_counter()
    texts = Path(path).read_text(encoding="utf-8").split("\x1e")
    sigs = signatures(texts)
    return path, sigs, time.perf_counter() - t


# -- one size, in its own process ----------------------------------------------------

def run_size(n: int, workers: int) -> dict:
    ctx = get_context("fork")
    with tempfile.TemporaryDirectory(prefix="sitrep-dedup-") as tmp:
        t = time.perf_counter()
        with ctx.Pool(workers) as pool:
            parts = pool.map(make_chunk, [(n, s, tmp) for s in range(0, n, CHUNK)], chunksize=1)
        gen_s = time.perf_counter() - t
        origin = np.concatenate([p[1] for p in sorted(parts, key=lambda p: p[0])])
        kind = np.concatenate([p[2] for p in sorted(parts, key=lambda p: p[0])])
        background = sample_background(tmp)

        # -- the timed candidate stage --
        t0 = time.perf_counter()
        sigs = np.empty((n, NUM_PERM), dtype=np.uint32)
        files = sorted(str(p) for p in Path(tmp).glob("*.txt"))
        with ctx.Pool(workers) as pool:
            for path, s, _ in pool.imap_unordered(sign_chunk, files):
                start = int(Path(path).stem)
                sigs[start:start + len(s)] = s
        t1 = time.perf_counter()
        bulk = n - min(UPDATE, n // 10)
        index = LSHIndex()
        index.add(np.arange(bulk), sigs[:bulk])
        cands = index.pairs()
        t2 = time.perf_counter()
        new = index.update(np.arange(bulk, n), sigs[bulk:])
        t3 = time.perf_counter()

    a = np.concatenate([cands.a, new.a]).astype(np.int64)
    b = np.concatenate([cands.b, new.b]).astype(np.int64)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    found = np.unique(lo * n + hi)
    family = np.where(origin >= 0, origin, np.arange(n))
    copies = np.flatnonzero(origin >= 0)
    truth = np.minimum(copies, origin[copies]) * n + np.maximum(copies, origin[copies])
    hit = np.isin(truth, found)
    recall = {k: float(hit[kind[copies] == i].mean()) for i, k in enumerate(KINDS)}
    recall["all"] = float(hit.mean())
    stage = t3 - t0
    return {
        "docs": n, "copies": int(len(copies)), "generate_s": gen_s,
        "sign_s": t1 - t0, "lsh_s": t2 - t1, "update_s": t3 - t2, "update_docs": n - bulk,
        "stage_s": stage, "docs_per_s": n / stage,
        "collisions": int(cands.collisions + new.collisions),
        "pairs": int(len(found)),
        "precision": float(np.mean(family[lo] == family[hi])) if len(lo) else 1.0,
        "recall": recall,
        "oversized_buckets": len(cands.oversized) + len(new.oversized),
        "background": background,
        "peak_rss_main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "peak_rss_worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def sample_background(folder: str, pairs: int = 300) -> dict:
    """Exact shingle Jaccard of random unrelated document pairs in the first file:
    how much the synthetic documents overlap by chance (the LSH's noise floor)."""
    texts = sorted(Path(folder).glob("*.txt"))[0].read_text(encoding="utf-8").split("\x1e")
    rng = random.Random(1)
    js = [jaccard_exact(*rng.sample(texts, 2)) for _ in range(pairs)]
    return {"mean": float(np.mean(js)), "p99": float(np.quantile(js, 0.99))}


# -- real articles, real spinner -------------------------------------------------------

def _spin_job(args: tuple[str, float, int]) -> str:
    from sitrep.synth.spinner import spin

    text, rate, seed = args
    return spin(text, rate, seed).text


def run_real(n_copies: int, workers: int) -> dict:
    from sitrep.synth.thesaurus import DEFAULT_PATH, INSTALL_HINT

    if not DEFAULT_PATH.is_file():
        raise SystemExit(f"the real spinner needs {DEFAULT_PATH}: {INSTALL_HINT}")
    shared = Path(os.environ.get("SITREP_SHARED", ROOT.parent / "shared"))
    files = sorted((shared / "corpus" / "polnear").glob("*/text/*"))
    if not files:
        raise SystemExit(f"PolNeAR texts not found under {shared}/corpus/polnear (set SITREP_SHARED)")
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    rng = random.Random(SEED)
    chosen = rng.sample(range(len(texts)), min(n_copies, len(texts)))
    jobs = [(texts[i], rate, SEED + i) for rate in (0.3, 0.6) for i in chosen]
    with get_context("fork").Pool(workers) as pool:
        spun = pool.map(_spin_job, jobs, chunksize=4)
    trimmed = []
    for i in chosen:
        paras = [p for p in texts[i].split("\n") if p.strip()]
        keep = max(1, round(rng.uniform(0.4, 0.9) * len(paras)))
        trimmed.append("\n".join(paras[k] for k in sorted(rng.sample(range(len(paras)), keep))))
    kinds = ["spun03"] * len(chosen) + ["spun06"] * len(chosen) + ["trimmed"] * len(chosen)
    origins = chosen * 3
    allt = texts + spun + trimmed
    t = time.perf_counter()
    index = LSHIndex()
    index.add(np.arange(len(allt)), signatures(allt))
    cands = index.pairs()
    secs = time.perf_counter() - t
    found = {(int(a), int(b)) for a, b in zip(cands.a, cands.b)}
    out = {"originals": len(texts), "copies": len(allt) - len(texts), "seconds": secs,
           "pairs": len(found), "collisions": cands.collisions}
    for k in ("spun03", "spun06", "trimmed"):
        idx = [j for j, kk in enumerate(kinds) if kk == k]
        hits = [(origins[j], len(texts) + j) in found for j in idx]
        js = [jaccard_exact(texts[origins[j]], allt[len(texts) + j]) for j in idx]
        out[k] = {"n": len(idx), "recall": float(np.mean(hits)), "jaccard_min": float(np.min(js)),
                  "jaccard_median": float(np.median(js))}
        if k == "trimmed":  # the goal is stated for copies keeping >= 40% of the origin's text
            kept = [len(allt[len(texts) + j]) / len(texts[origins[j]]) >= 0.4 for j in idx]
            out[k]["recall_kept_40pct"] = float(np.mean([h for h, ok in zip(hits, kept) if ok]))
            out[k]["n_kept_40pct"] = int(sum(kept))
    copy_family = {len(texts) + j: origins[j] for j in range(len(kinds))}
    fam = lambda x: copy_family.get(x, x)  # noqa: E731
    other = [(a, b) for a, b in found if fam(a) != fam(b)]
    # Pairs the plan did not put there: PolNeAR itself holds some near-duplicate
    # articles (reprints), which also pair with each other's copies.
    out["unplanted_pairs"] = len(other)
    out["unplanted_pairs_between_originals"] = sum(b < len(texts) for a, b in other)
    out["unplanted_pairs_jaccard_min"] = float(min((jaccard_exact(allt[a], allt[b]) for a, b in other),
                                                   default=float("nan")))
    return out


# -- the shingle design, measured on real text -----------------------------------------

def run_choices() -> None:
    """Exact shingle Jaccard for w = 2, 3 with and without function-word pairs:
    real-spinner pairs of bench/spin and all pairs of PolNeAR's articles."""
    from sitrep.provenance.shingles import shingle_set

    shared = Path(os.environ.get("SITREP_SHARED", ROOT.parent / "shared"))
    spin_pairs = [json.loads(line) for line in (shared / "bench" / "spin" / "pairs-dev.jsonl").open()]
    texts = [f.read_text(encoding="utf-8", errors="replace")
             for f in sorted((shared / "corpus" / "polnear").glob("*/text/*"))]
    print(f"{len(spin_pairs)} spun pairs, {len(texts)} PolNeAR articles")
    word = re.compile(r"[^\W_]+")
    for rate in (0.3, 0.6):
        share = [len(p["substitutions"]) / len(word.findall(p["original"]))
                 for p in spin_pairs if p["rate"] == rate]
        print(f"rate {rate}: {np.mean(share):.1%} of word tokens substituted on average")
    for ngram in (2, 3):
        for stop_pairs in (True, False):
            line = f"w={ngram} {'with' if stop_pairs else 'without'} function-word pairs:"
            for rate in (0.3, 0.6):
                js = [jaccard_exact(p["original"], p["spun"], ngram, stop_pairs)
                      for p in spin_pairs if p["rate"] == rate]
                line += f" spun {rate} J min {min(js):.3f} median {np.median(js):.3f} max {max(js):.3f};"
            sets = [shingle_set(t, ngram, stop_pairs) for t in texts]
            bg = np.array([len(np.intersect1d(sets[i], sets[j], assume_unique=True))
                           / max(1, len(np.union1d(sets[i], sets[j])))
                           for i in range(len(sets)) for j in range(i + 1, len(sets))])
            print(line, f"PolNeAR all pairs: mean {bg.mean():.4f} p99 {np.quantile(bg, 0.99):.4f},"
                  f" pairs > 0.25: {(bg > 0.25).sum()}", flush=True)


# -- driver ------------------------------------------------------------------------------

def child(n: int, workers: int) -> None:
    print(json.dumps(run_size(n, workers)))


def measure(n: int, workers: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", str(n), "--workers", str(workers)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def table(rows: list[dict]) -> str:
    head = ("| docs | stage s | docs/s | sign s | LSH s | update 1k s | peak RSS main / worker MB "
            "| collisions | candidate pairs | precision | recall all | "
            + " | ".join(KINDS) + " |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        rec = r["recall"]
        lines.append(
            f"| {r['docs']:,} | {r['stage_s']:.1f} | {r['docs_per_s']:,.0f} | {r['sign_s']:.1f} "
            f"| {r['lsh_s']:.1f} | {r['update_s']:.2f} | {r['peak_rss_main_mb']:,.0f} / "
            f"{r['peak_rss_worker_mb']:,.0f} | {r['collisions']:,} | {r['pairs']:,} "
            f"| {r['precision']:.4f} | {rec['all']:.4f} | "
            + " | ".join(f"{rec[k]:.4f}" for k in KINDS) + " |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--real", action="store_true", help="real articles + real spinner instead")
    ap.add_argument("--n-real", type=int, default=300, help="articles copied in --real")
    ap.add_argument("--choices", action="store_true", help="measure the shingle design on real text")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.workers)
        return
    if args.real:
        print(json.dumps(run_real(args.n_real, args.workers), indent=1))
        return
    if args.choices:
        run_choices()
        return
    rows = []
    for n in [int(s) for s in args.sizes.split(",") if s]:
        r = measure(n, args.workers)
        rows.append(r)
        print(f"{n:>9,} docs: {r['stage_s']:.1f} s ({r['docs_per_s']:,.0f} docs/s), generation "
              f"{r['generate_s']:.0f} s (untimed), background J mean {r['background']['mean']:.4f} "
              f"p99 {r['background']['p99']:.4f}, oversized buckets {r['oversized_buckets']}", flush=True)
    print()
    print(table(rows))


if __name__ == "__main__":
    main()

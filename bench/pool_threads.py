"""Torch threads per worker in the pipeline's pool: sentence vectors with 2 workers x T threads.

    python bench/pool_threads.py [--texts 4000] [--workers 2] [--threads 1,2]

Embeds the same PolNeAR sentences (``../shared/corpus/polnear``) in a process
pool of ``--workers`` workers, once per thread setting, each setting in a fresh
pool whose workers first load the model (loading is not timed: a warm-up batch
runs before the clock starts).  The pipeline gives each worker
``cpu_count // workers`` threads; torch's default is every core in every
worker.  Prints a Markdown table with the ratio against the first setting.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
SHARED = Path(os.environ.get("SITREP_SHARED", ROOT.parent / "shared"))


def sentences(n: int) -> list[str]:
    out = []
    for path in sorted((SHARED / "corpus" / "polnear" / "train" / "text").glob("*.txt")):
        for line in path.read_text("utf-8").splitlines():
            out += [s.strip() for s in line.split(". ") if len(s.split()) >= 6]
            if len(out) >= n:
                return out[:n]
    return out


def _init(threads: int) -> None:
    os.environ["SITREP_TORCH_THREADS"] = str(threads)


def _embed(batch: list[str]) -> int:
    from sitrep.vectors import embed

    return len(embed(batch))


def timed(texts: list[str], workers: int, threads: int, chunk: int = 64) -> float:
    batches = [texts[i:i + chunk] for i in range(0, len(texts), chunk)]
    with mp.get_context("forkserver").Pool(workers, initializer=_init, initargs=(threads,)) as pool:
        pool.map(_embed, [texts[:8]] * workers, chunksize=1)  # each worker loads its model
        t0 = time.perf_counter()
        done = sum(pool.imap(_embed, batches))
        seconds = time.perf_counter() - t0
    assert done == len(texts)
    return seconds


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--texts", type=int, default=4000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", default="1,2", help="comma-separated threads per worker to compare")
    args = ap.parse_args()
    texts = sentences(args.texts)
    rows = [(t, timed(texts, args.workers, t)) for t in (int(x) for x in args.threads.split(","))]
    print(f"{len(texts)} sentences, {args.workers} workers, {os.cpu_count()} cores\n")
    print("| threads per worker | seconds | sentences/s | time ratio to first row |\n|---|---|---|---|")
    for t, s in rows:
        print(f"| {t} | {s:.1f} | {len(texts) / s:.0f} | {s / rows[0][1]:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Ingest throughput and memory against plain trafilatura.

Generates N synthetic news pages (article body plus navigation, share bars,
related links, comments and footer), then times, with the same number of
processes and in the same session:

* baseline: every page through ``trafilatura.bare_extraction(with_metadata=True)``
  in a process pool (extraction alone, the floor), and
* sitrep: ``sitrep.pipeline.ingest`` into a fresh store (read, extract, clean,
  language, store raw bytes and documents).

Each run is a fresh subprocess so its peak memory (main and worker
processes, from getrusage) is its own; runs alternate baseline/sitrep to
spread machine noise.  Peak memory is reported at several corpus sizes to show
it does not grow with the pile.

    python bench/ingest.py                 # 10,000 pages, sizes 2,500/5,000/10,000
    python bench/ingest.py --n 2000 --repeat 1
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path

WORDS = (
    "officials delegation summit ceasefire talks agreement border ministers sanctions energy "
    "pipeline negotiators capital region parliament vote election campaign budget defence "
    "troops envoy statement spokesman analysts markets prices exports harbour airport weather "
    "council mayor court ruling appeal investigation report figures growth inflation workers "
    "union strike hospital schools police protest villages farmers drought harvest bridge"
).split()
GLUE = "the a of in on for with after before while and but as at from by during".split()


def sentence(rng: random.Random) -> str:
    n = rng.randint(10, 24)
    words = [rng.choice(WORDS) if i % 2 == 0 else rng.choice(GLUE) for i in range(n)]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def page(i: int, rng: random.Random) -> str:
    """A page shaped like a real news page (~60-150 KB, as the median real page
    of bench/extraction is ~115 KB): a large menu, inline scripts and JSON,
    icons, related-story grids, comments and a link-heavy footer around the body."""
    paras = "".join(
        f"<p class='article-body__paragraph'>{' '.join(sentence(rng) for _ in range(rng.randint(2, 5)))}</p>"
        for _ in range(rng.randint(5, 14))
    )

    def links(n: int, prefix: str) -> str:
        return "".join(
            f"<li class='menu__item'><a class='menu__link' href='/{prefix}/{rng.randint(1, 10**6)}'>"
            f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)}</a></li>" for _ in range(n)
        )

    menu = "".join(f"<div class='menu__section'><h4>{w}</h4><ul>{links(15, w)}</ul></div>" for w in WORDS[:20])
    script = "window.__CONFIG__ = {" + ",".join(
        f'"k{k}": "{rng.random():.12f}"' for k in range(rng.randint(800, 2400))) + "};"
    icon = "<svg viewBox='0 0 24 24'><path d='" + " ".join(
        f"M{rng.randint(0, 24)} {rng.randint(0, 24)}" for _ in range(60)) + "'/></svg>"
    related = "".join(
        f"<div class='card'><a href='/story/{rng.randint(1, 10**6)}'>{icon}<span>{sentence(rng)}</span></a></div>"
        for _ in range(12)
    )
    comments = "".join(
        f"<div class='comment'><b>reader{k}</b><p>{sentence(rng)}</p><span>{rng.randint(1, 90)} likes</span></div>"
        for k in range(rng.randint(3, 15))
    )
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{sentence(rng)[:70]} | The Example Ledger</title>
<meta property="og:site_name" content="The Example Ledger">
<meta name="author" content="Reporter {i % 97}">
<meta property="article:published_time" content="2025-08-{1 + i % 28:02d}T10:00:00Z">
<link rel="canonical" href="https://ledger.example/news/{i}">
<style>body{{font-family:serif}} .menu__item{{display:inline}}</style><script>{script}</script></head><body>
<header><nav class="mega-menu">{menu}</nav></header>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept</button></div>
<main><article><h1>{sentence(rng)}</h1><div class="byline">By Reporter {i % 97}</div>
<div class="share">{icon}Share on Facebook | {icon}Share on X | {icon}Email</div>{paras}
<div class="ad">Advertisement</div></article>
<aside><h3>Related stories</h3><div class="grid">{related}</div></aside>
<section class="comments"><h3>Comments</h3>{comments}</section></main>
<footer><ul>{links(60, "site")}</ul><p>Copyright 2025 The Example Ledger. All rights reserved.</p>
<a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer></body></html>"""


def generate(n: int, folder: Path, seed: int = 7) -> Path:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"{i // 1000:03d}").mkdir(exist_ok=True)
        (folder / f"{i // 1000:03d}" / f"{i:06d}.html").write_text(page(i, rng))
    return folder


# -- the two contenders, each run in its own subprocess ------------------------

def _trafilatura_one(path: str) -> int:
    import trafilatura

    doc = trafilatura.bare_extraction(Path(path).read_bytes(), with_metadata=True)
    return len(doc.text or "") if doc else 0


def run_trafilatura(folder: Path, workers: int, n: int) -> dict:
    import trafilatura  # noqa: F401  (loaded before forking, as sitrep's workers are)

    paths = sorted(str(p) for p in folder.rglob("*.html"))[:n]
    t = time.perf_counter()
    with get_context("fork").Pool(workers) as pool:
        chars = sum(pool.imap(_trafilatura_one, paths, chunksize=8))
    return {"docs": len(paths), "seconds": time.perf_counter() - t, "chars": chars}


def run_sitrep(folder: Path, workers: int, n: int) -> dict:
    from sitrep.pipeline import ingest
    from sitrep.store.db import Store

    paths = sorted(str(p) for p in folder.rglob("*.html"))[:n]
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        with Store(Path(tmp) / "bench.db") as store:
            s = ingest(paths, store, workers=workers)
        secs = time.perf_counter() - t
    return {"docs": s.ingested, "seconds": secs, "failed": s.failed}


def _child(which: str, folder: str, workers: int, n: int) -> None:
    fn = run_trafilatura if which == "trafilatura" else run_sitrep
    result = fn(Path(folder), workers, n)
    result["peak_rss_main_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["peak_rss_worker_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps(result))


def measure(which: str, folder: Path, workers: int, n: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", which, str(folder), str(workers), str(n)],
        check=True, capture_output=True, text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--sizes", default="", help="comma-separated sizes for the memory check (default n/4,n/2,n)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=2, help="alternating baseline/sitrep pairs at full size")
    ap.add_argument("--dir", type=Path, default=None, help="where to generate pages (default: a temp dir)")
    ap.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _child(args.child[0], args.child[1], int(args.child[2]), int(args.child[3]))
        return
    tmp = tempfile.TemporaryDirectory()
    folder = generate(args.n, args.dir or Path(tmp.name) / "pages")
    print(f"generated {args.n} pages in {folder}; {args.workers} processes", flush=True)
    rows = []
    for r in range(args.repeat):
        for which in ("trafilatura", "sitrep"):
            res = measure(which, folder, args.workers, args.n)
            rows.append((which, res))
            print(f"  run {r + 1} {which:<12} {res['docs']:>6} docs {res['seconds']:7.1f} s "
                  f"{res['docs'] / res['seconds']:7.1f} docs/s  peak RSS main {res['peak_rss_main_mb']:.0f} MB, "
                  f"worker {res['peak_rss_worker_mb']:.0f} MB", flush=True)
    rate = {w: sum(r["docs"] for x, r in rows if x == w) / sum(r["seconds"] for x, r in rows if x == w)
            for w in ("trafilatura", "sitrep")}
    print(f"throughput: trafilatura {rate['trafilatura']:.1f} docs/s, sitrep {rate['sitrep']:.1f} docs/s, "
          f"ratio {rate['sitrep'] / rate['trafilatura']:.3f}")
    sizes = [int(s) for s in args.sizes.split(",") if s] or [args.n // 4, args.n // 2, args.n]
    print("peak memory by corpus size (sitrep):")
    for n in sizes:
        res = measure("sitrep", folder, args.workers, n)
        print(f"  {n:>7} docs: main {res['peak_rss_main_mb']:.0f} MB, worker {res['peak_rss_worker_mb']:.0f} MB, "
              f"{res['docs'] / res['seconds']:.1f} docs/s")


if __name__ == "__main__":
    main()

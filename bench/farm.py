"""Content-farm benchmark: false positives on real news, hits on the planted and real farm pages.

Three corpora, each read with sitrep's own readers (``sitrep.pipeline.ingest``
into a temporary store) so the text judged is the text sitrep sees:

- PolNeAR (../shared/corpus/polnear/<split>/text): real US election news from
  seven publishers, none of it content-farm output.  Every ``content_farm``
  verdict there is a false positive; goal <= 2 % on train.  The false
  positives are listed with their evidence.
- the pages of the extraction benchmark (../shared/bench/extraction/html):
  91 real web pages, mostly news of the 2010s-2020s with modern structure
  (subheadings, bullet lists, "key points" boxes) and a few blogs; a second
  set of negatives, reported the same way.
- the seeds (../shared/corpus/alaska-2025): 001 and 002 are content-farm
  pieces; 000 is a rewrite, 003 an opinion rewrite with boilerplate, 004 a
  word-spun copy: expected not flagged as template content farm.
- the examples (examples/alaska-2025): the TrendPulse page in the WARC is the
  content-farm rewrite; every other example is expected not flagged.

Expert counts are computed per corpus (documents as units; origin groups are
not known to this benchmark).  Derivations and spin results are not inputs
here, so the uncredited-rewrite and spin signals do not occur: the verdicts
rest on the text alone, the harder case.

    python bench/farm.py [--shared DIR] [--split train|dev|both] [--no-pages] [--verbose]
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

from sitrep.model import Document, QualityCard  # noqa: E402
from sitrep.pipeline import ingest  # noqa: E402
from sitrep.provenance.experts import expert_counts, name_keys  # noqa: E402
from sitrep.provenance.quality import quality_card  # noqa: E402
from sitrep.store.db import Store  # noqa: E402

SEED_FARMS = ("001_", "002_")
EXAMPLE_FARM = "trendpulse"  # the farm page's site, found in its URL


def load(inputs: list[str], workers: int) -> list[Document]:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db")
        ingest(inputs, store, workers=workers)
        docs = [d for d in store.documents() if d.text.strip()]
        store.close()
    return docs


def judge(docs: list[Document]) -> list[QualityCard]:
    counts = expert_counts({d.id: name_keys(d.text) for d in docs})
    return [quality_card(d, expert_counts=counts) for d in docs]


def evidence(card: QualityCard, doc: Document, width: int = 60) -> list[str]:
    lines = []
    for s in card.signals:
        if s.name in ("template_section", "unknown_expert", "rhetorical_closer", "uncredited_rewrite"):
            at = doc.text[s.spans[0][0]:s.spans[0][1]].replace("\n", " ")[:width] if s.spans else ""
            lines.append(f"      {s.name:17} {s.weight:.2f}  {s.detail[:90]}  @'{at}'")
    return lines


def row(name: str, doc: Document, card: QualityCard, expected: bool) -> str:
    kinds = sorted({s.detail.split(":")[0] for s in card.signals if s.name == "template_section"})
    ok = "ok" if card.content_farm == expected else "WRONG"
    return (f"  {name[:44]:44} farm={str(card.content_farm):5} expect={str(expected):5} {ok:5} "
            f"score={card.score:.2f}  {','.join(kinds)}")


def negatives(name: str, folder: Path, workers: int, verbose: bool) -> tuple[int, int]:
    """Judge a folder of real, non-farm articles: every content-farm verdict is a false positive."""
    t0 = time.perf_counter()
    docs = load([str(folder)], workers)
    cards = judge(docs)
    secs = time.perf_counter() - t0
    flagged = [(d, c) for d, c in zip(docs, cards) if c.content_farm]
    print(f"{name}: {len(flagged)}/{len(docs)} flagged content farm = "
          f"{len(flagged) / len(docs):.2%} false-positive rate ({secs:.1f} s incl. ingest)")
    signal_docs = sum(any(s.name == "template_section" and s.weight >= 0.3 for s in c.signals) for c in cards)
    print(f"  documents with at least one confirmed template section: {signal_docs}")
    for d, c in flagged:
        print(f"  FP {Path(d.locator).name}  {d.url or ''}")
        print("\n".join(evidence(c, d)))
    if verbose:
        weak = [(d, c) for d, c in zip(docs, cards) if not c.content_farm and any(
            s.name == "template_section" and s.weight >= 0.3 for s in c.signals)]
        for d, c in weak:
            print(f"  near miss {Path(d.locator).name}  {d.url or ''}")
            print("\n".join(evidence(c, d)))
    return len(flagged), len(docs)


def seeds(shared: Path, workers: int, verbose: bool) -> int:
    docs = load([str(shared / "corpus" / "alaska-2025")], workers)
    wrong = 0
    print("Seeds (../shared/corpus/alaska-2025):")
    for d, c in sorted(zip(docs, judge(docs)), key=lambda x: x[0].locator):
        name = Path(d.locator).name
        expected = name.startswith(SEED_FARMS)
        wrong += c.content_farm != expected
        print(row(name, d, c, expected))
        if verbose:
            print("\n".join(evidence(c, d)))
    return wrong


def examples(workers: int, verbose: bool) -> int:
    docs = load([str(ROOT / "examples" / "alaska-2025")], workers)
    wrong = 0
    print("Examples (examples/alaska-2025):")
    for d, c in sorted(zip(docs, judge(docs)), key=lambda x: x[0].locator):
        expected = EXAMPLE_FARM in (d.url or d.locator)
        wrong += c.content_farm != expected
        print(row(d.locator.split("/")[-1], d, c, expected))
        if verbose:
            print("\n".join(evidence(c, d)))
    return wrong


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path,
                    default=Path(os.environ.get("SITREP_SHARED", ROOT.parent / "shared")))
    ap.add_argument("--split", choices=("train", "dev", "both"), default="train")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-pages", action="store_true", help="skip the extraction-benchmark pages")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    splits = ("train", "dev") if args.split == "both" else (args.split,)
    for split in splits:
        negatives(f"PolNeAR {split}", args.shared / "corpus" / "polnear" / split / "text",
                  args.workers, args.verbose)
        print()
    if not args.no_pages:
        negatives("Extraction-benchmark pages", args.shared / "bench" / "extraction" / "html",
                  args.workers, args.verbose)
        print()
    wrong = seeds(args.shared, args.workers, args.verbose)
    print()
    wrong += examples(args.workers, args.verbose)
    print(f"\nseeds + examples: {wrong} verdicts differ from the expected ones")


if __name__ == "__main__":
    main()

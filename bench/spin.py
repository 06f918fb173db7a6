"""Spin benchmark: detection and restoration of word-spun news articles.

Reads the benchmark pairs (``../shared/bench/spin/pairs-dev.jsonl``: an
original article, its spun copy and the substituted tokens, whose ``start``
is an offset in the original) and measures, per spin rate and overall:

* token-level detection precision / recall (a mark on a substituted token's
  span in the spun text is a hit);
* the share of substituted tokens restored exactly (case-sensitive);
* false changes in the spun text: restored words at tokens that were not
  substituted, per word of the text;
* false changes on the ORIGINAL texts: words the restorer changes when run on
  the original (pipeline mode: the spun gate applies; and gate off, n-grams
  only: every change the decoder would make).

Settings:

* ``without source`` — :class:`sitrep.provenance.spin.SpinDetector`, n-grams
  only and with the neural rescorer, with the base language model (WordNet
  glosses + wordfreq), and with the base model
  plus the polnear corpus **leave-one-out**: the pair's own original and every
  polnear article that shares ≥ 10% of its 8-word shingles with it are
  subtracted from the counts before the pair is restored;
* ``with source`` — :func:`sitrep.provenance.spin_source.restore_with_source`
  against the original; for the false-change column the roles are swapped (the
  original "restored" against its spun copy: the wrong direction).

Also reports the detector's verdict on the seed articles (only 004 is spun)
and on the example corpus (only 06 is spun).

    python bench/spin.py [--every N] [--limit N] [--lm base,polnear] [--neural off,on] [--no-source]
                         [--no-seeds] [--speed]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from sitrep.provenance import langmodel as L  # noqa: E402
from sitrep.provenance.spin import SpinDetector, default_lm  # noqa: E402
from sitrep.provenance.spin_source import restore_with_source  # noqa: E402

SHARED = Path(os.environ.get("SITREP_SHARED", ROOT.parent / "shared"))
PAIRS = SHARED / "bench" / "spin" / "pairs-dev.jsonl"
POLNEAR = SHARED / "corpus" / "polnear"
SEEDS = SHARED / "corpus" / "alaska-2025"
EXAMPLES = ROOT / "examples" / "alaska-2025"
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
NEAR_COPY = 0.10


def gold_spans(pair: dict) -> dict[int, tuple[int, str, str]]:
    """Spun-text start -> (spun end, original word, spun word) per substitution."""
    out, shift = {}, 0
    for s in sorted(pair["substitutions"], key=lambda s: s["start"]):
        start = s["start"] + shift
        assert pair["spun"][start : start + len(s["spun"])] == s["spun"], (pair["id"], s)
        out[start] = (start + len(s["spun"]), s["original"], s["spun"])
        shift += len(s["spun"]) - len(s["original"])
    return out


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def changed_words(result) -> int:
    return sum(1 for m in result.marks if m.restored and m.restored != m.published) if result.spun else 0


def shingles(text: str, n: int = 8) -> set[int]:
    w = [x.lower() for x in _WORD.findall(text)]
    return {hash(tuple(w[i : i + n])) for i in range(max(len(w) - n + 1, 0))}


class Tally:
    def __init__(self):
        self.v = defaultdict(float)

    def add(self, **kw):
        for k, x in kw.items():
            self.v[k] += x

    def row(self, name: str) -> str:
        v = self.v
        p = v["tp"] / v["marks"] if v["marks"] else 0.0
        r = v["tp"] / v["subs"] if v["subs"] else 0.0
        exact = v["exact"] / v["subs"] if v["subs"] else 0.0
        fc_spun = v["false_spun"] / v["words_spun"] if v["words_spun"] else 0.0
        fc_orig = v["false_orig"] / v["words_orig"] if v["words_orig"] else 0.0
        fc_forced = v["false_forced"] / v["words_orig"] if v["words_orig"] else 0.0
        return (f"| {name} | {int(v['docs'])} | {int(v['subs'])} | {p:.3f} | {r:.3f} | {exact:.3f} | "
                f"{fc_spun:.4f} | {fc_orig:.4f} | {fc_forced:.4f} | {int(v['spun_hit'])}/{int(v['docs'])} | "
                f"{int(v['orig_flagged'])}/{int(v['docs'])} |")


HEADER = ("| setting | docs | substituted | det. P | det. R | restored exactly | false changes (spun, genuine words) "
          "| false changes (originals) | false changes (originals, gate off, n-grams only) | spun docs flagged | originals flagged |\n"
          "|---|---|---|---|---|---|---|---|---|---|---|")


def score_pair(pair, result, orig_result, forced_orig) -> dict:
    gold = gold_spans(pair)
    marks = result.marks if result.spun else []
    tp = sum(1 for m in marks if m.start in gold)
    exact = sum(1 for m in marks if m.start in gold and m.restored == gold[m.start][1])
    false_spun = sum(1 for m in marks if m.start not in gold and m.restored and m.restored != m.published)
    return dict(
        docs=1, subs=len(gold), marks=len(marks), tp=tp, exact=exact, false_spun=false_spun,
        words_spun=word_count(pair["spun"]), words_orig=word_count(pair["original"]),
        false_orig=changed_words(orig_result),
        false_forced=sum(1 for m in forced_orig.marks if m.restored and m.restored != m.published),
        spun_hit=int(result.spun), orig_flagged=int(orig_result.spun),
    )


def polnear_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(POLNEAR.glob("*/text/*.txt"))}


def run_without_source(pairs, lm_kind: str, neural: bool, verbose: bool) -> dict[str, Tally]:
    det = SpinDetector(neural=neural)
    ngram_only = SpinDetector(neural=False)
    tallies = defaultdict(Tally)
    base = L.load_base()
    pol_counts = pol = shingle_sets = None
    if lm_kind == "polnear":
        t0 = time.time()
        pol = polnear_texts()
        pol_counts = L.Counts.from_texts(pol.values()).combine(base)
        shingle_sets = {k: shingles(v) for k, v in pol.items()}
        print(f"  polnear: {len(pol)} articles, {pol_counts.size():,} n-grams with the base ({time.time() - t0:.1f} s)",
              file=sys.stderr)
    t_restore = 0.0
    for pair in pairs:
        if lm_kind == "polnear":
            own = shingles(pair["original"])
            excluded = [k for k, s in shingle_sets.items()
                        if s and own and len(s & own) / min(len(s), len(own)) >= NEAR_COPY]
            lm = L.NGramLM(pol_counts.combine(L.Counts.from_texts(pol[k] for k in excluded), sign=-1))
        else:
            excluded = []
            lm = default_lm()
        t0 = time.time()
        result = det.detect(pair["spun"], pair["id"], lm=lm)
        t_restore += time.time() - t0
        orig_result = det.detect(pair["original"], pair["id"], lm=lm)
        forced = ngram_only.detect(pair["original"], pair["id"], lm=lm, force=True)
        s = score_pair(pair, result, orig_result, forced)
        tallies[f"rate {pair['rate']}"].add(**s)
        tallies["all"].add(**s)
        if verbose:
            print(f"  {pair['id'][:50]:50} r={pair['rate']} excl={len(excluded)} subs={s['subs']} "
                  f"exact={s['exact']} tp={s['tp']} marks={s['marks']} false={s['false_spun']} "
                  f"orig={s['false_orig']} forced={s['false_forced']} score={result.score:.3f}", file=sys.stderr)
    print(f"  restoration time on the spun texts: {t_restore:.1f} s for {len(pairs)} documents", file=sys.stderr)
    return tallies


def run_with_source(pairs) -> dict[str, Tally]:
    tallies = defaultdict(Tally)
    for pair in pairs:
        result = restore_with_source(pair["spun"], pair["original"], pair["id"])
        reverse = restore_with_source(pair["original"], pair["spun"], pair["id"])
        s = score_pair(pair, result, reverse, reverse)
        tallies[f"rate {pair['rate']}"].add(**s)
        tallies["all"].add(**s)
    return tallies


def seeds_and_examples() -> list[str]:
    from sitrep.pipeline import ingest
    from sitrep.store.db import Store

    det = SpinDetector()
    lines = ["| document | spun | score | marks | restored sample |", "|---|---|---|---|---|"]
    docs = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "s.db")
        ingest([str(EXAMPLES)], store, workers=1)
        docs += [(Path(d.locator).name[:60], d.text) for d in store.documents() if d.text]
    t0 = time.time()
    for name, text in docs:
        r = det.detect(text, name)
        sample = ", ".join(f"{m.published}→{m.restored}" for m in r.marks[:4] if m.restored)
        lines.append(f"| {name} | {r.spun} | {r.score:.3f} | {len(r.marks)} | {sample} |")
    lines.append(f"\n{len(docs)} documents judged in {time.time() - t0:.2f} s")
    return lines


def speed() -> list[str]:
    """Detection throughput on real unspun news: every polnear article, pipeline settings."""
    from sitrep.provenance.spin import SCREEN_MIN, screen_score

    texts = list(polnear_texts().values())
    t0 = time.time()
    det = SpinDetector()  # builds the thesaurus lexicon (once per process)
    det.lm  # noqa: B018 - and loads the base model, outside the timing
    load = time.time() - t0
    t0 = time.time()
    results = [det.detect(t) for t in texts]
    dt = time.time() - t0
    decoded = sum(1 for t in texts if screen_score(t, det.lexicon) >= SCREEN_MIN)
    t1 = time.time()
    for t in texts[:100]:
        det.detect(t, screen=False)
    slow = 100 / (time.time() - t1)
    return [f"speed: {len(texts)} polnear articles judged in {dt:.1f} s = {len(texts) / dt:.0f} docs/s "
            f"(lexicon and base model loaded in {load:.1f} s); {decoded} passed the screen and were decoded; "
            f"{sum(r.spun for r in results)} judged spun; without the screen {slow:.1f} docs/s"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--every", type=int, default=1, help="only every Nth pair (a fixed subset)")
    ap.add_argument("--lm", default="base,polnear")
    ap.add_argument("--neural", default="off",
                    help="n-grams only (off), with the neural rescorer (on), or both (off,on); the neural "
                         "rescorer takes about 100 s per spun article on 2 shared cores: use --every 4")
    ap.add_argument("--no-source", action="store_true")
    ap.add_argument("--no-seeds", action="store_true")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--speed", action="store_true", help="also time detection on the polnear articles")
    args = ap.parse_args()
    pairs = [json.loads(line) for line in PAIRS.open(encoding="utf-8")]
    pairs = pairs[:: args.every]
    if args.limit:
        pairs = pairs[: args.limit]
    print(f"{len(pairs)} pairs from {PAIRS}\n")
    print(HEADER)
    for kind in [k for k in args.lm.split(",") if k]:
        for neural in [n == "on" for n in args.neural.split(",") if n]:
            t0 = time.time()
            tallies = run_without_source(pairs, kind, neural, args.verbose)
            label = f"no source, LM {kind}{' + neural' if neural else ''}"
            for name in sorted(tallies):
                print(tallies[name].row(f"{label}, {name}"), flush=True)
            print(f"  ({label}: {time.time() - t0:.1f} s)", file=sys.stderr)
    if not args.no_source:
        tallies = run_with_source(pairs)
        for name in sorted(tallies):
            print(tallies[name].row(f"with source, {name}"))
    if not args.no_seeds:
        print()
        print("\n".join(seeds_and_examples()))
    if args.speed:
        print()
        print("\n".join(speed()))


if __name__ == "__main__":
    main()

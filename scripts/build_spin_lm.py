"""Build the language model the spin restorer needs (run by setup; safe to rerun).

Compiles the trigram count table of the WordNet glosses and example sentences
(Debian ``wordnet-base``) into ``data/spin/wordnet-3gram.npz`` (or under
``$SITREP_DATA``). Skips the work when the file is already there, unless
``--force``.

    python scripts/build_spin_lm.py [--force] [--out PATH]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from sitrep.provenance import langmodel as L  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--force", action="store_true", help="rebuild even if the file exists")
    ap.add_argument("--out", type=Path, default=None, help="output file (default: the data dir)")
    args = ap.parse_args()
    out = args.out or L.base_model_path()
    if out.is_file() and not args.force:
        print(f"spin LM: {out} already built")
        return 0
    t0 = time.time()
    try:
        L.build_base(out)
    except FileNotFoundError as e:
        print(f"spin LM: {e}", file=sys.stderr)
        return 1
    counts = L.Counts.load(out)
    print(f"spin LM: {out} ({counts.size():,} n-grams, {out.stat().st_size / 1e6:.1f} MB) in {time.time() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`sitrep build` on a whole corpus: time per stage and peak memory.

    python bench/build.py                      # all 924 PolNeAR articles (train + dev)
    python bench/build.py --limit 200          # the first 200 (by date)
    python bench/build.py --out /tmp/polnear   # keep the store and the report there

The PolNeAR articles (``../shared/corpus/polnear``, text plus ``metadata.tsv``)
are written to one JSON Lines file with their title, publisher and date, then
``sitrep build`` runs on it in a child process exactly as a user would run it
(default workers).  The stage log (``sitrep build`` without ``-q``) gives the
seconds of each layer's per-document stages and of each corpus stage; memory
is sampled every 0.2 s from /proc as the summed resident set of the build
process and all its workers (the peak of that sum is reported, and the peak of
the largest single process).  Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SITREP_SHARED", ROOT.parent / "shared"))
POLNEAR = SHARED / "corpus" / "polnear"


def write_jsonl(path: Path, limit: int | None) -> int:
    with open(POLNEAR / "metadata.tsv", encoding="utf-8") as f:
        rows = sorted(csv.DictReader(f, delimiter="\t"), key=lambda r: (r["publication_date"], r["filename"]))
    rows = rows[:limit] if limit else rows
    with open(path, "w", encoding="utf-8") as out:
        for r in rows:
            text = (POLNEAR / r["compartment"] / "text" / f"{r['filename']}.txt").read_text(encoding="utf-8")
            out.write(json.dumps({"text": text, "title": r["title"], "published": r["publication_date"],
                                  "source": r["publisher"], "author": r["author"],
                                  "url": f"https://{r['publisher']}.example/{r['filename']}"}) + "\n")
    return len(rows)


def _tree_rss(root: int) -> tuple[int, int]:
    """(summed, largest) resident set in bytes of ``root`` and its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    todo, total, largest = [root], 0, 0
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        largest = max(largest, rss.get(pid, 0))
        todo += children.get(pid, [])
    return total, largest


def run(inputs: Path, out: Path) -> tuple[float, str, int, int]:
    cmd = [sys.executable, "-m", "sitrep.cli", "build", str(inputs), "--out", str(out)]
    t = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
    peak = [0, 0]

    def sample():
        while proc.poll() is None:
            total, largest = _tree_rss(proc.pid)
            peak[0], peak[1] = max(peak[0], total), max(peak[1], largest)
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    log = proc.stdout.read()
    proc.wait()
    sampler.join()
    if proc.returncode not in (0, 1) or not (out / "report.html").exists():
        sys.exit(f"sitrep build failed ({proc.returncode}):\n{log[-3000:]}")
    return time.monotonic() - t, log, peak[0], peak[1]


def stage_seconds(log: str) -> list[tuple[str, float]]:
    out = []
    for line in log.splitlines():
        m = re.match(r"\s+(\w+): (\d+) documents in ([\d.]+)s", line)
        if m:
            out.append((f"{m.group(1)} (per document, {m.group(2)} docs)", float(m.group(3))))
            continue
        m = re.match(r"\s+(\w+): .*seconds ([\d.]+)", line)
        if m:
            out.append((m.group(1), float(m.group(2))))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, help="only the first N articles by date")
    ap.add_argument("--out", type=Path, help="folder for the store and report (default: a temporary one)")
    args = ap.parse_args()
    if not POLNEAR.is_dir():
        sys.exit(f"PolNeAR not found at {POLNEAR} (set SITREP_SHARED)")
    out = args.out or Path(tempfile.mkdtemp(prefix="sitrep-build-"))
    out.mkdir(parents=True, exist_ok=True)
    inputs = out / "polnear.jsonl"
    n = write_jsonl(inputs, args.limit)
    wall, log, peak, largest = run(inputs, out / "report")
    print(log[-4000:], file=sys.stderr)
    report = out / "report" / "report.html"
    print(f"\n`python bench/build.py{' --limit ' + str(args.limit) if args.limit else ''}` — {n} articles, "
          f"wall {wall:.0f} s, peak memory {peak / 2**30:.2f} GB summed over processes "
          f"(largest process {largest / 2**30:.2f} GB), report.html {report.stat().st_size / 2**20:.1f} MB\n")
    print("| stage | seconds |\n|---|---|")
    for name, secs in stage_seconds(log):
        print(f"| {name} | {secs:.1f} |")
    print(f"| whole build (wall) | {wall:.1f} |")
    print(f"\nstore and report in {out}")


if __name__ == "__main__":
    main()

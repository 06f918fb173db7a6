"""Does a built report open, and is it usable?  Headless Chromium timing plus a link audit.

    python bench/report_open.py /tmp/b924/report/report.html [more.html ...] [--repeat 2]

For each page: wall time of headless Chromium loading it and dumping the DOM
after its script ran (``chromium --headless --dump-dom``), next to an empty
page timed in the same session (Chromium's own start-up, the baseline);
then, on the dumped DOM, what a reader needs to use the report:

* stories listed (``#sec-stories .story``) and how many of them link to a
  briefing view that exists in the page;
* briefing sentences (``ol.sentences > li`` of the briefing views) and how many carry at least
  one citation link (``a[data-span]``) into a document view that exists;
* in-page links (``href="#..."``) whose target id is missing (should be 0).

Needs Chromium (Debian package ``chromium``); the link audit runs without it on
the file as written when Chromium is missing.  Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lxml import html as lxml_html


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def dump_dom(exe: str, page: Path) -> tuple[float, str]:
    t0 = time.perf_counter()
    proc = subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.resolve().as_uri()],
                          capture_output=True, text=True, check=True, timeout=900)
    return time.perf_counter() - t0, proc.stdout


def audit(dom: str) -> dict:
    root = lxml_html.fromstring(dom)
    ids = set(root.xpath("//@id"))
    stories = root.xpath("//*[@id='sec-stories']//div[contains(concat(' ', @class, ' '), ' story ')]")
    linked = 0
    for s in stories:
        targets = [h[1:] for h in s.xpath(".//h3//a/@href") if h.startswith("#")]
        linked += any(t in ids for t in targets)
    views = root.xpath("//*[starts-with(@id, 'brief-')]")
    sentences = [li for v in views for li in v.xpath(".//ol[contains(concat(' ', @class, ' '), ' sentences ')]/li")]
    cited = sum(any(h[1:] in ids for h in li.xpath(".//a[@data-span]/@href")) for li in sentences)
    internal = [h[1:] for h in root.xpath("//a/@href") if h.startswith("#") and len(h) > 1]
    return {"stories": len(stories), "stories_linked": linked, "views": len(views), "sentences": len(sentences),
            "cited": cited, "links": len(internal), "broken": sum(t not in ids for t in internal)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pages", nargs="+", type=Path)
    ap.add_argument("--repeat", type=int, default=2, help="Chromium loads per page (the median is shown)")
    args = ap.parse_args()
    exe = chromium()
    if exe is None:
        print("chromium not found (apt-get install chromium): auditing the files as written, no open times",
              file=sys.stderr)
    base = None
    if exe:
        with tempfile.TemporaryDirectory() as tmp:
            empty = Path(tmp) / "empty.html"
            empty.write_text("<!doctype html><title>empty</title>", "utf-8")
            base = statistics.median(dump_dom(exe, empty)[0] for _ in range(args.repeat))
    print("| page | MB | open s (median) | empty page s | stories (with briefing link) | briefing views | "
          "briefing sentences (cited) | in-page links (broken) |\n|---|---|---|---|---|---|---|---|")
    for page in args.pages:
        if exe:
            runs = [dump_dom(exe, page) for _ in range(args.repeat)]
            seconds, dom = statistics.median(r[0] for r in runs), runs[-1][1]
        else:
            seconds, dom = None, page.read_text("utf-8")
        a = audit(dom)
        opened = f"{seconds:.1f}" if seconds is not None else "-"
        empty = f"{base:.1f}" if base is not None else "-"
        print(f"| {page} | {page.stat().st_size / 2**20:.1f} | {opened} | {empty} | {a['stories']} "
              f"({a['stories_linked']}) | {a['views']} | {a['sentences']} ({a['cited']}) | {a['links']} ({a['broken']}) |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

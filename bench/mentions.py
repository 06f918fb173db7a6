"""Cost of the mentions-and-roles component on top of spaCy's parse.

Parses N PolNeAR articles (real US election news) once with ``nlp.pipe``
(one process), timing it, then runs
:func:`sitrep.understand.mentions.find_mentions` on every parsed document,
timing that alone (best of ``--repeat`` passes).  Times are the process's CPU
time (``time.process_time``), so other jobs on a shared machine do not inflate
them; the share of the parse is the figure to compare across machines.
Prints milliseconds per 1000 words for both, the component's share of the
parse, and what it found (mentions by kind, roles, descriptions resolved).

``--identities`` instead runs mentions and :class:`sitrep.understand.identities.
IdentityIndex` over the five seed articles (``../shared/corpus/alaska-2025``,
004 as published: restoring its spin takes minutes), the example corpus
(``examples/alaska-2025``, read with sitrep's own ingest) and both together,
and prints identity counts, then the seeds' identities with their variants,
documents and roles.

    python bench/mentions.py [--limit 200] [--repeat 3]
    python bench/mentions.py --identities
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
SHARED = Path(os.environ.get("SITREP_SHARED", ROOT.parent / "shared"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--identities", action="store_true")
    args = ap.parse_args()
    if args.identities:
        identities()
        return

    from sitrep.model import Annotation
    from sitrep.understand.mentions import find_mentions
    from sitrep.understand.nlp import load_nlp

    paths = sorted((SHARED / "corpus" / "polnear").glob("*/text/*.txt"))[: args.limit]
    texts = [p.read_text(encoding="utf-8") for p in paths]
    words = sum(len(t.split()) for t in texts)
    nlp = load_nlp()
    t0 = time.process_time()
    sdocs = list(nlp.pipe(texts, batch_size=32))
    parse = time.process_time() - t0

    find_mentions(sdocs[0], Annotation("warm", ""), None)  # lexicons load once per process
    best, anns = float("inf"), []
    for _ in range(args.repeat):
        anns = [Annotation(str(i), "") for i in range(len(sdocs))]
        t0 = time.process_time()
        for sdoc, ann in zip(sdocs, anns):
            find_mentions(sdoc, ann, None)
        best = min(best, time.process_time() - t0)

    kinds = Counter(m.kind for a in anns for m in a.mentions)
    desc = [m for a in anns for m in a.mentions if m.kind == "description"]
    roles = sum(len(a.roles) for a in anns)
    per_k = lambda s: 1000 * s / words * 1000  # noqa: E731
    print(f"{len(texts)} PolNeAR articles, {words} words\n")
    print("| step | CPU ms per 1000 words | share of parse |")
    print("|---|---:|---:|")
    print(f"| spaCy nlp.pipe (1 process) | {per_k(parse):.1f} | 100% |")
    print(f"| find_mentions (best of {args.repeat}) | {per_k(best):.2f} | {100 * best / parse:.1f}% |")
    print()
    print("| found | count |")
    print("|---|---:|")
    for k, n in sorted(kinds.items()):
        print(f"| mentions, kind {k} | {n} |")
    print(f"| descriptions resolved | {sum(1 for m in desc if m.key)} of {len(desc)} |")
    print(f"| roles | {roles} |")


def _seed_texts() -> list[tuple[str, str, str]]:
    return [(p.name[:3], p.read_text(encoding="utf-8"), "")
            for p in sorted((SHARED / "corpus" / "alaska-2025").glob("*.txt"))]


def _example_texts() -> list[tuple[str, str, str]]:
    from sitrep.extract.document import extract_item
    from sitrep.ingest.files import read_inputs
    from sitrep.ingest.limits import Limits
    from sitrep.model import Document, RawItem

    out = []
    for ev in read_inputs([str(ROOT / "examples" / "alaska-2025")], Limits()):
        doc = extract_item(ev) if isinstance(ev, RawItem) else None
        if isinstance(doc, Document) and doc.text.strip():
            out.append((doc.locator.rsplit("/", 1)[-1], doc.text, doc.published or ""))
    return out


def _index(docs, nlp):
    from sitrep.model import Annotation
    from sitrep.understand.identities import IdentityIndex
    from sitrep.understand.mentions import find_mentions

    idx = IdentityIndex()
    for (doc_id, _, date), sdoc in zip(docs, nlp.pipe([t for _, t, _ in docs])):
        ann = Annotation(doc_id, "")
        find_mentions(sdoc, ann, None)
        idx.add(doc_id, ann.mentions, ann.roles, date)
    return idx


def identities() -> None:
    from sitrep.understand.nlp import load_nlp

    nlp = load_nlp()
    seeds, examples = _seed_texts(), _example_texts()
    print("| corpus | documents | identities | persons | metonyms | merges |")
    print("|---|---:|---:|---:|---:|---:|")
    seed_idx = None
    for name, docs in (("seeds", seeds), ("examples", examples), ("seeds + examples", seeds + examples)):
        idx = _index(docs, nlp)
        seed_idx = seed_idx or idx
        ids = idx.identities()
        persons = sum(i.label == "PERSON" for i in ids)
        mets = sum(bool(i.stands_for) and i.label == "ORG" for i in ids)
        print(f"| {name} | {len(docs)} | {len(ids)} | {persons} | {mets} | {len(idx.merges)} |")
    print("\nSeed identities (variants with counts; documents; roles):\n")
    print("| id | name | label | variants | docs | stands for | roles |")
    print("|---|---|---|---|---:|---|---|")
    roles: dict[str, set[str]] = {}
    for r in seed_idx.roles():
        roles.setdefault(r.identity, set()).add(r.role + (f" [{r.qualifier}]" if r.qualifier else ""))
    for i in seed_idx.identities():
        variants = ", ".join(f"{v} ({n})" for v, n in i.variants.items())
        print(f"| {i.id} | {i.name} | {i.label} | {variants} | {len(i.documents)} | {i.stands_for} "
              f"| {'; '.join(sorted(roles.get(i.id, ())))} |")


if __name__ == "__main__":
    main()

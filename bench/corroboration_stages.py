"""Time the four per-story corroboration stages, and their store reads, on a built store.

    .venv/bin/python bench/corroboration_stages.py /tmp/b924/report/sitrep.db --work /tmp/h2/bench.db \\
        --label after --save /tmp/h2/stages-after.json [--before /tmp/h2/stages-before.json] \\
        [--sentences /tmp/h2/sentences-after.tsv]

The store is copied to ``--work`` first (the stages rewrite their tables; the
original is never opened for writing).  Each stage runs once, in pipeline
order, on the copy, as ``sitrep analyse`` runs it; the read rows time only the
store reads the stages and the briefing facts make for every story (claims,
claim vectors, a story's claim groups with their members, claims by id, and
the whole of ``story_facts``, which reads the last two).  Times are CPU
seconds of this process (wall seconds in brackets): the machine is shared.  With
``--before`` (the JSON a previous run saved) the table has both columns and
their ratio.  Each row also gives a digest of what it read or wrote, so two
runs can be checked to agree.  Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import time
from pathlib import Path

from sitrep.corroborate import stages as S
from sitrep.corroborate.facts import story_facts
from sitrep.stage import StageContext
from sitrep.store import corroboration as C
from sitrep.store.db import Store

STAGE_TABLES = {
    "claim_groups": ("claim_groups", "claim_group_members"),
    "contradictions": ("contradictions",),
    "positions": ("positions",),
    "briefings": ("briefings",),
}


def digest(obj) -> str:
    return hashlib.sha256(repr(obj).encode()).hexdigest()[:12]


def table_digest(store: Store, tables) -> str:
    rows = [sorted(repr(tuple(r)) for r in store.db.execute(f"SELECT * FROM {t}")) for t in tables]
    return digest(rows)


def timed(fn):
    """((CPU seconds, wall seconds), result): CPU time is the figure compared, as the machine is shared."""
    c0, w0 = time.process_time(), time.perf_counter()
    result = fn()
    return (time.process_time() - c0, time.perf_counter() - w0), result


def read_rows(store: Store) -> dict[str, tuple[float, str]]:
    by_story = S._stories(store)
    rows = {}
    t, out = timed(lambda: [C.story_claims(store, docs) for docs in by_story.values()])
    rows["read: every story's claims"] = (t, digest([[c.id for c in cs] for cs in out]))
    t, out = timed(lambda: [S.claim_vectors(store, docs) for docs in by_story.values()])
    rows["read: every story's claim vectors"] = (t, digest([(a.shape, float(a.sum())) for a, _ in out]))
    t, groups = timed(lambda: [C.claim_groups(store, sid) for sid in by_story])
    rows["read: every story's claim groups"] = (t, digest(groups))
    ids = [[cid for g in gs for cid in g.claims] for gs in groups]
    t, out = timed(lambda: [C.claims_by_id(store, i) for i in ids])
    rows["read: the claims of every story's groups, by id"] = (t, digest([sorted(d) for d in out]))
    t, out = timed(lambda: [story_facts(store, sid) for sid in by_story])
    rows["read: every story's briefing facts (story_facts)"] = (t, digest([len(f.groups) for f in out]))
    return rows


def stage_rows(store: Store) -> dict[str, tuple[float, str]]:
    ctx = StageContext(new_ids=[], workers=1)
    rows = {}
    for stage in S.CORPUS_STAGES:
        t, _ = timed(lambda: stage.run(store, ctx))
        rows[f"stage: {stage.name}"] = (t, table_digest(store, STAGE_TABLES[stage.name]))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("db", type=Path)
    ap.add_argument("--work", type=Path, required=True, help="where to copy the store")
    ap.add_argument("--label", default="this run")
    ap.add_argument("--save", type=Path, help="write this run's numbers as JSON")
    ap.add_argument("--before", type=Path, help="a saved run to compare with")
    ap.add_argument("--sentences", type=Path,
                    help="write the briefing sentences the run made, one per line (story, section, text), to diff")
    args = ap.parse_args()
    if args.work.resolve() == args.db.resolve():
        raise SystemExit("--work must not be the original store")
    shutil.copyfile(args.db, args.work)
    with Store(args.work) as store:
        n_stories = len(S._stories(store))
        n_docs = store.counts()["documents"]
        rows = {**read_rows(store), **stage_rows(store)}
        if args.sentences:
            args.sentences.write_text("".join(
                f"{sid}\t{section}\t{text}\n" for sid, section, text in store.db.execute(
                    "SELECT story_id, section, text FROM briefings ORDER BY story_id, seq")), "utf-8")
    if args.save:
        args.save.write_text(json.dumps(rows, indent=1))
    print(f"{n_docs} documents, {n_stories} stories ({args.db})\n")
    if args.before:
        before = json.loads(args.before.read_text())
        print(f"| step | before: CPU s (wall) | {args.label}: CPU s (wall) | CPU speed-up | same output |\n"
              "|---|---:|---:|---:|---|")
        for name, ((cpu, wall), d) in rows.items():
            (b_cpu, b_wall), bd = before.get(name, ((float("nan"), float("nan")), ""))
            print(f"| {name} | {b_cpu:.2f} ({b_wall:.2f}) | {cpu:.2f} ({wall:.2f}) | {b_cpu / cpu:.2f}x "
                  f"| {'yes' if d == bd else 'NO'} |")
    else:
        print(f"| step | {args.label}: CPU s (wall) | digest |\n|---|---:|---|")
        for name, ((cpu, wall), d) in rows.items():
            print(f"| {name} | {cpu:.2f} ({wall:.2f}) | {d} |")


if __name__ == "__main__":
    main()

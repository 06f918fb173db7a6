"""The timeline's constraint solver: incremental negative-cycle checks against a full check
per constraint, on the annotations of a built store, in one process.

    python bench/build.py --out /tmp/polnear          # once: a store to read
    python bench/timeline_solver.py /tmp/polnear/report/sitrep.db --limit 300

Both solvers keep the same constraints (the strongest consistent subset, greedily); the
bench checks that the timelines they give are identical and prints the seconds of
``timeline.build`` with each (the merging step, ``timeline.update``, is shared and not timed).
"""

from __future__ import annotations

import argparse
import time

from sitrep.store import understanding as U
from sitrep.store.db import Store
from sitrep.understand import timeline as T


def full_check_solve(nodes, cons):
    """The baseline: a whole-graph Bellman-Ford check after each added constraint."""
    g = T._Graph(nodes)
    for c in cons:
        g.add(c)
    if g.consistent():
        return g, list(cons), []
    g, kept, dropped = T._Graph(nodes), [], []
    for c in cons:
        g.add(c)
        if g.consistent():
            kept.append(c)
        else:
            g.remove(c)
            dropped.append(c)
    return g, kept, dropped


def fingerprint(built) -> list:
    return ([(e.id, e.date, e.earliest, e.latest) for e in built.events]
            + [(p.document_id, p.date, p.order) for p in built.documents] + list(built.dropped))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("db")
    ap.add_argument("--limit", type=int, default=0, help="only the first N annotated documents")
    args = ap.parse_args()
    store = Store(args.db)
    links = {(d, k): i for d, k, i in store.db.execute("SELECT document_id, key, identity_id FROM identity_links")}
    anns = list(U.annotations(store))
    anns = anns[: args.limit] if args.limit else anns
    texts = {a.document_id: store.document(a.document_id).text for a in anns}
    state = T.update(None, anns, identities=links, texts=texts)
    incremental = T.solve
    times, prints = {}, {}
    for name, solver in (("full check", full_check_solve), ("incremental", incremental),
                         ("full check", full_check_solve), ("incremental", incremental)):
        T.solve = solver
        t = time.perf_counter()
        built = T.build(state)
        times.setdefault(name, []).append(time.perf_counter() - t)
        prints[name] = fingerprint(built)
    T.solve = incremental
    same = prints["full check"] == prints["incremental"]
    print(f"{len(anns)} documents, {len(built.events)} events, {len(built.dropped)} constraints dropped; "
          f"identical timelines: {same}")
    print("| solver | timeline.build s (two runs) |\n|---|---|")
    for name, ts in times.items():
        print(f"| {name} | {' / '.join(f'{t:.2f}' for t in ts)} |")


if __name__ == "__main__":
    main()

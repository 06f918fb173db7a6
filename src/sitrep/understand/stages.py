"""The understanding layer's stages, in the order the pipeline runs them.

Per document (worker processes, batched through one ``nlp.pipe`` per batch):
the annotation — sentences, date, mentions and roles, quotes, times, events —
on the restored text where the provenance layer found the document spun.

Corpus-wide (main process, on the stored annotations): identities across
spellings and their roles; single-source quotes; the timeline of events and
the placing of undated documents; stories.
"""

from __future__ import annotations

import json
import zlib
from functools import lru_cache

import numpy as np

from sitrep.model import Annotation, Document, SpinMark, sha256
from sitrep.stage import CorpusStage, DocStage, Layer, StageContext, code_digest
from sitrep.store import provenance as P
from sitrep.store import understanding as U
from sitrep.store.db import Store


def _load(store: Store, doc_id: str) -> tuple[Document, list[SpinMark]]:
    return store.document(doc_id), P.restoration_marks(store, doc_id)


def _annotate(inputs: list[tuple[Document, list[SpinMark]]]) -> list[Annotation]:
    from sitrep.understand.annotate import annotate

    return annotate(inputs)


def _save(store: Store, doc_id: str, ann: Annotation) -> str:
    U.save_annotation(store, ann, on_restored=bool(P.restoration_marks(store, doc_id)))
    return ann.text_digest


def _stale(store: Store) -> list[str]:
    """Documents whose restoration changed since they were annotated (a source
    arrived, or a document stopped or started being judged spun)."""
    from sitrep.understand.annotate import analysis_text

    out = []
    for doc_id, spun, digest, on_restored in store.db.execute(
            "SELECT a.document_id, s.spun AND s.restored_text IS NOT NULL, a.text_digest, a.on_restored "
            "FROM annotations a JOIN spin s ON s.document_id = a.document_id").fetchall():
        if not spun and not on_restored:
            continue
        doc, marks = _load(store, doc_id)
        if sha256(analysis_text(doc, marks).encode()) != digest:
            out.append(doc_id)
    return out


DOC_STAGES = [
    DocStage("annotate", 18, _annotate, _save, batched=True, load=_load, stale=_stale),
]

# -- corpus stages ---------------------------------------------------------------


IDENTITY_DATA = ("understand/honorifics.tsv", "understand/nicknames.tsv", "understand/countries.tsv",
                 "understand/seats.tsv", "understand/offices.tsv", "understand/qualifiers.tsv")


@lru_cache(maxsize=1)
def identity_rules() -> bytes:
    """A digest of the code and lexicons that decide who is who."""
    from sitrep.understand import identities, names

    return code_digest((identities, names), IDENTITY_DATA).encode()


def _index(store: Store, ctx: StageContext):
    """The identity index with this run's documents added.  A re-annotated
    document (its restoration changed) cannot be taken out of the index, and
    an index built by other rules (an upgrade changed names.py) joined other
    spellings, so then the index is rebuilt from every annotation."""
    from sitrep.understand.identities import IdentityIndex

    data = U.get_state(store, "identities")
    idx = IdentityIndex.from_rows(json.loads(zlib.decompress(data))) if data else IdentityIndex()
    known = set(idx.documents()) if data else set()
    if known & set(ctx.new_ids) or data and U.get_state(store, "identity_rules") != identity_rules():
        idx, todo = IdentityIndex(), None
    else:
        todo = [i for i in ctx.new_ids if i not in known]
    for ann in U.annotations(store, _in_order(store, todo)):
        idx.add(ann.document_id, ann.mentions, ann.roles, ann.published)
    return idx


def _in_order(store: Store, ids: list[str] | None) -> list[str] | None:
    if ids is None:
        return None
    seq = {r[0]: r[1] for r in store.db.execute("SELECT id, seq FROM documents")}
    return sorted(ids, key=lambda i: seq.get(i, 0))


def identities(store: Store, ctx: StageContext) -> dict:
    """One identity per actor, place or organisation across the corpus, with roles."""
    idx = _index(store, ctx)
    rows = idx.to_rows()
    links = [(d, k.split(":", 1)[1], idx.resolve(i)) for d, _, k, i, _ in rows["links"]]
    mentions: dict[str, int] = {}
    for _, _, _, i, n in rows["links"]:
        live = idx.resolve(i)
        mentions[live] = mentions.get(live, 0) + n
    # one row per (document, key): a key both place and metonym keeps the actor reading
    best: dict[tuple[str, str], str] = {}
    for d, key, i in links:
        best.setdefault((d, key), idx.identity_of(d, key) or i)
    people = idx.identities()
    with store.transaction():
        U.save_identities(store, people, [(d, k, i) for (d, k), i in best.items()], mentions, idx.roles())
        U.put_state(store, "identities", zlib.compress(json.dumps(rows).encode()))
        U.put_state(store, "identity_rules", identity_rules())
    return {"identities": len(people), "merges": len(idx.merges)}


def quote_speakers(store: Store, ctx: StageContext) -> dict:
    """Each quote's speaker as an identity, and how many independent sources
    (origin groups) know that speaker: one means the quote is single-source."""
    groups = dict(store.db.execute("SELECT document_id, group_id FROM origin_groups"))
    links = U.identity_links(store)
    known: dict[str, set[str]] = {}
    for (doc_id, _), ident in links.items():
        known.setdefault(ident, set()).add(groups.get(doc_id, doc_id))
    rows = []
    for doc_id, seq, key in store.db.execute("SELECT document_id, seq, speaker_key FROM quotes"):
        ident = links.get((doc_id, key), "") if key else ""
        sources = len(known.get(ident, ())) if ident else 0
        rows.append((doc_id, seq, ident, sources, int(bool(ident) and sources <= 1)))
    with store.transaction():
        U.save_rows(store, {"quote_speakers": rows})
    return {"quotes": len(rows), "single_source": sum(r[4] for r in rows)}


def timeline(store: Store, ctx: StageContext) -> dict:
    """Events merged across documents, dated, and every document placed in time."""
    from sitrep.understand import timeline as T
    from sitrep.understand.annotate import analysis_text

    data = U.get_state(store, "timeline")
    state = T.TimelineState.from_dict(json.loads(zlib.decompress(data))) if data else None
    links = U.identity_links(store)
    anns = list(U.annotations(store, _in_order(store, ctx.new_ids)))
    if T.replaces(state, anns):  # a re-annotated document: build as a fresh store would, not in arrival order
        read = {a.document_id for a in anns}  # update() does not depend on the order it gets them in
        state = None
        anns += U.annotations(store, [i for i in U.annotated_ids(store) if i not in read])
    # the text the annotation ran on (restored when spun): event and mention offsets point into it
    texts = {a.document_id: analysis_text(*_load(store, a.document_id)) for a in anns}
    state = T.update(state, anns, identities=links, texts=texts)
    built = T.build(state)
    events, support = _timeline_rows(store, built)
    placements = [_placement_row(p) for p in built.documents]
    with store.transaction():
        U.save_rows(store, {"timeline": events, "timeline_support": support, "placements": placements})
        U.put_state(store, "timeline", zlib.compress(json.dumps(state.to_dict()).encode()))
    return {"events": len(events), "dropped_constraints": len(built.dropped)}


def _timeline_rows(store: Store, built) -> tuple[list[tuple], list[tuple]]:
    from sitrep.understand.timeline import event_label

    seqs: dict[tuple[str, int, int], int] = {}
    for doc_id, seq, start, end in store.db.execute("SELECT document_id, seq, start, end FROM events"):
        seqs.setdefault((doc_id, start, end), seq)
    links = U.identity_links(store)
    names = U.identity_names(store)
    stands = dict(store.db.execute("SELECT id, stands_for FROM identities WHERE stands_for != ''"))
    events, support = [], set()
    for rank, e in enumerate(built.events):
        how = "; ".join(f"{x.get('text', '')!r} ({x.get('how', '')})" for x in e.date_evidence[:3])
        place = next((links[(d, e.place)] for d in e.documents if (d, e.place) in links), e.place)
        date = e.date or (f"{e.earliest}/{e.latest}" if e.earliest or e.latest else "")
        actors, agents, patients = _event_actors(e, links, stands)
        # the label names the actors as the row keeps them (a metonym folded into its country)
        label = event_label(e.trigger, [names.get(a, a) for a in actors], names.get(place, place))
        events.append((e.id, e.trigger, label, date, how, place, e.duration, rank, json.dumps(actors),
                       e.tense, e.status, e.cls, e.date, e.weekday, json.dumps(agents), json.dumps(patients)))
        for doc_id, start, end in e.spans:
            if (doc_id, start, end) in seqs:
                support.add((e.id, doc_id, seqs[(doc_id, start, end)]))
    return events, sorted(support)


def _event_actors(e, links: dict, stands: dict[str, str]) -> tuple[list[str], list[str], list[str]]:
    """(actors, agents, patients) of a timeline event as identity ids.  A metonym beside what it stands
    for is that actor ("the Kremlin" next to Russia is Russia's government, not a third party); an
    actor the merged roles put on both sides keeps neither role."""
    def ident(a: str) -> str:
        return next((links[(d, a)] for d in e.documents if (d, a) in links), a)

    ids = [ident(a) for a in e.actors]

    def fold(xs: list[str]) -> list[str]:
        return list(dict.fromkeys(stands[x] if stands.get(x) in ids else x for x in xs))

    agents, patients = fold([ident(a) for a in e.agents]), fold([ident(a) for a in e.patients])
    both = set(agents) & set(patients)
    return fold(ids), [a for a in agents if a not in both], [a for a in patients if a not in both]


def _placement_row(p) -> tuple:
    fixed = p.source not in ("inferred", "none", "")
    rel = next((r for r in p.relations if r.relation in ("before", "after")), None)
    relation = "dated" if fixed else (rel.relation if rel else ("dated" if p.date else "unplaced"))
    return (p.document_id, p.date or "", relation, rel.event if rel and not fixed else "", p.order, p.summary)


def stories(store: Store, ctx: StageContext) -> dict:
    """Documents grouped into stories, incrementally."""
    from sitrep.understand.stories import StoryDoc, StoryIndex, story_vector
    from sitrep.vectors import embed

    data = U.get_state(store, "stories")
    index = StoryIndex.from_bytes(data) if data else StoryIndex()
    known = set(index.assignments())
    fresh = [i for i in _in_order(store, ctx.new_ids) if i not in known]
    if fresh:
        docs = [store.document(i) for i in fresh]
        titled = [d.title for d in docs if d.title]
        title_vecs = iter(embed(titled)) if titled else iter(())
        items = []
        for d in docs:
            lead = P.product(store, d.id, "lead_vector", 1)
            lead = np.frombuffer(lead, dtype=np.float32) if lead else np.zeros(384, np.float32)
            vec = story_vector(lead, next(title_vecs) if d.title else None)
            date = store.db.execute("SELECT COALESCE(published, '') FROM annotations WHERE document_id = ?",
                                    (d.id,)).fetchone()
            items.append(StoryDoc(d.id, vec, _document_actors(store, d.id), date[0] if date else "", d.title or ""))
        index.add(items)
    names = U.identity_names(store)
    found = index.stories(names)
    with store.transaction():
        U.save_rows(store, {
            "stories": [(s.id, s.label, s.start, s.end, len(s.documents)) for s in found],
            "story_documents": [(d, s.id) for s in found for d in s.documents],
            "story_actors": [(s.id, a, r) for s in found for r, a in enumerate(s.actors)],
        })
        U.put_state(store, "stories", index.to_bytes())
    return {"stories": len(found)}


def _document_actors(store: Store, doc_id: str) -> dict[str, int]:
    """The identities a document mentions, with how many mentions each."""
    return dict(store.db.execute(
        "SELECT l.identity_id, count(m.seq) FROM identity_links l JOIN mentions m "
        "ON m.document_id = l.document_id AND m.key = l.key WHERE l.document_id = ? GROUP BY 1", (doc_id,)))


CORPUS_STAGES = [
    CorpusStage("identities", identities),
    CorpusStage("quote_speakers", quote_speakers),
    CorpusStage("timeline", timeline),
    CorpusStage("stories", stories),
]

LAYER = Layer("understanding", DOC_STAGES, CORPUS_STAGES)

"""The provenance layer's stages, in the order the pipeline runs them.

Per document (worker processes): a MinHash signature, a lead vector, the
spin judgement (a cheap n-gram pass), the experts it quotes.

Corpus-wide (main process, on those products): candidate pairs (LSH on
signatures + nearest lead vectors) for documents new in this run; passage
alignment and derivation edges for those pairs; origin groups over the whole
graph; restoration of spun documents (from their source when the graph has
one, else with the n-gram model of the pile and the neural rescorer); quality
cards.
"""

from __future__ import annotations

import json
from collections import defaultdict
from functools import lru_cache

import numpy as np

from sitrep.model import Document
from sitrep.stage import CorpusStage, DocStage, Layer, StageContext
from sitrep.store.db import Store
from sitrep.store import provenance as P

# -- per-document stages ---------------------------------------------------------


def _minhash(doc: Document) -> bytes:
    from sitrep.provenance.minhash import signature

    return signature(doc.text).astype(np.uint32).tobytes()


def _lead_vector(doc: Document) -> bytes:
    from sitrep.provenance.semantic import document_vectors

    return document_vectors([doc.text])[0].astype(np.float32).tobytes()


@lru_cache(maxsize=1)
def _screening_detector():
    from sitrep.provenance.spin import SpinDetector

    # n-grams only: cheap enough for every document; the neural rescoring runs
    # later, corpus-wide, on the few spun documents that have no source.
    return SpinDetector(neural=False)


def _spin(doc: Document):
    return _screening_detector().detect(doc.text, doc.id)


def _save_spin(store: Store, doc_id: str, result) -> str:
    P.save_spin(store, result)
    return json.dumps({"score": result.score, "spun": result.spun})


def _experts(doc: Document) -> str:
    from sitrep.provenance.experts import name_keys

    return json.dumps(sorted(name_keys(doc.text)))


DOC_STAGES = [
    DocStage("minhash", 1, _minhash),
    DocStage("lead_vector", 1, _lead_vector),
    DocStage("spin", 1, _spin, _save_spin),
    DocStage("experts", 1, _experts),
]

# -- corpus stages ---------------------------------------------------------------


def _vectors(store: Store, stage: str, dtype) -> tuple[list[str], np.ndarray]:
    ids, rows = [], []
    for doc_id, data in P.products(store, stage, 1):
        ids.append(doc_id)
        rows.append(np.frombuffer(data, dtype=dtype))
    return ids, (np.vstack(rows) if rows else np.zeros((0, 0), dtype=dtype))


def candidates(store: Store, ctx: StageContext) -> dict:
    """Pairs involving this run's new documents: near-duplicates by MinHash LSH,
    rewrites by nearest lead vectors."""
    from sitrep.provenance.lsh import LSHIndex
    from sitrep.provenance.semantic import semantic_candidates

    new = set(ctx.new_ids)
    ids, sigs = _vectors(store, "minhash", np.uint32)
    pairs: list[tuple[str, str, str, float]] = []
    if ids:
        old_rows = [i for i, d in enumerate(ids) if d not in new]
        new_rows = [i for i, d in enumerate(ids) if d in new]
        index = LSHIndex()
        if old_rows:
            index.add([ids[i] for i in old_rows], sigs[old_rows])
        if new_rows:
            found = index.update([ids[i] for i in new_rows], sigs[new_rows])
            pairs += [(str(a), str(b), "minhash", float(j)) for a, b, j in zip(found.a, found.b, found.jaccard)]
    vids, vecs = _vectors(store, "lead_vector", np.float32)
    if vids:
        pairs += [(a, b, "semantic", s) for a, b, s in semantic_candidates(vids, vecs) if a in new or b in new]
    with store.transaction():
        P.save_candidates(store, pairs)
    return {"pairs": len(pairs), "minhash": sum(p[2] == "minhash" for p in pairs),
            "semantic": sum(p[2] == "semantic" for p in pairs)}


def _spin_scores(store: Store) -> dict[str, float]:
    return {r[0]: r[1] for r in store.db.execute("SELECT document_id, score FROM spin")}


def _boilerplate_lines(store: Store) -> dict[str, int]:
    return {r[0]: r[1] for r in store.db.execute(
        "SELECT document_id, count(*) FROM removed_lines GROUP BY document_id")}


def derivation(store: Store, ctx: StageContext) -> dict:
    """Align each new candidate pair, keep the derivation edges, regroup the graph."""
    from sitrep.provenance.derivation import derive, origin_groups
    from sitrep.vectors import CachedEmbedder

    new = set(ctx.new_ids)
    pairs = sorted({(r[0], r[1]) for r in store.db.execute("SELECT a, b FROM candidate_pairs")
                    if r[0] in new or r[1] in new})
    docs = {d.id: d for d in store.documents()}
    edges = derive(pairs, docs, embed=CachedEmbedder(), spin_scores=_spin_scores(store),
                   boilerplate_lines=_boilerplate_lines(store))
    with store.transaction():
        P.save_derivations(store, edges)
        all_edges = P.load_derivations(store, with_passages=False)
        groups = origin_groups(list(docs), all_edges, docs)
        P.save_groups(store, groups)
    return {"pairs_aligned": len(pairs), "edges": len(edges), "groups": len(set(g for g, _ in groups.values()))}


PILE_MAX_DOCS = 3000  # newest clean documents that feed the restoring language model


def _pile_lm(store: Store, doc_id: str):
    """The base n-gram model plus the pile: the newest documents not judged spun,
    leaving out the document and everything in its origin group (its own words,
    spun or not, must not vote for themselves)."""
    from sitrep.provenance import langmodel as L

    group = store.db.execute("SELECT group_id FROM origin_groups WHERE document_id = ?", (doc_id,)).fetchone()
    kin = {doc_id}
    if group:
        kin |= {r[0] for r in store.db.execute("SELECT document_id FROM origin_groups WHERE group_id = ?", group)}
    ids = [r[0] for r in store.db.execute(
        "SELECT d.id FROM documents d LEFT JOIN spin s ON s.document_id = d.id "
        "WHERE COALESCE(s.spun, 0) = 0 AND d.duplicate_of IS NULL AND COALESCE(d.language, 'en') = 'en' "
        "ORDER BY d.seq DESC LIMIT ?", (PILE_MAX_DOCS + len(kin),))]
    texts = [store.document(i).text for i in ids if i not in kin][:PILE_MAX_DOCS]
    return L.NGramLM(L.load_base().combine(L.Counts.from_texts(texts))) if texts else None


def spin_restore(store: Store, ctx: StageContext) -> dict:
    """Restore spun documents as well as the corpus allows: by alignment with
    their origin when the derivation graph has one (near-exact), otherwise with
    the thesaurus, the n-gram model of the rest of the pile and the neural
    rescorer."""
    from sitrep.provenance.spin import default_detector
    from sitrep.provenance.spin_source import restore_with_source

    new = set(ctx.new_ids)
    sources = {e.copy_id: e.origin_id for e in P.load_derivations(store, with_passages=False)
               if e.relation == "spun"}
    from_source = from_model = 0
    for doc_id, in store.db.execute("SELECT document_id FROM spin WHERE spun = 1 OR document_id IN "
                                    "(SELECT copy_id FROM derivations WHERE relation = 'spun')").fetchall():
        if doc_id not in new and sources.get(doc_id) not in new:
            continue
        doc = store.document(doc_id)
        result = None
        if doc_id in sources:
            result = restore_with_source(doc.text, store.document(sources[doc_id]).text, doc_id)
            from_source += result.spun
        if result is None or not result.spun:
            result = default_detector().detect(doc.text, doc_id, lm=_pile_lm(store, doc_id))
            from_model += result.spun
        with store.transaction():
            P.save_spin(store, result)
    return {"restored_from_source": from_source, "restored_by_model": from_model}


def quality(store: Store, ctx: StageContext) -> dict:
    """A quality card for every document (corpus-wide inputs change as the pile grows)."""
    from sitrep.provenance.experts import expert_counts
    from sitrep.provenance.quality import quality_card

    groups = {d: g for d, (g, _) in P.load_groups(store).items()}
    keys = {doc_id: json.loads(data) for doc_id, data in P.products(store, "experts", 1)}
    counts = expert_counts(keys, groups or None)
    edges_of: dict[str, list] = defaultdict(list)
    for e in P.load_derivations(store, with_passages=False):
        edges_of[e.copy_id].append(e)
        edges_of[e.origin_id].append(e)
    farms = 0
    with store.transaction():
        for doc in store.documents():
            card = quality_card(doc, spin=P.load_spin(store, doc.id), derivations=edges_of[doc.id],
                                expert_counts=counts)
            P.save_quality(store, card)
            farms += card.content_farm
    return {"content_farm": farms}


CORPUS_STAGES = [
    CorpusStage("candidates", candidates),
    CorpusStage("derivation", derivation),
    CorpusStage("spin_restore", spin_restore),
    CorpusStage("quality", quality),
]

LAYER = Layer("provenance", DOC_STAGES, CORPUS_STAGES)

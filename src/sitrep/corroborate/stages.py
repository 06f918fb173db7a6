"""The corroboration layer's stages, in the order the pipeline runs them.

Per document (worker processes, batched): the sentence vector of every claim
the understanding pass found (claims are extracted there, on the same parse).

Per story (main process, on stored products): claim groups with their
independent-source counts (origin groups, so that copies, wire reprints and
rewrites of one origin count once), contradictions, each main actor's
positions over time, and the extractive briefing.
"""

from __future__ import annotations

import json
import zlib

import numpy as np

from sitrep.model import Claim, ClaimGroup
from sitrep.stage import CorpusStage, DocStage, Layer, StageContext
from sitrep.store import corroboration as C
from sitrep.store import provenance as P
from sitrep.store import understanding as U
from sitrep.store.db import Store

VECTOR_STAGE, VECTOR_VERSION = "claim_vectors", 2
_DIGEST = 64  # the annotation's text digest (hex) heads each vector product


def _load_claim_texts(store: Store, doc_id: str) -> tuple[str, list[str], list[str]]:
    """The annotation digest, each claim's text and the text of its sentence (restored when spun)."""
    from sitrep.provenance.spin import apply_marks, to_restored

    digest = store.db.execute("SELECT text_digest FROM annotations WHERE document_id = ?", (doc_id,)).fetchone()
    rows = store.db.execute("SELECT text, sentence_start, sentence_end FROM claims WHERE document_id = ? "
                            "ORDER BY seq", (doc_id,)).fetchall()
    text = store.document(doc_id).text if rows else ""
    marks = P.restoration_marks(store, doc_id) if rows else []
    if marks:
        text = apply_marks(text, marks)
        rows = [(t, to_restored(marks, a), to_restored(marks, b)) for t, a, b in rows]
    return (digest[0] if digest else "0" * _DIGEST), [r[0] for r in rows], [text[a:b] for _, a, b in rows]


def _claim_vectors(inputs: list[tuple[str, list[str], list[str]]]) -> list[bytes]:
    """One embedding call for the whole batch (each distinct text once); each product is the digest,
    then the claims' vectors, then their sentences' vectors (float16)."""
    from sitrep.vectors import embed

    texts = list(dict.fromkeys(t for _, claims, sents in inputs for t in claims + sents))
    vecs = np.asarray(embed(texts), dtype=np.float16) if texts else np.zeros((0, 384), np.float16)
    row = {t: i for i, t in enumerate(texts)}
    return [digest.encode() + vecs[[row[t] for t in claims + sents]].tobytes() if claims else digest.encode()
            for digest, claims, sents in inputs]


def _stale_vectors(store: Store) -> list[str]:
    """Documents re-annotated since their claim vectors were computed."""
    return [r[0] for r in store.db.execute(
        "SELECT a.document_id FROM annotations a JOIN doc_products p ON p.document_id = a.document_id "
        "AND p.stage = ? WHERE CAST(substr(p.data, 1, ?) AS TEXT) != a.text_digest", (VECTOR_STAGE, _DIGEST))]


def claim_vectors(store: Store, doc_ids: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The stored vectors of these documents' claims and of the claims' sentences, in story_claims order."""
    claims, sents = [], []
    for (data,) in store.db.execute(
            "SELECT p.data FROM json_each(?) j JOIN doc_products p ON p.document_id = j.value AND p.stage = ? "
            "AND p.version = ? ORDER BY j.key", (json.dumps(doc_ids), VECTOR_STAGE, VECTOR_VERSION)):
        if data and len(data) > _DIGEST:
            both = np.frombuffer(data[_DIGEST:], dtype=np.float16).reshape(2, -1, 384)
            claims.append(both[0])
            sents.append(both[1])
    if not claims:
        return np.zeros((0, 384), np.float32), np.zeros((0, 384), np.float32)
    return np.vstack(claims).astype(np.float32), np.vstack(sents).astype(np.float32)


def _shared_stories(store: Store) -> set[str]:
    """Documents whose story has another document: only their claims are matched, so only they
    need claim vectors (a document joining a story later gets them on that run)."""
    return {r[0] for r in store.db.execute(
        "SELECT document_id FROM story_documents WHERE story_id IN "
        "(SELECT story_id FROM story_documents GROUP BY story_id HAVING count(*) >= 2)")}


DOC_STAGES = [
    DocStage(VECTOR_STAGE, VECTOR_VERSION, _claim_vectors, batched=True, load=_load_claim_texts,
             stale=_stale_vectors, wanted=_shared_stories),
]

# -- per-story corpus stages -------------------------------------------------------


def _stories(store: Store) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for doc_id, story_id in store.db.execute(
            "SELECT sd.document_id, sd.story_id FROM story_documents sd JOIN documents d ON d.id = sd.document_id "
            "ORDER BY d.seq"):
        out.setdefault(story_id, []).append(doc_id)
    return out


def _sources(store: Store) -> tuple[dict[str, str], set[str], dict[str, str]]:
    """Origin group of each document, the content-farm documents, and each document's date."""
    groups = {d: g for d, (g, _) in P.load_groups(store).items()}
    farm = {r[0] for r in store.db.execute("SELECT document_id FROM quality WHERE content_farm = 1")}
    dates = dict(store.db.execute("SELECT document_id, COALESCE(published, '') FROM annotations"))
    return groups, farm, dates


def claim_groups(store: Store, ctx: StageContext) -> dict:
    """Claims of different documents of a story that state the same thing, with independent-source counts."""
    from sitrep.corroborate.matching import ClaimMatcher, group_id

    links = U.identity_links(store)
    source_of, farm, dates = _sources(store)
    groups, conflicts = [], []
    for story_id, doc_ids in _stories(store).items():
        claims = C.story_claims(store, doc_ids)
        if len(doc_ids) == 1:  # claims of one document are never matched with each other: one group each
            groups += [group(group_id(c.id), story_id, [c], links, source_of, farm, dates) for c in claims]
            continue
        vectors, sentence_vectors = claim_vectors(store, doc_ids)
        if not claims or len(vectors) != len(claims):
            continue
        matcher = ClaimMatcher(identity=links)
        found = matcher.add(claims, vectors, sentence_vectors)
        by_id = {c.id: c for c in claims}
        for gid, members in found.groups().items():
            groups.append(group(gid, story_id, [by_id[m] for m in members], links, source_of, farm, dates))
        conflicts += [(story_id, c.a, c.b, c.kind, c.value_a, c.value_b, c.similarity) for c in matcher.conflicts]
    with store.transaction():
        C.save_rows(store, C.group_rows(groups))
        U.put_state(store, "claim_conflicts", zlib.compress(json.dumps(conflicts).encode()))
    return {"groups": len(groups), "corroborated": sum(g.independent_sources > 1 for g in groups),
            "conflicts": len(conflicts)}


def group(gid: str, story_id: str, members: list[Claim], links, source_of, farm, dates) -> ClaimGroup:
    """A claim group and its support: independent sources are the origin groups of its documents."""
    docs = sorted({c.document_id for c in members})
    origins = {source_of.get(d, d) for d in docs}
    best = max(members, key=lambda c: (c.checkworthy, -len(c.text)))
    subject = links.get((best.document_id, best.subject_key), best.subject) if best.subject_key else best.subject
    seen = sorted(dates.get(d, "") for d in docs if dates.get(d))
    return ClaimGroup(gid, story_id, best.text, [c.id for c in members], docs, len(origins), len(origins) <= 1,
                      all(d in farm for d in docs), max(c.checkworthy for c in members), subject, best.predicate,
                      seen[0] if seen else "")


def _conflicts(store: Store) -> dict[str, list]:
    """The value conflicts claim matching recorded, by story."""
    from sitrep.corroborate.matching import Conflict

    data = U.get_state(store, "claim_conflicts")
    out: dict[str, list] = {}
    for story_id, *rest in json.loads(zlib.decompress(data)) if data else []:
        out.setdefault(story_id, []).append(Conflict(*rest))
    return out


def contradictions(store: Store, ctx: StageContext) -> dict:
    """Same subject and predicate (or role), conflicting values, with both sides' spans and sources."""
    from sitrep.corroborate.contradictions import find_contradictions

    links = U.identity_links(store)
    source_of, farm, dates = _sources(store)
    conflicts = _conflicts(store)
    group_of = dict(store.db.execute("SELECT claim_id, group_id FROM claim_group_members"))
    found = []
    for story_id, doc_ids in _stories(store).items():
        claims = C.story_claims(store, doc_ids)
        found += find_contradictions(story_id, claims, conflicts.get(story_id, []), group_of,
                                     U.roles_in(store, doc_ids), links, source_of, farm, dates)
    with store.transaction():
        C.save_rows(store, {"contradictions": C.contradiction_rows(found)})
    return {"contradictions": len(found)}


def positions(store: Store, ctx: StageContext) -> dict:
    """Each main actor's stated or reported positions on the story's issues, in time order."""
    from sitrep.corroborate.positions import find_positions

    links = U.identity_links(store)
    _, _, dates = _sources(store)
    placements = {d: (rel, ev, date) for d, rel, ev, date in
                  store.db.execute("SELECT document_id, relation, event_id, date FROM placements")}
    event_dates = dict(store.db.execute("SELECT id, date FROM timeline WHERE date != ''"))
    actors: dict[str, list[str]] = {}
    for story_id, identity in store.db.execute(
            "SELECT story_id, identity_id FROM story_actors ORDER BY story_id, rank, identity_id"):
        actors.setdefault(story_id, []).append(identity)
    names = U.identity_names(store)
    found = []
    for story_id, doc_ids in _stories(store).items():
        found += find_positions(story_id, C.story_claims(store, doc_ids), links, actors.get(story_id, []), dates,
                                placements, event_dates, names=names)
    with store.transaction():
        C.save_rows(store, {"positions": C.position_rows(found)})
    return {"positions": len(found), "actors": len({(p.story_id, p.identity) for p in found})}


def briefings(store: Store, ctx: StageContext) -> dict:
    """The extractive briefing of every story: each sentence cites the spans it rests on.  A story
    whose facts are those its stored briefing was written from keeps that briefing."""
    from sitrep.corroborate.briefing import brief, inputs_digest
    from sitrep.corroborate.facts import story_facts

    written = dict(store.db.execute("SELECT story_id, digest FROM briefing_inputs"))
    made, digests, rebuilt = [], [], 0
    for story_id in _stories(store):
        facts = story_facts(store, story_id)
        digest = inputs_digest(facts)
        kept = C.briefing(store, story_id) if written.get(story_id) == digest else None
        if kept is None:
            kept, rebuilt = brief(facts), rebuilt + 1
        made.append(kept)
        digests.append((story_id, digest))
    with store.transaction():
        C.save_rows(store, {"briefings": C.briefing_rows(made), "briefing_inputs": digests})
    return {"briefings": len(made), "rebuilt": rebuilt, "sentences": sum(len(b.sentences) for b in made)}


CORPUS_STAGES = [
    CorpusStage("claim_groups", claim_groups),
    CorpusStage("contradictions", contradictions),
    CorpusStage("positions", positions),
    CorpusStage("briefings", briefings),
]

LAYER = Layer("corroboration", DOC_STAGES, CORPUS_STAGES)

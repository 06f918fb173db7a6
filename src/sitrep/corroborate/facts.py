"""Everything known about one story, gathered from the store for the briefing.

:class:`StoryFacts` is the input of :func:`sitrep.corroborate.briefing.brief`:
what the earlier layers stored about a story (documents with their origin
group and quality, the dated timeline with its supporting spans, actors with
roles, claim groups with their claims, contradictions, positions), plus the
published texts of the story's documents so that citations can be checked.
:func:`story_facts` reads it; nothing here computes anything new.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sitrep.model import Citation, Claim, ClaimGroup, Contradiction, Position, Role, SpinMark, Story
from sitrep.store import corroboration as C
from sitrep.store import provenance as P
from sitrep.store import understanding as U
from sitrep.store.db import Store
from sitrep.understand.timex import weekday_name


@dataclass
class DocInfo:
    id: str
    title: str
    source: str  # publisher / site
    date: str  # the date the understanding pass settled ('' when undated)
    placement: str  # dated | before | after | unplaced (against ``event``)
    event: str  # timeline event id the document is placed against
    origin_group: str  # documents of one origin group count as one source
    role: str  # origin | copy | rewrite | spun copy | ...
    quality: float  # 0 (worst) .. 1
    content_farm: bool
    spun: bool


@dataclass
class Actor:
    identity: str
    name: str
    label: str  # PERSON | ORG | GPE ...
    mentions: int  # in this story's documents
    roles: list[Role] = field(default_factory=list)  # as the story's documents state them


@dataclass
class TimelineEntry:
    id: str
    label: str
    date: str  # ISO date or interval ('' when only placed relatively)
    date_evidence: str
    place: str  # display name
    duration: str  # ISO 8601
    citations: list[Citation] = field(default_factory=list)  # the event sentences that support it
    # the temporal expressions that state its date or duration ("Three hours."), near a supporting sentence
    evidence: list[Citation] = field(default_factory=list)
    trigger: str = ""  # the commonest trigger lemma ("summit", "meet")
    cls: str = ""  # event class (meet, agree, ceasefire ...)
    actors: list[str] = field(default_factory=list)  # display names, most often named first
    tense: str = ""  # past (reported done) | future (only expected) | ''
    # negated (reported as not happening) | disputed (reported done by some, denied by others) |
    # hypothetical (only called for) | ''
    status: str = ""
    stated: bool = True  # the date is stated by its mentions, not only bounds from placing documents
    weekday: int = 0  # ISO weekday (1 = Monday) undated mentions agree on ("next Friday"), 0 when none
    agents: list[str] = field(default_factory=list)  # of the actors (display names), those who act: "Russia" invaded
    patients: list[str] = field(default_factory=list)  # ... and those who undergo it: invaded "Ukraine"
    groups: list[str] = field(default_factory=list)  # of the actors, peoples named in the plural ("Americans")


@dataclass
class StoryFacts:
    story: Story
    documents: dict[str, DocInfo] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # published text of each document
    timeline: list[TimelineEntry] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)  # most central first
    groups: list[tuple[ClaimGroup, list[Claim]]] = field(default_factory=list)  # most check-worthy first
    contradictions: list[Contradiction] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # identity id -> display name, of this story's identities
    variants: dict[str, list[str]] = field(default_factory=dict)  # identity id -> its spellings, in name order
    marks: dict[str, list[SpinMark]] = field(default_factory=dict)  # spun documents: the substitutions
    links: dict[tuple[str, str], str] = field(default_factory=dict)  # (document id, mention key) -> identity id



def story_facts(store: Store, story_id: str) -> StoryFacts:
    """What the store knows about one story (KeyError for an unknown story)."""
    row = store.db.execute("SELECT label, start, end FROM stories WHERE id = ?", (story_id,)).fetchone()
    if row is None:
        raise KeyError(story_id)
    doc_ids = [r[0] for r in store.db.execute(
        "SELECT sd.document_id FROM story_documents sd JOIN documents d ON d.id = sd.document_id "
        "WHERE sd.story_id = ? ORDER BY d.seq", (story_id,))]
    actor_ids = [r[0] for r in store.db.execute(
        "SELECT identity_id FROM story_actors WHERE story_id = ? ORDER BY rank", (story_id,))]
    facts = StoryFacts(Story(story_id, row[0], doc_ids, actor_ids, row[1], row[2]))
    for doc_id in doc_ids:
        facts.documents[doc_id] = _doc_info(store, doc_id)
        facts.texts[doc_id] = store.document(doc_id).text
        marks = P.restoration_marks(store, doc_id)
        if marks:
            facts.marks[doc_id] = marks
    facts.names = _names(store, doc_ids)
    facts.timeline = _timeline(store, doc_ids, facts.names)
    _more_names(store, facts.names, actor_ids)
    facts.actors = _actors(store, actor_ids, doc_ids, facts.names)
    # In name order, not by count: only the set matters to the citation check, and counts move
    # whenever any document mentions a common name, which would make every story's facts change.
    for ident, variant in store.db.execute(
            "SELECT v.identity_id, v.variant FROM json_each(?) j JOIN identity_variants v ON v.identity_id = j.value "
            "ORDER BY j.key, v.variant", (json.dumps(list(facts.names)),)):
        facts.variants.setdefault(ident, []).append(variant)
    facts.links = {(d, k): i for d, k, i in store.db.execute(
        "SELECT l.document_id, l.key, l.identity_id FROM json_each(?) j JOIN identity_links l "
        "ON l.document_id = j.value ORDER BY l.document_id, l.key", (json.dumps(doc_ids),))}
    groups = C.claim_groups(store, story_id)
    claims = C.claims_by_id(store, [cid for g in groups for cid in g.claims])
    facts.groups = [(g, [claims[c] for c in g.claims if c in claims]) for g in groups]
    facts.contradictions = C.contradictions(store, story_id)
    facts.positions = C.positions(store, story_id)
    _more_names(store, facts.names, [k.subject for k in facts.contradictions]
                + [p.identity for p in facts.positions])
    return facts


def _names(store: Store, doc_ids: list[str]) -> dict[str, str]:
    """Display names of the identities the story's documents mention.  Only these: the briefing
    and its citation check compare sentences with names, and a corpus of thousands of identities
    would make every story pay for every other story's names."""
    return dict(store.db.execute(
        "SELECT DISTINCT i.id, i.name FROM json_each(?) j JOIN identity_links l ON l.document_id = j.value "
        "JOIN identities i ON i.id = l.identity_id ORDER BY i.id", (json.dumps(doc_ids),)))


def _more_names(store: Store, names: dict[str, str], ids: list[str]) -> None:
    """Add the names of ``ids`` that ``names`` lacks (a timeline event's actors may be named only
    in documents of other stories)."""
    missing = [i for i in dict.fromkeys(ids) if i not in names]
    if missing:
        names.update(store.db.execute("SELECT i.id, i.name FROM json_each(?) j JOIN identities i ON i.id = j.value",
                                      (json.dumps(missing),)))


def _doc_info(store: Store, doc_id: str) -> DocInfo:
    q = "SELECT COALESCE(title, ''), COALESCE(source, site_name, ''), " \
        "(SELECT COALESCE(published, '') FROM annotations WHERE document_id = d.id), " \
        "(SELECT relation FROM placements WHERE document_id = d.id), " \
        "(SELECT event_id FROM placements WHERE document_id = d.id), " \
        "(SELECT group_id FROM origin_groups WHERE document_id = d.id), " \
        "(SELECT role FROM origin_groups WHERE document_id = d.id), " \
        "(SELECT score FROM quality WHERE document_id = d.id), " \
        "(SELECT content_farm FROM quality WHERE document_id = d.id), " \
        "(SELECT spun AND restored_text IS NOT NULL FROM spin WHERE document_id = d.id) " \
        "FROM documents d WHERE d.id = ?"
    r = store.db.execute(q, (doc_id,)).fetchone()
    return DocInfo(doc_id, r[0], r[1], r[2] or "", r[3] or "unplaced", r[4] or "", r[5] or doc_id, r[6] or "origin",
                   1.0 if r[7] is None else r[7], bool(r[8]), bool(r[9]))


def _timeline(store: Store, doc_ids: list[str], names: dict[str, str]) -> list[TimelineEntry]:
    """The timeline events some document of the story supports, in timeline order."""
    mark = ", ".join("?" * len(doc_ids))
    out = []
    rows = store.db.execute(
        "SELECT t.id, t.label, t.date, t.date_evidence, COALESCE(i.name, t.place), t.duration, t.trigger, "
        "t.class, t.actors, t.tense, t.status, t.stated_date, t.weekday, t.agents, t.patients FROM timeline t "
        "LEFT JOIN identities i ON i.id = t.place WHERE t.id IN (SELECT event_id FROM timeline_support "
        f"WHERE document_id IN ({mark})) ORDER BY t.rank", doc_ids).fetchall()
    _more_names(store, names, [a for r in rows for a in json.loads(r[8])])
    for eid, label, date, how, place, duration, trigger, cls, actors, tense, status, stated, weekday, agents, patients \
            in rows:
        cites = [Citation(d, s, e) for d, s, e in store.db.execute(
            "SELECT e.document_id, e.start, e.end FROM timeline_support ts JOIN events e "
            "ON e.document_id = ts.document_id AND e.seq = ts.seq WHERE ts.event_id = ? "
            f"AND ts.document_id IN ({mark}) ORDER BY e.document_id, e.seq", (eid, *doc_ids))]
        evidence = _time_evidence(store, cites, {v for v in (date, duration) if v})
        if weekday:
            evidence += _weekday_evidence(store, cites, weekday)
        out.append(TimelineEntry(eid, label, date, how, place, duration, cites, evidence, trigger, cls,
                                 _named(actors, names), tense, status, bool(stated) or not date, weekday,
                                 _named(agents, names), _named(patients, names), _groups(actors, names)))
    return out


def _groups(ids: str, names: dict[str, str]) -> list[str]:
    """Display names of the peoples among a JSON list of identity ids that are named in the plural."""
    return [names[a] for a in json.loads(ids) if a.startswith("norp:") and names.get(a, "").endswith("s")]


def _named(ids: str, names: dict[str, str]) -> list[str]:
    """Display names of a JSON list of identity ids."""
    return [names.get(a, a) for a in json.loads(ids)]


EVIDENCE_REACH = 400  # characters around a supporting sentence where its date or duration may be stated


def _time_evidence(store: Store, cites: list[Citation], values: set[str]) -> list[Citation]:
    out = []
    for c in cites:
        for start, end in store.db.execute(
                "SELECT start, end FROM times WHERE document_id = ? AND value IN ({}) AND end >= ? AND start <= ? "
                "ORDER BY start".format(", ".join("?" * len(values))),
                (c.document_id, *values, c.start - EVIDENCE_REACH, c.end + EVIDENCE_REACH)):
            out.append(Citation(c.document_id, start, end))
    return list(dict.fromkeys(out))


def _weekday_evidence(store: Store, cites: list[Citation], weekday: int) -> list[Citation]:
    """The time expressions naming the weekday ("next Friday") in the supporting sentences."""
    return list(dict.fromkeys(
        Citation(c.document_id, start, end) for c in cites for start, end in store.db.execute(
            "SELECT start, end FROM times WHERE document_id = ? AND text LIKE ? AND end > ? AND start < ? "
            "ORDER BY start", (c.document_id, f"%{weekday_name(weekday)}%", c.start, c.end))))


def _actors(store: Store, actor_ids: list[str], doc_ids: list[str], names: dict[str, str]) -> list[Actor]:
    mark = ", ".join("?" * len(doc_ids))
    out = []
    for ident in actor_ids:
        label = store.db.execute("SELECT label FROM identities WHERE id = ?", (ident,)).fetchone()
        count = store.db.execute(
            "SELECT count(*) FROM identity_links l JOIN mentions m ON m.document_id = l.document_id AND m.key = l.key "
            f"WHERE l.identity_id = ? AND l.document_id IN ({mark})", (ident, *doc_ids)).fetchone()[0]
        out.append(Actor(ident, names.get(ident, ident), label[0] if label else "", count,
                         U.roles_in(store, doc_ids, ident)))
    return out

"""The corpus timeline: one event per real-world event, and every document placed in time.

Computes, from the per-document :class:`~sitrep.model.Annotation` records,

1. **merged events** — event mentions from all documents grouped into
   clusters, one per real-world event, by greedy incremental clustering (each
   new mention joins the best compatible cluster or starts one, as in
   single-pass event coreference, Bagga & Baldwin 1999, "Cross-document event
   coreference", ACL workshop on coreference).  Two mentions are compatible
   when their event class is the same, their actors overlap (one shared actor
   for a one-actor mention, two otherwise; surnames across spellings), their
   places agree (equal, or seen nested in some document: "Anchorage, Alaska",
   "a base in Alaska"), and their dates overlap.  Mentions with nothing but a
   trigger ("the summit") join the nearest cluster of their class in the same
   document.  A merged event's actor is its agent (or patient) when at least
   half of the documents that name it among the event's actors name it so,
   and more of them than name it the other way round;

2. **placement** — a date, or bounds, for every event and document, from a
   *simple temporal problem* (Dechter, Meiri & Pearl 1991, "Temporal
   constraint networks", Artificial Intelligence 49): nodes are days of
   documents and events, constraints are differences in days.  A dated
   document fixes its node; an event's resolved date fixes the event; a
   document that describes an event in the future tense was written before
   it (t_event − t_doc ≥ 0), one that reports it in the past after it; a
   relative expression of an undated document gives the gap its code allows
   ("next Friday": 1 to 13 days before the event).  Shortest paths give every
   node's earliest and latest day and the gap between a document and each
   event it describes.  Constraints that contradict stronger ones are dropped
   (and listed), strongest first: dates, then relative expressions, then tense.

Incremental: :func:`update` adds documents to a :class:`TimelineState` (plain,
JSON-ready data: the clusters with compact event summaries), touching no
earlier assignment; :func:`build` solves the constraints over the state,
which is cheap next to annotation.  Assignment is order-dependent (as any
single-pass clustering): documents of one update are taken in id order, so
the result is deterministic.
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections import Counter, deque
from dataclasses import asdict, dataclass, field
from datetime import date

from sitrep.model import Annotation, Event
from sitrep.understand.timex import code_bounds, code_weekday, is_relative_code

FIXED_SOURCES = ("input", "metadata", "url", "dateline", "text")
# Constraint priorities: lower is stronger; weaker ones give way when they conflict.
P_PUBLISHED, P_EVENT_DATE, P_RELATIVE, P_TENSE = 0, 1, 2, 3
# Event classes with one winner: mentions whose agents differ are different events, whatever else they share.
ONE_AGENT = {"win"}
# Classes whose place alone does not make two documents' mentions one event: people travel to the
# same country all the time, and "a deal with Iran" may be any of several; a ceasefire or an
# invasion in one place is one thing.
PLACE_ALONE_WEAK = {"visit", "agree", "sign"}


# -- state -------------------------------------------------------------------------


@dataclass
class Mention:
    """One event mention, as the timeline keeps it (no text, only what merging and placing need)."""

    document_id: str
    index: int  # position in the document's Annotation.events
    cls: str
    trigger: str
    start: int
    end: int
    actors: list[str]  # normalised actor ids (identity ids when given, else surnames)
    place: str
    date: str  # ISO value, "rel:..." code, or ""
    date_text: str = ""  # the words that date it, and where
    date_start: int = -1
    date_end: int = -1
    date_how: str = ""  # absolute | published | dateline | inferred | rel
    tense: str = ""
    duration: str = ""
    status: str = ""  # negated | hypothetical | '' (asserted), see events._status
    agents: list[str] = field(default_factory=list)  # the actors who act (directed classes), normalised as actors
    patients: list[str] = field(default_factory=list)  # the actors who undergo it


@dataclass
class Cluster:
    id: str
    cls: str
    members: list[Mention] = field(default_factory=list)


@dataclass
class DocInfo:
    document_id: str
    digest: str
    published: str
    published_from: str
    events: str = ""  # fingerprint of the document's events: a re-annotation that changed them replaces them


@dataclass
class TimelineState:
    docs: dict[str, DocInfo] = field(default_factory=dict)
    clusters: list[Cluster] = field(default_factory=list)
    place_links: list[list[str]] = field(default_factory=list)  # sorted pairs of nested places
    next_id: int = 1

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> TimelineState:
        return cls(
            docs={k: DocInfo(**v) for k, v in d["docs"].items()},
            clusters=[Cluster(c["id"], c["cls"], [Mention(**m) for m in c["members"]]) for c in d["clusters"]],
            place_links=[list(p) for p in d["place_links"]],
            next_id=d["next_id"],
        )


# -- summarising one annotation ------------------------------------------------------------


def actor_ids(key: str) -> list[str]:
    """Surname-level ids of a mention key: 'donald trump' → ['trump']; 'trump-putin' → ['trump', 'putin']."""
    k = re.sub(r"['’]s\b", "", key.lower())
    k = re.sub(r"^(the|a|an)\s+", "", k).strip(" .,")
    words = k.split()
    if not words:
        return []
    last = words[-1]
    parts = [p for p in last.split("-") if p] if len(words) == 1 else [last]
    return parts


def summarise(ann: Annotation, cls_of, identities: dict | None = None) -> list[Mention]:
    """The timeline's view of a document's events (each event's status comes from the parse)."""
    out = []
    for i, ev in enumerate(ann.events):
        cls = cls_of(ev.trigger)
        if not cls:
            continue
        actors = _actors(ann.document_id, ev.actors, identities)
        m = Mention(ann.document_id, i, cls, ev.trigger, ev.start, ev.end, actors, ev.place, ev.date,
                    tense=ev.tense, duration=ev.duration, status=ev.status,
                    agents=_actors(ann.document_id, ev.agents, identities),
                    patients=_actors(ann.document_id, ev.patients, identities))
        _date_evidence(ann, ev, m)
        out.append(m)
    return out


def _actors(doc_id: str, keys: list[str], identities: dict | None) -> list[str]:
    out: list[str] = []
    for key in keys:
        ids = [identities[(doc_id, key)]] if identities and (doc_id, key) in identities else actor_ids(key)
        out += [x for x in ids if x not in out]
    return out


def _date_evidence(ann: Annotation, ev: Event, m: Mention) -> None:
    if not ev.date:
        return
    for te in ann.times:
        if ev.start <= te.start < ev.end and ev.date in (te.value, te.anchor):
            m.date_text, m.date_start, m.date_end = te.text, te.start, te.end
            m.date_how = "rel" if is_relative_code(ev.date) else te.anchor
            return


def place_links(ann: Annotation, text: str | None = None) -> set[tuple[str, str]]:
    """Pairs of places written as nested: 'Anchorage, Alaska', 'Joint Base Elmendorf-Richardson in Alaska'.

    With the document's ``text`` the words between two neighbouring place mentions
    must be nothing, a comma, or in/at/near/outside; without it (annotations carry
    no text) neighbours at most four characters apart count (", " and " in ").
    """
    places = sorted((m for m in ann.mentions if m.label in ("GPE", "LOC", "FAC") and m.key), key=lambda m: m.start)
    links = set()
    for a, b in zip(places, places[1:]):
        if a.key == b.key or b.start < a.end:
            continue
        if text is not None:
            gap = " ".join(text[a.end : b.start].split()).strip(", ").lower()
            nested = gap in ("", "in", "at", "near", "outside")
        else:
            nested = b.start - a.end <= 4
        if nested:
            links.add(tuple(sorted((a.key, b.key))))
    return links


# -- dates as day ranges -----------------------------------------------------------------------


def value_days(value: str) -> tuple[int, int] | None:
    """First and last day (proleptic ordinals) of an ISO date, week, month, year, or interval of them."""
    if not value or is_relative_code(value) or value.startswith(("P", "X", "T")):
        return None
    a, _, b = value.partition("/")
    lo, hi = _one(a), _one(b or a)
    if lo is None or hi is None:
        return None
    return lo[0], hi[1]


def _one(v: str) -> tuple[int, int] | None:
    v = v.split("T")[0]
    try:
        if re.fullmatch(r"\d{4}-\d\d-\d\d", v):
            d = date.fromisoformat(v).toordinal()
            return d, d
        if m := re.fullmatch(r"(\d{4})-W(\d\d)", v):
            d = date.fromisocalendar(int(m[1]), int(m[2]), 1).toordinal()
            return d, d + 6
        if m := re.fullmatch(r"(\d{4})-(\d\d)", v):
            y, mo = int(m[1]), int(m[2])
            nxt = date(y + mo // 12, mo % 12 + 1, 1)
            return date(y, mo, 1).toordinal(), nxt.toordinal() - 1
        if re.fullmatch(r"\d{4}", v):
            return date(int(v), 1, 1).toordinal(), date(int(v), 12, 31).toordinal()
    except ValueError:
        return None
    return None


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def iso(day: int | None) -> str:
    return date.fromordinal(day).isoformat() if day is not None and 0 < day < date.max.toordinal() else ""


# -- merging ----------------------------------------------------------------------------------


@dataclass
class _Profile:
    """What a cluster looks like so far (rebuilt per update, kept in step as mentions join)."""

    actors: Counter = field(default_factory=Counter)
    agents: Counter = field(default_factory=Counter)
    with_actors: int = 0
    places: Counter = field(default_factory=Counter)
    dates: list = field(default_factory=list)  # day ranges of members' resolved dates
    docs: Counter = field(default_factory=Counter)  # document id -> members from it
    relative: dict = field(default_factory=dict)  # document id -> day offsets of its relative dates

    def add(self, m: Mention) -> None:
        self.actors.update(set(m.actors))
        self.agents.update(set(m.agents))
        self.with_actors += bool(m.actors)
        if m.place:
            self.places[m.place] += 1
        r = value_days(m.date)
        if r:
            self.dates.append(r)
        if is_relative_code(m.date):
            self.relative.setdefault(m.document_id, []).append(code_bounds(m.date))
        self.docs[m.document_id] += 1

    def main_places(self) -> list[str]:
        """The places most members agree on (a stray place of one wrongly joined mention is not one)."""
        top = max(self.places.values(), default=0)
        return [q for q, n in self.places.items() if 2 * n >= top]

    def core(self) -> set[str]:
        floor = max(1.0, 0.25 * self.with_actors)
        return {a for a, n in self.actors.items() if n >= floor}

    def best_date(self) -> tuple[int, int] | None:
        return best_range(self.dates)


def best_range(ranges: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The range most other ranges overlap, the narrowest among equals."""
    if not ranges:
        return None
    return max(ranges, key=lambda r: (sum(_overlap(r, o) for o in ranges), -(r[1] - r[0]), -r[0]))


def _informative(m: Mention) -> int:
    return bool(m.actors) + bool(m.place) + bool(value_days(m.date))


def _score(p: _Profile, m: Mention, links: set) -> float | None:
    """How well mention ``m`` fits a cluster; None when it conflicts or nothing supports it."""
    score = 0.0
    mr, cr = value_days(m.date), p.best_date()
    same_date = bool(mr and cr and _overlap(mr, cr))
    if mr and cr:
        if not same_date:
            return None
        score += 3
    if m.place and p.places:
        if not any(m.place == q or tuple(sorted((m.place, q))) in links for q in p.main_places()):
            return None
        score += 2
    if is_relative_code(m.date) and m.document_id in p.relative:
        # two relative dates of one document share its unknown day: "on Monday" is not "on Friday"
        lo, hi = code_bounds(m.date)
        if not any(_overlap((lo, hi), r) for r in p.relative[m.document_id]):
            return None
        score += 3
    if m.cls in ONE_AGENT and m.agents and p.agents and not set(m.agents) & set(p.agents):
        return None  # "Trump won Indiana" and "Sanders won Indiana" on one day: two victories
    if m.cls in ONE_AGENT and bool(m.place) != bool(p.places):
        return None  # "won his home state on Tuesday" is not the month's win in Michigan
    core = p.core()
    shared = 0
    if m.actors and core:
        shared = len(set(m.actors) & core)
        # One shared actor is enough for a one-actor mention, or when the dates agree too.
        if shared < (1 if same_date else min(2, len(set(m.actors)), len(core))):
            return None
        score += 2 * shared
    if score == 0:
        return None
    if m.cls in PLACE_ALONE_WEAK and not (same_date or shared or m.document_id in p.docs):
        return None  # "arriving in the United States" and another document's trip there: a place alone joins none
    return score + (1 if m.document_id in p.docs else 0)


def _assign(st: TimelineState, mentions: list[Mention], profiles: dict[str, _Profile], links: set) -> None:
    """Informative mentions of all the update's documents first, best specified first (a cluster then
    grows from "Trump met Putin in Anchorage on Friday", not from "the meeting with Trump"); then the
    bare ones, each into the event its document is mostly about."""
    by_id = {c.id: c for c in st.clusters}
    where: dict[tuple[str, int], str] = {}
    informative = sorted((m for m in mentions if _informative(m)),
                         key=lambda m: (-_informative(m), m.document_id, m.start, m.index))
    for m in informative:
        where[m.document_id, m.index] = _join(st, _best(st, m, profiles, links), m, profiles, by_id).id
    bare = [m for m in mentions if not _informative(m)]
    for m in bare:
        target = _focus(m, mentions, where, profiles)
        where[m.document_id, m.index] = _join(st, by_id.get(target), m, profiles, by_id).id


def _best(st: TimelineState, m: Mention, profiles: dict[str, _Profile], links: set) -> Cluster | None:
    """The compatible cluster that fits best; among equals the one the document already says most about,
    then the best supported."""
    best, best_key = None, None
    for c in st.clusters:
        if c.cls != m.cls:
            continue
        p = profiles[c.id]
        s = _score(p, m, links)
        if s is None:
            continue
        key = (s, p.docs.get(m.document_id, 0), len(p.docs))
        if best_key is None or key > best_key:
            best, best_key = c, key
    return best


def _focus(m: Mention, mentions: list[Mention], where: dict, profiles: dict[str, _Profile]) -> str | None:
    """The event a bare mention ("the summit", "the three-hour gathering") refers to: one of its class
    named in the same sentence, else the one of its class the document mentions most (the story's main
    event, counted over every document when that ties), nearest first among equals."""
    cands = [(o, where[o.document_id, o.index]) for o in mentions
             if o.document_id == m.document_id and (o.document_id, o.index) in where and o.cls == m.cls]
    if not cands:
        return None
    same = [(abs(o.start - m.start), o.trigger != m.trigger, cid) for o, cid in cands if o.start == m.start]
    if same:
        return min(same)[2]
    dist: dict[str, int] = {}
    weight: Counter = Counter()
    for o, cid in cands:
        dist[cid] = min(dist.get(cid, 1 << 30), abs(o.start - m.start))
        # what the document says on its own evidence, and one more for naming it with the same word
        weight[cid] += bool(_informative(o)) + (_informative(o) > 0 and o.trigger == m.trigger)
    return min(dist, key=lambda cid: (-weight[cid], -len(profiles[cid].docs), dist[cid], cid))


def _join(st: TimelineState, c: Cluster | None, m: Mention, profiles: dict, by_id: dict) -> Cluster:
    if c is None:
        c = Cluster(f"E{st.next_id}", m.cls)
        st.next_id += 1
        st.clusters.append(c)
        by_id[c.id] = c
        profiles[c.id] = _Profile()
    c.members.append(m)
    profiles[c.id].add(m)
    return c


def update(state: TimelineState | None, annotations: list[Annotation], identities: dict | None = None,
           texts: dict[str, str] | None = None) -> TimelineState:
    """A new state with ``annotations`` added (a document seen before with the same text is skipped,
    one whose text or date changed is replaced).

    ``identities`` optionally maps (document id, Mention.key) to a corpus-wide identity id, so
    actors match across spellings; without it, surnames do.  ``texts`` optionally gives document
    texts, to read nested place names exactly (see :func:`place_links`).
    """
    from sitrep.understand.events import event_class

    st = copy.deepcopy(state) if state is not None else TimelineState()
    links = {tuple(p) for p in st.place_links}
    fresh = []
    for ann in sorted(annotations, key=lambda a: a.document_id):
        old = st.docs.get(ann.document_id)
        if old and _same(old, ann):
            continue
        if old:
            _remove(st, ann.document_id)
        st.docs[ann.document_id] = DocInfo(ann.document_id, ann.text_digest, ann.published, ann.published_from,
                                           _fingerprint(ann.events))
        links |= place_links(ann, (texts or {}).get(ann.document_id))
        fresh.append(ann)
    profiles = {c.id: _profile(c) for c in st.clusters}
    mentions = [m for ann in fresh for m in summarise(ann, event_class, identities)]
    _assign(st, mentions, profiles, links)
    st.place_links = [list(p) for p in sorted(links)]
    return st


def replaces(state: TimelineState | None, annotations: list[Annotation]) -> bool:
    """Whether ``annotations`` change a document ``state`` already holds (rather than only add new ones).

    :func:`update` takes a changed document out and assigns its mentions again, among clusters
    that grew without it: the result can differ from a fresh build's, which assigns all mentions
    in one order.  The pipeline starts over from all documents when this is true."""
    return state is not None and any(
        ann.document_id in state.docs and not _same(state.docs[ann.document_id], ann) for ann in annotations)


def _same(old: DocInfo, ann: Annotation) -> bool:
    return (old.digest, old.published, old.events) == (ann.text_digest, ann.published, _fingerprint(ann.events))


def _fingerprint(events: list[Event]) -> str:
    h = hashlib.sha256(repr([asdict(e) for e in events]).encode())
    return h.hexdigest()[:16]


def _profile(c: Cluster) -> _Profile:
    p = _Profile()
    for m in c.members:
        p.add(m)
    return p


def _remove(st: TimelineState, doc_id: str) -> None:
    for c in st.clusters:
        c.members = [m for m in c.members if m.document_id != doc_id]
    st.clusters = [c for c in st.clusters if c.members]
    del st.docs[doc_id]


# -- constraints ------------------------------------------------------------------------------

ORIGIN = "0"


@dataclass(frozen=True)
class Constraint:
    """t_v − t_u ∈ [lo, hi] days (None: unbounded), with why."""

    u: str
    v: str
    lo: int | None
    hi: int | None
    priority: int
    reason: str
    spans: tuple = ()  # ((document id, start, end), ...)

    def edges(self):
        if self.hi is not None:
            yield self.u, self.v, self.hi
        if self.lo is not None:
            yield self.v, self.u, -self.lo


def _doc_node(doc_id: str) -> str:
    return "d:" + doc_id


def _event_node(cid: str) -> str:
    return "e:" + cid


def constraints(st: TimelineState, shown: list[Cluster], profiles: dict[str, _Profile]) -> list[Constraint]:
    """Every constraint the state gives, strongest first."""
    out = []
    for d in st.docs.values():
        r = value_days(d.published) if d.published_from in FIXED_SOURCES else None
        if r:
            out.append(Constraint(ORIGIN, _doc_node(d.document_id), r[0], r[1], P_PUBLISHED,
                                  f"published {d.published} ({d.published_from})"))
    for c in shown:
        out += _event_date(c, profiles[c.id])
        by_doc: dict[str, list[Mention]] = {}
        for m in c.members:
            by_doc.setdefault(m.document_id, []).append(m)
        for doc_id, ms in sorted(by_doc.items()):
            out += _doc_event(doc_id, c, ms)
    return sorted(out, key=lambda k: k.priority)


def _event_date(c: Cluster, p: _Profile) -> list[Constraint]:
    best = p.best_date()
    if best is None:
        return []
    ev = [m for m in c.members if value_days(m.date) and _overlap(value_days(m.date), best)]
    spans = tuple((m.document_id, m.date_start, m.date_end) for m in ev if m.date_start >= 0)
    words = sorted({f"'{m.date_text}'" for m in ev if m.date_text})
    return [Constraint(ORIGIN, _event_node(c.id), best[0], best[1], P_EVENT_DATE,
                       f"dated {iso(best[0])}..{iso(best[1])} by {', '.join(words) or 'its mentions'}"
                       f" in {len({m.document_id for m in ev})} document(s)", spans)]


def _doc_event(doc_id: str, c: Cluster, ms: list[Mention]) -> list[Constraint]:
    d, e = _doc_node(doc_id), _event_node(c.id)
    out = []
    for m in ms:
        if is_relative_code(m.date):
            lo, hi = code_bounds(m.date)
            out.append(Constraint(d, e, lo, hi, P_RELATIVE,
                                  f"'{m.date_text or m.date}' ({m.date}): the event is {lo}..{hi} days from the document",
                                  ((doc_id, m.start, m.end),)))
    fut = [m for m in ms if m.tense == "future"]
    past = [m for m in ms if m.tense == "past"]
    if len(fut) > len(past):
        out.append(Constraint(d, e, 0, None, P_TENSE, f"describes {c.id} as ahead ({len(fut)} future-tense mention(s)"
                              f" against {len(past)} past)", tuple((doc_id, m.start, m.end) for m in fut)))
    elif len(past) > len(fut):
        out.append(Constraint(e, d, 0, None, P_TENSE, f"reports {c.id} as done ({len(past)} past-tense mention(s)"
                              f" against {len(fut)} future)", tuple((doc_id, m.start, m.end) for m in past)))
    return out


# -- the simple temporal problem ------------------------------------------------------------


class _Graph:
    """A distance graph: an edge u→v of weight w says t_v − t_u ≤ w."""

    def __init__(self, nodes: list[str]):
        self.index = {n: i for i, n in enumerate(nodes)}
        self.fwd: list[list[tuple[int, int]]] = [[] for _ in nodes]
        self.rev: list[list[tuple[int, int]]] = [[] for _ in nodes]

    def add(self, c: Constraint) -> None:
        for a, b, w in c.edges():
            self.fwd[self.index[a]].append((self.index[b], w))
            self.rev[self.index[b]].append((self.index[a], w))

    def remove(self, c: Constraint) -> None:
        for a, b, w in c.edges():
            self.fwd[self.index[a]].remove((self.index[b], w))
            self.rev[self.index[b]].remove((self.index[a], w))

    def consistent(self) -> bool:
        return _spfa(self.fwd, None) is not None

    def dist(self, src: str, reverse: bool = False) -> list[float]:
        return _spfa(self.rev if reverse else self.fwd, self.index[src])


def _spfa(adj, src: int | None) -> list[float] | None:
    """Shortest distances from ``src`` (from every node at once when None); None on a negative cycle.

    Bellman–Ford with a FIFO queue (the SPFA variant): a node relaxed more than n times is on a
    negative cycle, which in a temporal network means contradictory constraints.
    """
    n = len(adj)
    if src is None:
        return _relax(adj, [0.0] * n, range(n))
    dist = [float("inf")] * n
    dist[src] = 0.0
    return _relax(adj, dist, [src])


def _relax(adj, dist: list[float], starts) -> list[float] | None:
    """SPFA from the nodes ``starts`` with ``dist`` as the starting estimates (changed in place)."""
    n = len(adj)
    queue = deque(dict.fromkeys(starts))
    inq = [False] * n
    for u in queue:
        inq[u] = True
    relaxed = [0] * n
    while queue:
        u = queue.popleft()
        inq[u] = False
        du = dist[u]
        for v, w in adj[u]:
            if du + w < dist[v]:
                dist[v] = du + w
                relaxed[v] += 1
                if relaxed[v] > n:
                    return None
                if not inq[v]:
                    inq[v] = True
                    queue.append(v)
    return dist


def solve(nodes: list[str], cons: list[Constraint]) -> tuple[_Graph, list[Constraint], list[Constraint]]:
    """(graph, kept, dropped): all constraints when they agree, else the strongest consistent subset.

    The greedy pass keeps a feasible potential (distances from a virtual source) and adds a
    constraint's edges one by one, relaxing only from each new edge's head: the graph before was
    consistent, so a negative cycle must run through the new edge a→b, and it exists exactly when
    the relaxation lowers a (incremental negative-cycle detection; Ramalingam & Reps 1996, "On
    the computational complexity of dynamic graph problems", TCS).
    """
    g = _Graph(nodes)
    for c in cons:
        g.add(c)
    if g.consistent():
        return g, list(cons), []
    g, kept, dropped = _Graph(nodes), [], []
    pot = [0.0] * len(nodes)
    for c in cons:  # strongest first
        new = list(pot)
        g.add(c)
        if all(_add_edge(g.fwd, new, g.index[a], g.index[b], w) for a, b, w in c.edges()):
            kept.append(c)
            pot = new
        else:
            g.remove(c)
            dropped.append(c)
    return g, kept, dropped


def _add_edge(adj, dist: list[float], a: int, b: int, w: float) -> bool:
    """Update the feasible potential ``dist`` (in place) for a new edge a→b of weight w already in
    ``adj``; False when the edge closes a negative cycle, i.e. when relaxing from b lowers a."""
    if dist[a] + w >= dist[b]:
        return True
    dist[b] = dist[a] + w
    queue, inq = deque([b]), {b}
    while queue:
        u = queue.popleft()
        inq.discard(u)
        du = dist[u]
        for v, wt in adj[u]:
            if du + wt < dist[v]:
                if v == a:
                    return False
                dist[v] = du + wt
                if v not in inq:
                    inq.add(v)
                    queue.append(v)
    return True


# -- the timeline -------------------------------------------------------------------------------


@dataclass
class TimelineEvent:
    """One real-world event, merged across documents."""

    id: str
    cls: str
    label: str
    trigger: str  # the commonest trigger lemma
    actors: list[str]
    place: str
    places: dict[str, int]
    date: str  # the best-supported resolved value ("" when none); see earliest/latest otherwise
    date_evidence: list[dict]  # {document_id, start, end, text, how}
    earliest: str  # bounds from every constraint ("" unbounded)
    latest: str
    duration: str
    documents: list[str]
    spans: list[tuple[str, int, int]]  # sentence spans of the mentions, (document id, start, end)
    tenses: dict[str, str]  # document id -> past | future | mixed | ""
    tense: str = ""  # past (some document reports it done) | future (only expected) | ""
    # negated (reported as not happening) | disputed (reported done and denied) | hypothetical (only called
    # for, hoped) | ""
    status: str = ""
    weekday: int = 0  # ISO weekday (1 = Monday) its undated mentions agree on ("next Friday"), 0 when none
    agents: list[str] = field(default_factory=list)  # of its actors, those the documents name as acting
    patients: list[str] = field(default_factory=list)  # ... and as undergoing it


@dataclass
class Relation:
    """Where a document stands to an event: t_event − t_document ∈ [min_days, max_days]."""

    event: str
    relation: str  # before (the document precedes the event) | after | around
    min_days: int | None
    max_days: int | None
    reasons: list[str]
    spans: list[tuple[str, int, int]]


@dataclass
class Placement:
    document_id: str
    date: str  # its own date, or the inferred one when the bounds meet
    source: str  # input | metadata | url | dateline | text | inferred | none
    earliest: str
    latest: str
    relations: list[Relation]
    order: int = 0
    summary: str = ""


@dataclass
class Timeline:
    events: list[TimelineEvent]  # in time order
    documents: list[Placement]  # in time order
    dropped: list[str]  # constraints given up because stronger ones contradict them


def _shown(st: TimelineState, profiles: dict[str, _Profile]) -> list[Cluster]:
    return [c for c in st.clusters if any(_informative(m) for m in c.members) or len(profiles[c.id].docs) >= 2]


def build(st: TimelineState) -> Timeline:
    """Solve the state's constraints: dated and ordered events and documents."""
    profiles = {c.id: _profile(c) for c in st.clusters}
    shown = _shown(st, profiles)
    cons = constraints(st, shown, profiles)
    nodes = [ORIGIN] + [_doc_node(d) for d in sorted(st.docs)] + [_event_node(c.id) for c in shown]
    g, kept, dropped = solve(nodes, cons)
    up, down = g.dist(ORIGIN), g.dist(ORIGIN, reverse=True)

    def bounds(node: str) -> tuple[int | None, int | None]:
        i = g.index[node]
        lo, hi = -down[i], up[i]
        return (int(lo) if lo != float("-inf") else None), (int(hi) if hi != float("inf") else None)

    gaps = _Gaps(g)
    events = [_timeline_event(c, profiles[c.id], bounds(_event_node(c.id))) for c in shown]
    placements = [_placement(st.docs[d], kept, gaps, bounds(_doc_node(d))) for d in sorted(st.docs)]
    ref = _reference(kept)
    _order(events, placements, g, ref, bounds)
    return Timeline(events, placements, [c.reason for c in dropped])


class _Gaps:
    """t_v − t_u bounds between any two nodes, one shortest-path pass per source, cached."""

    def __init__(self, g: _Graph):
        self.g, self.cache = g, {}

    def _d(self, src: str, reverse: bool) -> list[float]:
        if (src, reverse) not in self.cache:
            self.cache[src, reverse] = self.g.dist(src, reverse)
        return self.cache[src, reverse]

    def between(self, u: str, v: str) -> tuple[int | None, int | None]:
        """Bounds of t_v − t_u: ≤ dist(u→v) and ≥ −dist(v→u)."""
        hi = self._d(u, False)[self.g.index[v]]
        lo = -self._d(u, True)[self.g.index[v]]
        return (None if lo == float("-inf") else int(lo)), (None if hi == float("inf") else int(hi))


def _timeline_event(c: Cluster, p: _Profile, b: tuple[int | None, int | None]) -> TimelineEvent:
    best = p.best_date()
    dated = [m for m in c.members if best and value_days(m.date) and _overlap(value_days(m.date), best)]
    value = next((m.date for m in dated if value_days(m.date) == best), "")
    if not value and b[0] is not None and b[0] == b[1]:
        value = iso(b[0])
    actors = _main_actors(c.members)
    place = p.places.most_common(1)[0][0] if p.places else ""
    # the word the documents name it with on their own evidence ("summit"), not the bare "the meeting"
    trigger = Counter(m.trigger for m in c.members if _informative(m) or len(c.members) == 1).most_common(1)
    trigger = trigger[0][0] if trigger else Counter(m.trigger for m in c.members).most_common(1)[0][0]
    # One vote per document, and only from mentions that joined on their own evidence (actors, place,
    # date): a bare "the three-hour meeting" joins its nearest event by position, which may be another one.
    durations = Counter(v for v in {(m.document_id, m.duration) for m in c.members
                                    if m.duration and "X" not in m.duration and _informative(m)})
    durations = Counter(v for _, v in durations)
    tenses = {}
    for m in c.members:
        prev = tenses.get(m.document_id)
        if m.tense in ("past", "future"):
            tenses[m.document_id] = m.tense if prev in (None, "", m.tense) else "mixed"
        else:
            tenses.setdefault(m.document_id, "")
    label = event_label(trigger, actors, place)
    agents, patients = _directions(c.members, actors)
    return TimelineEvent(
        c.id, c.cls, label, trigger, actors, place, dict(p.places.most_common()), value,
        [{"document_id": m.document_id, "start": m.date_start, "end": m.date_end, "text": m.date_text,
          "how": m.date_how} for m in dated],
        iso(b[0]), iso(b[1]), durations.most_common(1)[0][0] if durations else "",
        sorted(p.docs), [(m.document_id, m.start, m.end) for m in c.members], tenses,
        _event_tense(tenses), _event_status(c.members), 0 if value else _weekday(c.members), agents, patients,
    )


def _weekday(members: list[Mention]) -> int:
    """The weekday every mention dated by a weekday names ("next Friday", "on Friday"), when they
    agree: all an undated pile may say of the day."""
    days = {code_weekday(m.date) for m in members} - {0}
    return days.pop() if len(days) == 1 else 0


def _main_actors(members: list[Mention], n: int = 4) -> list[str]:
    """The actors the better specified mentions name: each mention votes with its evidence (actors, place,
    date), and an actor needs a third of the top vote (one stray "summit with X" does not make X a party)."""
    votes: Counter = Counter()
    for m in members:
        for a in dict.fromkeys(m.actors):
            votes[a] += _informative(m)
    top = max(votes.values(), default=0)
    return [a for a, v in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0])) if 3 * v >= top][:n]


def event_label(trigger: str, actors: list[str], place: str) -> str:
    """A timeline event in a few words: "summit: Donald Trump, Vladimir Putin in Alaska"."""
    return f"{trigger}: {', '.join(actors[:3]) or '?'}" + (f" in {place}" if place else "")


def _directions(members: list[Mention], actors: list[str]) -> tuple[list[str], list[str]]:
    """(agents, patients) among ``actors``: one vote per document that names the actor (agent, patient,
    or neither; a document that says both abstains); an actor takes a role that at least half of
    those documents give it and more of them than give it the other."""
    roles: dict[str, dict[str, set[str]]] = {}
    for m in members:
        for a in m.actors:
            said = roles.setdefault(a, {}).setdefault(m.document_id, set())
            said.update(r for r, who in (("agent", m.agents), ("patient", m.patients)) if a in who)
    out: dict[str, list[str]] = {"agent": [], "patient": []}
    for a in actors:
        docs = roles.get(a, {}).values()
        votes = Counter(next(iter(r)) for r in docs if len(r) == 1)
        for role, other in (("agent", "patient"), ("patient", "agent")):
            if 2 * votes[role] >= len(docs) and votes[role] > votes[other]:
                out[role].append(a)
    return out["agent"], out["patient"]


def _event_tense(tenses: dict[str, str]) -> str:
    """Done once any document reports it done (later reports outrank earlier previews); else expected."""
    seen = set(tenses.values())
    return "past" if seen & {"past", "mixed"} else "future" if "future" in seen else ""


def _event_status(members: list[Mention]) -> str:
    """One vote per document (a document that denies the event at least as often as it tells it
    done or planned votes 'negated', else one that asserts it 'asserted', else 'hypothetical'):
    'negated' (or 'disputed', below) when at least as many documents deny it as assert it, 'hypothetical' when more
    documents only want or question it than assert it.

    A document that also wants or questions the event asserts it only through a mention with a
    past or future tense: a bare noun in the present ("a meeting with X is not a prerequisite")
    names the event without saying it happened or is planned.  Once a document reports the event
    done, a denial in the future or present tense ("not expected to meet", "has no plans to meet")
    counts as a plan questioned, not as the event denied; and when as many documents deny it as
    assert it but one of those asserting reports it done (past tense), the event is 'disputed':
    the briefing then says that sources differ rather than that it did not happen."""
    reports = {m.document_id for m in members if not m.status and m.tense == "past"}
    done = bool(reports)
    votes: dict[str, Counter] = {}
    for m in members:
        status = "hypothetical" if done and m.status == "negated" and m.tense in ("future", "present") else m.status
        votes.setdefault(m.document_id, Counter())[status or ("" if m.tense in ("past", "future") else "bare")] += 1

    def denies(v: Counter) -> bool:
        return v["negated"] > 0 and v["negated"] >= v[""]

    def asserts(v: Counter) -> bool:
        return v[""] > 0 or (v["bare"] > 0 and not v["hypothetical"])

    negated = sum(denies(v) for v in votes.values())
    asserted = sum(asserts(v) and not denies(v) for v in votes.values())
    wished = len(votes) - negated - asserted
    if negated and negated >= asserted:
        # some document tells it done and does not deny it: the sources disagree, none is taken
        return "disputed" if any(d in reports and not denies(v) for d, v in votes.items()) else "negated"
    if wished > asserted:
        return "hypothetical"
    return ""


def _placement(d: DocInfo, kept: list[Constraint], gaps: _Gaps, b) -> Placement:
    node = _doc_node(d.document_id)
    by_event: dict[str, list[Constraint]] = {}
    for c in kept:
        if node in (c.u, c.v) and ORIGIN not in (c.u, c.v):
            by_event.setdefault(c.v if c.u == node else c.u, []).append(c)
    rels = []
    for e, cs in sorted(by_event.items()):
        lo, hi = gaps.between(node, e)
        kind = "before" if lo is not None and lo >= 0 and hi != 0 else "after" if hi is not None and hi <= 0 and lo != 0 else "around"
        rels.append(Relation(e[2:], kind, lo, hi, [c.reason for c in cs], [s for c in cs for s in c.spans]))
    fixed = d.published_from in FIXED_SOURCES and bool(d.published)
    date_ = d.published if fixed else (iso(b[0]) if b[0] is not None and b[0] == b[1] else "")
    source = d.published_from if fixed else ("inferred" if date_ else "none")
    return Placement(d.document_id, date_, source, iso(b[0]), iso(b[1]), rels)


def _reference(kept: list[Constraint]) -> str | None:
    """The event most documents are placed against: the scale for documents without absolute bounds."""
    n = Counter(x for c in kept if ORIGIN not in (c.u, c.v) for x in (c.u, c.v) if x.startswith("e:"))
    return n.most_common(1)[0][0] if n else None


def _center(lo: int | None, hi: int | None) -> float | None:
    if lo is not None and hi is not None:
        return (lo + hi) / 2
    if lo is not None:
        return lo + 0.5
    if hi is not None:
        return hi - 0.5
    return None


def _order(events: list[TimelineEvent], places: list[Placement], g: _Graph, ref: str | None, bounds) -> None:
    """Sort events and documents in time: absolute days where both bounds are known, else by the gap to
    the reference event (on its day when that is known), unplaced ones last."""
    gaps = _Gaps(g)
    ref_day = _center(*bounds(ref)) if ref and None not in bounds(ref) else None

    def key(node: str) -> tuple:
        lo, hi = bounds(node)
        if lo is not None and hi is not None:
            return (0, (lo + hi) / 2, node)
        rel = _center(*gaps.between(ref, node)) if ref else None
        if rel is not None and ref_day is not None:
            return (0, ref_day + rel, node)
        if rel is not None:
            return (1, rel, node)
        c = _center(lo, hi)
        return (2, c if c is not None else 0.0, node)

    events.sort(key=lambda e: key(_event_node(e.id)))
    places.sort(key=lambda p: key(_doc_node(p.document_id)))
    for i, p in enumerate(places):
        p.order = i
        p.summary = _summary(p)


def _summary(p: Placement) -> str:
    if p.source not in ("none", "inferred"):
        return f"published {p.date} ({p.source})"
    parts = []
    for r in p.relations:
        span = _days(r.min_days, r.max_days, r.relation)
        parts.append(f"{r.relation} {r.event}{span}")
    bound = f" — between {p.earliest or '?'} and {p.latest or '?'}" if p.earliest or p.latest else ""
    head = f"inferred {p.date}" if p.date else "undated"
    return f"{head}: {'; '.join(parts) or 'no relation to any event'}{bound}"


def _days(lo: int | None, hi: int | None, relation: str) -> str:
    if relation == "after":
        lo, hi = (-hi if hi is not None else None), (-lo if lo is not None else None)
    if lo is None and hi is None:
        return ""
    if hi is None:
        return f" (≥ {lo} days)"
    if lo is None:
        return f" (≤ {hi} days)"
    return f" ({lo}–{hi} days)" if lo != hi else f" ({lo} days)"

"""The extractive briefing: a cited situation report on one story.

:func:`brief` turns a story's :class:`~sitrep.corroborate.facts.StoryFacts`
into a :class:`~sitrep.model.Briefing` in six sections -- what happened (the
dated timeline), who is involved (actors and roles, and where sources give a
role differently), the key claims with their independent-source counts,
the disputed points, each main actor's positions in time order with their
shifts, and the quality of the sources.

The method is template-based content selection and realisation over
structured input, the classic data-to-text pipeline (Reiter & Dale 2000,
*Building Natural Language Generation Systems*, ch. 4-5: content
determination, sentence planning, realisation), made *attributable*: every
sentence carries the spans of the documents it rests on, taken only from the
facts (claim spans and sentences, role spans, the timeline's event
sentences, position spans), and is kept only when :mod:`citecheck` finds
each name, number and date it states in those spans (Rashkin et al. 2023,
"Measuring attribution in natural language generation models").  Each
sentence is planned with fallbacks from the richest form to the plainest
(a date or a duration the cited sentences do not state is left out rather
than asserted), and citations are chosen greedily to cover the sentence's
content, then to show distinct origin groups (set cover, Chvátal 1979).

Independence is counted by origin group (documents of one origin group --
copies, wire reprints, rewrites -- count once), recomputed from the
documents' origin groups rather than trusted from the input.

Nothing here reads the store or a model: the function is pure and
deterministic, so the same facts give the same briefing.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from sitrep.corroborate import citecheck
from sitrep.corroborate.facts import Actor, StoryFacts, TimelineEntry
from sitrep.model import BriefSentence, Briefing, Citation, Claim, ClaimGroup, Contradiction, Position
from sitrep.understand.phrasing import with_article
from sitrep.understand.timeline import value_days
from sitrep.understand.timex import weekday_name

SECTIONS = ("happened", "actors", "claims", "disputed", "positions", "sources")
STANCE_VERB = {"supports": "backed", "opposes": "opposed", "shifts": "changed course on", "neutral": "spoke of"}
FARM_MARK = "only content-farm pages"


@dataclass(frozen=True)
class Limits:
    max_claims: int = 8
    max_events: int = 8
    max_actors: int = 6
    max_cites: int = 4  # citations a sentence shows beyond those its content needs
    quote_chars: int = 220  # longer quotes are cut at a word boundary


def inputs_digest(facts: StoryFacts, max_claims: int = 8, *, limits: Limits | None = None) -> str:
    """What :func:`brief` of these facts depends on, as a digest: the facts, the limits and the
    source of the code that words and checks the sentences.  Equal digests, equal briefings."""
    lim = limits or Limits(max_claims=max_claims)
    return hashlib.sha256(repr((_code_digest(), lim, facts)).encode()).hexdigest()


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """Any edit to this module, the citation check, the name rules or the phrasing of names rewrites
    stored briefings."""
    from sitrep.stage import code_digest
    from sitrep.understand import names, phrasing

    return code_digest((sys.modules[__name__], citecheck, names, phrasing))


def brief(facts: StoryFacts, max_claims: int = 8, *, limits: Limits | None = None,
          ev: citecheck.Evidence | None = None) -> Briefing:
    """The extractive briefing of one story; every sentence cited and passing :func:`citecheck.check`.

    ``ev`` (names' spelling variants, document metadata, spin marks) defaults to
    :func:`citecheck.evidence_of` the facts.
    """
    lim = limits or Limits(max_claims=max_claims)
    ctx = _Ctx(facts, ev or citecheck.evidence_of(facts), lim)
    sentences: list[BriefSentence] = []
    for build in (_happened, _actors, _claims, _disputed, _positions, _sources_section):
        sentences.extend(s for s in build(ctx) if s is not None)
    return Briefing(facts.story.id, facts.story.label, sentences)


# -- context: the facts plus what every section needs ------------------------------------------


class _Ctx:
    def __init__(self, facts: StoryFacts, ev: citecheck.Evidence, lim: Limits):
        self.facts, self.ev, self.lim = facts, ev, lim
        self.events = {e.id: e for e in facts.timeline}
        self.labels = self._labels()

    def origin(self, doc_id: str) -> str:
        d = self.facts.documents.get(doc_id)
        return d.origin_group or doc_id if d else doc_id

    def independent(self, doc_ids: Iterable[str]) -> int:
        return len({self.origin(d) for d in doc_ids})

    def farm_only(self, doc_ids: Iterable[str]) -> bool:
        docs = [self.facts.documents.get(d) for d in set(doc_ids)]
        return bool(docs) and all(d is not None and d.content_farm for d in docs)

    def valid(self, c: Citation) -> bool:
        t = self.facts.texts.get(c.document_id)
        return t is not None and 0 <= c.start < c.end <= len(t)

    def name(self, key: str) -> str:
        return self.facts.names.get(key) or next((a.name for a in self.facts.actors if a.identity == key), key)

    def label(self, doc_id: str) -> str:
        """How a document is named: its publisher, else its title, else its opening words; with its id
        when that name is shared."""
        return self.labels.get(doc_id, doc_id)

    def _labels(self) -> dict[str, str]:
        names = {i: d.source or d.title or _opening(self.facts.texts.get(i, "")) or i
                 for i, d in self.facts.documents.items()}
        shared = Counter(names.values())
        return {i: f"{n} [{i[:8]}]" if shared[n] > 1 else n for i, n in names.items()}

    def sentence(self, section: str, texts: Sequence[str], pool: Sequence[Citation],
                 must: Sequence[Citation] = ()) -> BriefSentence | None:
        """The first of ``texts`` (richest first) that citations from ``must`` + ``pool`` back, cited."""
        pool = _unique(c for c in pool if self.valid(c))
        must = _unique(c for c in must if self.valid(c))
        for text in texts:
            cites = self.choose(text, pool, must)
            s = BriefSentence(section, text, cites)
            if cites and not citecheck.check_sentence(s, self.facts.texts, self.ev):
                return s
        return None

    def choose(self, text: str, pool: list[Citation], must: list[Citation]) -> list[Citation]:
        """Greedy cover of the sentence's key content, then distinct origin groups up to ``max_cites``."""
        need = set(range(len(citecheck.items(text, self.ev))))
        cover = {c: citecheck.coverage(text, c, self.facts.texts, self.ev) for c in pool + must}
        chosen = list(must)
        done = set().union(*(cover[c] for c in chosen)) if chosen else set()
        while need - done:
            best = max(pool, key=lambda c: (len(cover[c] & (need - done)), -pool.index(c)), default=None)
            if best is None or not cover[best] & (need - done):
                break
            chosen.append(best)
            done |= cover[best]
        seen = {self.origin(c.document_id) for c in chosen}
        for c in pool:
            if len(chosen) >= max(self.lim.max_cites, len(must)):
                break
            if c not in chosen and self.origin(c.document_id) not in seen:
                chosen.append(c)
                seen.add(self.origin(c.document_id))
        return chosen or pool[:1]


def _unique(cites: Iterable[Citation]) -> list[Citation]:
    return list(dict.fromkeys(cites))


# -- wording helpers ---------------------------------------------------------------------------


def _join(words: Sequence[str]) -> str:
    words = [w for w in words if w]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1] if words else ""


def _names(actors: Sequence[str]) -> str:
    """Actors as the subject or object of a sentence: "the United States and Russia"."""
    return _join([with_article(a) for a in actors])


def _support(n: int, docs: int | None = None, farm: bool = False) -> str:
    s = "single source" if n <= 1 else f"{n} independent sources"
    if docs is not None and docs > n:
        s += f" ({docs} documents)"
    return s + (f"; {FARM_MARK}" if farm else "")


def _quote(text: str, limit: int) -> str:
    text = " ".join(text.split()).strip(" .")
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return f"“{text}”"


def _day(value: str) -> str:
    y, m, d = (int(x) for x in value.split("-"))
    return f"{d} {date(y, m, d):%B} {y}"


def on_weekday(e: TimelineEntry) -> str:
    """ "on a Friday": the day an event without a calendar date is dated to by its weekday alone."""
    day = weekday_name(e.weekday)
    return f"on a {day}" if day and not (e.date and e.stated) else ""


def when(value: str) -> str:
    """An ISO date or interval in words ("on 15 August 2025", "between June 2021 and August 2021")."""
    if "/" in value:
        a, b = value.split("/", 1)
        a, b = when(a), when(b)
        if a and b:
            return f"between {a.split(' ', 1)[1]} and {b.split(' ', 1)[1]}"
        return f"from {a.split(' ', 1)[1]}" if a else f"by {b.split(' ', 1)[1]}" if b else ""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return f"on {_day(value)}"
    if re.fullmatch(r"\d{4}-\d{2}", value):
        y, m = value.split("-")
        return f"in {date(int(y), int(m), 1):%B} {y}"
    if re.fullmatch(r"\d{4}", value):
        return f"in {value}"
    return ""


_UNITS = {"Y": "year", "M": "month", "W": "week", "D": "day", "H": "hour", "TM": "minute", "S": "second"}


def duration(value: str) -> str:
    """An ISO 8601 duration in words ("PT3H" -> "3 hours"); "" when it is not one."""
    m = re.fullmatch(r"P(?:([\d.]+)Y)?(?:([\d.]+)M)?(?:([\d.]+)W)?(?:([\d.]+)D)?"
                     r"(?:T(?:([\d.]+)H)?(?:([\d.]+)M)?(?:([\d.]+)S)?)?", value or "")
    if not m or not any(m.groups()):
        return ""
    parts = []
    for v, unit in zip(m.groups(), ("year", "month", "week", "day", "hour", "minute", "second")):
        if v:
            n = float(v)
            parts.append(f"{n:g} {unit}{'' if n == 1 else 's'}")
    return " ".join(parts)


# -- happened ----------------------------------------------------------------------------------


def _happened(ctx: _Ctx) -> Iterable[BriefSentence | None]:
    """The story's anchor (its best supported event that the sources assert) first, then its other
    events in time order, then at most two background events marked as such -- history the sources
    recall must not lead the section.  An event only wanted or questioned needs two independent
    sources to be told at all."""
    support = {e.id: ctx.independent(c.document_id for c in e.citations) for e in ctx.facts.timeline}
    entries = [e for e in ctx.facts.timeline if any(ctx.valid(c) for c in e.citations) and _sayable(e)
               and (e.status != "hypothetical" or support[e.id] >= 2)]
    rank = {e.id: i for i, e in enumerate(ctx.facts.timeline)}
    anchor = _anchor(entries, support)
    ref = _story_range(ctx, entries, anchor)
    back = {e.id for e in entries if e is not anchor and _background(e, ref, anchor)}
    top = sorted(entries, key=lambda e: (e is not anchor, e.id in back, -support[e.id], bool(e.status),
                                         not (e.date and e.stated), rank[e.id]))
    current = [e for e in top if e.id not in back][: ctx.lim.max_events]
    history = [e for e in top if e.id in back][: min(MAX_BACKGROUND, max(0, ctx.lim.max_events - len(current)))]
    ordered = sorted(current, key=lambda e: (e is not anchor, rank[e.id])) + sorted(history, key=lambda e: rank[e.id])
    for e in ordered:
        texts = _event_texts(e)
        if e.id in back:
            texts = [f"Background: {t}" for t in texts]
        yield ctx.sentence("happened", texts, e.citations + e.evidence, _day_cite(ctx, e))


def _day_cite(ctx: _Ctx, e: TimelineEntry) -> list[Citation]:
    """The words that name the weekday of an event dated by it alone ("next Friday"): the check
    does not test weekdays, so the sentence cites them on purpose."""
    day = weekday_name(e.weekday).lower() if on_weekday(e) else ""
    return [c for c in e.evidence if day and ctx.valid(c)
            and day in ctx.facts.texts[c.document_id][c.start:c.end].lower()][:1]


MAX_BACKGROUND = 2
BACKGROUND_DAYS = 180  # an event this long before the story's first day is history the sources recall


def _sayable(e: TimelineEntry) -> bool:
    """Enough content for a sentence: some plan of :func:`_event_texts` passes :func:`_enough`."""
    actors = event_parts(e)[1]
    extras = sum(bool(x) for x in (e.place, e.date and e.stated and when(e.date) or on_weekday(e),
                                   duration(e.duration)))
    return _enough(e, len(actors), extras, bool(e.place))


def _enough(e: TimelineEntry, n_actors: int, extras: int, placed: bool) -> bool:
    """Two participants, or one with a place, date or duration ("Moscow is to hold a meeting" says
    nothing); a truce or a deal reported as not happening may stand on its place alone ("no ceasefire
    in X"); a journey needs who went where and a vote when or where; an attack or an invasion may
    stand on its place and date ("an attack in Paris on 13 November").  A victory needs someone who
    won or lost, where or when, and to have been won (see :data:`WINNER_NEEDED`)."""
    if e.cls in WINNER_NEEDED and (e.status or e.tense == "future" or not n_actors or not extras):
        return False
    if (e.cls in DESTINATION_NEEDED and not (placed and n_actors)) or (e.cls in SETTING_NEEDED and not extras):
        return False
    return n_actors >= 2 or (n_actors == 1 and extras >= 1) or \
        (e.status in ("negated", "disputed") and extras >= 1 and (n_actors or e.cls in ABSENCE_TOLD)) or \
        (e.cls in DIRECTED_VERBS and extras >= 2)


def _anchor(entries: list[TimelineEntry], support: dict[str, int]) -> TimelineEntry | None:
    """The story's own main event: asserted, with two participants, by most independent sources
    (then stated date, place, timeline order)."""
    own = [e for e in entries if not e.status and len(event_parts(e)[1]) >= 2]
    if not own:
        return None
    return min(own, key=lambda e: (-support[e.id], not (e.date and e.stated), not e.place, entries.index(e)))


def _story_range(ctx: _Ctx, entries: list[TimelineEntry], anchor: TimelineEntry | None) -> tuple[int, int] | None:
    """The story's days: its own date range, else the anchor's stated date, else the stated date of its
    best supported dated event when there is no anchor."""
    story = ctx.facts.story
    if story.start or story.end:
        return value_days(f"{story.start or story.end}/{story.end or story.start}")
    if anchor is not None:
        return value_days(anchor.date) if anchor.date and anchor.stated else None
    dated = [e for e in entries if e.date and e.stated and value_days(e.date)]
    if not dated:
        return None
    best = max(dated, key=lambda e: (ctx.independent(c.document_id for c in e.citations), -len(e.date)))
    return value_days(best.date)


def _background(e: TimelineEntry, ref: tuple[int, int] | None, anchor: TimelineEntry | None) -> bool:
    """An event dated well before the story's days; in an undated story (its anchor has no date), an
    event dated only to a month or a year: news time is told relative to the report ("on Friday",
    "next week") and history by calendar (Bell 1995, "News time", Time & Society 4(3))."""
    r = value_days(e.date) if e.date and e.stated else None
    if r is None:
        return False
    if ref is not None:
        return r[1] < ref[0] - BACKGROUND_DAYS
    return anchor is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", e.date)


def event_parts(e: TimelineEntry) -> tuple[str, list[str]]:
    """(trigger, actor names) of a timeline entry; from its label "trigger: A, B in place" when the
    store gave no separate fields."""
    plural = {"talk": "talks", "negotiation": "negotiations"}  # lemmas of plural-only event nouns
    if e.trigger and e.actors:
        return plural.get(e.trigger, e.trigger), list(e.actors)
    trigger, _, rest = e.label.partition(": ")
    if " in " in rest:  # the label's place is the entry's place (as a key); the sentence names it once
        rest = rest.rpartition(" in ")[0]
    trigger = e.trigger or trigger.strip()
    return plural.get(trigger, trigger), [a.strip() for a in rest.split(", ") if a.strip() and a.strip() != "?"]


# How an event of each class is told: (done, expected) verb phrases with the actors as subject, for the
# classes whose participants act together; a class with a direction by DIRECTED_VERBS when the entry knows
# who acted on whom, and the rest through a noun ("an invasion involving ...").
CLASS_VERBS = {
    "meet": ("met", "are to meet"), "negotiate": ("held negotiations", "are to hold negotiations"),
    "call": ("held a call", "are to hold a call"), "agree": ("reached an agreement", "are to reach an agreement"),
    "sign": ("signed an agreement", "are to sign an agreement"), "visit": ("travelled", "are to travel"),
    "announce": ("made an announcement", "are to make an announcement"),
}
CLASS_NOUNS = {
    "meet": "meeting", "negotiate": "negotiations", "visit": "visit", "call": "phone call", "agree": "agreement",
    "sign": "signing", "announce": "announcement", "attack": "attack", "invade": "invasion", "impose": "sanctions",
    "elect": "election", "withdraw": "withdrawal", "halt": "halt", "resign": "resignation", "arrest": "arrest",
    "launch": "launch", "invite": "invitation", "threaten": "threat", "kill": "killing", "release": "release",
    "vote": "vote", "ceasefire": "ceasefire", "win": "victory",
}
# An attacker is named only with the attacked: in news an attack whose target is no actor is mostly a verbal
# one or a misread ("Trump attacked in Paris"); the attack itself may still be told by its place and date.
TARGET_NEEDED = {"attack"}
# A victory is news only with its winner, and only when won: "could win Oregon" and "did not win Iowa" are
# forecasts and readings of results, which the sources' claims carry.
WINNER_NEEDED = {"win"}
# A journey is told only as someone going somewhere ("Trump and Cruz travelled." says nothing), a vote only
# with when or where it was held ("a vote involving Sanders and Clinton took place" could be any of theirs).
DESTINATION_NEEDED = {"visit"}
SETTING_NEEDED = {"vote"}
# What a denial may tell with no one named: an absent truce or deal is news ("no ceasefire in Ukraine"), an
# absent call or arrest without whose is not ("a call on 14 June was discussed but did not take place").
ABSENCE_TOLD = {"ceasefire", "agree", "sign", "negotiate", "halt"}
# How an event with a direction is told, its agents as subject and its patients as object: (past, base form,
# participle) of the verb, the thing it does to them with the preposition that names them ("imposed sanctions on
# B"), and whether the agents alone make a sentence ("Russia invaded", not "Putin invited").
DIRECTED_VERBS = {
    "invade": ("invaded", "invade", "invaded", "", True), "attack": ("attacked", "attack", "attacked", "", True),
    "invite": ("invited", "invite", "invited", "", False),
    "threaten": ("threatened", "threaten", "threatened", "", False),
    "arrest": ("arrested", "arrest", "arrested", "", False), "kill": ("killed", "kill", "killed", "", False),
    "release": ("released", "release", "released", "", False), "elect": ("elected", "elect", "elected", "", False),
    "impose": ("imposed", "impose", "imposed", "sanctions on", True),
    "withdraw": ("withdrew", "withdraw", "", "", True), "resign": ("resigned", "resign", "", "", True),
    "win": ("won", "win", "defeated", "against", True),
}
HELD_NOUNS = {"summit": "a summit", "talks": "talks", "meeting": "a meeting", "conference": "a conference",
              "negotiations": "negotiations"}
AGREED_CLASSES = {"ceasefire", "agree", "sign"}  # not happening means: discussed but not agreed


def _noun(e: TimelineEntry) -> str:
    from sitrep.understand.events import NOUN_CLASSES

    trigger = event_parts(e)[0]
    noun = trigger if trigger.rstrip("s") in NOUN_CLASSES or trigger in NOUN_CLASSES else CLASS_NOUNS.get(e.cls, trigger)
    return noun if noun.endswith("s") else ("an " if noun[:1] in "aeiou" else "a ") + noun


def _event_texts(e: TimelineEntry) -> list[str]:
    """Sentences for one event, richest first (see :func:`_plans`)."""
    actors = event_parts(e)[1]
    if e.cls in DIRECTED_VERBS:  # someone in the clause with no role ("X condemned the attack") took no part
        actors = [a for a in actors if a in e.agents or a in e.patients]
        if e.cls in TARGET_NEEDED and not set(actors) & set(e.patients):
            actors = []
    out = []
    for with_date, with_place, with_dur, n_actors in _plans(len(actors)):
        w = when(e.date) if with_date and e.stated else on_weekday(e) if with_date else ""
        prep = "to" if e.cls == "visit" else "in"
        where = f"{prep} {with_article(e.place, place=True)}" if with_place and e.place else ""
        dur = f"for {duration(e.duration)}" if with_dur and duration(e.duration) else ""
        if not _enough(e, min(n_actors, len(actors)), sum(bool(x) for x in (where, w, dur)), bool(where)):
            continue
        text = _event_sentence(e, actors[:n_actors], " ".join(x for x in (where, w, dur) if x))
        if text:
            out.append(text)
    return list(dict.fromkeys(out))


def _event_sentence(e: TimelineEntry, actors: list[str], tail: str) -> str:
    from sitrep.understand.events import event_class

    if not e.cls:  # an entry read from an older store
        e = replace(e, cls=event_class(event_parts(e)[0]))
    tail = f" {tail}" if tail else ""
    if e.status:
        noun = _noun(e)
        who = f" involving {_names(actors)}" if actors else ""
        plural = noun.endswith("s") and not noun.startswith(("a ", "an "))
        if e.status == "disputed":
            return _cap(f"{noun}{who}{tail} {'are' if plural else 'is'} reported by some sources and denied by others.")
        end = ("discussed but not agreed" if e.cls in AGREED_CLASSES else "discussed but did not take place") \
            if e.status == "negated" else "called for or discussed, not reported as done"
        return _cap(f"{noun}{who}{tail} {'were' if plural else 'was'} {end}.")
    if not actors and not tail:
        return ""  # "A meeting took place." says nothing
    future = e.tense == "future"
    trigger = event_parts(e)[0]
    if actors and e.cls in CLASS_VERBS:
        done, expected = CLASS_VERBS[e.cls]
        if e.cls == "meet" and (trigger in HELD_NOUNS or len(actors) == 1):
            held = HELD_NOUNS.get(trigger, "a meeting")
            done, expected = f"held {held}", f"are to hold {held}"
        if future and _one(actors, e):
            expected = expected.replace("are to", "is to", 1)
        return _cap(f"{_names(actors)} {expected if future else done}{tail}.")
    directed = _directed_sentence(e, actors, tail, future)
    if directed:
        return directed
    who = f" involving {_names(actors)}" if actors else ""
    return _cap(f"{_noun(e)}{who} {'is expected' if future else 'took place'}{tail}.")


def _directed_sentence(e: TimelineEntry, actors: list[str], tail: str, future: bool) -> str:
    """'Russia invaded Ukraine', 'Donald Trump was elected', 'A imposed sanctions on B': the chosen
    ``actors`` as the entry's agents and patients; '' when its class has no verb here, when some actor
    has no role the verb can tell (a patient of a withdrawal) or when the roles do not make a
    sentence: then the event is told through its noun.  (:func:`_event_texts` has already left out
    the actors with no role at all.)"""
    if e.cls not in DIRECTED_VERBS:
        return ""
    past, base, participle, thing, alone = DIRECTED_VERBS[e.cls]
    agents = [a for a in actors if a in e.agents]
    patients = [a for a in actors if a in e.patients and a not in agents] if participle else []
    if len(agents) + len(patients) < len(actors):
        return ""
    obj, _, prep = thing.rpartition(" ")
    who, whom = _names(agents), _names(patients)
    if agents and (patients or alone):
        verb = f"{'is' if _one(agents, e) else 'are'} to {base}" if future else past
        words = [who, verb, obj] + ([prep, whom] if patients else [])
    elif patients:
        many = not _one(patients, e) or bool(obj)  # "Sanctions were imposed on Russia", "Americans were killed"
        be = f"{'are' if many else 'is'} to be" if future else "were" if many else "was"
        words = [obj, be, participle, prep, whom] if obj else [whom, be, participle]
    else:
        return ""
    return _cap(" ".join(w for w in words if w) + f"{tail}.")


def _one(names: list[str], e: TimelineEntry) -> bool:
    """Whether the names take a verb in the singular: one name, not a people's plural ("Americans")."""
    return len(names) == 1 and names[0] not in e.groups


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _plans(n: int) -> list[tuple[bool, bool, bool, int]]:
    """Sentence plans from the richest to the plainest: drop duration, then date, then place, then actors."""
    plans = [(d, p, u, n) for d in (True, False) for p in (True, False) for u in (True, False)]
    plans.sort(key=lambda x: (not x[0]) * 4 + (not x[1]) * 2 + (not x[2]))
    return plans + [(False, False, False, k) for k in range(n - 1, -1, -1)]


# -- actors ------------------------------------------------------------------------------------


def _actors(ctx: _Ctx) -> Iterable[BriefSentence | None]:
    bare: list[Actor] = []
    for a in ctx.facts.actors[: ctx.lim.max_actors]:
        cites = [c for r in a.roles if (c := _role_cite(ctx, a, r))]
        if not cites:
            bare.append(a)
            continue
        yield _role_sentence(ctx, a)
        yield _role_dispute(ctx, a)
    if bare:
        yield _also_involved(ctx, bare)


def _role_cite(ctx: _Ctx, a: Actor, r) -> Citation | None:
    """The role span widened to the holder's name beside it ("US President" + " Donald Trump"),
    so that the citation shows both; None when no name of the actor is next to the role."""
    text = ctx.facts.texts.get(r.document_id, "")
    if not ctx.valid(Citation(r.document_id, r.start, r.end)):
        return None
    after = re.match(r"[ ,]{0,2}((?:[A-Z][\w'’.\-]*\s?){1,4})", text[r.end:r.end + 80])
    before = re.search(r"((?:[A-Z][\w'’.\-]*\s?){1,4}),?\s?$", text[max(0, r.start - 80):r.start])
    for c in ([Citation(r.document_id, r.start, r.end + after.end(1))] if after else []) + \
             ([Citation(r.document_id, r.start - len(before.group(0)), r.end)] if before else []):
        span = c if text[c.end - 1] != " " else Citation(c.document_id, c.start, c.end - 1)
        if not citecheck.unsupported(a.name, [span], ctx.facts.texts, ctx.ev):
            return span
    return None


def _role_groups(ctx: _Ctx, a: Actor) -> dict[tuple[str, str], list[tuple[object, Citation]]]:
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for r in a.roles:
        if (c := _role_cite(ctx, a, r)) is not None:
            groups[r.role, r.qualifier].append((r, c))
    return dict(sorted(groups.items(), key=lambda kv: (-ctx.independent(c.document_id for _, c in kv[1]), kv[0])))


def _surface(ctx: _Ctx, pairs: list) -> str:
    forms = Counter(ctx.facts.texts[r.document_id][r.start:r.end] for r, _ in pairs)
    return max(forms, key=lambda f: (forms[f], len(f), f))


def _role_sentence(ctx: _Ctx, a: Actor) -> BriefSentence | None:
    """The roles the sources give the actor, best supported first (a disputed role by its majority form:
    the dispute has its own sentence)."""
    groups, seen = _role_groups(ctx, a), set()
    parts, cites = [], []
    for (role, _), pairs in list(groups.items()):
        if role in seen or len(parts) == 3:
            continue
        seen.add(role)
        docs = [c.document_id for _, c in pairs]
        parts.append(f"“{_surface(ctx, pairs)}” ({_support(ctx.independent(docs), farm=ctx.farm_only(docs))})")
        cites += _by_origin(ctx, [c for _, c in pairs])[:2]
    text = f"{a.name} is referred to as {_join(parts)}."
    return ctx.sentence("actors", [text], [], cites)


def _by_origin(ctx: _Ctx, cites: Sequence[Citation]) -> list[Citation]:
    """One citation per origin group first, then the rest, so a short prefix shows independent sources."""
    firsts, rest, seen = [], [], set()
    for c in cites:
        (rest if ctx.origin(c.document_id) in seen else firsts).append(c)
        seen.add(ctx.origin(c.document_id))
    return firsts + rest


def _role_dispute(ctx: _Ctx, a: Actor) -> BriefSentence | None:
    """Sources that give the same role as current and as former (or acting...) at overlapping dates."""
    by_role: dict[str, dict[str, list]] = defaultdict(dict)
    for (role, qual), pairs in _role_groups(ctx, a).items():
        by_role[role][qual] = pairs
    for role, quals in by_role.items():
        if len(quals) < 2 or not _overlap([r.date for p in quals.values() for r, _ in p], quals):
            continue
        sides = sorted(quals.values(), key=lambda p: -ctx.independent(c.document_id for _, c in p))[:2]
        parts = []
        for pairs in sides:
            docs = [c.document_id for _, c in pairs]
            parts.append(f"“{_surface(ctx, pairs)}” ({_support(ctx.independent(docs), farm=ctx.farm_only(docs))})")
        text = f"Sources disagree on the role of {a.name}: {parts[0]} against {parts[1]}."
        cites = [c for p in sides for c in _by_origin(ctx, [c for _, c in p])[:2]]
        return ctx.sentence("actors", [text], [], cites)
    return None


def _overlap(dates: list[str], quals: dict) -> bool:
    """Whether the sides' dates overlap: undated documents overlap everything."""
    spans = []
    for pairs in quals.values():
        ds = sorted(r.date[:10] for r, _ in pairs if r.date)
        if len(ds) < len(pairs) or not ds:
            return True
        spans.append((ds[0], ds[-1]))
    (a0, a1), (b0, b1) = spans[0], spans[1]
    return a0 <= b1 and b0 <= a1


def _also_involved(ctx: _Ctx, actors: list[Actor]) -> BriefSentence | None:
    pool = _claim_spans(ctx) + [c for e in ctx.facts.timeline for c in e.citations]
    # one backing span per name: the citation cover then runs over a handful of spans, not over
    # every claim of a large story
    backing = {a.name: _backing(ctx, a.name, pool) for a in actors if a.label != "NORP"}
    names = [n for n, c in backing.items() if c is not None]
    if not names:
        return None
    return ctx.sentence("actors", [f"Also involved: {_names(names)}."], [backing[n] for n in names])


def _backing(ctx: _Ctx, name: str, pool: list[Citation]) -> Citation | None:
    return next((c for c in pool if ctx.valid(c) and not citecheck.unsupported(name, [c], ctx.facts.texts, ctx.ev)),
                None)


def _claim_spans(ctx: _Ctx) -> list[Citation]:
    return [Citation(c.document_id, c.start, c.end) for _, claims in ctx.facts.groups for c in claims]


# -- claims ------------------------------------------------------------------------------------


def _claims(ctx: _Ctx) -> Iterable[BriefSentence | None]:
    ranked = sorted(ctx.facts.groups, key=lambda gc: _claim_rank(ctx, *gc))
    n = 0
    for g, claims in ranked:
        if n >= ctx.lim.max_claims:
            break
        s = _claim_sentence(ctx, g, claims)
        if s is not None:
            n += 1
            yield s


ESTABLISHED_CHECKWORTHY = 0.5  # a corroborated claim this check-worthy leads the key claims


def _claim_rank(ctx: _Ctx, g: ClaimGroup, claims: list[Claim]) -> tuple:
    """What is established comes first: claims that two or more independent sources state (not
    only content farms) and that are worth checking, then the rest by check-worthiness."""
    docs = [c.document_id for c in claims] or g.documents
    n, farm = ctx.independent(docs), ctx.farm_only(docs)
    established = n >= 2 and not farm and g.checkworthy >= ESTABLISHED_CHECKWORTHY
    return (not established, -round(g.checkworthy, 1), -n, farm, g.id)


def _representatives(ctx: _Ctx, claims: list[Claim]) -> list[Claim]:
    """Claims to quote, best first: from an origin, not a farm, not spun, most check-worthy, shortest."""
    def key(c: Claim) -> tuple:
        d = ctx.facts.documents.get(c.document_id)
        return (bool(d and d.content_farm), bool(d and d.spun), bool(d and d.role not in ("origin", "")),
                -round(c.checkworthy, 2), len(c.text), c.id)
    return sorted(claims, key=key)


def _claim_sentence(ctx: _Ctx, g: ClaimGroup, claims: list[Claim]) -> BriefSentence | None:
    docs = sorted({c.document_id for c in claims} | set(g.documents))
    support = _support(ctx.independent(docs), len(docs), ctx.farm_only(docs))
    spans = _by_origin(ctx, [Citation(c.document_id, c.start, c.end) for c in claims])
    for rep in [c for c in _representatives(ctx, claims) if _stands_alone(c) and _readable(ctx, c)][:3]:
        quote = _quote(rep.text, ctx.lim.quote_chars)
        own = Citation(rep.document_id, rep.start, rep.end)
        texts, must = [f"{quote} — {support}."], [own]
        if rep.speaker and rep.quote_kind:
            who = _speaker(ctx, rep)
            # a claim that names its own speaker ("Pence is not alone in his contention ...") is the
            # reporter's sentence about them, not their words: no "According to Mike Pence"
            if who and not re.search(rf"\b{re.escape(who.split()[-1])}\b", rep.text):
                sent = Citation(rep.document_id, rep.sentence_start, rep.sentence_end)
                s = ctx.sentence("claims", [f"According to {who}, {quote} — {support}."], spans, [sent])
                if s:
                    return s
        s = ctx.sentence("claims", texts, spans, must)
        if s:
            return s
    return None


def _readable(ctx: _Ctx, c: Claim) -> bool:
    """Not a claim of a spun document with a substitution nothing undid ("seemed to instrumentality
    the Russian presumption"): quoted, it would repeat the spinner's nonsense."""
    marks = ctx.facts.marks.get(c.document_id, ())
    return not any(m.start < c.end and m.end > c.start and not m.restored for m in marks)


# Words that open a claim but point back to something the quote does not show.
ANAPHORS = {"it", "its", "he", "she", "they", "him", "her", "them", "his", "their", "this", "that", "these", "those",
            "which", "such", "there", "here", "both", "the latter", "the former", "that's", "this's", "it's"}
LIST_HEADING = re.compile(r"\s*(?:\(?\d{1,2}[.)]|\(?[a-zA-Z][.)]|[IVXivx]{1,4}[.)]|[•▪●◦‣*–-])\s*[^:.!?]{1,80}:\s")


# Words that open a clause cut out of a longer sentence ("she described how it ...").
CLAUSE_OPENERS = {"how", "why", "whether"}
MIN_QUOTE_WORDS = 4
SUBJECT_PRONOUNS = {"i", "we", "you", "he", "she", "it", "they"}


def _has_subject(c: Claim) -> bool:
    """Whether the claim's text still holds its subject: the subject as written, or, for a subject
    resolved to a name, a word of that name ("Russians" for "russian"), its initials ("AP") or a
    pronoun.  A claim with no subject must open a sentence ("previously kept secret" does not)."""
    if not c.subject:
        return not c.text[:1].islower()
    words = _words(c.text)
    if f" {' '.join(_words(c.subject))} " in f" {' '.join(words)} ":
        return True
    name = _words(c.subject_key)
    if not name:
        return False
    initials = "".join(n[0] for n in name)
    letters = "".join(w for w in words if len(w) == 1)  # "U.S." reads as "u", "s"
    return any(w.startswith(n) for w in words for n in name) or initials in words or initials in letters or \
        not SUBJECT_PRONOUNS.isdisjoint(words)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _stands_alone(c: Claim) -> bool:
    """A claim quotable on its own: not a list item with its heading ("1. Legitimacy: ..."), not a
    clause whose subject stayed in the sentence ("remains far above ...") or that opens on "how" or
    "whether", and not opening on a pronoun or a bare demonstrative that nothing resolved ("That's
    how long ...", "It ..."); "This summit ..." names its referent and stands."""
    if LIST_HEADING.match(c.text) or not _has_subject(c):
        return False  # "remains far above the national average": the subject was left behind
    words = re.findall(r"[A-Za-z]+(?:['’][a-z]+)?", c.text[:40])
    if len(words) < MIN_QUOTE_WORDS:
        return False  # "you know"
    first = words[0].lower().replace("’", "'")
    if first in CLAUSE_OPENERS:
        return False  # "how it vastly improved ...": a piece of a question or a report, not a statement
    if first not in ANAPHORS:
        return True
    if c.subject_key:  # the pronoun was resolved to a mention
        return False if first in ("this", "that", "these", "those", "it's", "that's") else True
    # a demonstrative determiner with its noun ("This meeting marks ...") names what it means
    subject = c.subject.lower().split()
    return first in ("this", "that", "these", "those") and len(subject) > 1 and subject[0] == first


SPEAKER_NAME = re.compile(r"[^\W\d_][\w.'’&/-]*(?:[ -][\w.'’&/-]+)*")
SPEAKER_CUT = re.compile(r"[^\s,.;:!?'’\"”)\]—–-]")


# Speakers that name no one: pronouns and quantifiers the quote detector took for a name.
NO_SPEAKER = {"i", "we", "you", "he", "she", "it", "they", "one", "some", "someone", "somebody", "another", "all",
              "others", "many", "most", "both", "each", "this", "that", "these", "those"}


def _speaker(ctx: _Ctx, c: Claim) -> str:
    """The speaker's name as the cited sentence writes it (so the citation shows it), else as known."""
    text = ctx.facts.texts.get(c.document_id, "")[c.sentence_start:c.sentence_end]
    for form in (c.speaker, c.speaker_key):
        if form and (m := re.search(re.escape(form), text, re.I)) and m.group(0)[:1].isupper():
            found = m.group(0)
            if not SPEAKER_NAME.fullmatch(found) or SPEAKER_CUT.match(text, m.end()):
                return ""  # markup or a bracket in the name ("W]e"), or a word cut short
            if found.casefold() in NO_SPEAKER:
                return ""  # "I", "We", "Some": whoever it stands for, nothing resolved it to a name
            first = found.split()[0]
            if len(found.split()) > 1 and citecheck.common_word(first, ctx.ev):  # "Officials in Kyiv"
                found = first.lower() + found[len(first):]
            return found
    ident = ctx.facts.links.get((c.document_id, c.speaker_key))
    return ctx.facts.names.get(ident, "") if ident else ""


# -- disputed ----------------------------------------------------------------------------------


def _disputed(ctx: _Ctx) -> Iterable[BriefSentence | None]:
    for k in ctx.facts.contradictions:
        yield _dispute_sentence(ctx, k)


def _shown_value(ctx: _Ctx, kind: str, value: str) -> str:
    """A place conflict's value names its places ("Missouri"), and two holders of one office their
    names ("Jeff Zucker"), not their identity ids ("place:missouri", "per:jeff-zucker")."""
    if kind == "role" and IDENTITY_ID.fullmatch(value):
        return ctx.name(value)
    if kind != "place":
        return value
    return _join([with_article(ctx.name(v.strip()), place=True) for v in value.split(";") if v.strip()])


IDENTITY_ID = re.compile(r"[a-z]+:[a-z0-9][a-z0-9-]*")


def _side(ctx: _Ctx, value: str, cites: list[Citation], n: int, farm: bool) -> str:
    docs = [c.document_id for c in cites]
    n = ctx.independent(docs) if docs else n
    return f"“{value}” ({_support(n, farm=farm or ctx.farm_only(docs))})"


def _dispute_sentence(ctx: _Ctx, k: Contradiction) -> BriefSentence | None:
    shown_a, shown_b = _shown_value(ctx, k.kind, k.value_a), _shown_value(ctx, k.kind, k.value_b)
    if IDENTITY_ID.fullmatch(shown_a) or IDENTITY_ID.fullmatch(shown_b):
        return None  # a holder with no name to show
    a = _side(ctx, shown_a, k.side_a, k.sources_a, k.farm_a)
    b = _side(ctx, shown_b, k.side_b, k.sources_b, k.farm_b)
    subject = ctx.name(k.subject)
    subject = "" if ":" in subject and subject == k.subject else subject  # an id with no display name
    what = f"the role of {subject}" if k.kind == "role" and subject else \
        f"{subject} — {k.topic}" if subject else k.topic
    texts = [f"Sources disagree on {what}: {a} against {b}.", f"Sources disagree on {k.topic}: {a} against {b}."]
    must = _by_origin(ctx, k.side_a)[:2] + _by_origin(ctx, k.side_b)[:2]
    return ctx.sentence("disputed", texts, list(k.side_a) + list(k.side_b), must)


# -- positions ---------------------------------------------------------------------------------


def _positions(ctx: _Ctx) -> Iterable[BriefSentence | None]:
    by_actor: dict[str, list[Position]] = defaultdict(list)
    for p in ctx.facts.positions:
        by_actor[p.identity].append(p)
    order = {a.identity: i for i, a in enumerate(ctx.facts.actors)}
    for ident in sorted(by_actor, key=lambda i: (order.get(i, len(order)), i))[: ctx.lim.max_actors]:
        yield _position_sentence(ctx, ident, sorted(by_actor[ident], key=lambda p: _time_key(ctx, p)))


def _time_key(ctx: _Ctx, p: Position) -> tuple:
    """Order positions in time: a date, or an event's date shifted just before / after it; unknown last."""
    rel, _, ev = p.date_from.partition(":")
    if rel in ("before", "after") and ev in ctx.events:
        day = ctx.events[ev].date[:10] or p.date[:10]
        return (0 if day else 1, day, -1 if rel == "before" else 1, p.claim_id)
    return (0 if p.date else 2, p.date[:10], 0, p.claim_id)


def _when_held(ctx: _Ctx, p: Position) -> str:
    rel, _, ev = p.date_from.partition(":")
    if rel in ("before", "after") and ev in ctx.events:
        trigger, _ = event_parts(ctx.events[ev])
        return f"{rel} the {trigger}"
    return when(p.date[:10]) if re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", p.date) else ""


def _article(issue: str) -> str:
    if issue[:1].isupper():
        return with_article(issue)  # an actor: "Paul Ryan", "the United States"
    if any(w[:1].isupper() for w in issue.split()):
        return issue  # what is to be done to an actor: "banning Corvin Freight"
    if issue.endswith("s") or issue.split()[0] in ("the", "a", "an", "no"):
        return issue
    return ("an " if issue[:1] in "aeiou" else "a ") + issue


MAX_ISSUES = 2  # issues per actor in the briefing: those with a change of stance, then the best attested


def _top_issues(ps: list[Position]) -> list[str]:
    by: dict[str, list[Position]] = defaultdict(list)
    for p in ps:
        by[p.issue].append(p)

    def rank(issue: str) -> tuple:
        qs = by[issue]
        return (not _changed(qs), -len({q.citation.document_id for q in qs}), -len(qs), -len(issue.split()), issue)

    return sorted(by, key=rank)[:MAX_ISSUES]


def _position_sentence(ctx: _Ctx, ident: str, ps: list[Position]) -> BriefSentence | None:
    """One sentence per actor: its stances on its main issues in time order, one clause per
    (moment, issue, stance) however many documents report it, citing them all."""
    name = ctx.name(ident)
    ps = [p for p in ps if ctx.valid(p.citation)]
    issues = _top_issues(ps)
    clauses: dict[tuple[str, str, str], list[Position]] = {}
    for p in ps:
        if p.issue in issues:
            clauses.setdefault((_when_held(ctx, p), p.issue, p.stance), []).append(p)
    if not clauses:
        return None
    parts, prev = [], ""
    for (held, issue, stance), same in list(clauses.items())[:4]:
        p = same[0]
        shown = "after it" if held == _flip(prev) and held.startswith("after ") else held
        verb = STANCE_VERB.get(stance, "spoke of")
        reported = "reportedly " if all(q.reported for q in same) else ""
        quote = _quote(p.text, ctx.lim.quote_chars // 2)
        lead = f"{shown}, " if held and held != prev else ""
        parts.append(f"{lead}{name} {reported}{verb} {_article(issue)} ({quote})")
        prev = held
    shown_ps = [q for key in list(clauses)[:4] for q in clauses[key]]
    text = "; ".join(parts)
    text = text[0].upper() + text[1:] + (f" — a change in {name}'s position." if _changed(shown_ps) else ".")
    return ctx.sentence("positions", [text], [], [q.citation for q in shown_ps])


def _flip(held: str) -> str:
    """"before the talks" -> "after the talks" (the moment after the one just named)."""
    return "after " + held[len("before "):] if held.startswith("before ") else ""


def _changed(ps: list[Position]) -> bool:
    """A stance that differs from an earlier one on the same issue, or a stated shift."""
    seen: dict[str, str] = {}
    for p in ps:
        if p.stance == "shifts" or seen.get(p.issue, p.stance) != p.stance:
            return True
        seen[p.issue] = p.stance
    return False


# -- sources -----------------------------------------------------------------------------------


def _sources_section(ctx: _Ctx) -> Iterable[BriefSentence | None]:
    docs = ctx.facts.documents
    groups: dict[str, list[str]] = defaultdict(list)
    for d in sorted(docs):
        groups[ctx.origin(d)].append(d)
    leads = {d: _lead(ctx, d) for d in docs}
    origin_cites = [leads[_origin_doc(ctx, ds) or ds[0]] for ds in groups.values()]
    yield ctx.sentence("sources", [_rests_on(len(docs), len(groups))], [], origin_cites)
    for ds in groups.values():
        if len(ds) > 1:
            yield _copies_sentence(ctx, ds, leads)
    for kind, pick in (("spun", lambda d: d.spun), ("farm", lambda d: d.content_farm),
                       ("undated", lambda d: not d.date)):
        chosen = [i for i in sorted(docs) if pick(docs[i])]
        if chosen:
            yield _flag_sentence(ctx, kind, chosen, leads)


def _rests_on(n_docs: int, n_groups: int) -> str:
    if n_docs == 1:
        return "The story rests on a single document."
    origins = "a single origin" if n_groups == 1 else f"{n_groups} independent origins"
    return f"The story rests on {n_docs} documents from {origins}; copies and rewrites of one origin count once."


def _origin_doc(ctx: _Ctx, ds: list[str]) -> str | None:
    """The group's origin document; None when the origin is outside the pile (a wire story whose
    reprints are all that arrived)."""
    return next((d for d in ds if ctx.facts.documents[d].role in ("origin", "")), None)


OPENING_WORDS = 6


def _opening(text: str) -> str:
    """The name of a document with no publisher and no title: its opening words, quoted."""
    words = text[:_opening_end(text)].split()
    if not words:
        return ""
    cut = " ".join(words[:OPENING_WORDS]).rstrip(",;:.!?")
    return f"“{cut}…”" if len(words) > OPENING_WORDS else f"“{cut}”"


def _opening_end(text: str) -> int:
    """The end of a text's first sentence (or line)."""
    line = text.find("\n", 1)
    line = line if line > 0 else len(text)
    stop = text.find(". ", 0, line)
    return stop + 1 if stop > 0 else line


def _lead(ctx: _Ctx, doc_id: str) -> Citation:
    """A span that stands for a document: its opening sentence when that is its name (no publisher,
    no title), else its first claim, else a timeline sentence or a position it supports, else its
    first line."""
    info = ctx.facts.documents.get(doc_id)
    text = ctx.facts.texts.get(doc_id, "")
    if info is not None and not info.source and not info.title and text.strip():
        return Citation(doc_id, 0, _opening_end(text))
    spans = sorted((c.start, c.end) for _, cs in ctx.facts.groups for c in cs if c.document_id == doc_id)
    spans += sorted((c.start, c.end) for e in ctx.facts.timeline for c in e.citations if c.document_id == doc_id)
    spans += [(p.citation.start, p.citation.end) for p in ctx.facts.positions if p.citation.document_id == doc_id]
    for s, e in spans:
        if ctx.valid(Citation(doc_id, s, e)):
            return Citation(doc_id, s, e)
    end = text.find("\n", 1)
    return Citation(doc_id, 0, end if end > 0 else len(text))


def _copies_sentence(ctx: _Ctx, ds: list[str], leads: dict[str, Citation]) -> BriefSentence | None:
    origin = _origin_doc(ctx, ds)
    others = [d for d in ds if d != origin]
    parts = [f"{ctx.label(d)} ({(ctx.facts.documents[d].role or 'copy').replace('_', ' ')})" for d in others]
    one = len(others) == 1
    if origin is None:
        wire = ctx.origin(ds[0]).split(":")
        # "a single", not "one": the citation check reads "one" as a number the spans must state
        stories = ([f"a single {wire[1].upper()} wire story", "a single wire story"]
                   if len(wire) > 2 and wire[0] == "wire" else ["a single origin"])
        texts = [f"{_join(parts)} are copies of {story} and count as a single source." for story in stories]
        return ctx.sentence("sources", texts, [], [leads[d] for d in others])
    text = (f"{_join(parts)} {'derives' if one else 'derive'} from {ctx.label(origin)} and "
            f"{'counts' if one else 'count'} with it as one source.")
    return ctx.sentence("sources", [text], [], [leads[origin]] + [leads[d] for d in others])


FLAG_TEXT = {
    "spun": "The word-spun documents (synonyms swapped in; read here with the substitutions undone): {}.",
    "farm": "Flagged as content-farm pages: {}.",
    "undated": "Undated: {}.",
}


def _flag_sentence(ctx: _Ctx, kind: str, ds: list[str], leads: dict[str, Citation]) -> BriefSentence | None:
    items = []
    for d in ds:
        info = ctx.facts.documents[d]
        where = ""
        if kind == "undated" and info.placement in ("before", "after") and info.event in ctx.events:
            where = f" (placed {info.placement} the {event_parts(ctx.events[info.event])[0]})"
        items.append(ctx.label(d) + where)
    return ctx.sentence("sources", [FLAG_TEXT[kind].format(_join(items))], [], [leads[d] for d in ds])


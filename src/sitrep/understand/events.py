"""Events: who met whom, where, when, for how long — and whether it has happened yet.

Computes, for each document, :class:`~sitrep.model.Event` records from the
spaCy parse and what earlier components found (``ann.mentions``,
``ann.times``).  The method is the trigger-and-arguments scheme of event
extraction as defined for news in ACE 2005 (Doddington et al. 2004, "The
Automatic Content Extraction program", LREC) and applied with dependency
rules in the manner of Aone & Ramos-Santacruz 2000 ("REES: a large-scale
relation and event extraction system", ANLP):

* a **trigger** is a verb or a noun from a lemma list, each lemma mapped to an
  event class ("meet", "meeting", "summit", "talks" → ``meet``; "invade",
  "invasion" → ``invade``); a noun governed by a trigger of the same class
  ("meet ... in a summit") is the same event and is skipped; a vote is an
  event only when a body holds it (a council, a chamber, a state, "senators",
  "voters" vote; "a vote on the bill", "the Senate vote"), not one person's
  ballot, a bloc ("the black vote") or a tally ("13 million votes");
* its **clause** is the verb's subtree without embedded clauses (for a noun:
  its own subtree, plus the clause of the verb it is an argument of);
* **actors** are person, organisation, nation and group mentions in argument
  positions of that clause (subject, object, "with"/"between" objects,
  possessor, compound modifier of the trigger), not nationalities inside a
  person's title ("Russian President ...");
* for the classes with a direction (invade, attack, invite, impose, elect ...),
  the **agents** and **patients** among the actors: the grammatical function
  of an argument mapped to its semantic role, as PropBank and NomBank do for
  verbs and event nouns (Palmer, Gildea & Kingsbury 2005, "The Proposition
  Bank", Computational Linguistics 31(1); Meyers et al. 2004, "The NomBank
  project", HLT-NAACL workshop): the subject of an active verb, a "by"
  object and the possessor of the noun act ("Russia's invasion of Ukraine",
  "an attack by X"); the object of a verb, the subject of a passive one and
  the "of"/"on"/"against"/"to" object of a noun undergo it ("sanctions on
  Russia", "invitation to Putin", "X was elected"), and so does the
  possessor of an election, arrest, release or killing without an "of"
  object ("Trump's election", "Navalny's arrest"); the subject of a support
  verb acts the noun it takes ("launched an invasion"), that of "suffer" or
  "win" undergoes it.  An actor in none of these positions keeps no role;
* the **place** is the first place mention reached from the trigger or its
  verb through "in"/"at"/"near" (following "at a base in Anchorage"), or a
  place compound ("the Alaska summit");
* the **date** is the closest date or interval in the clause (not one
  introduced by "since", "until", "before" ..., which bound it rather than
  date it; a relative clause "the summer of 2021, when ... met" takes its
  antecedent); in a document without a date, the attached expression's
  relative code (``rel:WD5N``, see :mod:`sitrep.understand.timex`) stands in
  for the value, so the timeline can still use it;
* the **tense** comes from the verb group (:func:`~sitrep.understand.timex.clause_tense`),
  for nouns from their modifiers ("recent", "upcoming") or the verb they are an
  argument of, and from the attached date when grammar is silent;
* the **duration** is a duration expression in the clause, or a verbless
  fragment just before the sentence ("Three hours. That's how long ..."), kept
  only for a class whose events last (:data:`LONGEST`: a meeting, a call, a
  visit, talks, a truce, a halt) and only up to that class's bound, and never a
  count of hours beyond three days: news gives the span of one event in
  minutes, hours or days, so "333 hours" or "for 18 years" in the clause of a
  meeting is a total or the span of something else;
* the **status** says whether the text asserts that the event happened, denies
  it ("no ceasefire", "failed to agree", "without a deal") or only wants,
  conditions or questions it ("calls for talks", "could meet", "any deal"): see
  :func:`_status`.
"""

from __future__ import annotations

import re

from sitrep.model import Event
from sitrep.understand.timex import anchor_date, clause_tense, code_bounds, is_relative_code

VERB_CLASSES = {
    "meet": "meet", "negotiate": "negotiate", "visit": "visit", "travel": "visit", "fly": "visit",
    "arrive": "visit", "phone": "call", "sign": "sign", "agree": "agree", "announce": "announce",
    "declare": "announce", "attack": "attack", "strike": "attack", "bomb": "attack", "shell": "attack",
    "invade": "invade", "annex": "invade", "impose": "impose", "sanction": "impose", "elect": "elect",
    "inaugurate": "elect", "withdraw": "withdraw", "halt": "halt", "suspend": "halt", "resign": "resign",
    "arrest": "arrest", "launch": "launch", "invite": "invite", "threaten": "threaten", "kill": "kill",
    "release": "release", "vote": "vote", "host": "meet", "win": "win", "defeat": "win", "beat": "win",
}
NOUN_CLASSES = {
    "meeting": "meet", "summit": "meet", "talk": "meet", "sit-down": "meet", "encounter": "meet",
    "gathering": "meet", "conference": "meet", "negotiation": "negotiate", "visit": "visit", "trip": "visit",
    "call": "call", "agreement": "agree", "deal": "agree", "accord": "agree", "treaty": "sign",
    "signing": "sign", "announcement": "announce", "attack": "attack", "strike": "attack",
    "airstrike": "attack", "offensive": "attack", "assault": "attack", "bombing": "attack", "raid": "attack",
    "invasion": "invade", "annexation": "invade", "ceasefire": "ceasefire", "truce": "ceasefire",
    "armistice": "ceasefire", "election": "elect", "inauguration": "elect", "withdrawal": "withdraw",
    "resignation": "resign", "arrest": "arrest", "invitation": "invite", "ultimatum": "threaten",
    "vote": "vote", "referendum": "vote", "victory": "win", "win": "win", "triumph": "win",
}
# What "impose" imposes when it is the sanctions event (the briefing calls it "sanctions").
IMPOSED = {"sanction", "tariff", "embargo", "ban", "restriction", "blockade", "curfew", "duty", "levy", "measure"}
# Nouns that are events only in the plural ("talks", not "a talk show").
PLURAL_ONLY = {"talk", "negotiation"}
# Classes whose participants stand in a direction: someone acts (agent) on someone (patient).
DIRECTED = {"invade", "attack", "invite", "impose", "threaten", "arrest", "kill", "release", "elect", "withdraw",
            "launch", "halt", "resign", "win"}
# ... and of those, the ones whose noun's possessor undergoes the event ("Trump's election", "Navalny's
# arrest") unless an "of" object names the patient ("Hamas's release of the hostages").
UNDERGONE = {"elect", "arrest", "release", "kill"}
# What introduces the patient of an event noun ("invasion of Ukraine", "sanctions on Russia", "invitation to
# Putin") and of a verb or its object ("imposed sanctions on Russia"; a verb's "to" says where: "invited X to Y").
NOUN_TARGET_PREPS = {"of", "on", "upon", "against", "to", "into"}
VERB_TARGET_PREPS = {"on", "upon", "against"}
# A victory is over or against the loser ("victory over Cruz"), for the winner ("a big win for Trump"); its "of"
# object is the contest ("the win of the night").
WIN_TARGET_PREPS = {"over", "against"}
WIN_AGENT_PREPS = {"for"}
# Words that make a sentence's win a poll's, not a result's ("beats Trump in head-to-head polls").
POLL_WORDS = {"poll", "polling", "survey", "matchup", "match-up", "head-to-head", "hypothetical", "projection",
              "forecast", "odds"}
# What a winner wins when the win is a victory: a contest, or a place (a GPE object, "won Texas", is where);
# "won the support of", "won praise" and "won over voters" are no victory.
CONTESTS = {"primary", "primaries", "caucus", "caucuses", "race", "contest", "nomination", "runoff", "debate",
            "state", "states", "seat", "majority", "straw", "poll", "round", "battle", "showdown", "title", "match"}
# Verbs whose subject acts the event noun they take ("launched an invasion", "extended an invitation") and
# verbs whose subject undergoes it ("suffered an attack", "won the election").
SUPPORT_VERBS = {"launch", "carry", "conduct", "mount", "stage", "wage", "order", "make", "issue", "extend", "send",
                 "impose", "announce", "begin", "start", "continue", "unleash", "step", "lead", "commit", "deliver",
                 "escalate", "intensify", "complete", "finish"}
WIN_SUPPORT_VERBS = {"score", "claim", "notch", "secure", "clinch", "win", "earn", "post", "record", "celebrate",
                     "eke", "pull", "tout", "savor", "savour"}
UNDERGO_VERBS = {"suffer", "face", "endure", "undergo", "withstand", "survive", "repel", "repulse", "win", "accept",
                 "receive", "decline", "reject"}

# The longest an event of a class can last, in days; other classes take no duration (an election
# "for four years" gives the term, an agreement "for 30 minutes" the time it took to tell).
LONGEST = {"meet": 7, "call": 1, "visit": 31, "negotiate": 5 * 365, "ceasefire": 5 * 365, "halt": 5 * 365}
MAX_HOURS = 72
# Who can hold a vote (see _body_votes): bodies, and the plural of their members.
VOTING_BODIES = {"council", "committee", "panel", "house", "senate", "congress", "parliament", "assembly", "board",
                 "court", "jury", "legislature", "electorate", "union", "party", "caucus", "chamber", "commission",
                 "cabinet", "government", "convention", "state", "country", "nation", "city", "county", "majority",
                 "subcommittee", "bloc", "membership", "public"}
VOTING_MEMBERS = {"lawmaker", "legislator", "senator", "representative", "delegate", "superdelegate", "member",
                  "voter", "republican", "democrat", "shareholder", "stockholder", "resident", "citizen", "elector"}
# "a roll call vote", "a cloture vote": kinds of votes a body holds
VOTE_KINDS = {"roll", "call", "floor", "procedural", "cloture", "confirmation", "confidence", "impeachment",
              "party-line", "recorded", "voice", "final", "unanimous", "test", "committee"}
# what a ballot is cast for ("vote for the candidate", "vote for the first time"): not a measure
BALLOT_WORDS = {"candidate", "nominee", "party", "president", "time", "ticket", "challenger", "incumbent", "him", "her"}
# "the black vote", "the popular vote": a bloc of voters or a tally, not a vote held
VOTE_BLOCS = {"black", "white", "latino", "hispanic", "youth", "young", "women", "female", "male", "evangelical",
              "popular", "electoral", "labor", "catholic", "jewish", "muslim", "suburban", "rural", "urban",
              "independent", "conservative", "liberal", "early", "absentee", "mail", "swing", "protest", "minority",
              "african", "asian", "senior", "millennial", "working-class", "men"}
# Modifiers of an attack made in words, not arms.
VERBAL_ATTACK = {"verbal", "personal", "political", "rhetorical", "xenophobic", "racist", "sexist", "partisan",
                 "negative", "nasty", "scathing", "blistering", "harsh", "vicious", "withering", "ad", "hominem",
                 "bigoted", "misogynistic", "demagogic"}
ACTOR_LABELS = {"PERSON", "ORG", "GPE", "NORP"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
PLACE_PREPS = {"in", "at", "near", "outside", "inside", "on"}
MOTION_CLASSES = {"visit"}  # "travelled to Moscow": "to" gives the place, and so does "visited Moscow"
ACTOR_PREPS = {"with", "between", "by", "among", "of", "against", "and"}
BOUND_PREPS = {"since", "until", "till", "before", "after", "by", "from", "prior", "ahead", "through", "to"}
# "after the summit, X did Y": the summit is a time frame for Y, not Y's event.
TEMPORAL_PREPS = {"after", "before", "since", "following", "during", "until", "till", "prior", "ahead", "amid",
                  "throughout", "despite"}
NESTED = {"ccomp", "advcl", "relcl", "parataxis", "csubj", "acl", "conj"}
ARG_DEPS = {"nsubj", "nsubjpass", "dobj", "iobj", "attr", "oprd", "agent", "poss", "dative"}
# Heads that make a country or nationality part of someone's title rather than an actor.
TITLE_NOUNS = {"president", "minister", "leader", "chief", "ambassador", "secretary", "official", "envoy",
               "spokesman", "spokeswoman", "spokesperson", "general", "king", "queen", "chancellor", "premier",
               "diplomat", "counterpart", "negotiator", "delegation", "representative", "senator", "governor",
               "commander", "head", "foreign", "prime", "specialist", "officials", "intelligence"}
PAST_MODIFIERS = {"recent", "previous", "last", "past", "former", "earlier", "latest", "historic"}
FUTURE_MODIFIERS = {"upcoming", "forthcoming", "planned", "proposed", "next", "coming", "scheduled",
                    "expected", "future", "impending", "anticipated"}


def trigger_class(tok) -> str:
    """The event class of spaCy token ``tok``, or '' when it is not a trigger."""
    lemma = tok.lemma_.lower()
    if tok.pos_ == "VERB":
        if lemma == "talk":
            return ""
        if lemma == "agree" and any(c.dep_ in ("ccomp", "xcomp") for c in tok.children):
            return ""  # "agreed that ...", "agreed to adopt ...": an opinion or a consent, not an agreement
        if lemma == "impose" and any(c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() not in IMPOSED
                                     for c in tok.children):
            return ""  # "imposed a 52-month sentence", "imposed a fine": not sanctions
        if VERB_CLASSES.get(lemma) == "win" and not _victory(tok, lemma):
            return ""
        if lemma == "vote" and not _body_votes(tok):
            return ""
        return VERB_CLASSES.get(lemma, "")
    if tok.pos_ in ("NOUN", "PROPN") and lemma in NOUN_CLASSES:
        if lemma in PLURAL_ONLY and tok.tag_ != "NNS":
            return ""
        if lemma == "deal" and any(c.lower_ in ("great", "good") for c in tok.children):
            return ""
        if lemma == "vote" and not _vote_held(tok):
            return ""
        if NOUN_CLASSES[lemma] == "attack" and _verbal(tok):
            return ""
        return NOUN_CLASSES[lemma]
    return ""


def _verbal(noun) -> bool:
    """An attack in words: "xenophobic attacks on Muslims", "his personal attacks", "an attack ad"."""
    return any(c.dep_ == "amod" and c.lower_ in VERBAL_ATTACK for c in noun.children) or \
        (noun.dep_ == "compound" and noun.head.lemma_.lower() in ("ad", "advert", "advertisement", "line", "dog"))


def _body_votes(verb) -> bool:
    """A vote event is a body deciding: a council, a chamber, a state, "Republicans", "voters" vote;
    one person's ballot or intention ("she will vote for Trump", "registered to vote") is no event."""
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is not None and subj.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
        subj = verb.head  # "the panel, which voted ..."
    if subj is None:
        return False
    noun = subj.lemma_.lower()
    if (noun in VOTING_BODIES or (noun in VOTING_MEMBERS and subj.tag_ == "NNS")
            or subj.ent_type_ in ("ORG", "GPE") or (subj.ent_type_ == "NORP" and subj.tag_ in ("NNS", "NNPS"))):
        return True
    # one person's vote on a measure is a legislator's recorded vote ("voted against the bill", "voted to
    # confirm"); for or against a candidate or a party it is a ballot
    if any(c.dep_ == "xcomp" for c in verb.children):
        return True
    return any(c.dep_ == "prep" and c.lower_ in ("for", "against", "on") and any(
        o.dep_ == "pobj" and o.pos_ in ("NOUN", "PROPN") and not o.ent_type_ and o.lemma_.lower() not in BALLOT_WORDS
        for o in c.children) for c in verb.children)


def _vote_held(noun) -> bool:
    """A vote noun that names a vote held: "a vote on the bill", "the Senate vote", "the Brexit vote",
    "the July 25 vote"; not a count ("13 million votes"), a bloc ("the black vote"), a ballot
    ("cast a vote for him") or "get out the vote"."""
    if noun.tag_ in ("NNS", "NNPS") or noun.head.lemma_.lower() in ("cast", "get"):
        return False
    kids = list(noun.children)
    if any(c.lower_ in VOTE_BLOCS for c in kids if c.dep_ in ("amod", "compound", "nmod")):
        return False
    return any(c.dep_ == "prep" and c.lower_ in ("on", "over") for c in kids) or any(
        c.dep_ in ("compound", "nmod", "poss", "npadvmod", "amod")
        and (c.ent_type_ in ("ORG", "GPE", "NORP", "DATE", "EVENT", "LAW") or c.lemma_.lower() in VOTING_BODIES | VOTE_KINDS)
        for c in kids)


def _victory(verb, lemma: str) -> bool:
    """A win verb that tells a victory: "won Texas", "won the primary", "won in Nevada", "beat Cruz"; not
    "won praise", "won over voters", "beat expectations" (someone is beaten only when named)."""
    objs = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    if lemma != "win":
        return any(c.ent_type_ in ("PERSON", "ORG", "NORP") for c in objs)
    if any(c.dep_ == "prt" for c in verb.children):
        return False
    objs = [c for c in objs if c.dep_ == "dobj"]
    return not objs or any(c.ent_type_ == "GPE" or c.lemma_.lower() in CONTESTS for c in objs)


def _reported_victory(ev: Event, seg) -> bool:
    """A victory told as won, by someone named, where or when, outside a poll: campaign news is full of
    forecasts ("could win Oregon"), hopes ("a win in Iowa would ...") and poll match-ups ("Sanders beats
    Trump by 5 points"), which are not results; and "the contests Sanders has won" is no one victory
    (the timeline would gather every win of his into one)."""
    if ev.status or ev.tense == "future" or not (ev.agents or ev.patients) or not (ev.place or ev.date):
        return False
    return not any(t.lemma_.lower() in POLL_WORDS for t in seg)


class _Doc:
    """Token-level indexes of one document's mentions and times."""

    def __init__(self, sdoc, ann):
        self.sdoc, self.ann = sdoc, ann
        self.text = sdoc.text  # Doc.text rebuilds the string on every access
        self.mention_at = self._index(ann.mentions)
        self.time_at = self._index(ann.times)
        self.anchor = anchor_date(ann.published)

    def _index(self, items) -> dict[int, int]:
        at: dict[int, int] = {}
        for k, it in enumerate(items):
            span = self.sdoc.char_span(it.start, it.end, alignment_mode="expand")
            for t in span or ():
                at.setdefault(t.i, k)
        return at


def find_events(sdoc, ann, doc=None) -> None:
    """Per-document component: fill ``ann.events`` (reads ``ann.mentions`` and ``ann.times``)."""
    d = _Doc(sdoc, ann)
    doc_id = doc.id if doc is not None else ann.document_id
    events, prev = [], None
    for seg in segments(sdoc):
        fragment = _fragment_duration(d, prev)
        for tok in seg:
            cls = trigger_class(tok)
            if cls and not _governed_by_same(tok, cls):
                ev = _event(d, doc_id, tok, cls, seg)
                if cls == "win" and not _reported_victory(ev, seg):
                    continue
                if fragment and not ev.duration and ev.actors and lasts(cls, fragment):
                    ev.duration, fragment = fragment, ""  # the fragment measures the segment's main event only
                events.append(ev)
        prev = seg
    ann.events = events


def segments(sdoc):
    """spaCy's sentences cut at line breaks: a headline glued to the first sentence is its own segment."""
    text = sdoc.text
    for sent in sdoc.sents:
        start = sent.start_char
        while start < sent.end_char:
            nl = text.find("\n", start, sent.end_char)
            end = sent.end_char if nl < 0 else nl
            seg = sdoc.char_span(start, end, alignment_mode="contract") if text[start:end].strip() else None
            if seg is not None and len(seg):
                yield seg
            start = end + 1 if nl >= 0 else sent.end_char


def _governed_by_same(tok, cls: str) -> bool:
    """A noun inside the clause of a verb trigger of its own class: 'meet ... in a summit'."""
    if tok.pos_ == "VERB":
        return False
    h = tok
    for _ in range(3):
        if h.head == h or (h != tok and h.dep_ in NESTED):
            return False
        if h.dep_ == "prep" and h.lower_ in TEMPORAL_PREPS:  # "met ... after the summit": another event
            return False
        h = h.head
        if h.pos_ == "VERB" and trigger_class(h) == cls:
            return True
    return False


def _event(d: _Doc, doc_id: str, tok, cls: str, sent) -> Event:
    verb = tok if tok.pos_ == "VERB" else _governing_verb(tok)
    clause = _clause(tok, verb, sent)
    place, place_toks = _place(d, tok, verb, cls)
    ev = Event(document_id=doc_id, trigger=tok.lemma_.lower(), start=sent.start_char, end=sent.end_char)
    ev.place = place
    ev.actors, ev.agents, ev.patients = _actors(d, tok, clause, place_toks, cls)
    ev.date = _date(d, tok, clause)
    ev.tense = _tense(d, tok, ev.date)
    found = _duration(d, tok, clause)
    ev.duration = found if lasts(cls, found) else ""
    ev.status = _status(tok, sent)
    return ev


# -- clause ------------------------------------------------------------------------


def _governing_verb(tok):
    """The verb a noun is an argument of, directly or through one preposition; None when deeper."""
    h = tok.head
    if tok.dep_ in ARG_DEPS and h.pos_ in ("VERB", "AUX"):
        return h
    if tok.dep_ == "pobj" and h.dep_ == "prep" and h.head.pos_ in ("VERB", "AUX") and h.lower_ not in TEMPORAL_PREPS:
        return h.head
    if tok.dep_ == "npadvmod" and h.pos_ in ("VERB", "AUX"):
        return h
    return None


def _subtree(root, frames: bool = False) -> list:
    """``root`` and its dependents, not descending into embedded clauses (nor, with ``frames``,
    into time frames of the verb: 'three days after the summit with Putin')."""
    out, todo = [], [root]
    while todo:
        t = todo.pop()
        out.append(t)
        for c in t.children:
            if c.dep_ in NESTED and c.pos_ in ("VERB", "AUX"):
                continue
            if frames and t == root and c.dep_ in ("prep", "npadvmod") and _frame(c):
                continue
            todo.append(c)
    return out


def _frame(c) -> bool:
    """A temporal frame: 'after the summit', 'three days after the summit'."""
    if c.lower_ in TEMPORAL_PREPS:
        return True
    return any(x.dep_ == "prep" and x.lower_ in TEMPORAL_PREPS for x in c.children)


def _clause(tok, verb, seg) -> set[int]:
    """Token indices of the trigger's clause, within its segment (a byline line is not part of it)."""
    toks = set(t.i for t in _subtree(tok, frames=tok == verb))
    if verb is not None:
        toks |= set(t.i for t in _subtree(verb, frames=True))
        toks |= set(t.i for t in _inherited_subject(verb))
    return {i for i in toks if seg.start <= i < seg.end}


def _inherited_subject(verb) -> list:
    """The subject of a controlling or coordinated verb ('Putin sought to meet', 'arrived and met')."""
    v = verb
    for _ in range(3):
        if any(c.dep_ in ("nsubj", "nsubjpass") for c in v.children):
            if v == verb:
                return []
            return [t for c in v.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree]
        if v.dep_ not in ("xcomp", "conj", "advcl") or v.head == v:
            return []
        v = v.head
    return []


# -- actors and place -------------------------------------------------------------------


def _mention_root(d: _Doc, k: int):
    m = d.ann.mentions[k]
    span = d.sdoc.char_span(m.start, m.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _actors(d: _Doc, trigger, clause: set[int], place_toks: set[int], cls: str) -> tuple[list, list, list]:
    """(actors, agents, patients): mention keys, the last two subsets of the first (empty for an
    undirected class); a key found in both roles keeps neither."""
    keys, roles, seen, lone = [], {}, set(), []
    for i in sorted(clause):
        k = d.mention_at.get(i)
        if k is None or k in seen:
            continue
        seen.add(k)
        m = d.ann.mentions[k]
        root = _mention_root(d, k)
        if m.label not in ACTOR_LABELS or root is None or root.i in place_toks or not m.key:
            continue
        b = _attachment(root, trigger)
        if _in_title(d, k, root) or not _argument(b, trigger, cls):
            continue
        if cls == "win" and m.label == "GPE":
            continue  # "won Texas and Oklahoma": places won, not losers; "Massachusetts won" is no candidate
        if m.label == "NORP" and root.tag_ not in ("NNPS", "NNS"):
            lone.append(m.key)  # "Republican Sen. Flake", "the first Muslim mayor", "an American": a word of a person
            continue
        if cls in MOTION_CLASSES and m.label != "PERSON":
            continue  # "Iowa and Trump travelled", "visited Richmond, Virginia": a journey is made by people
        if m.key not in keys:
            keys.append(m.key)
        role = _role(b, trigger, cls)
        if role:
            roles[m.key] = role if roles.get(m.key, role) == role else "both"
    if not keys:  # "did not need to meet with a Mexican": an unnamed person still keeps the event apart from others
        keys = list(dict.fromkeys(lone))
    return keys, [k for k in keys if roles.get(k) == "agent"], [k for k in keys if roles.get(k) == "patient"]


def _in_title(d: _Doc, k: int, root) -> bool:
    """A nationality or country inside a title: 'Russian President Vladimir Putin', 'a U.S. envoy'."""
    if d.ann.mentions[k].label == "PERSON":
        return False
    h = root
    for _ in range(4):
        if h.dep_ not in ("amod", "compound", "nmod") or h.head == h:
            return False
        h = h.head
        j = d.mention_at.get(h.i)
        if (j is not None and j != k and d.ann.mentions[j].label == "PERSON") or h.lemma_.lower() in TITLE_NOUNS:
            return True
    return False


def _attachment(root, trigger):
    """The token that attaches a mention to the clause: up from its root through coordination and the
    rest of a name, not into a common noun."""
    b = root
    for _ in range(6):
        if b.head == trigger or b.head == b:
            break
        if b.dep_ in ("conj", "appos", "flat") or (b.dep_ in ("compound", "nmod", "amod") and b.head.pos_ == "PROPN"):
            b = b.head
        else:
            break
    return b


def _argument(b, trigger, cls: str) -> bool:
    """True when a mention attached by ``b`` stands in an argument position of the trigger's clause."""
    if b.dep_ in ARG_DEPS:
        return True
    if b.dep_ == "pobj":
        # "travelled to Moscow for a meeting with Putin": Putin is the meeting's, not the journey's
        owner = b.head.head
        if b.head.lower_ in ACTOR_PREPS and (owner == trigger or not trigger_class(owner)):
            return True
        return (cls == "win" and _winner_for(b, trigger)) or (cls in DIRECTED and _target(b, trigger, cls))
    return b.dep_ in ("compound", "nmod", "amod") and b.head == trigger


def _target(b, trigger, cls: str) -> bool:
    """The object of 'invasion of X', 'sanctions on X', 'victory over X' (on the trigger, or on a verb
    trigger's object)."""
    if b.dep_ != "pobj":
        return False
    prep, owner = b.head, b.head.head
    if trigger.pos_ == "VERB":
        # "launched an attack on X": X is the attack's patient, told by the attack's own event
        of_object = owner.dep_ == "dobj" and owner.head == trigger and not trigger_class(owner)
        return prep.lower_ in VERB_TARGET_PREPS and (owner == trigger or of_object)
    return prep.lower_ in (WIN_TARGET_PREPS if cls == "win" else NOUN_TARGET_PREPS) and owner == trigger


def _winner_for(b, trigger) -> bool:
    """The object of 'a win for X' (``b`` is its pobj)."""
    return b.dep_ == "pobj" and b.head.lower_ in WIN_AGENT_PREPS and b.head.head == trigger


def _role(b, trigger, cls: str) -> str:
    """'agent', 'patient' or '' for the argument attached by ``b`` to a trigger of class ``cls``."""
    if cls not in DIRECTED:
        return ""
    if _target(b, trigger, cls):
        return "patient"
    if cls == "win" and _winner_for(b, trigger):
        return "agent"
    if b.dep_ == "pobj" and b.head.lower_ == "by":
        verb = _governing_verb(trigger) if trigger.pos_ != "VERB" else None
        by_support = verb is not None and b.head.head == verb and verb.lemma_.lower() in SUPPORT_VERBS
        return "agent" if b.head.head == trigger or by_support else ""
    if trigger.pos_ == "VERB":
        return _verb_role(b, trigger)
    return _noun_role(b, trigger, cls)


def _verb_role(b, verb) -> str:
    """The subject of an active verb acts; its object and the subject of a passive undergo.  A subject
    inherited from a controlling verb ('Putin sought to invade', 'hoped to be elected') counts too."""
    if b.dep_ in ("dobj", "dative", "iobj") and b.head == verb:
        return "" if verb.lemma_.lower() == "win" else "patient"  # one wins a contest or a place, beats a rival
    if b.dep_ not in ("nsubj", "nsubjpass") or not _controls(b.head, verb):
        return ""
    passive = any(c.dep_ == "auxpass" for c in verb.children) or (b.dep_ == "nsubjpass" and b.head == verb)
    return "patient" if passive else "agent"


def _controls(head, verb) -> bool:
    """``head`` is the verb itself or one whose subject it inherits (see :func:`_inherited_subject`)."""
    v = verb
    for _ in range(4):
        if v == head:
            return True
        if v.dep_ not in ("xcomp", "conj", "advcl") or v.head == v:
            return False
        v = v.head
    return False


def _noun_role(b, noun, cls: str) -> str:
    if b.dep_ == "poss" and b.head == noun:
        # "Trump's election to a second term", "Navalny's arrest on charges": still the one who undergoes it
        of_object = any(c.dep_ == "prep" and c.lower_ == "of" for c in noun.children)
        return "patient" if cls in UNDERGONE and not of_object else "agent"
    verb = _governing_verb(noun)
    if verb is None or noun.dep_ != "dobj" or b.dep_ != "nsubj" or b.head != verb:
        return ""
    lemma = verb.lemma_.lower()
    if cls == "win":
        return "agent" if lemma in SUPPORT_VERBS | WIN_SUPPORT_VERBS else ""
    return "agent" if lemma in SUPPORT_VERBS else "patient" if lemma in UNDERGO_VERBS else ""


def _place(d: _Doc, tok, verb, cls: str) -> tuple[str, set[int]]:
    """(Mention key, its tokens) of the first place reached from the trigger or its verb."""
    preps = PLACE_PREPS | ({"to"} if cls in MOTION_CLASSES else set())
    if cls in DIRECTED:
        preps = preps - VERB_TARGET_PREPS  # "sanctions on Russia", "an attack on Kyiv": whom, not where
    if cls == "win":
        preps = preps | WIN_TARGET_PREPS | WIN_AGENT_PREPS  # "victory over Kell in Ohio": the place hung on a name
    if tok.pos_ == "VERB" and (cls == "win" or cls in MOTION_CLASSES):  # "won Texas", "visited Missouri": where
        read = _won_place if cls == "win" else _place_mention
        found = next((p for c in tok.children if c.dep_ == "dobj" for p in [read(d, c)] if p), None)
        if found is not None:
            return found
    heads = [tok] + ([verb] if verb is not None else []) + _xcomp_chain(verb)
    # "met Kell in Lisbon" often comes out with "in Lisbon" hung on the object
    heads += [c for h in list(heads) if h.pos_ in ("VERB", "AUX") for c in h.children if c.dep_ == "dobj"]
    for h in heads:
        for c in h.children:
            found = _place_under(d, c, preps) if c.dep_ == "prep" and c.lower_ in preps else None
            if found is None and h == tok and c.dep_ in ("compound", "nmod"):
                found = _place_mention(d, c)
            if found is not None:
                return found
    return "", set()


def _won_place(d: _Doc, obj) -> tuple[str, set[int]] | None:
    """The place a win verb's object names: "won Texas", "won the Michigan Democratic primary" (a
    modifier before the contest), "won his home state of Vermont" (its "of" object)."""
    found = _place_mention(d, obj)
    if found is None:
        found = next((p for x in obj.lefts for t in x.subtree for p in [_place_mention(d, t)] if p), None)
    if found is None:
        found = next((_place_under(d, c, {"of", "in"}) for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"),
                     None)
    return found


def _xcomp_chain(verb) -> list:
    out, v = [], verb
    while v is not None:
        v = next((c for c in v.children if c.dep_ == "xcomp"), None)
        if v is not None:
            out.append(v)
    return out


def _place_under(d: _Doc, prep, preps) -> tuple[str, set[int]] | None:
    """Follow 'at a base in Anchorage' down pobj and nested in/at phrases to the first place."""
    for _ in range(3):
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if obj is None:
            return None
        found = _place_mention(d, obj)
        if found is not None:
            return found
        prep = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ in preps), None)
        if prep is None:
            return None
    return None


def _place_mention(d: _Doc, t) -> tuple[str, set[int]] | None:
    k = d.mention_at.get(t.i)
    if k is None:
        return None
    m = d.ann.mentions[k]
    if m.label not in PLACE_LABELS or not m.key:
        return None
    span = d.sdoc.char_span(m.start, m.end, alignment_mode="expand")
    return m.key, set(x.i for x in span or ())


# -- date, tense, duration --------------------------------------------------------------


def _date(d: _Doc, tok, clause: set[int]) -> str:
    best = None
    for i in clause:
        k = d.time_at.get(i)
        if k is None or not _dating(d, k):
            continue
        dist = abs(i - tok.i)
        if best is None or dist < best[0]:
            best = (dist, k)
    if best is None:
        k = _antecedent_time(d, tok)
        if k is None and tok.pos_ != "VERB":
            k = _adjacent_time(d, tok)
        best = (0, k) if k is not None else None
    if best is None:
        return ""
    te = d.ann.times[best[1]]
    return te.value or (te.anchor if is_relative_code(te.anchor) else "")


def _dating(d: _Doc, k: int, bounds: bool = False) -> bool:
    """A date or interval that dates the clause (not a bound: 'since 2021', 'until Friday', unless ``bounds``)."""
    te = d.ann.times[k]
    if te.kind not in ("date", "interval") or te.value.startswith("T"):
        return False
    if not te.value and not is_relative_code(te.anchor):
        return False
    if bounds:
        return True
    before = d.text[max(0, te.start - 12) : te.start].split()
    return not before or before[-1].lower() not in BOUND_PREPS


def _antecedent_time(d: _Doc, tok):
    """'the summer of 2021, when Joe Biden met ...': the relative clause's antecedent dates it."""
    v = tok if tok.pos_ == "VERB" else _governing_verb(tok)
    if v is None or v.dep_ not in ("relcl", "acl", "advcl"):
        return None
    if any(c.dep_ == "mark" and c.lower_ in TEMPORAL_PREPS | BOUND_PREPS for c in v.children):
        return None  # "Tuesday marks four weeks since Trump won Indiana": the main clause's day is not the win's
    h = v.head
    for t in [h] + list(h.subtree)[:8]:
        k = d.time_at.get(t.i)
        if k is not None and _dating(d, k, bounds=True):
            return k
    return None


def _adjacent_time(d: _Doc, tok):
    """'the invasion of Ukraine in February 2022' when the parser hung 'in February 2022' elsewhere:
    a date in a prepositional phrase right after the noun phrase."""
    j = tok.right_edge.i + 1
    if j + 1 < len(d.sdoc) and d.sdoc[j].lower_ in ("in", "on", "during") and d.sdoc[j].dep_ == "prep":
        k = d.time_at.get(j + 1)
        if k is None and d.sdoc[j + 1].lower_ == "the" and j + 2 < len(d.sdoc):
            k = d.time_at.get(j + 2)
        if k is not None and _dating(d, k):
            return k
    return None


def _tense(d: _Doc, tok, date_value: str) -> str:
    grammar = clause_tense(tok) if tok.pos_ == "VERB" else _noun_tense(tok)
    if grammar in ("past", "future"):
        return grammar
    by_date = _date_tense(d, date_value)
    return by_date or grammar


def _noun_tense(tok) -> str:
    mods = {c.lower_ for c in tok.children if c.dep_ in ("amod", "advmod", "compound")}
    if mods & PAST_MODIFIERS:
        return "past"
    if mods & FUTURE_MODIFIERS:
        return "future"
    if tok.dep_ == "pobj":
        p = tok.head.lower_
        if p in ("before", "ahead", "prior"):
            return ""
        if p == "since":
            return "past"
        if p in TEMPORAL_PREPS:
            return clause_tense(tok.head)
    if _governing_verb(tok) is None:
        return ""
    return clause_tense(tok)


def _date_tense(d: _Doc, value: str) -> str:
    if is_relative_code(value):
        lo, hi = code_bounds(value)
        return "future" if lo > 0 else "past" if hi < 0 else ""
    if not value or d.anchor is None:
        return ""
    first, last = _value_range(value)
    if first is None:
        return ""
    a = d.anchor.isoformat()
    return "future" if first > a else "past" if last < a else "present"


def _value_range(value: str) -> tuple[str | None, str | None]:
    """First and last ISO day prefix-comparable strings of a date or interval value."""
    if "W" in value or "T" in value:
        return None, None
    a, _, b = value.partition("/")
    b = b or a
    return a, b + "~"  # "~" sorts after digits and "-": "2025-08~" ends after every August day


def _duration(d: _Doc, tok, clause: set[int]) -> str:
    if tok.dep_ == "pobj" and tok.head.lower_ == "of":  # "three hours of talks"
        k = d.time_at.get(tok.head.head.i)
        if k is not None and _measures(d, d.ann.times[k]):
            return d.ann.times[k].value
    for i in sorted(clause, key=lambda i: abs(i - tok.i)):
        k = d.time_at.get(i)
        if k is not None and _measures(d, d.ann.times[k]):
            return d.ann.times[k].value
    return ""


_UNIT_DAYS = {"Y": 365, "M": 30, "W": 7, "D": 1}
_TIME_UNIT_DAYS = {"H": 1 / 24, "M": 1 / 1440, "S": 1 / 86400}


def lasts(cls: str, value: str) -> bool:
    """Whether an event of class ``cls`` can last ``value`` (an ISO 8601 duration; "X" for a vague
    count, as in "for days", counts one unit): see :data:`LONGEST` and :data:`MAX_HOURS`."""
    if not value or cls not in LONGEST:
        return False
    days, in_time = 0.0, False
    for number, unit in re.findall(r"([\dX.]*)([YMWDTHS])", value.removeprefix("P")):
        if unit == "T":
            in_time = True
            continue
        n = 1.0 if number in ("", "X") else float(number)
        if unit == "H" and n > MAX_HOURS:
            return False
        days += n * (_TIME_UNIT_DAYS if in_time else _UNIT_DAYS)[unit]
    return 0 < days <= LONGEST[cls]


def _measures(d: _Doc, te) -> bool:
    """A duration that can measure an event: not a frame ('the first in ten years', 'within a week')
    nor an offset ('a week before the summit', 'two days later')."""
    if te.kind != "duration" or te.text.lower().startswith(("in ", "within ")):
        return False
    text = d.text
    before = text[max(0, te.start - 10) : te.start].split()
    after = text[te.end : te.end + 10].split()
    if before and before[-1].lower() in ("in", "within"):
        return False
    return not (after and after[0].lower().strip(",.") in ("before", "after", "earlier", "later", "ago", "since"))


def _fragment_duration(d: _Doc, prev) -> str:
    """The duration of a verbless fragment ("Three hours.") that the next sentence explains."""
    if prev is None or len(prev) > 5 or any(t.pos_ in ("VERB", "AUX") for t in prev):
        return ""
    for t in prev:
        k = d.time_at.get(t.i)
        if k is not None and _measures(d, d.ann.times[k]):
            return d.ann.times[k].value
    return ""


def event_class(trigger: str) -> str:
    """The class of an Event's trigger lemma ('' when it is not one of ours)."""
    return NOUN_CLASSES.get(trigger) or VERB_CLASSES.get(trigger, "")


# -- status: did it happen, or is it only denied or wished for ------------------------------------
#
# Event factuality read off the dependency path from the trigger to the clause that governs it, after
# Saurí & Pustejovsky 2012 ("Are you sure that this happened? Assessing the factuality degree of
# events in text", Computational Linguistics 38(2)): a marker on the path — a negative determiner or
# particle, "without", a verb of failure or refusal, a modal, a verb or noun of wanting, a condition,
# a question — puts the event in its scope.  The path climbs through nouns, prepositions, objects and
# non-finite complements, not into another finite clause (a subject's verb scopes over it only when
# the verb merely says that it happens: "no agreement was reached", "the talks did not take place").

NEG_DETS = {"no", "neither", "nor"}
NEG_PREPS = {"without", "barring", "minus"}
NEG_VERBS = {"fail", "refuse", "decline", "reject", "deny", "avoid", "abandon", "scrap", "cancel", "postpone",
             "shelve", "veto", "block", "prevent", "forgo", "forego", "halt"}
NEG_PARTICLE_VERBS = {("rule", "out"), ("call", "off"), ("back", "out"), ("walk", "away")}
NEG_NOUNS = {"lack", "absence", "failure", "refusal", "rejection", "cancellation", "postponement", "denial"}
HYPO_VERBS = {"want", "wish", "hope", "seek", "aim", "try", "attempt", "strive", "urge", "demand", "call", "push",
              "press", "plead", "advocate", "propose", "suggest", "consider", "discuss", "favour", "favor",
              "support", "back", "endorse", "oppose", "resist", "require", "need", "insist", "prioritize",
              "prioritise", "threaten", "offer", "promise", "pledge", "vow", "intend", "explore", "envisage",
              "envision", "imagine", "contemplate", "float", "weigh", "raise", "request", "ask", "plan"}
INTENT_VERBS = {"plan", "intend"}  # said in the present, an intention dates a coming event
HYPO_NOUNS = {"request", "call", "demand", "push", "plea", "bid", "hope", "goal", "aim", "prospect", "chance",
              "possibility", "attempt", "effort", "desire", "need", "prerequisite", "condition", "stance",
              "position", "view", "proposal", "idea", "question", "risk", "fear", "offer", "insistence",
              "pressure", "path", "likelihood", "odds", "ultimatum", "threat", "talk", "prospects", "promise",
              "pledge", "plan", "deadline"}
GOAL_NOUNS = HYPO_NOUNS | {"way", "priority", "objective", "task", "solution", "answer", "option", "choice"}
HYPO_ADJ = {"possible", "potential", "eventual", "hypothetical", "prospective", "putative", "likely", "unlikely",
            "conceivable", "desired"}
HYPO_DETS = {"any", "whatever", "whichever"}
CONDITION_MARKS = {"if", "unless", "whether", "lest"}
HYPO_ADVERBS = {"potentially", "possibly", "perhaps", "maybe", "conceivably", "hypothetically", "ideally"}
# Verbs that bring their object about: "did not reach / sign / hold an agreement" denies it, while
# "did not attend the summit" does not deny the summit.
ACHIEVE_VERBS = {"reach", "achieve", "secure", "sign", "hold", "have", "conclude", "strike", "seal", "broker",
                 "produce", "yield", "deliver", "announce", "make", "win", "get", "see", "bring", "declare",
                 "order", "launch", "stage", "host", "arrange", "schedule", "finalize", "finalise", "clinch",
                 "obtain", "agree", "accept", "approve", "ratify", "implement", "impose", "mount", "carry"}
# Nouns whose negation reaches the event they govern: "no sign of a ceasefire", "no date for the talks".
NEG_SCOPE_NOUNS = HYPO_NOUNS | {"sign", "evidence", "indication", "word", "progress", "breakthrough", "date",
                                "timetable", "agreement", "deal", "consensus", "decision", "commitment"}
# Verbs that only say that their subject happens: "no ceasefire took hold", "the talks did not go ahead".
OCCUR_VERBS = {"take", "happen", "occur", "materialize", "materialise", "proceed", "go", "begin", "start",
               "emerge", "come", "result", "follow", "hold", "reach", "agree", "sign", "announce", "achieve"}
# Verbs that bring about, want, refuse or are the event they take: what they say passes to it.
EVENT_BEARING_VERBS = ACHIEVE_VERBS | OCCUR_VERBS | HYPO_VERBS | NEG_VERBS | set(VERB_CLASSES)
OBJECT_DEPS = {"dobj", "attr", "oprd", "xcomp", "pcomp", "dative", "acomp"}
STOP_DEPS = {"ROOT", "ccomp", "advcl", "parataxis", "csubj", "csubjpass", "meta", "dep", "punct", "list"}
CAUSATIVE_VERBS = {"help", "let", "make", "have"}
MODAL_FUTURE = {"will", "shall", "'ll", "wo", "ca"}  # "wo(n't)", "ca(n't)" carry their negation separately


def _status(tok, seg) -> str:
    """'negated', 'hypothetical' or '' (asserted) for the event of trigger ``tok`` in segment ``seg``."""
    if seg.text.rstrip().rstrip("”’\"'").endswith("?"):
        return "hypothetical"  # a question asserts nothing
    t, via = tok, None
    for _ in range(10):
        status = _marker(t, via, first=t == tok)
        if status:
            return status
        if t != tok and _speaks_of(t, via):
            break  # "failed to mention the attack", "refused to attend the summit": about the verb, not the event
        if (t.dep_ in STOP_DEPS and not _caused(t)) or t.head == t:
            break
        if t.dep_ in ("nsubj", "nsubjpass") and not (t.head.lemma_.lower() in OCCUR_VERBS and t == tok):
            # the verb of an event's subject speaks about the event, not of whether it happened;
            # a modal still makes it conditional ("a successful summit could reinforce ...")
            return "hypothetical" if t == tok and _irrealis(t.head) else ""
        if t.dep_ == "conj" and t.pos_ in ("VERB", "AUX"):
            break
        t, via = t.head, t
    return ""


def _caused(v) -> bool:
    """A bare clause under a causative verb ("could help him win"): whether it happens is the causing
    verb's to say, so the path goes on up."""
    return v.dep_ == "ccomp" and v.head.lemma_.lower() in CAUSATIVE_VERBS and \
        not any(c.dep_ == "mark" for c in v.children)


def _speaks_of(v, via) -> bool:
    """A verb that takes the event as its object without bringing it about, wanting or refusing it
    ("mention", "attend", "blame ... on"): what is said of that verb is not said of the event."""
    if v.pos_ not in ("VERB", "AUX") or via is None or via.dep_ not in ("dobj", "prep"):
        return False
    lemma = v.lemma_.lower()
    return lemma not in EVENT_BEARING_VERBS and lemma != "be"


def _marker(t, via, first: bool) -> str:
    """The status a token on the path gives the event below it (reached through its child ``via``)."""
    if t.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
        return _noun_marker(t, first)
    if t.pos_ == "ADP":
        prev = t.doc[t.i - 1].lower_ if t.i > 0 else ""
        if t.lower_ in NEG_PREPS or (t.lower_ in ("than", "of") and prev in ("rather", "instead")):
            return "negated"
        return ""
    if t.pos_ in ("VERB", "AUX"):
        return _verb_marker(t, via, first)
    return ""


def _noun_marker(t, first: bool) -> str:
    for c in t.children:
        if c.dep_ in ("det", "preconj", "neg", "advmod") and c.lower_ in NEG_DETS | {"not", "never"} and \
                (first or t.lemma_.lower() in NEG_SCOPE_NOUNS):
            return "negated"  # "no sign of a ceasefire"; not "no correlation between turnout and the election"
        if c.dep_ == "det" and c.lower_ in HYPO_DETS:
            return "hypothetical"
        if first and c.dep_ == "amod" and c.lower_ in HYPO_ADJ:
            return "hypothetical"
    if not first:
        lemma = t.lemma_.lower()
        if lemma in NEG_NOUNS:
            return "negated"
        if lemma in HYPO_NOUNS:
            return "hypothetical"
    return ""


def _verb_marker(v, via, first: bool) -> str:
    lemma = v.lemma_.lower()
    dep = via.dep_ if via is not None else ""
    prep = via.lower_ if via is not None and dep == "prep" else ""
    denies = first or lemma in OCCUR_VERBS and dep in ("nsubj", "nsubjpass") or \
        dep in ("xcomp", "pcomp") or (dep in OBJECT_DEPS and lemma in ACHIEVE_VERBS) or \
        (prep in ("on", "over", "for", "about") and lemma in ACHIEVE_VERBS | set(VERB_CLASSES))
    if denies and any(c.dep_ == "neg" for c in v.children):
        return "negated"
    if _irrealis(v):
        return "hypothetical"
    if lemma == "be" and dep == "xcomp" and any(c.dep_ == "nsubj" and c.lemma_.lower() in GOAL_NOUNS for c in v.children):
        return "hypothetical"  # "the best way is to go straight to a peace agreement"
    if not first and dep in OBJECT_DEPS | {"prep"}:
        prt = {c.lower_ for c in v.children if c.dep_ == "prt"}
        if lemma in NEG_VERBS or any((lemma, p) in NEG_PARTICLE_VERBS for p in prt):
            return "negated"
        if lemma in HYPO_VERBS and not (lemma in INTENT_VERBS and v.tag_ in ("VBZ", "VBP")):
            return "hypothetical"  # "plans to visit Charlotte on Sunday" is a visit to come; "planned to" may not be
        if prep and any(c.dep_ == "dobj" and c.lemma_.lower() in HYPO_NOUNS for c in v.children):
            return "hypothetical"  # "changed his stance on a ceasefire", the phrase hung on the verb
    return ""


def _irrealis(v) -> bool:
    """A verb whose clause is conditional, possible or wished: a condition ('if they meet'), a modal,
    an adverb of possibility ('potentially leading to'), a predicate of likelihood ('is unlikely')."""
    for c in v.children:
        if (c.dep_ == "mark" and c.lower_ in CONDITION_MARKS) or (c.dep_ == "advmod" and c.lower_ in HYPO_ADVERBS):
            return True
        if c.dep_ == "acomp" and c.lower_ in HYPO_ADJ:
            return True
    return _modal(v)


def _modal(v) -> bool:
    """A modal of possibility or wish (could, would, might, may, should; not the future's will), except
    the reported future: 'said he would travel'."""
    for c in v.children:
        if c.dep_ == "aux" and c.tag_ == "MD" and c.lower_ not in MODAL_FUTURE:
            if c.lower_ == "would" and v.dep_ == "ccomp" and v.head.tag_ == "VBD":
                return False
            return True
    return False

"""The data model shared by every stage.

A pile of inputs becomes a stream of :class:`RawItem` (one candidate article
each, with its verbatim bytes); extraction turns each into a :class:`Document`
or an :class:`ItemError`.  Stages add to documents; they never edit the raw
bytes, which stay in the store, content-addressed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

# Item kinds: what the bytes of a RawItem are.
TEXT = "text"
HTML = "html"


@dataclass(frozen=True)
class RawItem:
    """One input item, as read.

    ``data`` holds the item's own bytes verbatim (a file, a JSON line, a WARC
    payload, a feed entry's content).  ``container`` holds the bytes of the
    file or response the item was cut from when that differs (a JSON Lines
    file, a WARC file, a feed), so the store can keep every raw byte.
    ``hints`` carries metadata the container gave (url, title, published,
    source, author); extraction prefers page metadata only where hints are
    silent.
    """

    locator: str  # where it came from: path, path#line=N, path#record=N, URL
    kind: str  # TEXT or HTML
    data: bytes
    hints: dict[str, Any] = field(default_factory=dict)
    container: bytes | None = None
    container_locator: str | None = None

    @property
    def id(self) -> str:
        return item_id(self.kind, self.data)


def item_id(kind: str, data: bytes) -> str:
    """Stable document id: the same bytes of the same kind get the same id."""
    return hashlib.sha256(kind.encode() + b"\0" + data).hexdigest()[:16]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class RemovedLine:
    """A line taken out of a document's text, and the rule that took it."""

    rule: str
    text: str
    # 0-based line index in the text the rule ran on: trafilatura's output for
    # html.* rules, the text entering residual boilerplate cleaning otherwise.
    line_no: int


@dataclass(frozen=True)
class Flag:
    """A judgement on a document, with what backs it."""

    name: str  # e.g. "non_english", "no_date", "exact_duplicate"
    detail: str = ""


@dataclass
class Document:
    """An article: cleaned text plus metadata, traceable to its raw bytes."""

    id: str
    locator: str
    kind: str
    raw_sha256: str
    text: str
    title: str | None = None
    author: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    site_name: str | None = None
    source: str | None = None  # publisher as given by the input (JSON, feed)
    published: str | None = None  # ISO date
    published_from: str | None = None  # "input", "metadata", "none"
    language: str | None = None  # ISO 639-1
    language_confidence: float | None = None
    removed: list[RemovedLine] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    container_locator: str | None = None
    container_sha256: str | None = None
    duplicate_of: str | None = None

    def has_flag(self, name: str) -> bool:
        return any(f.name == name for f in self.flags)


@dataclass(frozen=True)
class ItemError:
    """An input item that could not become a document, and why."""

    locator: str
    reason: str  # short machine-readable kind: "empty", "binary", "too_large"...
    detail: str = ""  # human explanation
    raw_sha256: str | None = None

    def __str__(self) -> str:
        return f"{self.locator}: {self.reason}" + (f" ({self.detail})" if self.detail else "")


# -- provenance: who copied whom, spin, quality (issue: provenance layer) ------
#
# Spans are character offsets [start, end) into Document.text (the cleaned
# text as published).  Restored text is reached through SpinMark offsets.


@dataclass(frozen=True)
class Passage:
    """A stretch of a copy that comes from a stretch of its origin, and how."""

    origin_start: int
    origin_end: int
    copy_start: int
    copy_end: int
    kind: str  # verbatim | edited | spun | paraphrase
    similarity: float  # 0..1


@dataclass
class Derivation:
    """A directed edge origin -> copy of the derivation graph, with its evidence."""

    origin_id: str
    copy_id: str
    relation: str  # duplicate | syndicated | copy | trimmed | reordered | spun | rewrite
    coverage_origin: float  # share of the origin's text found in the copy
    coverage_copy: float  # share of the copy's text that comes from the origin
    confidence: float
    direction: list[str] = field(default_factory=list)  # the signals that set origin vs copy
    passages: list[Passage] = field(default_factory=list)


@dataclass(frozen=True)
class SpinMark:
    """A token of the published text judged a synonym substitution."""

    start: int  # in Document.text
    end: int
    published: str
    restored: str  # the word judged original ("" when detected but not restored)
    confidence: float
    method: str  # alignment | thesaurus


@dataclass
class SpinResult:
    """How spun a document is, where, and its text with the substitutions undone."""

    document_id: str
    score: float  # share of content tokens judged substituted, 0..1
    spun: bool
    marks: list[SpinMark] = field(default_factory=list)
    restored_text: str | None = None  # None when the document is not spun
    method: str = ""  # alignment (a source in the corpus) | thesaurus | none


@dataclass(frozen=True)
class Signal:
    """One piece of evidence about a document's quality."""

    name: str  # template_section | unknown_expert | uncredited_rewrite | boilerplate_ratio | spin | no_date | no_byline ...
    weight: float  # contribution to the farm/low-quality score, 0..1
    detail: str
    spans: tuple[tuple[int, int], ...] = ()  # evidence, offsets in Document.text


@dataclass
class QualityCard:
    document_id: str
    score: float  # 0 (worst) .. 1 (no concerns)
    content_farm: bool
    signals: list[Signal] = field(default_factory=list)


# -- understanding: who, what, when (issue: understanding layer) -----------------
#
# Spans are [start, end) offsets into Document.text as published.  Where a
# document was spun, annotation ran on the restored text and its offsets were
# mapped back (sitrep.provenance.spin.to_published), so every span can be shown
# in either text.


@dataclass(frozen=True)
class Mention:
    """A stretch of a document that names or designates an actor, place or organisation."""

    start: int
    end: int
    text: str
    label: str  # PERSON | ORG | GPE | LOC | NORP | FAC | EVENT
    kind: str  # name | short | description | pronoun | metonym | possessive
    key: str  # within-document cluster key: the fullest name form the document uses, normalised
    sentence: int = -1


@dataclass(frozen=True)
class RoleMention:
    """A title or role a document gives an actor ("Secretary of State", "Russia's ambassador to the US")."""

    key: str  # the Mention.key of the holder
    role: str  # normalised role text
    start: int  # span of the role phrase
    end: int
    qualifier: str = ""  # former | acting | designate | "" (current)


@dataclass(frozen=True)
class Quote:
    """Words attributed to a speaker, directly ("...") or in reported speech."""

    start: int  # content span
    end: int
    kind: str  # direct | indirect | mixed
    cue: str  # said, told, according to ...
    cue_start: int
    cue_end: int
    speaker: str  # speaker text as written ("he", "the Kremlin", "Putin")
    speaker_start: int  # -1 when no speaker was found
    speaker_end: int
    speaker_key: str  # Mention.key of the speaker within the document ("" when unresolved)


@dataclass(frozen=True)
class TimeExpr:
    """A temporal expression resolved against its document's anchor date."""

    start: int
    end: int
    text: str
    kind: str  # date | interval | duration | set
    value: str  # ISO 8601: "2025-08-15", "2025-08", "2021-06/2021-08", "PT3H"; "" when unresolved
    grain: str  # day | week | month | season | year | hour | ""
    anchor: str  # absolute | published | dateline | inferred


@dataclass
class Event:
    """Something that happened or is expected: trigger, participants, place, time, evidence."""

    document_id: str
    trigger: str  # lemma of the event word ("meet", "summit", "talk")
    start: int  # sentence span
    end: int
    actors: list[str] = field(default_factory=list)  # Mention keys
    place: str = ""  # Mention key of the place
    date: str = ""  # ISO value of the attached TimeExpr, "" when none
    tense: str = ""  # past | present | future (planned/expected)
    duration: str = ""  # ISO duration when the sentence gives one
    status: str = ""  # negated ("no ceasefire") | hypothetical ("could meet", "calls for talks") | '' (asserted)
    # Of a directed class (invade, impose, elect ...): the actors who act ("Russia invaded") and those who
    # undergo it ("invaded Ukraine", "Trump was elected"); subsets of actors, empty when the text does not say.
    agents: list[str] = field(default_factory=list)
    patients: list[str] = field(default_factory=list)


@dataclass
class Annotation:
    """What the understanding pass finds in one document."""

    document_id: str
    text_digest: str  # sha256 of the text the annotation ran on (restored when spun)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    roles: list[RoleMention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    published: str = ""  # the document's date as the understanding pass settles it
    published_from: str = ""  # input | metadata | url | dateline | text | inferred | none


@dataclass
class Identity:
    """One actor, place or organisation across the corpus, however spelled."""

    id: str
    name: str  # display name: the most complete frequent form
    label: str  # PERSON | ORG | GPE | ...
    variants: dict[str, int] = field(default_factory=dict)  # surface form -> count
    documents: list[str] = field(default_factory=list)
    stands_for: str = ""  # for metonyms (the Kremlin): the identity id it stands for


@dataclass(frozen=True)
class Role:
    """A role held by an identity, as one document states it on one date."""

    identity: str
    role: str
    qualifier: str
    document_id: str
    start: int
    end: int
    date: str  # the document's date


@dataclass
class Story:
    """Documents about the same situation, with what characterises it."""

    id: str
    label: str
    documents: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)  # identity ids, most central first
    start: str = ""  # ISO date range of the documents / events
    end: str = ""


# -- corroboration: claims, their groups, contradictions, positions, briefings ---


@dataclass(frozen=True)
class Quantity:
    """A number in a claim, normalised: ``value`` in ``unit`` (``""`` for a bare count)."""

    value: float
    unit: str  # percent | point | usd | eur | gbp | ... | lemma of the counted noun | ""
    text: str
    start: int
    end: int
    qualifier: str = ""  # "" (exact) | approx | min | max


@dataclass
class Claim:
    """One atomic statement of a document and what it is made of."""

    id: str  # "<document_id>:<start>-<end>" (offsets in the published text)
    document_id: str
    start: int  # claim span in Document.text
    end: int
    sentence_start: int
    sentence_end: int
    text: str
    subject: str  # the subject's Mention.key when a mention covers it, else its text
    subject_key: str  # Mention.key of the subject ("" when the subject is no mention)
    predicate: str  # lemma, with particle ("pull out") or copula ("be president")
    object: str  # main complement as written ("" when none)
    polarity: int = 1  # +1 asserted, -1 negated ("did not agree", "refused to", "denied that")
    modality: str = "asserted"  # asserted | possible | probable | reported | apparent | expected | planned | intended | deontic | conditional
    hedges: tuple[str, ...] = ()  # the cue words behind polarity and modality ("may", "refused")
    tense: str = "present"  # past | present | future
    numbers: tuple[Quantity, ...] = ()
    dates: tuple[str, ...] = ()  # ISO values of the TimeExprs inside the claim
    places: tuple[str, ...] = ()  # Mention keys of GPE / LOC / FAC mentions
    entities: tuple[str, ...] = ()  # Mention keys of every mention inside the claim
    speaker: str = ""  # whose claim: speaker key (or text when unresolved); "" = the document's own
    speaker_key: str = ""
    quote_kind: str = ""  # direct | indirect | mixed | "" (not attributed)
    checkworthy: float = 0.0

    @property
    def attributed(self) -> bool:
        return bool(self.quote_kind)


@dataclass(frozen=True)
class Citation:
    """A span of a document that a statement rests on: [start, end) in Document.text."""

    document_id: str
    start: int
    end: int


@dataclass
class ClaimGroup:
    """Claims of different documents that state the same thing, and how well that is supported."""

    id: str  # "g:" + the id of its earliest claim
    story_id: str
    label: str  # the text of its most check-worthy claim
    claims: list[str] = field(default_factory=list)  # claim ids
    documents: list[str] = field(default_factory=list)
    independent_sources: int = 0  # origin groups among the supporting documents (copies count once)
    single_source: bool = True  # independent_sources <= 1
    farm_only: bool = False  # every supporting document is flagged as a content farm
    checkworthy: float = 0.0  # the highest of its claims
    subject: str = ""  # identity id of the subject, or its text
    predicate: str = ""
    first_seen: str = ""  # earliest date among the supporting documents


@dataclass
class Contradiction:
    """Two sides that cannot both hold: same subject and predicate (or role), conflicting values."""

    id: str
    story_id: str
    kind: str  # number | date | place | polarity | role
    subject: str  # identity id, or text
    topic: str  # the predicate or the role disputed
    value_a: str
    value_b: str
    side_a: list[Citation] = field(default_factory=list)
    side_b: list[Citation] = field(default_factory=list)
    sources_a: int = 0  # independent sources (origin groups) on each side
    sources_b: int = 0
    farm_a: bool = False  # the side rests only on content-farm documents
    farm_b: bool = False


@dataclass
class Position:
    """What an actor states or is reported to hold on one of a story's issues, at one time."""

    identity: str
    story_id: str
    issue: str  # normalised issue term ("ceasefire", "peace agreement")
    stance: str  # supports | opposes | shifts | neutral
    date: str  # ISO date (or range) the position is held at; "" when unknown
    date_from: str  # how the date is known: published | text | before:<event id> | after:<event id> | ""
    claim_id: str
    citation: Citation
    text: str  # the claim as written
    reported: bool = False  # reported by others rather than stated by the actor


@dataclass
class BriefSentence:
    """One sentence of a briefing, with the spans it rests on."""

    section: str  # happened | actors | claims | disputed | positions | sources
    text: str
    citations: list[Citation] = field(default_factory=list)
    supported: bool = True  # False: an abstractive sentence its citations do not back (kept, marked)


@dataclass
class Briefing:
    """A situation report on one story."""

    story_id: str
    title: str
    sentences: list[BriefSentence] = field(default_factory=list)
    mode: str = "extractive"  # extractive | abstractive:<model name>

"""Attribution cues: the words that hand content to a source, and the source they name.

An *attribution* (Pareti 2016, "PARC 3.0: A Corpus of Attribution Relations",
LREC; Newell, Margolin & Ruths 2018, "An Attribution Relations Corpus for
Political News", LREC) links a *source* (who says), a *cue* (the word that
signals saying: "said", "told", "according to", "statement") and a *content*
(what is said).  This module holds what the direct-quote finder
(:mod:`sitrep.understand.quotes`) and the reported-speech finder
(:mod:`sitrep.understand.reported`) share:

* a lemma-based lexicon of speech verbs and nouns, split by what the verb
  takes as its content (a clause, an infinitive, an object, or only an
  adjacent quotation);
* on a spaCy dependency parse, the source of a cue verb: its subject, found
  through the chains news syntax builds ("X went on to say", "X, who said",
  "a statement saying", "was quoted as saying", "said X", passive "by X");
* the source phrase as written (the subject noun phrase without its
  appositive or relative clause: "Kremlin spokesman Dmitry Peskov", not
  "..., who ...");
* the speaker key: the :class:`~sitrep.model.Mention` of the document that
  covers the phrase's head, or — for a pronoun left unresolved by the mention
  component — the nearest preceding person, the usual reading of "he said"
  in news prose.

The lexicon is in the tradition of reporting-verb lists used for quotation
attribution (Krestel, Bergler & Witte 2008, "Minding the Source: Automatic
Tagging of Reported Speech in Newspaper Articles", LREC; Pareti 2016) and was
written for this project from English grammar, not taken from any corpus.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

# Verbs whose complement clause ("X said (that) ...") is reported speech.
# Evidence verbs ("a poll showed that", "the inquiry found that") are included:
# they attribute a claim to a source as speech verbs do (not an open question:
# "the meeting will show whether").
EVIDENCE_VERBS = frozenset("show find indicate".split())
CLAUSE_VERBS = frozenset("""
say tell add claim warn insist deny argue note state declare announce explain write tweet post
report reply respond answer acknowledge admit concede confirm assert allege contend maintain
predict promise vow pledge suggest stress emphasize emphasise recall remark comment observe mention
repeat reiterate testify threaten assure caution disclose reveal indicate agree estimate
speculate boast brag complain hint counter retort charge accuse recount inform remind advise
conclude lament reason forecast guarantee swear affirm proclaim concur posit theorize opine
clarify reckon show find
""".split())

# Verbs whose object is what was said ("announced a ceasefire", "denied the report").
OBJECT_VERBS = frozenset("""
announce deny confirm reveal disclose acknowledge admit predict promise pledge vow demand propose
repeat reiterate report ask
""".split())

# Verbs that report an instruction or intention through an infinitive ("urged X to ...").
INFINITIVE_VERBS = frozenset("""
urge promise vow pledge threaten ask tell demand agree warn advise
""".split())

# Verbs whose direct object is the addressee, not the content ("told reporters").
ADDRESSEE_VERBS = frozenset("tell ask warn assure remind inform advise urge caution brief notify promise".split())

# Verbs that attribute only when they stand next to a quotation ('"...," she continued').
QUOTE_ONLY_VERBS = frozenset("""
continue begin conclude laugh joke quip exclaim shout yell scream cry whisper mutter sigh scoff
chuckle interject interrupt recall muse wonder ask write explain add note observe remark tell say
reply respond answer counter retort declare insist argue state warn tweet post read point chant
""".split())

SPEECH_VERBS = CLAUSE_VERBS | OBJECT_VERBS | INFINITIVE_VERBS | QUOTE_ONLY_VERBS

# Verbs of naming: 'X called the plan "a disaster"' gives X's words for the plan.
NAMING_VERBS = frozenset("call dub label brand term nickname describe characterize".split())

# Nouns that carry a content clause ("Trump's claim that ...", "a statement that ...").
SPEECH_NOUNS = frozenset("""
statement claim remark comment warning announcement assertion allegation accusation denial promise
pledge vow admission testimony insistence argument suggestion prediction assurance threat message
contention charge complaint confirmation declaration report word
""".split())

_IRREGULAR = {"say": ("said", "says"), "tell": ("told", "tells"), "write": ("wrote", "writes", "written"),
              "read": ("reads",), "swear": ("swore", "sworn"), "begin": ("began", "begins")}


def _forms(lemma: str) -> set[str]:
    """Inflected forms of a regular English verb, plus the few irregular speech verbs."""
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    out = {lemma, lemma + "s", stem + "ed", stem + "ing"}
    if lemma.endswith(("s", "sh", "ch", "x", "z")):
        out |= {lemma + "es"}
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        out |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    return out | set(_IRREGULAR.get(lemma, ()))


PARTICLES = {"point": "out", "go": "on", "spell": "out", "lay": "out"}  # cue verbs with their particle

# Word forms of the speech verbs, to spot one the tagger took for a noun ("he notes").
SPEECH_FORMS = frozenset(f for lemma in SPEECH_VERBS for f in _forms(lemma)) - SPEECH_NOUNS

PERSON_PRONOUNS = frozenset("he she him her his".split())
PRONOUNS = PERSON_PRONOUNS | frozenset("they them it we i you".split())

_SUBJECT_DEPS = ("nsubj", "csubj")
_CHAIN_DEPS = ("xcomp", "conj", "advcl", "pcomp", "acl", "relcl", "prep")
_NP_RIGHT_DEPS = ("compound", "flat", "prep", "nummod", "poss", "amod", "cc", "conj", "case", "det")
EXPLETIVES = frozenset(("it", "there"))


def is_cue_verb(tok, quote_adjacent: bool = False) -> bool:
    """Is ``tok`` a speech verb (one that takes clause/object/infinitive content,
    or, next to a quotation, any verb of ``QUOTE_ONLY_VERBS``)?"""
    if tok.pos_ not in ("VERB", "AUX") or tok.tag_ == "MD":
        return False
    lemma = tok.lemma_.lower()
    if lemma == "go":
        return False  # "went on to say": the cue is the infinitive
    return lemma in (SPEECH_VERBS if quote_adjacent else CLAUSE_VERBS | OBJECT_VERBS | INFINITIVE_VERBS)


def is_according(tok) -> bool:
    """The "according" of "according to X"."""
    return tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children)


def cue_extent(tok) -> tuple[int, int]:
    """Token span [i, j) of the cue phrase: the verb and its particle ("pointed out"),
    "according to", or a lone noun."""
    if is_according(tok):
        return tok.i, tok.i + 2 if tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to" else tok.i + 1
    part = PARTICLES.get(tok.lemma_.lower())
    for c in tok.rights:
        if c.dep_ == "prt" and (part is None or c.lower_ == part) and c.i <= tok.i + 2:
            return tok.i, c.i + 1
    return tok.i, tok.i + 1


def is_passive(verb) -> bool:
    """A passive verb ("was told", "it was reported") or a bare participle
    modifying something ("when asked", "a plan described as")."""
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children) or (
        verb.tag_ == "VBN" and verb.dep_ in ("advcl", "acl") and not any(c.dep_ == "aux" for c in verb.children))


def subject_of(verb, depth: int = 0):
    """The token heading the source of a cue verb, or None.

    Follows the chains that hand a subject down to the speech verb: a
    controlled infinitive ("X went on to say"), coordination ("X smiled and
    said"), a participle ("..., adding"), a relative clause ("X, who said"),
    a noun it describes ("a statement saying": the statement's issuer) and
    "was quoted as saying".  Expletive passives ("it was reported") have no
    source; a passive with an agent ("was told by X") has the agent."""
    if depth > 4:
        return None
    for c in verb.children:
        if c.dep_ in _SUBJECT_DEPS:
            return verb.head if c.lower_ in ("who", "that", "which") and verb.dep_ == "relcl" else c
    for c in verb.children:
        if c.dep_ == "agent":
            objs = [g for g in c.children if g.dep_ == "pobj"]
            return objs[0] if objs else None
    for c in verb.children:
        if c.dep_ == "nsubjpass":
            return c if verb.lemma_.lower() == "quote" and c.lower_ not in EXPLETIVES else None
    if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
        return verb.head
    if verb.dep_ in _CHAIN_DEPS and verb.head.i != verb.i:
        head = verb.head
        if head.pos_ in ("NOUN", "PROPN") and verb.dep_ == "acl":
            return issuer(head, depth)
        if head.pos_ == "ADP":  # "quoted as saying", "before saying"
            head = head.head
        return subject_of(head, depth + 1)
    return None


def issuer(noun, depth: int = 0):
    """Who a speech noun belongs to: "Trump's statement", "a statement by X",
    "X issued a statement"."""
    for c in noun.children:
        if c.dep_ == "poss":
            return c
        if c.dep_ == "prep" and c.lower_ in ("by", "from"):
            objs = [g for g in c.children if g.dep_ == "pobj"]
            if objs:
                return objs[0]
    if noun.dep_ in ("dobj", "pobj", "nsubj") and noun.head.i != noun.i:
        head = noun.head.head if noun.head.pos_ == "ADP" else noun.head
        if head.pos_ in ("VERB", "AUX") and noun.dep_ != "nsubj":
            return subject_of(head, depth + 1)
    return None


def inverted_subject(verb):
    """The subject after the verb when the parser missed the inversion ('"...," said Putin')."""
    doc = verb.doc
    j = verb.i + 1
    if j < len(doc) and doc[j].pos_ in ("PROPN", "NOUN", "PRON") and doc[j].dep_ not in ("dobj",):
        tok = doc[j]
        while tok.dep_ in ("compound", "flat") and tok.head.i > tok.i and tok.head.i - verb.i < 8:
            tok = tok.head
        return tok
    return None


def phrase(head) -> tuple[int, int]:
    """Token span [i, j) of the noun phrase headed by ``head``: its modifiers
    on the left ("Kremlin spokesman Dmitry Peskov", "Russia's ambassador"),
    and on the right only what continues it without a comma ("of France",
    "and Putin"), so an appositive or relative clause is left out."""
    start = head.i
    for c in head.lefts:
        if c.dep_ not in ("punct", "cc", "prep", "advmod", "mark"):
            start = min(start, c.left_edge.i)
            break
    end = head.i + 1
    for c in head.rights:
        if c.dep_ not in _NP_RIGHT_DEPS or c.i != end:
            break
        end = c.right_edge.i + 1
    doc = head.doc
    while end - 1 > start and (doc[end - 1].is_punct or doc[end - 1].dep_ == "cc"):
        end -= 1
    return start, end


def complement(verb) -> tuple[int, int] | None:
    """Token span [i, j) of what a speech verb reports: its clause ("said (that) ..."),
    its infinitive ("urged X to ..."), or its object ("announced a ceasefire");
    None when it has none of these."""
    lemma = verb.lemma_.lower()
    kids = list(verb.children)
    for dep in ("ccomp", "csubj"):
        for c in kids:
            if c.dep_ == dep and not (lemma in EVIDENCE_VERBS and _open_question(c)):
                return c.left_edge.i, c.right_edge.i + 1
    if lemma in CLAUSE_VERBS | OBJECT_VERBS:
        for c in kids:  # "said in a statement that ...": spaCy hangs the clause off the noun
            if c.dep_ == "prep" and c.i > verb.i:
                for g in c.subtree:
                    if g.dep_ in ("acl", "pcomp", "relcl") and that_clause(g):
                        return g.left_edge.i, g.right_edge.i + 1
    if lemma in INFINITIVE_VERBS:
        for c in kids:
            if c.dep_ == "xcomp" and c.i > verb.i and any(a.lower_ == "to" for a in c.lefts):
                return _infinitive_span(c)
    if lemma in OBJECT_VERBS and is_personal(subject_of(verb)):
        for c in kids:
            if c.dep_ == "dobj" and c.i > verb.i and not _is_person(c) and c.lower_ not in PRONOUNS:
                return c.left_edge.i, c.right_edge.i + 1
    return None


def is_personal(tok) -> bool:
    """Can ``tok`` head the name of someone who speaks: a person, an organisation,
    a country or people, a name, a personal pronoun?  ("a critical juncture that
    demands engagement" does not announce anything.)"""
    return tok is not None and (tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or tok.pos_ == "PROPN"
                                or tok.lower_ in ("he", "she", "they", "i", "we", "who"))


def _open_question(clause) -> bool:
    """'will show whether …': an evidence verb with an open question reports nothing yet."""
    first = clause.left_edge
    return first.lower_ in ("whether", "if") or first.tag_ in ("WDT", "WP", "WRB")


def that_clause(head) -> bool:
    """Does the clause headed by ``head`` open with the complementizer "that"?"""
    return any(m.dep_ == "mark" and m.lower_ == "that" for m in head.children)


def _infinitive_span(xcomp) -> tuple[int, int]:
    start = min([a.i for a in xcomp.lefts if a.lower_ == "to"] + [xcomp.i])
    return start, xcomp.right_edge.i + 1


def _is_person(tok) -> bool:
    """A named object of a speech verb is its addressee ("told Putin"), not its content."""
    return tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")


@dataclass(frozen=True)
class Found:
    """An attribution found on the parse, in character offsets, before it becomes Quotes."""

    kind: str  # direct | mixed | indirect
    content: tuple[tuple[int, int], ...]  # one span, or several when the cue interrupts the content
    cue: tuple[int, int]
    speaker: tuple[int, int] | None  # the source phrase as written
    head: tuple[int, int] | None  # its head word, the part a mention should cover


def name_head(head):
    """The word that names a source.  A common-noun head is named by a
    proper-name appositive ("Russia's ambassador, Alexander Darchiev"), else
    by the principal it speaks for ("the minister's spokesman", "Kremlin
    aides", "a spokesman for the Kremlin"); otherwise the head names itself."""
    if head.pos_ != "NOUN":
        return head
    for c in head.rights:
        if c.dep_ == "appos" and c.pos_ == "PROPN":
            return c
    for c in head.children:
        if c.dep_ in ("poss", "compound") and c.i < head.i and (c.pos_ == "PROPN" or c.ent_type_):
            return c
        if c.dep_ == "prep" and c.lower_ in ("for", "of", "at", "from", "to") and c.i == head.i + 1:
            objs = [g for g in c.children if g.dep_ == "pobj" and (g.pos_ == "PROPN" or g.ent_type_)]
            if objs:
                return objs[0]
    return head


def source_span(head, cue=None) -> tuple[tuple[int, int], tuple[int, int]]:
    """(speaker, head) character spans of the source headed by ``head``.  The
    phrase stops short of the cue when a mis-parse put the cue inside it, and
    at a line break, where the parser ran a heading into the sentence ("The
    Kremlin's Conditions for Peace / The Kremlin has maintained")."""
    named = name_head(head)
    i, j = phrase(head)
    if named.i != head.i:
        j = max(j, phrase(named)[1])
    if cue is not None and i <= cue.i < j:
        i, j = (cue.i + 1, j) if cue.i < head.i else (i, cue.i)
    doc = head.doc
    breaks = [k for k in range(i, j - 1) if "\n" in doc[k].text_with_ws]
    if breaks and (cue is None or cue.i >= j):
        i = breaks[-1] + 1
        if named.i < i:
            named = next((t for t in doc[i:j] if not i <= t.head.i < j), doc[j - 1])
    return (doc[i].idx, doc[j - 1].idx + len(doc[j - 1])), (named.idx, named.idx + len(named))


def cue_chars(tok) -> tuple[int, int]:
    """Character span of the cue phrase of ``tok``."""
    i, j = cue_extent(tok)
    doc = tok.doc
    return doc[i].idx, doc[j - 1].idx + len(doc[j - 1])


# -- speaker keys -------------------------------------------------------------


@dataclass(frozen=True)
class MentionIndex:
    """The document's mentions, sorted, for span look-ups."""

    mentions: tuple  # of sitrep.model.Mention, sorted by start
    starts: tuple[int, ...]
    people: frozenset[str]  # keys the document labels PERSON somewhere (the tagger is not consistent)

    @classmethod
    def of(cls, mentions: Sequence) -> "MentionIndex":
        ms = tuple(sorted(mentions, key=lambda m: (m.start, -m.end)))
        return cls(ms, tuple(m.start for m in ms), frozenset(m.key for m in ms if m.label == "PERSON" and m.key))

    def covering(self, start: int, end: int):
        """Mentions that overlap [start, end), nearest first."""
        i = bisect_right(self.starts, end)
        out = []
        for m in reversed(self.mentions[max(0, i - 40):i]):
            if m.start < end and m.end > start:
                out.append(m)
        return out

    def preceding_person(self, pos: int):
        """The nearest mention before ``pos`` of someone the document calls a person."""
        i = bisect_right(self.starts, pos)
        for m in reversed(self.mentions[:i]):
            if m.end <= pos and m.key in self.people and m.kind != "pronoun":
                return m
        return None


def speaker_key(index: MentionIndex, start: int, end: int, head_start: int, head_end: int,
                head_text: str) -> str:
    """The Mention key of a speaker phrase [start, end) whose naming word (see
    :func:`name_head`) is [head_start, head_end): the mention covering that
    word, else, for a person pronoun, the nearest preceding person; "" when
    none fits ("officials on both sides of the Atlantic" are no one in
    particular)."""
    over = index.covering(head_start, head_end)
    if over:
        return max(over, key=lambda m: (m.label == "PERSON", m.end - m.start)).key
    if head_text.lower() in PERSON_PRONOUNS:
        m = index.preceding_person(start)
        return m.key if m else ""
    return ""

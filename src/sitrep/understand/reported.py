"""Reported speech: attributions whose content is the writer's rendering of what was said.

Finds, on a spaCy dependency parse, the constructions news prose uses to
report speech without (or beyond) quotation marks, each with its source and
its content span:

* a speech verb and its complement clause — "X said (that) ...", "X told Fox
  News ...", "X warned/insisted/denied ..." — or its infinitive ("X urged
  Y to ...") or, for verbs whose object is the message, its object ("X
  announced a ceasefire");
* a parenthetical cue inside or after the content ("the talks, he said,
  were useful", "…, he said on Tuesday."): the content is the clause around
  the cue, given as the fragments on either side of it, also where the
  parser did not attach it to the verb or ended a sentence at the comma;
* "according to X", before or after the clause it sources;
* a speech noun with a "that" clause ("Trump's claim that ...");
* expletive and addressee passives ("it was reported that ...", "Europe has
  been warned that ..."): content without a source.

The content span is the complement's full subtree (the complementizer
"that" included, as in the PARC/PolNeAR annotation convention: Pareti 2016;
Newell et al. 2018); the source is found by :func:`sitrep.understand.cues.subject_of`.
The rule set follows the syntactic patterns of rule-based attribution
extractors (Krestel, Bergler & Witte 2008; Pareti 2016, ch. 6) written anew
over spaCy's ClearNLP-style dependency labels.

Cues inside quotation marks are the quoted person's words, not the writer's
attribution, so the caller passes a test that skips them.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from spacy.attrs import LEMMA, LOWER
from spacy.strings import hash_string

from sitrep.understand.cues import (
    ADDRESSEE_VERBS,
    EXPLETIVES,
    SPEECH_FORMS,
    SPEECH_NOUNS,
    SPEECH_VERBS,
    Found,
    complement,
    cue_chars,
    is_according,
    is_cue_verb,
    is_passive,
    issuer,
    source_span,
    subject_of,
    that_clause,
)

_LEMMA_IDS = np.array(sorted(hash_string(w) for w in SPEECH_VERBS | SPEECH_NOUNS), dtype=np.uint64)
_FORM_IDS = np.array(sorted(hash_string(w) for w in SPEECH_FORMS | SPEECH_NOUNS | {"according"}), dtype=np.uint64)
MIN_CONTENT_WORDS = 2  # one-word "content" ("he said so") carries nothing to attribute


def reported_speech(sdoc, quoted: Callable[[int], bool]) -> list[Found]:
    """Every reported-speech attribution in ``sdoc`` whose cue is outside
    quotation marks (``quoted(char_offset)`` says which offsets are inside)."""
    out = []
    for i in candidates(sdoc):
        tok = sdoc[i]
        if quoted(tok.idx):
            continue
        found = _from_verb(tok) or _from_according(tok) or _from_noun(tok)
        if found is not None:
            out.append(found)
    return out


def candidates(sdoc) -> list[int]:
    """Indices of the tokens whose lemma or form is a cue word: a cheap filter
    on the document's arrays, so that Token objects are made only for them."""
    arr = sdoc.to_array([LEMMA, LOWER])
    if not len(arr):
        return []
    hit = np.isin(arr[:, 0], _LEMMA_IDS) | np.isin(arr[:, 1], _FORM_IDS)
    return np.flatnonzero(hit).tolist()


def _from_verb(verb) -> Found | None:
    if not is_cue_verb(verb):
        return None
    span = complement(verb)
    source = _verb_source(verb)
    if source is False:
        return None
    if span is not None:
        frags = [span]
    elif verb.dep_ == "parataxis" and verb.head.i != verb.i:
        frags = _minus(_subtree(verb.head), _subtree(verb))
    else:
        frags = _around(verb, source)
    return _found(verb, frags, source) if frags else None


_ADVERBIAL = ("prep", "pobj", "npadvmod", "advmod", "det", "amod", "compound", "prt", "nummod", "poss", "case")


def _around(verb, source) -> list[tuple[int, int]]:
    """The content of a cue clause set off by commas inside or after it ("The
    talks, he said, were useful." / "…, he said on Tuesday."), when the parser
    did not hang that content on the verb: the rest of the sentence."""
    if source is None or verb.dep_ not in ("ROOT", "parataxis"):
        return []
    doc, sent = verb.doc, verb.sent
    i, j = sorted((source.left_edge.i, verb.i))[0], max(verb.i, source.i) + 1
    while j < sent.end and doc[j].dep_ in _ADVERBIAL and not doc[j].is_punct and doc[j].head.i >= i:
        j += 1
    if i == 0 or doc[i - 1].text not in (",", "—", "–"):
        return []
    if j < sent.end and doc[j].text not in (",", ".", "!", "?", ";", "—", "–"):
        return []
    # the parser sometimes ends a sentence at the comma before "he said"
    start = doc[i - 1].sent.start
    if start == i - 1 and i > 1:
        start = doc[i - 2].sent.start
    frags = [(start, i - 1)]
    if j < sent.end and doc[j].text in (",", "—", "–"):
        frags.append((j + 1, sent.end))
    return frags if _words(doc, *_trim(doc, *frags[0])) >= MIN_CONTENT_WORDS else []


def _verb_source(verb):
    """The source's head token; None for a sourceless passive ("it was reported
    that", "Europe has been warned that"); False when the verb reports nothing
    (an imperative, "needless to say", a question put to someone)."""
    if is_passive(verb):
        agent = [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if agent:
            return agent[0]
        lemma = verb.lemma_.lower()
        subj = [c for c in verb.children if c.dep_ == "nsubjpass"]
        if lemma == "ask" or verb.dep_ in ("advcl", "acl"):
            return False
        if lemma == "quote":
            return subj[0] if subj else False
        if not subj or subj[0].lower_ in EXPLETIVES or lemma in ADDRESSEE_VERBS:
            return None
        return False
    head = subject_of(verb)
    if head is None or _idiom(verb, head):
        return False
    return head


def _idiom(verb, head) -> bool:
    """'That said, …' / 'This said, …': a concession, not a report."""
    doc = verb.doc
    return (head.lower_ in ("that", "this") and head.i == verb.i - 1 and verb.i + 1 < len(doc)
            and doc[verb.i + 1].text == ",")


def _from_according(tok) -> Found | None:
    if not is_according(tok):
        return None
    to = next(c for c in tok.children if c.lower_ == "to")
    objs = [c for c in to.children if c.dep_ == "pobj"]
    if not objs:
        return None
    clause = tok.head
    while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
        clause = clause.head
    if clause.i == tok.i:
        return None
    return _found(tok, _minus(_subtree(clause), _subtree(tok)), objs[0])


def _from_noun(noun) -> Found | None:
    if noun.pos_ != "NOUN" or noun.lemma_.lower() not in SPEECH_NOUNS:
        return None
    clause = next((c for c in noun.rights if c.dep_ in ("acl", "ccomp", "appos") and that_clause(c)), None)
    if clause is None or _under_cue_verb(noun):
        return None
    source = issuer(noun)
    if source is None:
        return None
    return _found(noun, [_subtree(clause)], source)


def _under_cue_verb(noun) -> bool:
    """'said in a statement that ...': the verb already carries the clause."""
    head = noun.head.head if noun.head.pos_ == "ADP" else noun.head
    return head.i != noun.i and is_cue_verb(head)


def _found(cue, frags: list[tuple[int, int]], source) -> Found | None:
    doc = cue.doc
    frags = [t for t in (_trim(doc, i, j) for i, j in frags) if t[1] > t[0]]
    if sum(_words(doc, i, j) for i, j in frags) < MIN_CONTENT_WORDS:
        return None
    spans = [_chars(doc, i, j) for i, j in frags]
    speaker, head = source_span(source) if source is not None else (None, None)
    if speaker is not None and any(a < speaker[1] and speaker[0] < b for a, b in spans):
        speaker, head = None, None  # the parser took part of the content for the source
    return Found("indirect", tuple(spans), cue_chars(cue), speaker, head)


def _subtree(tok) -> tuple[int, int]:
    return tok.left_edge.i, tok.right_edge.i + 1


def _minus(span: tuple[int, int], hole: tuple[int, int]) -> list[tuple[int, int]]:
    (i, j), (a, b) = span, hole
    if b <= i or a >= j:
        return [span]
    return [s for s in ((i, max(i, a)), (min(j, b), j)) if s[1] > s[0]]


def _trim(doc, i: int, j: int) -> tuple[int, int]:
    """Drop the punctuation and bare conjunctions at the edges of a token span."""
    while i < j and (doc[i].is_punct or doc[i].dep_ == "cc" or doc[i].is_space):
        i += 1
    while j > i and (doc[j - 1].is_punct or doc[j - 1].dep_ == "cc" or doc[j - 1].is_space):
        j -= 1
    return i, j


def _chars(doc, i: int, j: int) -> tuple[int, int]:
    return doc[i].idx, doc[j - 1].idx + len(doc[j - 1])


def _words(doc, i: int, j: int) -> int:
    return sum(1 for t in doc[i:j] if not t.is_punct and not t.is_space)

"""Citation check: does each briefing sentence rest on the spans it cites?

A mechanical test of attribution in the spirit of the "attributable to
identified sources" evaluation of generated text (Rashkin et al. 2023,
"Measuring attribution in natural language generation models",
Computational Linguistics 49(4)) and of citation checking for generated
answers (Gao et al. 2023, "Enabling large language models to generate text
with citations", EMNLP), reduced to what can be checked without a model:

* every sentence has at least one citation;
* every citation names a known document and a span inside its text
  (``0 <= start < end <= len(text)``);
* every piece of *key content* of the sentence appears in at least one of its
  cited spans: names (runs of capitalised words; a name is present when any
  spelling variant of its identity, or its head word up to possessives and
  transliteration, :func:`sitrep.understand.names.similar_word`, is in the
  span; country names and demonyms compare through the gazetteer), numbers
  (digits or number words: "three hours" ~ "3 hours") and dates (ISO or
  written; a resolved day also counts as present when the span names its
  weekday or says "today"/"yesterday"/"tomorrow", which is how the timeline
  resolved it).

Spans of a word-spun document are read both as published and with the
substitutions undone (its :class:`~sitrep.model.SpinMark` list).  Facts about
a cited document itself -- its title, publisher and date -- count as present
for a citation of that document (a sentence saying "the Harbour Gazette
reported on 2 March" is backed by citing that article), and so does its id.  Counts the briefing
computes ("3 independent sources", "5 documents") are statements about the
corpus, not about a span, and are not checked (:data:`META`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS
from wordfreq import zipf_frequency

from sitrep.model import BriefSentence, Briefing, Citation
from sitrep.understand import names as nm

# -- lexicons (general English) ----------------------------------------------------------------

UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
         "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
         "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
        "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1000}
NUMBER_WORDS = {**UNITS, **TENS, "dozen": 12, "half": 0.5, "hundred": 100, "thousand": 1000}
MONTHS = {m: i + 1 for i, m in enumerate(
    "january february march april may june july august september october november december".split())}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())} | {"sept": 9})
WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
RELATIVE_DAYS = ("today", "yesterday", "tomorrow", "tonight")
# Lower-case words allowed inside a multi-word name ("Institute for Strategic Studies").
CONNECTORS = frozenset({"of", "for", "the", "de", "al", "el", "von", "van", "der", "bin", "du", "la"})
# Sentence openers that are capitalised only because they open a sentence.
OPENERS = frozenset(STOP_WORDS) | {
    "according", "sources", "source", "both", "several", "also", "meanwhile", "however", "earlier", "later",
    "undated", "flagged", "asked", "officials", "talks", "leaders", "reports", "analysts", "critics", "experts",
    "negotiators", "observers", "residents", "protesters", "troops", "forces", "authorities", "lawmakers"}
COMMON = 3.5  # Zipf frequency from which a capitalised opener that names no known actor is taken for a common word

# Counts about the corpus itself, which no span states.
META = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a|no)\s+(?:independent\s+)?"
    r"(?:sources?|origins?|documents?|pages?|copies|copy|rewrites?|articles?|claims?)\b", re.I)

_WORD = r"[A-Z][\w'’.\-]*[\w'’]|[A-Z]"
_NAME = re.compile(rf"(?:{_WORD})(?:\s+(?:(?:{'|'.join(CONNECTORS)})\s+)*(?:{_WORD}))*")
_ISO = re.compile(r"\b(\d{4})-(\d{2})(?:-(\d{2}))?\b")
_MONTH_RX = "|".join(sorted(MONTHS, key=len, reverse=True))
_DMY = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_RX})\.?(?:,?\s+(\d{{4}}))?\b", re.I)
_MDY = re.compile(rf"\b({_MONTH_RX})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?", re.I)
_MY = re.compile(rf"\b({_MONTH_RX})\.?(?:\s+of)?\s+(\d{{4}})\b", re.I)
_YEAR = re.compile(r"\b(1[89]\d{2}|20\d{2})\b")
_DIGITS = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w])")
_NUMWORDS = re.compile(r"\b(?:(?:%s)(?:[\s\-]+(?:and\s+)?)?)+\b" % "|".join(
    sorted([*NUMBER_WORDS, "a half", "and"], key=len, reverse=True)), re.I)
_TOKEN = re.compile(r"[\w'’\-.]+")


# -- records -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One piece of key content of a sentence."""

    kind: str  # name | place | number | date
    text: str  # as the sentence writes it
    value: object = None  # float for numbers, (year, month, day) with None parts for dates


@dataclass(frozen=True)
class Problem:
    """A sentence of a briefing that its citations do not back, and why."""

    sentence: int  # index in Briefing.sentences
    section: str
    text: str
    kind: str  # no_citation | unknown_document | bad_span | missing
    citations: tuple[Citation, ...] = ()  # the citation at fault, or every span searched (missing)
    missing: tuple[str, ...] = ()  # key content found in none of the cited spans

    def __str__(self) -> str:
        what = f"missing {', '.join(map(repr, self.missing))}" if self.missing else self.kind
        cites = ", ".join(f"{c.document_id}[{c.start}:{c.end}]" for c in self.citations)
        return f"sentence {self.sentence} ({self.section}): {what}" + (f" in {cites}" if cites else "")


@dataclass(frozen=True)
class Evidence:
    """What the check may use besides the texts: spelling variants, document metadata, spin marks."""

    variants: tuple[frozenset[str], ...] = ()  # folded spellings of one identity each
    meta: Mapping[str, str] = field(default_factory=dict)  # document id -> title, publisher, date
    spin: Mapping[str, Sequence[tuple[int, int, str]]] = field(default_factory=dict)  # (start, end, restored)
    # parsed spans and sentences, reused across the many candidate sentences a briefing tries
    cache: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def name_words(self) -> frozenset[str]:
        return _name_words(self.variants)


@lru_cache(maxsize=64)
def _name_words(variants: tuple[frozenset[str], ...]) -> frozenset[str]:
    return frozenset(w for vs in variants for v in vs for w in v.split())


def evidence(variants: Iterable[Iterable[str]] = (), meta: Mapping[str, str] | None = None,
             spin: Mapping[str, Iterable] | None = None) -> Evidence:
    """Build an :class:`Evidence`; ``spin`` values may be SpinMark objects or (start, end, restored) triples."""
    groups = tuple(frozenset(_fold_name(v) for v in vs if v.strip()) for vs in variants)
    marks = {d: tuple(_mark(m) for m in ms) for d, ms in (spin or {}).items()}
    return Evidence(tuple(g for g in groups if g), dict(meta or {}), marks)


def _mark(m) -> tuple[int, int, str]:
    return (m.start, m.end, m.restored) if hasattr(m, "restored") else (int(m[0]), int(m[1]), str(m[2]))


@lru_cache(maxsize=1 << 16)  # every story's evidence folds the corpus's names again
def _fold_name(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", nm.fold(nm.strip_possessive(text.strip())[0]).replace("'", "")))


# -- key content of a sentence -----------------------------------------------------------------


def items(text: str, ev: Evidence | None = None) -> list[Item]:
    """The key content of a sentence: names, places (countries, demonyms), numbers, dates."""
    ev = ev or Evidence()
    if ("items", text) not in ev.cache:
        ev.cache["items", text] = _items(text, ev)
    return ev.cache["items", text]


def _items(text: str, ev: Evidence) -> list[Item]:
    text = META.sub(" ", text)
    dates, text = _dates(text)
    names, text = _names(text, ev)
    return names + dates + _numbers(text)


def _dates(text: str) -> tuple[list[Item], str]:
    found: list[Item] = []

    def take(m: re.Match, value: tuple) -> str:
        found.append(Item("date", m.group(0), value))
        return " " * len(m.group(0))

    text = _ISO.sub(lambda m: take(m, (int(m[1]), int(m[2]), int(m[3]) if m[3] else None)), text)
    text = _DMY.sub(lambda m: take(m, (int(m[3]) if m[3] else None, MONTHS[m[2].lower()], int(m[1]))), text)
    text = _MDY.sub(lambda m: take(m, (int(m[3]) if m[3] else None, MONTHS[m[1].lower()], int(m[2]))), text)
    text = _MY.sub(lambda m: take(m, (int(m[2]), MONTHS[m[1].lower()], None)), text)
    text = _YEAR.sub(lambda m: take(m, (int(m[1]), None, None)), text)
    return [d for d in found if _valid(d.value)], text


def _valid(v: tuple) -> bool:
    y, m, d = v
    try:
        date(y or 2000, m or 1, d or 1)
    except ValueError:
        return False
    return True


def _numbers(text: str) -> list[Item]:
    out = [Item("number", m.group(1), float(m.group(1).replace(",", ""))) for m in _DIGITS.finditer(text)]
    for m in _NUMWORDS.finditer(text):
        v = word_number(m.group(0))
        if v is not None:
            out.append(Item("number", m.group(0).strip(), v))
    return out


def word_number(text: str) -> float | None:
    """Value of a run of number words ("twenty-five", "three hundred", "two and a half"); None if none."""
    words = [w for w in re.split(r"[\s\-]+", text.lower()) if w and w not in ("and", "a")]
    if not words or all(w == "half" for w in words) and "a" not in text.lower().split():
        return None
    total, cur = 0.0, 0.0
    for w in words:
        if w in SCALES:
            cur = max(cur, 1) * SCALES[w]
        elif w == "half":
            cur += 0.5
        elif w in NUMBER_WORDS:
            cur += NUMBER_WORDS[w]
        else:
            return None
    return total + cur


def _names(text: str, ev: Evidence) -> tuple[list[Item], str]:
    out: list[Item] = []
    for m in _NAME.finditer(text):
        words = m.group(0).split()
        if _opens_sentence(text, m.start()) and _common_opener(words[0], ev):
            words = words[1:]
        while words and words[0].lower() in CONNECTORS:
            words = words[1:]
        out.extend(_name_items(words))
    return out, _NAME.sub(lambda m: " " * len(m.group(0)), text)


def _opens_sentence(text: str, i: int) -> bool:
    before = text[:i].rstrip(" \"“‘'(")
    return not before or before[-1] in ".!?:;—–-\n"


def common_word(word: str, ev: Evidence) -> bool:
    """Whether a capitalised word that opens a sentence is an ordinary word rather than a name."""
    return _common_opener(word, ev)


def _common_opener(word: str, ev: Evidence) -> bool:
    w = nm.fold(word).strip(".'’")
    if word.isupper() and len(word) > 1 or _country(word):
        return False  # "US", "UN", "Russia": names even when they open a sentence
    if w in OPENERS or w in MONTHS or w in WEEKDAYS:
        return True
    return w not in ev.name_words and zipf_frequency(w, "en") >= COMMON


def _name_items(words: list[str]) -> list[Item]:
    """A capitalised run minus its title words ("Russian President Vladimir Putin" -> "Vladimir Putin");
    the countries and demonyms among the titles are kept as places ("US President" -> "US")."""
    titles = nm.title_words()
    words = [w for w in words if nm.fold(w).strip(".") not in MONTHS and nm.fold(w) not in WEEKDAYS]
    is_title = [nm.fold(nm.strip_possessive(w)[0]).strip(".") in titles or _country(w) for w in words]
    lo, hi = 0, len(words)
    while lo < hi and is_title[lo]:
        lo += 1
    while hi > lo and is_title[hi - 1]:
        hi -= 1
    out = [Item("place", w) for w in words[:lo] + words[hi:] if _country(w)]
    while hi > lo and words[hi - 1].lower() in CONNECTORS:
        hi -= 1
    if lo < hi:
        name = " ".join(words[lo:hi])
        out.append(Item("place" if _country(name) else "name", name))
    return out


def _country(text: str) -> str:
    key = nm.place_key(text)
    return nm.country_of(key) if key else ""


# -- spans --------------------------------------------------------------------------------------


def span_texts(c: Citation, texts: Mapping[str, str], ev: Evidence) -> list[str]:
    """The cited span as published, and with spin undone when the document is spun."""
    text = texts[c.document_id]
    out = [text[c.start:c.end]]
    marks = [m for m in ev.spin.get(c.document_id, ()) if c.start <= m[0] and m[1] <= c.end and m[2]]
    if marks:
        parts, pos = [], c.start
        for s, e, word in sorted(marks):
            parts += [text[pos:s], word]
            pos = e
        out.append("".join(parts) + text[pos:c.end])
    return out


@dataclass
class _Span:
    """What one cited span offers: its folded tokens, numbers, dates, countries, metadata."""

    tokens: set[str]
    folded: str
    numbers: set[float]
    dates: list[tuple]
    countries: set[str]

    @classmethod
    def of(cls, texts: list[str]) -> _Span:
        joined = " \n ".join(texts)
        folded = " " + " ".join(re.findall(r"[a-z0-9]+", nm.fold(joined).replace("'", "").replace("’", ""))) + " "
        tokens = {nm.strip_possessive(t.strip(".-"))[0] for t in _TOKEN.findall(nm.fold(joined))}
        tokens = {t.replace("'", "") for t in tokens if t}
        dates, rest = _dates(joined)
        nums = {i.value for i in _numbers(rest)}
        countries = {c for t in _NAME.findall(joined) for w in [t, *t.split()] if (c := _country(w))}
        return cls(tokens, folded, nums, [d.value for d in dates], countries)


def supported(item: Item, span: _Span, ev: Evidence) -> bool:
    if item.kind == "number":
        return item.value in span.numbers
    if item.kind == "date":
        return _date_in(item.value, span)
    if item.kind == "place" and _country(item.text) in span.countries:
        return True
    return _name_in(item.text, span, ev)


def _name_in(name: str, span: _Span, ev: Evidence) -> bool:
    key = _fold_name(name)
    for group in ev.variants:
        if key in group and any(f" {v} " in span.folded for v in group):
            return True
    if f" {key} " in span.folded:
        return True
    head = key.split()[-1] if key else ""
    return bool(head) and any(_same_word(head, t) for t in span.tokens)


def _same_word(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < 4:
        return False
    n = len(_prefix(a, b))  # demonym / country: "Ukraine" ~ "Ukrainian"
    return n >= 4 and n >= min(len(a), len(b)) - 1 or nm.similar_word(a, b)  # or a transliteration


def _prefix(a: str, b: str) -> str:
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    return a[:i]


def _date_in(value: tuple, span: _Span) -> bool:
    y, m, d = value
    for sy, sm, sd in span.dates:
        if m is None and sy == y:
            return True
        if m is not None and sm == m and (d is None or sd == d) and (y is None or sy in (None, y)):
            return True
    if y and m is None and float(y) in span.numbers:
        return True
    if y and m and d:
        weekday = WEEKDAYS[date(y, m, d).weekday()]
        return any(f" {w} " in span.folded for w in (weekday, *RELATIVE_DAYS))
    return False


# -- the check ----------------------------------------------------------------------------------


def check(briefing: Briefing, texts: Mapping[str, str], ev: Evidence | None = None) -> list[Problem]:
    """Every problem of every sentence of ``briefing`` (an empty list when all are backed)."""
    ev = ev or Evidence()
    return [p for i, s in enumerate(briefing.sentences) for p in check_sentence(s, texts, ev, i)]


def check_sentence(s: BriefSentence, texts: Mapping[str, str], ev: Evidence | None = None,
                   index: int = 0) -> list[Problem]:
    ev = ev or Evidence()
    if not s.citations:
        return [Problem(index, s.section, s.text, "no_citation")]
    problems = [p for c in s.citations if (p := _span_problem(c, texts, s, index))]
    good = [c for c in s.citations if c.document_id in texts and 0 <= c.start < c.end <= len(texts[c.document_id])]
    missing = unsupported(s.text, good, texts, ev)
    if missing:
        problems.append(Problem(index, s.section, s.text, "missing", tuple(good), tuple(i.text for i in missing)))
    return problems


def _span_problem(c: Citation, texts: Mapping[str, str], s: BriefSentence, i: int) -> Problem | None:
    if c.document_id not in texts:
        return Problem(i, s.section, s.text, "unknown_document", (c,))
    if not 0 <= c.start < c.end <= len(texts[c.document_id]):
        return Problem(i, s.section, s.text, "bad_span", (c,))
    return None


def _span(c: Citation, texts: Mapping[str, str], ev: Evidence) -> _Span:
    key = ("span", c, len(texts[c.document_id]))
    if key not in ev.cache:
        ev.cache[key] = _Span.of(span_texts(c, texts, ev) + [ev.meta.get(c.document_id, "")])
    return ev.cache[key]


def unsupported(text: str, cites: Sequence[Citation], texts: Mapping[str, str], ev: Evidence) -> list[Item]:
    """The key content of ``text`` that none of ``cites`` (valid spans) backs."""
    spans = [_span(c, texts, ev) for c in cites]
    return [it for it in items(text, ev) if not any(supported(it, sp, ev) for sp in spans)]


def coverage(text: str, cite: Citation, texts: Mapping[str, str], ev: Evidence) -> set[int]:
    """Indexes of the items of ``text`` that ``cite`` alone backs (for choosing few citations)."""
    sp = _span(cite, texts, ev)
    return {i for i, it in enumerate(items(text, ev)) if supported(it, sp, ev)}


# -- from a story's facts -----------------------------------------------------------------------


def evidence_of(facts, spin: Mapping[str, Iterable] | None = None) -> Evidence:
    """The evidence a :class:`~sitrep.corroborate.facts.StoryFacts` offers: each identity's display name
    and spellings, each document's title, publisher and date, and the spin marks of spun documents
    (``facts.marks``, or ``spin`` when given)."""
    variants: dict[str, set[str]] = defaultdict(set)
    for ident, name in facts.names.items():
        variants[ident].add(name)
    for a in facts.actors:
        variants[a.identity].add(a.name)
    for ident, forms in facts.variants.items():
        variants[ident].update(forms)
    meta = {d: " ".join(x for x in (i.title, i.source, i.date, d) if x) for d, i in facts.documents.items()}
    return evidence(variants.values(), meta, spin if spin is not None else facts.marks)


def check_facts(briefing: Briefing, facts, spin: Mapping[str, Iterable] | None = None) -> list[Problem]:
    """:func:`check` against a story's facts (its texts and :func:`evidence_of` it)."""
    return check(briefing, facts.texts, evidence_of(facts, spin))

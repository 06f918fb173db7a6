"""Wire-service syndication: which documents reprint a news agency's story.

News agencies (AP, Reuters, AFP, ...) sell stories that many outlets print
under their own mastheads, usually keeping a credit: a dateline
``WASHINGTON (AP) —``, a byline ``By Jane Roe, Associated Press``, a line
``— Reuters`` or ``(Reporting by ...; Editing by ...)``, a copyright line, or a
credit such as "This story was distributed by ...".  Page metadata may name
the agency too (author "Owen Tallis; Harbor Wire Service").  This module finds
those credits in a :class:`~sitrep.model.Document`'s text and metadata.

Agencies are recognised two ways: a table of real agencies with their
abbreviations, and by pattern, so that agencies the table does not know work
too: a name ending in "Wire Service", "News Service", "News Agency",
"Newswire", "Press Agency" or "Wire", and any all-capitals abbreviation in
a dateline's parentheses.  An unknown abbreviation is expanded to a name in the
document whose initials spell it ("HWS" → "Harbor Wire Service").

Two documents crediting the same agency for the same text are *syndicated*:
they share an origin, the agency's story, even when that story itself is not
in the corpus.  :mod:`sitrep.provenance.derivation` models that origin as a
virtual node with group id ``wire:<agency key>:<id of the first reprint>``.
The method is the one journalists use by eye; the patterns follow the AP
Stylebook and Reuters Handbook conventions for datelines and credits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlparse

from sitrep.model import Document

# Kinds of evidence, strongest first.
AGENCY_SITE = "agency_site"  # the document is the agency's own publication
DATELINE = "dateline"
BYLINE = "byline"
CREDIT = "credit"
METADATA = "metadata"
CONTRIBUTION = "contribution"  # "AP writers contributed": partial use, not a reprint

STRONG = (AGENCY_SITE, DATELINE, BYLINE, CREDIT, METADATA)


@dataclass(frozen=True)
class Agency:
    key: str  # short stable id used in group ids
    name: str  # canonical name
    aliases: tuple[str, ...]  # exact spellings, matched case-sensitively as whole words
    domains: tuple[str, ...] = ()


AGENCIES: tuple[Agency, ...] = (
    Agency("ap", "Associated Press", ("AP", "The Associated Press", "Associated Press"), ("apnews.com", "ap.org")),
    Agency("afp", "Agence France-Presse", ("AFP", "Agence France-Presse", "Agence France Presse"), ("afp.com",)),
    Agency("reuters", "Reuters", ("Reuters", "REUTERS", "Thomson Reuters"), ("reuters.com",)),
    Agency("upi", "United Press International", ("UPI", "United Press International"), ("upi.com",)),
    Agency("bloomberg", "Bloomberg", ("Bloomberg", "Bloomberg News"), ("bloomberg.com",)),
    Agency("dpa", "Deutsche Presse-Agentur", ("dpa", "DPA", "Deutsche Presse-Agentur"), ("dpa.com",)),
    Agency("pa", "PA Media", ("PA", "PA Media", "Press Association", "PA Wire"), ()),
    Agency("cp", "The Canadian Press", ("CP", "Canadian Press", "The Canadian Press"), ("thecanadianpress.com",)),
    Agency("aap", "Australian Associated Press", ("AAP", "Australian Associated Press"), ("aap.com.au",)),
    Agency("ansa", "ANSA", ("ANSA",), ("ansa.it",)),
    Agency("efe", "EFE", ("EFE",), ("efe.com",)),
    Agency("kyodo", "Kyodo News", ("Kyodo", "Kyodo News"), ("kyodonews.net",)),
    Agency("xinhua", "Xinhua", ("Xinhua",), ("xinhuanet.com", "news.cn")),
    Agency("tass", "TASS", ("TASS", "Tass"), ("tass.com", "tass.ru")),
    Agency("interfax", "Interfax", ("Interfax",), ("interfax.com",)),
    Agency("yonhap", "Yonhap", ("Yonhap",), ("yna.co.kr",)),
    Agency("anadolu", "Anadolu Agency", ("Anadolu", "Anadolu Agency", "AA"), ("aa.com.tr",)),
    Agency("pti", "Press Trust of India", ("PTI", "Press Trust of India"), ()),
    Agency("ians", "IANS", ("IANS",), ()),
    Agency("ani", "ANI", ("ANI",), ()),
    Agency("tns", "Tribune News Service", ("Tribune News Service",), ()),
)
_BY_ALIAS = {alias: ag for ag in AGENCIES for alias in ag.aliases}
_BY_ALIAS_FOLD = {alias.casefold(): ag for ag in AGENCIES for alias in ag.aliases if len(alias) > 3}

# A name that says it is an agency: "Harbor Wire Service", "Metro News Service".
_GENERIC = r"(?:[A-Z][\w&'’.-]*\s+){1,5}(?:Wire Service|News Service|Press Service|News Agency|Press Agency|Newswire|Wire)"
_GENERIC_RX = re.compile(rf"\b(?P<name>{_GENERIC})\b")
_KNOWN = "|".join(sorted((re.escape(a) for a in _BY_ALIAS if len(a) > 2), key=len, reverse=True))

# "WASHINGTON (AP) —", "NEW YORK, Nov. 19 (UPI) —", "Aug 27 (Reuters) -", at a line start.
_DATELINE = re.compile(
    r"^[ \t]*(?P<place>[A-Z][^\n()]{0,60}?)\s*\((?P<agency>[A-Za-z][A-Za-z&.\- ]{0,40}?)\)\s*[—–-]{1,2}\s",
    re.MULTILINE,
)
# "By Jane Roe, Associated Press" / "By Jane Roe | Reuters" / "Jane Roe; Harbor Wire Service"
_BYLINE = re.compile(
    rf"^[ \t]*(?:By\s+)?[A-Z][^\n]{{0,80}}?\s*(?:,|\||;|—|–|-)\s*(?P<agency>{_KNOWN}|{_GENERIC})[ \t]*\.?[ \t]*$",
    re.MULTILINE,
)
# A line that is only the agency, or "— Reuters" at the end.
_SIGNOFF = re.compile(rf"^[ \t]*(?:[—–-]+\s*)?(?:The\s+)?(?P<agency>{_KNOWN}|{_GENERIC})[ \t]*\.?[ \t]*$", re.MULTILINE)
_COPYRIGHT = re.compile(
    rf"(?:Copyright|©)\s*(?:\(c\)\s*)?\d{{4}}\s+(?:The\s+)?(?P<agency>{_KNOWN}|{_GENERIC})", re.IGNORECASE
)
_DISTRIBUTED = re.compile(
    rf"\b(?:distributed|provided|supplied|moved)\s+by\s+(?:the\s+)?(?P<agency>{_KNOWN}|{_GENERIC})"
)
_REUTERS_CREDIT = re.compile(r"^[ \t]*\(?(?:Additional )?[Rr]eporting by [^\n]{3,200}?(?:Editing|Writing) by [^\n]{3,200}$", re.MULTILINE)
_CONTRIB = re.compile(
    rf"\b(?P<agency>{_KNOWN}|{_GENERIC})\s+(?:writers?|reporters?|correspondents?)\b[^\n.]{{0,120}}\bcontributed\b"
)
# Credits to a non-agency origin: "This story was originally published by The Daily Example."
_ORIGINALLY = re.compile(
    r"\b(?:originally|first)\s+(?:published|appeared|ran)\s+(?:by|in|on|at)\s+(?P<name>(?:the[ \t]+)?[A-Z][\w&'’-]*(?:[ \t]+[A-Z][\w&'’-]*){0,6})"
    r"|\brepublished\s+(?:here\s+)?with\s+permission\s+(?:from|of)\s+(?P<name2>(?:the[ \t]+)?[A-Z][\w&'’-]*(?:[ \t]+[A-Z][\w&'’-]*){0,6})"
)

_PHOTO = re.compile(r"\b(?:Photo|Image|Getty|Handout|Pool|File)\b", re.IGNORECASE)

HEAD_CHARS = 1200  # datelines sit at the top (after an outlet's own intro at most)
TAIL_CHARS = 1500  # sign-offs and credit lines at the bottom


@dataclass(frozen=True)
class WireCredit:
    """One piece of evidence that a document carries an agency's story."""

    agency: str  # canonical name
    key: str  # short id ("ap", "reuters", "hws")
    kind: str  # agency_site | dateline | byline | credit | metadata | contribution
    evidence: str  # the matched text
    span: tuple[int, int] | None = None  # in Document.text; None for metadata


@dataclass(frozen=True)
class OriginCredit:
    """A credit line naming the outlet a text was first published by."""

    name: str
    span: tuple[int, int]


def _slug(name: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", name)
    if len(words) == 1:
        return words[0].lower()
    return "".join(w[0] for w in words if w.lower() not in ("the", "of")).lower()


def _resolve(label: str, context: str, acronyms: bool = True) -> tuple[str, str] | None:
    """(canonical name, key) for an agency label, or None when it is not an agency.

    ``acronyms``: accept an unknown all-capitals abbreviation (only where the
    position says "agency", as in a dateline's parentheses).
    """
    label = label.strip().rstrip(".")
    label = re.sub(r"^[Tt]he\s+", "", label) if label not in _BY_ALIAS else label
    ag = _BY_ALIAS.get(label) or _BY_ALIAS_FOLD.get(label.casefold())
    if ag:
        return ag.name, ag.key
    if _GENERIC_RX.fullmatch(label):
        return label, _slug(label)
    if acronyms and re.fullmatch(r"[A-Z]{2,6}", label):
        # An unknown abbreviation: look for the name it abbreviates.
        for m in _GENERIC_RX.finditer(context):
            name = m.group("name").strip()
            initials = "".join(w[0] for w in name.split() if w[0].isupper())
            if initials.endswith(label) or initials == label:
                return name, label.lower()
        return label, label.lower()
    return None


def _dateline_ok(place: str) -> bool:
    # A dateline's head is a place and/or a date, not a sentence.
    return len(place.split()) <= 8 and not re.search(r"[.!?]\s+[a-z]", place) and not place.endswith(",")


def find_credits(text: str, context: str = "") -> list[WireCredit]:
    """Agency credits in ``text``: datelines and bylines near the top, sign-offs and credits near the end."""
    ctx = context + "\n" + text
    out: list[WireCredit] = []
    head = text[:HEAD_CHARS]
    tail_start = max(0, len(text) - TAIL_CHARS)

    def add(label, kind, m, group="agency"):
        r = _resolve(label, ctx, acronyms=kind == DATELINE)
        line = m.group(0)
        if kind == BYLINE and (len(line.split()) > 14 or _PHOTO.search(line)):
            return  # a sentence or a photo credit that ends with an agency's name
        if kind == BYLINE and re.match(r"\s*(?:Contributing|Additional reporting)", line, re.IGNORECASE):
            kind = CONTRIBUTION
        if r:
            out.append(WireCredit(r[0], r[1], kind, m.group(0).strip(), (m.start(group), m.end(group))))

    for m in _DATELINE.finditer(head):
        if _dateline_ok(m.group("place")):
            add(m.group("agency"), DATELINE, m)
    for rx, kind, where in (
        (_BYLINE, BYLINE, "both"),
        (_SIGNOFF, CREDIT, "tail"),
        (_COPYRIGHT, CREDIT, "all"),
        (_DISTRIBUTED, CREDIT, "all"),
        (_CONTRIB, CONTRIBUTION, "all"),
    ):
        for m in rx.finditer(text):
            if where == "tail" and m.start() < tail_start:
                continue
            if where == "both" and HEAD_CHARS <= m.start() < tail_start:
                continue
            add(m.group("agency"), kind, m)
    for m in _REUTERS_CREDIT.finditer(text, tail_start):
        out.append(WireCredit("Reuters", "reuters", CREDIT, m.group(0).strip(), (m.start(), m.end())))
    return out


def _host(url: str | None) -> str:
    if not url:
        return ""
    host = urlparse(url).netloc.lower()
    return host[4:] if host.startswith("www.") else host


def document_credits(doc: Document) -> list[WireCredit]:
    """Agency credits of a document: its text plus its author, source, site name and URL."""
    meta = " \n".join(x for x in (doc.author, doc.source, doc.site_name) if x)
    out = find_credits(doc.text, meta)
    for field in (doc.source, doc.site_name):
        if field:
            r = _resolve(field, meta, acronyms=False)
            if r:
                out.append(WireCredit(r[0], r[1], AGENCY_SITE, field))
    host = _host(doc.url or doc.canonical_url)
    for ag in AGENCIES:
        if host and any(host == d or host.endswith("." + d) for d in ag.domains):
            out.append(WireCredit(ag.name, ag.key, AGENCY_SITE, host))
    if doc.author:
        for part in re.split(r"\s*(?:;|,|\||/|\band\b)\s*", doc.author):
            r = _resolve(part, meta, acronyms=False) if part else None
            if r:
                out.append(WireCredit(r[0], r[1], METADATA, doc.author))
    return out


def wire_credit(doc: Document) -> WireCredit | None:
    """The agency whose story ``doc`` carries, or None.

    Chooses the agency with the most strong evidence (contributions do not count);
    the returned credit is that agency's strongest piece of evidence.
    """
    strong = [c for c in document_credits(doc) if c.kind in STRONG]
    if not strong:
        return None
    counts: dict[str, int] = {}
    for c in strong:
        counts[c.key] = counts.get(c.key, 0) + 1
    best = max(counts, key=lambda k: (counts[k], -min(STRONG.index(c.kind) for c in strong if c.key == k)))
    return min((c for c in strong if c.key == best), key=lambda c: STRONG.index(c.kind))


def is_agency_publication(doc: Document, key: str) -> bool:
    """True when ``doc`` is published by the agency ``key`` itself (its site or feed)."""
    return any(c.kind == AGENCY_SITE and c.key == key for c in document_credits(doc))


def origin_credits(text: str) -> list[OriginCredit]:
    """Credits naming the outlet that first published the text ("originally published by ...")."""
    out = []
    for m in _ORIGINALLY.finditer(text):
        grp = "name" if m.group("name") else "name2"
        name = re.sub(r"^the\s+", "", m.group(grp).rstrip(".,;"), flags=re.IGNORECASE)
        out.append(OriginCredit(name, (m.start(grp), m.end(grp))))
    return out


def names_outlet(name: str, doc: Document) -> bool:
    """Does the credited ``name`` designate ``doc``'s publisher (source, site name or host)?"""
    key = re.sub(r"[^a-z0-9]", "", name.lower())
    if not key:
        return False
    for field in (doc.source, doc.site_name):
        if field:
            f = re.sub(r"[^a-z0-9]", "", re.sub(r"^the\s+", "", field.lower()))
            if f and (f == key or f in key or key in f):
                return True
    host = re.sub(r"[^a-z0-9]", "", _host(doc.url or doc.canonical_url).split(".")[0])
    return bool(host) and (host == key or key in host)

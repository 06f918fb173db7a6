"""HTML page -> main article text and page metadata.

``extract_html`` computes the article body of a news page as plain text, one
paragraph (or heading, list item, table row) per line, lines joined by "\\n",
plus the page's metadata (title, author, date, site name, canonical URL,
language).

The main-content detection is trafilatura's (Barbaresi, ACL 2021), run once,
in its precision mode.  Around it sit two cheap passes for boilerplate kinds
it lets through, measured with the word-shingle score of the public
article-extraction-benchmark (``bench/extraction.py``):

1. DOM pre-cleaning (``sitrep.extract.htmlclean``): hover cards, link-only
   paragraphs and lists ("related" teasers); embedded social posts are
   unwrapped so that they are kept as the quotes they are.
2. Line post-filtering (below): the headline and standfirst printed again at
   the top, datelines and bylines at the edges, the notes news sites append
   after the story (author contact, "SOURCE:", credits, subscription prompts,
   a press release's company boilerplate), unrendered CMS shortcodes and
   copyright-marked image credits.

Trafilatura runs in precision mode and without its readability/jusText
comparison ("fast"): on the benchmark both choices beat the defaults, and
the second makes the whole of sitrep's extraction faster than a default
``bare_extraction``.  Its fallback extractors are still called when the
quick pass finds almost nothing.

Every line dropped in pass 2 is returned as a ``RemovedLine`` (rule, text,
0-based line number in trafilatura's text), so nothing is lost; pass 1 works
on the DOM and its removals stay recoverable from the raw bytes.  Generic
line-level boilerplate (share rows, "Advertisement", comment prompts...) is
left to ``sitrep.extract.boilerplate.clean_text``, which the pipeline runs
after this.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from itertools import islice
from urllib.parse import urljoin

from lxml.etree import ParserError
from trafilatura import bare_extraction
from trafilatura.metadata import extract_metadata
from trafilatura.settings import Extractor
from trafilatura.utils import load_html

from sitrep.extract import htmlclean
from sitrep.model import RemovedLine

MAX_INPUT = 5 * 1024 * 1024  # bytes or characters handed to lxml; the ingest cap is the same
MIN_PARAGRAPH_WORDS = 8  # an article has at least one line this long


@dataclass
class HtmlExtract:
    text: str  # main text, one paragraph per line, lines joined by "\n"
    title: str | None
    author: str | None
    published: str | None  # ISO date YYYY-MM-DD
    site_name: str | None
    canonical_url: str | None
    language: str | None  # from the page's own markup (html lang, meta), may be None
    removed: list[RemovedLine] = field(default_factory=list)


def extract_html(html: str | bytes, url: str | None = None, *, skip: Collection[str] = ()) -> HtmlExtract | None:
    """Extract the article from one HTML page; None when the page has no article body.

    ``skip`` names rules to switch off (DOM rules of ``htmlclean.RULES`` and
    line rules of ``LINE_RULES``); the benchmark uses it to measure each one.
    """
    if not html:
        return None
    html = html[:MAX_INPUT]
    try:
        tree = load_html(html)
    except (ParserError, ValueError, TypeError):
        return None
    if tree is None:
        return None

    # fast: the readability/jusText comparison costs a third of the time and
    # changed nothing on the benchmark but one very short page (handled below).
    options = Extractor(output_format="python", fast=True, precision=True, comments=False, tables=True, url=url)
    # Metadata first, from the page as served: the DOM pass below may drop
    # hidden schema.org blocks that carry the author or the date.
    meta = extract_metadata(tree, url, options.date_params, author_blacklist=options.author_blacklist)
    language, canonical = _head_metadata(tree, url)

    headlines = [meta.title or ""] + [h1.text_content() for h1 in islice(tree.iter("h1"), 3)]
    htmlclean.clean(tree, skip)
    doc = bare_extraction(tree, options=options)  # works on its own copy of the tree
    if doc is None or len(doc.text or "") < options.min_extracted_size:
        # Too little for an article: let trafilatura's fallback extractors try.
        options.fast = False
        doc = bare_extraction(tree, options=options) or doc
    if doc is None or not doc.text or not doc.text.strip():
        return None

    lines, removed = filter_lines(doc.text.split("\n"), headlines, meta.author, meta.sitename, skip)
    text = "\n".join(lines).strip()
    if not any(_words(line) >= MIN_PARAGRAPH_WORDS for line in lines):
        return None  # menu and button labels scraped by a fallback, no article
    return HtmlExtract(
        text=text,
        title=meta.title or None,
        author=meta.author or None,
        published=meta.date or None,
        site_name=meta.sitename or None,
        canonical_url=canonical,
        language=language,
        removed=removed,
    )


# -- page metadata trafilatura does not return as such -----------------------

_LANG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")


def _head_metadata(tree, url: str | None) -> tuple[str | None, str | None]:
    """The language the page declares and its canonical URL, from <html> and <head>.

    Language: <html lang>, else a content-language or og:locale meta, as an
    ISO 639 code.  Canonical URL: <link rel=canonical>, else og:url, made
    absolute against the page URL.
    """
    langs = [tree.get("lang"), tree.get("xml:lang")]
    canonical, og_url = [], []
    head = tree.find("head")
    for el in head.iterchildren("meta", "link") if head is not None else ():
        if el.tag == "link":
            if (el.get("rel") or "").strip().lower() == "canonical":
                canonical.append(el.get("href") or "")
        elif (el.get("http-equiv") or "").lower() == "content-language" or el.get("property") == "og:locale":
            langs.append(el.get("content"))
        elif el.get("property") == "og:url":
            og_url.append(el.get("content") or "")
    language = None
    for value in langs:
        m = _LANG.fullmatch((value or "").split(",")[0].strip())
        if m:
            language = re.split(r"[-_]", m.group(0))[0].lower()
            break
    return language, _absolute_url(canonical + og_url, url)


def _absolute_url(candidates: list[str], base: str | None) -> str | None:
    for href in candidates:
        href = href.strip()
        if href and not href.lower().startswith(("javascript:", "data:")):
            absolute = urljoin(base, href) if base else href
            if absolute.startswith(("http://", "https://")):
                return absolute
    return None


# -- line post-filters --------------------------------------------------------

_TOKEN = re.compile(r"\w+")
EDGE = 5  # head and tail: the first and last few lines, where page furniture sits


def _key(line: str | None) -> str:
    """Comparison key: the word tokens, case-folded (punctuation and quotes vary)."""
    return " ".join(_TOKEN.findall((line or "").casefold()))


def _words(line: str) -> int:
    return len(_TOKEN.findall(line))


_TERMINAL = re.compile(r"[.!?…:;。！？][\"'”’»)\]]*\s*$")


def _heading_like(line: str, max_words: int = 8) -> bool:
    """Short and without sentence punctuation at the end: a title, not prose."""
    return 0 < _words(line) <= max_words and not _TERMINAL.search(line) and not line.lstrip().startswith("- ")


# Headline ----------------------------------------------------------------------

_TITLE_SEP = re.compile(r"\s+[|\-–—:·•»]\s+|\s*::\s*")


def _headline_keys(headlines: list[str], site_name: str | None) -> set[str]:
    """The headline as metadata and <h1> give it, with and without the site name part."""
    keys = set()
    site = _key(site_name)
    for headline in headlines:
        keys.add(_key(headline))
        parts = [p for p in _TITLE_SEP.split(headline) if _key(p)]
        if len(parts) > 1:
            # "Headline | Site", "Site - Headline": the longest part is the headline.
            keys.add(_key(max(parts, key=len)))
            keys.add(_key(" ".join(p for p in parts if _key(p) != site)))
    keys.discard("")
    return keys


# Datelines: a line that is only a date or time, maybe with "updated" and a byline -----

_DATE_WORDS = frozenset("""
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro
segunda terça quarta quinta sexta sábado domingo feira
enero febrero marzo mayo junio julio septiembre octubre noviembre diciembre
lunes martes miércoles jueves viernes
janvier février mars avril mai juin juillet août septembre octobre décembre
lundi mardi mercredi jeudi vendredi samedi dimanche
januar februar märz juni juli oktober dezember montag dienstag mittwoch donnerstag freitag samstag sonntag
gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre
lunedì martedì mercoledì giovedì venerdì sabato domenica
am pm a m p h at on of the de do da às as a à le el del um und alle ore
updated update published posted last modified edited created
atualizado publicado actualizado publié publie mis jour aktualisiert veröffentlicht aggiornato pubblicato
utc gmt cet cest bst est edt cst cdt mst mdt pst pdt ist jst aest
""".split())
_TIME = re.compile(r"\b\d{1,2}[:h.]\d{2}\b")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_BYLINE_TAIL = re.compile(r"\s+(?:by|por|par|von|di|door)\s+[\w.'’-]+(?:\s+[\w.'’-]+){0,3}\s*$", re.IGNORECASE)


def _is_dateline(line: str) -> bool:
    line = _BYLINE_TAIL.sub("", line)
    tokens = _TOKEN.findall(line.casefold())
    if not tokens or len(tokens) > 14:
        return False
    # One point in time; a range ("9.30 / 19.00", "May 2019 - June 2020") is event information.
    times, years = len(_TIME.findall(line)), len(_YEAR.findall(line))
    if times > 1 or years > 1 or times + years == 0:
        return False
    return all(t.isdigit() or t in _DATE_WORDS for t in tokens)


_BYLINE = re.compile(r"(?i:by|von|por|par|di|door)\s+[A-Z][\w.'’-]*(?:[\s,]+(?:and\s+|&\s+)?[A-Z][\w.'’-]*){0,5}"
                     r"(?:\s*[|,·•–—-]\s*.*)?$")


# Tail notes: what sites append after the story ---------------------------------

_TAIL_NOTES = [
    ("source_line", re.compile(
        r"(?:sources?|fontes?|quellen?|fuentes?)\s*:\s*\S.{0,80}", re.IGNORECASE)),
    ("credit_line", re.compile(
        r"(?:(?:additional|further) reporting|(?:reporting|writing|editing|compiled|written|edited|produced) by"
        r"|with (?:additional )?reporting (?:by|from)|contributing\s*:)\b.{0,200}", re.IGNORECASE)),
    ("author_contact", re.compile(
        r".*(?:\b(?:can|may) be (?:reached|contacted) at\b|\bfollow (?:him|her|them|me|us|@\w+|[A-Z][\w'’-]*)"
        r"(?: \w+)? on (?:twitter|facebook|instagram|x)\b|\bon twitter @\w+|\be-?mail (?:him|her|them|me) at\b"
        r"|^(?:have|got) a (?:news )?tip\b).*", re.IGNORECASE)),
    ("promo", re.compile(
        r".*(?:\bsubscribe (?:to|now|today|for|here)\b|\bsubscribing to\b|\bsubscriptions? (?:service|plans?)\b"
        r"|\bsign(?:ing)? up (?:for|to|now|here|today)\b|\bnewsletters?\b|\bdelivered (?:to|through|straight to) your\b"
        r"|\bfor as little as\b|\buse (?:the )?(?:promo |discount )?code\b|\bfree trial\b"
        r"|\bbecome a (?:member|subscriber|patron)\b|\bjoin (?:us|now|today|our)\b"
        r"|\bif you (?:enjoyed|liked|value|appreciate) (?:this|our|reading)\b"
        r"|\b(?:tell us|let us know) what you think\b|\bclick here\b|\blisten (?:live|back|again)\b"
        r"|\b(?:download|get) (?:the|our) (?:\w+ )?app\b|\bsupport (?:our|independent) journalism\b).*",
        re.IGNORECASE)),
]
_TAIL_MAX_WORDS = 60  # a longer line is a paragraph of the story, whatever it mentions


def _site_key(site_name: str | None) -> str:
    """"Acme News" -> "acme news", "www.acme.com" -> "acme"."""
    site = (site_name or "").casefold().strip()
    site = re.sub(r"^www\.", "", site)
    site = re.sub(r"\.[a-z]{2,6}(?:\.[a-z]{2})?$", "", site)
    return _key(site)


def _tail_rule(line: str, site: str, skip: Collection[str]) -> str | None:
    stripped = line.strip()
    if len(site) >= 3 and _words(line) <= 2 * _TAIL_MAX_WORDS:
        # The company's self-description that ends a press release ("About Acme",
        # "Acme is a leading provider of ...").
        key = _key(stripped)
        if key == f"about {site}" or re.match(rf"{re.escape(site)} (?:is|was|has|a|an) ", key):
            return "company_boilerplate"
    if _words(line) > _TAIL_MAX_WORDS:
        return None
    if "dateline" not in skip and _is_dateline(stripped):
        return "dateline"
    for rule, rx in _TAIL_NOTES:
        # A list item at the end is the story's own list (deals, steps), whatever it says.
        if rx.fullmatch(stripped) and not (rule == "promo" and stripped.startswith("- ")):
            return rule
    return None


# Anywhere ----------------------------------------------------------------------

_SHORTCODE = re.compile(r"\s*\[/?[a-z_][\w-]*(?:\s[^\]]*)?\].*|.*\[/[a-z_][\w-]*\]\s*", re.IGNORECASE)
_COPYRIGHT_SIGN = re.compile(r"©|\(c\)\s*\d{4}", re.IGNORECASE)


def _anywhere_rule(line: str, skip: Collection[str]) -> str | None:
    stripped = line.strip()
    if "cms_shortcode" not in skip and _SHORTCODE.fullmatch(stripped):
        return "cms_shortcode"  # unrendered [button ...]...[/button] markup
    if "image_credit" not in skip and _COPYRIGHT_SIGN.search(stripped) and _words(stripped) <= 25:
        return "image_credit"  # "View of the hall, photo © Agency, 2018"
    return None


LINE_RULES = ("headline_echo", "standfirst", "dateline", "byline", "tail_notes", "cms_shortcode", "image_credit")


def filter_lines(lines: list[str], headlines: list[str], author: str | None, site_name: str | None,
                 skip: Collection[str] = ()) -> tuple[list[str], list[RemovedLine]]:
    """Drop boilerplate lines; return the kept lines and the removed ones with their rule."""
    found: dict[int, str] = {}
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    head = nonblank[:EDGE]

    echo = None
    if "headline_echo" not in skip:
        # The headline is metadata (HtmlExtract.title); printed above the body it is a duplicate.
        keys = _headline_keys(headlines, site_name)
        for i in head[:4]:
            if _key(lines[i]) in keys:
                found[i] = "headline_echo"
                echo = i

    if "dateline" not in skip:
        for i in head:
            if i not in found and _is_dateline(lines[i].strip()):
                found[i] = "dateline"

    if "byline" not in skip:
        author_key = _key(author)
        for i in head:
            line = lines[i].strip()
            if i not in found and _words(line) <= 10 and not _TERMINAL.search(line) and (
                    _BYLINE.match(line) or (author_key and _key(line) in (author_key, f"by {author_key}"))):
                found[i] = "byline"

    if echo is not None and "standfirst" not in skip:
        # A line of 6-40 words under the headline, not closed like a sentence,
        # is its standfirst (dek), not the story's first paragraph.
        nxt = next((i for i in head if i > echo and i not in found), None)
        if (nxt is not None and 6 <= _words(lines[nxt]) <= 40
                and not _TERMINAL.search(lines[nxt]) and not lines[nxt].isupper()):
            found[nxt] = "standfirst"

    if "tail_notes" not in skip:
        site = _site_key(site_name)
        pending: list[int] = []  # short titles met on the way up, theirs if a note lies below them
        for i in reversed(nonblank[len(head):]):
            if i in found:
                continue
            rule = _tail_rule(lines[i], site, skip)
            if rule:
                found[i] = rule
                for j in pending:
                    found[j] = "tail_heading"
                pending = []
            elif _heading_like(lines[i]):
                pending.append(i)
            else:
                break

    for i in nonblank:
        if i not in found and (rule := _anywhere_rule(lines[i], skip)):
            found[i] = rule

    kept = [line for i, line in enumerate(lines) if i not in found]
    removed = [RemovedLine(found[i], lines[i], i) for i in sorted(found)]
    return kept, removed

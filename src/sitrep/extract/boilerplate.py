"""Residual boilerplate removal: which lines of an article's text are site chrome.

Input is plain article text, or the text trafilatura extracted from a page.
Output is the text without the chrome lines, plus a :class:`RemovedLine` for
each one (rule name, original 0-based line number), so nothing is lost.

Precision matters more than recall: a missed share button costs little, a
dropped article sentence costs a fact.  So every rule matches a *whole line*
(a sentence that merely mentions ads or comments never matches), and rules
that could plausibly match real prose only fire at the document's edges:

- ``any``:  label-shaped lines that are chrome wherever they stand
            ("Advertisement", "Share this article", "5 min read").
- ``edge``: chrome only in the head block (before the first real paragraph)
            or the tail block (after the last one): breadcrumbs, cookie and
            ad-block banners, comment policies, promos, tags, language pickers.
- ``end``:  only in the unbroken run of chrome at the very end (a lone
            number there is a share count; elsewhere it may be data).

Two rules look at context rather than one line: ``repeated_headline`` (a head
line printed again) and list residue (in the tail, short lines under a "You may
also like" / "Tags" / "Next article" / "Leave a comment" header are its links or
form fields, and take that header's rule).

Cleaning runs before the title guess (see ``sitrep.extract.title``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

from sitrep.model import RemovedLine

ANY, EDGE, END = "any", "edge", "end"

HEAD_LINES = 15  # head chrome sits in the first few lines; deeper, a short line is content
SHORT_WORDS = 14  # longer lines without a rule are never removed as list residue
MAX_RULE_WORDS = 60  # no chrome line is longer; longer lines skip the rules (and their cost)


# -- line shape -------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")
_TERMINAL = re.compile(r"[.!?…。！？][\"'”’»)\]」』]*$")


def tokens(line: str) -> list[str]:
    return _WORD.findall(line)


@lru_cache(maxsize=4096)  # every rule asks; str hashes are cached, so lookups are cheap
def words(line: str) -> int:
    return len(_WORD.findall(line))


def is_prose(line: str) -> bool:
    """A line that reads as a paragraph: a sentence, or long enough to be one."""
    n = words(line)
    # Character counts stand in for words in scripts written without spaces.
    sentence = _TERMINAL.search(line) is not None and (n >= 6 or len(line) >= 30)
    return sentence or n >= 25 or len(line) >= 150


def norm(line: str) -> str:
    """Comparison key for 'the same line printed twice'."""
    line = line.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(line.casefold().split()).rstrip(" .")


def _full(pattern: str) -> Callable[[str], bool]:
    rx = re.compile(pattern, re.IGNORECASE)
    return lambda line: rx.fullmatch(line) is not None


def _short(max_words: int, pred: Callable[[str], bool]) -> Callable[[str], bool]:
    return lambda line: words(line) <= max_words and pred(line)


# -- breadcrumbs and link rows ------------------------------------------------

_HOME = {"home", "homepage", "start", "main", "main page", "front page"}
_CRUMB_STRONG = re.compile(r"\s*[»›❯]\s*")  # separators only breadcrumbs use
_CRUMB_WEAK = re.compile(r"\s*(?:>|::|→)\s*|\s+[/|\\]\s+")  # also in prose, titles, menu paths
_ROW_SEP = re.compile(r"\s+[/|·•]\s+")


def breadcrumb_parts(line: str) -> list[str] | None:
    """The segments of a breadcrumb line ("Home » World » Headline"), or None."""
    if "«" in line or line.endswith("."):  # French quotes close with », sentences end with a period
        return None
    if _CRUMB_STRONG.search(line):
        parts = [p.strip() for p in _CRUMB_STRONG.split(line)]
        # Unanchored, the segments before the last must still read as section names.
        ok = parts[0].casefold() in _HOME or all(words(p) <= 4 for p in parts[:-1])
    else:
        parts = [p.strip() for p in _CRUMB_WEAK.split(line)]
        ok = parts[0].casefold() in _HOME  # "Headline | Section | Site" titles use these too
    return parts if ok and len(parts) >= 2 and all(parts[:-1]) else None


def _home_breadcrumb(line: str) -> bool:
    parts = breadcrumb_parts(line)
    return parts is not None and parts[0].casefold() in _HOME


def _breadcrumb(line: str) -> bool:
    return breadcrumb_parts(line) is not None


def _nav_row(line: str) -> bool:
    """A row of short links: "World | Politics | Business", "Privacy / Terms / Contact"."""
    if line.startswith("|") or line.endswith("|"):  # a table row, which is content
        return False
    parts = _ROW_SEP.split(line)
    return len(parts) >= 3 and all(1 <= words(p) <= 3 and re.search(r"[^\W\d_]", p) for p in parts)


# -- language pickers -------------------------------------------------------

_LANGUAGES = {
    "english", "español", "espanol", "spanish", "français", "francais", "french",
    "deutsch", "german", "italiano", "italian", "português", "portugues", "portuguese",
    "русский", "russian", "українська", "ukrainian", "polski", "polish", "nederlands",
    "dutch", "türkçe", "turkish", "العربية", "عربي", "arabic", "中文", "简体中文",
    "繁體中文", "chinese", "日本語", "japanese", "한국어", "korean", "हिन्दी", "hindi",
    "svenska", "dansk", "norsk", "suomi", "ελληνικά", "čeština", "română", "magyar",
    "bahasa indonesia", "bahasa melayu", "tiếng việt", "ไทย", "עברית", "فارسی", "اردو",
    "বাংলা", "language", "languages", "select language", "change language",
}
_LANG_SEP = re.compile(r"\s*[·•|/,;]\s*")
_REGION = re.compile(r"\s*(?:\([A-Za-z]{2,3}\)|-\s*[A-Z]{2})$")


def _language_picker(line: str) -> bool:
    pieces = _LANG_SEP.split(line)
    names = [_REGION.sub("", p).strip().casefold() for p in pieces]
    names = [n for n in names if n]
    if not names or not all(n in _LANGUAGES for n in names):
        return False
    # A bare "English" may be a heading; a picker shows a separator, a region or a list.
    return len(names) >= 2 or len(pieces) >= 2 or _REGION.search(pieces[0]) is not None


# -- social buttons ---------------------------------------------------------

_NETWORK_NAMES = {
    "facebook", "twitter", "x", "whatsapp", "linkedin", "pinterest", "reddit", "telegram",
    "messenger", "flipboard", "threads", "bluesky", "tumblr", "instagram", "youtube", "tiktok",
    "pocket", "viber", "vk",
}
_BUTTONS = _NETWORK_NAMES | {"email", "e-mail", "mail", "sms", "print", "copy", "link", "share", "tweet", "comments"}
_BUTTON_FILLER = {"on", "via", "to", "this", "article", "story", "shares", "share:", "comment"}
_COUNT = re.compile(r"\d[\d,.]*[km]?")


def _social_row(line: str) -> bool:
    """A row of share buttons, perhaps with counts: "1.2K Shares  Share on Facebook  Share on X  Email"."""
    tokens = [t.rstrip(":") for t in re.split(r"[\s|·•,/]+", line.casefold()) if t]
    buttons = [t for t in tokens if t not in _BUTTON_FILLER and not _COUNT.fullmatch(t)]
    return (
        len(tokens) >= 2
        and all(t in _BUTTONS for t in buttons)
        and (len(buttons) >= 2 or any(t in _NETWORK_NAMES for t in buttons))
    )


# -- the rule table -----------------------------------------------------------


class Rule(NamedTuple):
    name: str
    where: str  # ANY, EDGE or END
    test: Callable[[str], bool]


_VIA = r"\s*(?::|\||–|—)\s*"  # "Read more: …", "ALSO READ | …"
_CREDIT_LABEL = (
    r"\(?\s*(?:featured |cover |header |lead )?(?:image|photo|picture|pic|photograph|"
    r"illustration|graphic|video|credit)s?(?: (?:source|credits?|courtesy))?(?: (?:from|by|of|via))?"
)
_AGENCIES = r"(?:reuters|afp|ap|epa|efe|anadolu|bloomberg|pa|tass|sputnik|xinhua|dpa|ansa)"
_NETWORKS = (
    r"(?:twitter|x|facebook|instagram|youtube|tiktok|linkedin|threads|bluesky|telegram|whatsapp|google news)"
)


def _tag_list(line: str) -> bool:
    """ "Tags: a, b, c", "Filed under: World | Europe", "Posted in Politics": a label and a list."""
    m = re.fullmatch(
        r"(?:(?:tags?|topics?|categor(?:y|ies)|keywords?)\s*(?:[:|]|$)|"
        r"(?:tagged(?: with| in| as)?|filed (?:under|in)|posted in)\s*:?)\s*(.*)",
        line, re.IGNORECASE)
    if m is None or _TERMINAL.search(line):
        return False
    items = [i for i in re.split(r"\s*[,|;·•]\s*", m.group(1)) if i]
    # A label followed by a phrase is a headline ("Posted in Alaska: a soldier's diary").
    return all(words(i) <= 4 for i in items) and (len(items) >= 2 or words(m.group(1)) <= 4)


_PROMO_START = re.compile(
    r"(?:explore|discover|read|learn|find out|check out|dive into|delve into|see)"
    r" (?:more|our|all|related|additional|the (?:full|latest|rest|complete))\b|"
    r"(?:for more|more) (?:on|about)\b|(?:stay|keep) (?:tuned|updated)\b|continue reading\b|"
    r"visit [\w'’ ]{0,40}\b(?:website|site|homepage|home page)\b|"
    r"follow [\w'’ ]{0,30}\bfull coverage\b",
    re.IGNORECASE,
)
_SITE_VOICE = re.compile(  # "our", "here", a link, or "... at The Daily Paper."
    r"\b(?:our|here|this site|us)\b|https?://|www\.|(?-i:\bat (?:The )?[A-Z][\w.]*(?: [A-Z][\w.]*)*\.?$)",
    re.IGNORECASE,
)


def _both(topic: str, voice: str) -> Callable[[str], bool]:
    """A line about ``topic`` that also speaks as the site (``voice``): a notice, not a report on one."""
    t, v = re.compile(topic, re.IGNORECASE), re.compile(voice, re.IGNORECASE)
    return lambda line: t.search(line) is not None and v.search(line) is not None


_adblock_notice = _both(
    r"\bad\s*-?\s*block(?:ers?|ing)?\b",
    r"\b(?:detected|please|support us|whitelist\w*|allowlist\w*|our (?:web)?site|"
    r"we (?:have )?(?:noticed|detected|see)|looks like you)\b",
)
_cookie_notice = _both(
    r"\bcookies?\b",
    r"\b(?:this (?:web)?site|our (?:web)?site|browsing|your (?:browser|device|experience)|consent|"
    r"cookie (?:policy|settings|preferences)|privacy (?:policy|settings)|accept (?:all )?cookies)\b",
)


def _promo(line: str) -> bool:
    """A pointer to more of the site: an imperative lead-in spoken in the site's own voice."""
    if not _PROMO_START.match(line):
        return False
    plain_imperative = re.match(r"(?:stay|keep|continue|visit|follow)\b", line, re.IGNORECASE)
    return bool(plain_imperative or _SITE_VOICE.search(line))


RULES: list[Rule] = [
    # -- anywhere: whole-line labels that are never article prose --
    Rule("breadcrumb", ANY, _home_breadcrumb),
    Rule("advertisement", ANY, _full(
        r"(?:advertisements?|sponsored(?: content)?|ad|paid (?:content|post)|"
        r"(?:story|article) continues (?:below|after) (?:this )?(?:advertisement|ad)|"
        r"continue reading (?:below|the main story)|"
        r"(?:advertisement\s*[-–—:]?\s*)?scroll to continue(?: with content)?)\s*[.:]?")),
    Rule("related_links", ANY, _full(
        r"(?:you (?:may|might|will|could) (?:also )?(?:like|love|enjoy|be interested in)|"
        r"(?:related|recommended|suggested|more)"
        r" (?:articles?|stories|posts|reads?|content|coverage|news|videos?|links)|"
        r"recommended for you|read (?:more|also|next)|also read|see also|see more|further reading|"
        r"explore further|what to read next|don'?t miss|must read)\s*(?::|\.\.\.|…)?")),
    Rule("related_links", ANY, _short(30, _full(
        r"(?:read more|related(?: articles?| stories| coverage)?|also read|read also|see also|see more|"
        r"read next|more|recommended|must read|don'?t miss)" + _VIA + r"\S.*"))),
    Rule("comment_prompt", ANY, _full(
        r"(?:(?:leave|post|add|write|submit|show|view|load|hide|read|see|join|sign in to)"
        r" (?:a |an |the |your |all |our |new |more |\d+ )*"
        r"(?:comments?|reply|replies|responses?|discussion|conversation)"
        r"(?:\s*\(\d+\))?(?: below| here)?|(?:\d+ |all |user |reader |new )*comments?(?:\s*\(\d+\))?|"
        r"no comments(?: yet)?|comments? (?:are )?(?:closed|disabled)|comment on this (?:story|article|post)|"
        r"be the first to comment|share your (?:thoughts|views|opinion) in the comments(?: below| section)?)\s*[.!:]?")),
    Rule("share_buttons", ANY, _full(
        r"(?:share|tweet|pin it|e-?mail|print|copy link|share (?:this|the) (?:article|story|post|page|video)|"
        r"share (?:on|via|to) [\w ]{1,20}|share this)\s*:?")),
    Rule("share_buttons", ANY, _social_row),
    Rule("share_count", ANY, _full(
        r"\d[\d,.]*\s*[km]?\s+(?:shares?|views?|likes?|reactions?)|"
        r"(?:shares?|views?|likes?)\s*:?\s*\d[\d,.]*\s*[km]?")),
    Rule("social_follow", ANY, _short(16, _full(
        r"(?:follow (?:us|me|@\w+)(?: on .{1,60})?|follow [\w@'’ .-]{1,30} on .*\b" + _NETWORKS + r"\b.*|"
        r"subscribe to [\w'’ .-]{1,40}\b(?:youtube|channel|podcast)\b.*|"
        r"like us on facebook|find us on \w+|connect with us)\s*[.!:]?"))),
    Rule("newsletter", ANY, _short(25, _full(
        r"(?:sign up|subscribe|(?:get|receive)\b(?=.*\b(?:your?|our)\b))\b.{0,80}\b(?:newsletters?|inbox|"
        r"e-?mail alerts?|our (?:daily |weekly |morning |evening )?(?:briefing|digest|updates))\b.{0,60}"))),
    Rule("newsletter", ANY, _full(r"(?:newsletter|subscribe(?: now| today)?|sign up(?: now)?)\s*[.!:]?")),
    Rule("reading_time", ANY, _full(
        r"(?:\d+|one|two|three|four|five|a)\s*-?\s*(?:min(?:ute)?s?|m)\.?\s*"
        r"(?:read|reading(?: time)?|to read|listen)|"
        r"(?:estimated )?reading time\s*:?\s*\d+\s*(?:min(?:ute)?s?)\.?")),
    Rule("timestamp_ago", ANY, _full(
        r"(?:(?:updated|posted|published|last updated|edited)\s*:?\s*)?(?:\d+|an?|one|a few)\s+"
        r"(?:sec(?:ond)?|min(?:ute)?|hour|hr|day|week|month|year)s?\s+ago\s*[.·•|]?|just now")),
    Rule("prev_next", ANY, _full(
        r"(?:[«‹<←]\s*)?(?:previous|prev|next|older|newer)"
        r"(?: (?:article|post|story|page|entry|item|posts|articles|stories))?(?:\s*[»›>→])?\s*:?")),
    Rule("prev_next", ANY, _short(25, _full(
        r"(?:previous|next) (?:article|post|story)" + _VIA + r"[^.]*"))),
    Rule("image_credit", ANY, _full(
        _CREDIT_LABEL + r"\s*[:：|]\s*\S+(?:\s+\S+){0,7}\)?")),  # longer: a caption, keep it
    Rule("image_credit", ANY, _short(12, _full(
        r"\(?\s*(?:image|photo|picture|illustration)s? (?:by|courtesy(?: of)?|credit|via|source) [^.!?]{1,80}\)?"))),
    Rule("image_credit", ANY, _short(10, _full(
        r"[^.!?]{0,60}\b(?:getty images|shutterstock|istock(?:photo)?|ap photo|afp via getty images)\b[^.!?]{0,40}"))),
    Rule("image_credit", ANY, _short(8, _full(r"\(?" + _AGENCIES + r"\s*/\s*[\w .'’-]{2,40}\)?"))),
    Rule("copyright", ANY, _short(40, _full(r"(?:©|\(c\)|copyright\s*(?:©|\(c\)|\d{4})).*"))),
    Rule("promo_link", ANY, _short(20, _full(
        r"(?:click|tap) (?:here|to (?:read|see|watch|view|share|subscribe|download))\b.*"))),
    Rule("site_nav", ANY, _full(r"skip to (?:main )?(?:content|navigation)|toggle navigation|open menu")),
    # -- head and tail only: elsewhere these shapes can be a heading or a sentence --
    Rule("breadcrumb", EDGE, _breadcrumb),
    Rule("related_links", EDGE, _full(
        r"(?:related|recommended|trending(?: now)?|popular|in other news|more|top stories|latest(?: news)?|"
        r"most (?:popular|read|viewed|shared)(?: (?:in|on) [\w ]{1,30})?|more (?:from|on|about) [\w.&'’ -]{1,40})"
        r"\s*:?")),
    Rule("comment_policy", EDGE, _short(60, _full(  # the site speaking: "our", "your email"
        r".*\b(?:akismet|your e-?mail address will not be published|required fields are marked|"
        r"how your comment data is processed|comments? (?:are|is) moderated|comments powered by|"
        r"save my name, e-?mail|"
        r"our comment(?:ing)? (?:policy|guidelines|rules)|"
        r"we reserve the right to (?:delete|remove|edit|moderate))\b.*"))),
    Rule("adblock_notice", EDGE, _short(40, _adblock_notice)),
    Rule("cookie_notice", EDGE, _short(60, _cookie_notice)),
    Rule("promo_link", EDGE, _short(25, _promo)),
    Rule("copyright", EDGE, _short(40, _full(
        r".*(?:©|\(c\)|copyright|\b(?:19|20)\d\d\b).*\ball rights reserved\b.*|all rights reserved\.?|"
        r"copyright\b[^.!?]*"))),
    Rule("comment_prompt", EDGE, _full(r"(?:your )?(?:name|e-?mail|website|comment|message)\s*\*?(?: \(required\))?:?")),
    Rule("tags", EDGE, _short(30, _tag_list)),
    Rule("language_picker", EDGE, _language_picker),
    Rule("nav_links", EDGE, _nav_row),
    Rule("site_nav", EDGE, _full(r"home|menu|search|sign in|log in|close|main menu|navigation")),
    # -- only in the unbroken run of chrome that ends the text --
    Rule("share_count", END, _full(r"\d[\d,.]*\s*[km]?")),
]

# Headers whose following short lines (the listed links) share their fate.
_LIST_HEADERS = {"related_links", "prev_next", "tags", "comment_prompt"}  # comment form fields too


def _rule_for(line: str, wheres: tuple[str, ...]) -> str | None:
    if len(line) > 12 * MAX_RULE_WORDS or words(line) > MAX_RULE_WORDS:
        return None
    for rule in RULES:
        if rule.where in wheres and rule.test(line):
            return rule.name
    return None


# -- where the edges are ----------------------------------------------------


def _scan_head(lines: list[str], found: dict[int, str]) -> None:
    """Mark chrome in the head: up to the first paragraph no rule claims."""
    seen: set[str] = set()
    nonblank = 0
    for i, line in enumerate(lines):
        if not line:
            continue
        nonblank += 1
        if nonblank > HEAD_LINES:
            return
        rule = found.get(i) or _rule_for(line, (EDGE,))
        if rule is None and norm(line) in seen:
            rule = "repeated_headline"  # title and headline both printed, or a template glitch
        if rule:
            found[i] = rule
            continue
        if is_prose(line):
            return
        seen.add(norm(line))


def _scan_tail(lines: list[str], found: dict[int, str]) -> None:
    """Mark chrome in the tail: back from the end to the last paragraph no rule claims."""
    block: list[int] = []
    unbroken = True  # still in the run of chrome that ends the text
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if not line:
            continue
        rule = found.get(i) or _rule_for(line, (EDGE, END) if unbroken else (EDGE,))
        if rule:
            found[i] = rule
        elif is_prose(line):
            break
        else:
            unbroken = False
        block.append(i)
    header = None
    for i in reversed(block):  # top to bottom
        if i in found:
            header = found[i] if found[i] in _LIST_HEADERS else None
        elif header and words(lines[i]) <= SHORT_WORDS and not _TERMINAL.search(lines[i]):
            found[i] = header  # a link title listed under "You may also like" etc.


# -- entry point ------------------------------------------------------------


def clean_text(text: str) -> tuple[str, list[RemovedLine]]:
    """Remove residual site boilerplate lines from article text.

    Returns the cleaned text and every removed line with the rule that removed
    it and its 0-based line number in ``text``.  Text with nothing to remove is
    returned unchanged; otherwise the blank lines that separated a removed line
    from the next one go with it, and the result is trimmed of blank lines at
    either end.
    """
    raw = text.split("\n")
    lines = [line.strip() for line in raw]
    found: dict[int, str] = {}
    for i, line in enumerate(lines):
        if line and (rule := _rule_for(line, (ANY,))):
            found[i] = rule
    _scan_head(lines, found)
    _scan_tail(lines, found)
    if not found:
        return text, []

    removed = [RemovedLine(found[i], raw[i].rstrip("\r"), i) for i in sorted(found)]
    kept: list[str] = []
    dropping = False  # inside the blank run after a removed line
    for i, line in enumerate(raw):
        if i in found:
            dropping = True
        elif lines[i] or not dropping:
            kept.append(line)
            dropping = dropping and not lines[i]
    while kept and not kept[-1].strip():
        kept.pop()
    while kept and not kept[0].strip():
        kept.pop(0)
    out = "\n".join(kept)
    return out + ("\n" if text.endswith("\n") and out else ""), removed

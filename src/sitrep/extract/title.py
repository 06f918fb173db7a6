"""Headline guess for plain text that came without metadata.

A plain-text article may open with its headline on a line of its own, or go
straight into the body.  The first non-blank line is taken as the headline only
if it is shaped like one (a few words, no sentence-final period, not a list
item, not a byline; a final period only in Title Case) and real paragraphs follow within the next few lines;
otherwise there is no title and the text is returned untouched.

A headline printed twice, or a breadcrumb whose last segment is the headline
followed by the headline, counts once: all those lines leave the text.

Pipeline order: ``clean_text`` first, then ``guess_title``.  Cleaning removes
the breadcrumb and the second copy with a recorded rule, so the provenance of
every dropped line is kept; the guess then sees the headline as the first line.
The doubled-headline handling here makes the guess correct on uncleaned text too.
"""

from __future__ import annotations

import re

from sitrep.extract.boilerplate import breadcrumb_parts, is_prose, norm, tokens, words

MAX_TITLE_WORDS = 25
MAX_TITLE_CHARS = 200
BODY_WITHIN = 4  # a dek and a byline may sit between headline and body

_NOT_A_HEADLINE_END = re.compile(r"[.:;,]$|[.:;,][\"'”’)\]]$")
_LIST_ITEM = re.compile(r"^(?:[•*\-–—·▪►]|\d+[.)]\s|[a-z][.)]\s)")
_BYLINE = re.compile(r"^by\s", re.IGNORECASE)


def _title_case(line: str) -> bool:
    """Most longer words capitalised: headline style, which body sentences never use."""
    long = [w for w in tokens(line) if len(w) >= 4]
    return len(long) >= 2 and sum(w[0].isupper() for w in long) >= 0.75 * len(long)


def looks_like_headline(line: str) -> bool:
    n = words(line)
    # Some feeds end every headline with a period; then only Title Case marks it as one.
    period_ok = re.search(r"[^.]\.[\"'”’]?$", line) is not None and _title_case(line)
    return (
        2 <= n <= MAX_TITLE_WORDS
        and len(line) <= MAX_TITLE_CHARS
        and (period_ok or not _NOT_A_HEADLINE_END.search(line))
        and not _LIST_ITEM.match(line)
        and not _BYLINE.match(line)
        and not line[0].islower()  # a line starting in lower case continues something
        and breadcrumb_parts(line) is None
    )


def guess_title(text: str) -> tuple[str | None, str]:
    """Guess the headline from the first lines; return (title, text without the title lines)."""
    lines = text.split("\n")
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    if not nonblank:
        return None, text
    k = 0  # position in nonblank of the headline candidate
    crumbs = breadcrumb_parts(lines[nonblank[0]].strip())
    if crumbs and len(nonblank) > 1 and norm(crumbs[-1]) == norm(lines[nonblank[1]]):
        k = 1
    title = lines[nonblank[k]].strip()
    if not looks_like_headline(title):
        return None, text
    last = k
    if last + 1 < len(nonblank) and norm(lines[nonblank[last + 1]]) == norm(title):
        last += 1
    following = nonblank[last + 1 : last + 1 + BODY_WITHIN]
    if not any(is_prose(lines[i].strip()) for i in following):
        return None, text  # no body after it: a one-liner or a list, not a headline
    rest = lines[nonblank[last] + 1 :]
    while rest and not rest[0].strip():
        rest.pop(0)
    return title, "\n".join(rest)

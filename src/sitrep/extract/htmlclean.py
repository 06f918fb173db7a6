"""DOM pre-cleaning before main-text extraction.

Removes, in place, page elements that are never article prose but that
trafilatura's own cleaning lets through.  Every rule is structural (what an
element is made of, where its links point), not keyed to any one site:

- ``share_links``: links to the share endpoints of social sites.  They carry
  "click to tweet" boxes that repeat a sentence of the article as a widget.
- ``hover_cards``: the pop-up part of hover cards and tooltips (a person's
  card with their latest headlines), which sits inside the paragraph.
- ``link_blocks``: paragraphs and headings made (almost) only of link text,
  and lists whose every item is: teaser cards, "related" lists, in-text
  promos of other stories.

Cost: a few XPath queries evaluated in C plus Python work on their matches
only, a small fraction of the extraction itself.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from lxml import etree

RULES: tuple[str, ...] = ("share_links", "hover_cards", "link_blocks")

_SHARE_HREF = etree.XPath(
    "//a[contains(@href, 'twitter.com/share') or contains(@href, 'twitter.com/intent/')"
    " or contains(@href, 'x.com/intent/') or contains(@href, 'facebook.com/sharer')"
    " or contains(@href, 'facebook.com/dialog/share') or contains(@href, 'linkedin.com/share')"
    " or contains(@href, 'pinterest.com/pin/create') or contains(@href, 'reddit.com/submit')"
    " or contains(@href, 'api.whatsapp.com/send') or starts-with(@href, 'whatsapp:')"
    " or contains(@href, 't.me/share')]"
)

_HOVER_CANDIDATES = etree.XPath(
    "//body//*[@role='tooltip' or contains(@class, 'ollover') or contains(@class, 'ooltip')"
    " or contains(@class, 'opover') or contains(@class, 'overcard') or contains(@class, 'over-card')]"
)
# The pop-up, not the trigger word it is attached to: deleting the trigger would
# cut a name out of the sentence.
_HOVER_PAYLOAD = re.compile(
    r"(?:rollover|tooltip|popover|hover-?card)[-_]?(?:block|box|content|text|body|inner|panel|card|wrap\w*|popup)"
    r"|^hover-?card$",
    re.IGNORECASE,
)

_BLOCKS = etree.XPath(
    "//body//*[self::p or self::dd or self::h2 or self::h3 or self::h4 or self::h5 or self::h6][.//a or ancestor::a]"
)
_LISTS = etree.XPath("//body//*[self::ul or self::ol][li//a]")
_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
_LINK_SHARE = 0.8  # of a block's letters inside links, above which it is a list of links
_NON_SPACE = re.compile(r"\S")
_URL_TEXT = re.compile(r"(?:https?://|www\.)\S+$", re.IGNORECASE)


def clean(tree, skip: Collection[str] = ()) -> None:
    """Prune the parsed page ``tree`` in place; ``skip`` switches rules off by name."""
    if tree is None:
        return
    if "share_links" not in skip:
        for a in _SHARE_HREF(tree):
            _drop(a)
    if "hover_cards" not in skip:
        for el in _HOVER_CANDIDATES(tree):
            if el.get("role") == "tooltip" or any(_HOVER_PAYLOAD.search(c) for c in el.get("class", "").split()):
                _drop(el)
    if "link_blocks" not in skip:
        # Lists first, and as a whole or not at all: dropping only their link
        # items would leave the rest looking like prose to the extractor's
        # link-density test.  An item whose heading is a link is a teaser card.
        for el in _LISTS(tree):
            items = [li for li in el.iterchildren("li") if _letters(li.text_content())]
            if items and all(_is_teaser(li) for li in items):
                _drop(el)
        for el in _BLOCKS(tree):
            if el.tag in _HEADINGS and next(el.iterancestors("li"), None) is not None:
                continue  # part of a list the step above kept
            if _is_link_block(el):
                _drop(el)


def _letters(text: str) -> int:
    return len(_NON_SPACE.findall(text))


def _is_link_block(el) -> bool:
    if el.getparent() is None:  # already dropped with an ancestor
        return False
    total = _letters(el.text_content())
    if total == 0:
        return False
    if el.tag in _HEADINGS and next(el.iterancestors("a"), None) is not None:
        return True  # a teaser card: image and headline wrapped in one link
    # A spelled-out URL is a reference the author chose to show, not a teaser.
    linked = sum(_letters(t) for a in el.iter("a") if not _URL_TEXT.match(t := a.text_content().strip()))
    return linked >= _LINK_SHARE * total


def _is_teaser(li) -> bool:
    return _is_link_block(li) or any(_is_link_block(h) for h in li.iter(*_HEADINGS))


def _drop(el) -> None:
    """Remove an element and its content, keeping the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)

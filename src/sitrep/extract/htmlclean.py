"""DOM pre-cleaning before main-text extraction.

Removes, in place, page elements that are never article prose but that
trafilatura's own cleaning lets through.  Every rule is structural (what an
element is made of), not keyed to any one site:

- ``hover_cards``: the pop-up part of hover cards and tooltips (a person's
  card with their latest headlines), which sits inside a paragraph and so
  reads as part of the sentence once the page is flattened to text.
- ``embedded_posts`` (keeps rather than removes): a post embedded from a
  social network (tweet, Instagram post) is a quoted source, but the wrapper
  sites put around it is named "social-embed" or the like, which the
  extractor discards as a share bar.  The wrapper is unwrapped.
- ``link_blocks``: paragraphs and headings made (almost) only of link text,
  and lists whose every item is either that or a card with a linked heading:
  teaser cards, "related" lists, in-text promos of other stories.  This is
  the link-density idea of boilerplate detection (Kohlschütter et al., 2010,
  "Boilerplate detection using shallow text features") applied per block,
  before the extractor's own, coarser, per-container test.

XPath queries pick the link-block candidates; the link-share test runs on
those only.  About 2 ms a page, against 20-30 ms for the extraction.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from lxml import etree

RULES: tuple[str, ...] = ("hover_cards", "link_blocks", "embedded_posts")

# The pop-up, not the trigger word it hangs on: deleting the trigger would cut
# a name out of the sentence.
_HOVER_PAYLOAD = re.compile(
    r"(?:rollover|tooltip|popover|hover-?card)[-_]?(?:block|box|content|text|body|inner|panel|card|wrap\w*|popup)"
    r"|^hover-?card$",
    re.IGNORECASE,
)
_EMBEDDED_POSTS = etree.XPath(
    "//blockquote[contains(@class, 'twitter-tweet') or contains(@class, 'instagram-media')"
    " or contains(@class, 'tiktok-embed') or contains(@class, 'bluesky-embed') or contains(@class, 'mastodon-embed')]"
)
_HEADINGS = frozenset(("h2", "h3", "h4", "h5", "h6"))
_LINK_SHARE = 0.8  # share of a block's letters inside links above which it is a list of links
_URL_TEXT = re.compile(r"(?:https?://|www\.)\S+$", re.IGNORECASE)


_OUTSIDE_CHROME = "not(ancestor::nav or ancestor::header or ancestor::footer or ancestor::aside)"
# Page chrome (nav, header, footer, aside) goes anyway; skipping it saves most of the work.
_LISTS = etree.XPath(f"//ul[li//a][{_OUTSIDE_CHROME}] | //ol[li//a][{_OUTSIDE_CHROME}]")
_LINKED_BLOCKS = etree.XPath(
    "//p[.//a] | //dd[.//a] | //h2[.//a or ancestor::a] | //h3[.//a or ancestor::a]"
    " | //h4[.//a or ancestor::a] | //h5[.//a or ancestor::a] | //h6[.//a or ancestor::a]"
)


def clean(tree, skip: Collection[str] = ()) -> None:
    """Prune the parsed page ``tree`` in place; ``skip`` switches rules off by name."""
    if tree is None:
        return
    if "hover_cards" not in skip:
        # A Python walk with a substring test beats an XPath of contains() here.
        for el in [el for el in tree.iter(etree.Element) if _is_popup(el)]:
            _drop(el)
    if "embedded_posts" not in skip:
        for post in _EMBEDDED_POSTS(tree):
            _unwrap_post(post)
    if "link_blocks" not in skip:
        # Lists first, and as a whole or not at all: dropping only their link
        # items would leave the rest looking like prose to the extractor's
        # link-density test.
        for el in _LISTS(tree):
            items = [li for li in el.iterchildren("li") if _letters(li.text_content())]
            if items and all(_is_teaser(li) for li in items):
                _drop(el)
        for el in _LINKED_BLOCKS(tree):
            if el.tag in _HEADINGS and _inside(el, "li"):
                continue  # part of a list the step above kept
            if _is_link_block(el):
                _drop(el)


def _is_popup(el) -> bool:
    cls = el.get("class")
    if cls and ("over" in cls or "ooltip" in cls):
        return any(_HOVER_PAYLOAD.search(c) for c in cls.split())
    return el.get("role") == "tooltip"


def _letters(text: str) -> int:
    return len("".join(text.split()))


def _inside(el, tag: str) -> bool:
    return next(el.iterancestors(tag), None) is not None


def _is_link_block(el) -> bool:
    if el.find(".//a") is None:
        # a teaser card: image and headline wrapped in one link
        return el.tag in _HEADINGS and _inside(el, "a") and _letters(el.text_content()) > 0
    total = _letters(el.text_content())
    if total == 0:
        return False
    # A spelled-out URL is a reference the author chose to show, not a teaser.
    linked = sum(_letters(t) for a in el.iter("a") if not _URL_TEXT.match(t := a.text_content().strip()))
    return linked >= _LINK_SHARE * total


def _is_teaser(li) -> bool:
    return _is_link_block(li) or any(_is_link_block(h) for h in li.iter(*_HEADINGS))


_WRAPPERS = frozenset(("div", "span", "figure", "section", "aside", "p"))


def _unwrap_post(post) -> None:
    """Lift an embedded post out of the wrappers that hold nothing else but scripts."""
    while True:
        wrapper = post.getparent()
        if wrapper is None or wrapper.getparent() is None or wrapper.tag not in _WRAPPERS:
            return
        if (wrapper.text or "").strip() or any(
            (child is not post and child.tag != "script" and isinstance(child.tag, str)) or (child.tail or "").strip()
            for child in wrapper
        ):
            return
        wrapper.addprevious(post)  # the post leaves, with its (blank) tail
        _drop(wrapper)


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

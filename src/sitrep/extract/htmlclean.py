"""DOM pre-cleaning before main-text extraction.

Removes, in place, page elements that are never article prose but that
trafilatura's own cleaning lets through.  Each rule is structural (what an
element is made of, where its links go), not keyed to any one site.
"""

from __future__ import annotations

from collections.abc import Collection

RULES: tuple[str, ...] = ()


def clean(tree, skip: Collection[str] = ()) -> None:
    """Prune the parsed page ``tree`` in place; ``skip`` switches rules off by name."""
    return None

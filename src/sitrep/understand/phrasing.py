"""How a name stands in a sentence: "the United States", "the White House", "Anchorage".

English puts the definite article before proper names whose head is a common noun
("the Black Sea", "the European Union", "the Kremlin") and not before the others
("Russia", "Anchorage", "Paul Ryan").  With no grammar of each name at hand, the
head noun decides, from two closed lists: one for places (many place heads, "hall",
"park", "bridge", are also surnames, so they apply only to names known to be
places) and one for actors (heads no person's name ends in).
"""

from __future__ import annotations

# Head nouns of place names that take the article ("the White House", "the Black Sea").
PLACE_HEADS = frozenset({
    "house", "palace", "hall", "kingdom", "states", "union", "republic", "emirates", "federation", "base", "square",
    "building", "centre", "center", "office", "embassy", "parliament", "assembly", "council", "ministry", "islands",
    "isles", "mountains", "sea", "ocean", "river", "gulf", "strait", "bay", "coast", "peninsula", "valley", "desert",
    "airport", "station", "cathedral", "church", "mosque", "temple", "stadium", "bridge", "tower", "university",
    "hospital", "park", "forest", "canal", "channel", "lake", "plaza", "compound", "headquarters", "region",
    "territory"})
# Head nouns of actor names that take the article ("the United States imposed ...", "the Kremlin").
ACTOR_HEADS = frozenset({"states", "union", "kingdom", "federation", "republic", "emirates", "nations", "kremlin",
                         "pentagon", "vatican", "house", "senate", "parliament", "council", "ministry"})


def with_article(name: str, place: bool = False) -> str:
    """``name`` as a sentence writes it: "the United States", "the White House" (a place), "Paul Ryan"."""
    words = name.split()
    if not words or words[0].lower() == "the":
        return name
    heads = PLACE_HEADS if place else ACTOR_HEADS
    if words[-1].lower() in heads and (len(words) > 1 or not place):
        return f"the {name}"
    return name

"""Name normalisation: one key per name however it is spelled, and a test of
whether two name forms can designate the same bearer.

What it computes
----------------
* :func:`fold` -- Unicode compatibility decomposition with combining marks
  dropped, a few letters that do not decompose mapped by hand (ß ø ł æ œ đ ı),
  lower case, typographic apostrophes made plain.
* :func:`name_key` -- the normalised form of a name: folded, possessive
  removed, leading courtesy titles and ranks removed for persons ("President",
  "Mr", "Gen."), dots dropped, runs of initials joined ("J. D. Vance" and
  "JD Vance" both give ``"jd vance"``), Arabic and European particles split off
  a hyphen ("al-Assad" and "al Assad" give ``"al assad"``).  Countries go
  through :func:`place_key`, which maps every listed name of a country to one
  canonical key ("US", "U.S.", "America" -> ``"united states"``).
* :func:`skeleton` -- a transliteration key of one word.  It is a
  consonant-class code in the family of Soundex (Russell, US patent 1,261,167,
  1918) and Metaphone (Philips, "Hanging on the Metaphone", Computer Language
  7(12), 1990): vowels dropped except a leading one, letters merged into
  classes, doubles collapsed.  The classes are chosen for the ways Latin
  spellings of one Cyrillic or Arabic name differ (English, German, Polish and
  French conventions, BGN/PCGN vs ISO 9): w/v/f/ph, sch/sh/sz/zh, s/z, g/h
  (Ukrainian h for Russian g), k/c/q/ck, x = ks, j/y/i as vowels, dh = d.
* :func:`similar_word` -- two spellings are variants when their skeletons are
  equal and their Jaro-Winkler similarity (Jaro 1989, JASA 84; Winkler 1990,
  Proc. Survey Research Methods) reaches a length-dependent floor, unless one
  is the other plus a Slavic feminine ending (Lavrov / Lavrova, Navalny /
  Navalnaya are different people).
* :func:`same_person` / :func:`conflict` -- person names are compared by
  component, as in record linkage practice (Christen, *Data Matching*, 2012,
  ch. 5): the surnames must be variants of each other and the given names
  compatible (equal, an initial of, a prefix of, a listed nickname of, or a
  transliteration variant of each other).  A surname alone is compatible with
  any full name that has that surname; two full names with the same surname
  and different given names conflict.
* :func:`same_org` -- equal keys, or one is the acronym of the other;
  :func:`same_place` -- equal keys, or one-word spelling variants (Kharkiv /
  Kharkov).

The lexicons (titles, nicknames, countries, seats of government) are small
TSV files under ``sitrep/data/understand``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from rapidfuzz.distance import JaroWinkler

# Letters NFKD leaves alone.
_SPECIAL = str.maketrans({
    "ß": "ss", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "æ": "ae", "Æ": "AE",
    "œ": "oe", "Œ": "OE", "đ": "d", "Đ": "D", "ı": "i", "þ": "th", "ð": "d",
    "’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'", "ʻ": "'",
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-",
})

# Name particles: part of the surname, not given names ("Bashar al-Assad").
PARTICLES = frozenset(
    "al el ul bin ibn abu abd van von der den de da di du del della la le dos das st ter ten".split()
)
# Suffixes that do not change who is meant.
_SUFFIXES = frozenset("jr sr ii iii iv".split())
# Function words skipped when forming an acronym.
_ACRONYM_SKIP = frozenset("of the and for in on at de des du la le to".split())
# Slavic feminine surname endings: "Lavrova" is not "Lavrov".
_FEMININE = ("a", "aya", "ya")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case ASCII-ish form: diacritics removed, apostrophes and dashes made plain."""
    text = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def strip_possessive(text: str) -> tuple[str, bool]:
    """``("Putin", True)`` for "Putin's" / "Putin’s"; ``("Jones", True)`` for "Jones'"."""
    t = text.rstrip()
    for end in ("'s", "’s", "'S", "’S"):
        if t.endswith(end):
            return t[: -len(end)].rstrip(), True
    if len(t) > 1 and t[-1] in "'’" and t[-2] in "sS":
        return t[:-1], True
    return text, False


# -- lexicons -----------------------------------------------------------------


def lexicon_rows(name: str) -> list[list[str]]:
    """Non-comment lines of a lexicon file under ``sitrep/data/understand``, split on tabs."""
    path = resources.files("sitrep").joinpath("data", "understand", name)
    out = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        out.append(line.split("\t"))
    return out


def cell(row: list[str], i: int) -> str:
    """Column i of a lexicon row, "" when the row is shorter."""
    return row[i].strip() if i < len(row) else ""


def alternatives(text: str) -> list[str]:
    """The ";"-separated values of a lexicon cell."""
    return [a.strip() for a in text.split(";") if a.strip()]


@dataclass(frozen=True)
class Titles:
    """Courtesy titles (Mr, Dr, Gen.) and what they imply."""

    office: dict[str, str]  # folded form without dot -> office ("" = courtesy only)
    gender: dict[str, str]  # folded form -> "m" | "f"


@lru_cache(maxsize=1)
def titles() -> Titles:
    office, gender = {}, {}
    for row in lexicon_rows("honorifics.tsv"):
        form = cell(row, 0).lower()
        office[form] = cell(row, 1)
        if cell(row, 2):
            gender[form] = cell(row, 2)
    return Titles(office, gender)


@lru_cache(maxsize=1)
def nicknames() -> dict[str, frozenset[str]]:
    """Given name -> the names it may stand for (both directions listed)."""
    out: dict[str, set[str]] = {}
    for row in lexicon_rows("nicknames.tsv"):
        full = cell(row, 0).lower()
        for short in alternatives(cell(row, 1)):
            out.setdefault(full, set()).add(short)
            out.setdefault(short, set()).add(full)
    return {k: frozenset(v) for k, v in out.items()}


@dataclass(frozen=True)
class Gazetteer:
    """Countries, their names, demonyms and seats of government, by folded key."""

    country: dict[str, str] = field(default_factory=dict)  # any name key -> canonical key
    display: dict[str, str] = field(default_factory=dict)  # canonical key -> display name
    demonym: dict[str, str] = field(default_factory=dict)  # demonym key -> country key
    capital: dict[str, str] = field(default_factory=dict)  # capital key -> country key
    seat: dict[str, tuple[str, str]] = field(default_factory=dict)  # seat key -> (canonical seat key, its own display)
    seat_for: dict[str, tuple[str, str]] = field(default_factory=dict)  # canonical seat key -> (target key, target label)
    seat_place: dict[str, str] = field(default_factory=dict)  # canonical seat key -> its label as a place


def _plain_key(text: str) -> str:
    """Key of a non-person name: folded, dots and apostrophes dropped, other punctuation as spaces."""
    t = fold(text).replace(".", "").replace("'", "").replace("&", " and ")
    t = re.sub(r"[^a-z0-9]+", " ", t).split()
    if t and t[0] == "the" and len(t) > 1:
        t = t[1:]
    return " ".join(t)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    g = Gazetteer()
    for row in lexicon_rows("countries.tsv"):
        name = cell(row, 0)
        key = _plain_key(name)
        g.display[key] = name
        for alias in [name, *alternatives(cell(row, 1))]:
            g.country[_plain_key(alias)] = key
        for dem in alternatives(cell(row, 2)):
            g.demonym.setdefault(_plain_key(dem), key)
        for cap in alternatives(cell(row, 3)):
            g.capital.setdefault(_plain_key(cap), key)
    for row in lexicon_rows("seats.tsv"):
        names = alternatives(cell(row, 0))
        canon = _plain_key(names[0])
        target = _plain_key(cell(row, 1))
        g.seat_for[canon] = (g.country.get(target, target), cell(row, 2) or "GPE")
        g.seat_place[canon] = cell(row, 3) or "FAC"
        g.display.setdefault(target, cell(row, 1))
        for n in names:
            g.seat[_plain_key(n)] = (canon, names[0])
    return g


@lru_cache(maxsize=65536)
def place_key(text: str) -> str:
    """Key of a place or organisation name; a country's every listed name gives its canonical key."""
    key = _plain_key(strip_possessive(text)[0])
    return gazetteer().country.get(key, key)


def country_of(key: str) -> str:
    """Canonical country key for a country name, demonym, capital or seat key ("" if none)."""
    g = gazetteer()
    if key in g.country:
        return g.country[key]
    if key in g.demonym:
        return g.demonym[key]
    if key in g.seat:
        target, label = g.seat_for[g.seat[key][0]]
        return target if label == "GPE" else ""
    return g.capital.get(key, "")


# -- person keys --------------------------------------------------------------


@lru_cache(maxsize=1)
def title_words() -> frozenset[str]:
    """Words that can open a name as a title and are not part of it: courtesy
    titles, the words of offices ("Secretary of State"), qualifiers ("former")
    and demonyms ("Russian President Vladimir Putin")."""
    words = set(titles().office) | {"the", "ex"}
    for row in lexicon_rows("offices.tsv"):
        for phrase in [cell(row, 0), *alternatives(cell(row, 1))]:
            words.update(re.split(r"[\s\-]+", phrase.lower()))
    for row in lexicon_rows("qualifiers.tsv"):
        words.add(cell(row, 0).lower())
    words.update(w for w in gazetteer().demonym if " " not in w)
    words.discard("")
    return frozenset(words)


def person_tokens(text: str) -> list[str]:
    """Normalised tokens of a person's name (see :func:`name_key`)."""
    text = strip_possessive(text)[0]
    t = fold(text).replace("'", "")
    t = re.sub(r"[^a-z0-9.\- ]+", " ", t)
    raw = [w for w in re.split(r"[\s.]+", t) if w.strip("-")]
    toks: list[str] = []
    for w in raw:
        w = w.strip("-")
        head, sep, rest = w.partition("-")
        if sep and head in PARTICLES:  # al-Assad -> al assad
            toks.extend([head, rest])
        else:
            toks.append(w)
    lead = title_words()
    while len(toks) > 1 and toks[0] in lead:
        toks.pop(0)
    while len(toks) > 1 and toks[-1] in _SUFFIXES:
        toks.pop()
    return _join_initials(toks)


def _join_initials(toks: list[str]) -> list[str]:
    """Runs of two or more single letters become one token: j d vance -> jd vance."""
    out: list[str] = []
    run = ""
    for w in toks:
        if len(w) == 1 and w.isalpha():
            run += w
            continue
        if run:
            out.append(run)
            run = ""
        out.append(w)
    if run:
        out.append(run)
    return out


@lru_cache(maxsize=65536)
def name_key(text: str, label: str = "PERSON") -> str:
    """The normalised key of a name: the same for spellings of one name form."""
    if label == "PERSON":
        return " ".join(person_tokens(text))
    if label in ("GPE", "LOC"):
        return place_key(text)
    return _plain_key(strip_possessive(text)[0])


@lru_cache(maxsize=65536)
def split_person(key: str) -> tuple[tuple[str, ...], str]:
    """``(given names, surname)`` of a person key; the surname keeps its particles."""
    toks = key.split()
    if not toks:
        return (), ""
    i = len(toks) - 1
    while i > 0 and toks[i - 1] in PARTICLES:
        i -= 1
    return tuple(toks[:i]), " ".join(toks[i:])


@lru_cache(maxsize=65536)
def surname_core(surname: str) -> str:
    """The surname without its particles: "al assad" -> "assad"."""
    toks = [t for t in surname.split() if t not in PARTICLES]
    return " ".join(toks) if toks else surname


# -- transliteration skeleton --------------------------------------------------

# Ordered longest first: each rewrites a spelling to one class letter.
_DIGRAPHS = [
    ("shch", "X"), ("tsch", "C"), ("sch", "X"), ("dzh", "J"), ("tch", "C"),
    ("sh", "X"), ("sz", "X"), ("zh", "X"), ("rz", "X"), ("ch", "C"), ("cz", "C"),
    ("ts", "C"), ("tz", "C"), ("dj", "J"), ("kh", "K"), ("gh", "G"), ("ph", "V"),
    ("th", "T"), ("dh", "D"), ("ck", "K"), ("ks", "KS"), ("x", "KS"),
]
_CLASS = {
    "b": "B", "p": "P", "v": "V", "w": "V", "f": "V", "m": "M", "n": "N", "l": "L",
    "r": "R", "d": "D", "t": "T", "k": "K", "c": "K", "q": "K", "g": "G", "h": "G",
    "s": "S", "z": "S", "j": "",
}
_VOWELS = frozenset("aeiouyj")


@lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """Transliteration key of one word: "Zelenskyy", "Selenskyj", "Zelensky" -> "SLNSK"."""
    w = re.sub(r"[^a-z]", "", fold(word))
    if not w:
        return ""
    out = ["A"] if w[0] in _VOWELS - {"j"} else []
    i = 0
    while i < len(w):
        for src, dst in _DIGRAPHS:
            if w.startswith(src, i):
                out.append(dst)
                i += len(src)
                break
        else:
            out.append(_CLASS.get(w[i], ""))
            i += 1
    code = "".join(out)
    return re.sub(r"(.)\1+", r"\1", code)


def _jw_floor(n: int) -> float:
    # Short names differ by one letter between unrelated people (Kim / Kum); at three letters and
    # fewer one letter is a third of the name ("San" / "Sean" scores 0.925), so only equal spellings.
    return 1.0 if n <= 3 else 0.9 if n <= 4 else 0.84


def _feminine_pair(a: str, b: str) -> bool:
    """One spelling is the other with a Slavic feminine ending (Lavrov / Lavrova)."""
    for x, y in ((a, b), (b, a)):
        if x.endswith(_FEMININE) and not y.endswith(_FEMININE) and y[-1:] not in "aeo":
            return True
    return False


@lru_cache(maxsize=65536)
def similar_word(a: str, b: str, floor: float | None = None) -> bool:
    """Two spellings of one name word (transliteration or typing variants)."""
    a, b = fold(a), fold(b)
    if a == b:
        return True
    if not a or not b or _feminine_pair(a, b):
        return False
    if skeleton(a) != skeleton(b):
        return False
    lim = _jw_floor(min(len(a), len(b))) if floor is None else floor
    return JaroWinkler.similarity(a, b) >= lim


@lru_cache(maxsize=65536)
def similar_surname(a: str, b: str) -> bool:
    """Surnames that are variants of each other (particles ignored)."""
    ca, cb = surname_core(a), surname_core(b)
    if ca == cb:
        return True
    ta, tb = ca.split(), cb.split()
    if len(ta) != len(tb):
        return False
    return all(similar_word(x, y) for x, y in zip(ta, tb))


def _given_match(a: str, b: str) -> bool:
    if a == b:
        return True
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 3 and long_.startswith(short):
        return True
    if b in nicknames().get(a, ()):
        return True
    return similar_word(a, b, floor=0.74)


def given_compatible(ga: tuple[str, ...], gb: tuple[str, ...]) -> bool:
    """Given names that can belong to one person (either side may be absent)."""
    if not ga or not gb:
        return True
    a0, b0 = ga[0], gb[0]
    # Joined initials against several given names: "jd" vs ("james", "david").
    for x, ys in ((a0, gb), (b0, ga)):
        if 2 <= len(x) <= 3 and len(ys) >= 2 and x == "".join(y[0] for y in ys[: len(x)]):
            return True
    if not _given_match(a0, b0):
        return False
    if len(ga) >= 2 and len(gb) >= 2:
        return _given_match(ga[1], gb[1])
    return True


@lru_cache(maxsize=65536)
def same_person(ka: str, kb: str) -> bool:
    """Two person keys that may name one person (surname variants, compatible given names)."""
    ga, sa = split_person(ka)
    gb, sb = split_person(kb)
    return bool(sa and sb) and similar_surname(sa, sb) and given_compatible(ga, gb)


@lru_cache(maxsize=65536)
def conflict(ka: str, kb: str) -> bool:
    """Same surname, given names that cannot be one person: two different people."""
    ga, sa = split_person(ka)
    gb, sb = split_person(kb)
    return bool(sa and sb) and similar_surname(sa, sb) and not given_compatible(ga, gb)


# -- organisations ------------------------------------------------------------


def acronym(key: str) -> str:
    """Initials of the significant words: "north atlantic treaty organization" -> "nato"."""
    words = [w for w in key.split() if w not in _ACRONYM_SKIP]
    return "".join(w[0] for w in words) if len(words) >= 2 else ""


def same_org(ka: str, kb: str) -> bool:
    """Equal keys, or one is a single word equal to the other's acronym."""
    if ka == kb:
        return True
    for x, y in ((ka, kb), (kb, ka)):
        if " " not in x and len(x) >= 2 and acronym(y) == x:
            return True
    return False


def same_place(ka: str, kb: str) -> bool:
    """Equal keys, or one-word place names that are spelling variants (Kharkiv / Kharkov)."""
    if ka == kb:
        return True
    if " " in ka or " " in kb or min(len(ka), len(kb)) < 5:
        return False
    return similar_word(ka, kb, floor=0.88)

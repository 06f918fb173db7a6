"""Temporal expressions: find them in a document and resolve them against its date.

Computes, for each document, the list of :class:`~sitrep.model.TimeExpr`
("15 August 2025", "next Friday", "the summer of 2021", "three hours",
"every Monday") with an ISO 8601 value.  The method is the classic two-step
rule-based one of TempEx (Mani & Wilson 2000, "Robust temporal processing of
news", ACL) and HeidelTime (Strötgen & Gertz 2013, "Multilingual and
cross-domain temporal tagging", LRE 47): a *recogniser* of regular
expressions over the text (month and weekday names, number words, units,
relative words), then a *normaliser* that turns each match into a value,
using the document's publication date as the anchor for relative
expressions and the tense of the clause for their direction ("on Monday" is
the Monday before the anchor when the verb is past, the one after when it
is future; news defaults to the past).  Values follow TIMEX3 (Pustejovsky
et al. 2005, ISO-TimeML): ``2025-08-15``, ``2025-W33``, ``2025-08``,
``2021-06/2021-08`` (a season, kind "interval"), ``PT3H``, ``P10D``, ``PXM``
("for months"), ``XXXX-WXX-5`` (every Friday, kind "set").

Unanchored documents.  Without a date, a relative expression keeps
``value = ""`` and its meaning is kept, unresolved, in ``anchor`` as a
*relative code* ``rel:<code>``, which :func:`resolve_code` resolves once an
anchor is known (the timeline infers one) and :func:`code_bounds` turns into
day offsets from the unknown anchor:

========================  =====================================================
``rel:D-1``               yesterday (shift of n days; ``W``, ``M``, ``Y`` units)
``rel:WD5N``              next Friday: weekday 1..7, ``N`` first after the
                          anchor, ``L`` last before, ``F`` on/after, ``P``
                          on/before, ``C`` nearest (a bare weekday: the
                          tense decides: past P, future F, present C, else P)
``rel:MD08-15C``          15 August, year unknown: the nearest such day (``P``
                          on/before the anchor, ``F`` on/after: not produced
                          by the recogniser, accepted by the resolver)
``rel:MO08L``             a month without a year (``L``ast, ``N``ext, ``T``his
                          year's, ``P``, ``F``, ``C`` as above)
``rel:SESU-L``            a season without a year (``SP SU AU WI``; same letters)
``rel:SPD-14``            an interval from the anchor: the past 14 days
========================  =====================================================

The recogniser works on the text alone (a dozen compiled patterns, longest
match wins); spaCy is used only for the tense of the clause a match sits in
(:func:`clause_tense`, which the events component shares) and to admit bare
years that spaCy's NER tags as DATE.  dateparser is not used: every pattern
is normalised by its own rule, which is both faster and explainable.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from sitrep.model import TimeExpr

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({a.lower(): i for i, a in enumerate(calendar.month_abbr) if a})
MONTHS["sept"] = 9
WEEKDAYS = {d.lower(): i + 1 for i, d in enumerate(calendar.day_name)}  # ISO: Monday = 1

_UNITS_1 = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
            "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
            "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
# Number words with no fixed value: the duration keeps its unit and gets "X" (TIMEX3).
VAGUE = {"a few", "few", "several", "some", "many", "a couple of", "a couple"}
_FIXED = {"a": 1, "an": 1, "a dozen": 12, "dozen": 12, "half a": 0.5, "half an": 0.5, "a hundred": 100,
          "a couple of": 2, "a couple": 2}

SEASONS = {"spring": "SP", "summer": "SU", "autumn": "AU", "fall": "AU", "winter": "WI"}
# Meteorological seasons of the northern hemisphere (winter runs into the next year).
SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "AU": (9, 11), "WI": (12, 14)}

UNIT_CODE = {"second": "S", "minute": "MI", "hour": "H", "day": "D", "week": "W", "fortnight": "FN",
             "month": "M", "year": "Y", "decade": "DE", "century": "CE", "weekend": "WE"}
GRAIN = {"S": "second", "MI": "minute", "H": "hour", "D": "day", "W": "week", "M": "month", "Y": "year",
         "DE": "decade", "CE": "century", "FN": "week", "WE": "week"}

# -- regular expressions ----------------------------------------------------------

_NUMWORD = (r"(?:" + "|".join(sorted(_TENS, key=len, reverse=True)) + r")(?:[- ](?:"
            + "|".join(k for k in _UNITS_1 if _UNITS_1[k] < 10) + r"))?|"
            + "|".join(sorted(_UNITS_1, key=len, reverse=True)))
NUM = (r"(?P<num>\d+(?:\.\d+)?|(?i:" + _NUMWORD
       + r"|a\s+few|a\s+couple(?:\s+of)?|several|a\s+dozen|dozen|half\s+an?|a\s+hundred|an?))")
UNIT = (r"(?P<unit>(?i:seconds?|minutes?|hours?|days?|weeks?|fortnights?|months?|years?|decades?"
        r"|centuries|century))")
MONTH = (r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November"
         r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?:\.|(?![A-Za-z]))")
DAY = r"(?P<day>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d:])"
YEAR = r"(?P<year>1[6-9]\d\d|20\d\d)(?![\d%])"
WEEKDAY = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
SEASON = r"(?P<season>(?i:spring|summer|autumn|fall|winter))"
_WD_LEAD = r"(?:" + WEEKDAY.replace("?P<wd>", "?:") + r",?\s+)?"
_APPROX = (r"(?P<mod>(?i:about|around|roughly|nearly|almost|approximately|some|more\s+than|over"
           r"|less\s+than|under|at\s+least|up\s+to|just\s+over|just\s+under|barely|only))")

# Days whose name is part of a holiday: never a relative weekday.
_HOLIDAY_WORDS = {"good", "black", "super", "cyber", "ash", "holy", "palm", "easter", "bloody", "maundy"}


def _c(pattern: str) -> re.Pattern:
    return re.compile(pattern)


P_ISO = _c(r"\b(?P<year>(?:19|20)\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])\b")
P_MDY = _c(rf"\b{_WD_LEAD}{MONTH}\s+{DAY}(?:,?\s+{YEAR})?")
P_DMY = _c(rf"\b{_WD_LEAD}(?:the\s+)?{DAY}(?:\s+of)?\s+{MONTH}(?:,?\s+{YEAR})?")
P_MY = _c(rf"\b(?:(?P<part>(?i:early|mid|late))[\s-]+|(?i:the\s+(?:end|beginning|start|middle)\s+of)\s+)?"
          rf"{MONTH},?\s+(?:of\s+)?{YEAR}")
P_MON = _c(rf"\b(?:(?P<rel>(?i:last|next|this|early|mid|late))[\s-]+|(?P<prep>(?i:in|by|since|until|till"
           rf"|from|during|before|after|through|throughout))\s+(?:(?i:the\s+(?:end|beginning|start|middle)\s+of)\s+)?)"
           rf"{MONTH}")
P_YEAR = _c(rf"\b(?P<prep>(?i:in|since|by|until|till|before|after|during|from|through|between|early|late|mid"
            rf"|the\s+year|the\s+end\s+of|the\s+start\s+of|the\s+beginning\s+of))[\s-]+{YEAR}\b")
P_DECADE = _c(r"\bthe\s+(?:(?P<part>early|mid|late)[\s-]+)?(?P<dec>1[6-9]\d0|20\d0)s\b")
P_SEASON_Y = _c(rf"\b(?:(?i:the)\s+)?(?:(?P<part>(?i:early|late))\s+)?{SEASON}(?:\s+of)?,?\s+{YEAR}")
P_SEASON_REL = _c(rf"\b(?P<rel>(?i:last|this|next|past|coming))\s+{SEASON}\b")
P_SEASON_BARE = _c(rf"\b(?P<prep>(?i:in|during|over|since|by))\s+(?P<body>the\s+{SEASON})\b(?!\s+of\b)")
P_QUARTER = _c(rf"\b(?:(?i:the)\s+)?(?P<q>(?i:first|second|third|fourth|1st|2nd|3rd|4th))\s+quarter(?:\s+of)?,?\s+{YEAR}"
               rf"|\bQ(?P<qn>[1-4])\s+{YEAR.replace('?P<year>', '?P<qyear>')}")
P_DAYWORD = _c(r"\b(?P<w>(?i:the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|today|tonight|yesterday"
               r"|tomorrow|this\s+(?:morning|afternoon|evening)|last\s+night))"
               r"(?:\s+(?P<part>morning|afternoon|evening|night))?\b")
P_WEEKDAY = _c(rf"\b(?:(?P<rel>(?i:last|next|this|coming|past))\s+)?{WEEKDAY}"
               r"(?:\s+(?P<part>morning|afternoon|evening|night))?(?![A-Za-z])")
P_SHIFT = _c(r"\b(?:(?P<pre>(?i:earlier|later))\s+)?(?P<rel>(?i:last|next|this|coming|past))\s+"
             r"(?P<unit>(?i:week|weekend|month|year))\b")
P_AGO = _c(rf"\b{NUM}[\s-]+{UNIT}\s+(?P<dir>(?i:ago|from\s+now|hence))\b")
P_IN = _c(rf"\b(?P<prep>(?i:in|within))\s+(?:(?i:the\s+next)\s+)?{NUM}\s+{UNIT}(?:['’]s?\s+time)?\b(?!\s+of\b)")
P_SPAN = _c(rf"\b(?i:the)\s+(?P<rel>(?i:past|last|previous|next|coming))\s+{NUM}\s+{UNIT}\b")
P_DUR = _c(rf"(?:\b{_APPROX}\s+)?(?<![\w-])(?:{NUM}(?P<half1>\s+and\s+a\s+half)?[\s-]+{UNIT}(?P<half2>\s+and\s+a\s+half)?)"
           r"(?!-old|\s+old\b|[\w-])")
P_VAGUE = _c(r"\b(?:(?i:for|over|in)\s+(?:(?i:the\s+past|the\s+last|recent)\s+)?)(?P<unit>(?i:hours|days|weeks|months"
             r"|years|decades))\b|\b(?P<unit2>(?i:hours|days|weeks|months|years|decades))\s+of\b")
P_SET = _c(rf"\b(?i:every|each)\s+(?:(?P<other>other)\s+)?(?:{NUM}\s+)?{UNIT}"
           r"|\b(?P<adv>(?i:daily|weekly|monthly|annually|yearly|hourly|nightly|fortnightly|biweekly))\b"
           r"|\b(?P<freq>(?i:once|twice|three\s+times|four\s+times|several\s+times))\s+(?i:a|an|per|each|every)\s+"
           r"(?P<unit2>(?i:day|week|month|year))\b")
P_SET_WD = _c(r"\b(?:(?i:every|each)\s+(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
              r"|(?i:on)\s+(?P<wds>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s)\b")
P_TOD = _c(r"\b(?P<h>[01]?\d|2[0-3])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>[ap]\.m\.|[ap]m\b|[AP]M\b)"
           r"|\b(?P<h2>[01]?\d|2[0-3]):(?P<mi2>[0-5]\d)\b(?!:\d)"
           r"|\b(?P<word>(?i:noon|midnight))\b")


@dataclass(frozen=True)
class Match:
    """A recognised expression before resolution: where it is and what it means."""

    start: int
    end: int
    meaning: tuple  # (type, ...) — see _resolve for the types
    priority: int = 0  # tie-break between matches of equal length (lower wins)


# -- numbers ------------------------------------------------------------------


def number(text: str) -> float | None:
    """Value of a number written in digits or words ("three", "twenty-five", "a"); None when vague."""
    t = " ".join(text.lower().replace("-", " ").split())
    if t in VAGUE:
        return None
    if t in _FIXED:
        return _FIXED[t]
    try:
        return float(t)
    except ValueError:
        pass
    total = 0
    for w in t.split():
        if w in _TENS:
            total += _TENS[w]
        elif w in _UNITS_1:
            total += _UNITS_1[w]
        else:
            return None
    return total


def _unit(word: str) -> str:
    w = word.lower()
    w = "century" if w == "centuries" else w.rstrip("s")
    return UNIT_CODE[w]


# -- recognisers: one function per pattern family -------------------------------------


def _dates(text: str, scan):
    for m in scan(P_ISO):
        yield Match(m.start(), m.end(), ("abs", f"{m['year']}-{m['m']}-{m['d']}", "day", "date"))
    for p in (P_MDY, P_DMY):
        for m in scan(p):
            mon, day = MONTHS[m["mon"].lower()], int(m["day"])
            if day > calendar.monthrange(2024, mon)[1]:
                continue
            if m["year"]:
                yield Match(m.start(), m.end(), ("abs", f"{m['year']}-{mon:02d}-{day:02d}", "day", "date"))
            elif m["mon"] != "May" or not _lower_before(text, m.start()):
                yield Match(m.start(), m.end(), ("md", mon, day))
    for m in scan(P_MY):
        yield Match(m.start(), m.end(), ("abs", f"{m['year']}-{MONTHS[m['mon'].lower()]:02d}", "month", "date"))
    for m in scan(P_MON):
        start = m.start("rel") if m["rel"] else m.start("mon")
        rel = (m["rel"] or "").lower()
        yield Match(start, m.end(), ("mo", MONTHS[m["mon"].lower()], rel if rel in ("last", "next", "this") else ""))
    for m in scan(P_YEAR):
        yield Match(m.start("year"), m.end("year"), ("abs", m["year"], "year", "date"), 1)
    for m in scan(P_DECADE):
        d = int(m["dec"])
        yield Match(m.start(), m.end(), ("abs", f"{d}/{d + 9}", "decade", "interval"))
    for m in scan(P_QUARTER):
        q = int(m["qn"]) if m["qn"] else ["first", "second", "third", "fourth"].index(_ordinal(m["q"])) + 1
        y = m["year"] or m["qyear"]
        yield Match(m.start(), m.end(), ("abs", f"{y}-{3 * q - 2:02d}/{y}-{3 * q:02d}", "quarter", "interval"))


def _ordinal(word: str) -> str:
    w = word.lower()
    return {"1st": "first", "2nd": "second", "3rd": "third", "4th": "fourth"}.get(w, w)


def _lower_before(text: str, i: int) -> bool:
    """True when the word before ``i`` is a lower-case word that a modal 'May' could follow."""
    j = text.rfind(" ", 0, max(0, i - 1))
    prev = text[j + 1 : i].strip()
    return prev.isalpha() and prev.islower() and prev not in ("on", "in", "of", "since", "by", "until", "from")


def _seasons(text: str, scan):
    for m in scan(P_SEASON_Y):
        yield Match(m.start(), m.end(), ("abs", season_interval(int(m["year"]), SEASONS[m["season"].lower()]),
                                         "season", "interval"))
    for m in scan(P_SEASON_REL):
        rel = m["rel"].lower()
        yield Match(m.start(), m.end(), ("season", SEASONS[m["season"].lower()],
                                         {"last": "last", "past": "last", "next": "next", "coming": "next"}.get(rel, "this")))
    for m in scan(P_SEASON_BARE):
        yield Match(m.start("body"), m.end(), ("season", SEASONS[m["season"].lower()], ""))


def _relatives(text: str, scan):
    for m in scan(P_DAYWORD):
        w = " ".join(m["w"].lower().split())
        shift = {"the day before yesterday": -2, "the day after tomorrow": 2, "yesterday": -1, "tomorrow": 1,
                 "last night": -1}.get(w, 0)
        yield Match(m.start(), m.end(), ("shift", shift, "D"))
    for m in scan(P_WEEKDAY):
        if not m["rel"] and _holiday(text, m.start()):
            continue
        rel = (m["rel"] or "").lower()
        yield Match(m.start(), m.end(), ("wd", WEEKDAYS[m["wd"].lower()],
                                         {"last": "last", "past": "last", "next": "next", "coming": "coming",
                                          "this": "this"}.get(rel, "")))
    for m in scan(P_SHIFT):
        unit, rel = _unit(m["unit"]), m["rel"].lower()
        unit = "W" if unit == "WE" else unit
        if rel == "past":  # "the past year": the twelve months up to the anchor
            yield Match(m.start(), m.end(), ("span", -1, unit))
            continue
        n = {"last": -1, "next": 1, "coming": 1}.get(rel, 0)
        yield Match(m.start(), m.end(), ("shift", n, unit))
    for m in scan(P_AGO):
        n = number(m["num"])
        if n is not None and n == int(n):
            n, unit = _calendar_unit(int(n), m["unit"])
            yield Match(m.start(), m.end(), ("shift", n if m["dir"].lower() != "ago" else -n, unit))
    for m in scan(P_IN):
        n = number(m["num"])
        if n is not None:
            yield Match(m.start(), m.end(), ("in", n, _unit(m["unit"]), m.start("num")))
    for m in scan(P_SPAN):
        n = number(m["num"])
        if n is not None and n == int(n) and n > 1:
            n, unit = _calendar_unit(int(n), m["unit"])
            yield Match(m.start(), m.end(), ("span", -n if m["rel"].lower() in ("past", "last", "previous") else n, unit))


def _calendar_unit(n: int, word: str) -> tuple[int, str]:
    """(n, unit) on the day/week/month/year calendar: hours ago fall on the anchor's day."""
    u = _unit(word)
    if u in ("H", "MI", "S"):
        return 0, "D"
    return {"FN": (2 * n, "W"), "DE": (10 * n, "Y"), "CE": (100 * n, "Y"), "WE": (n, "W")}.get(u, (n, u))


def _holiday(text: str, i: int) -> bool:
    prev = text[max(0, i - 12) : i].split()
    return bool(prev) and prev[-1].lower() in _HOLIDAY_WORDS and prev[-1][:1].isupper()


def _durations(text: str, scan):
    for m in scan(P_DUR):
        num = m["num"].lower()
        if num in ("a", "an") and not (m["mod"] or m["half1"] or m["half2"] or text[max(0, m.start() - 4):m.start()] == "for "):
            continue
        n = number(num)
        if n is not None and (m["half1"] or m["half2"]):
            n += 0.5
        yield Match(m.start(), m.end(), ("dur", n, _unit(m["unit"])), 2)
    for m in scan(P_VAGUE):
        g = "unit" if m["unit"] else "unit2"
        yield Match(m.start(g), m.end(g), ("dur", None, _unit(m[g])), 3)


def _sets(text: str, scan):
    for m in scan(P_SET):
        if m["adv"]:
            unit = {"daily": "D", "nightly": "D", "weekly": "W", "monthly": "M", "annually": "Y", "yearly": "Y",
                    "hourly": "H", "fortnightly": "FN", "biweekly": "FN"}[m["adv"].lower()]
            yield Match(m.start(), m.end(), ("set", 1, unit))
        elif m["freq"]:
            yield Match(m.start(), m.end(), ("set", 1, _unit(m["unit2"])))
        else:
            n = number(m["num"]) if m["num"] else 1
            n = (n or 1) * (2 if m["other"] else 1)
            yield Match(m.start(), m.end(), ("set", n, _unit(m["unit"])))
    for m in scan(P_SET_WD):
        yield Match(m.start(), m.end(), ("setwd", WEEKDAYS[(m["wd"] or m["wds"]).lower()]))


def _times_of_day(text: str, scan):
    for m in scan(P_TOD):
        if m["word"]:
            yield Match(m.start(), m.end(), ("tod", 12 if m["word"].lower() == "noon" else 0, 0))
            continue
        h, mi = int(m["h"] or m["h2"]), int(m["mi"] or m["mi2"] or 0)
        if m["ap"]:
            if h == 0 or h > 12:
                continue
            h = h % 12 + (12 if m["ap"][0].lower() == "p" else 0)
        yield Match(m.start(), m.end(), ("tod", h, mi))


RECOGNISERS = (_dates, _seasons, _relatives, _durations, _sets, _times_of_day)

# Every pattern contains one of these words or a digit; text far from all of them cannot match.
_ANCHOR_WORDS = (
    [m for m in MONTHS] + [d for d in WEEKDAYS] + [d + "s" for d in WEEKDAYS]
    + ["today", "tonight", "tomorrow", "yesterday", "morning", "afternoon", "evening", "night", "noon", "midnight",
       "quarter", "daily", "weekly", "monthly", "annually", "yearly", "hourly", "nightly", "fortnightly", "biweekly"]
    + [u + s for u in ("second", "minute", "hour", "day", "week", "weekend", "fortnight", "month", "year", "decade")
       for s in ("", "s")] + ["century", "centuries"] + list(SEASONS)
)
ANCHORS = frozenset(_ANCHOR_WORDS)
_TOKEN = re.compile(r"\d+|[A-Za-z]+")
WINDOW = 60  # characters around an anchor that a pattern may span (the longest need ~45)


def windows(text: str) -> list[tuple[int, int]]:
    """Stretches of ``text`` within WINDOW characters of an anchor, widened to whole words and merged:
    the patterns run only there, instead of backtracking through every word of the text."""
    spans: list[list[int]] = []
    for m in _TOKEN.finditer(text):
        w = m.group()
        if not (w[0].isdigit() or w.lower() in ANCHORS):
            continue
        a = max(0, m.start() - WINDOW)
        a = text.rfind(" ", 0, a) + 1 if a else 0
        e = text.find(" ", min(len(text), m.end() + WINDOW))
        b = len(text) if e < 0 else e
        if spans and a <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], b)
        else:
            spans.append([a, b])
    return [(a, b) for a, b in spans]


# Patterns that need a word the text may well lack: skipped at once when it does.
_NEEDS = {
    P_AGO: ("ago", "from now", "hence"), P_QUARTER: ("quarter", "q"), P_DECADE: ("0s",),
    P_SEASON_Y: tuple(SEASONS), P_SEASON_REL: tuple(SEASONS), P_SEASON_BARE: tuple(SEASONS),
    P_SET: ("every", "each", "ly", "once", "twice", "times"), P_SET_WD: ("every", "each", "days"),
    P_TOD: (":", "m.", "am", "pm", "noon", "midnight"), P_ISO: ("-",), P_SPAN: ("the past", "the last", "the next",
                                                                           "the previous", "the coming"),
}


def recognise(text: str) -> list[Match]:
    """Every temporal expression of ``text``, longest first where two overlap, in text order."""
    wins = windows(text)
    low = text.lower()

    def scan(p: re.Pattern):
        need = _NEEDS.get(p)
        if need and not any(w in low for w in need):
            return
        for a, b in wins:
            yield from p.finditer(text, a, b)

    cands = [m for rec in RECOGNISERS for m in rec(text, scan)]
    cands.sort(key=lambda m: (-(m.end - m.start), m.priority, m.start))
    taken: list[Match] = []
    used = bytearray(len(text) + 1)
    for m in cands:
        if any(used[m.start : m.end]):
            continue
        used[m.start : m.end] = b"\1" * (m.end - m.start)
        taken.append(m)
    taken.sort(key=lambda m: m.start)
    return _join_times_of_day(text, taken)


def _join_times_of_day(text: str, ms: list[Match]) -> list[Match]:
    """'on Friday at 11 a.m.' / '11 a.m. on Friday': one expression with a date and a time."""
    out: list[Match] = []
    for m in ms:
        prev = out[-1] if out else None
        if prev and _joinable(text, prev, m):
            day, tod = (prev, m) if m.meaning[0] == "tod" else (m, prev)
            out[-1] = Match(prev.start, m.end, ("at", day.meaning, tod.meaning))
        else:
            out.append(m)
    return out


def _joinable(text: str, a: Match, b: Match) -> bool:
    kinds = {a.meaning[0], b.meaning[0]}
    if "tod" not in kinds or len(kinds) != 2:
        return False
    other = a.meaning if b.meaning[0] == "tod" else b.meaning
    dayish = other[0] in ("wd", "md") or (other[0] == "shift" and other[2] == "D") or (other[0] == "abs" and other[2] == "day")
    gap = text[a.end : b.start].strip(" ,").lower()
    return dayish and gap in ("", "at", "on", "of")


# -- codes and resolution ------------------------------------------------------------------


def season_interval(year: int, season: str) -> str:
    a, b = SEASON_MONTHS[season]
    end_year, end_month = year + (b - 1) // 12, (b - 1) % 12 + 1
    return f"{year}-{a:02d}/{end_year}-{end_month:02d}"


def to_code(meaning: tuple, tense: str) -> str | None:
    """The relative code of an anchor-dependent meaning (None for absolute ones)."""
    kind = meaning[0]
    fwd = {"past": "P", "future": "F"}
    if kind == "shift":
        return f"rel:{meaning[2]}{meaning[1]:+d}"
    if kind == "span":
        return f"rel:SP{meaning[2]}{meaning[1]:+d}"
    if kind == "wd":
        mode = {"next": "N", "last": "L", "coming": "F", "this": "F"}.get(meaning[2])
        mode = mode or fwd.get(tense) or ("C" if tense == "present" else "P")
        return f"rel:WD{meaning[1]}{mode}"
    if kind == "md":  # a month and day is almost always the nearest one, whatever the tense
        return f"rel:MD{meaning[1]:02d}-{meaning[2]:02d}C"
    if kind == "mo":
        mode = {"last": "L", "next": "N", "this": "T"}.get(meaning[2]) or fwd.get(tense, "C")
        return f"rel:MO{meaning[1]:02d}{mode}"
    if kind == "season":
        mode = {"last": "L", "next": "N", "this": "T"}.get(meaning[2]) or fwd.get(tense, "C")
        return f"rel:SE{meaning[1]}-{mode}"
    return None


_CODE = re.compile(r"rel:(?:(?P<u>[DWMY])(?P<n>[+-]\d+)|SP(?P<su>[DWMY])(?P<sn>[+-]\d+)|WD(?P<wd>[1-7])(?P<wm>[NLFPC])"
                   r"|MD(?P<mm>\d\d)-(?P<md>\d\d)(?P<mdm>[PFC])|MO(?P<mo>\d\d)(?P<mom>[LNTPFC])"
                   r"|SE(?P<se>SP|SU|AU|WI)-(?P<sem>[LNTPFC]))$")


def code_weekday(code: str) -> int:
    """The ISO weekday (1 = Monday) a relative code names ("rel:WD5N", next Friday), else 0."""
    m = _CODE.match(code)
    return int(m["wd"]) if m and m["wd"] else 0


WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def weekday_name(n: int) -> str:
    """The English name of ISO weekday ``n`` (1 = Monday), '' for 0 or anything else."""
    return WEEKDAY_NAMES[n - 1] if isinstance(n, int) and 1 <= n <= 7 else ""


def resolve_code(code: str, anchor: date) -> tuple[str, str, str]:
    """(kind, value, grain) of relative ``code`` for a document dated ``anchor``."""
    m = _CODE.match(code)
    if not m:
        raise ValueError(f"not a relative time code: {code!r}")
    if m["u"]:
        return "date", *_shifted(anchor, int(m["n"]), m["u"])
    if m["su"]:
        return "interval", _span(anchor, int(m["sn"]), m["su"]), GRAIN[m["su"]]
    if m["wd"]:
        return "date", _weekday(anchor, int(m["wd"]), m["wm"]).isoformat(), "day"
    if m["mm"]:
        return "date", _month_day(anchor, int(m["mm"]), int(m["md"]), m["mdm"]).isoformat(), "day"
    if m["mo"]:
        y = _pick_year(anchor, lambda y: (date(y, int(m["mo"]), 1), _month_end(y, int(m["mo"]))), m["mom"])
        return "date", f"{y}-{m['mo']}", "month"
    y = _pick_year(anchor, lambda y: _season_range(y, m["se"]), m["sem"])
    return "interval", season_interval(y, m["se"]), "season"


def _shifted(anchor: date, n: int, unit: str) -> tuple[str, str]:
    if unit == "D":
        return (anchor + timedelta(days=n)).isoformat(), "day"
    if unit == "W":
        y, w, _ = (anchor + timedelta(weeks=n)).isocalendar()
        return f"{y}-W{w:02d}", "week"
    if unit == "M":
        k = anchor.year * 12 + anchor.month - 1 + n
        return f"{k // 12}-{k % 12 + 1:02d}", "month"
    return str(anchor.year + n), "year"


def _span(anchor: date, n: int, unit: str) -> str:
    days = {"D": 1, "W": 7, "M": 30, "Y": 365}[unit] * n
    other = anchor + timedelta(days=days)
    a, b = sorted((anchor, other))
    return f"{a.isoformat()}/{b.isoformat()}"


def _weekday(anchor: date, wd: int, mode: str) -> date:
    ahead = (wd - anchor.isoweekday()) % 7  # 0..6 days to the coming one
    if mode == "N":
        return anchor + timedelta(days=ahead or 7)
    if mode == "F":
        return anchor + timedelta(days=ahead)
    back = (anchor.isoweekday() - wd) % 7
    if mode == "C":  # the nearest, the past one on a tie
        return anchor + timedelta(days=ahead) if ahead < back else anchor - timedelta(days=back)
    if mode == "L":
        return anchor - timedelta(days=back or 7)
    return anchor - timedelta(days=back)


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _month_day(anchor: date, mon: int, day: int, mode: str) -> date:
    def at(y):
        return date(y, mon, min(day, calendar.monthrange(y, mon)[1]))
    y = _pick_year(anchor, lambda y: (at(y), at(y)), mode)
    return at(y)


def _season_range(y: int, season: str) -> tuple[date, date]:
    a, b = SEASON_MONTHS[season]
    return date(y, a, 1), _month_end(y + (b - 1) // 12, (b - 1) % 12 + 1)


def _pick_year(anchor: date, rng, mode: str) -> int:
    """The year whose period (``rng(year)`` → first, last day) the mode selects around the anchor.

    P: the latest period that has started by the anchor; F: the earliest that has
    not ended; T: the anchor's year; L / N: the one before / after the period
    containing the anchor or nearest to it; C: the period nearest the anchor.
    """
    y0 = anchor.year
    # Two years either side: a period that straddles New Year (winter) can make the one
    # before the current period start two calendar years back.
    years = (y0 - 2, y0 - 1, y0, y0 + 1, y0 + 2)
    if mode == "T":
        return y0
    picks = {
        "P": lambda: max(y for y in years if rng(y)[0] <= anchor),
        "F": lambda: min(y for y in years if rng(y)[1] >= anchor),
        "L": lambda: max(y for y in years if rng(y)[1] < anchor),
        "N": lambda: min(y for y in years if rng(y)[0] > anchor),
    }
    if mode in picks:
        return picks[mode]()
    return min(years, key=lambda y: (_distance(anchor, rng(y)), y))


def _distance(d: date, r: tuple[date, date]) -> int:
    return 0 if r[0] <= d <= r[1] else min(abs((r[0] - d).days), abs((r[1] - d).days))


def code_bounds(code: str) -> tuple[int, int]:
    """Offset, in days, of the expression's date from the (unknown) anchor: (min, max).

    Ambiguities widen the range: "next Friday" is read by some writers as the coming
    Friday and by others as the one of next week, so it spans 1..13 days.
    """
    m = _CODE.match(code)
    if not m:
        raise ValueError(f"not a relative time code: {code!r}")
    if m["u"]:
        n, per = int(m["n"]), {"D": 1, "W": 7, "M": 30, "Y": 365}[m["u"]]
        return (n, n) if per == 1 else (n * per - per + 1, n * per + per - 1)
    if m["su"]:
        n = int(m["sn"]) * {"D": 1, "W": 7, "M": 30, "Y": 365}[m["su"]]
        return (min(n, 0), max(n, 0))
    mode = m["wm"] or m["mdm"] or m["mom"] or m["sem"]
    if m["wd"]:
        return {"N": (1, 13), "L": (-13, -1), "F": (0, 6), "P": (-6, 0), "C": (-3, 3)}[mode]
    return {"P": (-366, 0), "L": (-730, -1), "F": (0, 366), "N": (1, 730), "T": (-366, 366), "C": (-183, 183)}[mode]


# -- values ------------------------------------------------------------------------


def duration_value(n: float | None, unit: str) -> str:
    """ISO 8601 duration: PT3H, P10D, P2W, PXM (a vague number)."""
    if unit in ("DE", "CE"):
        unit, n = "Y", None if n is None else n * (10 if unit == "DE" else 100)
    if unit == "FN":
        unit, n = "W", None if n is None else n * 2
    if unit == "WE":
        unit, n = "D", None if n is None else n * 2
    smaller = {"H": ("MI", 60), "D": ("H", 24), "Y": ("M", 12), "M": ("D", 30), "MI": ("S", 60)}
    if n is not None and n != int(n) and unit in smaller:  # "half an hour": PT30M, not PT0.5H
        whole, frac = int(n), n - int(n)
        sub, k = smaller[unit]
        head = duration_value(whole, unit) if whole else ""
        tail = duration_value(frac * k, sub)
        if not head:
            return tail
        tail = tail[1:]  # drop the P; and the T when the head already has its time part
        return head + (tail[1:] if "T" in head and tail.startswith("T") else tail)
    q = "X" if n is None else (str(int(n)) if n == int(n) else f"{n:g}")
    if unit in ("H", "MI", "S"):
        return f"PT{q}{'M' if unit == 'MI' else unit}"
    return f"P{q}{unit}"


def _absolute(meaning: tuple) -> tuple[str, str, str] | None:
    """(kind, value, grain) of meanings that need no anchor."""
    kind = meaning[0]
    if kind == "abs":
        return meaning[3], meaning[1], meaning[2]
    if kind == "dur":
        return "duration", duration_value(meaning[1], meaning[2]), GRAIN[meaning[2]]
    if kind == "set":
        return "set", duration_value(meaning[1], meaning[2]), GRAIN[meaning[2]]
    if kind == "setwd":
        return "set", f"XXXX-WXX-{meaning[1]}", "day"
    if kind == "tod":
        return "date", f"T{meaning[1]:02d}:{meaning[2]:02d}", "minute"
    return None


def _anchor_label(published_from: str) -> str:
    return {"dateline": "dateline", "text": "dateline", "inferred": "inferred"}.get(published_from, "published")


def resolve(meaning: tuple, anchor: date | None, tense: str, published_from: str = "") -> tuple[str, str, str, str]:
    """(kind, value, grain, anchor) of a recognised meaning in a clause of the given tense."""
    if meaning[0] == "in":  # "in three weeks": a date ahead, unless the clause is past ("built in three days")
        n, unit = meaning[1], meaning[2]
        if tense == "past" or unit not in ("D", "W", "M", "Y") or n != int(n):
            return "duration", duration_value(n, unit), GRAIN[unit], "absolute"
        meaning = ("shift", int(n), unit)
    if meaning[0] == "at":
        return _resolve_at(meaning, anchor, tense, published_from)
    fixed = _absolute(meaning)
    if fixed:
        return (*fixed, "absolute")
    code = to_code(meaning, tense)
    if anchor is None:  # kind and grain do not depend on the anchor: take them from any date
        kind, _, grain = resolve_code(code, date(2001, 1, 1))
        return kind, "", grain, code
    kind, value, grain = resolve_code(code, anchor)
    return kind, value, grain, _anchor_label(published_from)


def _resolve_at(meaning: tuple, anchor: date | None, tense: str, published_from: str) -> tuple[str, str, str, str]:
    _, day, tod = meaning
    kind, value, grain, how = resolve(day, anchor, tense, published_from)
    if not value:
        return kind, value, grain, how
    return "date", f"{value}T{tod[1]:02d}:{tod[2]:02d}", "minute", how


def is_relative_code(anchor: str) -> bool:
    return anchor.startswith("rel:")


# -- tense of a clause (shared with the events component) -----------------------------

FUTURE_GOVERNORS = {"set", "expect", "schedule", "plan", "due", "poise", "slate", "intend", "prepare", "go",
                    "aim", "hope", "seek", "want", "look"}
FUTURE_ADJECTIVES = {"due", "likely", "poised", "slated", "set", "scheduled", "expected", "about"}
_FUTURE_AUX = {"will", "shall", "'ll", "’ll", "wo"}
_PERFECT = {"have", "has", "had", "'ve", "’ve"}
_CLIMB = {"xcomp", "pcomp", "acl", "advcl", "ccomp", "conj", "prep", "pobj", "dobj", "nsubj", "nsubjpass",
          "attr", "npadvmod", "advmod", "amod", "compound", "appos", "poss", "nmod", "dep", "oprd", "agent"}


def clause_tense(tok) -> str:
    """'past' | 'present' | 'future' | '' (modal or unknown) of the clause governing spaCy token ``tok``.

    From the verb group: will/shall → future; a present-tense governor of
    expectation ("is set to", "plans to", "is expected to", "is going to") over
    a non-finite verb → future; past tense, or a perfect → past; present →
    present; a modal (could, would, may) → unknown.  Non-finite verbs take the
    tense of the verb they depend on.
    """
    v = tok
    for _ in range(8):
        if v.pos_ in ("VERB", "AUX") and v.dep_ not in ("aux", "auxpass"):
            t = _verb_group_tense(v)
            if t is not None:
                return t
        if v.head == v or v.dep_ not in _CLIMB and v.pos_ not in ("NOUN", "PROPN", "ADP", "NUM", "ADJ", "PRON"):
            break
        v = v.head
    return ""


def _verb_group_tense(v) -> str | None:
    """Tense of verb ``v`` from itself and its auxiliaries; None when non-finite (climb)."""
    auxes = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxes}
    if words & _FUTURE_AUX:
        return "future"
    if "would" in words and v.dep_ == "ccomp":  # reported future: "said he would travel on Monday"
        return "future"
    if any(a.tag_ == "MD" for a in auxes):
        return ""
    if any(c.dep_ == "acomp" and c.lower_ in FUTURE_ADJECTIVES for c in v.children) and v.tag_ != "VBD":
        return "future"  # "is due at the White House on Monday", "is due to receive"
    if v.dep_ == "xcomp" and v.head.lower_ in FUTURE_ADJECTIVES and v.head.head.tag_ != "VBD":
        return "future"
    finite = [a for a in auxes if a.tag_ in ("VBD", "VBZ", "VBP")] + ([v] if v.tag_ in ("VBD", "VBZ", "VBP") else [])
    if not finite:
        return None
    if v.lemma_ in FUTURE_GOVERNORS and any(c.dep_ == "xcomp" for c in v.children):
        if v.lemma_ != "go" or v.tag_ == "VBG":
            return "future" if finite[0].tag_ != "VBD" else ""
    if words & _PERFECT and finite[0].tag_ != "VBD":
        return "past"  # present perfect: the event lies before the time of writing
    return "past" if finite[0].tag_ == "VBD" else "present"


# -- the component ----------------------------------------------------------------------


def anchor_date(iso: str) -> date | None:
    try:
        return date.fromisoformat(iso[:10]) if iso and len(iso) >= 10 else None
    except ValueError:
        return None


def find_times(sdoc, ann, doc=None) -> None:
    """Per-document component: fill ``ann.times`` from spaCy doc ``sdoc`` (anchor: ``ann.published``)."""
    text = sdoc.text
    anchor = anchor_date(ann.published)
    matches = recognise(text)
    matches += _years_from_entities(sdoc, matches)
    matches.sort(key=lambda m: m.start)
    ann.times = [_time_expr(sdoc, text, m, anchor, ann.published_from) for m in matches]


def _years_from_entities(sdoc, matches: list[Match]) -> list[Match]:
    """Bare years the recogniser leaves alone (no preposition) but spaCy's NER calls dates ("the 2022 invasion")."""
    out = []
    for ent in sdoc.ents:
        if ent.label_ == "DATE" and len(ent) == 1 and re.fullmatch(r"1[6-9]\d\d|20\d\d", ent.text):
            if not any(m.start < ent.end_char and ent.start_char < m.end for m in matches):
                out.append(Match(ent.start_char, ent.end_char, ("abs", ent.text, "year", "date")))
    return out


def _time_expr(sdoc, text: str, m: Match, anchor: date | None, published_from: str) -> TimeExpr:
    tense = ""
    if m.meaning[0] in ("wd", "md", "mo", "season", "in", "at"):
        span = sdoc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None and len(span):
            tense = clause_tense(span.root)
        before = text[max(0, m.start - 8) : m.start].split()
        if before and before[-1].lower() in ("for", "by", "until", "till"):
            tense = "future"  # "invited him to Washington for Monday": a day ahead
    kind, value, grain, how = resolve(m.meaning, anchor, tense, published_from)
    return TimeExpr(m.start, m.end, text[m.start : m.end], kind, value, grain, how)

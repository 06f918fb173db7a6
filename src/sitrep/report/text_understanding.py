"""The understanding sections as plain terminal lines, for ``sitrep entities``,
``quotes``, ``timeline`` and ``stories``.

The same values as sitrep.json's ``actors``, ``quotes``, ``timeline`` and
``stories`` (see :mod:`sitrep.report.collect_understanding`), one record a
line or a few, documents named by their number (``#3``).  Article-derived
strings go through :func:`plain`: control characters, which could move the
cursor or rewrite the screen, and bidi overrides become U+FFFD, and
whitespace folds to single spaces.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sitrep.report.collect_understanding import roles_by_qualifier

Obj = dict[str, Any]

VARIANTS_SHOWN = 8
STORY_ACTORS_SHOWN = 10
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
INDENT = " " * 8


def plain(value: Any, cap: int | None = None) -> str:
    """``value`` as one line of inert text, cut to ``cap`` characters."""
    s = " ".join(_CONTROL.sub("\ufffd", str(value or "")).split())
    return s if cap is None or len(s) <= cap else s[: cap - 1] + "…"


def actor_lines(a: Obj, names: dict[str, str], refs: dict[str, str]) -> list[str]:
    """An actor: kind, counts, name and id; what it stands for; spellings; one line per role."""
    lines = [f"{plain(a['label']):<7} docs={a['documents']:<5} mentions={a['mentions']:<6} "
             f"{plain(a['name'], 60)}  [{plain(a['id'])}]"]
    if a["stands_for"]:
        lines.append(f"{INDENT}stands for: {plain(names.get(a['stands_for'], a['stands_for']))}")
    vs = a["variants"]
    if vs:
        more = f" and {len(vs) - VARIANTS_SHOWN} more" if len(vs) > VARIANTS_SHOWN else ""
        lines.append(f"{INDENT}spelled: " + ", ".join(f"{plain(v['text'])} ×{v['count']}"
                                                      for v in vs[:VARIANTS_SHOWN]) + more)
    lines += [f"{INDENT}role: {line}" for line in role_lines(a["roles"], refs)]
    return lines


def role_lines(roles: list[Obj], refs: dict[str, str]) -> list[str]:
    """One line per role, its statements by qualifier, so disagreeing sources show side by side."""
    lines = []
    for role, quals in roles_by_qualifier(roles).items():
        stated = "; ".join(
            f"{plain(q) or 'current'}: " + ", ".join(
                refs.get(r["document_id"], r["document_id"]) + (f" ({plain(r['date'])})" if r["date"] else "")
                for r in rs)
            for q, rs in quals.items())
        lines.append(f"{plain(role)} — {stated}" + ("  [sources disagree]" if len(quals) > 1 else ""))
    return lines


def speaker_filter(name: str | None, actors: list[Obj]) -> Callable[[Obj], bool]:
    """Whether a quote's speaker matches ``name``: a substring, ignoring case, of the
    speaker's actor name or one of its spellings, or of the words naming the speaker."""
    if not name:
        return lambda q: True
    needle = name.casefold()
    known = {a["id"] for a in actors
             if needle in a["name"].casefold() or any(needle in v["text"].casefold() for v in a["variants"])}
    return lambda q: q["identity_id"] in known or needle in q["speaker"].casefold()


def speaker_lines(ident: str | None, quotes: list[Obj], names: dict[str, str], refs: dict[str, str]) -> list[str]:
    """A speaker's head line, then one line per quote: document, kind, cue, content, single-source mark."""
    head = plain(names[ident], 60) if ident else "(speaker not resolved to an actor)"
    lines = [f"{head}  ({len(quotes)} quote{'s' if len(quotes) != 1 else ''})"]
    for q in quotes:
        who = "" if ident else f"{plain(q['speaker'], 30) or '?'}: "
        mark = "  [single source]" if q["single_source"] else ""
        lines.append(f"{refs.get(q['document_id'], ''):>7}  {plain(q['kind']):<8} {plain(q['cue'], 16):<16} "
                     f"{who}“{plain(q['text'], 160)}”{mark}")
    return lines


def timeline_lines(t: Obj, names: dict[str, str], refs: dict[str, str]) -> list[str]:
    """The events, then the document order."""
    lines = ["events:"] if t["events"] else []
    for e in t["events"]:
        where = f"  at {plain(names.get(e['place'], e['place']))}" if e["place"] else ""
        took = f"  for {plain(e['duration'])}" if e["duration"] else ""
        reported = " ".join(refs.get(s["document_id"], "?") for s in e["support"]) or "-"
        lines.append(f"{e['rank']:>5}  {plain(e['date']) or '(relative)':<12} {plain(e['label'], 60)}{where}{took}"
                     f"  reported by {reported}")
        if e["date_evidence"]:
            lines.append(f"{'':>7}dated by: {plain(e['date_evidence'], 100)}")
    labels = {e["id"]: e["label"] for e in t["events"]}
    if t["placements"]:
        lines.append("document order:")
    for p in t["placements"]:
        against = f" {plain(labels.get(p['event_id'], p['event_id']), 40)}" if p["event_id"] else ""
        lines.append(f"{p['rank']:>5}  {refs.get(p['document_id'], '?'):>6}  {plain(p['date']) or '----------'}  "
                     f"{plain(p['relation'])}{against}  — {plain(p['reason'], 80)}")
    return lines


def story_lines(s: Obj, names: dict[str, str], refs: dict[str, str]) -> list[str]:
    """A story: size, date range, label and id; its key actors; its documents."""
    dates = " – ".join(plain(d) for d in dict.fromkeys((s["start"], s["end"])) if d) or "undated"
    cast = ", ".join(plain(names.get(i, i)) for i in s["actors"][:STORY_ACTORS_SHOWN]) or "-"
    return [f"docs={s['size']:<5} {dates:<23}  {plain(s['label'], 70)}  [{plain(s['id'])}]",
            f"{INDENT}actors: {cast}",
            f"{INDENT}documents: " + " ".join(refs.get(i, i) for i in s["documents"])]

"""The corroboration sections as plain terminal lines, for ``sitrep brief``,
``claims`` and ``contradictions``.

The same values as sitrep.json's ``briefings``, ``claims`` and
``contradictions`` (see :mod:`sitrep.report.collect_corroboration`).  A
citation prints as ``[#3 120-180]``: document #3 (its number in ``sitrep
docs``), characters 120 to 180 of its text, which ``sitrep show 3`` prints.
Article-derived strings go through
:func:`~sitrep.report.text_understanding.plain` (control characters and bidi
overrides become U+FFFD, whitespace folds).
"""

from __future__ import annotations

from typing import Any

from sitrep.report.text_understanding import INDENT, plain

Obj = dict[str, Any]

SECTION_TITLES = {"happened": "What happened", "actors": "Who is involved", "claims": "Key claims",
                  "disputed": "Disputed points", "positions": "Positions and shifts", "sources": "Sources"}
CITES_SHOWN = 12


def cite(c: Obj, refs: dict[str, str]) -> str:
    """``#3 120-180``: a document's number (or its id when unknown) and the span."""
    return f"{refs.get(c['document_id'], plain(c['document_id']))} {int(c['start'])}-{int(c['end'])}"


def cites(cs: list[Obj], refs: dict[str, str], cap: int = CITES_SHOWN) -> str:
    more = f", and {len(cs) - cap} more" if len(cs) > cap else ""
    return "[" + ", ".join(cite(c, refs) for c in cs[:cap]) + more + "]" if cs else "[no citation]"


def briefing_lines(b: Obj, refs: dict[str, str]) -> list[str]:
    """The briefing: its title and mode, then each section's sentences with their citations."""
    lines = [f"{plain(b['title'], 100)}  [{plain(b['story_id'])}]  ({plain(b['mode'])})"]
    section = None
    for s in b["sentences"]:
        if s["section"] != section:
            section = s["section"]
            lines += ["", SECTION_TITLES.get(section, plain(section)) + ":"]
        mark = "  [NOT BACKED by its citations]" if not s["supported"] else ""
        lines.append(f"  - {plain(s['text'])} {cites(s['citations'], refs)}{mark}")
    return lines


def claim_lines(g: Obj, refs: dict[str, str]) -> list[str]:
    """A claim group: support, marks, label and id; then its claims' spans."""
    marks = "".join(f"  [{m}]" for m, on in (("single source", g["single_source"]),
                                              ("content farms only", g["farm_only"])) if on)
    spans = [{"document_id": c["document_id"], "start": c["start"], "end": c["end"]} for c in g["claims"]]
    return [f"sources={g['independent_sources']:<3} docs={len(g['documents']):<4} cw={g['checkworthy']:.2f}  "
            f"{plain(g['label'], 120)}{marks}  [{plain(g['id'])}]",
            f"{INDENT}story: {plain(g['story_id'])}  claims: {cites(spans, refs)}"]


def contradiction_lines(c: Obj, names: dict[str, str], refs: dict[str, str]) -> list[str]:
    """A disputed point: kind, subject, topic; then each side's value, sources and citations."""
    lines = [f"{plain(c['kind']):<8} {plain(names.get(c['subject'], c['subject']), 50)} — {plain(c['topic'], 50)}"
             f"  [{plain(c['id'])}]"]
    for name in ("a", "b"):
        side = c[name]
        farm = "  [content farms only]" if side["farm_only"] else ""
        lines.append(f"{INDENT}{name.upper()}: {plain(side['value'], 80)}  sources={side['sources']}  "
                     f"{cites(side['citations'], refs)}{farm}")
    return lines

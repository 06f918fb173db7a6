"""The per-document quality card: signals, a 0..1 score and the content-farm verdict.

Combines evidence computed elsewhere (template sections, quoted experts,
derivations, spin) with cheap checks on the document itself (boilerplate
left over, missing date or byline, rhetorical filler at the close).  Each
signal carries a weight in 0..1, a human-readable detail and the spans of
``Document.text`` it rests on.

Score.  The signals are treated as independent reasons for doubt, combined
like independent probabilities (a noisy-OR; Pearl, "Probabilistic
Reasoning in Intelligent Systems", 1988, ch. 4):
``score = prod(1 - weight)``, so 1 means no concerns and each signal removes
its share of what is left.

Content-farm rule (documented in :func:`is_content_farm`).  Farm pages are
told apart from news by the *template*: no single cue is enough, because real
articles also end on "only time will tell", quote people nobody else quotes,
or ask readers to comment.  The verdict therefore needs two kinds of
confirmed template section (see ``sitrep.provenance.templates``), or one kind
backed by two other independent families of farm evidence.

The function is pure: the pipeline computes the corpus-wide inputs (expert
counts, derivations, spin) and calls it per document, in any process.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from sitrep.model import Derivation, Document, QualityCard, Signal, SpinResult
from sitrep.provenance import wire
from sitrep.provenance.experts import UNITS, expert_mentions, sources_citing
from sitrep.provenance.templates import Finding, find_template_sections, strong_kinds

REWRITE_RELATIONS = ("rewrite", "spun")
WEIGHTS = {
    "unknown_expert": 0.05,  # quoted in one source only: the norm in news, so weak alone
    "generic_role": 0.1,
    "generic_affiliation": 0.1,
    "expert_in_template": 0.15,
    "no_date": 0.1,
    "no_byline": 0.1,
    "closer": 0.05,
    "max_closer": 0.15,
    "max_boilerplate": 0.3,
    "max_spin": 0.6,
    "max_rewrite": 0.5,
}
FARM_SUPPORT = 0.15  # an unknown expert or a rewrite counts as farm support from this weight up
MIN_BOILERPLATE = 0.05  # below this share, leftover chrome is not worth a signal
CLOSING_CHARS = 700  # the closing paragraph(s) where filler closers sit
MAX_SPANS = 20

_CLOSERS = re.compile(
    r"\b(?:only time will tell|remains to be seen|one thing is (?:certain|clear)"
    r"|the world (?:will be|is) watching|all eyes (?:will be|are) on"
    r"|for (?:years|decades|generations) to come|hangs in the balance"
    r"|the stakes (?:couldn'?t|could not) be higher"
    r"|in (?:today'?s|this) ever[- ](?:changing|evolving)|a story (?:that'?s|that is) far from over"
    r"|watch this space|the (?:future|outcome) (?:is|remains) uncertain)\b", re.I)
_BYLINE = re.compile(r"^\s*(?:by|written by|words by|reporting by)\s+[A-Z][\w.'’\-]+", re.I | re.M)
# Credit lines beside the wire and "originally published by" credits of sitrep.provenance.wire.
_CREDIT = re.compile(
    r"\b(?:reprinted (?:here )?(?:with permission )?(?:from|of)|courtesy of|adapted from"
    r"|this (?:article|story) (?:was|is) (?:adapted|based on|republished))\b|^\s*source:\s*\S", re.I | re.M)


def quality_card(doc: Document, *, spin: SpinResult | None = None,
                 derivations: Iterable[Derivation] = (),
                 expert_counts: Mapping[str, int] | None = None) -> QualityCard:
    """Judge one document from its own text plus the corpus-wide products about it."""
    findings = find_template_sections(doc.text, doc.title)
    signals = [f.signal() for f in findings]
    signals += expert_signals(doc.text, findings, expert_counts)
    signals += rewrite_signals(doc, derivations)
    signals += spin_signals(spin)
    signals += metadata_signals(doc)
    signals += closer_signals(doc.text)
    score = 1.0
    for s in signals:
        score *= 1.0 - s.weight
    return QualityCard(doc.id, round(score, 4), is_content_farm(findings, signals), signals)


def is_content_farm(findings: list[Finding], signals: list[Signal]) -> bool:
    """The content-farm rule.

    True when the text has confirmed template sections of at least two kinds
    (FAQ, did-you-know, tip, expert insight, key takeaways, call to action,
    what-this-means-for-you), or of one kind plus at least two of these other
    families of farm evidence: weak template cues (three or more generic meta
    headings, a closing call to comment, advice to the reader, an unconfirmed
    template label of another kind), an unknown expert with a generic role or
    institute or inside a template section (weight >= 0.15), an uncredited
    rewrite of another document (weight >= 0.15), a rhetorical filler closer.
    Spin, missing metadata and leftover boilerplate lower the score but are
    not farm evidence: a spun copy or a sloppy page is not a template farm.
    """
    kinds = strong_kinds(findings)
    if len(kinds) >= 2:
        return True
    return len(kinds) == 1 and len(_support_families(findings, signals)) >= 2


def _support_families(findings: list[Finding], signals: list[Signal]) -> set[str]:
    families = set()
    kinds = strong_kinds(findings)
    weak = [f for f in findings if not f.strong and f.kind not in kinds]
    if sum(f.kind == "meta_heading" for f in weak) >= 3 or any(f.kind != "meta_heading" for f in weak):
        families.add("weak_template")
    for s in signals:
        if s.name in ("unknown_expert", "uncredited_rewrite") and s.weight >= FARM_SUPPORT:
            families.add(s.name)
        elif s.name == "rhetorical_closer":
            families.add(s.name)
    return families


# -- experts ----------------------------------------------------------------------

def expert_signals(text: str, findings: list[Finding],
                   counts: Mapping[str, int] | None) -> list[Signal]:
    """Experts cited by this document and by no other counted source.

    Needs the corpus-wide counts (``experts.expert_counts``, including this
    document); without them, or in a corpus of one source, nothing is said.
    """
    if counts is None or counts.get(UNITS, 0) < 2:
        return []
    sections = [f.block_span for f in findings if f.strong] + [f.label_span for f in findings if f.strong]
    out, seen = [], set()
    for m in expert_mentions(text):
        ident = m.name_key or m.affiliation_key
        if ident in seen or sources_citing(m, counts) > 1:
            continue
        seen.add(ident)
        weight, why = WEIGHTS["unknown_expert"], ["cited by no other source"]
        if m.generic_role:
            weight += WEIGHTS["generic_role"]
            why.append(f"generic role '{m.role}'")
        if m.affiliation and m.generic_affiliation:
            weight += WEIGHTS["generic_affiliation"]
            why.append(f"generic institute name '{m.affiliation}'")
        if any(s <= m.start < e for s, e in sections):
            weight += WEIGHTS["expert_in_template"]
            why.append("quoted inside a template section")
        who = m.name or m.affiliation
        out.append(Signal("unknown_expert", round(weight, 3), f"{who}: " + "; ".join(why),
                          ((m.start, m.end),)))
    return out


# -- derivations, spin, metadata, closers -----------------------------------------------

def has_credit(doc: Document) -> bool:
    """Does the document say where its text comes from (a wire, a reprint line, a source)?"""
    return bool(wire.document_credits(doc) or wire.origin_credits(doc.text) or _CREDIT.search(doc.text))


def rewrite_signals(doc: Document, derivations: Iterable[Derivation]) -> list[Signal]:
    """This document as an uncredited rewrite or spun copy of another one."""
    out, credited = [], None
    for d in derivations:
        # An undetermined direction may make the origin look like the copy: say nothing then.
        if d.copy_id != doc.id or d.relation not in REWRITE_RELATIONS or "undetermined" in d.direction:
            continue
        if credited is None:
            credited = has_credit(doc)
        if credited:
            continue
        weight = WEIGHTS["max_rewrite"] * d.coverage_copy * d.confidence
        spans = tuple(sorted((p.copy_start, p.copy_end) for p in d.passages))[:MAX_SPANS]
        out.append(Signal("uncredited_rewrite", round(weight, 3),
                          f"{d.relation} of {d.origin_id} ({d.coverage_copy:.0%} of this text, "
                          f"confidence {d.confidence:.2f}) with no credit line", spans))
    return out


def spin_signals(spin: SpinResult | None) -> list[Signal]:
    if spin is None or not spin.spun:
        return []
    spans = tuple((m.start, m.end) for m in spin.marks[:MAX_SPANS])
    weight = min(WEIGHTS["max_spin"], 2.0 * spin.score)
    return [Signal("spin", round(weight, 3),
                   f"{spin.score:.0%} of content words judged synonym substitutions ({spin.method})", spans)]


def metadata_signals(doc: Document) -> list[Signal]:
    out = []
    share = _boilerplate_share(doc)
    if share >= MIN_BOILERPLATE:
        rules = sorted({r.rule for r in doc.removed})
        out.append(Signal("boilerplate_ratio", round(min(WEIGHTS["max_boilerplate"], share), 3),
                          f"{share:.0%} of the text as received was site chrome ({', '.join(rules)})"))
    if doc.published is None:
        out.append(Signal("no_date", WEIGHTS["no_date"], "no publication date in metadata or text"))
    if not doc.author and not _BYLINE.search(doc.text[:600]):
        out.append(Signal("no_byline", WEIGHTS["no_byline"], "no author in metadata and no 'By ...' line"))
    return out


def _boilerplate_share(doc: Document) -> float:
    removed = sum(len(r.text) for r in doc.removed)
    total = removed + len(doc.text)
    return removed / total if total else 0.0


def closer_signals(text: str) -> list[Signal]:
    """Rhetorical filler in the closing paragraph ("Only time will tell")."""
    start = max(0, len(text) - CLOSING_CHARS)
    hits = [m for m in _CLOSERS.finditer(text, start)]
    if not hits:
        return []
    weight = min(WEIGHTS["max_closer"], WEIGHTS["closer"] * len(hits))
    phrases = ", ".join(f"'{m.group()}'" for m in hits)
    return [Signal("rhetorical_closer", weight, f"filler closer: {phrases}", tuple(m.span() for m in hits))]

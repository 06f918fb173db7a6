"""``sitrep brief``, ``claims`` and ``contradictions``: the corroboration layer
on the command line.

They read the store as the report does (:mod:`sitrep.report.collect_corroboration`)
and print text (:mod:`sitrep.report.text_corroboration`) or, with
``--json``, one object per line exactly as in sitrep.json.  A story is named
by its id, a unique prefix of it, or its number in ``sitrep stories`` (1 =
the largest).  Importing this module registers the commands on
:data:`sitrep.cli.main`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sitrep.cli import EXIT_ITEM_ERRORS, _db_option, _emit, _json_option, _nothing, _open, main
from sitrep.store.db import Store


def _corroborated(db: Path) -> Store:
    """The store, once the corroboration stages have stored results in it."""
    from sitrep.report.collect_corroboration import corroborated

    store = _open(db)
    if not corroborated(store):
        raise click.ClickException(f"no corroboration results in {db} yet: run `sitrep analyse --db {db}` first")
    return store


def _stories(store: Store) -> list[dict]:
    from sitrep.report.collect_understanding import stories

    return stories(store, {}) or []


def resolve_story(stories: list[dict], name: str) -> str:
    """The id of the story ``name`` names: an id, a unique id prefix, or a number in ``sitrep stories``."""
    ids = [s["id"] for s in stories]
    if name in ids:
        return name
    if name.isdigit() and 1 <= int(name) <= len(ids):
        return ids[int(name) - 1]
    hits = [i for i in ids if i.startswith(name)]
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise click.BadParameter(f"{name!r} matches {len(hits)} stories: {', '.join(hits[:5])}", param_hint="STORY")
    raise click.BadParameter(f"no story {name!r} (see `sitrep stories`)", param_hint="STORY")


def _refs(store: Store) -> dict[str, str]:
    return {r[0]: f"#{r[1]}" for r in store.db.execute("SELECT id, seq FROM documents")}


def _report(store: Store) -> dict:
    """The little of the report the builders need for their order: the stories."""
    return {"stories": _stories(store)}


@main.command("brief")
@click.argument("story")
@_db_option
@_json_option
@click.option("--check", is_flag=True,
              help="Check every sentence against its cited spans (sitrep.corroborate.citecheck); "
                   "exit 1 when any is not backed.")
@click.option("--llm", metavar="URL", help="Rewrite the briefing through this OpenAI-compatible endpoint "
                                           "(e.g. http://127.0.0.1:8080/v1); sentences are checked against "
                                           "their citations.")
@click.option("--model", metavar="NAME", help="The model name to ask the --llm endpoint for.")
@click.option("--mark-unsupported", is_flag=True,
              help="With --llm, keep generated sentences their citations do not back, marked (default: drop them).")
def brief_cmd(story, db, as_json, check, llm, model, mark_unsupported):
    """The briefing of STORY (its id, an id prefix, or its number in `sitrep stories`):
    what happened, who is involved, key claims with independent-source counts,
    disputed points, positions and shifts, sources. Each sentence ends with its
    citations, [#3 120-180] = document #3, characters 120 to 180.

    \b
    sitrep brief 1
    sitrep brief st-47a5 --check
    sitrep brief 1 --llm http://127.0.0.1:8080/v1 --model local
    """
    if bool(llm) != bool(model):
        raise click.UsageError("--llm and --model go together")
    store = _corroborated(db)
    sid = resolve_story(_stories(store), story)
    b = _stored_briefing(store, sid)
    if llm:
        b = _abstractive(store, sid, b, llm, model, "mark" if mark_unsupported else "drop")
    obj = _briefing_json(b)
    if as_json:
        _emit(obj, True)
    else:
        from sitrep.report.text_corroboration import briefing_lines

        _emit(briefing_lines(obj, _refs(store)), False)
    if check:
        _check(store, sid, b)


def _stored_briefing(store: Store, sid: str):
    from sitrep.store.corroboration import briefing

    b = briefing(store, sid)
    if b is None:
        raise click.ClickException(f"no briefing for story {sid} yet: run `sitrep analyse` first")
    return b


def _briefing_json(b) -> dict:
    """A :class:`~sitrep.model.Briefing` as sitrep.json's ``briefings`` holds it."""
    from sitrep.report.collect_corroboration import cite

    return {"story_id": b.story_id, "title": b.title, "mode": b.mode,
            "sentences": [{"section": s.section, "text": s.text, "supported": s.supported,
                           "citations": [cite(c.document_id, c.start, c.end) for c in s.citations]}
                          for s in b.sentences]}


def _check(store: Store, sid: str, b) -> None:
    from sitrep.corroborate import citecheck
    from sitrep.corroborate.facts import story_facts

    facts = story_facts(store, sid)
    texts = {**facts.texts, **_cited_texts(store, b, facts.texts)}
    problems = citecheck.check(b, texts, citecheck.evidence_of(facts))
    for p in problems:
        click.echo(f"check: {p}", err=True)
    click.echo(f"check: {len(b.sentences)} sentences, {len(problems)} problems", err=True)
    if problems:
        sys.exit(EXIT_ITEM_ERRORS)


def _cited_texts(store: Store, b, known: dict[str, str]) -> dict[str, str]:
    """Texts of cited documents outside the story (a briefing may cite them; the check must see them)."""
    wanted = {c.document_id for s in b.sentences for c in s.citations} - set(known)
    out = {}
    for doc_id in sorted(wanted):
        row = store.db.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row:
            out[doc_id] = row[0]
    return out


def _abstractive(store: Store, sid: str, b, url: str, model: str, unsupported: str):
    try:
        from sitrep.corroborate import abstractive
    except ImportError as e:
        raise click.ClickException(f"the abstractive mode is not available in this install ({e})") from e
    from sitrep.corroborate.facts import story_facts

    try:
        return abstractive.rewrite(b, story_facts(store, sid), base_url=url, model=model, unsupported=unsupported)
    except abstractive.LLMError as e:
        raise click.ClickException(f"abstractive briefing failed: {e} (the extractive one: `sitrep brief {sid}`)")


@main.command("claims")
@_db_option
@click.option("--story", "story", metavar="STORY", help="Only this story (id, id prefix or number).")
@click.option("--min-sources", type=click.IntRange(0), default=0, help="Only groups with at least N independent "
                                                                        "sources.")
@click.option("--single-source", is_flag=True, help="Only groups resting on one independent source.")
@click.option("--farm-only", is_flag=True, help="Only groups resting only on content-farm documents.")
@_json_option
def claims_cmd(db, story, min_sources, single_source, farm_only, as_json):
    """Claim groups: claims of different documents that state the same thing,
    best first per story, with independent sources (copies of one origin count
    once), documents, check-worthiness and the spans that state them.

    \b
    sitrep claims --story 1 --min-sources 2
    sitrep claims --farm-only --json | jq -r .label
    """
    from sitrep.report.collect_corroboration import claims
    from sitrep.report.text_corroboration import claim_lines

    store = _corroborated(db)
    report = _report(store)
    sid = resolve_story(report["stories"], story) if story else None
    refs = _refs(store)
    shown = [g for g in claims(store, report)
             if (sid is None or g["story_id"] == sid) and g["independent_sources"] >= min_sources
             and (not single_source or g["single_source"]) and (not farm_only or g["farm_only"])]
    for g in shown:
        _emit(g if as_json else claim_lines(g, refs), as_json)
    if not shown:
        _nothing("claim groups" + (" matching these filters" if (sid or min_sources or single_source or farm_only)
                                   else ""))


@main.command("contradictions")
@_db_option
@click.option("--story", "story", metavar="STORY", help="Only this story (id, id prefix or number).")
@_json_option
def contradictions_cmd(db, story, as_json):
    """Disputed points: the same subject and topic with conflicting values
    (numbers, dates, places, roles, polarity), both sides with their
    independent-source counts, citations and content-farm marks."""
    from sitrep.report.collect_corroboration import contradictions
    from sitrep.report.text_corroboration import contradiction_lines
    from sitrep.store.understanding import identity_names

    store = _corroborated(db)
    report = _report(store)
    sid = resolve_story(report["stories"], story) if story else None
    names = identity_names(store)
    refs = _refs(store)
    shown = [c for c in contradictions(store, report) if sid is None or c["story_id"] == sid]
    for c in shown:
        _emit(c if as_json else contradiction_lines(c, names, refs), as_json)
    if not shown:
        _nothing("contradictions" + (f" in story {sid}" if sid else ""))

"""sitrep's command line.  Each command mirrors a function of the Python API:
``ingest`` is :func:`sitrep.pipeline.ingest`, ``build`` adds
:func:`sitrep.report.write_reports`, the listing commands read the store.

Exit codes: 0 all went well; 1 the run finished but some items failed (see
the summary, or ``sitrep errors``); 2 bad usage; 3 nothing could be ingested
or the store could not be opened; 130 interrupted (rerun to resume).
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import click

from sitrep.ingest.limits import Limits
from sitrep.pipeline import IngestSummary, default_workers, ingest
from sitrep.store.db import Store, StoreError

EXIT_OK, EXIT_ITEM_ERRORS, EXIT_USAGE, EXIT_FATAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

_db_option = click.option(
    "--db", type=click.Path(dir_okay=False, path_type=Path), default=Path("sitrep.db"),
    show_default=True, help="The SQLite store (created if missing).",
)


def _ingest_options(f):
    opts = [
        click.option("--workers", "-j", type=click.IntRange(1, 64), default=default_workers(),
                     show_default=True, help="Extraction processes."),
        click.option("--fetch", is_flag=True,
                     help="Fetch the links of feed entries that carry only a summary."),
        click.option("--max-bytes", type=click.IntRange(1024), default=Limits.max_item_bytes,
                     show_default=True, help="Largest article (file, record or response) read."),
        click.option("--timeout", type=click.FloatRange(0.1), default=Limits.timeout_s,
                     show_default=True, help="Seconds per HTTP request."),
        click.option("--ignore-robots", is_flag=True, help="Do not honour robots.txt (default: honour it)."),
        click.option("--allow-private-addresses", is_flag=True,
                     help="Fetch hosts on loopback, private or link-local addresses (default: refuse them)."),
        click.option("--quiet", "-q", is_flag=True, help="No progress bar."),
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="sitrep")
def main():
    """sitrep: turn a pile of news articles into a sourced picture of a situation.

    \b
    Typical use:
      sitrep build examples --out out/     # ingest, analyse, write report.html/.md + sitrep.json
      sitrep ingest pile/ feed.xml https://example.org/story  # add to ./sitrep.db
      sitrep docs                          # what is in the store
      sitrep show 3                        # one document: metadata, text, removed lines, raw
      sitrep entities --label PERSON       # who: one identity however spelled, with roles
      sitrep quotes --speaker NAME         # what they said; also: sitrep timeline, sitrep stories

    Inputs are files or folders (.txt .html .json/.jsonl .warc/.warc.gz RSS/Atom,
    any of them gzipped) and http(s) URLs.  Raw bytes are kept in the store;
    re-ingesting is a no-op, an interrupted run resumes.
    """


def _run_ingest(inputs, db, workers, fetch, max_bytes, timeout, ignore_robots, allow_private_addresses,
                quiet, command):
    limits = Limits(max_item_bytes=max_bytes, fetch=fetch, timeout_s=timeout,
                    obey_robots=not ignore_robots, allow_private_addresses=allow_private_addresses)
    try:
        store = Store(db)
    except (StoreError, OSError) as e:
        raise click.ClickException(f"cannot open store {db}: {e}") from None
    bar = None
    if not quiet and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(desc="ingest", unit="item", file=sys.stderr)

    def progress(s: IngestSummary) -> None:
        bar.n = s.seen
        bar.set_postfix(new=s.ingested, dup=s.duplicates, failed=s.failed, refresh=False)
        bar.refresh()

    try:
        summary = ingest(inputs, store, limits, workers, command, progress if bar else None)
    finally:
        if bar:
            bar.close()
    _print_summary(summary, store)
    return store, summary


def _print_summary(s: IngestSummary, store: Store) -> None:
    c = store.counts()
    click.echo(
        f"ingested {s.ingested} new, {s.skipped} already stored, {s.duplicates} exact duplicates, "
        f"{s.failed} failed; store {store.path}: {c['documents']} documents, {c['errors']} errors",
        err=True,
    )
    shown = 20
    for err in s.errors[:shown]:
        click.echo(f"  failed: {err}", err=True)
    if len(s.errors) > shown:
        click.echo(f"  ... and {len(s.errors) - shown} more (sitrep errors --db {store.path})", err=True)
    if s.interrupted:
        click.echo("interrupted: rerun the same command to finish the job", err=True)


def _exit_code(s: IngestSummary, store: Store) -> int:
    if s.interrupted:
        return EXIT_INTERRUPTED
    if store.counts()["documents"] == 0:
        return EXIT_FATAL
    return EXIT_ITEM_ERRORS if s.failed else EXIT_OK


@main.command("ingest")
@click.argument("inputs", nargs=-1, required=True)
@_db_option
@_ingest_options
def ingest_cmd(inputs, db, **opts):
    """Add INPUTS (files, folders, URLs) to the store.

    \b
    sitrep ingest articles/ --db pile.db
    sitrep ingest export.jsonl.gz crawl.warc.gz
    sitrep ingest https://example.org/news/story.html --timeout 5
    """
    store, summary = _run_ingest(inputs, db, command="ingest " + shlex.join(inputs), **opts)
    sys.exit(_exit_code(summary, store))


@main.command("build")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for report.html, report.md and sitrep.json.")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The SQLite store [default: OUT/sitrep.db].")
@_ingest_options
def build_cmd(inputs, out, db, **opts):
    """Ingest INPUTS, run every analysis stage, and write the report to OUT.

    \b
    sitrep build examples --out out/
    sitrep build ../shared/corpus/alaska-2025 --out out/alaska
    """
    from sitrep.report import write_reports

    db = db or out / "sitrep.db"
    store, summary = _run_ingest(inputs, db, command="build " + shlex.join(inputs), **opts)
    if not summary.interrupted:
        _run_analysis(store, opts["workers"], opts["quiet"])
        paths = write_reports(store, out)
        for name, path in paths.items():
            click.echo(f"{name}: {path}")
    sys.exit(_exit_code(summary, store))


def _run_analysis(store: Store, workers: int, quiet: bool) -> None:
    from sitrep.pipeline import analyse

    log = (lambda m: None) if quiet else (lambda m: click.echo(f"  {m}", err=True))
    summary = analyse(store, workers, log=log)
    click.echo(f"analysed {summary.analysed} documents", err=True)


@main.command("analyse")
@_db_option
@click.option("--workers", "-j", type=click.IntRange(1, 64), default=default_workers(), show_default=True)
@click.option("--quiet", "-q", is_flag=True)
def analyse_cmd(db, workers, quiet):
    """Bring the analysis up to date with the stored documents: near-duplicates,
    the derivation graph and origin groups, spin, quality cards.  Only what new
    documents change is recomputed.  (`build` runs this for you.)"""
    _run_analysis(_open(db), workers, quiet)


def _open(db: Path) -> Store:
    if not db.exists():
        raise click.ClickException(f"no store at {db} (run `sitrep ingest` first, or pass --db)")
    return Store(db)


@main.command("docs")
@_db_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.option("--flag", help="Only documents with this flag (e.g. no_date, non_english).")
def docs_cmd(db, as_json, flag):
    """List stored documents with their metadata and flags."""
    store = _open(db)
    for doc in store.documents(include_text=False):
        if flag and not doc.has_flag(flag):
            continue
        flags = [f.name for f in doc.flags]
        if as_json:
            click.echo(json.dumps({
                "seq": _seq(store, doc.id), "id": doc.id, "title": doc.title, "source": doc.source or doc.site_name,
                "published": doc.published, "published_from": doc.published_from,
                "language": doc.language, "flags": flags, "duplicate_of": doc.duplicate_of,
                "locator": doc.locator,
            }, ensure_ascii=False))
        else:
            click.echo(
                f"{_seq(store, doc.id):>5}  {doc.id}  {doc.published or '----------'}  "
                f"{(doc.language or '??')}  {_clip(doc.title or '(untitled)', 60):<60}  "
                f"{','.join(flags)}"
            )


def _seq(store: Store, doc_id: str) -> int:
    return store.db.execute("SELECT seq FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]


def _clip(s: str, n: int) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


@main.command("show")
@click.argument("doc")
@_db_option
@click.option("--raw", is_flag=True, help="Print the raw input bytes instead.")
@click.option("--restored", is_flag=True, help="For a spun document, print the restored text.")
def show_cmd(doc, db, raw, restored):
    """Show one document (by seq number, id or id prefix): metadata, cleaned
    text, removed boilerplate lines with their rules; --raw for the bytes."""
    store = _open(db)
    try:
        d = store.document(doc)
    except StoreError as e:
        raise click.ClickException(str(e)) from None
    if d is None:
        raise click.ClickException(f"no document {doc!r} in {db}")
    if raw:
        sys.stdout.buffer.write(store.raw(d.raw_sha256) or b"")
        return
    for label, value in (
        ("id", d.id), ("locator", d.locator), ("container", d.container_locator), ("kind", d.kind),
        ("title", d.title), ("author", d.author), ("url", d.url), ("canonical", d.canonical_url),
        ("site", d.site_name), ("source", d.source),
        ("published", f"{d.published} (from {d.published_from})" if d.published else "unknown"),
        ("language", f"{d.language} ({d.language_confidence})"), ("duplicate of", d.duplicate_of),
        ("raw", f"sha256 {d.raw_sha256}"),
    ):
        if value:
            click.echo(f"{label:>12}: {value}")
    for f in d.flags:
        click.echo(f"{'flag':>12}: {f.name}" + (f" — {f.detail}" if f.detail else ""))
    spin = _show_provenance(store, d)
    click.echo("\n" + (spin.restored_text if restored and spin and spin.restored_text else d.text) + "\n")
    if d.removed:
        click.echo(f"removed lines ({len(d.removed)}):")
        for r in d.removed:
            click.echo(f"  [{r.rule}] line {r.line_no}: {r.text}")


@main.command("sources")
@_db_option
@click.option("--farm", is_flag=True, help="Only documents flagged as content farm.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def sources_cmd(db, farm, as_json):
    """Documents with their quality card, origin group and role, and spin score:
    who is an origin, who copies, who is a content farm, and why."""
    from sitrep.store.provenance import load_groups, load_quality, load_spin

    store = _open(db)
    groups = load_groups(store)
    for doc in store.documents(include_text=False):
        card, spin = load_quality(store, doc.id), load_spin(store, doc.id)
        if farm and not (card and card.content_farm):
            continue
        group, role = groups.get(doc.id, (None, None))
        if as_json:
            click.echo(json.dumps({
                "seq": _seq(store, doc.id), "id": doc.id, "title": doc.title,
                "quality": card.score if card else None, "content_farm": bool(card and card.content_farm),
                "origin_group": group, "role": role, "spin": spin.score if spin else None,
                "spun": bool(spin and spin.spun),
                "signals": [{"name": g.name, "weight": g.weight, "detail": g.detail} for g in card.signals] if card else [],
            }, ensure_ascii=False))
            continue
        top = sorted(card.signals, key=lambda g: -g.weight)[:3] if card else []
        click.echo(
            f"{_seq(store, doc.id):>5}  q={card.score if card else float('nan'):.2f}  "
            f"{'FARM' if card and card.content_farm else '    '}  {'SPUN' if spin and spin.spun else '    '}  "
            f"{(role or '-'):<10} {_clip(doc.title or '(untitled)', 50):<50}  "
            + "; ".join(f"{g.name}({g.weight:.2f})" for g in top)
        )


def _show_provenance(store: Store, d):
    """Print origin group, derivation edges, quality card and spin; return the spin result."""
    from sitrep.store.provenance import load_derivations, load_groups, load_quality, load_spin

    group = load_groups(store).get(d.id)
    if group:
        click.echo(f"{'origin group':>12}: {group[0]} (role: {group[1]})")
    for e in load_derivations(store, with_passages=False):
        if d.id in (e.origin_id, e.copy_id):
            other, arrow = (e.copy_id, "->") if e.origin_id == d.id else (e.origin_id, "<-")
            click.echo(f"{'derivation':>12}: {arrow} {other} {e.relation}, coverage origin {e.coverage_origin:.2f} "
                       f"/ copy {e.coverage_copy:.2f}, confidence {e.confidence:.2f} ({', '.join(e.direction)})")
    card = load_quality(store, d.id)
    if card:
        click.echo(f"{'quality':>12}: {card.score:.2f}" + ("  CONTENT FARM" if card.content_farm else ""))
        for g in card.signals:
            click.echo(f"{'':>14}{g.name} ({g.weight:.2f}): {g.detail}")
    spin = load_spin(store, d.id)
    if spin and spin.spun:
        click.echo(f"{'spin':>12}: score {spin.score:.3f}, {len(spin.marks)} substitutions ({spin.method}); "
                   f"--restored prints the restored text")
    return spin


@main.command("errors")
@_db_option
def errors_cmd(db):
    """List input items that failed, with the reason."""
    store = _open(db)
    for err in store.errors():
        click.echo(f"{err.reason:<18} {err.locator}  {err.detail}")


# -- understanding: who, what, when ------------------------------------------------
#
# Each command prints a sitrep.json section (sitrep.report.collect_understanding):
# as text (sitrep.report.text_understanding), or with --json one object per
# line, exactly as in sitrep.json.

_json_option = click.option("--json", "as_json", is_flag=True, help="One JSON object per line, as in sitrep.json.")


def _understood(db: Path) -> Store:
    """The store, once the understanding pass has stored results in it."""
    from sitrep.report.collect_understanding import analysed

    store = _open(db)
    if not analysed(store):
        raise click.ClickException(f"no understanding results in {db} yet: run `sitrep analyse --db {db}` first")
    return store


def _lookups(store: Store) -> tuple[list[dict], dict[str, str], dict[str, str]]:
    """Actors, actor names by id, and document numbers ("#3") by id."""
    from sitrep.report.collect_understanding import actors

    people = actors(store, {})
    refs = {r[0]: f"#{r[1]}" for r in store.db.execute("SELECT id, seq FROM documents")}
    return people, {a["id"]: a["name"] for a in people}, refs


def _emit(obj: dict | list[str], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(obj, ensure_ascii=False))
    else:
        for line in obj:
            click.echo(line)


def _nothing(what: str) -> None:
    click.echo(f"no {what}", err=True)


@main.command("entities")
@_db_option
@click.option("--label", metavar="LABEL", help="Only this kind of actor: PERSON, ORG, GPE, LOC, NORP, FAC or EVENT.")
@_json_option
def entities_cmd(db, label, as_json):
    """Actors, places and organisations: one identity however spelled, with its
    spellings and the roles documents give it (and which documents say so).

    \b
    sitrep entities --label PERSON
    sitrep entities --json | jq -r .name
    """
    from sitrep.report.text_understanding import actor_lines

    people, names, refs = _lookups(_understood(db))
    shown = [a for a in people if not label or a["label"].casefold() == label.casefold()]
    for a in shown:
        _emit(a if as_json else actor_lines(a, names, refs), as_json)
    if not shown:
        _nothing("entities" + (f" with label {label}" if label else ""))


@main.command("quotes")
@_db_option
@click.option("--speaker", metavar="NAME",
              help="Only quotes whose speaker's name or spellings, or the words naming the speaker, contain NAME "
                   "(case-insensitive).")
@_json_option
def quotes_cmd(db, speaker, as_json):
    """Quotes and attributions by speaker, most quoted first: kind (direct,
    indirect, mixed), cue, content and document; [single source] where no
    other independent source mentions the speaker.

    \b
    sitrep quotes --speaker olsen
    sitrep quotes --json | jq 'select(.single_source)'
    """
    from sitrep.report.collect_understanding import quotes, quotes_by_speaker
    from sitrep.report.text_understanding import speaker_filter, speaker_lines

    store = _understood(db)
    people, names, refs = _lookups(store)
    wanted = speaker_filter(speaker, people)
    shown = 0
    for ident, qs in quotes_by_speaker(quotes(store, {}), people):
        qs = [q for q in qs if wanted(q)]
        shown += len(qs)
        if as_json:
            for q in qs:
                _emit(q, True)
        elif qs:
            _emit(speaker_lines(ident, qs, names, refs), False)
    if not shown:
        _nothing("quotes" + (f" from a speaker matching {speaker!r}" if speaker else ""))


@main.command("timeline")
@_db_option
@_json_option
def timeline_cmd(db, as_json):
    """The events in order (date or relative place, where, how long, which
    documents report them, how the date was settled), then the documents in
    time order: dated, or placed before/after an event they describe, and why.

    With --json, each line is an event ("type": "event") or a document's
    placement ("type": "placement").
    """
    from sitrep.report.collect_understanding import timeline
    from sitrep.report.text_understanding import timeline_lines

    store = _understood(db)
    t = timeline(store, {})
    if as_json:
        for kind, items in (("event", t["events"]), ("placement", t["placements"])):
            for item in items:
                _emit({"type": kind, **item}, True)
    else:
        _, names, refs = _lookups(store)
        _emit(timeline_lines(t, names, refs), False)
    if not t["events"] and not t["placements"]:
        _nothing("timeline yet")


@main.command("stories")
@_db_option
@_json_option
def stories_cmd(db, as_json):
    """Stories: documents grouped by the situation they cover, largest first,
    with label, date range, key actors and documents."""
    from sitrep.report.collect_understanding import stories
    from sitrep.report.text_understanding import story_lines

    store = _understood(db)
    _, names, refs = _lookups(store)
    items = stories(store, {})
    for s in items:
        _emit(s if as_json else story_lines(s, names, refs), as_json)
    if not items:
        _nothing("stories yet")


from sitrep import cli_corroboration  # noqa: E402,F401  (registers brief, claims, contradictions on main)

if __name__ == "__main__":
    main()

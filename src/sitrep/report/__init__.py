"""The report: sitrep.json, report.html and report.md from a store.

:func:`build_report` (in ``collect``) builds one plain dict, the content of
sitrep.json, from the store, section by section; :func:`render_html` and
:func:`render_markdown` render that dict and nothing else.  A later stage adds a section with a
builder in ``collect.SECTIONS`` and a :class:`Section` in ``html.SECTIONS``
and ``markdown.SECTIONS``.  docs/sitrep-json.md documents the JSON.

Modules: ``collect`` (documents, provenance, errors, runs, corpus) and
``collect_understanding`` (annotations, actors, quotes, timeline, stories)
build the dict; ``html`` assembles the page from ``html_common`` (escaping,
links, highlights), ``html_provenance``, ``html_understanding`` and
``graph`` (the derivation graph as SVG); ``markdown`` assembles the summary
from ``markdown_common`` and ``markdown_understanding``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from sitrep.report.collect import SCHEMA, Report, Section, build_report
from sitrep.report.html import render_html
from sitrep.report.markdown import render_markdown
from sitrep.store.db import Store

__all__ = ["SCHEMA", "Report", "Section", "build_report", "render_html", "render_markdown",
           "to_json", "write_reports"]


RECORD_CAP = 1000  # characters: a longer record is laid out like the rest
LAID_OUT = ("documents",)  # top-level lists whose objects are always laid out key by key (they carry texts)


def to_json(report: Report) -> str:
    """sitrep.json's text: indented by two spaces, with each *record* on one line.

    A record is an object whose values are scalars or arrays of scalars (or
    of such arrays, like spans ``[[start, end], ...]``) and that fits in
    :data:`RECORD_CAP` characters: a flag, a spin mark, a quote, a time
    expression — but not a document (:data:`LAID_OUT`), whatever its length.
    Laid out one value per line, as ``indent=2`` does, the understanding
    layer's many small records inflate the file by 40% at a thousand
    documents (bench/report_scale.py); one per line, the file stays readable
    and diffable.  The content is the same JSON either way.
    """
    return _layout(report, 0, records=False) + "\n"


_dump = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


def _flat(items) -> bool:
    """Only scalars and arrays of scalars: fits on one line."""
    for x in items:
        if isinstance(x, dict) or isinstance(x, list) and any(isinstance(y, (dict, list)) for y in x):
            return False
    return True


def _layout(value, depth: int, records: bool = True) -> str:
    if isinstance(value, dict):
        if not value:
            return "{}"
        if records and all(not isinstance(v, dict) and (not isinstance(v, list) or _flat(v)) for v in value.values()):
            line = _dump(value)
            if len(line) <= RECORD_CAP:
                return line
        items = [f"{_dump(k)}: {_layout(v, depth + 1, depth > 0 or k not in LAID_OUT)}" for k, v in value.items()]
        brackets = "{}"
    elif isinstance(value, list) and value and not _flat(value):
        items = [_layout(v, depth + 1, records) for v in value]
        brackets = "[]"
    else:
        return _dump(value)
    pad = "\n" + "  " * (depth + 1)
    return brackets[0] + pad + ("," + pad).join(items) + "\n" + "  " * depth + brackets[1]


def write_reports(store: Store, out_dir: Path, generated_at: str | None = None) -> dict[str, Path]:
    """Write report.html, report.md and sitrep.json into ``out_dir``.

    Returns their paths under the keys "html", "markdown" and "json".
    ``generated_at`` (ISO 8601) overrides the clock, for reproducible output.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    report = build_report(store, generated_at)
    outputs = {
        "json": ("sitrep.json", to_json(report)),
        "html": ("report.html", render_html(report)),
        "markdown": ("report.md", render_markdown(report)),
    }
    paths = {}
    for key, (name, text) in outputs.items():
        paths[key] = _write(out_dir / name, text)
    return paths


def _write(path: Path, text: str) -> Path:
    # Replace, not overwrite: a reader (browser, CI artifact upload) never sees half a file.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return path

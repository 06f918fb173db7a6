"""The report: sitrep.json, report.html and report.md from a store.

:func:`build_report` (in ``collect``) builds one plain dict, the content of
sitrep.json, from the store, section by section; :func:`render_html` and
:func:`render_markdown` render that dict and nothing else.  A later stage adds a section with a
builder in ``collect.SECTIONS`` and a :class:`Section` in ``html.SECTIONS``
and ``markdown.SECTIONS``.  docs/sitrep-json.md documents the JSON.
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


def to_json(report: Report) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


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

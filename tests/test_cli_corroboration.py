"""`sitrep brief`, `claims` and `contradictions` on a hand-built store.

The store is the river-dam dispute of test_report_understanding with the
corroboration rows of test_report_corroboration (built once per module in a
tmp dir, as test_cli_understanding does).  Each command runs as text and as
JSON Lines; the JSON must be what sitrep.json holds.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_report_corroboration import build_corroborated
from test_report_understanding import D1, _span, build_store

from sitrep.cli import main
from sitrep.model import Briefing, BriefSentence, Citation
from sitrep.report.collect import build_report
from sitrep.store import corroboration as C
from sitrep.store.db import Store


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "s.db"
    build_corroborated(path)
    return path


@pytest.fixture(scope="module")
def report(db) -> dict:
    with Store(db) as s:
        return build_report(s, "2025-01-01T00:00:00+00:00")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def lines_json(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


@pytest.mark.parametrize("command", [["brief", "1"], ["claims"], ["contradictions"]])
def test_store_without_corroboration(tmp_path, command):
    build_store(tmp_path / "plain.db")
    code, out, err = run(*command, "--db", str(tmp_path / "plain.db"))
    assert code == 1 and out == ""
    assert "no corroboration results" in err and "sitrep analyse" in err


@pytest.mark.parametrize("name", ["1", "s-dam", "s-d"])
def test_brief_names_a_story(db, report, name):
    code, out, _ = run("brief", name, "--db", str(db))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("Valdora dam dispute") and "[s-dam]" in lines[0] and "abstractive:test-model" in lines[0]
    assert "What happened:" in lines and "Positions and shifts:" in lines
    start, end = _span(D1, "Water Minister Mira Olsen said on Sunday: “We will open the sluices on Friday.”")
    assert any(line.endswith(f"[#1 {start}-{end}]") for line in lines)
    assert sum("[NOT BACKED by its citations]" in line for line in lines) == 1
    assert "<script>" in out and "\x1b" not in out  # plain text: shown as written, control characters neutralised


def test_brief_json_is_the_report_entry(db, report):
    code, out, _ = run("brief", "s-dam", "--db", str(db), "--json")
    assert code == 0 and lines_json(out) == report["briefings"]


@pytest.mark.parametrize("name, message", [("9", "no story '9'"), ("s-", "matches 2 stories"),
                                           ("s-bakery", "no briefing for story s-bakery")])
def test_brief_bad_story(db, name, message):
    code, _, err = run("brief", name, "--db", str(db))
    assert code != 0 and message in err


def test_brief_check(tmp_path, db):
    # The stored briefing has a sentence ("40 days") that its span does not back: --check says so.
    code, _, err = run("brief", "s-dam", "--db", str(db), "--check")
    assert code == 1 and "'40'" in err and "problems" in err
    # A briefing whose every sentence is in its span passes; a span past the text fails.
    path = tmp_path / "c.db"
    shutil.copy(db, path)
    with Store(path) as s, s.transaction():
        d1 = s.db.execute("SELECT id FROM documents WHERE seq = 1").fetchone()[0]
        good = BriefSentence("happened", "Mira Olsen will open the sluices on Friday.",
                             [Citation(d1, *_span(D1, "Water Minister Mira Olsen said on Sunday: “We will open the "
                                                      "sluices on Friday.”"))])
        C.save_rows(s, {"briefings": C.briefing_rows([Briefing("s-dam", "dam", [good])])})
    code, _, err = run("brief", "s-dam", "--db", str(path), "--check")
    assert code == 0 and "0 problems" in err
    with Store(path) as s, s.transaction():
        bad = BriefSentence("happened", "Olsen spoke.", [Citation(d1, 0, len(D1) + 5)])
        C.save_rows(s, {"briefings": C.briefing_rows([Briefing("s-dam", "dam", [good, bad])])})
    code, _, err = run("brief", "s-dam", "--db", str(path), "--check")
    assert code == 1 and "bad_span" in err


def test_brief_llm_needs_model(db):
    code, _, err = run("brief", "1", "--db", str(db), "--llm", "http://127.0.0.1:9/v1")
    assert code == 2 and "--llm and --model go together" in err


def test_claims(db, report):
    code, out, _ = run("claims", "--db", str(db))
    assert code == 0
    heads = [line for line in out.splitlines() if line.startswith("sources=")]
    assert len(heads) == 3 and heads[0].startswith("sources=2") and "[content farms only]" in heads[2]
    code, out, _ = run("claims", "--db", str(db), "--json")
    assert lines_json(out) == report["claims"]


@pytest.mark.parametrize("args, expected", [
    (["--min-sources", "2"], ["g:insp"]), (["--single-source"], ["g:open", "g:evil"]), (["--farm-only"], ["g:evil"]),
    (["--story", "s-dam", "--min-sources", "1"], ["g:insp", "g:open", "g:evil"]), (["--story", "2"], []),
])
def test_claims_filters(db, args, expected):
    code, out, err = run("claims", "--db", str(db), "--json", *args)
    assert code == 0 and [g["id"] for g in lines_json(out)] == expected
    assert ("no claim groups" in err) == (not expected)


def test_contradictions(db, report):
    code, out, _ = run("contradictions", "--db", str(db))
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("number") and "[x:1]" in lines[0]
    assert lines[1].strip().startswith("A: three hours  sources=1  [#2 ")
    assert lines[2].rstrip().endswith("[content farms only]")
    code, out, _ = run("contradictions", "--db", str(db), "--json", "--story", "s-dam")
    assert lines_json(out) == report["contradictions"]
    code, out, err = run("contradictions", "--db", str(db), "--story", "s-bakery")
    assert code == 0 and out == "" and "no contradictions in story s-bakery" in err


def test_missing_store(tmp_path):
    code, _, err = run("claims", "--db", str(tmp_path / "none.db"))
    assert code == 1 and "no store at" in err and not (tmp_path / "none.db").exists()


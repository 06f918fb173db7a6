"""`sitrep entities`, `quotes`, `timeline` and `stories` on a hand-built store.

The store is the invented river-dam dispute of test_report_understanding
(hostile name, quote, label and story label included).  Each command is run
as text and as JSON Lines; the JSON must be what sitrep.json holds.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_report_understanding import D1, EVIL, EVIL_QUOTE, _add, build_store

from sitrep.cli import main
from sitrep.model import Annotation
from sitrep.report.collect import build_report
from sitrep.store import understanding as U
from sitrep.store.db import Store


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "s.db"
    build_store(path)
    return path


@pytest.fixture(scope="module")
def report(db) -> dict:
    with Store(db) as s:
        return build_report(s, "2025-01-01T00:00:00+00:00")


@pytest.fixture(scope="module")
def ids(report) -> dict[int, str]:
    return {d["seq"]: d["id"] for d in report["documents"]}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def lines_json(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


@pytest.mark.parametrize("command", ["entities", "quotes", "timeline", "stories"])
def test_store_without_understanding(tmp_path, command):
    path = tmp_path / "plain.db"
    with Store(path) as s, s.transaction():
        _add(s, 1, D1)
    code, out, err = run(command, "--db", str(path))
    assert code == 1 and out == ""
    assert "no understanding results" in err and "sitrep analyse" in err


@pytest.mark.parametrize("command", ["entities", "quotes", "timeline", "stories"])
def test_missing_store(tmp_path, command):
    code, _, err = run(command, "--db", str(tmp_path / "none.db"))
    assert code == 1 and "no store at" in err
    assert not (tmp_path / "none.db").exists()


@pytest.mark.parametrize("command, message", [("entities", "no entities"), ("quotes", "no quotes"),
                                              ("timeline", "no timeline yet"), ("stories", "no stories yet")])
def test_analysed_but_nothing_found(tmp_path, command, message):
    path = tmp_path / "empty.db"
    with Store(path) as s, s.transaction():
        U.save_annotation(s, Annotation(_add(s, 1, D1), "x", published_from="none"), on_restored=False)
    code, out, err = run(command, "--db", str(path))
    assert (code, out) == (0, "") and message in err


def test_entities(db, report):
    code, out, _ = run("entities", "--db", str(db))
    assert code == 0
    assert out.splitlines()[0].startswith("PERSON  docs=2") and "Mira Olsen  [p-olsen]" in out
    assert "role: water minister — current: #1 (2025-03-02); former: #3  [sources disagree]" in out
    assert "stands for: Valdora city council" in out and EVIL in out  # plain text: no markup to escape
    code, out, _ = run("entities", "--db", str(db), "--json")
    assert code == 0 and lines_json(out) == report["actors"]
    code, out, _ = run("entities", "--db", str(db), "--label", "person", "--json")
    assert [a["id"] for a in lines_json(out)] == ["p-olsen", "p-reyes"]
    code, out, err = run("entities", "--db", str(db), "--label", "EVENT")
    assert (code, out) == (0, "") and "no entities with label EVENT" in err


def test_quotes(db, report):
    code, out, _ = run("quotes", "--db", str(db))
    lines = out.splitlines()
    assert code == 0 and lines[0] == f"{EVIL}  (1 quote)"
    assert lines[1].split()[:3] == ["#2", "indirect", "told"] and lines[1].endswith("[single source]")
    assert f"“{EVIL_QUOTE}”" in lines[1]
    assert lines[4] == "(speaker not resolved to an actor)  (1 quote)" and "an official: “The sluices" in lines[5]
    code, out, _ = run("quotes", "--db", str(db), "--json")
    assert sorted(map(json.dumps, lines_json(out))) == sorted(map(json.dumps, report["quotes"]))
    # By name, by a spelling of it, or by the words naming an unresolved speaker.
    for needle, speakers in (("OLSEN", ["p-olsen"]), ("reyes", ["p-reyes"]), ("official", [None])):
        code, out, _ = run("quotes", "--db", str(db), "--speaker", needle, "--json")
        assert [q["identity_id"] for q in lines_json(out)] == speakers, needle
    code, out, err = run("quotes", "--db", str(db), "--speaker", "nobody")
    assert (code, out) == (0, "") and "no quotes from a speaker matching 'nobody'" in err


def test_timeline(db, report):
    code, out, _ = run("timeline", "--db", str(db))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "events:" and "2025-03-07" in lines[1] and "at Valdora" in lines[1]
    assert lines[1].endswith("reported by #1 #2 #3") and "dated by: “last Friday” in #3" in lines[2]
    assert "(relative)" in lines[3] and "document order:" in lines
    order = lines[lines.index("document order:") + 1:]
    assert [x.split()[1] for x in order] == ["#1", "#2", "#3", "#4"]
    assert "after inspection <b>of</b> the dam" in order[1] and "unplaced" in order[3]
    code, out, _ = run("timeline", "--db", str(db), "--json")
    items = lines_json(out)
    events = [{k: v for k, v in x.items() if k != "type"} for x in items if x["type"] == "event"]
    placements = [{k: v for k, v in x.items() if k != "type"} for x in items if x["type"] == "placement"]
    assert {"events": events, "placements": placements} == report["timeline"]
    assert [x["type"] for x in items] == ["event"] * 2 + ["placement"] * 4


def test_stories(db, report, ids):
    code, out, _ = run("stories", "--db", str(db))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("docs=3     2025-03-02 – 2025-03-07") and lines[0].endswith("[s-dam]")
    assert lines[1].strip() == f"actors: Mira Olsen, {EVIL}, Valdora" and lines[2].strip() == "documents: #1 #2 #3"
    assert "undated" in lines[3] and "actors: -" in lines[4]
    code, out, _ = run("stories", "--db", str(db), "--json")
    assert lines_json(out) == report["stories"] and report["stories"][0]["documents"] == [ids[1], ids[2], ids[3]]


def test_control_characters_are_not_sent_to_the_terminal(tmp_path):
    path = tmp_path / "ctl.db"
    with Store(path) as s, s.transaction():
        d = _add(s, 1, D1)
        U.save_annotation(s, Annotation(d, "x", published_from="none"), on_restored=False)
        s.db.execute("INSERT INTO identities VALUES ('i', ?, 'PERSON', '', 1, 1)", ("Bad\x1b[2JName\u202e",))
    code, out, _ = run("entities", "--db", str(path))
    assert code == 0 and "\x1b" not in out and "\u202e" not in out and "Bad\ufffd[2JName\ufffd" in out
    code, out, _ = run("entities", "--db", str(path), "--json")
    assert json.loads(out)["name"] == "Bad\x1b[2JName\u202e"  # JSON keeps the data, escaped by json.dumps
    assert "\x1b" not in out

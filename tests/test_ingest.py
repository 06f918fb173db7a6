"""Ingest end to end: readers via the dispatcher, bad input, idempotence, resume."""

from __future__ import annotations

import gzip
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sitrep.ingest.files import gunzip, read_inputs
from sitrep.ingest.limits import Limits
from sitrep.model import ItemError, RawItem
from sitrep.pipeline import ingest
from sitrep.store.db import Store

PARA = (
    "Officials from both delegations met for several hours at the air base on Friday, "
    "and afterwards each side described the talks in its own terms. Reporters waiting "
    "outside were told that no joint statement would follow. Analysts in three capitals "
    "said the outcome left the main questions about the war open."
)


def article(n: int, title: str = "Talks end without a deal") -> str:
    return f"{title} {n}\n\n" + "\n\n".join(f"{PARA} Paragraph {n}.{k}." for k in range(3))


def html_page(n: int) -> str:
    body = "".join(f"<p>{PARA} Note {n}.{k}.</p>" for k in range(4))
    return (
        f"<html><head><title>Summit report {n}</title>"
        f'<meta property="article:published_time" content="2025-08-1{n % 10}"></head>'
        f"<body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>Summit report {n}</h1>{body}</article>"
        f"<footer>Copyright 2025 Example Ledger. All rights reserved.</footer></body></html>"
    )


@pytest.fixture()
def pile(tmp_path: Path) -> Path:
    d = tmp_path / "pile"
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_text(article(1))
    (d / "sub" / "b.html").write_text(html_page(2))
    (d / "c.txt.gz").write_bytes(gzip.compress(article(3).encode()))
    recs = [
        {"text": article(4), "url": "https://news.example/2025/08/16/four", "title": "Four",
         "published": "2025-08-16", "source": "Example Ledger"},
        {"html": html_page(5), "url": "https://news.example/five"},
    ]
    (d / "d.jsonl").write_text("\n".join(json.dumps(r) for r in recs) + "\n")
    (d / ".hidden.txt").write_text(article(6))
    return d


def test_dispatch_reads_every_kind_and_skips_hidden(pile: Path):
    events = list(read_inputs([str(pile)], Limits()))
    items = [e for e in events if isinstance(e, RawItem)]
    assert sorted(i.locator.replace(str(pile), "") for i in items) == [
        "/a.txt", "/c.txt.gz", "/d.jsonl#line=1", "/d.jsonl#line=2", "/sub/b.html",
    ]
    assert not [e for e in events if isinstance(e, ItemError)]
    four = next(i for i in items if i.locator.endswith("#line=1"))
    assert four.hints["source"] == "Example Ledger" and four.kind == "text"
    assert next(i for i in items if i.locator.endswith("#line=2")).kind == "html"


def test_ingest_stores_documents_raw_bytes_and_is_idempotent(pile: Path, tmp_path: Path):
    with Store(tmp_path / "s.db") as store:
        first = ingest([str(pile)], store, workers=1)
        assert (first.ingested, first.failed) == (5, 0)
        docs = {Path(d.locator.split("#")[0]).name + d.locator.partition("#")[2]: d for d in store.documents()}
        four = docs["d.jsonlline=1"]
        assert four.published == "2025-08-16" and four.published_from == "input"
        assert four.title == "Four"
        html = docs["b.html"]
        assert "Copyright" not in html.text and "Note 2.3" in html.text
        assert html.published == "2025-08-12" and html.published_from == "metadata"
        assert docs["a.txt"].has_flag("no_date")
        # raw bytes kept verbatim, content-addressed; the gzip file itself is kept too
        assert store.raw(docs["a.txt"].raw_sha256) == (pile / "a.txt").read_bytes()
        src = store.db.execute("SELECT blob_sha256 FROM sources WHERE locator LIKE '%c.txt.gz'").fetchone()[0]
        assert store.raw(src) == (pile / "c.txt.gz").read_bytes()
        again = ingest([str(pile)], store, workers=2)
        assert (again.ingested, again.skipped, again.failed) == (0, 5, 0)
        assert store.counts()["documents"] == 5


def test_exact_duplicates_are_linked_not_dropped(tmp_path: Path):
    d = tmp_path / "dups"
    d.mkdir()
    (d / "1.txt").write_text(article(7))
    # same text, different case and spacing: the same article
    (d / "2.txt").write_text(article(7).upper().replace(" ", "  ") + "\n")
    with Store(tmp_path / "s.db") as store:
        s = ingest([str(d)], store, workers=1)
        assert (s.ingested, s.duplicates) == (2, 1)
        one, two = store.documents()
        assert one.duplicate_of is None and two.duplicate_of == one.id
        assert two.has_flag("exact_duplicate")


BAD = {
    "empty.txt": (b"", "empty"),
    "blank.txt": (b"   \n\n  ", "empty"),
    "binary.txt": (bytes(range(256)) * 40, "binary"),
    "bad-encoding.txt": (b"\xff\xfe\xfa" * 40 + b"\x81\x8d\x8f\x90\x9d" * 50, None),  # binary or invalid_encoding
    "truncated.txt.gz": (gzip.compress(article(9).encode())[:60], "bad_gzip"),
    "nobody.html": (b"<html><head><title>x</title></head><body><nav>Home</nav></body></html>", "no_article_body"),
}


def test_bad_inputs_become_errors_and_the_run_goes_on(tmp_path: Path):
    d = tmp_path / "bad"
    d.mkdir()
    for name, (data, _) in BAD.items():
        (d / name).write_bytes(data)
    (d / "lines.jsonl").write_text('{"text": "%s"}\n{not json\n[1, 2]\n{"title": "no body"}\n' % article(10).replace("\n", " "))
    (d / "big.txt").write_text(article(11) * 400)
    (d / "good.txt").write_text(article(12))
    os.mkfifo(d / "pipe.txt")  # reading it would block forever
    (d / "german.txt").write_text(
        "Die Gespräche in Alaska endeten am Freitag ohne eine Vereinbarung über eine Waffenruhe. "
        "Beide Präsidenten sprachen danach von konstruktiven Gesprächen, nannten aber keine Einzelheiten. "
        "Beobachter in Europa zeigten sich enttäuscht über das Ergebnis des Treffens."
    )
    with Store(tmp_path / "s.db") as store:
        s = ingest([str(d), str(tmp_path / "missing.txt")], store, Limits(max_item_bytes=64 * 1024), workers=2)
        reasons = {Path(e.locator).name: e.reason for e in store.errors()}
        for name, (_, reason) in BAD.items():
            assert name in reasons, name
            if reason:
                assert reasons[name] == reason, (name, reasons[name])
        assert reasons["bad-encoding.txt"] in ("binary", "invalid_encoding")
        assert reasons["lines.jsonl#line=2"] == "malformed_json"
        assert reasons["lines.jsonl#line=3"] == "bad_record"
        assert reasons["lines.jsonl#line=4"] == "missing_text"
        assert reasons["big.txt"] == "too_large"
        assert reasons["missing.txt"] == "not_found"
        assert reasons["pipe.txt"] == "not_a_file"
        good = {Path(doc.locator.split("#")[0]).name: doc for doc in store.documents()}
        assert set(good) == {"good.txt", "german.txt", "lines.jsonl"}
        assert good["german.txt"].language == "de" and good["german.txt"].has_flag("non_english")
        assert s.failed == len(store.errors())
        # errors keep the failed item's bytes when there are any
        row = store.db.execute("SELECT raw_sha256 FROM errors WHERE locator LIKE '%binary.txt'").fetchone()
        assert store.raw(row[0]) == BAD["binary.txt"][0]


def test_gunzip_refuses_bombs_and_truncation():
    bomb = gzip.compress(b"\0" * (20 << 20))
    with pytest.raises(ValueError, match="cap"):
        gunzip(bomb, Limits(max_decompressed_ratio=10))
    with pytest.raises(ValueError, match="truncated"):
        gunzip(gzip.compress(b"hello " * 1000)[:-12], Limits())
    two = gzip.compress(b"first ") + gzip.compress(b"second")
    assert gunzip(two, Limits()) == b"first second"


def _cli(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "sitrep.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, **kw)


def _wait_for_docs(db: Path, at_least: int, proc: subprocess.Popen, timeout: float = 60) -> int:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=1) as con:
                    n = con.execute("SELECT count(*) FROM documents").fetchone()[0]
                if n >= at_least:
                    return n
            except sqlite3.OperationalError:
                pass
        assert proc.poll() is None, proc.stderr.read().decode()
        time.sleep(0.05)
    raise AssertionError("no documents appeared")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_a_killed_run_resumes_without_duplicates_or_corruption(tmp_path: Path, sig):
    d = tmp_path / "many"
    d.mkdir()
    n = 600
    for i in range(n):
        (d / f"{i:04}.html").write_text(html_page(i))
    db = tmp_path / "s.db"
    proc = _cli("ingest", str(d), "--db", str(db), "-j", "2", "-q")
    _wait_for_docs(db, 1, proc)
    proc.send_signal(sig)
    proc.wait(timeout=90)
    if sig == signal.SIGINT:
        assert proc.returncode == 130, proc.stderr.read().decode()
    with sqlite3.connect(db) as con:
        done = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert 0 < done < n, "the run should have been cut off midway"
    rerun = _cli("ingest", str(d), "--db", str(db), "-j", "2", "-q")
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err.decode()
    assert f"{n - done} new, {done} already stored" in err.decode()
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT count(*), count(DISTINCT locator) FROM documents").fetchone() == (n, n)
        statuses = [r[0] for r in con.execute("SELECT status FROM runs ORDER BY id")]
    assert statuses == ["interrupted", "done"]


def test_cli_build_writes_reports_and_exit_codes(pile: Path, tmp_path: Path):
    out = tmp_path / "out"
    (pile / "empty.txt").write_bytes(b"")
    proc = _cli("build", str(pile), "--out", str(out), "-q")
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 1, err.decode()  # finished, one item failed
    assert "empty.txt: empty" in err.decode()
    for name in ("report.html", "report.md", "sitrep.json", "sitrep.db"):
        assert (out / name).exists()
    proc = _cli("docs", "--db", str(out / "sitrep.db"), "--json")
    lines = [json.loads(x) for x in proc.communicate(timeout=60)[0].decode().splitlines()]
    assert len(lines) == 5 and {"id", "title", "flags", "published"} <= set(lines[0])
    proc = _cli("show", "1", "--db", str(out / "sitrep.db"))
    out_text = proc.communicate(timeout=60)[0].decode()
    assert "locator" in out_text and "Paragraph 1.2" in out_text
    proc = _cli("show", "nope", "--db", str(out / "sitrep.db"))
    proc.communicate(timeout=60)
    assert proc.returncode == 1
    env = dict(os.environ)
    proc = _cli("ingest", "--db", str(tmp_path / "x.db"), env=env)
    proc.communicate(timeout=60)
    assert proc.returncode == 2  # usage: no inputs

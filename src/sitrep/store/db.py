"""The embedded store: one SQLite file holding raw bytes, documents and errors.

Writes are grouped in transactions that each leave the file consistent, so a
run killed at any point (Ctrl-C, kill -9) loses at most the uncommitted batch,
and the next run redoes exactly that.  WAL mode lets readers (the CLI, other
SQLite tools) look while a run writes.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields
from datetime import datetime, timezone
from pathlib import Path

from sitrep.model import Document, Flag, ItemError, RemovedLine, sha256
from sitrep.store.schema import MIGRATIONS, SCHEMA_VERSION


class StoreError(RuntimeError):
    pass


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


_SPACE = re.compile(r"\s+")


def text_key(text: str) -> str:
    """Key under which two texts count as exact duplicates: case, unicode form
    and whitespace are ignored, nothing else is."""
    norm = _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()
    return hashlib.sha256(norm.encode()).hexdigest()


_DOC_COLUMNS = (
    "id locator kind raw_sha256 container_locator title author url canonical_url site_name "
    "source published published_from language language_confidence text duplicate_of"
).split()


class Store:
    """A sitrep database file.  Open with ``Store(path)``; use as a context manager."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self._migrate()

    # -- lifecycle -------------------------------------------------------

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} has schema version {version}, newer than this sitrep "
                f"({SCHEMA_VERSION}); upgrade sitrep"
            )
        for i in range(version, SCHEMA_VERSION):
            with self.transaction():
                for stmt in _statements(MIGRATIONS[i]):
                    self.db.execute(stmt)
                self.db.execute(f"PRAGMA user_version = {i + 1}")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self):
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    # -- writing ---------------------------------------------------------

    def put_blob(self, data: bytes) -> str:
        digest = sha256(data)
        self.db.execute(
            "INSERT OR IGNORE INTO blobs (sha256, size, data) VALUES (?, ?, ?)",
            (digest, len(data), data),
        )
        return digest

    def put_source(self, locator: str, data: bytes | None) -> None:
        digest = self.put_blob(data) if data is not None else None
        t = now()
        self.db.execute(
            "INSERT INTO sources (locator, blob_sha256, first_seen, last_seen) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(locator) DO UPDATE SET last_seen = excluded.last_seen, "
            "blob_sha256 = coalesce(excluded.blob_sha256, blob_sha256)",
            (locator, digest, t, t),
        )

    def has_document(self, doc_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None

    def add_document(self, doc: Document, raw: bytes) -> bool:
        """Store a document and its raw bytes; link it to an earlier exact
        duplicate.  Returns False if it was already stored (re-ingest)."""
        if self.has_document(doc.id):
            return False
        doc.raw_sha256 = self.put_blob(raw)
        key = text_key(doc.text)
        first = self.db.execute(
            "SELECT id FROM documents WHERE text_key = ? ORDER BY seq LIMIT 1", (key,)
        ).fetchone()
        if first is not None:
            doc.duplicate_of = first["id"]
            doc.flags.append(Flag("exact_duplicate", f"same text as {first['id']}"))
        seq = self.db.execute("SELECT coalesce(max(seq), 0) + 1 FROM documents").fetchone()[0]
        values = [getattr(doc, c) for c in _DOC_COLUMNS]
        self.db.execute(
            f"INSERT INTO documents ({', '.join(_DOC_COLUMNS)}, seq, text_key, word_count, ingested_at) "
            f"VALUES ({', '.join('?' * len(_DOC_COLUMNS))}, ?, ?, ?, ?)",
            (*values, seq, key, len(doc.text.split()), now()),
        )
        self.db.executemany(
            "INSERT OR IGNORE INTO removed_lines (document_id, line_no, rule, text) VALUES (?, ?, ?, ?)",
            [(doc.id, r.line_no, r.rule, r.text) for r in doc.removed],
        )
        self.db.executemany(
            "INSERT OR REPLACE INTO flags (document_id, flag, detail) VALUES (?, ?, ?)",
            [(doc.id, f.name, f.detail) for f in doc.flags],
        )
        self.db.execute("DELETE FROM errors WHERE locator = ?", (doc.locator,))
        return True

    def add_error(self, err: ItemError, run_id: int | None, raw: bytes | None = None) -> None:
        digest = self.put_blob(raw) if raw else err.raw_sha256
        self.db.execute(
            "INSERT OR REPLACE INTO errors (locator, reason, detail, raw_sha256, run_id, at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (err.locator, err.reason, err.detail, digest, run_id, now()),
        )

    def start_run(self, command: str) -> int:
        # A run that never reached finish_run was interrupted.
        self.db.execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running'")
        cur = self.db.execute(
            "INSERT INTO runs (command, started_at) VALUES (?, ?)", (command, now())
        )
        return cur.lastrowid

    def update_run(self, run_id: int, **counts: int) -> None:
        sets = ", ".join(f"{k} = ?" for k in counts)
        self.db.execute(f"UPDATE runs SET {sets} WHERE id = ?", (*counts.values(), run_id))

    def finish_run(self, run_id: int, status: str = "done") -> None:
        self.db.execute(
            "UPDATE runs SET status = ?, finished_at = ? WHERE id = ?", (status, now(), run_id)
        )

    # -- reading ---------------------------------------------------------

    def documents(self, include_text: bool = True) -> Iterator[Document]:
        for row in self.db.execute("SELECT * FROM documents ORDER BY seq"):
            yield self._document(row, include_text)

    def document(self, ref: str) -> Document | None:
        """A document by id, id prefix, or seq number."""
        row = None
        if ref.isdigit():
            row = self.db.execute("SELECT * FROM documents WHERE seq = ?", (int(ref),)).fetchone()
        if row is None:
            rows = self.db.execute(
                "SELECT * FROM documents WHERE id LIKE ? ORDER BY seq LIMIT 2", (ref + "%",)
            ).fetchall()
            if len(rows) > 1:
                raise StoreError(f"document reference {ref!r} is ambiguous")
            row = rows[0] if rows else None
        return self._document(row, True) if row else None

    def _document(self, row: sqlite3.Row, include_text: bool) -> Document:
        names = {f.name for f in fields(Document)}
        doc = Document(**{k: row[k] for k in row.keys() if k in names and k != "text"},
                       text=row["text"] if include_text else "")
        doc.removed = [
            RemovedLine(r["rule"], r["text"], r["line_no"])
            for r in self.db.execute(
                "SELECT * FROM removed_lines WHERE document_id = ? ORDER BY line_no", (doc.id,)
            )
        ]
        doc.flags = [
            Flag(r["flag"], r["detail"])
            for r in self.db.execute(
                "SELECT * FROM flags WHERE document_id = ? ORDER BY flag", (doc.id,)
            )
        ]
        return doc

    def raw(self, digest: str) -> bytes | None:
        row = self.db.execute("SELECT data FROM blobs WHERE sha256 = ?", (digest,)).fetchone()
        return bytes(row["data"]) if row else None

    def errors(self) -> list[ItemError]:
        return [
            ItemError(r["locator"], r["reason"], r["detail"], r["raw_sha256"])
            for r in self.db.execute("SELECT * FROM errors ORDER BY at, locator")
        ]

    def counts(self) -> dict[str, int]:
        q = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "documents": q("SELECT count(*) FROM documents"),
            "duplicates": q("SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL"),
            "errors": q("SELECT count(*) FROM errors"),
            "blobs": q("SELECT count(*) FROM blobs"),
        }


def _statements(script: str) -> list[str]:
    # executescript() would commit our open transaction; split instead.
    parts, buf = [], []
    for line in script.splitlines():
        code = line.split("--", 1)[0].rstrip()
        buf.append(code)
        if code.endswith(";"):
            parts.append("\n".join(buf).strip().rstrip(";"))
            buf = []
    return [p for p in parts if p]

"""The store's schema, as an ordered list of migrations.

The SQLite file is a product: table and column names are meant to be read by
people using `sqlite3`, Datasette or pandas.  Each entry of MIGRATIONS moves the
schema from version i to i+1; `PRAGMA user_version` records where a file is.
Never edit a released migration: append a new one.
"""

MIGRATIONS: list[str] = [
    # 1: raw bytes, documents, removed lines, flags, errors, runs.
    """
    CREATE TABLE blobs (
        sha256 TEXT PRIMARY KEY,          -- hex sha256 of data
        size INTEGER NOT NULL,
        data BLOB NOT NULL                -- verbatim input bytes
    );
    CREATE TABLE sources (
        locator TEXT PRIMARY KEY,         -- file path or URL given as input (containers too)
        blob_sha256 TEXT REFERENCES blobs(sha256),
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL
    );
    CREATE TABLE documents (
        id TEXT PRIMARY KEY,              -- stable: sha256(kind, raw bytes)[:16]
        seq INTEGER NOT NULL UNIQUE,      -- ingest order; "first copy" means lowest seq
        locator TEXT NOT NULL,            -- where the item came from (path, path#line=N, URL...)
        kind TEXT NOT NULL,               -- html | text
        raw_sha256 TEXT NOT NULL REFERENCES blobs(sha256),
        container_locator TEXT,           -- the file or feed the item was cut from
        title TEXT,
        author TEXT,
        url TEXT,
        canonical_url TEXT,
        site_name TEXT,
        source TEXT,                      -- publisher as named by the input
        published TEXT,                   -- ISO date
        published_from TEXT,              -- input | metadata | none
        language TEXT,                    -- ISO 639-1
        language_confidence REAL,
        text TEXT NOT NULL,               -- cleaned article text
        text_key TEXT NOT NULL,           -- sha256 of normalised text: exact-duplicate key
        word_count INTEGER NOT NULL,
        duplicate_of TEXT REFERENCES documents(id),
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX documents_text_key ON documents(text_key);
    CREATE TABLE removed_lines (
        document_id TEXT NOT NULL REFERENCES documents(id),
        line_no INTEGER NOT NULL,         -- 0-based line in the text before cleaning
        rule TEXT NOT NULL,               -- name of the rule that removed it
        text TEXT NOT NULL,
        PRIMARY KEY (document_id, line_no, rule)
    );
    CREATE TABLE flags (
        document_id TEXT NOT NULL REFERENCES documents(id),
        flag TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (document_id, flag)
    );
    CREATE TABLE errors (
        locator TEXT PRIMARY KEY,         -- the item that failed (one row per item, latest attempt)
        reason TEXT NOT NULL,             -- short kind: empty, binary, too_large, timeout...
        detail TEXT NOT NULL DEFAULT '',
        raw_sha256 TEXT REFERENCES blobs(sha256),
        run_id INTEGER REFERENCES runs(id),
        at TEXT NOT NULL
    );
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        command TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL DEFAULT 'running',   -- running | done | interrupted
        ingested INTEGER NOT NULL DEFAULT 0,
        skipped INTEGER NOT NULL DEFAULT 0,
        duplicates INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0
    );
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)

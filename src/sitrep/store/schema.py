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
    # 2: provenance — per-document products, spin, derivation graph, origin groups, quality.
    """
    CREATE TABLE doc_products (
        document_id TEXT NOT NULL REFERENCES documents(id),
        stage TEXT NOT NULL,              -- per-document stage that made it (e.g. minhash, experts)
        version INTEGER NOT NULL,         -- the stage's version: a newer one recomputes
        data BLOB,                        -- compact product (numpy bytes or JSON), internal
        PRIMARY KEY (document_id, stage)
    );
    CREATE TABLE spin (
        document_id TEXT PRIMARY KEY REFERENCES documents(id),
        score REAL NOT NULL,              -- share of content words judged substituted
        spun INTEGER NOT NULL,            -- 1 if the document is judged word-spun
        method TEXT NOT NULL,             -- thesaurus | alignment | none
        restored_text TEXT                -- the text with substitutions undone (spun documents only)
    );
    CREATE TABLE spin_marks (
        document_id TEXT NOT NULL REFERENCES documents(id),
        start INTEGER NOT NULL,           -- char offsets into documents.text
        end INTEGER NOT NULL,
        published TEXT NOT NULL,
        restored TEXT NOT NULL,
        confidence REAL NOT NULL,
        method TEXT NOT NULL,
        PRIMARY KEY (document_id, start)
    );
    CREATE TABLE candidate_pairs (
        a TEXT NOT NULL REFERENCES documents(id),
        b TEXT NOT NULL REFERENCES documents(id),
        route TEXT NOT NULL,              -- minhash | semantic | wire
        score REAL NOT NULL,
        PRIMARY KEY (a, b, route)
    );
    CREATE TABLE derivations (
        origin_id TEXT NOT NULL REFERENCES documents(id),
        copy_id TEXT NOT NULL REFERENCES documents(id),
        relation TEXT NOT NULL,           -- duplicate | syndicated | copy | trimmed | reordered | spun | rewrite
        coverage_origin REAL NOT NULL,    -- share of the origin found in the copy
        coverage_copy REAL NOT NULL,      -- share of the copy that comes from the origin
        confidence REAL NOT NULL,
        direction TEXT NOT NULL,          -- JSON list of the signals that set the direction
        PRIMARY KEY (origin_id, copy_id)
    );
    CREATE TABLE passages (
        origin_id TEXT NOT NULL,
        copy_id TEXT NOT NULL,
        origin_start INTEGER NOT NULL,
        origin_end INTEGER NOT NULL,
        copy_start INTEGER NOT NULL,
        copy_end INTEGER NOT NULL,
        kind TEXT NOT NULL,               -- verbatim | edited | spun | paraphrase
        similarity REAL NOT NULL,
        FOREIGN KEY (origin_id, copy_id) REFERENCES derivations(origin_id, copy_id) ON DELETE CASCADE
    );
    CREATE INDEX passages_pair ON passages(origin_id, copy_id);
    CREATE TABLE origin_groups (
        document_id TEXT PRIMARY KEY REFERENCES documents(id),
        group_id TEXT NOT NULL,           -- the group's root origin (or wire:<agency>:... for wire stories)
        role TEXT NOT NULL                -- origin | copy | rewrite | spun_copy | syndicated
    );
    CREATE INDEX origin_groups_group ON origin_groups(group_id);
    CREATE TABLE quality (
        document_id TEXT PRIMARY KEY REFERENCES documents(id),
        score REAL NOT NULL,              -- 0 worst .. 1 no concerns
        content_farm INTEGER NOT NULL
    );
    CREATE TABLE quality_signals (
        document_id TEXT NOT NULL REFERENCES documents(id),
        seq INTEGER NOT NULL,
        name TEXT NOT NULL,               -- template_section | unknown_expert | uncredited_rewrite | spin ...
        weight REAL NOT NULL,
        detail TEXT NOT NULL,
        spans TEXT NOT NULL,              -- JSON [[start, end], ...] into documents.text
        PRIMARY KEY (document_id, seq)
    );
    """,
    # 3: understanding — per-document annotations (mentions, roles, quotes, times, events),
    # identities, quote speakers, the timeline, stories, incremental state.
    """
    CREATE TABLE annotations (
        document_id TEXT PRIMARY KEY REFERENCES documents(id),
        text_digest TEXT NOT NULL,        -- sha256 of the text annotated (the restored text when spun)
        on_restored INTEGER NOT NULL,     -- 1 if spans were mapped back from the restored text
        published TEXT,                   -- the document's date as the understanding pass settles it
        published_from TEXT NOT NULL,     -- input | metadata | url | dateline | text | none
        sentences TEXT NOT NULL           -- JSON [[start, end], ...]
    );
    CREATE TABLE mentions (
        document_id TEXT NOT NULL REFERENCES documents(id),
        seq INTEGER NOT NULL,
        start INTEGER NOT NULL,           -- char offsets into documents.text (as published)
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        label TEXT NOT NULL,              -- PERSON | ORG | GPE | LOC | NORP | FAC | EVENT
        kind TEXT NOT NULL,               -- name | short | description | pronoun | metonym | possessive
        key TEXT NOT NULL,                -- within-document cluster key
        sentence INTEGER NOT NULL,
        PRIMARY KEY (document_id, seq)
    );
    CREATE INDEX mentions_key ON mentions(key);
    CREATE TABLE role_mentions (
        document_id TEXT NOT NULL REFERENCES documents(id),
        seq INTEGER NOT NULL,
        key TEXT NOT NULL,                -- mentions.key of the holder
        role TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        qualifier TEXT NOT NULL,          -- former | acting | designate | '' (current)
        PRIMARY KEY (document_id, seq)
    );
    CREATE TABLE quotes (
        document_id TEXT NOT NULL REFERENCES documents(id),
        seq INTEGER NOT NULL,
        start INTEGER NOT NULL,           -- content span
        end INTEGER NOT NULL,
        kind TEXT NOT NULL,               -- direct | indirect | mixed
        cue TEXT NOT NULL,
        cue_start INTEGER NOT NULL,
        cue_end INTEGER NOT NULL,
        speaker TEXT NOT NULL,
        speaker_start INTEGER NOT NULL,   -- -1 when no speaker was found
        speaker_end INTEGER NOT NULL,
        speaker_key TEXT NOT NULL,        -- mentions.key of the speaker ('' when unresolved)
        PRIMARY KEY (document_id, seq)
    );
    CREATE TABLE times (
        document_id TEXT NOT NULL REFERENCES documents(id),
        seq INTEGER NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        kind TEXT NOT NULL,               -- date | interval | duration | set
        value TEXT NOT NULL,              -- ISO 8601 ('' when unresolved)
        grain TEXT NOT NULL,
        anchor TEXT NOT NULL,             -- absolute | published | dateline | inferred
        PRIMARY KEY (document_id, seq)
    );
    CREATE TABLE events (
        document_id TEXT NOT NULL REFERENCES documents(id),
        seq INTEGER NOT NULL,
        trigger TEXT NOT NULL,
        start INTEGER NOT NULL,           -- sentence span
        end INTEGER NOT NULL,
        actors TEXT NOT NULL,             -- JSON list of mentions.key
        place TEXT NOT NULL,
        date TEXT NOT NULL,
        tense TEXT NOT NULL,              -- past | present | future
        duration TEXT NOT NULL,
        PRIMARY KEY (document_id, seq)
    );
    CREATE TABLE identities (
        id TEXT PRIMARY KEY,              -- stable: made from the first key that created it
        name TEXT NOT NULL,               -- display name: the most complete frequent form
        label TEXT NOT NULL,              -- PERSON | ORG | GPE | LOC | NORP | FAC | EVENT
        stands_for TEXT NOT NULL,         -- metonyms (the Kremlin): the identity they stand for, else ''
        mentions INTEGER NOT NULL,
        documents INTEGER NOT NULL
    );
    CREATE TABLE identity_variants (
        identity_id TEXT NOT NULL,            -- identities.id
        variant TEXT NOT NULL,            -- a surface form as written
        count INTEGER NOT NULL,
        PRIMARY KEY (identity_id, variant)
    );
    CREATE TABLE identity_links (
        document_id TEXT NOT NULL REFERENCES documents(id),
        key TEXT NOT NULL,                -- mentions.key within the document
        identity_id TEXT NOT NULL,            -- identities.id
        PRIMARY KEY (document_id, key)
    );
    CREATE INDEX identity_links_identity ON identity_links(identity_id);
    CREATE TABLE roles (
        identity_id TEXT NOT NULL,            -- identities.id
        role TEXT NOT NULL,
        qualifier TEXT NOT NULL,          -- former | acting | designate | '' (current)
        document_id TEXT NOT NULL REFERENCES documents(id),
        start INTEGER NOT NULL,           -- span of the role phrase in documents.text
        end INTEGER NOT NULL,
        date TEXT NOT NULL                -- the document's date ('' when undated)
    );
    CREATE INDEX roles_identity ON roles(identity_id);
    CREATE TABLE quote_speakers (
        document_id TEXT NOT NULL REFERENCES documents(id),
        seq INTEGER NOT NULL,             -- quotes.seq
        identity_id TEXT NOT NULL,        -- the speaker's identity ('' when unresolved)
        speaker_sources INTEGER NOT NULL, -- origin groups (independent sources) that mention the speaker
        single_source INTEGER NOT NULL,   -- 1 when no other independent source knows the speaker
        PRIMARY KEY (document_id, seq)
    );
    CREATE TABLE timeline (
        id TEXT PRIMARY KEY,              -- an event merged across documents
        trigger TEXT NOT NULL,
        label TEXT NOT NULL,              -- short description
        date TEXT NOT NULL,               -- ISO date or interval, '' when only placed relatively
        date_evidence TEXT NOT NULL,      -- how the date was settled (which words, resolved how)
        place TEXT NOT NULL,              -- identity id of the place, '' when none
        duration TEXT NOT NULL,           -- ISO 8601 duration, '' when none
        rank INTEGER NOT NULL             -- position in the timeline
    );
    CREATE TABLE timeline_support (
        event_id TEXT NOT NULL,               -- timeline.id
        document_id TEXT NOT NULL REFERENCES documents(id),
        seq INTEGER NOT NULL,             -- events.seq in that document
        PRIMARY KEY (event_id, document_id, seq)
    );
    CREATE TABLE placements (
        document_id TEXT PRIMARY KEY REFERENCES documents(id),
        date TEXT NOT NULL,               -- the document's date, '' when undated
        relation TEXT NOT NULL,           -- dated | before | after | unplaced
        event_id TEXT NOT NULL,           -- the timeline event it is placed against ('' when dated)
        rank INTEGER NOT NULL,            -- position in the document order
        reason TEXT NOT NULL
    );
    CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        label TEXT NOT NULL,
        start TEXT NOT NULL,              -- ISO date range of its documents / events
        end TEXT NOT NULL,
        size INTEGER NOT NULL
    );
    CREATE TABLE story_documents (
        document_id TEXT PRIMARY KEY REFERENCES documents(id),
        story_id TEXT NOT NULL                -- stories.id
    );
    CREATE INDEX story_documents_story ON story_documents(story_id);
    CREATE TABLE story_actors (
        story_id TEXT NOT NULL,               -- stories.id
        identity_id TEXT NOT NULL,            -- identities.id
        rank INTEGER NOT NULL,
        PRIMARY KEY (story_id, identity_id)
    );
    CREATE TABLE state (
        name TEXT PRIMARY KEY,            -- an incremental index kept between runs (identities, stories...)
        data BLOB NOT NULL,
        updated_at TEXT NOT NULL
    );
    """,
    """
    -- 4: corroboration: claims per document; claim groups with independent-source
    -- counts, contradictions, positions and briefings per story
    CREATE TABLE claims (
        document_id TEXT NOT NULL REFERENCES documents(id),
        seq INTEGER NOT NULL,
        id TEXT NOT NULL,                 -- "<document_id>:<start>-<end>"
        start INTEGER NOT NULL,           -- claim span in documents.text
        end INTEGER NOT NULL,
        sentence_start INTEGER NOT NULL,
        sentence_end INTEGER NOT NULL,
        text TEXT NOT NULL,               -- as analysed (the restored text when the document is spun)
        subject TEXT NOT NULL,
        subject_key TEXT NOT NULL,        -- mentions.key of the subject ('' when none)
        predicate TEXT NOT NULL,
        object TEXT NOT NULL,
        polarity INTEGER NOT NULL,        -- 1 asserted, -1 negated
        modality TEXT NOT NULL,           -- asserted | possible | probable | reported | expected | planned ...
        hedges TEXT NOT NULL,             -- JSON list of cue words
        tense TEXT NOT NULL,
        numbers TEXT NOT NULL,            -- JSON list of {value, unit, text, start, end, qualifier}
        dates TEXT NOT NULL,              -- JSON list of ISO values
        places TEXT NOT NULL,             -- JSON list of mentions.key
        entities TEXT NOT NULL,           -- JSON list of mentions.key
        speaker TEXT NOT NULL,            -- whose claim ('' = the document's own)
        speaker_key TEXT NOT NULL,
        quote_kind TEXT NOT NULL,         -- direct | indirect | mixed | ''
        checkworthy REAL NOT NULL,
        PRIMARY KEY (document_id, seq)
    );
    CREATE UNIQUE INDEX claims_id ON claims(id);
    CREATE TABLE claim_groups (
        id TEXT PRIMARY KEY,              -- 'g:' + the id of its earliest claim
        story_id TEXT NOT NULL,           -- stories.id
        label TEXT NOT NULL,              -- its most check-worthy claim
        size INTEGER NOT NULL,            -- claims
        documents INTEGER NOT NULL,
        independent_sources INTEGER NOT NULL, -- origin groups among its documents
        single_source INTEGER NOT NULL,
        farm_only INTEGER NOT NULL,       -- 1 when every supporting document is a content farm
        checkworthy REAL NOT NULL,
        subject TEXT NOT NULL,            -- identity id (or text) of the subject
        predicate TEXT NOT NULL,
        first_seen TEXT NOT NULL          -- earliest document date ('' when undated)
    );
    CREATE INDEX claim_groups_story ON claim_groups(story_id);
    CREATE TABLE claim_group_members (
        claim_id TEXT PRIMARY KEY,        -- claims.id
        group_id TEXT NOT NULL,           -- claim_groups.id
        document_id TEXT NOT NULL REFERENCES documents(id)
    );
    CREATE INDEX claim_group_members_group ON claim_group_members(group_id);
    CREATE TABLE contradictions (
        id TEXT PRIMARY KEY,
        story_id TEXT NOT NULL,
        kind TEXT NOT NULL,               -- number | date | place | polarity | role
        subject TEXT NOT NULL,            -- identity id, or text
        topic TEXT NOT NULL,              -- predicate or role
        value_a TEXT NOT NULL,
        value_b TEXT NOT NULL,
        side_a TEXT NOT NULL,             -- JSON list of [document_id, start, end]
        side_b TEXT NOT NULL,
        sources_a INTEGER NOT NULL,       -- independent sources on each side
        sources_b INTEGER NOT NULL,
        farm_a INTEGER NOT NULL,          -- 1 when the side rests only on content-farm documents
        farm_b INTEGER NOT NULL
    );
    CREATE TABLE positions (
        identity_id TEXT NOT NULL,
        story_id TEXT NOT NULL,
        issue TEXT NOT NULL,
        stance TEXT NOT NULL,             -- supports | opposes | shifts | neutral
        date TEXT NOT NULL,
        date_from TEXT NOT NULL,          -- published | text | before:<event> | after:<event> | ''
        claim_id TEXT NOT NULL,           -- claims.id
        document_id TEXT NOT NULL REFERENCES documents(id),
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        reported INTEGER NOT NULL         -- 1 when others report it rather than the actor stating it
    );
    CREATE INDEX positions_story ON positions(story_id, identity_id);
    CREATE TABLE briefings (
        story_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        section TEXT NOT NULL,            -- happened | actors | claims | disputed | positions | sources
        text TEXT NOT NULL,
        citations TEXT NOT NULL,          -- JSON list of [document_id, start, end]
        supported INTEGER NOT NULL,
        mode TEXT NOT NULL,               -- extractive | abstractive:<model>
        PRIMARY KEY (story_id, seq)
    );
    """,
    """
    -- 5: the timeline says who took part, whether an event is done or expected, and whether it is
    -- reported as not happening, so the briefing can write it as a sentence
    ALTER TABLE timeline ADD COLUMN actors TEXT NOT NULL DEFAULT '[]';   -- JSON list of identity ids (or keys)
    ALTER TABLE timeline ADD COLUMN tense TEXT NOT NULL DEFAULT '';      -- past | future | ''
    ALTER TABLE timeline ADD COLUMN status TEXT NOT NULL DEFAULT '';     -- negated | hypothetical | '' (asserted)
    ALTER TABLE timeline ADD COLUMN class TEXT NOT NULL DEFAULT '';      -- event class (meet, agree, ceasefire ...)
    ALTER TABLE timeline ADD COLUMN stated_date TEXT NOT NULL DEFAULT ''; -- the date its mentions state ('' when
                                                                        -- date only holds bounds from placement)
    """,
    """
    -- 6: each event mention says whether its sentence asserts it, denies it or only wants it, read
    -- from the parse (events._status); the timeline votes over its mentions
    ALTER TABLE events ADD COLUMN status TEXT NOT NULL DEFAULT '';       -- negated | hypothetical | '' (asserted)
    """,
    """
    -- 7: an event no mention dates on the calendar may still be dated to a weekday ("next Friday")
    ALTER TABLE timeline ADD COLUMN weekday INTEGER NOT NULL DEFAULT 0;  -- ISO weekday, 1 = Monday; 0 none
    """,
    """
    -- 8: what each briefing was written from, so a run rewrites only the briefings whose story changed
    CREATE TABLE briefing_inputs (
        story_id TEXT PRIMARY KEY,
        digest TEXT NOT NULL              -- sha256 of the story's facts, the limits and the briefing code's source
    );
    """,
    """
    -- 9: events with a direction (invade, impose, elect ...) say who acts and who undergoes them, so the
    -- briefing can write "Russia invaded Ukraine" rather than "an invasion involving Russia and Ukraine"
    ALTER TABLE events ADD COLUMN agents TEXT NOT NULL DEFAULT '[]';     -- JSON list of mentions.key: who acts
    ALTER TABLE events ADD COLUMN patients TEXT NOT NULL DEFAULT '[]';   -- JSON list of mentions.key: who undergoes
    ALTER TABLE timeline ADD COLUMN agents TEXT NOT NULL DEFAULT '[]';   -- JSON list of identity ids (or keys)
    ALTER TABLE timeline ADD COLUMN patients TEXT NOT NULL DEFAULT '[]'; -- JSON list of identity ids (or keys)
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)

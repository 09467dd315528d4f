"""SQLite schema, as numbered migrations; PRAGMA user_version records the last one applied."""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: articles, their versions and full-text search.
    """
    CREATE TABLE article (
        id            TEXT PRIMARY KEY,
        url           TEXT,
        outlet        TEXT,
        title         TEXT,
        byline        TEXT,
        published     TEXT,
        language      TEXT,
        text          TEXT NOT NULL,
        words         INTEGER NOT NULL,
        source        TEXT NOT NULL,
        external_id   TEXT,
        ingested_at   TEXT NOT NULL,
        previous_id   TEXT REFERENCES article(id),
        superseded_by TEXT REFERENCES article(id)
    );
    CREATE INDEX article_url ON article(url);
    CREATE INDEX article_outlet ON article(outlet);
    CREATE INDEX article_published ON article(published);
    CREATE VIRTUAL TABLE article_fts USING fts5(
        title, text, content='article', content_rowid='rowid', tokenize='unicode61'
    );
    CREATE TRIGGER article_fts_insert AFTER INSERT ON article BEGIN
        INSERT INTO article_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    CREATE TRIGGER article_fts_delete AFTER DELETE ON article BEGIN
        INSERT INTO article_fts(article_fts, rowid, title, text)
        VALUES ('delete', old.rowid, old.title, old.text);
    END;
    CREATE TRIGGER article_fts_update AFTER UPDATE OF title, text ON article BEGIN
        INSERT INTO article_fts(article_fts, rowid, title, text)
        VALUES ('delete', old.rowid, old.title, old.text);
        INSERT INTO article_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    """,
]


MIGRATIONS.append(
    # 2: per-article analysis and the entities linked across articles.
    """
    CREATE TABLE analysis (
        article_id  TEXT PRIMARY KEY REFERENCES article(id) ON DELETE CASCADE,
        version     INTEGER NOT NULL,
        language    TEXT,
        skipped     TEXT,
        analysed_at TEXT NOT NULL
    );
    CREATE TABLE sentence (
        article_id TEXT NOT NULL REFERENCES article(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
        paragraph INTEGER NOT NULL,
        PRIMARY KEY (article_id, idx)
    ) WITHOUT ROWID;
    CREATE TABLE entity (
        id      INTEGER PRIMARY KEY,
        name    TEXT NOT NULL,
        label   TEXT NOT NULL,
        aliases TEXT NOT NULL DEFAULT '[]',
        roles   TEXT NOT NULL DEFAULT '[]'
    );
    CREATE INDEX entity_name ON entity(name COLLATE NOCASE);
    CREATE TABLE entity_alias (
        alias     TEXT NOT NULL,
        entity_id INTEGER NOT NULL REFERENCES entity(id) ON DELETE CASCADE,
        PRIMARY KEY (alias, entity_id)
    ) WITHOUT ROWID;
    CREATE TABLE local_entity (
        article_id TEXT NOT NULL REFERENCES article(id) ON DELETE CASCADE,
        key TEXT NOT NULL, label TEXT NOT NULL,
        aliases TEXT NOT NULL, roles TEXT NOT NULL, mentions INTEGER NOT NULL,
        entity_id INTEGER REFERENCES entity(id),
        PRIMARY KEY (article_id, key)
    ) WITHOUT ROWID;
    CREATE INDEX local_entity_entity ON local_entity(entity_id);
    CREATE TABLE mention (
        article_id TEXT NOT NULL REFERENCES article(id) ON DELETE CASCADE,
        start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL,
        label TEXT NOT NULL, key TEXT NOT NULL, sentence INTEGER NOT NULL
    );
    CREATE INDEX mention_article ON mention(article_id, key);
    CREATE TABLE quote (
        article_id TEXT NOT NULL REFERENCES article(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL,
        kind TEXT NOT NULL, sentence INTEGER NOT NULL,
        cue TEXT, cue_start INTEGER, cue_end INTEGER,
        speaker TEXT, speaker_start INTEGER, speaker_end INTEGER, speaker_key TEXT,
        speaker_via TEXT NOT NULL, confidence REAL NOT NULL,
        PRIMARY KEY (article_id, idx)
    );
    CREATE TABLE quantity (
        article_id TEXT NOT NULL REFERENCES article(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL,
        sentence INTEGER NOT NULL, value REAL NOT NULL, unit TEXT NOT NULL, measure TEXT,
        change REAL, change_unit TEXT, period TEXT, normalised TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (article_id, idx)
    );
    CREATE TABLE time_ref (
        article_id TEXT NOT NULL REFERENCES article(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL,
        sentence INTEGER NOT NULL, resolved TEXT,
        PRIMARY KEY (article_id, idx)
    );
    """
)

MIGRATIONS.append(
    # 3: the same text published again under another outlet or URL (syndication): the article
    # keeps one id, and each further appearance is kept so that copies can be counted later.
    """
    CREATE TABLE appearance (
        article_id TEXT NOT NULL REFERENCES article(id) ON DELETE CASCADE,
        outlet TEXT, url TEXT, title TEXT, published TEXT, source TEXT NOT NULL,
        ingested_at TEXT NOT NULL
    );
    -- ifnull: SQLite treats NULLs as distinct, and outlet or URL is often missing.
    CREATE UNIQUE INDEX appearance_key ON appearance(article_id, ifnull(outlet, ''), ifnull(url, ''));
    """
)

MIGRATIONS.append(
    # 4: how exact a quantity is ("nearly 50%" is not a dispute with "50%").
    """
    ALTER TABLE quantity ADD COLUMN qualifier TEXT;
    """
)

MIGRATIONS.append(
    # 5: copy detection: what the detector keeps of each article, and the links it found.
    """
    CREATE TABLE copy_signature (
        article_id TEXT PRIMARY KEY REFERENCES article(id) ON DELETE CASCADE,
        published TEXT, outlet TEXT, identity TEXT NOT NULL,
        shingles BLOB NOT NULL, minhash BLOB NOT NULL, sentences BLOB NOT NULL, quoted BLOB NOT NULL
    );
    CREATE INDEX copy_signature_published ON copy_signature(published);
    CREATE TABLE copy_link (
        earlier TEXT NOT NULL REFERENCES article(id) ON DELETE CASCADE,
        later TEXT NOT NULL REFERENCES article(id) ON DELETE CASCADE,
        kind TEXT NOT NULL, score REAL NOT NULL, share REAL NOT NULL, direction TEXT NOT NULL,
        PRIMARY KEY (earlier, later)
    ) WITHOUT ROWID;
    CREATE INDEX copy_link_later ON copy_link(later);
    """
)

MIGRATIONS.append(
    # 6: stories, as the clusterer last left them, and the clusterer's own state.
    """
    CREATE TABLE story (
        id TEXT PRIMARY KEY, title TEXT, first_seen TEXT, last_updated TEXT,
        articles INTEGER NOT NULL, outlets TEXT NOT NULL DEFAULT '[]'
    );
    CREATE INDEX story_updated ON story(last_updated);
    CREATE TABLE story_article (
        article_id TEXT PRIMARY KEY REFERENCES article(id) ON DELETE CASCADE,
        story_id TEXT NOT NULL REFERENCES story(id) ON DELETE CASCADE
    ) WITHOUT ROWID;
    CREATE INDEX story_article_story ON story_article(story_id);
    CREATE TABLE cluster_state (id INTEGER PRIMARY KEY CHECK (id = 1), state TEXT NOT NULL);
    """
)

MIGRATIONS.append(
    # 7: comparison inside a story: the whole result as JSON, and its claims as rows to query.
    # Stories are rewritten on every clustering, so these key on story id without a foreign key;
    # the fingerprint of the story's articles says whether a comparison is still current.
    """
    CREATE TABLE comparison (
        story_id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, version INTEGER NOT NULL,
        created TEXT NOT NULL, data TEXT NOT NULL
    );
    CREATE TABLE claim (
        story_id TEXT NOT NULL, idx INTEGER NOT NULL, status TEXT NOT NULL, text TEXT NOT NULL,
        voices INTEGER NOT NULL, outlets TEXT NOT NULL,
        PRIMARY KEY (story_id, idx)
    ) WITHOUT ROWID;
    CREATE TABLE claim_sentence (
        story_id TEXT NOT NULL, claim_idx INTEGER NOT NULL,
        article_id TEXT NOT NULL REFERENCES article(id) ON DELETE CASCADE,
        sentence INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
        PRIMARY KEY (story_id, claim_idx, article_id, sentence)
    ) WITHOUT ROWID;
    CREATE INDEX claim_sentence_article ON claim_sentence(article_id, sentence);
    """
)

MIGRATIONS.append(
    # 8: full-text search over quotes and entities too (the web UI's search), kept in step by triggers;
    # each index row has its source row's rowid, so keeping it in step is a lookup, not a scan.
    """
    CREATE VIRTUAL TABLE quote_fts USING fts5(text, speaker);
    INSERT INTO quote_fts (rowid, text, speaker)
        SELECT rowid, text, coalesce(speaker_key, speaker, '') FROM quote;
    CREATE TRIGGER quote_fts_insert AFTER INSERT ON quote BEGIN
        INSERT INTO quote_fts (rowid, text, speaker)
        VALUES (new.rowid, new.text, coalesce(new.speaker_key, new.speaker, ''));
    END;
    CREATE TRIGGER quote_fts_delete AFTER DELETE ON quote BEGIN
        DELETE FROM quote_fts WHERE rowid = old.rowid;
    END;
    CREATE VIRTUAL TABLE entity_fts USING fts5(name, aliases);
    INSERT INTO entity_fts (rowid, name, aliases) SELECT id, name, aliases FROM entity;
    CREATE TRIGGER entity_fts_insert AFTER INSERT ON entity BEGIN
        INSERT INTO entity_fts (rowid, name, aliases) VALUES (new.id, new.name, new.aliases);
    END;
    CREATE TRIGGER entity_fts_update AFTER UPDATE ON entity BEGIN
        DELETE FROM entity_fts WHERE rowid = old.id;
        INSERT INTO entity_fts (rowid, name, aliases) VALUES (new.id, new.name, new.aliases);
    END;
    CREATE TRIGGER entity_fts_delete AFTER DELETE ON entity BEGIN
        DELETE FROM entity_fts WHERE rowid = old.id;
    END;
    """
)

SCHEMA_VERSION = len(MIGRATIONS)

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

SCHEMA_VERSION = len(MIGRATIONS)

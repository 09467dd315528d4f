"""The embedded store: one SQLite file, WAL mode, FTS5 search, migrations on open."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from storylens.errors import AmbiguousId, ArticleNotFound, StoreError
from storylens.models import AddResult, Article
from storylens.store.base import SearchHit
from storylens.store.migrations import MIGRATIONS, SCHEMA_VERSION
from storylens.store.sqlite_analysis import AnalysisTables
from storylens.store.sqlite_compare import CompareTables
from storylens.store.sqlite_stories import StoryTables
from storylens.store.sqlite_web import WebTables

_ARTICLE_COLUMNS = (
    "id", "url", "outlet", "title", "byline", "published", "language", "text", "source",
    "external_id", "ingested_at", "previous_id", "superseded_by",
)
_SELECT = f"SELECT {', '.join('a.' + c for c in _ARTICLE_COLUMNS)} FROM article a"
_NEWEST_FIRST = "ORDER BY a.published IS NULL, a.published DESC, a.ingested_at DESC, a.rowid DESC"


class SQLiteStore(AnalysisTables, StoryTables, CompareTables, WebTables):
    """A Store kept in one SQLite file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            # One connection is used by one caller at a time, but not always from one thread: the web
            # server opens it for a request in one worker thread and may use and close it in another.
            self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=30.0,
                                        check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the store ({exc})") from exc
        self.conn.row_factory = sqlite3.Row
        self._depth = 0
        try:
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise StoreError(f"{self.path}: not a storylens store ({exc})") from exc

    # -- schema ----------------------------------------------------------------------------
    @property
    def schema_version(self) -> int:
        """The schema version of the file."""
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        current = self.schema_version
        if current > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: written by a newer storylens (schema {current}, this "
                             f"version knows up to {SCHEMA_VERSION}); upgrade storylens")
        for number in range(current + 1, SCHEMA_VERSION + 1):
            # One script per migration, its version bump inside the same transaction.
            self.conn.executescript(
                f"BEGIN IMMEDIATE;\n{MIGRATIONS[number - 1]}\nPRAGMA user_version = {number};\nCOMMIT;"
            )

    # -- transactions ----------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All writes inside commit together or not at all; nests through savepoints."""
        name = f"sp{self._depth}"
        self.conn.execute("BEGIN IMMEDIATE" if self._depth == 0 else f"SAVEPOINT {name}")
        self._depth += 1
        try:
            yield self.conn
        except BaseException:
            self._depth -= 1
            if self._depth == 0:
                self.conn.execute("ROLLBACK")
            else:
                self.conn.execute(f"ROLLBACK TO {name}")
                self.conn.execute(f"RELEASE {name}")
            raise
        self._depth -= 1
        self.conn.execute("COMMIT" if self._depth == 0 else f"RELEASE {name}")

    # -- articles --------------------------------------------------------------------------
    def add_article(self, article: Article) -> AddResult:
        """Store one article atomically (see Store.add_article)."""
        with self.transaction() as conn:
            stored = conn.execute(f"{_SELECT} WHERE a.id = ?", (article.id,)).fetchone()
            if stored:
                if (article.outlet, article.url) == (stored["outlet"], stored["url"]):
                    return AddResult("duplicate", article.id)
                return AddResult("duplicate", article.id, appearance=_add_appearance(conn, article,
                                                                                     _article(stored)))
            previous = None
            if article.url:
                row = conn.execute(
                    "SELECT id FROM article WHERE url = ? AND superseded_by IS NULL "
                    "ORDER BY rowid DESC LIMIT 1",
                    (article.url,),
                ).fetchone()
                previous = row["id"] if row else None
            article.previous_id = previous
            values = [getattr(article, c) for c in _ARTICLE_COLUMNS]
            conn.execute(
                f"INSERT INTO article ({', '.join(_ARTICLE_COLUMNS)}, words) "
                f"VALUES ({', '.join('?' * len(_ARTICLE_COLUMNS))}, ?)",
                [*values, article.words],
            )
            if previous:
                conn.execute("UPDATE article SET superseded_by = ? WHERE id = ?",
                             (article.id, previous))
                return AddResult("new_version", article.id, previous)
            return AddResult("added", article.id)

    def get_article(self, id_or_prefix: str) -> Article:
        """The article with this id or unique id prefix."""
        prefix = id_or_prefix.strip().lower()
        if not prefix:
            raise ArticleNotFound("an article id is needed")
        rows = self.conn.execute(
            f"{_SELECT} WHERE a.id >= ? AND a.id < ? LIMIT 2", (prefix, prefix + "\uffff")
        ).fetchall()
        if not rows:
            raise ArticleNotFound(f"no article with id {id_or_prefix!r}")
        if len(rows) > 1 and rows[0]["id"] != prefix:
            raise AmbiguousId(f"{id_or_prefix!r} matches several articles; give more of the id")
        return _article(rows[0])

    def articles(
        self,
        *,
        outlet: str | None = None,
        language: str | None = None,
        include_superseded: bool = False,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Article]:
        """Stored articles, newest first."""
        where, args = [], []
        if not include_superseded:
            where.append("a.superseded_by IS NULL")
        if outlet:
            where.append("a.outlet = ? COLLATE NOCASE")
            args.append(outlet)
        if language:
            where.append("a.language = ?")
            args.append(language)
        sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "") + " " + _NEWEST_FIRST
        sql += " LIMIT ? OFFSET ?"
        args += [-1 if limit is None else limit, offset]
        return [_article(r) for r in self.conn.execute(sql, args)]

    def appearances(self, article_id: str) -> list[dict[str, Any]]:
        """Other outlets or URLs that published exactly this article's text, in ingest order."""
        rows = self.conn.execute(
            "SELECT outlet, url, title, published, source FROM appearance WHERE article_id = ? "
            "ORDER BY rowid", (article_id,))
        return [dict(r) for r in rows]

    def versions(self, article_id: str) -> list[Article]:
        """Every stored version of the article's URL, oldest first."""
        article = self.get_article(article_id)
        if not article.url:
            return [article]
        rows = self.conn.execute(f"{_SELECT} WHERE a.url = ? ORDER BY a.rowid", (article.url,))
        return [_article(r) for r in rows]

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        """Full-text search over titles and text (FTS5 query syntax; plain words also work)."""
        sql = (
            f"{_SELECT.replace(' FROM article a', '')}, "
            "snippet(article_fts, 1, '[', ']', ' … ', 12) AS snip, bm25(article_fts) AS rank "
            "FROM article_fts JOIN article a ON a.rowid = article_fts.rowid "
            "WHERE article_fts MATCH ? ORDER BY rank LIMIT ?"
        )
        try:
            rows = self.conn.execute(sql, (query, limit)).fetchall()
        except sqlite3.OperationalError:
            # Not valid FTS5 syntax (a stray quote or operator): search the words as a phrase.
            rows = self.conn.execute(sql, (_as_phrase(query), limit)).fetchall()
        return [SearchHit(_article(r), r["snip"], r["rank"]) for r in rows]

    def stats(self) -> dict[str, Any]:
        """Counts and ranges over the stored articles."""
        one = self.conn.execute(
            "SELECT count(*) AS articles, "
            "sum(superseded_by IS NULL) AS current, "
            "count(DISTINCT outlet) AS outlets, "
            "coalesce(sum(words), 0) AS words, "
            "min(published) AS first_published, max(published) AS last_published, "
            "sum(published IS NULL) AS undated "
            "FROM article"
        ).fetchone()
        languages = dict(self.conn.execute(
            "SELECT coalesce(language, 'und'), count(*) FROM article "
            "WHERE superseded_by IS NULL GROUP BY 1 ORDER BY 2 DESC"
        ).fetchall())
        # An outlet that published a stored text again (an appearance) counts for that outlet too.
        outlets = dict(self.conn.execute(
            "SELECT coalesce(outlet, '(unknown)'), count(*) FROM ("
            "  SELECT outlet FROM article WHERE superseded_by IS NULL"
            "  UNION ALL SELECT outlet FROM appearance) GROUP BY 1 ORDER BY 2 DESC, 1"
        ).fetchall())
        appearances = self.conn.execute("SELECT count(*) FROM appearance").fetchone()[0]
        return {
            "path": str(self.path),
            "schema_version": self.schema_version,
            "articles": one["current"] or 0,
            "versions": (one["articles"] or 0) - (one["current"] or 0),
            "appearances": appearances,
            "outlets": len(outlets),
            "words": one["words"],
            "undated": one["undated"] or 0,
            "first_published": one["first_published"],
            "last_published": one["last_published"],
            "languages": languages,
            "by_outlet": outlets,
            "size_bytes": self.path.stat().st_size if self.path.exists() else 0,
        }

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def _add_appearance(conn: sqlite3.Connection, new: Article, stored: Article) -> bool:
    """Record another publication of a stored text; the earliest one is kept on the article row."""
    first, other = (new, stored) if _earlier(new.published, stored.published) else (stored, new)
    added = conn.execute(
        "INSERT OR IGNORE INTO appearance VALUES (?, ?, ?, ?, ?, ?, ?)",
        (stored.id, other.outlet, other.url, other.title, other.published, other.source,
         other.ingested_at)).rowcount == 1
    if first is new:
        conn.execute("DELETE FROM appearance WHERE article_id = ? AND ifnull(outlet, '') = ifnull(?, '') "
                     "AND ifnull(url, '') = ifnull(?, '')", (stored.id, new.outlet, new.url))
        conn.execute("UPDATE article SET outlet = ?, url = ?, title = ?, byline = ?, published = ?, "
                     "source = ? WHERE id = ?",
                     (new.outlet, new.url, new.title, new.byline, new.published, new.source, stored.id))
        conn.execute("UPDATE copy_signature SET outlet = ?, published = ? WHERE article_id = ?",
                     (new.outlet, new.published, stored.id))
    return added or first is new


def _earlier(a: str | None, b: str | None) -> bool:
    # ISO strings compare in time order; a bare date only counts as earlier on an earlier day.
    if not a or not b:
        return False
    if a[:10] != b[:10]:
        return a[:10] < b[:10]
    return len(a) > 10 and len(b) > 10 and a < b


def _article(row: sqlite3.Row) -> Article:
    return Article(**{c: row[c] for c in _ARTICLE_COLUMNS})


def _as_phrase(query: str) -> str:
    return '"' + query.replace('"', '""') + '"'

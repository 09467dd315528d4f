"""SQLite queries for the web UI: filtered story lists, counts over time, search over three indexes."""

from __future__ import annotations

import sqlite3
from typing import Any

from storylens.models import StoryRecord

# Snippet highlight markers: control characters never found in stored text, turned into <mark> after
# the text around them has been escaped.
MARK_START, MARK_END = "\x02", "\x03"


class WebTables:
    """Mixin for SQLiteStore: the reads behind the web pages (and their JSON twins)."""

    conn: sqlite3.Connection

    def find_stories(self, *, since: str | None = None, until: str | None = None, outlet: str | None = None,
                     entity: int | None = None, query: str | None = None, limit: int = 50,
                     offset: int = 0) -> tuple[list[StoryRecord], int]:
        """Stories matching every filter given, most recently updated first, and how many match."""
        where, args = [], []
        if since:
            where.append("s.last_updated >= ?")
            args.append(since)
        if until:
            where.append("s.first_seen <= ?")
            args.append(until + "\uffff")  # a date includes the whole of that day
        if outlet:
            where.append("EXISTS (SELECT 1 FROM json_each(s.outlets) WHERE value = ?)")
            args.append(outlet)
        if entity is not None:
            where.append("s.id IN (SELECT sa.story_id FROM story_article sa JOIN local_entity le "
                         "ON le.article_id = sa.article_id WHERE le.entity_id = ?)")
            args.append(entity)
        if query:
            where.append("s.id IN (SELECT sa.story_id FROM article_fts JOIN article a ON a.rowid = "
                         "article_fts.rowid JOIN story_article sa ON sa.article_id = a.id "
                         "WHERE article_fts MATCH ?)")
            args.append(_fts(query))
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        total = self.conn.execute(f"SELECT count(*) FROM story s {clause}", args).fetchone()[0]
        rows = self.conn.execute(
            f"SELECT * FROM story s {clause} ORDER BY s.last_updated IS NULL, s.last_updated DESC, "
            f"s.articles DESC, s.id LIMIT ? OFFSET ?", [*args, limit, offset]).fetchall()
        return [self._story(r) for r in rows], total  # type: ignore[attr-defined]

    def story_days(self, story_ids: list[str]) -> dict[str, dict[str, int]]:
        """Per story: articles published per day."""
        if not story_ids:
            return {}
        marks = ", ".join("?" * len(story_ids))
        out: dict[str, dict[str, int]] = {i: {} for i in story_ids}
        for story, day, n in self.conn.execute(
                f"SELECT sa.story_id, substr(a.published, 1, 10), count(*) FROM story_article sa "
                f"JOIN article a ON a.id = sa.article_id WHERE sa.story_id IN ({marks}) "
                f"AND a.published IS NOT NULL GROUP BY 1, 2", story_ids):
            out[story][day] = n
        return out

    def story_publications(self, story_id: str) -> list[dict[str, Any]]:
        """Every publication in a story, copies' appearances included: outlet, time, article id."""
        rows = self.conn.execute(
            "SELECT a.id AS article_id, a.outlet, a.published FROM story_article sa JOIN article a "
            "ON a.id = sa.article_id WHERE sa.story_id = ? UNION ALL "
            "SELECT p.article_id, p.outlet, p.published FROM appearance p JOIN story_article sa "
            "ON sa.article_id = p.article_id WHERE sa.story_id = ?", (story_id, story_id))
        return [dict(r) for r in rows]

    def entity_days(self, entity_id: int) -> dict[str, int]:
        """Mentions of an entity per day of publication."""
        return dict(self.conn.execute(
            "SELECT substr(a.published, 1, 10), sum(le.mentions) FROM local_entity le JOIN article a "
            "ON a.id = le.article_id WHERE le.entity_id = ? AND a.published IS NOT NULL "
            "GROUP BY 1 ORDER BY 1", (entity_id,)).fetchall())

    def entity_stories(self, entity_id: int, limit: int = 50) -> list[tuple[str, int]]:
        """The stories an entity appears in, with how many of their articles mention it."""
        return [tuple(r) for r in self.conn.execute(
            "SELECT sa.story_id, count(*) FROM local_entity le JOIN story_article sa "
            "ON sa.article_id = le.article_id WHERE le.entity_id = ? GROUP BY 1 ORDER BY 2 DESC, 1 "
            "LIMIT ?", (entity_id, limit))]

    def story_of(self, article_id: str) -> str | None:
        """The id of the story an article belongs to, if any."""
        row = self.conn.execute("SELECT story_id FROM story_article WHERE article_id = ?",
                                (article_id,)).fetchone()
        return row[0] if row else None

    def has_entity(self, entity_id: int) -> bool:
        """Whether an entity with this id exists."""
        return self.conn.execute("SELECT 1 FROM entity WHERE id = ?", (entity_id,)).fetchone() is not None

    def search_everything(self, query: str, limit: int = 20) -> dict[str, list[dict[str, Any]]]:
        """Articles, quotes and entities matching a full-text query, with marked snippets."""
        fts = _fts(query)
        snippet = f"'{MARK_START}', '{MARK_END}', ' … '"
        articles = self.conn.execute(
            f"SELECT a.id, a.title, a.outlet, a.published, snippet(article_fts, 1, {snippet}, 16) AS snip, "
            f"snippet(article_fts, 0, {snippet}, 24) AS title_marked "
            f"FROM article_fts JOIN article a ON a.rowid = article_fts.rowid WHERE article_fts MATCH ? "
            f"AND a.superseded_by IS NULL ORDER BY bm25(article_fts) LIMIT ?", (fts, limit)).fetchall()
        quotes = self.conn.execute(
            f"SELECT q.article_id, q.idx, q.sentence, q.kind, coalesce(q.speaker_key, q.speaker) AS speaker, "
            f"a.outlet, snippet(quote_fts, 0, {snippet}, 24) AS snip FROM quote_fts JOIN quote q "
            f"ON q.rowid = quote_fts.rowid JOIN article a ON a.id = q.article_id WHERE quote_fts MATCH ? "
            f"ORDER BY bm25(quote_fts) LIMIT ?", (fts, limit)).fetchall()
        entities = self.conn.execute(
            f"SELECT e.id, e.name, e.label, snippet(entity_fts, 0, {snippet}, 8) AS snip FROM entity_fts "
            f"JOIN entity e ON e.id = entity_fts.rowid WHERE entity_fts MATCH ? "
            f"ORDER BY bm25(entity_fts) LIMIT ?", (fts, limit)).fetchall()
        return {"articles": [dict(r) for r in articles], "quotes": [dict(r) for r in quotes],
                "entities": [dict(r) for r in entities]}

    def delete_article(self, article_id: str) -> bool:
        """Remove an article and everything derived from it; stories shrink. True if it existed."""
        with self.transaction() as conn:  # type: ignore[attr-defined]
            story = conn.execute("SELECT story_id FROM story_article WHERE article_id = ?",
                                 (article_id,)).fetchone()
            conn.execute("UPDATE article SET superseded_by = NULL WHERE superseded_by = ?", (article_id,))
            gone = conn.execute("DELETE FROM article WHERE id = ?", (article_id,)).rowcount
            if story:
                conn.execute("UPDATE story SET articles = (SELECT count(*) FROM story_article "
                             "WHERE story_id = ?) WHERE id = ?", (story[0], story[0]))
                conn.execute("DELETE FROM story WHERE id = ? AND articles = 0", (story[0],))
            return bool(gone)


def _fts(query: str) -> str:
    """A user's words as an FTS5 query: each word a quoted term (no operators, no syntax errors)."""
    words = [w for w in query.replace('"', " ").split() if w]
    return " ".join(f'"{w}"' for w in words) or '""'

"""SQLite tables for stages 4 and 5: copy signatures and links, stories and the clusterer's state."""

from __future__ import annotations

import base64
import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from storylens.models import CopyLink, StoryRecord

_SIGNATURE_COLS = ("article_id", "published", "outlet", "identity", "shingles", "minhash", "sentences",
                   "quoted")


class StoryTables:
    """Mixin for SQLiteStore: reads and writes what copy detection (and clustering) produce."""

    conn: sqlite3.Connection

    def save_copies(self, record: dict[str, Any], links: Iterable[CopyLink]) -> None:
        """Store one article's copy signature and the links found for it, atomically."""
        with self.transaction() as conn:  # type: ignore[attr-defined]
            conn.execute(f"INSERT OR REPLACE INTO copy_signature ({', '.join(_SIGNATURE_COLS)}) "
                         f"VALUES ({', '.join('?' * len(_SIGNATURE_COLS))})",
                         [record[c] for c in _SIGNATURE_COLS])
            conn.executemany(
                "INSERT OR REPLACE INTO copy_link VALUES (?, ?, ?, ?, ?, ?)",
                [(k.earlier, k.later, k.kind, k.score, k.share, k.direction) for k in links])

    def copy_signatures(self, since: str | None = None, until: str | None = None) -> list[dict[str, Any]]:
        """Stored signatures in insertion order; with bounds, only those dated inside them or undated."""
        sql = f"SELECT {', '.join(_SIGNATURE_COLS)} FROM copy_signature"
        args: list[str] = []
        if since and until:
            sql += " WHERE published IS NULL OR (published >= ? AND published <= ?)"
            args = [since, until]
        return [dict(r) for r in self.conn.execute(sql + " ORDER BY rowid", args)]

    def has_signatures(self, ids: Iterable[str]) -> set[str]:
        """The ids among these that already have a copy signature."""
        ids = list(ids)
        found: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            found |= {r[0] for r in self.conn.execute(
                f"SELECT article_id FROM copy_signature WHERE article_id IN ({', '.join('?' * len(chunk))})",
                chunk)}
        return found

    def copy_links(self, article_ids: Iterable[str] | None = None) -> list[CopyLink]:
        """Copy links touching these articles (all links when None)."""
        if article_ids is None:
            rows = self.conn.execute("SELECT * FROM copy_link").fetchall()
        else:
            ids = list(article_ids)
            marks = ", ".join("?" * len(ids))
            rows = self.conn.execute(
                f"SELECT * FROM copy_link WHERE earlier IN ({marks}) OR later IN ({marks})", ids + ids
            ).fetchall() if ids else []
        return [CopyLink(r["earlier"], r["later"], r["kind"], r["score"], r["share"], r["direction"])
                for r in rows]

    # -- stories -----------------------------------------------------------------------------
    def cluster_state(self) -> dict[str, Any] | None:
        """The clusterer's saved state, or None before the first clustering."""
        row = self.conn.execute("SELECT state FROM cluster_state WHERE id = 1").fetchone()
        return json.loads(row[0], object_hook=_from_json) if row else None

    def save_stories(self, state: dict[str, Any], stories: Iterable[StoryRecord]) -> None:
        """Replace the stories and the clusterer's state in one transaction."""
        with self.transaction() as conn:  # type: ignore[attr-defined]
            conn.execute("INSERT OR REPLACE INTO cluster_state VALUES (1, ?)",
                         (json.dumps(state, default=_to_json),))
            conn.execute("DELETE FROM story_article")
            conn.execute("DELETE FROM story")
            for s in stories:
                conn.execute("INSERT INTO story VALUES (?, ?, ?, ?, ?, ?)",
                             (s.id, s.title, s.first_seen, s.last_updated, len(s.article_ids),
                              json.dumps(s.outlets)))
                # An article deleted since the clusterer last saw it is skipped, not a broken reference.
                conn.executemany("INSERT OR REPLACE INTO story_article SELECT ?, ? "
                                 "WHERE EXISTS (SELECT 1 FROM article WHERE id = ?)",
                                 [(a, s.id, a) for a in s.article_ids])

    def stories(self, limit: int | None = None) -> list[StoryRecord]:
        """Stories, most recently updated first (undated last)."""
        rows = self.conn.execute(
            "SELECT * FROM story ORDER BY last_updated IS NULL, last_updated DESC, articles DESC, id "
            "LIMIT ?", (-1 if limit is None else limit,)).fetchall()
        return [self._story(r) for r in rows]

    def get_story(self, story_id: str) -> StoryRecord | None:
        """One story by id, or None."""
        row = self.conn.execute("SELECT * FROM story WHERE id = ?", (story_id,)).fetchone()
        return self._story(row) if row else None

    def story_ids(self) -> dict[str, str]:
        """Article id -> story id."""
        return dict(self.conn.execute("SELECT article_id, story_id FROM story_article").fetchall())

    def entity_names(self, article_id: str) -> set[str]:
        """Canonical names of the entities an article mentions (after linking)."""
        return {r[0] for r in self.conn.execute(
            "SELECT e.name FROM local_entity le JOIN entity e ON e.id = le.entity_id "
            "WHERE le.article_id = ?", (article_id,))}

    def _story(self, row: sqlite3.Row) -> StoryRecord:
        ids = [r[0] for r in self.conn.execute(
            "SELECT sa.article_id FROM story_article sa JOIN article a ON a.id = sa.article_id "
            "WHERE sa.story_id = ? ORDER BY a.published IS NULL, a.published, a.rowid", (row["id"],))]
        return StoryRecord(row["id"], row["title"], ids, json.loads(row["outlets"]), row["first_seen"],
                           row["last_updated"])


def _to_json(value: Any) -> Any:
    # The clusterer's state holds numpy buffers as bytes: kept as base64 text, never pickled.
    if isinstance(value, bytes | bytearray | memoryview):
        return {"__bytes__": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    raise TypeError(f"cannot store {type(value).__name__} in the clusterer's state")


def _from_json(obj: dict[str, Any]) -> Any:
    return base64.b64decode(obj["__bytes__"]) if set(obj) == {"__bytes__"} else obj

"""SQLite tables for stages 4 and 5: copy signatures and copy links."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from storylens.models import CopyLink

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

"""SQLite tables for stage 6: each story's comparison (JSON) and its claims as rows."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import numpy as np

from storylens.analyze.vectors import EMBEDDING_DIM


class CompareTables:
    """Mixin for SQLiteStore: what comparison reads (sentence vectors) and writes (claims)."""

    conn: sqlite3.Connection

    def signature_vectors(self, ids: Iterable[str]) -> dict[str, np.ndarray]:
        """The sentence vectors copy detection stored for these articles (float16 rows), by id."""
        ids = list(ids)
        out: dict[str, np.ndarray] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for row in self.conn.execute(
                    f"SELECT article_id, sentences FROM copy_signature "
                    f"WHERE article_id IN ({', '.join('?' * len(chunk))})", chunk):
                out[row[0]] = np.frombuffer(row[1], dtype=np.float16).reshape(-1, EMBEDDING_DIM)
        return out

    def save_comparison(self, story_id: str, fingerprint: str, version: int, data: dict[str, Any]) -> None:
        """Replace a story's comparison and its claim rows in one transaction."""
        with self.transaction() as conn:  # type: ignore[attr-defined]
            conn.execute("DELETE FROM claim WHERE story_id = ?", (story_id,))
            conn.execute("DELETE FROM claim_sentence WHERE story_id = ?", (story_id,))
            conn.execute("INSERT OR REPLACE INTO comparison VALUES (?, ?, ?, ?, ?)",
                         (story_id, fingerprint, version, datetime.now(UTC).isoformat(timespec="seconds"),
                          json.dumps(data, ensure_ascii=False)))
            for claim in data["claims"]:
                conn.execute("INSERT INTO claim VALUES (?, ?, ?, ?, ?, ?)",
                             (story_id, claim["id"], claim["status"], claim["text"], claim["voices"],
                              json.dumps(claim["outlets"], ensure_ascii=False)))
                conn.executemany(
                    "INSERT OR IGNORE INTO claim_sentence VALUES (?, ?, ?, ?, ?, ?)",
                    [(story_id, claim["id"], c["article_id"], c["sentence"], c["start"], c["end"])
                     for c in claim["citations"]])

    def get_comparison(self, story_id: str) -> dict[str, Any] | None:
        """A story's stored comparison (fingerprint, version, data), or None."""
        row = self.conn.execute("SELECT fingerprint, version, data FROM comparison WHERE story_id = ?",
                                (story_id,)).fetchone()
        if row is None:
            return None
        return {"fingerprint": row[0], "version": row[1], "data": json.loads(row[2])}

    def comparison_fingerprints(self) -> dict[str, tuple[str, int]]:
        """Story id → (fingerprint, version) of every stored comparison."""
        return {r[0]: (r[1], r[2]) for r in self.conn.execute(
            "SELECT story_id, fingerprint, version FROM comparison")}

    def prune_comparisons(self) -> int:
        """Drop comparisons (and claims) of stories that no longer exist; returns how many."""
        with self.transaction() as conn:  # type: ignore[attr-defined]
            gone = "story_id NOT IN (SELECT id FROM story)"
            conn.execute(f"DELETE FROM claim WHERE {gone}")
            conn.execute(f"DELETE FROM claim_sentence WHERE {gone}")
            return conn.execute(f"DELETE FROM comparison WHERE {gone}").rowcount

    def claims_of_article(self, article_id: str) -> list[dict[str, Any]]:
        """The claims an article's sentences belong to: sentence, span, claim id and status."""
        rows = self.conn.execute(
            "SELECT cs.sentence, cs.start, cs.end, cs.story_id, c.idx, c.status, c.voices "
            "FROM claim_sentence cs JOIN claim c ON c.story_id = cs.story_id AND c.idx = cs.claim_idx "
            "WHERE cs.article_id = ? ORDER BY cs.start", (article_id,))
        return [dict(r) for r in rows]

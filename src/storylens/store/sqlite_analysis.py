"""SQLite tables for stage 2 and 3: analyses, sentences, mentions, quotes, quantities, entities."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import astuple, fields
from datetime import UTC, datetime

from storylens.models import (
    Analysis,
    Entity,
    LocalEntity,
    Mention,
    Quantity,
    Quote,
    Sentence,
    TimeRef,
)


def _columns(cls: type) -> list[str]:
    return [f.name for f in fields(cls)]


_QUOTE_COLS = _columns(Quote)
_QUANTITY_COLS = _columns(Quantity)
_TIME_COLS = _columns(TimeRef)
_MENTION_COLS = _columns(Mention)


class AnalysisTables:
    """Mixin for SQLiteStore: reads and writes what analysis and entity linking produce."""

    conn: sqlite3.Connection

    def save_analysis(self, analysis: Analysis, version: int, entity_ids: dict[str, int]) -> None:
        """Replace an article's analysis atomically; `entity_ids` maps local keys to entities."""
        aid = analysis.article_id
        with self.transaction() as conn:  # type: ignore[attr-defined]
            for table in ("sentence", "mention", "local_entity", "quote", "quantity", "time_ref"):
                conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (aid,))
            conn.execute(
                "INSERT OR REPLACE INTO analysis VALUES (?, ?, ?, ?, ?)",
                (aid, version, analysis.language, analysis.skipped,
                 datetime.now(UTC).isoformat(timespec="seconds")),
            )
            conn.executemany("INSERT INTO sentence VALUES (?, ?, ?, ?, ?)",
                             [(aid, s.index, s.start, s.end, s.paragraph) for s in analysis.sentences])
            _insert(conn, "mention", _MENTION_COLS, aid, analysis.mentions)
            conn.executemany(
                "INSERT INTO local_entity VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(aid, e.key, e.label, json.dumps(e.aliases), json.dumps(e.roles), e.mentions,
                  entity_ids.get(e.key)) for e in analysis.entities],
            )
            _insert(conn, "quote", ["idx", *_QUOTE_COLS], aid, analysis.quotes, numbered=True)
            conn.executemany(
                f"INSERT INTO quantity (article_id, idx, {', '.join(_QUANTITY_COLS)}) "
                f"VALUES ({', '.join('?' * (len(_QUANTITY_COLS) + 2))})",
                [(aid, i, *[json.dumps(v) if isinstance(v, dict) else v for v in astuple(q)])
                 for i, q in enumerate(analysis.quantities)],
            )
            _insert(conn, "time_ref", ["idx", *_TIME_COLS], aid, analysis.times, numbered=True)

    def get_analysis(self, article_id: str) -> Analysis | None:
        """The stored analysis of an article, or None if it was never analysed."""
        row = self.conn.execute("SELECT * FROM analysis WHERE article_id = ?", (article_id,)).fetchone()
        if row is None:
            return None
        q = self.conn.execute

        def rows(table: str, order: str = "idx") -> list[sqlite3.Row]:
            return q(f"SELECT * FROM {table} WHERE article_id = ? ORDER BY {order}", (article_id,)).fetchall()

        return Analysis(
            article_id=article_id,
            language=row["language"],
            skipped=row["skipped"],
            sentences=[Sentence(r["idx"], r["start"], r["end"], r["paragraph"]) for r in rows("sentence")],
            mentions=[Mention(**{c: r[c] for c in _MENTION_COLS}) for r in rows("mention", "start")],
            entities=[
                LocalEntity(r["key"], r["label"], json.loads(r["aliases"]), json.loads(r["roles"]),
                            r["mentions"])
                for r in rows("local_entity", "mentions DESC, key")
            ],
            quotes=[Quote(**{c: r[c] for c in _QUOTE_COLS}) for r in rows("quote")],
            quantities=[
                Quantity(**{c: (json.loads(r[c]) if c == "normalised" else r[c]) for c in _QUANTITY_COLS})
                for r in rows("quantity")
            ],
            times=[TimeRef(**{c: r[c] for c in _TIME_COLS}) for r in rows("time_ref")],
        )

    def analysed_versions(self) -> dict[str, int]:
        """Article id → the analysis version it was analysed with."""
        return dict(self.conn.execute("SELECT article_id, version FROM analysis").fetchall())

    def local_entity_ids(self, article_id: str) -> dict[str, int]:
        """An article's local entity keys → linked entity ids."""
        return dict(self.conn.execute(
            "SELECT key, entity_id FROM local_entity WHERE article_id = ? AND entity_id IS NOT NULL",
            (article_id,)).fetchall())

    # -- entities --------------------------------------------------------------------------
    def entities_with_aliases(self, aliases: Iterable[str]) -> list[Entity]:
        """Entities known by any of these normalised aliases."""
        aliases = list(set(aliases))
        if not aliases:
            return []
        marks = ", ".join("?" * len(aliases))
        ids = [r[0] for r in self.conn.execute(
            f"SELECT DISTINCT entity_id FROM entity_alias WHERE alias IN ({marks})", aliases)]
        return [self.get_entity(i) for i in ids]

    def get_entity(self, entity_id: int) -> Entity:
        """One entity by id, with its article and mention counts."""
        row = self.conn.execute(
            "SELECT e.*, count(le.article_id) AS articles, coalesce(sum(le.mentions), 0) AS n "
            "FROM entity e LEFT JOIN local_entity le ON le.entity_id = e.id WHERE e.id = ? GROUP BY e.id",
            (entity_id,)).fetchone()
        return _entity(row)

    def save_entity(self, entity: Entity, alias_keys: Iterable[str]) -> int:
        """Insert or update an entity and its lookup aliases; returns its id."""
        data = (entity.name, entity.label, json.dumps(entity.aliases), json.dumps(entity.roles))
        with self.transaction() as conn:  # type: ignore[attr-defined]
            if entity.id:
                conn.execute("UPDATE entity SET name = ?, label = ?, aliases = ?, roles = ? WHERE id = ?",
                             (*data, entity.id))
                entity_id = entity.id
            else:
                entity_id = conn.execute("INSERT INTO entity (name, label, aliases, roles) "
                                         "VALUES (?, ?, ?, ?)", data).lastrowid
            conn.executemany("INSERT OR IGNORE INTO entity_alias VALUES (?, ?)",
                             [(a, entity_id) for a in set(alias_keys)])
        return entity_id

    def entities(self, *, label: str | None = None, limit: int | None = None) -> list[Entity]:
        """Linked entities, most mentioned first."""
        sql = ("SELECT e.*, count(le.article_id) AS articles, coalesce(sum(le.mentions), 0) AS n "
               "FROM entity e JOIN local_entity le ON le.entity_id = e.id "
               + ("WHERE e.label = ? " if label else "")
               + "GROUP BY e.id ORDER BY n DESC, articles DESC, e.name LIMIT ?")
        args = ([label] if label else []) + [-1 if limit is None else limit]
        return [_entity(r) for r in self.conn.execute(sql, args)]

    def find_entities(self, name: str) -> list[Entity]:
        """Entities whose name or an alias matches `name` (case-insensitive), best first."""
        like = f"%{name.strip().lower()}%"
        ids = [r[0] for r in self.conn.execute(
            "SELECT id FROM entity WHERE lower(name) = lower(?) UNION "
            "SELECT entity_id FROM entity_alias WHERE alias = lower(?) UNION "
            "SELECT id FROM entity WHERE lower(name) LIKE ? OR lower(aliases) LIKE ?",
            (name, name.strip(), like, like))]
        found = [self.get_entity(i) for i in ids]
        exact = name.strip().lower()
        return sorted(found, key=lambda e: (e.name.lower() != exact, -e.mentions))

    def quotes_by_entity(self, entity_id: int) -> list[tuple[str, Quote]]:
        """(article id, quote) for every quote whose speaker is linked to this entity."""
        rows = self.conn.execute(
            "SELECT q.* FROM quote q JOIN local_entity le "
            "ON le.article_id = q.article_id AND le.key = q.speaker_key "
            "WHERE le.entity_id = ? ORDER BY q.article_id, q.idx", (entity_id,)).fetchall()
        return [(r["article_id"], Quote(**{c: r[c] for c in _QUOTE_COLS})) for r in rows]


def _insert(conn: sqlite3.Connection, table: str, cols: list[str], aid: str, items: list,
            numbered: bool = False) -> None:
    names = ", ".join(["article_id", *cols])
    marks = ", ".join("?" * (len(cols) + 1))
    values = [(aid, i, *astuple(x)) if numbered else (aid, *astuple(x)) for i, x in enumerate(items)]
    conn.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", values)


def _entity(row: sqlite3.Row) -> Entity:
    return Entity(id=row["id"], name=row["name"], label=row["label"], aliases=json.loads(row["aliases"]),
                  roles=json.loads(row["roles"]), articles=row["articles"], mentions=row["n"])

import sqlite3

import pytest

from storylens.errors import AmbiguousId, ArticleNotFound, StoreError
from storylens.ingest.build import build_article
from storylens.models import Draft
from storylens.store import SQLiteStore
from storylens.store.migrations import SCHEMA_VERSION

TEXT = "The council voted on Tuesday to close the old harbour bridge for three months."


def _article(text=TEXT, url=None, published=None, title="Bridge"):
    return build_article(Draft(source="test", text=text, url=url, published=published,
                               title=title), {})


def test_new_store_is_wal_and_at_the_latest_schema(tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    assert store.schema_version == SCHEMA_VERSION
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()
    # Reopening migrates nothing and keeps the data.
    again = SQLiteStore(tmp_path / "s.db")
    assert again.schema_version == SCHEMA_VERSION


def test_store_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "s.db"
    SQLiteStore(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer storylens"):
        SQLiteStore(path)


def test_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database " * 100)
    with pytest.raises(StoreError, match="not a storylens store"):
        SQLiteStore(path)


def test_same_url_with_changed_text_is_a_linked_new_version(tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    url = "https://example.org/bridge"
    first = store.add_article(_article(url=url))
    second = store.add_article(_article(TEXT + " The mayor objected.", url=url))
    assert (first.status, second.status) == ("added", "new_version")
    assert second.previous_id == first.article_id
    assert [a.id for a in store.articles()] == [second.article_id]
    assert len(store.articles(include_superseded=True)) == 2
    versions = store.versions(first.article_id)
    assert [v.id for v in versions] == [first.article_id, second.article_id]
    assert versions[0].superseded_by == second.article_id
    assert store.stats()["versions"] == 1


def test_get_by_prefix(tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    result = store.add_article(_article())
    assert store.get_article(result.article_id[:6]).id == result.article_id
    with pytest.raises(ArticleNotFound):
        store.get_article("ffffffffffffffff0")
    # Force two ids that share a prefix.
    store.conn.execute("UPDATE article SET id = 'abc1' WHERE id = ?", (result.article_id,))
    store.add_article(_article(TEXT + " Again."))
    store.conn.execute("UPDATE article SET id = 'abc2' WHERE id != 'abc1'")
    with pytest.raises(AmbiguousId):
        store.get_article("abc")


def test_articles_newest_first_and_filters(tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    store.add_article(_article("Older article about the harbour bridge and its repairs.",
                               published="2026-03-01"))
    store.add_article(_article("Newer article about the harbour bridge and the ferry.",
                               published="2026-03-05"))
    store.add_article(_article("Undated article about the harbour bridge and its history."))
    texts = [a.text.split()[0] for a in store.articles()]
    assert texts == ["Newer", "Older", "Undated"]
    assert len(store.articles(limit=1)) == 1
    assert store.articles(language="fr") == []


def test_search_ranks_and_survives_bad_syntax(tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    store.add_article(_article("The ferry replaces the bridge; ferry tickets are free.",
                               title="Ferry service"))
    store.add_article(_article(TEXT))
    hits = store.search("ferry")
    assert len(hits) == 1 and "[ferry]" in hits[0].snippet.lower()
    assert store.search('bridge "unclosed') is not None  # falls back to a phrase search


def test_nested_transaction_rolls_back_inner_only(tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    with store.transaction():
        store.add_article(_article())
        with pytest.raises(RuntimeError), store.transaction():
            store.add_article(_article(TEXT + " Inner."))
            raise RuntimeError("inner failure")
    assert len(store.articles()) == 1


def test_same_text_from_another_outlet_is_kept_as_an_appearance(tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    wire = build_article(Draft(source="a", text=TEXT, outlet="Wire", url="https://wire.example/1"), {})
    copy = build_article(Draft(source="b", text=TEXT, outlet="Courier", url="https://courier.example/9",
                               title="Bridge shut"), {})
    assert store.add_article(wire).status == "added"
    result = store.add_article(copy)
    assert (result.status, result.appearance) == ("duplicate", True)
    assert result.article_id == wire.id
    [seen] = store.appearances(wire.id)
    assert (seen["outlet"], seen["url"]) == ("Courier", "https://courier.example/9")
    assert seen["title"] == "Bridge shut"
    # The very same input again changes nothing at all.
    again = store.add_article(copy)
    assert (again.status, again.appearance) == ("duplicate", False)
    assert len(store.appearances(wire.id)) == 1
    assert len(store.articles()) == 1


def test_appearance_without_url_is_recorded_once(tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    store.add_article(build_article(Draft(source="a", text=TEXT, outlet="Wire"), {}))
    copy = build_article(Draft(source="b", text=TEXT, outlet="Courier"), {})
    assert store.add_article(copy).appearance
    assert not store.add_article(copy).appearance
    assert [a["outlet"] for a in store.appearances(copy.id)] == ["Courier"]


def test_the_earliest_publication_of_a_text_is_the_article(tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    copy = build_article(Draft(source="copy.html", text=TEXT, outlet="Courier", title="Copy",
                               published="2026-03-10T08:30:00Z"), {})
    wire = build_article(Draft(source="wire.jsonl:1", text=TEXT, outlet="Wire", title="Wire",
                               published="2026-03-10T05:40:00Z"), {})
    store.add_article(copy)
    assert store.add_article(wire).appearance
    article = store.get_article(copy.id)
    assert (article.outlet, article.title, article.source) == ("Wire", "Wire", "wire.jsonl:1")
    assert [(a["outlet"], a["title"]) for a in store.appearances(copy.id)] == [("Courier", "Copy")]
    assert store.search("Wire")[0].article.id == copy.id  # the search index follows the title
    # Ingesting either again changes nothing.
    assert not store.add_article(wire).appearance and not store.add_article(copy).appearance
    assert len(store.appearances(copy.id)) == 1

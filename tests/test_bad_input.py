"""Every kind of bad input gets one clear line naming it; the batch goes on; the store stays whole."""

import pytest

from storylens.ingest import pipeline
from storylens.ingest.build import build_article

GOOD = "Harbour bridge shut – Harbour Courier\n\nThe council voted on Tuesday to close the old " \
       "harbour bridge for repairs that officials said would take three months.\n"


def _one_failure(report, path):
    [failure] = report.failures
    assert failure.source == str(path)
    return failure.message


@pytest.fixture
def batch(tmp_path):
    """A folder holding one good article; tests add a bad input beside it."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, "utf-8")
    return folder


def _ingest(ws, folder):
    report = ws.ingest([folder])
    assert report.count("added") == 1, "the good article must still be stored"
    return report


def test_empty_file(ws, batch):
    bad = batch / "empty.txt"
    bad.write_bytes(b"  \n\n ")
    assert "empty" in _one_failure(_ingest(ws, batch), bad)


def test_binary_file(ws, batch):
    bad = batch / "photo.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert "binary" in _one_failure(_ingest(ws, batch), bad)


def test_undecodable_text(ws, batch):
    bad = batch / "mystery.txt"
    bad.write_bytes(bytes(range(0x80, 0x100)) * 8)
    assert "undecodable" in _one_failure(_ingest(ws, batch), bad)


def test_malformed_json_file(ws, batch):
    bad = batch / "cut.json"
    bad.write_text('[{"title": "Harbour", "text": "The bridge')
    message = _one_failure(_ingest(ws, batch), bad)
    assert "malformed JSON" in message and "line 1" in message


def test_text_without_body(ws, batch):
    bad = batch / "title-only.txt"
    bad.write_text("Just a headline – Harbour Courier\n")
    assert "no article text" in _one_failure(_ingest(ws, batch), bad)


def test_too_short_to_be_an_article(ws, batch):
    bad = batch / "stub.jsonl"
    bad.write_text('{"title": "Stub", "text": "Too short."}\n')
    report = _ingest(ws, batch)
    [failure] = report.failures
    assert failure.source == f"{bad}:1" and "fewer than" in failure.message


def test_file_over_the_size_limit(ws, batch):
    bad = batch / "huge.txt"
    bad.write_text(GOOD + "word " * 400)
    report = ws.ingest([batch], max_bytes=1000)
    assert report.count("added") == 1
    message = _one_failure(report, bad)
    assert "too large" in message and "1,000" in message and "--max-bytes" in message


def test_missing_path(ws, batch, tmp_path):
    missing = tmp_path / "nowhere.txt"
    report = ws.ingest([batch, missing])
    assert report.count("added") == 1
    assert "no such file" in _one_failure(report, missing)


def test_corrupt_gzip(ws, batch):
    bad = batch / "dump.jsonl.gz"
    bad.write_bytes(b"\x1f\x8b\x08\x00" + b"not really gzip" * 10)
    assert "gzip" in _one_failure(_ingest(ws, batch), bad)


def test_gzipped_jsonl_is_read(ws, tmp_path):
    import gzip
    import json

    path = tmp_path / "dump.jsonl.gz"
    body = "The council voted on Tuesday to close the old harbour bridge for repairs."
    path.write_bytes(gzip.compress((json.dumps({"title": "Bridge", "text": body}) + "\n").encode()))
    assert ws.ingest([path]).count("added") == 1


def test_crash_mid_batch_leaves_the_store_consistent(ws, tmp_path, monkeypatch):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(5):
        (folder / f"{i}.txt").write_text(f"Story {i}\n\nArticle number {i} says the harbour "
                                         f"bridge closes for {i + 2} months of repairs.")
    real_insert = ws.store.add_article
    calls = {"n": 0}

    def crash_on_third(article):
        calls["n"] += 1
        if calls["n"] == 3:
            # Fail inside the article's transaction, after its row was written.
            with ws.store.transaction() as conn:
                conn.execute(
                    "INSERT INTO article (id, text, words, source, ingested_at) "
                    "VALUES (?, ?, 1, 's', 'now')", (article.id, article.text))
                raise RuntimeError("power cut")
        return real_insert(article)

    monkeypatch.setattr(ws.store, "add_article", crash_on_third)
    with pytest.raises(RuntimeError, match="power cut"):
        ws.ingest([folder])
    ids = [a.id for a in ws.articles()]
    assert len(ids) == 2
    conn = ws.store.conn
    assert conn.execute("SELECT count(*) FROM article").fetchone()[0] == 2
    # The full-text index holds exactly the stored rows, no half-written third one.
    conn.execute("INSERT INTO article_fts(article_fts) VALUES ('integrity-check')")
    assert conn.execute("SELECT count(*) FROM article_fts").fetchone()[0] == 2
    assert len(ws.search("harbour")) == 2
    # Running again completes the batch without duplicates.
    monkeypatch.setattr(ws.store, "add_article", real_insert)
    report = ws.ingest([folder])
    assert report.count("added") == 3 and report.count("duplicate") == 2


def test_reader_bug_is_reported_not_fatal(ws, batch, monkeypatch):
    bad = batch / "zz.txt"
    bad.write_text(GOOD.replace("Tuesday", "Friday"))
    real = pipeline.Ingestor.items

    def explode(self, job, stdin=None):
        if job.target.endswith("zz.txt"):
            raise ValueError("unexpected markup")
        yield from real(self, job, stdin)

    monkeypatch.setattr(pipeline.Ingestor, "items", explode)
    message = _one_failure(_ingest(ws, batch), bad)
    assert "ValueError: unexpected markup" in message


def test_build_rejects_empty_text():
    from storylens.errors import IngestError
    from storylens.models import Draft

    with pytest.raises(IngestError, match="no article text"):
        build_article(Draft(source="x", text="   "), {})

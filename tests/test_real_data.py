"""The seeds and the BASIL evaluation file, read from ../shared beside the project."""

import json

from conftest import shared_path


def test_seeds(ws):
    report = ws.ingest([shared_path("seeds")])
    assert report.ok and report.count("added") == 2
    by_title = {a.title: a for a in ws.articles()}
    toi = by_title["Xi Jinping unlikely to throw lifeline to Putin as Ukraine conflict mounts"]
    assert toi.outlet == "Times of India"
    assert toi.text.startswith("Beijing: Shortly before the invasion of Ukraine")
    assert "Why Xi Jinping won’t ride to Putin’s rescue at first meeting since Ukraine war began" \
        in by_title
    assert all(a.language == "en" for a in by_title.values())


def test_basil_dev(ws):
    path = shared_path("eval", "stories", "basil_dev.jsonl")
    report = ws.ingest([path])
    assert report.ok, report.failures[:3]
    articles = ws.articles()
    assert len(articles) == 150
    assert {a.outlet for a in articles} == {"The New York Times", "Fox News", "HuffPost"}
    assert all(a.published and len(a.published) >= 10 for a in articles)
    rows = [json.loads(line) for line in path.open()]
    expected = sorted((" ".join((r["title"] or "").split()), r["id"]) for r in rows)
    assert sorted((a.title or "", a.external_id) for a in articles) == expected

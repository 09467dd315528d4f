"""Stage 7 through the command line: the briefing in three formats, every citation checked."""

from __future__ import annotations

import json

from conftest import run_cli

import storylens
from storylens.brief import SCHEMA, build_briefing, render_html, render_markdown


def _run(*args):
    return run_cli(*args)


def _main_story(db: str) -> str:
    stories = json.loads(_run("stories", "--db", db, "--json").stdout)
    return max(stories, key=lambda s: len(s["article_ids"]))["id"]


def _citations(data: dict) -> list[dict]:
    found = list(data["summary"]["citations"])
    found += [c for claim in data["claims"] for c in claim["citations"]]
    found += [c for f in data["figures"] for c in f["citations"]]
    found += [c for d in data["disputes"] for side in d["sides"] for c in side["citations"]]
    found += [c for q in data["quotes"] for c in q["citations"]]
    found += [c for t in data["timeline"] for c in t["citations"]]
    return found


def test_json_briefing_follows_the_schema(corpus_db):
    story = _main_story(corpus_db)
    result = _run("brief", story, "--format", "json", "--db", corpus_db)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == SCHEMA and data["story_id"] == story and data["headline"]
    assert set(data["summary"]) >= {"text", "citations"} and data["summary"]["citations"]
    assert {c["status"] for c in data["claims"]} <= {"corroborated", "single_source", "disputed"}
    assert {"corroborated", "single_source", "disputed"} <= {c["status"] for c in data["claims"]}
    for claim in data["claims"]:
        assert set(claim) >= {"text", "status", "outlets", "citations"}
    for quote in data["quotes"]:
        assert set(quote) >= {"text", "speaker", "kind", "outlets"}
    assert data["entities"] and data["timeline"]
    coverage = data["coverage"]
    assert coverage["first_report"]["outlet"] == "Meridian Press Agency"
    assert sorted(c["kind"] for c in coverage["copies"]) == ["near_duplicate", "rewrite"]
    assert "Harbour Courier" in coverage["outlets"]  # the exact copy, as an appearance
    for citation in _citations(data):
        assert set(citation) >= {"article_id", "outlet", "start", "end", "sentence"}


def test_every_citation_in_every_briefing_points_at_its_text(corpus_db):
    with storylens.open(corpus_db) as ws:
        for story in ws.stories():
            briefing = build_briefing(ws.store, story)
            data = briefing.to_dict()
            for citation in _citations(data):
                text = ws.article(citation["article_id"]).text
                assert 0 <= citation["start"] < citation["end"] <= len(text)
                assert text[citation["start"]:citation["end"]].strip()
            # The summary is extractive: each line is the cited source text, unchanged.
            for line in data["summary"]["sentences"]:
                c = line["citation"]
                assert ws.article(c["article_id"]).text[c["start"]:c["end"]] == line["text"]
            for claim in data["claims"]:
                assert any(ws.article(c["article_id"]).text[c["start"]:c["end"]] == claim["text"]
                           for c in claim["citations"])


def test_markdown_briefing_has_every_section(corpus_db):
    story = _main_story(corpus_db)
    result = _run("brief", story, "--db", corpus_db)
    assert result.exit_code == 0, result.output
    text = result.stdout
    for section in ("## Summary", "## What the outlets agree on", "## Reported by one outlet only",
                    "## Where they differ", "## Who said what", "## Key people, organisations and places",
                    "## Timeline", "## Coverage", "## Sources"):
        assert section in text
    assert "14" in text and "19" in text and "never received any warning" in text
    assert "a paraphrase inside quotation marks" in text


def test_html_briefing_is_one_self_contained_file(corpus_db, tmp_path):
    story = _main_story(corpus_db)
    out = tmp_path / "b.html"
    result = _run("brief", story, "--format", "html", "-o", str(out), "--db", corpus_db)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and "<script" not in html
    assert "http://" not in html.split("<body>")[0] and "https://" not in html.split("<body>")[0]
    anchors = {a.split('"')[0] for a in html.split('href="#')[1:]}
    assert anchors and all(f'id="{a}"' in html for a in anchors)  # every citation lands on its sentence


def test_all_briefings_into_a_folder(corpus_db, tmp_path):
    result = _run("brief", "--all", "-o", str(tmp_path / "out"), "--format", "md", "--db", corpus_db)
    assert result.exit_code == 0, result.output
    files = sorted((tmp_path / "out").glob("*.md"))
    assert len(files) == 2 and all(f.read_text(encoding="utf-8").startswith("# ") for f in files)


def test_brief_errors_are_clear(corpus_db):
    result = _run("brief", "nope", "--db", corpus_db)
    assert result.exit_code == 1 and "no story with id 'nope'" in result.output
    assert _run("brief", "--db", corpus_db).exit_code == 2
    assert "-o DIR" in _run("brief", "--all", "--db", corpus_db).output


def test_untrusted_text_is_escaped_in_every_format(tmp_path):
    hostile = tmp_path / "in"
    hostile.mkdir()
    body = ("Officials said the <b>bridge</b> would reopen on Friday after repairs costing 3 million euros. "
            "The mayor said the works were finished early.\n\n"
            "<script>alert('x')</script> [link](javascript:x)")
    for name, outlet in (("a.json", "Alpha News"), ("b.json", "Beta Times")):
        (hostile / name).write_text(json.dumps({
            "title": "<script>alert(1)</script> Bridge to reopen", "text": body, "outlet": outlet,
            "url": "javascript:alert(1)", "published": "2026-05-01T10:00:00Z"}), encoding="utf-8")
    with storylens.open(tmp_path / "h.db") as ws:
        ws.ingest(hostile, workers=1)
        ws.analyze(workers=1)
        ws.detect_copies()
        ws.cluster()
        [story] = ws.stories()
        briefing = build_briefing(ws.store, story)
    html = render_html(briefing)
    assert "<script>" not in html and "&lt;script&gt;" in html and "javascript:" not in html
    markdown = render_markdown(briefing)
    assert "<script>" not in markdown and "\\<script\\>" in markdown
    assert "](javascript" not in markdown

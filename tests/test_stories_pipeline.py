"""Stages 4 and 5 through the command line: copies found at ingest, shown with the articles."""

import json
import re

from conftest import EXAMPLES, run_cli


def _run(*args):
    return run_cli(*args)


def test_exact_copy_is_an_appearance_of_the_earliest_publication(corpus_db):
    listed = json.loads(_run("articles", "--db", corpus_db, "--json").stdout)
    [wire] = [a for a in listed if a["outlet"] == "Meridian Press Agency"]
    assert "Harbour Courier" not in {a["outlet"] for a in listed}
    shown = json.loads(_run("show", wire["id"], "--db", corpus_db, "--json").stdout)
    assert [a["outlet"] for a in shown["appearances"]] == ["Harbour Courier"]


def test_copies_and_rewrites_point_to_their_source(corpus_db):
    listed = json.loads(_run("articles", "--db", corpus_db, "--json").stdout)
    by_outlet = {a["outlet"]: a for a in listed}
    wire = by_outlet["Meridian Press Agency"]["id"]
    assert by_outlet["Northern Ledger"]["copy_of"] == {"id": wire, "kind": "near_duplicate"}
    assert by_outlet["Daily Vista"]["copy_of"] == {"id": wire, "kind": "rewrite"}
    others = [a for name, a in by_outlet.items() if name not in ("Northern Ledger", "Daily Vista")]
    assert all(a["copy_of"] is None for a in others)


def test_reingest_finds_no_new_copies(corpus_db):
    again = json.loads(_run("ingest", str(EXAMPLES / "corpus"), "--db", corpus_db, "--json").stdout)
    assert again["added"] == 0 and again["copy_links"] == 0


def test_show_names_the_source_and_the_copies(corpus_db):
    listed = json.loads(_run("articles", "--db", corpus_db, "--json").stdout)
    by_outlet = {a["outlet"]: a for a in listed}
    wire = json.loads(_run("show", by_outlet["Meridian Press Agency"]["id"], "--db", corpus_db,
                           "--json").stdout)
    assert sorted(c["kind"] for c in wire["copied_by"]) == ["near_duplicate", "rewrite"]
    human = _run("show", by_outlet["Daily Vista"]["id"], "--db", corpus_db).stdout
    assert re.search(rf"copy of\s+{wire['id']} \(rewrite", human)


def test_the_corpus_forms_its_two_stories_with_copy_lineage(corpus_db):
    stories = json.loads(_run("stories", "--db", corpus_db, "--json").stdout)
    assert sorted(len(s["article_ids"]) for s in stories) == [2, 9]
    second = min(stories, key=lambda s: len(s["article_ids"]))
    assert set(second["outlets"]) == {"Touchline Daily", "Eastbank Sports"}
    main = max(stories, key=lambda s: len(s["article_ids"]))
    assert set(main) >= {"id", "title", "article_ids", "outlets", "first_seen", "last_updated"}
    assert main["first_seen"].startswith("2026-03-10T05:40")
    detail = json.loads(_run("story", main["id"], "--db", corpus_db, "--json").stdout)
    kinds = sorted((k["kind"], k["direction"]) for k in detail["copy_links"])
    assert kinds == [("near_duplicate", "dated"), ("rewrite", "dated")]
    listed = json.loads(_run("articles", "--db", corpus_db, "--json").stdout)
    assert {a["story_id"] for a in listed} == {s["id"] for s in stories}
    assert "Colbeck" in _run("stories", "--db", corpus_db).stdout


def test_unknown_story_is_a_clear_error(corpus_db):
    result = _run("story", "nope", "--db", corpus_db)
    assert result.exit_code == 1 and "no story with id 'nope'" in result.output

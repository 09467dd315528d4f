import json

ARTICLE = {
    "id": "ext-1",
    "url": "https://www.nytimes.com/2026/03/12/world/bridge.html",
    "title": "Bridge shut for repairs",
    "published": "March 12, 2026",
    "text": "The council voted on Tuesday to close the old harbour bridge for repairs. "
            "Officials said the work would take three months.",
    "gold_story": "SECRET-LABEL",
}


def test_jsonl_fields_and_outlet_from_domain(ws, tmp_path):
    other = dict(ARTICLE, id="ext-2", url=None, outlet="Harbour Courier",
                 text="A second article about the ferry that replaces the bridge during repairs.")
    path = tmp_path / "dump.jsonl"
    path.write_text(json.dumps(ARTICLE) + "\n\n" + json.dumps(other) + "\n", "utf-8")
    report = ws.ingest([path])
    assert report.ok and report.count("added") == 2
    by_ext = {a.external_id: a for a in ws.articles()}
    first = by_ext["ext-1"]
    assert first.outlet == "The New York Times"  # from the built-in domain table
    assert first.published == "2026-03-12"
    assert first.title == "Bridge shut for repairs"
    assert first.source == f"{path}:1"
    assert by_ext["ext-2"].outlet == "Harbour Courier"
    assert by_ext["ext-2"].source == f"{path}:3"


def test_unknown_fields_are_never_stored(ws, tmp_path):
    path = tmp_path / "dump.jsonl"
    path.write_text(json.dumps(ARTICLE) + "\n", "utf-8")
    ws.ingest([path])
    row = ws.store.conn.execute("SELECT * FROM article").fetchone()
    assert "SECRET-LABEL" not in json.dumps(dict(row))


def test_malformed_line_names_the_line_and_the_rest_goes_on(ws, tmp_path):
    good = json.dumps(ARTICLE)
    path = tmp_path / "dump.jsonl"
    path.write_text(good + "\n" + '{"title": "cut off' + "\n" +
                    json.dumps(dict(ARTICLE, id="x", url=None, text=ARTICLE["text"] + " More.")) + "\n")
    report = ws.ingest([path])
    assert report.count("added") == 2
    [failure] = report.failures
    assert failure.source == f"{path}:2"
    assert "line 2" in failure.message and "malformed JSON" in failure.message


def test_json_array_and_object_with_html(ws, tmp_path):
    page = ("<html><head><title>Ferry replaces bridge</title></head><body><article>"
            "<p>A ferry will carry commuters across the harbour while the bridge is repaired, "
            "the council said on Wednesday.</p><p>Tickets will be free for the first month, "
            "officials said, and services will run every twenty minutes.</p></article></body></html>")
    path = tmp_path / "batch.json"
    path.write_text(json.dumps({"articles": [ARTICLE, {"id": "h", "html": page,
                                                       "outlet": "Harbour Courier"}]}))
    report = ws.ingest([path])
    assert report.ok, report.failures
    by_ext = {a.external_id: a for a in ws.articles()}
    assert by_ext["h"].outlet == "Harbour Courier"
    assert "ferry will carry commuters" in by_ext["h"].text


def test_object_without_text_is_an_error(ws, tmp_path):
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"id": "1", "url": "https://example.org/x"}))
    report = ws.ingest([path])
    [failure] = report.failures
    assert failure.source == str(path) and "no 'text', 'html' or 'title' field" in failure.message


def test_headline_only_items_are_their_own_text(ws, tmp_path):
    path = tmp_path / "headlines.jsonl"
    path.write_text(json.dumps({"id": "h1", "title": "Fed official says weak data caused by weather",
                                "published": "2014-03-10T16:52:50+00:00", "gold_story": "x"}) + "\n"
                    + json.dumps({"id": "h2", "title": "Too short"}) + "\n")
    report = ws.ingest([path])
    assert report.count("added") == 1
    [article] = ws.articles()
    assert article.text == article.title == "Fed official says weak data caused by weather"
    assert article.published == "2014-03-10T16:52:50+00:00"
    assert "fewer than" in report.failures[0].message


def test_outlet_codes_expand_to_the_known_name():
    from storylens.ingest.outlets import builtin_table, canonical_outlet

    table = builtin_table()
    assert canonical_outlet("NYT", "https://www.nytimes.com/x", table) == "The New York Times"
    assert canonical_outlet("FOX", "http://www.foxnews.com/x", table) == "Fox News"
    # Not an abbreviation of the table's name, or no URL: the given name stands.
    assert canonical_outlet("BBC", "https://www.nytimes.com/x", table) == "BBC"
    assert canonical_outlet("NYT", None, table) == "NYT"
    assert canonical_outlet("Harbour Courier", "https://www.nytimes.com/x", table) == \
        "Harbour Courier"

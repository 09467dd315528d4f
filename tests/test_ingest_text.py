from storylens.ingest.text import split_title

BODY = "The council voted on Tuesday to close the old harbour bridge for repairs.\n\n" \
       "Officials said the work would take three months."


def test_split_title_recognises_outlet_suffixes():
    assert split_title("Bridge shut for repairs – Harbour Courier") == (
        "Bridge shut for repairs", "Harbour Courier")
    assert split_title("Bridge shut for repairs - BBC News") == ("Bridge shut for repairs", "BBC News")
    assert split_title("Bridge shut for repairs | The Guardian") == (
        "Bridge shut for repairs", "The Guardian")


def test_split_title_leaves_plain_and_hyphenated_titles_alone():
    assert split_title("Long-awaited bridge repairs begin") == (
        "Long-awaited bridge repairs begin", None)
    assert split_title("Repairs begin - and they will take three months.") == (
        "Repairs begin - and they will take three months.", None)


def test_text_file_title_outlet_and_body(ws, tmp_path):
    path = tmp_path / "bridge.txt"
    path.write_text(f"\n\nBridge shut for repairs – Harbour Courier\n\n{BODY}\n", "utf-8")
    report = ws.ingest([path])
    assert report.ok and report.count("added") == 1
    [article] = ws.articles()
    assert article.title == "Bridge shut for repairs"
    assert article.outlet == "Harbour Courier"
    assert article.text == BODY
    assert article.language == "en"
    assert article.source == str(path)


def test_same_text_twice_adds_nothing(ws, tmp_path):
    (tmp_path / "a.txt").write_text(f"Bridge shut\n\n{BODY}", "utf-8")
    # Same words, different spacing, case of quotes and line breaks: the same article.
    (tmp_path / "b.txt").write_text(f"Bridge shut\n\n  {BODY.replace(' ', '  ')}\n\n", "utf-8")
    report = ws.ingest([tmp_path / "a.txt", tmp_path / "b.txt"])
    assert [o.status for o in report.outcomes] == ["added", "duplicate"]
    assert report.outcomes[0].article_id == report.outcomes[1].article_id
    again = ws.ingest([tmp_path])
    assert again.count("added") == 0 and again.count("duplicate") == 2
    assert len(ws.articles()) == 1


def test_stdin_with_format(ws):
    data = f"Bridge shut – Harbour Courier\n\n{BODY}".encode()
    report = ws.ingest(["-"], stdin=data, format="text")
    assert report.ok
    assert ws.articles()[0].source == "<stdin>"


def test_latin1_file_is_decoded(ws, tmp_path):
    text = ("Café owners in Montréal said the déjà-vu of another closure was hard to bear. "
            "The mayor's office said the naïve plan would be reviewed next week. ") * 4
    (tmp_path / "latin.txt").write_bytes(("Montréal cafés – Le Quotidien\n\n" + text).encode("cp1252"))
    report = ws.ingest([tmp_path / "latin.txt"])
    assert report.ok, report.failures
    article = ws.articles()[0]
    assert "Montréal" in article.text and "déjà-vu" in article.text
    assert article.title == "Montréal cafés"


def test_many_files_are_read_in_worker_processes_in_order(ws, tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(24):
        (folder / f"{i:02}.txt").write_text(f"Story {i} – Harbour Courier\n\nArticle {i} reports that "
                                             f"pier {i} of the harbour bridge needs {i + 3} new bolts.")
    (folder / "13.txt").write_bytes(b"")
    report = ws.ingest([folder], workers=2)
    assert [o.source.rsplit("/", 1)[-1] for o in report.outcomes] == [f"{i:02}.txt" for i in range(24)]
    assert report.count("added") == 23
    [failure] = report.failures
    assert failure.source.endswith("13.txt") and "empty" in failure.message

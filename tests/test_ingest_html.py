"""HTML pages: body and metadata through trafilatura, boilerplate left out, bad pages reported."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from storylens.ingest.html import NO_ARTICLE, read_html
from storylens.ingest.registry import Payload
from storylens.models import Draft, Problem

DATA = Path(__file__).parent / "data" / "html"

FERRY_PARAGRAPHS = [
    "No ferries sailed to Skarholm for a third day on Wednesday as crews kept up a strike over "
    "pay, leaving the island’s 2,300 residents without deliveries of fresh food and fuel.",
    "The Northern Isles Seafarers’ Union said its members had rejected a pay offer of 3.5 per cent "
    "from the operator, Skerry Lines, and would stay off the boats until the company returned to "
    "talks.",
    "“Nobody wants to leave a community stranded, but our members have had enough,” said Tomas "
    "Vidal, the union’s regional organiser. He said crews had not had a real-terms rise since 2019.",
    "Shops running low",
    "The island’s only supermarket said it had run out of milk and bread by Tuesday afternoon. A "
    "helicopter carried medical supplies to the health centre on Tuesday evening, the island "
    "council said.",
    "Skerry Lines said in a statement that the offer was “fair and final” and that it had asked "
    "the government’s conciliation service to step in.",
]

# Everything around the article on the ferry page: none of it belongs in the body.
FERRY_BOILERPLATE = [
    "cookies", "Accept all", "Subscribe for 99p", "Island Life", "Weather and Tides",  # banner, nav
    "Share on Facebook", "Islands correspondent",  # share bar, byline
    "Morning Briefing", "Sign up for our free newsletter",  # newsletter box
    "Most read", "Harbour wall to be rebuilt", "puffin",  # related links
    "Comments", "Islander88", "prescription", "Pay the crews properly",  # comments
    "Lantern Media Group", "Privacy policy",  # footer
]


def copy_page(name: str, folder: Path) -> Path:
    """Copy a fixture page into the test's folder (so sources name a file of this test)."""
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(DATA / name, folder / name))


def read(data: bytes, **payload) -> list[Draft | Problem]:
    """Run the HTML reader directly on some bytes."""
    return list(read_html(Payload(source=payload.pop("source", "page.html"), data=data, **payload),
                          ctx=None))


# -- Through the workspace -------------------------------------------------------------------

def test_article_page_metadata(ws, tmp_path):
    path = copy_page("lantern_ferry.html", tmp_path / "in")
    report = ws.ingest([path])
    assert [(o.status, o.source) for o in report.outcomes] == [("added", str(path))]
    [article] = ws.articles()
    assert article.title == "Ferry strike leaves island cut off for a third day"
    assert article.byline == "Maria Okafor"
    assert article.published == "2025-06-04T06:15:00+00:00"  # the page's own time, not just the day
    assert article.outlet == "The Daily Lantern"  # og:site_name
    assert article.url == "https://dailylantern.example/news/2025/06/04/ferry-strike-skarholm"
    assert article.language == "en"  # <html lang="en-GB">


def test_body_is_the_article_only_in_paragraphs(ws, tmp_path):
    ws.ingest([copy_page("lantern_ferry.html", tmp_path / "in")])
    [article] = ws.articles()
    assert article.text.split("\n\n") == FERRY_PARAGRAPHS
    assert "Ferry strike leaves island cut off" not in article.text  # headline is the title
    for junk in FERRY_BOILERPLATE:
        assert junk not in article.text, junk


def test_page_without_open_graph_tags(ws, tmp_path):
    # An older page: headline and outlet in <title>, author and date in the byline, canonical URL.
    ws.ingest([copy_page("courrier_pont.html", tmp_path / "in")])
    [article] = ws.articles()
    assert article.title == "Le pont de Saint-Aubin fermé après la découverte d’une fissure"
    assert article.outlet == "Le Courrier du Val"
    assert article.byline == "Claire Dumas"
    assert article.published == "2025-02-17"
    assert article.url == "https://courrierduval.example/region/2025/02/17/pont-saint-aubin-ferme"
    assert article.language == "fr"
    paragraphs = article.text.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("Le pont de Saint-Aubin a été fermé à la circulation lundi")
    assert paragraphs[2].endswith("pour les poids lourds et les autocars.")
    for junk in ("Accueil", "Sports", "Par ", "Tous droits réservés"):
        assert junk not in article.text


@pytest.mark.parametrize("page", ["login.html", "section_index.html", "empty_body.html"])
def test_page_without_article_fails_and_the_batch_goes_on(ws, tmp_path, page):
    folder = tmp_path / "in"
    bad = copy_page(page, folder)
    good = copy_page("lantern_ferry.html", folder)
    report = ws.ingest([folder])
    assert sorted((o.source, o.status) for o in report.outcomes) == sorted(
        [(str(bad), "failed"), (str(good), "added")])
    [failure] = report.failures
    assert failure.message == NO_ARTICLE
    assert "no article text found" in failure.message
    assert [a.source for a in ws.articles()] == [str(good)]


def test_same_page_twice_is_a_duplicate(ws, tmp_path):
    first = copy_page("lantern_ferry.html", tmp_path / "a")
    second = copy_page("lantern_ferry.html", tmp_path / "b")
    assert ws.ingest([first]).count("added") == 1
    report = ws.ingest([second])
    assert [o.status for o in report.outcomes] == ["duplicate"]
    assert len(ws.articles()) == 1


# -- Character sets ----------------------------------------------------------------------------

CP1252_PAGE = """<!DOCTYPE html>
<html lang="en"><head>{meta}
<title>Café owners count the cost of the “great flood” | Riverside Post</title>
<meta property="og:site_name" content="Riverside Post">
</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Café owners count the cost of the “great flood”</h1>
<p>Owners of the Café Zoë on Quay Street said on Friday that the flood had caused damage worth
about €40,000 to their kitchen, cellar and furniture.</p>
<p>“It’s the worst I’ve seen in thirty years,” said the owner, Zoë Müller. Her neighbours, she
said, had lost just as much.</p></article></body></html>
"""


@pytest.mark.parametrize("meta, http_charset", [
    ('<meta charset="iso-8859-1">', None),  # browsers read latin-1 labels as windows-1252
    ('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">', None),
    ("", "windows-1252"),  # declared only by the HTTP header
    ("", None),  # declared nowhere: detected
])
def test_windows_1252_page(meta, http_charset):
    data = CP1252_PAGE.format(meta=meta).encode("cp1252")
    [draft] = read(data, charset=http_charset)
    assert isinstance(draft, Draft)
    assert draft.title == "Café owners count the cost of the “great flood”"
    assert draft.text.split("\n\n") == [
        "Owners of the Café Zoë on Quay Street said on Friday that the flood had caused damage "
        "worth about €40,000 to their kitchen, cellar and furniture.",
        "“It’s the worst I’ve seen in thirty years,” said the owner, Zoë Müller. Her neighbours, "
        "she said, had lost just as much.",
    ]
    assert draft.sitename == "Riverside Post"


def test_utf8_page_mislabelled_as_latin1():
    # A common CMS fault: UTF-8 bytes with a latin-1 label. The UTF-8 reading is the right one.
    data = CP1252_PAGE.format(meta='<meta charset="iso-8859-1">').encode("utf-8")
    [draft] = read(data)
    assert "Café Zoë" in draft.text and "€40,000" in draft.text and "Ã" not in draft.text


def test_windows_1252_page_ingested_from_a_file(ws, tmp_path):
    path = tmp_path / "cafe.html"
    path.write_bytes(CP1252_PAGE.format(meta='<meta charset="iso-8859-1">').encode("cp1252"))
    assert ws.ingest([path]).count("added") == 1
    [article] = ws.articles()
    assert article.title == "Café owners count the cost of the “great flood”"
    assert "Zoë Müller" in article.text
    assert article.outlet == "Riverside Post"


# -- The reader on its own ---------------------------------------------------------------------

def test_fetched_url_wins_over_the_canonical_link():
    data = (DATA / "lantern_ferry.html").read_bytes()
    [draft] = read(data, url="https://dailylantern.example/amp/ferry?utm_source=feed")
    assert draft.url == "https://dailylantern.example/amp/ferry?utm_source=feed"


@pytest.mark.parametrize("url", ["https://www.dailylantern.example/news/ferry",
                                 "http://127.0.0.1:8080/news/ferry"])
def test_host_name_is_not_taken_for_a_site_name(url):
    # trafilatura falls back to the URL's host; the outlet table should decide instead.
    page = (DATA / "lantern_ferry.html").read_text(encoding="utf-8")
    page = page.replace('<meta property="og:site_name" content="The Daily Lantern">', "")
    page = page.replace("<title>Ferry strike leaves island cut off for a third day | "
                        "The Daily Lantern</title>", "<title>Ferry strike</title>")
    [draft] = read(page.encode("utf-8"), url=url)
    assert draft.sitename is None
    assert draft.title == "Ferry strike leaves island cut off for a third day"


def test_no_article_is_a_problem_naming_the_source():
    assert read((DATA / "login.html").read_bytes(), source="saved/login.html") == [
        Problem("saved/login.html", NO_ARTICLE)]


def test_empty_and_binary_input_are_refused(ws, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.html").write_bytes(b"  \n")
    (folder / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    report = ws.ingest([folder])
    assert report.count("failed") == 2
    messages = {Path(o.source).name: o.message for o in report.outcomes}
    assert "empty" in messages["empty.html"]
    assert "binary" in messages["image.html"]


@pytest.mark.parametrize("name, language", [("lantern_ferry.html", "en"),  # lang="en-GB"
                                            ("courrier_pont.html", "fr")])
def test_declared_language_is_read_from_the_page(name, language):
    [draft] = read((DATA / name).read_bytes())
    assert draft.language == language


def test_language_from_open_graph_locale():
    page = CP1252_PAGE.format(meta='<meta property="og:locale" content="en_GB">')
    [draft] = read(page.replace('<html lang="en">', "<html>").encode("cp1252"))
    assert draft.language == "en"


def test_html_fragment_from_a_json_line(ws, tmp_path):
    # JSON exports often carry the article body as an HTML fragment, even a single paragraph.
    body = ("<p>The Grey Valley dam withstood last week's floods without structural damage, the "
            "regional water authority said on Monday after a full inspection.</p>")
    path = tmp_path / "export.jsonl"
    path.write_text(json.dumps({"id": "gv-1", "title": "Dam passes inspection", "html": body,
                                "outlet": "Valley Post"}) + "\n", encoding="utf-8")
    report = ws.ingest([path])
    assert [o.status for o in report.outcomes] == ["added"]
    [article] = ws.articles()
    assert article.text.startswith("The Grey Valley dam withstood last week's floods")
    assert article.title == "Dam passes inspection"

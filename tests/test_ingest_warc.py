"""WARC and WARC.gz: HTML responses become articles, everything else is skipped, cuts are reported."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storylens.ingest.registry import Payload
from storylens.ingest.warc import read_warc
from storylens.models import Problem

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="{charset}">
<title>{title} | {outlet}</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="{outlet}">
<meta name="author" content="{author}">
<meta property="article:published_time" content="{date}T09:00:00Z">
</head><body>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies?</div>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<article><h1>{title}</h1>
{paragraphs}
</article>
<section class="comments"><h2>Comments</h2><p>First! Great article, thanks for sharing it.</p></section>
<footer>© 2025 {outlet}. All rights reserved.</footer>
</body></html>
"""

ARTICLES = [
    dict(url="https://northstar.example/2025/05/12/dam-inspection", title="Dam inspection finds "
         "no structural damage after the floods", outlet="Northstar Times", author="Ines Laurent",
         date="2025-05-12", paragraphs=[
             "Engineers who inspected the Grey Valley dam after last week's floods found no "
             "structural damage, the regional water authority said on Monday.",
             "The reservoir rose to within 40 centimetres of the spillway crest on Thursday, its "
             "highest level since records began in 1962.",
             "\"The dam did exactly what it was built to do,\" said the authority's chief engineer, "
             "Paolo Rinaldi.",
         ]),
    dict(url="https://valleypost.example/news/rail-line-reopens", title="Rail line reopens as "
         "flood waters recede", outlet="Valley Post", author="Sam Whitcombe", date="2025-05-13",
         paragraphs=[
             "Trains ran again between Ashby and Grey Valley on Tuesday morning after workers "
             "cleared mud and debris from a two-kilometre stretch of track.",
             "The operator said services would run to a reduced timetable until Friday while "
             "signalling equipment damaged by the water is replaced.",
         ]),
    dict(url="https://northstar.example/2025/05/14/farmers-compensation", title="Farmers ask for "
         "compensation after flooded fields", outlet="Northstar Times", author="Ines Laurent",
         date="2025-05-14", paragraphs=[
             "Farmers whose fields were flooded when the Grey river burst its banks asked the "
             "government on Wednesday for emergency compensation.",
             "The farmers' union estimated that about 3,000 hectares of wheat and barley had been "
             "lost, most of it weeks before the harvest.",
         ]),
]


def page(article: dict, charset: str = "utf-8") -> bytes:
    """A realistic news page for one of ARTICLES."""
    paragraphs = "\n".join(f"<p>{p}</p>" for p in article["paragraphs"])
    fields = {k: v for k, v in article.items() if k != "paragraphs"}
    return PAGE.format(charset=charset, paragraphs=paragraphs, **fields).encode(charset)


class Archive:
    """A WARC written with warcio, record by record."""

    def __init__(self, gz: bool) -> None:
        self.buffer = io.BytesIO()
        self.writer = WARCWriter(self.buffer, gzip=gz)
        self.writer.write_record(self.writer.create_warcinfo_record("test.warc", {
            "software": "storylens tests", "format": "WARC File Format 1.0"}))

    def response(self, url: str, body: bytes, content_type: str = "text/html; charset=utf-8",
                 status: str = "200 OK", extra: list[tuple[str, str]] = ()) -> None:
        headers = StatusAndHeaders(status, [("Content-Type", content_type), *extra],
                                   protocol="HTTP/1.1")
        self.writer.write_record(self.writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=headers))

    def request(self, url: str) -> None:
        headers = StatusAndHeaders(f"GET {url} HTTP/1.1", [("User-Agent", "crawler/1.0")],
                                   is_http_request=True)
        self.writer.write_record(self.writer.create_warc_record(
            url, "request", payload=io.BytesIO(b""), http_headers=headers))

    def metadata(self, url: str) -> None:
        self.writer.write_record(self.writer.create_warc_record(
            url, "metadata", payload=io.BytesIO(b"outlinks: https://example.org/\n"),
            warc_content_type="application/warc-fields"))

    def data(self) -> bytes:
        return self.buffer.getvalue()


def crawl(gz: bool) -> bytes:
    """A small crawl: three article pages, plus records and responses that are not articles."""
    archive = Archive(gz)
    archive.request(ARTICLES[0]["url"])
    archive.response(ARTICLES[0]["url"], page(ARTICLES[0]))
    archive.metadata(ARTICLES[0]["url"])
    archive.request("https://northstar.example/logo.png")
    archive.response("https://northstar.example/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(300),
                     content_type="image/png")
    archive.response("https://northstar.example/styles.css", b"body { color: #222; }",
                     content_type="text/css")
    archive.response("https://northstar.example/old-page", b"<html><body>Moved</body></html>",
                     status="301 Moved Permanently", extra=[("Location", ARTICLES[0]["url"])])
    archive.response("https://northstar.example/missing", page(ARTICLES[2]), status="404 Not Found")
    # A latin-1 page (declared in the HTTP header only) sent gzip-compressed.
    latin = page(ARTICLES[1], charset="windows-1252").replace(
        b'<meta charset="windows-1252">', b"")
    archive.request(ARTICLES[1]["url"])
    archive.response(ARTICLES[1]["url"], gzip.compress(latin),
                     content_type="text/html; charset=ISO-8859-1",
                     extra=[("Content-Encoding", "gzip")])
    archive.response(ARTICLES[2]["url"], page(ARTICLES[2]))
    return archive.data()


def write(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("gz, name", [(False, "crawl.warc"), (True, "crawl.warc.gz")])
def test_every_html_response_becomes_an_article(ws, tmp_path, gz, name):
    path = write(tmp_path / "in", name, crawl(gz))
    report = ws.ingest([path])
    assert report.ok, report.failures
    assert [(o.status, o.source) for o in report.outcomes] == [
        ("added", f"{path}#{ARTICLES[0]['url']}"),
        ("added", f"{path}#{ARTICLES[1]['url']}"),
        ("added", f"{path}#{ARTICLES[2]['url']}"),
    ]
    by_url = {a.url: a for a in ws.articles()}
    assert set(by_url) == {a["url"] for a in ARTICLES}
    for expected in ARTICLES:
        article = by_url[expected["url"]]
        assert article.title == expected["title"]
        assert article.outlet == expected["outlet"]
        assert article.byline == expected["author"]
        assert article.published == f"{expected['date']}T09:00:00+00:00"  # the page's own time
        assert article.text.split("\n\n") == expected["paragraphs"]
        assert "cookies" not in article.text and "First!" not in article.text


def test_charset_and_content_type_reach_the_html_reader():
    seen: list[Payload] = []

    class Ctx:
        def read(self, payload, format=None):
            assert format == "html"
            seen.append(payload)
            return iter(())

    assert list(read_warc(Payload("crawl.warc", crawl(gz=True)), Ctx())) == []
    assert [p.url for p in seen] == [a["url"] for a in ARTICLES]
    latin = seen[1]
    assert latin.charset == "ISO-8859-1"
    assert latin.content_type == "text/html; charset=ISO-8859-1"
    assert latin.data.startswith(b"<!DOCTYPE html>")  # the gzip content encoding is undone
    assert latin.source == f"crawl.warc#{ARTICLES[1]['url']}"


def test_latin1_page_in_a_warc_is_decoded_right(ws, tmp_path):
    ws.ingest([write(tmp_path / "in", "crawl.warc", crawl(gz=False))])
    article = ws.articles(outlet="Valley Post")[0]
    assert article.title == "Rail line reopens as flood waters recede"


def test_non_article_html_response_is_skipped_not_failed(ws, tmp_path):
    archive = Archive(gz=True)
    archive.response(ARTICLES[0]["url"], page(ARTICLES[0]))
    login = b"""<html><head><title>Sign in</title></head><body><form><label>Email
        <input name="e"></label><label>Password <input name="p" type="password"></label>
        <button>Sign in</button></form></body></html>"""
    archive.response("https://northstar.example/login", login)
    path = write(tmp_path / "in", "crawl.warc.gz", archive.data())
    report = ws.ingest([path])
    assert [(o.status, o.source) for o in report.outcomes] == [
        ("added", f"{path}#{ARTICLES[0]['url']}"),
        ("skipped", f"{path}#https://northstar.example/login"),
    ]
    assert report.ok  # a crawl holds such pages by nature: the command still succeeds
    assert "no article text found" in report.outcomes[1].message


def truncated(gz: bool) -> tuple[bytes, int]:
    """A crawl cut in the middle of its last article's record; and how many records precede it."""
    archive = Archive(gz)
    archive.response(ARTICLES[0]["url"], page(ARTICLES[0]))
    archive.response(ARTICLES[1]["url"], page(ARTICLES[1]))
    whole = len(archive.data())
    archive.response(ARTICLES[2]["url"], page(ARTICLES[2]))
    data = archive.data()
    cut = whole + (len(data) - whole) // 2
    return data[:cut], 3  # warcinfo + two responses


@pytest.mark.parametrize("gz, name", [(False, "cut.warc"), (True, "cut.warc.gz")])
def test_truncated_warc_keeps_the_records_before_the_cut(ws, tmp_path, gz, name):
    data, complete = truncated(gz)
    folder = tmp_path / "in"
    path = write(folder, name, data)
    other = write(folder, "zz_other.warc", crawl(gz=False))  # the batch goes on after it
    report = ws.ingest([folder])
    outcomes = [(o.status, o.source) for o in report.outcomes]
    assert outcomes[:3] == [
        ("added", f"{path}#{ARTICLES[0]['url']}"),
        ("added", f"{path}#{ARTICLES[1]['url']}"),
        ("failed", str(path)),
    ]
    [failure] = report.failures
    assert failure.message.startswith("truncated or corrupt WARC: stopped after "
                                      f"{complete} complete records")
    assert [o.source for o in report.outcomes[3:]] == [
        f"{other}#{a['url']}" for a in ARTICLES]
    assert ARTICLES[2]["url"] not in {a.url for a in ws.articles() if a.source.startswith(str(path))}


@pytest.mark.parametrize("gz", [False, True])
def test_every_cut_point_gives_whole_records_and_one_problem(gz):
    # Wherever the file is cut, what comes out is a prefix of the whole crawl's pages (never a
    # page read from a partial record) followed by exactly one problem; only a cut exactly
    # between two records leaves a valid, shorter archive that nobody can tell from a whole one.
    class Ctx:
        def read(self, payload, format=None):
            yield payload

    data = crawl(gz)
    archive = ArchiveIterator(io.BytesIO(data))
    boundaries = {archive.get_record_offset() for _ in archive} | {len(data)}
    full = list(read_warc(Payload("crawl.warc", data), Ctx()))
    assert len(full) == 3
    for cut in range(1, len(data), 3):
        items = list(read_warc(Payload("crawl.warc", data[:cut]), Ctx()))
        problems = [i for i in items if isinstance(i, Problem)]
        pages = [i for i in items if isinstance(i, Payload)]
        assert pages == full[: len(pages)], cut
        assert len(problems) == (0 if cut in boundaries else 1), cut
        assert items[len(pages):] == problems, cut


def test_gzip_cut_in_the_last_member_trailer(ws, tmp_path):
    data = crawl(gz=True)
    path = write(tmp_path / "in", "crawl.warc.gz", data[:-4])
    report = ws.ingest([path])
    assert report.count("added") == 2
    assert [o.source for o in report.failures] == [str(path)]
    assert "truncated" in report.failures[0].message


def test_not_a_warc(ws, tmp_path):
    path = write(tmp_path / "in", "notes.warc", b"these are my notes, not an archive\n")
    report = ws.ingest([path])
    assert [(o.status, o.source) for o in report.outcomes] == [("failed", str(path))]
    assert "not a WARC file" in report.failures[0].message

"""RSS and Atom feeds and URL lists, against a local HTTP server on 127.0.0.1."""

from __future__ import annotations

from xml.sax.saxutils import escape

import pytest
from httpserver import LocalServer, page

from storylens.ingest.feeds import MIN_ENTRY_WORDS, html_to_text

FAST = {"timeout": 0.3, "retries": 1, "backoff": 0.01}
RSS_TYPE = "application/rss+xml; charset=utf-8"
ATOM_TYPE = "application/atom+xml"

STORIES = {
    "/news/bridge": [
        "The council voted on Tuesday evening to close the old harbour bridge for repairs.",
        "Engineers said the work would take three months and cost more than expected.",
    ],
    "/news/market": [
        "The covered market reopened its doors after a long renovation of the roof.",
        "Traders said the first morning brought more customers than any day last year.",
    ],
    "/news/ferry": [
        "A second ferry will join the harbour crossing while the bridge stays closed.",
        "The operator said tickets would keep their price for the whole summer season.",
    ],
}
LONG_TEXT = ("<p>The lighthouse keeper retired after forty years of service on the island, "
             "and the town gathered on the pier to thank him for every night he kept the "
             "lamp burning.</p><p>Children read poems, the band played, and the harbour master "
             "presented a painting of the lighthouse &amp; the old keeper's cottage, which "
             "will now become a small museum open to visitors every weekend.</p>"
             "<script>track()</script>")


def rss(items: list[dict[str, str]], title: str = "Harbour Courier - Latest") -> str:
    parts = []
    for item in items:
        fields = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in item.items())
        parts.append(f"<item>{fields}</item>")
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{escape(title)}</title><link>http://example.org/</link>"
            f"<description>News</description>{''.join(parts)}</channel></rss>")


def atom(entries: list[dict[str, str]], title: str = "Harbour Courier") -> str:
    parts = []
    for n, entry in enumerate(entries):
        link = f'<link rel="alternate" href="{escape(entry["link"])}"/>' if "link" in entry else ""
        content = (f'<content type="html">{escape(entry["content"])}</content>'
                   if "content" in entry else "")
        parts.append(f"<entry><id>urn:entry:{n}</id><title>{escape(entry['title'])}</title>"
                     f"{link}<updated>{entry['updated']}</updated>{content}</entry>")
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{escape(title)}</title><id>urn:feed</id><updated>2022-09-15T10:00:00Z</updated>"
            f"{''.join(parts)}</feed>")


@pytest.fixture
def server():
    with LocalServer() as local:
        for path, paragraphs in STORIES.items():
            title = path.rsplit("/", 1)[1].title() + " story"
            local.route(path, page(title, paragraphs, site_name="Harbour Courier",
                                   published="2022-09-14T09:00:00+00:00"))
        yield local


def three_items(server) -> list[dict[str, str]]:
    # Two working links (one relative, resolved against the feed's URL) and one that 404s.
    return [
        {"title": "Bridge to close", "link": server.url("/news/bridge"),
         "pubDate": "Thu, 15 Sep 2022 10:00:00 +0200"},
        {"title": "Market reopens", "link": "/news/market",
         "pubDate": "Thu, 15 Sep 2022 11:00:00 +0200"},
        {"title": "Gone story", "link": server.url("/news/deleted"),
         "pubDate": "Thu, 15 Sep 2022 12:00:00 +0200"},
    ]


def test_an_rss_feed_fetches_each_entry_and_a_broken_link_fails_alone(ws, server):
    server.route("/rss.xml", rss(three_items(server)), content_type=RSS_TYPE)
    report = ws.ingest([], feeds=[server.url("/rss.xml")], **FAST)
    assert report.count("added") == 2 and report.count("failed") == 1
    [failure] = report.failures
    assert failure.source == server.url("/news/deleted")
    assert failure.message.startswith("HTTP 404 Not Found")
    assert server.url("/rss.xml") in failure.message  # which feed it came from
    articles = {a.url: a for a in ws.articles()}
    assert set(articles) == {server.url("/news/bridge"), server.url("/news/market")}
    # The page's own metadata wins over the entry's.
    bridge = articles[server.url("/news/bridge")]
    assert bridge.title == "Bridge story" and bridge.outlet == "Harbour Courier"
    assert bridge.published.startswith("2022-09-14")
    assert "old harbour bridge" in bridge.text


def test_an_atom_feed_fetches_each_entry_and_a_slow_link_fails_alone(ws, server):
    entries = [
        {"title": "Bridge to close", "link": server.url("/news/bridge"),
         "updated": "2022-09-15T08:00:00Z"},
        {"title": "Ferry added", "link": server.url("/news/ferry"),
         "updated": "2022-09-15T09:00:00Z"},
        {"title": "Slow story", "link": server.url("/news/slow"),
         "updated": "2022-09-15T10:00:00Z"},
    ]
    server.route("/news/slow", page("Slow", STORIES["/news/bridge"]), delay=2.0)
    server.route("/atom", atom(entries), content_type=ATOM_TYPE)
    report = ws.ingest([], feeds=[server.url("/atom")], **FAST)
    assert report.count("added") == 2 and report.count("failed") == 1
    [failure] = report.failures
    assert failure.source == server.url("/news/slow")
    assert failure.message.startswith("timed out after 0.3 s (2 attempts)")
    assert {a.title for a in ws.articles()} == {"Bridge story", "Ferry story"}


def test_entry_title_and_date_are_fallbacks_when_the_page_has_none(ws, server):
    server.route("/bare", page(None, [
        "The harbour festival drew record crowds to the waterfront over the weekend.",
        "Stalls sold fish, bread and cider while boats paraded past the old pier.",
    ]))
    server.route("/feed", rss([
        {"title": "Festival <b>draws</b> crowds &amp; fish", "link": server.url("/bare"),
         "pubDate": "Thu, 15 Sep 2022 10:00:00 +0200", "author": "desk@example.org (Ann Lee)"},
    ], title="Loopback Courier"), content_type=RSS_TYPE)
    report = ws.ingest([], feeds=[server.url("/feed")], **FAST)
    assert report.ok, report.failures
    [article] = ws.articles()
    assert article.title == "Festival draws crowds & fish"  # markup in a feed title is dropped
    assert article.published == "2022-09-15T08:00:00+00:00"  # normalised to UTC
    assert article.url == server.url("/bare")


def test_the_feed_title_names_the_outlet_when_nothing_else_does(ws, server):
    server.route("/nosite", page("Pier repaired", [
        "Workers finished repairing the old pier a week ahead of the planned date.",
        "Fishing boats can moor there again from Monday, the harbour office said.",
    ]))
    server.route("/feed", rss([{"title": "Pier", "link": server.url("/nosite")}],
                              title="Loopback Courier"), content_type=RSS_TYPE)
    report = ws.ingest([], feeds=[server.url("/feed")], **FAST)
    assert report.ok, report.failures
    [article] = ws.articles()
    assert article.outlet == "Loopback Courier"


def test_an_entry_without_a_link_is_read_from_the_feed_text_when_long_enough(ws, server):
    server.route("/atom", atom([
        {"title": "Keeper retires", "updated": "2022-09-15T08:00:00Z", "content": LONG_TEXT},
        {"title": "Short note", "updated": "2022-09-15T09:00:00Z",
         "content": "<p>Too short to be an article.</p>"},
    ]), content_type=ATOM_TYPE)
    report = ws.ingest([], feeds=[server.url("/atom")], **FAST)
    assert report.count("added") == 1 and report.count("failed") == 1
    [article] = ws.articles()
    assert article.title == "Keeper retires"
    assert article.published == "2022-09-15T08:00:00+00:00"
    assert "the lighthouse & the old keeper's cottage" in article.text
    assert "<p>" not in article.text and "track()" not in article.text
    assert "\n\nChildren read poems" in article.text  # paragraphs kept
    [failure] = report.failures
    assert failure.source == server.url("/atom") + "#entry2"
    assert "'Short note'" in failure.message and "no link" in failure.message


def test_an_entry_linking_to_a_non_html_document_is_refused(ws, server):
    server.route("/doc", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", content_type="application/pdf")
    server.route("/feed", rss([{"title": "Doc", "link": server.url("/doc")},
                               {"title": "Bridge", "link": server.url("/news/bridge")}]),
                 content_type=RSS_TYPE)
    report = ws.ingest([], feeds=[server.url("/feed")], **FAST)
    assert report.count("added") == 1
    [failure] = report.failures
    assert failure.source == server.url("/doc") and "not an HTML page" in failure.message


@pytest.mark.parametrize(("body", "content_type", "reason"), [
    (page("Home", ["Welcome to our site, where the news is always fresh and free."]),
     "text/html", "an HTML page"),
    ("\x00\x01\x02garbage\x00" * 20, "application/octet-stream", "binary data"),
    ("this is not a feed { at all", "text/plain", "no XML in it; it starts with 'this is not"),
    ('{"items": []}', "application/json", "JSON data"),
    ("<data><unclosed></data>", "text/xml", "not well-formed XML: mismatched tag"),
    ('<?xml version="1.0"?>\n<!-- books -->\n<catalog><book>Moby Dick</book></catalog>',
     "application/xml", "XML with the root element <catalog>"),
    ("", "application/rss+xml", "empty"),
])
def test_a_feed_that_is_not_a_feed_is_one_clear_failure(ws, server, body, content_type, reason):
    server.route("/feed", body, content_type=content_type)
    report = ws.ingest([], feeds=[server.url("/feed")], **FAST)
    [failure] = report.outcomes
    assert failure.status == "failed" and failure.source == server.url("/feed")
    assert failure.message.startswith("not an RSS or Atom feed (")
    assert reason in failure.message
    assert ws.articles() == []


def test_an_html_page_given_as_a_feed_points_to_its_real_feed(ws, server):
    html = page("Home", ["Welcome."]).replace(
        "<head>", '<head><link rel="alternate" type="application/rss+xml" href="/rss.xml">')
    server.route("/", html)
    report = ws.ingest([], feeds=[server.url("/")], **FAST)
    [failure] = report.failures
    assert failure.message == ("not an RSS or Atom feed (an HTML page; it links to a feed at "
                               f"{server.url('/rss.xml')})")


def test_a_feed_url_given_as_a_plain_url_is_recognised_as_a_feed(ws, server):
    server.route("/feed", rss(three_items(server)[:2]), content_type="text/xml")
    report = ws.ingest([server.url("/feed")], **FAST)
    assert report.ok and report.count("added") == 2


def test_a_url_list_mixes_pages_and_feeds(ws, server, tmp_path):
    server.route("/rss.xml", rss(three_items(server)[:2]), content_type=RSS_TYPE)
    listing = tmp_path / "feeds.txt"
    listing.write_text(
        "# what I follow\n\n"
        f"{server.url('/rss.xml')}\n"
        "# a single page:\n"
        f"  {server.url('/news/ferry')}\n"
        f"{server.url('/rss.xml')}\n",  # listed twice: read once
        "utf-8",
    )
    report = ws.ingest([listing], **FAST)
    assert report.ok, report.failures
    assert report.count("added") == 3
    assert {a.title for a in ws.articles()} == {"Bridge story", "Market story", "Ferry story"}
    assert server.hits["/rss.xml"] == 1


def test_a_url_list_reports_bad_lines_and_failing_urls_and_goes_on(ws, server, tmp_path):
    server.route("/photo", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), content_type="image/png")
    listing = tmp_path / "links"
    listing.write_text(f"{server.url('/news/bridge')}\nnot a url\n{server.url('/photo')}\n"
                       f"{server.url('/news/deleted')}\n", "utf-8")
    report = ws.ingest([listing], format="urls", **FAST)
    assert report.count("added") == 1
    failures = {o.source: o.message for o in report.failures}
    assert failures[f"{listing}:2"].startswith("line 2 is not an http(s) URL")
    assert "not an HTML page" in failures[server.url("/photo")]
    assert failures[server.url("/news/deleted")] == "HTTP 404 Not Found"


def test_reading_a_feed_again_adds_nothing(ws, server):
    server.route("/rss.xml", rss(three_items(server)[:2]), content_type=RSS_TYPE)
    assert ws.ingest([], feeds=[server.url("/rss.xml")], **FAST).count("added") == 2
    again = ws.ingest([], feeds=[server.url("/rss.xml")], **FAST)
    assert again.count("duplicate") == 2 and again.count("added") == 0 and again.ok
    assert len(ws.articles()) == 2


def test_html_to_text_keeps_paragraphs_and_drops_markup():
    text = html_to_text(LONG_TEXT + "<ul><li>one</li><li>two<br>three</li></ul>")
    paragraphs = text.split("\n\n")
    assert paragraphs[0].startswith("The lighthouse keeper retired")
    assert "&amp;" not in text and "& the old keeper's" in text
    assert "track()" not in text
    assert paragraphs[-2:] == ["one", "two\nthree"]
    assert len(LONG_TEXT.split()) > MIN_ENTRY_WORDS

"""URLs: the Fetcher's time-outs, retries, redirects, limits and errors, and URL ingestion end to end.

Everything runs against a local HTTP server on 127.0.0.1 (tests/httpserver.py).
"""

from __future__ import annotations

import time

import pytest
from httpserver import LocalServer, Reply, closed_port, page

from storylens.config import IngestOptions
from storylens.errors import IngestError
from storylens.ingest.outlets import load_table, outlet_for_url
from storylens.ingest.web import MAX_RETRY_AFTER, Fetcher, _retry_after

FAST = {"timeout": 0.3, "retries": 1, "backoff": 0.01}

HARBOUR = [
    "The council voted on Tuesday evening to close the old harbour bridge for repairs.",
    "Engineers said the work would take three months and cost more than expected.",
    "Ferry operators promised extra crossings while the bridge stays shut to traffic.",
]
MARKET = [
    "The covered market reopened its doors after a long renovation of the roof.",
    "Traders said the first morning brought more customers than any day last year.",
    "The mayor thanked the builders and promised a festival in the square next spring.",
]


@pytest.fixture
def server():
    with LocalServer() as local:
        yield local


def fetcher(**settings) -> Fetcher:
    return Fetcher(IngestOptions(**{**FAST, **settings}))


def fetch_error(url: str, **settings) -> str:
    with fetcher(**settings) as f, pytest.raises(IngestError) as info:
        f.fetch(url)
    assert info.value.source == url
    return info.value.message


# -- the Fetcher ---------------------------------------------------------------------------------

def test_fetch_returns_the_body_with_its_type_and_sends_a_clear_user_agent(server):
    server.route("/a.html", page("Bridge shut", HARBOUR), content_type="text/html; charset=utf-8")
    with fetcher() as f:
        payload = f.fetch(server.url("/a.html"))
    assert payload.source == payload.url == server.url("/a.html")
    assert b"old harbour bridge" in payload.data
    assert payload.content_type == "text/html; charset=utf-8"
    assert payload.charset == "utf-8"
    agent = server.requests[0].headers["User-Agent"]
    assert agent == IngestOptions().user_agent and agent.startswith("storylens/")
    assert "text/html" in server.requests[0].headers["Accept"]


def test_redirects_are_followed_and_the_final_url_recorded(server):
    server.redirect("/old", "/moved", status=301)
    server.redirect("/moved", server.url("/new.html"))
    server.route("/new.html", page("Bridge shut", HARBOUR))
    with fetcher() as f:
        payload = f.fetch(server.url("/old"))
    assert payload.source == server.url("/old")
    assert payload.url == server.url("/new.html")
    assert server.hits["/new.html"] == 1


def test_a_redirect_loop_is_an_error(server):
    server.redirect("/loop", "/loop")
    assert "too many redirects" in fetch_error(server.url("/loop"))


def test_404_is_not_retried(server):
    server.route("/gone", "nothing here", status=404)
    assert fetch_error(server.url("/gone"), retries=3) == "HTTP 404 Not Found"
    assert server.hits["/gone"] == 1


def test_500_is_retried_with_backoff_then_reported(server):
    server.route("/broken", "oops", status=500)
    started = time.monotonic()
    message = fetch_error(server.url("/broken"), retries=2, backoff=0.05)
    assert message == "HTTP 500 Internal Server Error (3 attempts)"
    assert server.hits["/broken"] == 3
    assert time.monotonic() - started >= 0.05 + 0.1  # backoff doubles: 0.05 then 0.1


def test_a_server_that_recovers_is_retried_until_it_answers(server):
    server.route("/flaky", [Reply(status=503), Reply(status=429), Reply(body=page("Ok", MARKET))])
    with fetcher(retries=2) as f:
        payload = f.fetch(server.url("/flaky"))
    assert b"covered market" in payload.data
    assert server.hits["/flaky"] == 3


def test_a_long_retry_after_gives_up_at_once_and_says_why(server):
    server.route("/busy", Reply(status=429, headers={"Retry-After": "3600"}))
    message = fetch_error(server.url("/busy"), retries=3)
    assert message.startswith("HTTP 429 Too Many Requests") and "3600 s" in message
    assert server.hits["/busy"] == 1


def test_retry_after_values():
    assert _retry_after("5") == 5.0
    assert _retry_after(None) is None and _retry_after("soon") is None
    assert _retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past: no wait
    assert _retry_after("Fri, 01 Jan 2100 00:00:00 GMT") > MAX_RETRY_AFTER


def test_a_slow_server_times_out_after_each_attempt(server):
    server.route("/slow", page("Late", HARBOUR), delay=2.0)
    started = time.monotonic()
    message = fetch_error(server.url("/slow"), timeout=0.3, retries=1)
    assert message == "timed out after 0.3 s (2 attempts)"
    assert server.hits["/slow"] == 2
    assert time.monotonic() - started < 1.5


def test_a_body_dripping_in_slowly_times_out_as_a_whole(server):
    # Each chunk arrives well within the time-out; the whole body would take 2 s.
    server.route("/drip", page("Drip", HARBOUR * 4), chunk=50, drip=0.04)
    message = fetch_error(server.url("/drip"), timeout=0.3, retries=0)
    assert message == "timed out after 0.3 s"


def test_an_unreachable_host_is_reported_after_retries():
    url = f"http://127.0.0.1:{closed_port()}/a.html"
    message = fetch_error(url, retries=1)
    assert message.startswith("cannot reach the host (")
    assert message.endswith("(2 attempts)")


def test_a_declared_size_over_the_limit_is_refused_without_reading_or_retrying(server):
    server.route("/big.html", "x" * 5000)
    message = fetch_error(server.url("/big.html"), max_bytes=1000, retries=2)
    assert message == "too large: 5,000 bytes, the limit is 1,000 (set --max-bytes)"
    assert server.hits["/big.html"] == 1


def test_an_undeclared_size_over_the_limit_is_cut_off(server):
    server.route("/stream.html", "x" * 5000, send_length=False)
    message = fetch_error(server.url("/stream.html"), max_bytes=1000)
    assert message == "too large: over the limit of 1,000 bytes (set --max-bytes)"


# -- URLs through the workspace ------------------------------------------------------------------

def test_an_html_url_is_ingested_with_title_and_outlet(ws, server):
    server.route("/harbour.html", page("Harbour bridge shut for repairs", HARBOUR,
                                       site_name="Harbour Courier", author="Ann Lee",
                                       published="2022-09-15T08:00:00+00:00"))
    report = ws.ingest([server.url("/harbour.html")], **FAST)
    assert report.ok and report.count("added") == 1
    [article] = ws.articles()
    assert article.title == "Harbour bridge shut for repairs"
    assert article.outlet == "Harbour Courier"
    assert article.url == server.url("/harbour.html")
    assert article.published.startswith("2022-09-15")
    assert "old harbour bridge" in article.text
    assert "Privacy policy" not in article.text and "Home" not in article.text
    assert article.language == "en"


def test_without_a_site_name_the_outlet_comes_from_a_user_outlets_file(ws, server, tmp_path):
    table = tmp_path / "outlets.tsv"
    table.write_text("# my outlets\n127.0.0.1\tLoopback Ledger\n", "utf-8")
    server.route("/market.html", page("Market reopens", MARKET))
    report = ws.ingest([server.url("/market.html")], outlets_file=table, **FAST)
    assert report.ok
    [article] = ws.articles()
    assert article.outlet == "Loopback Ledger"


def test_the_outlet_table_can_be_extended_by_a_user_file(tmp_path):
    table = tmp_path / "outlets.tsv"
    table.write_text("harbour-courier.example\tHarbour Courier\nbbc.co.uk = My BBC\n", "utf-8")
    extended = load_table(table)
    assert outlet_for_url("https://news.harbour-courier.example/a", extended) == "Harbour Courier"
    assert outlet_for_url("https://www.bbc.co.uk/news/x", extended) == "My BBC"  # user wins
    assert outlet_for_url("https://www.bbc.co.uk/news/x", load_table()) == "BBC News"
    assert outlet_for_url("https://unknown.example/a", extended) == "unknown.example"


def test_a_redirected_url_is_stored_under_its_final_url(ws, server):
    server.redirect("/short", "/2022/harbour-bridge.html")
    server.route("/2022/harbour-bridge.html", page("Bridge shut", HARBOUR, site_name="Courier"))
    report = ws.ingest([server.url("/short")], **FAST)
    assert report.ok
    [article] = ws.articles()
    assert article.url == server.url("/2022/harbour-bridge.html")


@pytest.mark.parametrize(("path", "content_type", "body"), [
    ("/report", "application/pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>"),
    ("/photo", "image/png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
    ("/photo.html", "image/png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
])
def test_non_html_urls_are_refused_naming_the_url(ws, server, path, content_type, body):
    server.route(path, body, content_type=content_type)
    server.route("/good.html", page("Bridge shut", HARBOUR))
    report = ws.ingest([server.url(path), server.url("/good.html")], **FAST)
    assert report.count("added") == 1
    [failure] = report.failures
    assert failure.source == server.url(path)
    assert "not an HTML page" in failure.message and content_type in failure.message


def test_404_and_500_fail_one_by_one_while_the_rest_of_the_batch_is_added(ws, server):
    server.route("/a.html", page("Bridge shut", HARBOUR))
    server.route("/missing.html", "no", status=404)
    server.route("/error.html", "no", status=500)
    server.route("/b.html", page("Market reopens", MARKET))
    urls = [server.url(p) for p in ("/a.html", "/missing.html", "/error.html", "/b.html")]
    report = ws.ingest(urls, timeout=0.5, retries=2, backoff=0.01)
    assert report.count("added") == 2 and report.count("failed") == 2
    assert not report.ok
    messages = {o.source: o.message for o in report.failures}
    assert messages == {urls[1]: "HTTP 404 Not Found",
                        urls[2]: "HTTP 500 Internal Server Error (3 attempts)"}
    assert server.hits["/missing.html"] == 1 and server.hits["/error.html"] == 3
    assert sorted(a.title for a in ws.articles()) == ["Bridge shut", "Market reopens"]


def test_a_time_out_fails_that_url_only(ws, server):
    server.route("/slow.html", page("Late", MARKET), delay=2.0)
    server.route("/a.html", page("Bridge shut", HARBOUR))
    report = ws.ingest([server.url("/slow.html"), server.url("/a.html")], **FAST)
    [failure] = report.failures
    assert failure.source == server.url("/slow.html")
    assert failure.message == "timed out after 0.3 s (2 attempts)"
    assert [a.title for a in ws.articles()] == ["Bridge shut"]


def test_an_unreachable_host_fails_that_url_only(ws, server):
    dead = f"http://127.0.0.1:{closed_port()}/a.html"
    server.route("/a.html", page("Bridge shut", HARBOUR))
    report = ws.ingest([dead, server.url("/a.html")], **FAST)
    [failure] = report.failures
    assert failure.source == dead and failure.message.startswith("cannot reach the host")
    assert report.count("added") == 1


def test_a_page_over_the_size_limit_fails(ws, server):
    server.route("/huge.html", page("Huge", HARBOUR * 50))
    server.route("/small.html", page("Market reopens", MARKET))
    report = ws.ingest([server.url("/huge.html"), server.url("/small.html")],
                       max_bytes=4000, **FAST)
    [failure] = report.failures
    assert failure.source == server.url("/huge.html") and "too large" in failure.message
    assert [a.title for a in ws.articles()] == ["Market reopens"]


def test_ingesting_the_same_url_twice_adds_nothing(ws, server):
    server.route("/a.html", page("Bridge shut", HARBOUR))
    first = ws.ingest([server.url("/a.html")], **FAST)
    again = ws.ingest([server.url("/a.html")], **FAST)
    assert first.count("added") == 1
    assert again.count("duplicate") == 1 and again.count("added") == 0 and again.ok
    assert len(ws.articles()) == 1


def test_the_same_url_with_changed_text_is_a_new_version_linked_to_the_old(ws, server):
    server.route("/a.html", page("Bridge shut", HARBOUR))
    first = ws.ingest([server.url("/a.html")], **FAST)
    updated = [*HARBOUR, "Update: the council later said the repairs could finish a month early."]
    server.route("/a.html", page("Bridge shut (updated)", updated))
    second = ws.ingest([server.url("/a.html")], **FAST)
    [old_outcome], [new_outcome] = first.outcomes, second.outcomes
    assert new_outcome.status == "new_version" and old_outcome.article_id in new_outcome.message
    versions = ws.versions(new_outcome.article_id)
    assert [v.id for v in versions] == [old_outcome.article_id, new_outcome.article_id]
    assert versions[1].previous_id == versions[0].id
    assert versions[0].superseded_by == versions[1].id
    [current] = ws.articles()
    assert current.title == "Bridge shut (updated)"

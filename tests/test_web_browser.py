"""The web UI in a real browser (Playwright driving Debian's chromium) over the sample corpus."""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from conftest import ROOT, run_cli

import storylens

CHROMIUM = Path("/usr/bin/chromium")
# Where screenshots go: test-artifacts/ by default; bench/screenshots.py points it at docs/screenshots.
ARTIFACTS = Path(os.environ.get("STORYLENS_SCREENSHOTS", ROOT / "test-artifacts"))
SCRIPT_TITLE = "<script>alert(1)</script> Tram depot fire drill"
VIEWPORT = {"width": 1280, "height": 800}
MAX_SHOT_HEIGHT = 2400  # long pages (a story's briefing) are cut: the top says what the page is


def _missing(reason: str) -> None:
    """Without a browser: CI must run these tests, so fail there; skip on a developer's machine."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run the browser tests: .ci/run installs chromium)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def db(corpus_db: str, tmp_path_factory) -> Path:
    """A copy of the sample-corpus store, plus one article whose title is a script tag."""
    folder = tmp_path_factory.mktemp("web")
    path = folder / "web.db"
    with closing(sqlite3.connect(corpus_db)) as source, closing(sqlite3.connect(path)) as copy:
        source.backup(copy)  # the shared store stays as it is
    hostile = folder / "hostile.json"
    hostile.write_text(json.dumps({
        "id": "hostile-1", "url": "https://hostile.example/fire-drill", "outlet": "Hostile Example",
        "title": SCRIPT_TITLE, "published": "2026-03-12T09:00:00Z",
        "text": "The tram depot in Harrowgate held a fire drill on Thursday morning. "
                "No trams were delayed, the operator said."}), encoding="utf-8")
    result = run_cli("ingest", str(hostile), "--db", str(path), "-w", "1")
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def site(db: Path) -> Iterator[str]:
    """The app served by uvicorn on a free local port, in a background thread; its base URL."""
    import uvicorn

    from storylens.web.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(base + "/api/stories", timeout=5).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.1)
    yield base
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    """Headless chromium (Debian's, not a downloaded build)."""
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is not installed (pip install -e '.[dev]')")
    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=args)
        yield chromium
        chromium.close()


class Watched:
    """A page plus what it should never see: dialogs, script errors, CSP violations."""

    def __init__(self, page) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        page.on("console", self._console)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.errors.append(message.text)

    def shot(self, name: str, *, as_scrolled: bool = False) -> None:
        """A screenshot under the artifacts folder: the page from its top, or the view as scrolled."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = str(ARTIFACTS / f"{name}.png")
        if as_scrolled:
            self.page.screenshot(path=path)
            return
        self.page.evaluate("window.scrollTo(0, 0)")  # else a sticky header lands mid-page
        height = self.page.evaluate("document.documentElement.scrollHeight")
        self.page.screenshot(path=path, full_page=True,
                             clip={"x": 0, "y": 0, "width": VIEWPORT["width"],
                                   "height": min(height, MAX_SHOT_HEIGHT)})


@pytest.fixture
def tab(browser, site: str) -> Iterator[Watched]:
    """A fresh page on the site; at the end, no dialog opened and no script error or CSP violation."""
    context = browser.new_context(base_url=site, viewport=VIEWPORT)
    watched = Watched(context.new_page())
    yield watched
    context.close()
    assert watched.dialogs == [] and watched.errors == []


def main_story(db: Path) -> storylens.models.StoryRecord:
    """The story with the most articles."""
    with storylens.open(db) as ws:
        return max(ws.stories(), key=lambda s: len(s.article_ids))


def path_of(url: str) -> str:
    """A URL's path, query and fragment."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment
                                                                      else "")


def open_main_story(tab: Watched, db: Path) -> None:
    """From the stories page, follow the main story's link."""
    story = main_story(db)
    tab.page.goto("/")
    tab.page.locator(f"li.story a.story-link[href='/stories/{story.id}']").click()
    tab.page.wait_for_url(f"**/stories/{story.id}")


def test_stories_page_lists_the_sample_stories(tab: Watched, db: Path) -> None:
    page = tab.page
    page.goto("/")
    with storylens.open(db) as ws:
        stories = ws.stories()
    items = page.locator("li.story")
    assert items.count() == len(stories) >= 2
    hrefs = {items.nth(i).locator("a.story-link").get_attribute("href") for i in range(items.count())}
    assert hrefs == {f"/stories/{s.id}" for s in stories}
    assert page.locator("li.story svg.sparkline").count() == len(stories)
    form = page.locator("form", has=page.locator("input[name=since]"))
    for name in ("since", "until", "outlet", "entity"):
        assert form.locator(f"[name={name}]").count() == 1
    assert page.locator("header form#search input[name=q]").is_visible()
    tab.shot("stories")


def test_main_story_shows_its_briefing(tab: Watched, db: Path) -> None:
    open_main_story(tab, db)
    page = tab.page
    story = main_story(db)
    assert page.locator("h1").inner_text().strip()
    for section in ("summary", "agreed", "single", "disputes", "quotes", "matrix", "coverage", "lineage",
                    "timeline", "entities"):
        assert page.locator(f"#{section}").count() == 1, section
    with storylens.open(db) as ws:
        outlets = {ws.article(i).outlet for i in story.article_ids}
    header = page.locator("#matrix table").first.locator("th").all_inner_texts()
    assert sum(any(o in h for h in header) for o in outlets) >= 2  # outlets are the matrix's columns
    assert page.locator("#coverage svg").count() >= 1
    cites = page.locator("a.cite")
    assert cites.count() > 0
    for href in cites.evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        assert re.fullmatch(r"/articles/[0-9a-f]+\?s=(\d+)#s-\1", href), href
    tab.shot("story")


def test_citation_opens_the_article_at_the_highlighted_sentence(tab: Watched, db: Path) -> None:
    open_main_story(tab, db)
    page = tab.page
    hrefs = page.locator("a.cite").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    # The citation of the latest sentence: the page must scroll to reach it.
    href = max(hrefs, key=lambda h: int(h.rsplit("-", 1)[1]))
    page.locator(f"a.cite[href='{href}']").first.click()
    page.wait_for_url(re.compile(r"/articles/"))
    assert path_of(page.url) == href
    cited = page.locator("span.sentence.cited")
    assert cited.count() == 1
    assert cited.get_attribute("id") == href.split("#", 1)[1]
    assert page.locator("h1").inner_text().strip()
    assert cited.is_visible()
    assert page.evaluate("window.scrollY") > 0  # the browser scrolled down to it
    top, bottom, height = cited.evaluate(
        "el => { const r = el.getBoundingClientRect(); return [r.top, r.bottom, window.innerHeight]; }")
    assert 0 <= top < height and bottom > 0, (top, bottom, height)
    # What is drawn at the middle of its first line is the sentence, not the sticky header over it.
    assert cited.evaluate("el => { const r = el.getClientRects()[0]; "
                          "return el.contains(document.elementFromPoint(r.left + r.width / 2, "
                          "r.top + r.height / 2)); }")
    assert page.locator("span.sentence").count() > 1
    tab.shot("article-cited", as_scrolled=True)
    tab.shot("article")


def test_search_from_the_header_box_highlights_matches(tab: Watched, db: Path) -> None:
    open_main_story(tab, db)
    page = tab.page
    box = page.locator("form#search input[name=q]")
    box.fill("Colbeck")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=Colbeck"))
    hits = page.locator("li.hit")
    assert hits.count() > 0
    marks = page.locator("li.hit mark").all_inner_texts()
    assert marks and all(m.lower() == "colbeck" for m in marks)
    tab.shot("search")


def test_a_speaker_opens_their_entity_page_with_what_they_said(tab: Watched, db: Path) -> None:
    open_main_story(tab, db)
    page = tab.page
    page.locator("#quotes h3 a[href^='/entities/']").first.click()
    page.wait_for_url(re.compile(r"/entities/\d+$"))
    entity_id = int(urlsplit(page.url).path.rsplit("/", 1)[1])
    with storylens.open(db) as ws:
        entity = ws.store.get_entity(entity_id)
        said = [q.text for _, q in ws.quotes_by(entity)]
    assert page.locator("h1").inner_text().strip() == entity.name
    assert said and said[0] in page.locator("main").inner_text()
    assert page.locator("main a.cite").count() == len(said)
    tab.shot("entity")


def test_a_script_in_a_title_is_shown_as_text(tab: Watched, db: Path) -> None:
    page = tab.page
    with storylens.open(db) as ws:
        [article] = [a for a in ws.articles() if a.outlet == "Hostile Example"]
    page.goto(f"/articles/{article.id}")
    assert "<script>alert(1)</script>" in page.locator("h1").inner_text()
    assert page.locator("main script").count() == 0
    page.goto("/search?q=drill")
    assert any("<script>" in t for t in page.locator("li.hit").all_inner_texts())
    page.goto("/")  # its story's title is that headline too
    titles = page.locator("li.story a.story-link").all_inner_texts()
    assert any("<script>alert(1)</script>" in t for t in titles)
    page.goto(f"/articles/{article.id}")
    tab.shot("script-title")
    # `tab` asserts at teardown that no dialog opened on any of these pages

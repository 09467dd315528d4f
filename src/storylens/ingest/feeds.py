"""RSS and Atom feeds (feedparser): each entry's link is fetched and read as an HTML page.

The entry's title, date and author are fallbacks, used only where the page lacks them; the feed's
title stands in for the outlet when neither the page nor the outlet table names one. An entry without
a link but with an article's worth of text in the feed (content or summary) becomes an article from
that text. A link that cannot be fetched is that entry's failure; the other entries go on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from storylens.errors import IngestError
from storylens.ingest.decode import looks_binary
from storylens.ingest.detect import format_of
from storylens.ingest.outlets import domain_of, load_table, outlet_for_url
from storylens.ingest.registry import Context, Payload, register
from storylens.models import Draft, Problem

# An entry without a link needs this much text in the feed to count as an article.
MIN_ENTRY_WORDS = 50
_HTML_TYPES = ("text/html", "application/xhtml+xml")
# Declared types that say nothing definite: the bytes decide.
_VAGUE_TYPES = ("", "text/plain", "application/octet-stream", "application/xml", "text/xml",
                "binary/octet-stream")
# The first element of an XML document, after the declaration, comments and doctype.
_ROOT = re.compile(rb"<([A-Za-z_][\w:.-]*)")
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)[\s>]",
                         re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class _Fallbacks:
    """What the feed says about an entry, used where the page says nothing."""

    title: str | None
    published: str | None
    byline: str | None
    sitename: str | None
    external_id: str | None


@register("feed")
def read_feed(payload: Payload, ctx: Context) -> Iterator[Draft | Problem]:
    """Read an RSS or Atom feed: one article per entry (or one problem per failed entry)."""
    parsed = _parse(payload)
    if isinstance(parsed, Problem):
        yield parsed
        return
    base = payload.url or payload.source
    feed_title = _text(parsed.feed, "title")
    table = load_table(ctx.options.outlets_file)
    seen: set[str] = set()
    for index, entry in enumerate(parsed.entries, start=1):
        link = _entry_link(entry, base)
        if link in seen:
            continue  # the same story listed twice
        if link:
            seen.add(link)
        fallbacks = _Fallbacks(
            title=_text(entry, "title"),
            published=_entry_date(entry),
            byline=_text(entry, "author"),
            # The feed's title names the outlet only when the outlet table cannot.
            sitename=feed_title if link and not _in_table(link, table) else None,
            external_id=_text(entry, "id"),
        )
        label = f"{payload.source}#entry{index}"
        if link:
            yield from _read_entry_page(link, entry, fallbacks, payload.source, ctx)
        else:
            yield _entry_text_draft(entry, fallbacks, label, None) or Problem(
                label, f"feed entry {_name(fallbacks)}has no link and too little text in the "
                       f"feed to be an article (under {MIN_ENTRY_WORDS} words)")


# -- the feed as a whole ---------------------------------------------------------------------

def _parse(payload: Payload) -> Any:
    """The parsed feed, or a Problem saying why these bytes are not a feed."""
    data = payload.data
    if not data.strip():
        return _not_a_feed(payload, "the response is empty")
    if looks_binary(data):
        return _not_a_feed(payload, "binary data")
    headers = {"content-location": payload.url or payload.source}
    if payload.content_type:
        headers["content-type"] = payload.content_type
    parsed = feedparser.parse(data, response_headers=headers)
    if parsed.get("version") or parsed.get("entries"):
        return parsed
    if _HTML_START.match(data[:4096]):
        found = _FeedLinkFinder.find(data, payload.url or payload.source)
        hint = f"; it links to a feed at {found}" if found else ""
        return _not_a_feed(payload, f"an HTML page{hint}")
    start = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if start[:1] in (b"{", b"["):
        return _not_a_feed(payload, "JSON data")
    if start[:1] != b"<":
        snippet = " ".join(start[:40].decode("utf-8", "replace").split())
        return _not_a_feed(payload, f"no XML in it; it starts with {snippet!r}")
    error = parsed.get("bozo_exception")
    if error is not None and "SAX" in type(error).__name__:
        # Only the message: feedparser rewrites the document, so its line numbers mislead.
        message = error.getMessage() if hasattr(error, "getMessage") else _first_line(error)
        return _not_a_feed(payload, f"not well-formed XML: {message}")
    root = _ROOT.search(start)
    if root:
        return _not_a_feed(payload, f"XML with the root element <{root[1].decode('ascii')}>")
    return _not_a_feed(payload, "XML, but neither RSS nor Atom")


def _not_a_feed(payload: Payload, reason: str) -> Problem:
    return Problem(payload.source, f"not an RSS or Atom feed ({reason})")


def _in_table(url: str, table: dict[str, str]) -> bool:
    # outlet_for_url falls back to the bare host when the table has no entry.
    return outlet_for_url(url, table) not in (None, domain_of(url))


# -- one entry -------------------------------------------------------------------------------

def _read_entry_page(link: str, entry: Any, fallbacks: _Fallbacks, feed: str,
                     ctx: Context) -> Iterator[Draft | Problem]:
    """The article at an entry's link, with the feed's fallbacks; a failure names the link."""
    try:
        page = ctx.fetch(link)
    except IngestError as exc:
        yield Problem(exc.source, f"{exc.message} (an entry of the feed {feed})")
        return
    refusal = _not_html(page, link)
    if refusal:
        yield Problem(link, f"{refusal} (an entry of the feed {feed})")
        return
    items = list(ctx.read(page, "html"))
    if not any(isinstance(item, Draft) for item in items):
        # The page had no article in it (a consent wall, a script-only page): the feed's own
        # text will do when it is long enough.
        rescue = _entry_text_draft(entry, fallbacks, link, page.url or link)
        if rescue:
            yield rescue
            return
        if not items:
            items = [Problem(link, "no article found on the page")]
    for item in items:
        if isinstance(item, Draft):
            yield _with_fallbacks(item, fallbacks, page.url or link)
        else:
            yield Problem(item.source, f"{item.message} (an entry of the feed {feed})")


def _not_html(page: Payload, link: str) -> str | None:
    """Why a fetched entry link is not an HTML page, or None when it is one."""
    mime = (page.content_type or "").split(";")[0].strip().lower()
    if mime in _HTML_TYPES:
        return None
    if mime in _VAGUE_TYPES and format_of(page, urlsplit(link).path) == "html":
        return None
    return f"not an HTML page (content type: {mime or 'unknown'}); refused"


def _with_fallbacks(draft: Draft, fb: _Fallbacks, url: str) -> Draft:
    return replace(
        draft,
        title=draft.title or fb.title,
        published=draft.published or fb.published,
        byline=draft.byline or fb.byline,
        sitename=draft.sitename or fb.sitename,
        url=draft.url or url,
        external_id=draft.external_id or fb.external_id,
    )


def _entry_text_draft(entry: Any, fb: _Fallbacks, source: str, url: str | None) -> Draft | None:
    """A draft from the text the feed carries for an entry, when it is long enough."""
    text = html_to_text(_entry_html(entry))
    if len(text.split()) < MIN_ENTRY_WORDS:
        return None
    language = None
    for part in entry.get("content") or ():
        language = language or part.get("language")
    return Draft(source=source, text=text, title=fb.title, sitename=fb.sitename, url=url,
                 byline=fb.byline, published=fb.published, language=language,
                 external_id=fb.external_id)


def _entry_html(entry: Any) -> str:
    # Full content (content:encoded, <atom:content>) beats a summary; the longest part wins.
    parts = [part.get("value") or "" for part in entry.get("content") or ()]
    best = max(parts, key=len, default="")
    summary = entry.get("summary") or ""
    return best if len(best) >= len(summary) else summary


def _entry_link(entry: Any, base: str) -> str | None:
    """The entry's article link as an absolute http(s) URL, or None."""
    candidates = [entry.get("link")]
    candidates += [ln.get("href") for ln in entry.get("links") or ()
                   if ln.get("rel", "alternate") == "alternate"]
    if entry.get("guidislink"):
        candidates.append(entry.get("id"))
    for candidate in candidates:
        if not candidate or not candidate.strip():
            continue
        url = urljoin(base, candidate.strip())
        if urlsplit(url).scheme in ("http", "https") and urlsplit(url).hostname:
            return url
    return None


def _entry_date(entry: Any) -> str | None:
    """The entry's publication (else update) date: ISO 8601 in UTC when feedparser parsed it."""
    for key in ("published", "updated", "created"):
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            try:
                return datetime(*parsed[:6], tzinfo=UTC).isoformat()
            except (TypeError, ValueError):
                pass
        raw = entry.get(key)
        if raw and raw.strip():
            return raw.strip()
    return None


def _name(fb: _Fallbacks) -> str:
    return f"{fb.title!r} " if fb.title else ""


# -- text helpers ----------------------------------------------------------------------------

def _text(element: Any, key: str) -> str | None:
    """A feed field as one line of plain text: feedparser marks the ones that hold HTML."""
    value = element.get(key)
    if not isinstance(value, str):
        return None
    kind = (element.get(f"{key}_detail") or {}).get("type", "text/plain")
    if kind in ("text/html", "application/xhtml+xml"):
        value = html_to_text(value)
    return " ".join(value.split()) or None


def _first_line(error: object) -> str:
    text = str(error) or type(error).__name__
    return text.splitlines()[0][:200]


_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
    "ol", "p", "pre", "section", "table", "tr", "ul",
})
_SKIP = frozenset({"script", "style", "noscript", "template", "iframe", "svg", "object",
                   "button", "form", "select"})


class _TextExtractor(HTMLParser):
    """HTML to paragraphs: block elements break paragraphs, <br> breaks lines, scripts vanish."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._current: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skipping += 1
        elif tag == "br":
            self._current.append("\n")
        elif tag in _BLOCK:
            self._flush()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _SKIP:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self._current.append(data)

    def _flush(self) -> None:
        text = "".join(self._current)
        self._current = []
        lines = [" ".join(line.split()) for line in text.split("\n")]
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            self.paragraphs.append(paragraph)

    def text(self) -> str:
        self.close()
        self._flush()
        return "\n\n".join(self.paragraphs)


def html_to_text(markup: str) -> str:
    """Plain text from an HTML fragment, one paragraph per block element."""
    if "<" not in markup and "&" not in markup:
        return "\n\n".join(p.strip() for p in re.split(r"\n\s*\n", markup) if p.strip())
    parser = _TextExtractor()
    parser.feed(markup)
    return parser.text()


class _FeedLinkFinder(HTMLParser):
    """Finds <link rel="alternate" type="application/rss+xml" href="..."> in an HTML page."""

    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.found: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "link" or self.found:
            return
        a = {k: (v or "") for k, v in attrs}
        rels = a.get("rel", "").lower().split()
        kind = a.get("type", "").lower()
        if "alternate" in rels and kind in ("application/rss+xml", "application/atom+xml") \
                and a.get("href"):
            self.found = urljoin(self.base, a["href"].strip())

    @classmethod
    def find(cls, data: bytes, base: str) -> str | None:
        finder = cls(base)
        head = data[:65536].decode("utf-8", errors="replace")
        try:
            finder.feed(head)
        except Exception:  # noqa: BLE001 - only a hint; a broken page gets none
            return None
        return finder.found

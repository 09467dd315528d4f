"""HTML pages: body and metadata (title, byline, date, site name, language) through trafilatura."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import trafilatura

from storylens.ingest.decode import decode_text
from storylens.ingest.registry import Context, Payload, register
from storylens.ingest.text import split_title
from storylens.models import Draft, Problem

NO_ARTICLE = "no article text found in the HTML page (a login, index or empty page?)"

# Where the charset and the language are declared: the <head>, near the start of the page.
_SNIFF = 16384
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_LANG = re.compile(
    r"""<html\b[^>]*?\blang\s*=\s*["']?\s*([a-z]{2,3})(?![a-z])"""
    r"""|<meta\b[^>]*?(?:og:locale|content-language)["'][^>]*?content\s*=\s*["']\s*([a-z]{2,3})(?![a-z])""",
    re.IGNORECASE,
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_DOCUMENT = re.compile(r"<(?:html|body|head)\b", re.IGNORECASE)
_TITLE = re.compile(r"<title\b[^>]*>([^<]{1,400})</title>", re.IGNORECASE)
# Labels that browsers read as windows-1252; pages often declare them while sending UTF-8.
_WESTERN = {"iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "ascii",
            "us-ascii", "windows-1252", "cp1252"}
# A paragraph of running prose: a few words ending like a sentence (headline lists and
# form labels do not).
_SENTENCE_END = re.compile(r"""[.!?…]["'\u201d\u2019)\]]*$""")
MIN_PROSE_WORDS = 15


@register("html")
def read_html(payload: Payload, ctx: Context) -> Iterator[Draft | Problem]:
    """Read one HTML page into a draft: main text as paragraphs, plus the page's metadata."""
    page = _XML_DECLARATION.sub("", _decode(payload), count=1)
    if not _DOCUMENT.search(page, 0, _SNIFF):  # a fragment (e.g. a JSON "html" field)
        page = f"<html><body>{page}</body></html>"
    doc = trafilatura.bare_extraction(
        page,
        url=payload.url,
        with_metadata=True,
        include_comments=False,
        include_images=False,
        include_links=False,
    )
    title = _clean(doc.title) if doc is not None else None
    paragraphs = _paragraphs(doc.text if doc is not None else None, title)
    if doc is None or not _is_article(paragraphs):
        yield Problem(payload.source, NO_ARTICLE)
        return
    url = payload.url or doc.url
    yield Draft(
        source=payload.source,
        text="\n\n".join(paragraphs),
        title=title,
        sitename=_sitename(doc.sitename, url, doc.url) or _title_suffix(page, title),
        url=url,
        byline=_clean(doc.author.replace("; ", ", ")) if doc.author else None,
        published=_published(page, doc.date),
        language=_language(page),
    )


_PUBLISHED_TIME = re.compile(
    r"""<meta\b[^>]*?(?:property|name|itemprop)\s*=\s*["'](?:article:published_time|og:published_time|"""
    r"""datePublished|pubdate)["'][^>]*?content\s*=\s*["']([^"']{10,40})["']""", re.IGNORECASE)


def _published(page: str, day: str | None) -> str | None:
    # trafilatura gives the day only; the page's own publication time (when it agrees on the
    # day) orders same-day copies, such as a wire story and its syndicated versions.
    match = _PUBLISHED_TIME.search(page, 0, _SNIFF * 4)
    if match and "T" in match.group(1) and (day is None or match.group(1).startswith(day)):
        return match.group(1)
    return day


def _decode(payload: Payload) -> str:
    # HTTP header, then <meta charset>, then UTF-8, then detection (decode_text does the rest).
    declared = payload.charset or _meta_charset(payload.data[:_SNIFF])
    if declared and declared.lower() in _WESTERN:
        declared = "utf-8" if _is_utf8(payload.data) else "cp1252"
    return decode_text(payload.data, payload.source, declared)


def _meta_charset(head: bytes) -> str | None:
    match = _META_CHARSET.search(head)
    return match[1].decode("ascii", "replace") if match else None


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _paragraphs(text: str | None, title: str | None) -> list[str]:
    # trafilatura writes one block (paragraph, heading, list item) per line.
    paragraphs = [line.strip() for line in (text or "").split("\n")]
    # Single words left over from bylines, ad slots and share bars ("By", "Advertisement", "—").
    paragraphs = [p for p in paragraphs if len(p) > 24 or _words(p) > 1 or _SENTENCE_END.search(p)]
    if paragraphs and title and _fold(paragraphs[0]) == _fold(title):
        paragraphs = paragraphs[1:]  # the headline, which is kept as the title
    return paragraphs


def _is_article(paragraphs: list[str]) -> bool:
    prose = 0
    for paragraph in paragraphs:
        words = paragraph.count(" ") + 1
        if words >= 5 and _SENTENCE_END.search(paragraph):
            prose += words
            if prose >= MIN_PROSE_WORDS:
                return True
    return False


def _sitename(sitename: str | None, *urls: str | None) -> str | None:
    # trafilatura falls back to the URL's host name; leave that to the outlet table instead.
    if not sitename:
        return None
    parts = [urlsplit(u) for u in urls if u]
    hosts = {h.lower().removeprefix("www.") for p in parts for h in (p.netloc, p.hostname) if h}
    if sitename.lower().removeprefix("www.") in hosts:
        return None
    return _clean(sitename)


def _title_suffix(page: str, title: str | None) -> str | None:
    # "Headline | Outlet" in <title>, when trafilatura found no site name but the same headline.
    match = _TITLE.search(page, 0, _SNIFF)
    if not match or not title:
        return None
    headline, outlet = split_title(html.unescape(" ".join(match[1].split())))
    return outlet if outlet and _fold(headline) == _fold(title) else None


def _words(text: str) -> int:
    return sum(1 for word in text.split() if any(c.isalnum() for c in word))


def _language(page: str) -> str | None:
    match = _LANG.search(page, 0, _SNIFF)
    return (match[1] or match[2]).lower() if match else None


def _clean(value: str | None) -> str | None:
    value = " ".join(value.split()) if value else None
    return value or None


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())

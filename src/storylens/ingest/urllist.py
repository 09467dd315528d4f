"""URL lists (e.g. feeds.txt): one http(s) URL a line, each fetched and read as a page or a feed.

Blank lines and lines starting with '#' are ignored, and so is a ' # comment' after a URL. Each URL
is read like a URL given on the command line: HTML pages and feeds are accepted, anything else is
refused with a message naming it; with the `feed` option every URL is read as a feed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from storylens.ingest.decode import decode_text
from storylens.ingest.registry import Context, Payload, register
from storylens.models import Draft, Problem

_TRAILING_COMMENT = re.compile(r"\s+#.*$")


def urls_in(content: str) -> Iterator[tuple[int, str]]:
    """(line number, text) for every line that is not blank or a comment."""
    for number, line in enumerate(content.splitlines(), start=1):
        line = _TRAILING_COMMENT.sub("", line.strip().lstrip("\ufeff"))
        if line and not line.startswith("#"):
            yield number, line


@register("urls")
def read_urllist(payload: Payload, ctx: Context) -> Iterator[Draft | Problem]:
    """Read every URL listed in the payload; a bad line is reported with its number."""
    content = decode_text(payload.data, payload.source, payload.charset)
    listed = list(urls_in(content))
    if not listed:
        yield Problem(payload.source, "no URLs in the list (only blank lines and comments)")
        return
    fmt = "feed" if ctx.options.feed else None
    seen: set[str] = set()
    for number, url in listed:
        if not _is_web_url(url):
            yield Problem(f"{payload.source}:{number}",
                          f"line {number} is not an http(s) URL: {url[:100]!r}")
            continue
        if url in seen:
            continue  # listed twice: once is enough
        seen.add(url)
        yield from ctx.read_url(url, fmt)


def _is_web_url(text: str) -> bool:
    try:
        parts = urlsplit(text)
        return parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in text
    except ValueError:  # e.g. a malformed IPv6 host
        return False

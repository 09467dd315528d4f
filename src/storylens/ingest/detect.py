"""Which reader fits an input: by extension first, then by content type, then by sniffing."""

from __future__ import annotations

import gzip
import io
import re
import zlib

from storylens.ingest.registry import Payload

_EXTENSIONS = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".warc": "warc", ".arc": "warc",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
}
_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_URL_LINE = re.compile(r"^https?://\S+(\s+#.*)?$")
GZIP_MAGIC = b"\x1f\x8b"


def strip_gz(name: str) -> str:
    """A file name without a trailing .gz."""
    return name[:-3] if name.lower().endswith(".gz") else name


def format_of(payload: Payload, name: str | None = None) -> str:
    """The format name of a payload ('text', 'html', 'json', 'jsonl', 'warc', 'feed', 'urls')."""
    head = _head(payload.data)
    if head.startswith((b"WARC/", b"filedesc://")):
        return "warc"
    by_name = _by_extension(name or payload.source)
    if by_name == "text" and _is_url_list(head):
        return "urls"
    if by_name:
        return by_name
    by_type = _by_content_type(payload.content_type)
    if by_type:
        return by_type if by_type != "xml" else ("feed" if _FEED_ROOT.search(head) else "html")
    return _sniff(head)


def _head(data: bytes) -> bytes:
    if data.startswith(GZIP_MAGIC):
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as f:
                return f.read(4096)
        except (OSError, EOFError, zlib.error):
            return data[:4096]
    return data[:4096]


def _by_extension(name: str) -> str | None:
    lower = strip_gz(name.lower())
    dot = lower.rfind(".")
    return _EXTENSIONS.get(lower[dot:]) if dot > lower.rfind("/") else None


def _by_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    mime = content_type.split(";")[0].strip().lower()
    if mime in ("text/html", "application/xhtml+xml"):
        return "html"
    if mime in ("application/rss+xml", "application/atom+xml", "application/rdf+xml"):
        return "feed"
    if mime in ("application/xml", "text/xml"):
        return "xml"
    if mime in ("application/json",):
        return "json"
    if mime in ("application/x-ndjson", "application/jsonl", "application/json-lines"):
        return "jsonl"
    if mime == "text/plain":
        return "text"
    return None


def _sniff(head: bytes) -> str:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        return "feed" if _FEED_ROOT.search(text) else "html"
    if text.startswith(b"["):
        return "json"
    if text.startswith(b"{"):
        lines = [ln for ln in text.splitlines() if ln.strip()]
        return "jsonl" if len(lines) > 1 and lines[1].lstrip().startswith(b"{") else "json"
    if _is_url_list(head):
        return "urls"
    return "text"


def _is_url_list(head: bytes) -> bool:
    try:
        lines = head.decode("utf-8", errors="strict").splitlines()
    except UnicodeDecodeError:
        return False
    lines = [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    return bool(lines) and all(_URL_LINE.match(ln) for ln in lines)


def is_web_kind(fmt: str, content_type: str | None = None) -> bool:
    """True for what a fetched URL may be (a page or a feed), by format and declared content type."""
    if fmt not in ("html", "feed"):
        return False
    mime = (content_type or "").split(";")[0].strip().lower()
    # A declared type wins over the URL's extension: /photo.html served as image/png is no page.
    declared = _by_content_type(mime)
    return mime in ("", "application/octet-stream") or declared in ("html", "feed", "xml", "text")

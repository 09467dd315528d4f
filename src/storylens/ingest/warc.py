"""WARC and WARC.gz web archives: every successful HTML response record becomes an article."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from storylens.ingest.html import NO_ARTICLE
from storylens.ingest.registry import Context, Payload, register
from storylens.models import Draft, Problem

_HTML_TYPES = ("text/html", "application/xhtml+xml")


@register("warc")
def read_warc(payload: Payload, ctx: Context) -> Iterator[Draft | Problem]:
    """Read every 2xx HTML response in a WARC (or ARC, gzipped or not) through the HTML reader."""
    archive = ArchiveIterator(io.BytesIO(payload.data))
    reader = archive.reader  # kept: the iterator drops it when the archive ends
    records = iter(archive)
    complete = end = 0
    last = None
    while True:
        try:
            record = next(records, None)
            if record is None:
                if payload.data[end:].strip() or not _ends_cleanly(payload.data, end, last):
                    reason = f"record {complete + 1} is cut short or malformed"
                    break
                if not complete:
                    yield Problem(payload.source, "not a WARC file: no records in it")
                return
            item = _item(record, payload.source, complete + 1)
            archive.read_to_end()  # so that a record cut short shows
        except Exception as exc:  # a damaged archive makes warcio's parsers raise all sorts
            reason = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
            break
        if not _is_whole(record, reader):
            reason = f"record {complete + 1} is cut short or malformed"
            break
        complete += 1
        end, last = sum(archive.member_info), record
        if isinstance(item, Payload):
            # A crawl holds index, login and error pages by nature: skipped, not failures.
            for read in ctx.read(item, "html"):
                yield replace(read, skip=True) if isinstance(read, Problem) and read.message == NO_ARTICLE \
                    else read
        elif item is not None:
            yield item
    if complete == 0:
        yield Problem(payload.source, f"not a WARC file, or corrupt from the start ({reason})")
        return
    noun = "record" if complete == 1 else "records"
    yield Problem(payload.source, f"truncated or corrupt WARC: stopped after {complete} complete "
                                  f"{noun} ({reason})")


def _item(record: ArcWarcRecord, source: str, number: int) -> Payload | Problem | None:
    # An HTML response with a 2xx status (or an HTML resource record) as a payload; None for
    # anything else, and for an empty body (a 204, a HEAD) which is no page at all.
    if record.rec_type == "response":
        if record.http_headers is None or not record.http_headers.get_statuscode().startswith("2"):
            return None
        content_type = record.http_headers.get_header("Content-Type")
    elif record.rec_type == "resource":
        content_type = record.rec_headers.get_header("Content-Type")
    else:
        return None
    mime, _, params = (content_type or "").partition(";")
    if mime.strip().lower() not in _HTML_TYPES:
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    where = f"{source}#{uri or f'record-{number}'}"
    try:
        body = record.content_stream().read()  # undoes chunked and gzip/br transfer encodings
    except Exception as exc:  # whatever the decoder raises: this record only
        return Problem(where, f"cannot decode the HTTP body ({type(exc).__name__}: {exc})")
    if not body.strip():
        return None
    return Payload(
        source=where,
        data=body,
        url=uri if uri.startswith(("http://", "https://")) else None,
        content_type=content_type,
        charset=_charset(params),
    )


def _charset(params: str) -> str | None:
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip(" \"'"):
            return value.strip(" \"'")
    return None


def _ends_cleanly(data: bytes, end: int, last: ArcWarcRecord | None) -> bool:
    # In an uncompressed WARC two CRLFs follow each record's block; a cut in the last record's
    # headers can leave warcio a record that looks whole but lacks them. (Gzipped members are
    # checked by _is_whole; ARC records end with a single newline.)
    if last is None or data.startswith(b"\x1f\x8b") or last.format != "warc":
        return True
    return data[end:end + 4] == b"\r\n\r\n" or data[end:end + 2] == b"\n\n"


def _is_whole(record: ArcWarcRecord, reader: object) -> bool:
    # Whole: it declared its length, every declared byte was there and, when gzipped, its gzip
    # member ended properly (a cut trailer leaves the decompressor short of its end).
    if record.length is None or getattr(record.raw_stream, "limit", 0) > 0:
        return False
    if record.format.startswith("arc") and not str(record.rec_headers.get_header("length")).isdigit():
        return False  # warcio takes any line of five words for an ARC header
    decompressor = getattr(reader, "decompressor", None)
    return decompressor is None or getattr(decompressor, "eof", True)

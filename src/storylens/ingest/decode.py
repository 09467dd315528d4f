"""Bytes to text: refuse empty and binary input, detect the charset when it is not UTF-8."""

from __future__ import annotations

import charset_normalizer

from storylens.errors import IngestError

_SNIFF = 8192
# Control characters other than tab, newline, carriage return, form feed and escape.
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def looks_binary(data: bytes) -> bool:
    """True when the bytes look like a binary file rather than text."""
    head = data[:_SNIFF]
    if b"\x00" in head:
        return not _is_utf16(head)
    if not head:
        return False
    controls = len(head) - len(head.translate(None, _CONTROL))
    return controls / len(head) > 0.05


def _is_utf16(head: bytes) -> bool:
    return head.startswith((b"\xff\xfe", b"\xfe\xff"))


def decode_text(data: bytes, source: str, declared: str | None = None) -> str:
    """Decode bytes to text, or raise IngestError naming the source and the problem."""
    if not data.strip():
        raise IngestError(source, "empty input: there is no text in it")
    if looks_binary(data):
        raise IngestError(source, "binary data, not text (is this the right file?)")
    for encoding in _candidates(data, declared):
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    western = _as_western(data)
    if western is not None:
        return western
    best = charset_normalizer.from_bytes(data).best()
    if best is None or best.encoding is None:
        raise IngestError(source, "undecodable text: no character encoding fits these bytes")
    return str(best)


def _candidates(data: bytes, declared: str | None) -> list[str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return ["utf-8-sig"]
    if _is_utf16(data):
        return ["utf-16"]
    return [e for e in (declared, "utf-8") if e]


def _as_western(data: bytes) -> str | None:
    # Undeclared 8-bit text is most often Windows-1252 (the WHATWG default for Western
    # locales), which charset detectors confuse with other Latin code pages. Accept it when
    # accented letters stay a minority, as in any Western European language; Cyrillic or
    # Greek read as 1252 turns almost every letter into an accented one.
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = [c for c in text if c.isalpha()]
    accented = sum(1 for c in letters if not c.isascii())
    return text if letters and accented / len(letters) < 0.3 else None

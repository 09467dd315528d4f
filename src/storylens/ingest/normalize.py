"""Text normalisation, article identity, dates and language."""

from __future__ import annotations

import email.utils
import hashlib
import re
import unicodedata
from datetime import UTC, date, datetime

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_BLANKS = re.compile(r"\n{3,}")
_QUOTES = (("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"'),
           ("\u2013", "-"), ("\u2014", "-"))


def clean_text(text: str) -> str:
    """The text as stored: NFC, one kind of newline, no trailing spaces, at most one blank line."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def identity_text(text: str) -> str:
    """The text reduced to what makes two articles the same: case, spacing and quote style go."""
    text = unicodedata.normalize("NFKC", text)
    for curly, plain in _QUOTES:  # str.replace beats str.translate with a dict several times over
        if curly in text:
            text = text.replace(curly, plain)
    return " ".join(text.casefold().split())


def article_id(text: str) -> str:
    """The article's id: the first 16 hex digits of the SHA-256 of its identity text."""
    return hashlib.sha256(identity_text(text).encode("utf-8")).hexdigest()[:16]


def normalise_date(raw: str | None) -> str | None:
    """An ISO 8601 date or date-time (UTC) for a date in any common format, or None."""
    if raw is None:
        return None
    raw = raw.strip()
    if not raw:
        return None
    parsed = _parse_iso(raw) or _parse_rfc2822(raw) or _parse_free(raw)
    if parsed is None:
        return None
    if isinstance(parsed, datetime):
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(UTC)
        if (parsed.hour, parsed.minute, parsed.second) == (0, 0, 0) and parsed.tzinfo is None:
            return parsed.date().isoformat()
        return parsed.isoformat()
    return parsed.isoformat()


def _parse_iso(raw: str) -> date | datetime | None:
    try:
        if len(raw) == 10:
            return date.fromisoformat(raw)
        return datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None


def _parse_rfc2822(raw: str) -> datetime | None:
    try:
        return email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None


def _parse_free(raw: str) -> datetime | None:
    import dateparser  # slow to import; most dates never need it

    return dateparser.parse(raw, settings={"PREFER_DAY_OF_MONTH": "first",
                                           "REQUIRE_PARTS": ["year"]})


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the text's language, or None when it is too short to tell."""
    sample = text[:3000]
    if len(sample.split()) < 3:
        return None
    import py3langid  # loads its bundled model on first use

    code, _ = py3langid.classify(sample)
    return code

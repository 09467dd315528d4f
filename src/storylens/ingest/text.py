"""Plain text: the first non-empty line is the title, optionally ending in ' – Outlet'."""

from __future__ import annotations

import re
from collections.abc import Iterator

from storylens.ingest.decode import decode_text
from storylens.ingest.registry import Context, Payload, register
from storylens.models import Draft, Problem

# "Headline – Outlet", "Headline - Outlet", "Headline | Outlet": the separator needs spaces
# around it so hyphenated words in headlines are left alone.
_OUTLET_SUFFIX = re.compile(r"^(?P<title>.+?)\s+[\u2013\u2014|-]\s+(?P<outlet>[^\u2013\u2014|]{2,60})$")


def split_title(line: str) -> tuple[str, str | None]:
    """Split a headline line into (title, outlet or None)."""
    line = line.strip()
    match = _OUTLET_SUFFIX.match(line)
    if match and _looks_like_outlet(match["outlet"]):
        return match["title"].strip(), match["outlet"].strip()
    return line, None


def _looks_like_outlet(name: str) -> bool:
    # Outlet names are short and capitalised ("Times of India", "BBC News", "the Guardian").
    words = name.split()
    return 0 < len(words) <= 6 and any(w[:1].isupper() for w in words) and not name.endswith(".")


@register("text")
def read_text(payload: Payload, ctx: Context) -> Iterator[Draft | Problem]:
    """Read one plain-text article."""
    content = decode_text(payload.data, payload.source, payload.charset)
    lines = content.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = next(i for i, line in enumerate(lines) if line.strip())
    title, outlet = split_title(lines[start])
    body = "\n".join(lines[start + 1 :]).strip()
    if not body:
        yield Problem(payload.source, "no article text after the title line")
        return
    yield Draft(source=payload.source, text=body, title=title, outlet=outlet, url=payload.url)

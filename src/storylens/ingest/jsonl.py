"""JSON and JSON Lines: objects with id, url, outlet, title, published, text (or html)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from storylens.ingest.decode import decode_text
from storylens.ingest.registry import Context, Payload, register
from storylens.models import Draft, Problem

# Only these fields are read; anything else (e.g. evaluation labels) is never looked at.
FIELDS = ("id", "url", "outlet", "title", "published", "byline", "author", "language", "text", "html")


@register("jsonl")
def read_jsonl(payload: Payload, ctx: Context) -> Iterator[Draft | Problem]:
    """Read one article per line; a bad line is reported with its number and the rest go on."""
    content = decode_text(payload.data, payload.source, payload.charset)
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{payload.source}:{number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Problem(where, f"malformed JSON on line {number} ({exc.msg}, column {exc.colno})")
            continue
        yield from _from_object(obj, where, ctx)


@register("json")
def read_json(payload: Payload, ctx: Context) -> Iterator[Draft | Problem]:
    """Read a JSON object, an array of objects, or {"articles": [...]}."""
    content = decode_text(payload.data, payload.source, payload.charset)
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        yield Problem(payload.source, f"malformed JSON: {exc.msg} at line {exc.lineno}, "
                                      f"column {exc.colno}")
        return
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    items = data if isinstance(data, list) else [data]
    for index, obj in enumerate(items):
        where = payload.source if len(items) == 1 else f"{payload.source}[{index}]"
        yield from _from_object(obj, where, ctx)


def _from_object(obj: Any, where: str, ctx: Context) -> Iterator[Draft | Problem]:
    if not isinstance(obj, dict):
        yield Problem(where, f"expected a JSON object, found {type(obj).__name__}")
        return
    fields = {k: _string(obj.get(k)) for k in FIELDS}
    # A headline-only item (an aggregator's dump) is its own text: there is nothing else to read.
    text = fields["text"] or (fields["title"] if not fields["html"] else None)
    if text:
        yield Draft(
            source=where,
            text=text,
            title=fields["title"],
            outlet=fields["outlet"],
            url=fields["url"],
            byline=fields["byline"] or fields["author"],
            published=fields["published"],
            language=fields["language"],
            external_id=fields["id"],
        )
    elif fields["html"]:
        page = Payload(source=where, data=fields["html"].encode("utf-8"), url=fields["url"])
        for item in ctx.read(page, "html"):
            yield _overlay(item, fields) if isinstance(item, Draft) else item
    else:
        yield Problem(where, "no 'text', 'html' or 'title' field")


def _overlay(draft: Draft, fields: dict[str, str | None]) -> Draft:
    # What the JSON says explicitly wins over what was extracted from its HTML.
    from dataclasses import replace

    return replace(
        draft,
        title=fields["title"] or draft.title,
        outlet=fields["outlet"] or draft.outlet,
        published=fields["published"] or draft.published,
        byline=fields["byline"] or fields["author"] or draft.byline,
        language=fields["language"] or draft.language,
        external_id=fields["id"],
    )


def _string(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):  # e.g. a list of authors
        return ", ".join(str(v) for v in value) or None
    return str(value)

"""From a reader's draft to a stored article: clean text, identity, outlet, date, language."""

from __future__ import annotations

from datetime import UTC, datetime

from storylens.errors import IngestError
from storylens.ingest.normalize import article_id, clean_text, detect_language, normalise_date
from storylens.ingest.outlets import canonical_outlet, outlet_for_url
from storylens.models import Article, Draft

MIN_WORDS = 5


def build_article(draft: Draft, outlets: dict[str, str], outlet_override: str | None = None) -> Article:
    """Normalise a draft into an Article, or raise IngestError when it has no usable text."""
    text = clean_text(draft.text)
    if len(text.split()) < MIN_WORDS:
        raise IngestError(draft.source, f"no article text (fewer than {MIN_WORDS} words)")
    title = clean_text(draft.title).replace("\n", " ") if draft.title else None
    outlet = (
        outlet_override
        or (canonical_outlet(draft.outlet, draft.url, outlets) if draft.outlet else None)
        or draft.sitename
        or (outlet_for_url(draft.url, outlets) if draft.url else None)
    )
    return Article(
        id=article_id(text),
        text=text,
        source=draft.source,
        ingested_at=datetime.now(UTC).isoformat(timespec="seconds"),
        title=title or None,
        outlet=outlet,
        url=draft.url,
        byline=draft.byline,
        published=normalise_date(draft.published),
        language=_language(draft.language, text),
        external_id=draft.external_id,
    )


def _language(declared: str | None, text: str) -> str:
    # A declared language ("en-GB", "en_US") wins; "und" (ISO 639-2) when nobody can tell.
    if declared and declared.strip():
        return declared.strip().lower().replace("_", "-").split("-")[0]
    return detect_language(text) or "und"

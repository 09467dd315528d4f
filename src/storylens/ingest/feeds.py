"""Placeholder: being written now."""

from storylens.ingest.registry import register


@register("feed")
def read_feeds(payload, ctx):
    """Not written yet."""
    raise NotImplementedError("feed reader")

"""Placeholder: being written now."""

from storylens.ingest.registry import register


@register("urls")
def read_urllist(payload, ctx):
    """Not written yet."""
    raise NotImplementedError("urls reader")

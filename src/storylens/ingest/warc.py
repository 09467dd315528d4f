"""Placeholder: being written now."""

from storylens.ingest.registry import register


@register("warc")
def read_warc(payload, ctx):
    """Not written yet."""
    raise NotImplementedError("warc reader")

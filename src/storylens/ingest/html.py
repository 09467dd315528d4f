"""Placeholder: being written now."""

from storylens.ingest.registry import register


@register("html")
def read_html(payload, ctx):
    """Not written yet."""
    raise NotImplementedError("html reader")

"""Stage 4 of the pipeline: copies, near-duplicates and rewrites between articles, with direction."""

from storylens.stories.copies import (
    CopyCandidate,
    CopyConfig,
    CopyDetector,
    CopyLink,
    Signature,
    compare,
    exact_copies,
    lineage,
    signature_of,
    signatures_of,
    voices,
)

__all__ = ["CopyCandidate", "CopyConfig", "CopyDetector", "CopyLink", "Signature", "compare",
           "exact_copies", "lineage", "signature_of", "signatures_of", "voices"]

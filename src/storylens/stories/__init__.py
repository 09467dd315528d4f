"""Stages 4 and 5: copies, near-duplicates and rewrites (with direction), and story clustering."""

from storylens.stories.cluster import Story, StoryCandidate, StoryClusterer, StoryConfig
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

__all__ = ["CopyCandidate", "CopyConfig", "CopyDetector", "CopyLink", "Signature", "Story", "StoryCandidate",
           "StoryClusterer", "StoryConfig", "compare", "exact_copies", "lineage", "signature_of",
           "signatures_of", "voices"]

"""Sentence embeddings for benchmarks, cached on disk: the same texts are embedded once per machine."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import numpy as np


def cached_embeddings(texts: list[str], cache: Path) -> dict[str, np.ndarray]:
    """text -> embedding, from a cache file keyed by the texts, or computed and cached."""
    from storylens.analyze.vectors import embed

    key = hashlib.sha1("\n".join(texts).encode("utf-8")).hexdigest()[:16]
    path = cache / f"minilm-{key}.npy"
    if path.exists():
        vectors = np.load(path)
    else:
        print(f"embedding {len(texts)} sentences (cached in {path}) ...", file=sys.stderr)
        vectors = embed(texts)
        cache.mkdir(parents=True, exist_ok=True)
        np.save(path, vectors)
    return dict(zip(texts, vectors, strict=True))

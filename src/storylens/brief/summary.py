"""The story summary: a few source sentences, unchanged, chosen for centrality, support and position.

Each candidate sentence gets a score from
- centrality: cosine to the story's centroid, where every independent voice weighs the same (forty
  copies of one wire story must not pull the centre towards themselves);
- support: how closely the other independent voices say the same thing (the mean, over the other
  voices, of the best cosine to any of their sentences), so content carried by several voices ranks up;
- position: news puts the gist first, so early sentences of an article rank up;
- penalties for quotations (a quote is someone's view, rarely a neutral summary line) and very short
  sentences.
Sentences are then picked greedily with maximal marginal relevance (score minus similarity to what is
already picked), and a sentence too close to a picked one is never taken. The weights were chosen on
the NeuS train split by `bench/summaries.py`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Candidate:
    """One source sentence that may go into the summary."""

    article_id: str
    outlet: str
    voice: str              # independent-voice key: copies of one another share a voice
    index: int              # sentence index within its article (0 = first sentence of the body)
    start: int
    end: int                # character span in the article text
    text: str
    vector: np.ndarray      # unit-length embedding
    is_quote: bool = False  # sentence mostly inside quotation marks (usually a poor summary line)


@dataclass(frozen=True)
class SummaryWeights:
    """How the summariser weighs its evidence (chosen on NeuS train by bench/summaries.py)."""

    centrality: float = 1.0
    support: float = 1.0
    position: float = 0.3
    quote: float = 0.3          # subtracted for a quotation
    short: float = 0.3          # subtracted in full for a sentence of one word, nothing from short_words on
    short_words: int = 10
    diversity: float = 0.3      # MMR: share of the score given to novelty against the picked sentences
    duplicate: float = 0.85     # cosine at which a sentence repeats a picked one and is never taken


WEIGHTS = SummaryWeights()
_CHUNK = 2048  # rows of the similarity matrix computed at once: bounded memory for large stories


def sentence_scores(candidates: Sequence[Candidate], weights: SummaryWeights = WEIGHTS) -> np.ndarray:
    """Each candidate's summary-worthiness before redundancy is considered."""
    n = len(candidates)
    if n == 0:
        return np.zeros(0)
    vectors = np.stack([c.vector for c in candidates]).astype(np.float32, copy=False)
    voices = [c.voice for c in candidates]
    keys = {v: k for k, v in enumerate(sorted(set(voices)))}
    voice_of = np.array([keys[v] for v in voices])

    # Centroid with one vote per voice; inside a voice each distinct text counts once, so a copy
    # repeating its source's sentences does not shift the voice's centre.
    distinct: dict[tuple[int, str], int] = {}
    for i, c in enumerate(candidates):
        distinct.setdefault((int(voice_of[i]), " ".join(c.text.split()).casefold()), i)
    rows = np.fromiter(distinct.values(), dtype=int)
    sums = np.zeros((len(keys), vectors.shape[1]))
    np.add.at(sums, voice_of[rows], vectors[rows])
    per_voice = sums / np.bincount(voice_of[rows], minlength=len(keys))[:, None]
    centroid = per_voice.mean(axis=0)
    centroid /= max(float(np.linalg.norm(centroid)), 1e-9)
    centrality = vectors @ centroid

    support = np.zeros(n)
    if len(keys) > 1:
        # Best cosine of each sentence to each voice: columns grouped by voice, then a max per group.
        order = np.argsort(voice_of, kind="stable")
        starts = np.flatnonzero(np.r_[True, np.diff(voice_of[order]) != 0])
        grouped = vectors[order].T
        best = np.empty((n, len(keys)), dtype=np.float32)
        for lo in range(0, n, _CHUNK):
            best[lo:lo + _CHUNK] = np.maximum.reduceat(vectors[lo:lo + _CHUNK] @ grouped, starts, axis=1)
        best[np.arange(n), voice_of] = 0.0  # a voice does not support itself
        support = best.sum(axis=1) / (len(keys) - 1)

    index = np.array([c.index for c in candidates], dtype=np.float64)
    position = 1.0 / (1.0 + index)
    quote = np.array([c.is_quote for c in candidates], dtype=np.float64)
    words = np.array([len(_WORD.findall(c.text)) for c in candidates], dtype=np.float64)
    shortness = np.clip(1.0 - (words - 1) / max(weights.short_words - 1, 1), 0.0, 1.0)
    return (weights.centrality * centrality + weights.support * support + weights.position * position
            - weights.quote * quote - weights.short * shortness)


def summarise(candidates: Sequence[Candidate], max_sentences: int = 4,
              weights: SummaryWeights = WEIGHTS) -> list[Candidate]:
    """The summary's sentences, in reading order for the summary."""
    if not candidates or max_sentences <= 0:
        return []
    score = sentence_scores(candidates, weights)
    vectors = np.stack([c.vector for c in candidates]).astype(np.float32, copy=False)
    texts = [" ".join(c.text.split()).casefold() for c in candidates]
    closest = np.full(len(candidates), -1.0)  # each candidate's highest cosine to a picked sentence
    available = np.ones(len(candidates), dtype=bool)
    picked: list[int] = []
    while len(picked) < max_sentences and available.any():
        redundancy = np.maximum(closest, 0.0) if picked else np.zeros(len(candidates))
        mmr = (1 - weights.diversity) * score - weights.diversity * redundancy
        mmr[~available] = -np.inf
        best = int(np.argmax(mmr))
        picked.append(best)
        available[best] = False
        closest = np.maximum(closest, vectors @ vectors[best])
        # Never two near-identical lines: close in meaning, or the same words (copies of one sentence).
        available &= closest < weights.duplicate
        available &= np.array([t != texts[best] for t in texts])
    return _reading_order([candidates[i] for i in picked])


def _reading_order(picked: list[Candidate]) -> list[Candidate]:
    # Most important first, but two sentences of one article keep their order in that article: each
    # article's sentences fill the slots that article holds, sorted by index.
    out = list(picked)
    for article in {c.article_id for c in picked}:
        slots = [i for i, c in enumerate(picked) if c.article_id == article]
        for slot, c in zip(slots, sorted((picked[i] for i in slots), key=lambda c: c.index), strict=True):
            out[slot] = c
    return out

"""Whether two sentences from different articles state the same claim: embeddings plus lexical evidence.

A small logistic regression over pair features (embedding cosine, word overlap, fuzzy string
similarity, agreement of numbers and names, length, negation), fitted by `bench/align.py --learn` on
MSRP and shipped as `data/same_claim.json`; inference needs numpy and rapidfuzz only.

`same_claim_matrix` scores every pair of two sentence lists. The cosine of all pairs is one matrix
product; the lexical features (about 0.3 ms a pair) are computed only for pairs whose cosine reaches
`LEXICAL_FLOOR` (and, with `top_k`, only for each sentence's k nearest neighbours on the other side),
and the other pairs get the probability of a cosine-only logistic model fitted on the same data,
which is near zero below the floor.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz

MODEL_FILE = Path(__file__).resolve().parent.parent / "data" / "same_claim.json"
# Below this cosine no MSRP pair reaches the threshold with the full model (the lowest that does is
# 0.40), so lexical features are not worth computing there: the pair gets the cosine-only probability.
LEXICAL_FLOOR = 0.4

FEATURES = (
    "cosine",             # embedding cosine
    "cosine_sq",          # lets the model bend the cosine's effect
    "jaccard",            # content-stem Jaccard
    "containment_min",    # share of the less-covered sentence's content stems found in the other
    "containment_max",    # ... of the better-covered one (one sentence may add detail)
    "bigram_jaccard",     # word-order evidence
    "words1_min", "words1_max",  # containment of word n-grams (stop words kept), both ways: phrasing
    "words2_min", "words2_max",
    "words3_min", "words3_max",
    "words4_min", "words4_max",
    "token_set_ratio",    # rapidfuzz, 0..1
    "token_sort_ratio",
    "ratio",
    "partial_ratio",      # the shorter sentence as a near-substring of the longer
    "trigram_jaccard",    # character trigrams: robust to inflection and spelling variants
    "unmatched_min",      # log(1 + content stems found in only one sentence), the smaller side
    "unmatched_max",      # ... the larger side (added or dropped detail)
    "numbers_equal",      # both carry numbers and the same ones
    "numbers_differ",     # share of the numbers not found in both (0 when neither has any)
    "numbers_one_side",   # only one of the two carries numbers
    "names_jaccard",      # capitalised tokens / acronyms (1 when neither has any)
    "names_unmatched",    # count of names in only one sentence (capped)
    "length_ratio",       # shorter / longer, in words
    "length_difference",  # |words a - words b| / 10
    "negation_mismatch",  # one sentence negated, the other not
)

_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*|\d[\d,.]*\d|\d")
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
_STOP = frozenset([
    "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "by", "for", "with",
    "from", "as", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does",
    "did", "this", "that", "these", "those", "it", "its", "it's", "he", "she", "they", "them", "their",
    "his", "her", "we", "our", "you", "your", "i", "me", "my", "said", "says", "say", "told", "also",
    "which", "who", "whom", "whose", "what", "when", "where", "while", "than", "then", "there", "here",
    "about", "after", "before", "over", "into", "onto", "out", "up", "down", "so", "such", "not", "no",
    "would", "will", "could", "should", "can", "may", "might", "must", "shall", "just", "more", "most",
    "very", "per", "s"
])
_NEGATION = frozenset([
    "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without", "cannot", "n't",
    "isn't", "wasn't", "aren't", "weren't", "don't", "doesn't", "didn't", "won't", "wouldn't", "can't",
    "couldn't", "shouldn't", "hasn't", "haven't", "hadn't"
])
_SUFFIXES = ("ingly", "edly", "ings", "ing", "ies", "ied", "ed", "es", "ly", "s")


def _stem(word: str) -> str:
    # A light suffix stripper: enough to match "announced" / "announces", cheap and dependency-free.
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


@dataclass(frozen=True)
class ClaimText:
    """One sentence as the model sees it."""

    text: str
    vector: np.ndarray  # unit-length embedding (from vectors.embed)


@dataclass(frozen=True)
class _Lexical:
    lower: str
    trigrams: frozenset[str]
    ngrams: tuple[frozenset[tuple[str, ...]], ...]  # word 1- to 4-grams
    content: frozenset[str]
    bigrams: frozenset[tuple[str, str]]
    numbers: frozenset[str]
    names: frozenset[str]
    words: int
    negated: bool


def _numbers(text: str) -> frozenset[str]:
    # "1,200" and "1200" are one number; a trailing ".0" or sentence-final dot is not a difference.
    out = set()
    for match in _NUMBER.findall(text):
        value = match.replace(",", "").rstrip(".")
        if "." in value:
            value = value.rstrip("0").rstrip(".")
        out.add(value)
    return frozenset(out)


@lru_cache(maxsize=65536)  # a story's sentences are compared many times over
def _lexical(text: str) -> _Lexical:
    tokens = _WORD.findall(text)
    lowered = [t.lower() for t in tokens]
    stems = [_stem(w) for w in lowered if w not in _STOP]
    # Capitalised tokens after the first word (the first is capitalised anyway), plus all-caps acronyms.
    names = {t.lower() for i, t in enumerate(tokens)
             if t[0].isupper() and (i > 0 or (len(t) > 1 and t.isupper())) and t.lower() not in _STOP}
    negated = sum(w in _NEGATION or w.endswith("n't") for w in lowered) % 2 == 1
    lower = " ".join(lowered)
    ngrams = tuple(frozenset(tuple(lowered[i:i + n]) for i in range(len(lowered) - n + 1))
                   for n in range(1, 5))
    return _Lexical(lower=lower, trigrams=frozenset(lower[i:i + 3] for i in range(len(lower) - 2)),
                    ngrams=ngrams, content=frozenset(stems),
                    bigrams=frozenset(zip(stems, stems[1:], strict=False)), numbers=_numbers(text),
                    names=frozenset(names), words=len(tokens), negated=negated)


def _overlap(a: frozenset, b: frozenset) -> tuple[float, float, float]:
    """(Jaccard, min containment, max containment); empty sets count as full agreement."""
    if not a or not b:
        return (1.0, 1.0, 1.0) if not a and not b else (0.0, 0.0, 0.0)
    common = len(a & b)
    ca, cb = common / len(a), common / len(b)
    return common / (len(a) + len(b) - common), min(ca, cb), max(ca, cb)


def _features(a: _Lexical, b: _Lexical, cosine: float) -> list[float]:
    jaccard, cmin, cmax = _overlap(a.content, b.content)
    bigram = _overlap(a.bigrams, b.bigrams)[0]
    if a.numbers or b.numbers:
        union = a.numbers | b.numbers
        differ = len(a.numbers ^ b.numbers) / len(union)
        equal = float(a.numbers == b.numbers)
        one_side = float(not a.numbers or not b.numbers)
    else:
        differ = equal = one_side = 0.0
    names_j = _overlap(a.names, b.names)[0]
    unmatched = min(len(a.names ^ b.names), 5) / 5
    length = min(a.words, b.words) / max(a.words, b.words, 1)
    only_a, only_b = len(a.content - b.content), len(b.content - a.content)
    phrasing = []
    for ga, gb in zip(a.ngrams, b.ngrams, strict=True):
        phrasing += _overlap(ga, gb)[1:] if ga and gb else (0.0, 0.0)
    return [cosine, cosine * cosine, jaccard, cmin, cmax, bigram, *phrasing,
            fuzz.token_set_ratio(a.lower, b.lower) / 100, fuzz.token_sort_ratio(a.lower, b.lower) / 100,
            fuzz.ratio(a.lower, b.lower) / 100, fuzz.partial_ratio(a.lower, b.lower) / 100,
            _overlap(a.trigrams, b.trigrams)[0], math.log1p(min(only_a, only_b)),
            math.log1p(max(only_a, only_b)), equal, differ, one_side, names_j, unmatched, length,
            abs(a.words - b.words) / 10, float(a.negated != b.negated)]


def pair_features(a: str, b: str, cosine: float) -> np.ndarray:
    """The model's feature vector (order: FEATURES) for two sentences with the given embedding cosine."""
    return np.asarray(_features(_lexical(a), _lexical(b), float(cosine)), dtype=np.float64)


@dataclass(frozen=True)
class _Model:
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    intercept: float
    cosine_weight: float     # the cosine-only fallback model for pairs below the floor
    cosine_intercept: float
    threshold: float

    def probability(self, features: np.ndarray) -> np.ndarray:
        z = ((features - self.mean) / self.scale) @ self.weights + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def cosine_probability(self, cosine: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(cosine * self.cosine_weight + self.cosine_intercept)))


@lru_cache(maxsize=1)
def _model() -> _Model:
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    if list(data["features"]) != list(FEATURES):
        raise ValueError(f"{MODEL_FILE} was fitted on other features: run bench/align.py --learn")
    return _Model(mean=np.asarray(data["mean"]), scale=np.asarray(data["scale"]),
                  weights=np.asarray([data["weights"][f] for f in FEATURES]),
                  intercept=float(data["intercept"]), cosine_weight=float(data["cosine_only"]["weight"]),
                  cosine_intercept=float(data["cosine_only"]["intercept"]),
                  threshold=float(data["threshold"]))


def _threshold() -> float:
    try:
        return _model().threshold
    except (OSError, KeyError, ValueError):
        return math.nan  # no fitted model yet (the bench is about to write one)


SAME_CLAIM_THRESHOLD: float = _threshold()


def probabilities(features: np.ndarray) -> np.ndarray:
    """Same-claim probability for rows of pair features (order: FEATURES)."""
    return _model().probability(np.atleast_2d(features))


def same_claim_matrix(a: Sequence[ClaimText], b: Sequence[ClaimText], floor: float = LEXICAL_FLOOR,
                      top_k: int | None = None) -> np.ndarray:
    """Probability that a[i] and b[j] state the same claim (len(a) × len(b))."""
    model = _model()
    if not a or not b:
        return np.zeros((len(a), len(b)))
    cosine = np.clip(np.stack([c.vector for c in a]) @ np.stack([c.vector for c in b]).T, -1.0, 1.0)
    out = model.cosine_probability(cosine.astype(np.float64))
    candidates = cosine >= floor
    if top_k is not None and top_k < min(cosine.shape):
        # Large stories: lexical evidence only for each sentence's k nearest neighbours on the other side
        # (about 0.3 ms a pair); the rest keep the cosine-only probability.
        nearest = np.zeros_like(candidates)
        np.put_along_axis(nearest, np.argpartition(-cosine, top_k - 1, axis=1)[:, :top_k], True, axis=1)
        np.put_along_axis(nearest, np.argpartition(-cosine, top_k - 1, axis=0)[:top_k], True, axis=0)
        candidates &= nearest
    rows, cols = np.nonzero(candidates)
    if len(rows):
        feats = np.empty((len(rows), len(FEATURES)))
        for k, (i, j) in enumerate(zip(rows.tolist(), cols.tolist(), strict=True)):
            feats[k] = _features(_lexical(a[i].text), _lexical(b[j].text), float(cosine[i, j]))
        out[rows, cols] = model.probability(feats)
    return out


def same_claim(a: ClaimText, b: ClaimText) -> float:
    """Probability that two sentences state the same claim."""
    return float(same_claim_matrix([a], [b])[0, 0])

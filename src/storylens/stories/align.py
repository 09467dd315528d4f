"""Sentence spans (a light fallback splitter) and one-to-one sentence alignment by meaning."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import numpy as np

# A sentence ends at . ! ? (and closing quotes/brackets) before a space and a likely sentence start.
_END = re.compile(r"""[.!?…]["'\u201d\u2019)\]]*\s+(?=["'\u201c\u2018(\[]?[A-Z0-9])""")
_LINE = re.compile(r"\n+")
# Abbreviations that end with a full stop without ending a sentence.
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "prof", "st", "sen", "rep", "gov", "gen", "col", "lt", "sgt",
                  "capt", "jr", "sr", "no", "vs", "inc", "corp", "co", "ltd", "jan", "feb", "mar", "apr",
                  "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n", "a.m",
                  "p.m", "e.g", "i.e", "mt", "ft"}
_LAST_WORD = re.compile(r"([\w.]+)\.?[\"'\u201d\u2019)\]]*\s*$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: lines first, then sentence punctuation (not after abbreviations)."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for line in [*_LINE.finditer(text), None]:
        end = line.start() if line else len(text)
        spans.extend(_split_line(text, cursor, end))
        cursor = line.end() if line else end
    return spans


def _split_line(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out, cursor = [], start
    for match in _END.finditer(text, start, end):
        last = _LAST_WORD.search(text, cursor, match.start() + 1)
        word = last[1].casefold().rstrip(".") if last else ""
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue  # "Mr. Steele", "John F. Kennedy"
        out.append((cursor, match.start() + len(match[0].rstrip())))
        cursor = match.end()
    out.append((cursor, end))
    return [(s, e) for s, e in (_strip(text, s, e) for s, e in out) if e > s]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def quoted_fractions(text: str, spans: list[tuple[int, int]]) -> list[float]:
    """For each span, the fraction of its characters inside quotation marks (reset at each line)."""
    inside = np.zeros(len(text) + 1, dtype=np.int32)
    state = False
    for i, char in enumerate(text):
        if char == "\u201c":
            state = True
        elif char == "\u201d" or char == "\n":
            state = False
        elif char == '"':
            state = not state
        inside[i + 1] = state
    cumulative = np.cumsum(inside)
    return [float(cumulative[e] - cumulative[s]) / (e - s) if e > s else 0.0 for s, e in spans]


@dataclass(frozen=True)
class Alignment:
    """How the sentences of one article map onto another's, one to one."""

    pairs: list[tuple[int, int]]  # (sentence in a, sentence in b), each with similarity >= threshold
    similarity: float  # mean cosine of the aligned pairs (0 without pairs)
    order: float  # fraction of the pairs that keep their relative order (longest increasing run)
    share_a: float  # fraction of a's sentences aligned
    share_b: float  # fraction of b's sentences aligned


def align(a: np.ndarray, b: np.ndarray, threshold: float) -> Alignment:
    """The best one-to-one alignment of two articles' unit sentence vectors (rows), by cosine."""
    if len(a) == 0 or len(b) == 0:
        return Alignment([], 0.0, 0.0, 0.0, 0.0)
    from scipy.optimize import linear_sum_assignment  # scipy comes with scikit-learn

    sims = a.astype(np.float32) @ b.astype(np.float32).T
    rows, cols = linear_sum_assignment(sims, maximize=True)
    keep = sims[rows, cols] >= threshold
    pairs = sorted(zip(rows[keep].tolist(), cols[keep].tolist(), strict=True))
    if not pairs:
        return Alignment([], 0.0, 0.0, 0.0, 0.0)
    mean = float(sims[rows[keep], cols[keep]].mean())
    order = _increasing_run([j for _, j in pairs]) / len(pairs)
    return Alignment(pairs, mean, order, len(pairs) / len(a), len(pairs) / len(b))


def _increasing_run(values: list[int]) -> int:
    # Length of the longest strictly increasing subsequence (patience sorting).
    tails: list[int] = []
    for value in values:
        i = bisect.bisect_left(tails, value)
        if i == len(tails):
            tails.append(value)
        else:
            tails[i] = value
    return len(tails)

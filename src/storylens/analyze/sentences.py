"""Sentences and paragraphs with character offsets; sentences never cross a paragraph break."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from storylens.models import Sentence

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty paragraph (blank-line separated)."""
    spans, start = [], 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def split_sentences(doc: Doc) -> list[Sentence]:
    """The doc's sentences, split again at paragraph breaks and at single line breaks."""
    text = doc.text
    paragraphs = paragraph_spans(text)
    out: list[Sentence] = []
    p = 0
    for sent in doc.sents:
        for start, end in _pieces(text, sent.start_char, sent.end_char):
            while p < len(paragraphs) - 1 and start >= paragraphs[p][1]:
                p += 1
            out.append(Sentence(index=len(out), start=start, end=end, paragraph=p))
    return out


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    # A line break inside a spaCy sentence is a boundary the parser missed (headlines, lists).
    pieces, cursor = [], start
    for match in re.finditer(r"\n+", text[start:end]):
        pieces.append((cursor, start + match.start()))
        cursor = start + match.end()
    pieces.append((cursor, end))
    out = []
    for s, e in pieces:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def sentence_at(sentences: list[Sentence], char: int) -> int:
    """The index of the sentence containing a character offset (the nearest one before it)."""
    lo, hi = 0, len(sentences) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if sentences[mid].start <= char:
            lo = mid
        else:
            hi = mid - 1
    return lo

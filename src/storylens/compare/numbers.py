"""Figures across outlets: the same measure reported with the same number, or with different ones."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from storylens.compare.lexicon import lexicon
from storylens.compare.material import StoryMaterial, StorySentence
from storylens.models import Citation, Dispute, DisputeSide, Figure, Quantity

_LEXICON = lexicon()
# Words that name the same measure in different outlets' wording.
_CONCEPT_OF = {word: concept for concept, words in _LEXICON["measure_concepts"].items() for word in words}
_STOP = frozenset(_LEXICON["measure_stop"])
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_SUBSET = re.compile(r"\s+of\s+(the|them|those|these|whom)\b", re.IGNORECASE)
# How far apart two numbers may be and still be the same figure, by how exactly each is stated.
_EXACT, _ROUGH = 0.01, 0.1
_ROUGH_QUALIFIERS = {"about", "around", "roughly", "nearly", "almost", "some", "approximately", "close to",
                     "an estimated", "estimated", "just under", "just over"}
_LOWER_BOUNDS = {"more than", "over", "at least", "upwards of", "in excess of"}
_UPPER_BOUNDS = {"less than", "under", "up to", "at most", "fewer than", "no more than"}
SENTENCE_FLOOR = 0.35  # two figures on one measure come from sentences at least this alike
SAME_MEASURE_FLOOR = 0.2  # or, when both name exactly the same measure, at least this alike
DISPUTE_FLOOR = 0.5  # and to call two different numbers a dispute, the sentences must be closer still
TELLING_FLOOR = 0.3  # the same telling number (EUR 1.2bn, 2.4 km) agrees across loosely alike sentences
MAX_DISPUTES = 8  # per story: more is noise a reader will not check
_COMPARE_IN = ("count", "percent", "m", "km2", "days")
_GENERIC = frozenset({"people", "number", "total", "figure"})


@dataclass
class Reading:
    """One quantity as a figure: its sentence, measure words and comparable value."""

    quantity: Quantity
    sentence: StorySentence
    measure: frozenset[str]
    dimension: str
    value: float


def measure_words(measure: str | None) -> frozenset[str]:
    """The words that say what a quantity measures, with synonyms mapped to one concept."""
    words = [w.casefold() for w in _WORD.findall(measure or "")]
    out = set()
    for word in words:
        if word in _STOP:
            continue
        out.add(_CONCEPT_OF.get(word, word.rstrip("s") if len(word) > 3 else word))
    return frozenset(out)


def readings(material: StoryMaterial) -> list[Reading]:
    """Every quantity in the story's kept sentences that states a figure (not a subset or a duration)."""
    rows = {(s.article_id, s.index): s for s in material.sentences}
    out = []
    for member in material.articles:
        analysis, text = member.analysis, member.article.text
        for quantity in analysis.quantities if analysis else []:
            sentence = rows.get((member.article.id, quantity.sentence))
            if sentence is None or not quantity.normalised:
                continue
            if quantity.unit == "count" and _SUBSET.match(text, quantity.end):
                continue  # "two of the injured": part of a figure, not a figure
            dimension = _dimension(quantity)
            words = measure_words(quantity.measure)
            if not words:
                continue
            out.append(Reading(quantity, sentence, words, dimension, quantity.normalised[dimension]))
    return out


def _related(a: Reading, b: Reading, similarity: float) -> bool:
    """One measure in both ('contract', 'contract'), or half the words shared in alike sentences."""
    if a.dimension != b.dimension:
        return False
    if a.measure == b.measure and a.measure - _GENERIC:
        return similarity >= SAME_MEASURE_FLOOR
    shared = len(a.measure & b.measure)
    return similarity >= SENTENCE_FLOOR and shared * 2 >= min(len(a.measure), len(b.measure))


def _dimension(quantity: Quantity) -> str:
    """The unit two readings are compared in: metres for any length, days for any duration."""
    keys = quantity.normalised
    return next((k for k in _COMPARE_IN if k in keys), sorted(keys)[0])


def telling(reading: Reading) -> bool:
    """A number unlikely to recur by chance in one story: money, a share, a length; a count of ten or more."""
    if reading.dimension == "count":
        return reading.value >= 10 and not (1900 <= reading.value <= 2100)
    return reading.dimension not in ("year", "month", "week", "day", "days", "hour", "minute")


def _same(a: Reading, b: Reading, similarity: float) -> bool:
    """One measure's words hold the other's ('people injured', 'injured'; not 'motorists killed'), the
    shorter says more than 'people', and the sentences are close enough to be about one event."""
    small, large = sorted((a.measure, b.measure), key=len)
    return similarity >= DISPUTE_FLOOR and small <= large and bool(small - _GENERIC)


def relation(a: Quantity, b: Quantity, x: float, y: float) -> str:
    """'same', 'compatible' (a bound such as 'more than 12' admits the other) or 'differ'."""
    if _admits(a, x, y) or _admits(b, y, x):
        return "compatible"
    rough = {(a.qualifier or "").casefold(), (b.qualifier or "").casefold()} & _ROUGH_QUALIFIERS
    tolerance = _ROUGH if rough else _EXACT
    return "same" if abs(x - y) <= tolerance * max(abs(x), abs(y), 1e-9) else "differ"


def _admits(bound: Quantity, own: float, other: float) -> bool:
    qualifier = (bound.qualifier or "").casefold()
    return (qualifier in _LOWER_BOUNDS and other >= own) or (qualifier in _UPPER_BOUNDS and other <= own)


def compare_figures(material: StoryMaterial) -> tuple[list[Figure], list[Dispute]]:
    """Figures that independent outlets agree on, and number disputes between voices."""
    found = readings(material)
    if not found:
        return [], []
    vectors = material.vectors[[r.sentence.row for r in found]]
    similarity = vectors @ vectors.T
    agree_pairs: list[tuple[int, int]] = []
    clash_pairs: list[tuple[int, int]] = []
    for i in range(len(found)):
        for j in range(i + 1, len(found)):
            a, b = found[i], found[j]
            if a.sentence.article_id == b.sentence.article_id:
                continue
            if a.dimension != b.dimension:
                continue
            alike = float(similarity[i, j])
            kind = relation(a.quantity, b.quantity, a.value, b.value)
            if kind == "same" and (_related(a, b, alike) or (telling(a) and alike >= TELLING_FLOOR)):
                agree_pairs.append((i, j))
                continue
            if not _related(a, b, alike):
                continue
            elif (kind == "differ" and a.sentence.voice != b.sentence.voice
                  and _same(a, b, float(similarity[i, j]))):
                clash_pairs.append((i, j))
    figures = [_figure(material, [found[k] for k in group]) for group in _components(len(found), agree_pairs)]
    figures = [f for f in figures if f.voices > 1]
    figures.sort(key=lambda f: (-f.voices, f.measure))
    return figures, _disputes(material, found, clash_pairs, agree_pairs, similarity)


def _components(n: int, pairs: list[tuple[int, int]]) -> list[list[int]]:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent[find(b)] = find(a)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return [g for g in groups.values() if len(g) > 1]


def _citations(material: StoryMaterial, group: list[Reading]) -> tuple[list[Citation], list[str]]:
    citations, outlets = [], []
    for r in group:
        citation = r.sentence.citation()
        if citation not in citations:
            citations.append(citation)
        for outlet in material.article(r.sentence.article_id).outlets:
            if outlet not in outlets:
                outlets.append(outlet)
    return citations, outlets


def _label(group: list[Reading]) -> str:
    """The measure as most outlets word it (the longer wording on a tie: it says more)."""
    names = Counter(r.quantity.measure for r in group if r.quantity.measure)
    return max(names, key=lambda m: (names[m], len(m), m)) if names else ""


def _figure(material: StoryMaterial, group: list[Reading]) -> Figure:
    citations, outlets = _citations(material, group)
    first = group[0]
    return Figure(_label(group), first.dimension, float(np.median([r.value for r in group])),
                  first.quantity.text, citations, outlets, len({r.sentence.voice for r in group}))


def _disputes(material: StoryMaterial, found: list[Reading], clashes: list[tuple[int, int]],
              agreements: list[tuple[int, int]], similarity: np.ndarray) -> list[Dispute]:
    """One dispute per pair of value groups on one measure, the closest sentences first, at most
    MAX_DISPUTES; copies of one voice count once."""
    clashes = sorted(clashes, key=lambda pair: -float(similarity[pair]))
    agreeing = _components(len(found), agreements)
    side_of = {i: n for n, group in enumerate(agreeing) for i in group}
    seen: set[tuple[int, int]] = set()
    out = []
    for i, j in clashes:
        a = side_of.get(i, -1 - i)
        b = side_of.get(j, -1 - j)
        key = (min(a, b), max(a, b))
        if key in seen:
            continue
        seen.add(key)
        sides = []
        for member, group_id in ((i, a), (j, b)):
            group = [found[k] for k in agreeing[group_id]] if group_id >= 0 else [found[member]]
            citations, outlets = _citations(material, group)
            sides.append(DisputeSide(group[0].sentence.text, citations, outlets, group[0].value))
        measure = _label([found[i], found[j]])
        unit = found[i].dimension
        why = (f"{measure}: {_number(sides[0].value)} vs {_number(sides[1].value)}"
               f"{'' if unit == 'count' else ' ' + unit} in sentences on the same measure")
        # The closer the two sentences, the surer it is one measure reported two ways.
        confidence = round(min(0.95, 0.4 + float(similarity[i, j])), 3)
        out.append(Dispute("number", why, confidence, sides, measure=measure))
        if len(out) >= MAX_DISPUTES:
            break
    return out


def _number(value: float | None) -> str:
    if value is None:
        return "?"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"

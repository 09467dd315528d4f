"""Claims: sentences of a story's articles grouped by what they state, with their independent voices."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from storylens.compare.material import StoryMaterial, StorySentence
from storylens.compare.similarity import SAME_CLAIM_THRESHOLD, ClaimText, same_claim_matrix
from storylens.compare.words import common_stems, distinctive
from storylens.models import Claim

COSINE_FLOOR = 0.5  # below this, two sentences are not scored at all: they never state one claim
# The pair model learned full paraphrase (MSRP); news outlets state one claim in sentences of different
# length and scope. So two more kinds of evidence make a pair one claim: embeddings that nearly agree, or
# fairly alike sentences sharing two anchors that pick out a subject in this story (a rare word, a name,
# a resolved date, a telling number).
# "Nearly agree" sits above MSRP's cosine-only decision point (0.68, bench/align.py): lead sentences
# about one event from different angles reach 0.66-0.69, and a false "agreed" misleads more than a
# missed one.
CLOSE_COSINE = 0.75
ANCHORED_COSINE = 0.55
MIN_ANCHORS = 2
EVIDENCE = 0.6  # the probability such a pair is given: above the model's threshold
LARGE_STORY, LEXICAL_NEIGHBOURS = 50, 10


@dataclass(frozen=True)
class Edge:
    """Two sentences (rows) that may state the same claim, and how likely they do."""

    a: int
    b: int
    probability: float


def sentence_edges(material: StoryMaterial, floor: float = COSINE_FLOOR) -> list[Edge]:
    """Scored pairs of sentences from different articles whose embeddings are at least `floor` alike."""
    sentences, vectors = material.sentences, material.vectors
    texts = [ClaimText(s.text, vectors[s.row]) for s in sentences]
    keys = anchors(material)
    figures = _figures(material)
    # In a large story, the pair model's lexical features (the slow part) go to each sentence's nearest
    # neighbours only; the other pairs keep the model's cosine-only probability.
    top_k = LEXICAL_NEIGHBOURS if len(material.articles) > LARGE_STORY else None
    by_article: dict[str, list[int]] = {}
    for s in sentences:
        by_article.setdefault(s.article_id, []).append(s.row)
    order = list(by_article)
    edges: list[Edge] = []
    for n, article_id in enumerate(order):
        mine = by_article[article_id]
        later = [row for other in order[n + 1:] for row in by_article[other]]
        if not later:
            continue
        near = vectors[mine] @ vectors[later].T >= floor
        keep_a = np.flatnonzero(near.any(axis=1))
        keep_b = np.flatnonzero(near.any(axis=0))
        if not len(keep_a):
            continue
        probabilities = same_claim_matrix([texts[mine[i]] for i in keep_a], [texts[later[j]] for j in keep_b],
                                          top_k=top_k)
        for i, j in zip(*np.nonzero(near[np.ix_(keep_a, keep_b)]), strict=True):
            a, b = mine[keep_a[i]], later[keep_b[j]]
            probability, cosine = float(probabilities[i, j]), float(vectors[a] @ vectors[b])
            anchored = (cosine >= ANCHORED_COSINE and len(keys[a] & keys[b]) >= MIN_ANCHORS
                        and not _different_figures(figures[a], figures[b]))
            if cosine >= CLOSE_COSINE or anchored:
                probability = max(probability, EVIDENCE)
            edges.append(Edge(a, b, probability))
    return edges


def _figures(material: StoryMaterial) -> list[dict[str, set[str]]]:
    """Per sentence: its telling numbers by dimension (percent → {"12", "31"})."""
    from storylens.compare.numbers import readings, telling

    out: list[dict[str, set[str]]] = [{} for _ in material.sentences]
    for reading in readings(material):
        if telling(reading):
            out[reading.sentence.row].setdefault(reading.dimension, set()).add(f"{reading.value:.2g}")
    return out


def _different_figures(a: dict[str, set[str]], b: dict[str, set[str]]) -> bool:
    """Both state figures of one kind and share none: 'rose 12%' is not 'carried 31%'."""
    return any(dimension in b and not (values & b[dimension]) for dimension, values in a.items())


def anchors(material: StoryMaterial) -> list[frozenset[str]]:
    """Per sentence: the rare words, names, resolved dates and telling numbers that pick out its subject."""
    from storylens.compare.numbers import readings, telling

    # Names count once, as their linked entity, not again as words.
    keys: list[set[str]] = [common_stems(s.text) | {f"entity:{e}" for e in s.entities}
                            for s in material.sentences]
    rows = {(s.article_id, s.index): s.row for s in material.sentences}
    for member in material.articles:
        for ref in member.analysis.times if member.analysis else []:
            row = rows.get((member.article.id, ref.sentence))
            if ref.resolved and row is not None:
                keys[row].add(f"date:{ref.resolved}")
    for reading in readings(material):
        if telling(reading):
            keys[reading.sentence.row].add(f"number:{reading.dimension}:{reading.value:.2g}")
    rare = distinctive(keys)
    # A key most voices use ("Colbeck Bridge", the day of the event) is the story's topic, not an anchor.
    voices: dict[str, set[int]] = {}
    for sentence, found in zip(material.sentences, keys, strict=True):
        for key in found:
            voices.setdefault(key, set()).add(sentence.voice)
    most = max(2, len({s.voice for s in material.sentences}) // 2)
    return [frozenset(k for k in found if k in rare and len(voices[k]) <= most) for found in keys]


def centrality(material: StoryMaterial) -> np.ndarray:
    """Per sentence: cosine to the story's centre, each independent voice weighing the same."""
    vectors = material.vectors
    if not len(vectors):
        return np.zeros(0, dtype=np.float32)
    voice_means = []
    for voice in sorted({s.voice for s in material.sentences}):
        rows = [s.row for s in material.sentences if s.voice == voice]
        voice_means.append(vectors[rows].mean(axis=0))
    centre = np.mean(voice_means, axis=0)
    centre /= np.linalg.norm(centre) or 1.0
    return vectors @ centre


def group_claims(material: StoryMaterial, edges: list[Edge],
                 threshold: float = SAME_CLAIM_THRESHOLD) -> list[list[StorySentence]]:
    """Sentences joined into claims: strongest pairs first, never two sentences of one article."""
    sentences = material.sentences
    group_of = list(range(len(sentences)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(sentences))}
    articles: dict[int, set[str]] = {i: {s.article_id} for i, s in enumerate(sentences)}
    lookup = {(min(e.a, e.b), max(e.a, e.b)): e.probability for e in edges}
    for edge in sorted(edges, key=lambda e: (-e.probability, e.a, e.b)):
        if edge.probability < threshold:
            break
        ga, gb = group_of[edge.a], group_of[edge.b]
        if ga == gb or articles[ga] & articles[gb]:
            continue
        # Average linkage: a new member must resemble the group, not just its closest sentence.
        if _mean_probability(members[ga], members[gb], lookup) < threshold:
            continue
        for row in members[gb]:
            group_of[row] = ga
        members[ga] += members.pop(gb)
        articles[ga] |= articles.pop(gb)
    return [[sentences[r] for r in sorted(rows)] for rows in members.values()]


def _mean_probability(a: list[int], b: list[int], lookup: dict[tuple[int, int], float]) -> float:
    total = sum(lookup.get((min(x, y), max(x, y)), 0.0) for x in a for y in b)
    return total / (len(a) * len(b))


def build_claims(material: StoryMaterial, groups: list[list[StorySentence]],
                 central: np.ndarray) -> list[Claim]:
    """Claims from sentence groups, most supported and most central first."""
    claims = []
    for group in groups:
        best = max(group, key=lambda s: (float(central[s.row]), -s.row))
        outlets: list[str] = []
        for s in group:
            for outlet in material.article(s.article_id).outlets:
                if outlet not in outlets:
                    outlets.append(outlet)
        voices = len({s.voice for s in group})
        claims.append(Claim(0, best.text, "corroborated" if voices > 1 else "single_source",
                            [s.citation() for s in group], outlets, voices,
                            round(float(max(central[s.row] for s in group)), 4),
                            quote=sum(s.quoted for s in group) * 2 > len(group),
                            facts=best.facts + len(best.entities)))
    claims.sort(key=lambda c: (-c.voices, -c.centrality, c.citations[0].article_id, c.citations[0].start))
    for n, claim in enumerate(claims):
        claim.id = n
    return claims

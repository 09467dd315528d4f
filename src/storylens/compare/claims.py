"""Claims: sentences of a story's articles grouped by what they state, with their independent voices."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from storylens.compare.material import StoryMaterial, StorySentence
from storylens.compare.similarity import SAME_CLAIM_THRESHOLD, ClaimText, same_claim_matrix
from storylens.models import Claim

COSINE_FLOOR = 0.45  # below this, two sentences are not scored at all: they never state one claim


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
        probabilities = same_claim_matrix([texts[mine[i]] for i in keep_a], [texts[later[j]] for j in keep_b])
        for i, j in zip(*np.nonzero(near[np.ix_(keep_a, keep_b)]), strict=True):
            edges.append(Edge(mine[keep_a[i]], later[keep_b[j]], float(probabilities[i, j])))
    return edges


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
                            quote=sum(s.quoted for s in group) * 2 > len(group)))
    claims.sort(key=lambda c: (-c.voices, -c.centrality, c.citations[0].article_id, c.citations[0].start))
    for n, claim in enumerate(claims):
        claim.id = n
    return claims

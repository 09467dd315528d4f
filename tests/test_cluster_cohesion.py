"""Cohesion: an undated article must be about as close to a story as its members are to each other."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from storylens.analyze.vectors import EMBEDDING_DIM
from storylens.stories.cluster import FEATURES, StoryCandidate, StoryClusterer, _cohesion

TEXT = " ".join(f"word{i}" for i in range(80))  # the same full text everywhere: only the vectors differ


def _unit(vector: np.ndarray) -> np.ndarray:
    return (vector / np.linalg.norm(vector)).astype(np.float32)


def _article(key: str, vector: np.ndarray) -> StoryCandidate:
    return StoryCandidate(key, "Flood closes the ridge road", TEXT, None, "outlet", vector=_unit(vector))


def _axes(n: int) -> list[np.ndarray]:
    return [np.eye(EMBEDDING_DIM, dtype=np.float32)[i] for i in range(n)]


def test_cohesion_is_the_mean_pairwise_cosine():
    rng = np.random.default_rng(3)
    vectors = [_unit(rng.normal(size=EMBEDDING_DIM)) for _ in range(5)]
    pairs = [float(a @ b) for i, a in enumerate(vectors) for b in vectors[i + 1:]]
    norm = float(np.linalg.norm(np.sum(vectors, axis=0)))
    assert _cohesion(norm, 5) == pytest.approx(np.mean(pairs), abs=1e-5)
    assert _cohesion(1.0, 1) is None  # one article: no pair to measure


def test_a_tight_story_asks_more_of_an_article_than_a_diffuse_one():
    # Same centroid direction, same text, same cosine to the centroid: only the stories' spread differs.
    # Two same-kind events in one topic are each tight; a report of the other event sits as far from
    # a tight story as a member of a diffuse story sits from its own.
    u, a, b, c, d = _axes(5)
    clusterer = StoryClusterer()
    tight = clusterer.assign(_article("t1", u + 0.1 * a), None)
    clusterer.assign(_article("t2", u - 0.1 * a), tight)
    diffuse = clusterer.assign(_article("d1", u + 0.9 * b), None)
    clusterer.assign(_article("d2", u - 0.9 * b), diffuse)
    probe = _article("p", u + 0.6 * c + 0.6 * d)
    signals = clusterer.features(probe)
    rel, emb = FEATURES.index("embedding_rel_undated"), FEATURES.index("embedding")
    assert signals[tight][emb] == pytest.approx(signals[diffuse][emb])
    assert signals[tight][rel] < 0.0 < signals[diffuse][rel]
    score = clusterer._probability
    assert score(signals[tight]) < score(signals[diffuse])  # the default weights count it


def test_a_one_article_story_has_no_cohesion_to_compare():
    u, a = _axes(2)
    clusterer = StoryClusterer()
    story = clusterer.assign(_article("a", u), None)
    assert clusterer.features(_article("p", u + a))[story][FEATURES.index("embedding_rel_undated")] == 0.0


def test_dated_pairs_leave_cohesion_to_the_time_window():
    # A dated stream's first wire reports are near-copies: its follow-ups days later must not be held to them.
    u, a, c = _axes(3)
    clusterer = StoryClusterer()
    dated = [dataclasses.replace(_article(k, v), published="2026-03-10") for k, v in (("a", u + 0.1 * a),
                                                                                      ("b", u - 0.1 * a))]
    story = clusterer.assign(dated[0], None)
    clusterer.assign(dated[1], story)
    probe = dataclasses.replace(_article("p", u + c), published="2026-03-12")
    assert clusterer.features(probe)[story][FEATURES.index("embedding_rel_undated")] == 0.0
    assert clusterer.features(_article("q", u + c))[story][FEATURES.index("embedding_rel_undated")] < 0.0

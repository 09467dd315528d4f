"""How much text an article carries: the recency signal weighs only where there is little else to go by."""

from __future__ import annotations

import numpy as np
import pytest

from storylens.analyze.vectors import EMBEDDING_DIM
from storylens.stories.cluster import FEATURES, StoryCandidate, StoryClusterer, thinness

BODY = " ".join(f"word{i}" for i in range(80))  # a body longer than the embedded lead (60 words)


def _headline(key: str, published: str, text: str = "") -> StoryCandidate:
    vector = np.random.default_rng(1).normal(size=EMBEDDING_DIM).astype(np.float32)
    return StoryCandidate(key, "Ridge road flood closes the valley", text, published, "outlet", {"ridge"},
                          vector=vector / np.linalg.norm(vector))


def test_thinness_runs_from_a_headline_alone_to_a_full_lead():
    title = "Ridge road flood closes the valley"
    assert thinness(title, "") == 1.0
    assert thinness(title, title) == 1.0  # a record without a body is stored with its title as text
    assert thinness(title, " ".join(["w"] * 30)) == pytest.approx(0.5)
    assert thinness(title, BODY) == 0.0


def test_recency_counts_for_headlines_only():
    clusterer = StoryClusterer()
    story = clusterer.assign(_headline("a", "2026-03-10T08:00:00Z"), None)
    signal = FEATURES.index("recency_thin")
    soon = clusterer.features(_headline("b", "2026-03-10T08:10:00Z"))[story][signal]
    late = clusterer.features(_headline("c", "2026-03-10T20:00:00Z"))[story][signal]
    assert 0.0 < soon < 0.1 < 0.5 < late
    # An article with a body of its own: its text is evidence enough, recency does not weigh.
    full = clusterer.features(_headline("d", "2026-03-10T20:00:00Z", BODY))[story][signal]
    assert full == 0.0


def test_a_headline_a_day_later_starts_a_new_story_a_full_text_does_not():
    headlines = StoryClusterer()
    first = headlines.add(_headline("a", "2026-03-10T08:00:00Z"))
    assert headlines.add(_headline("b", "2026-03-10T08:05:00Z")) == first  # the same crawl burst
    assert headlines.add(_headline("c", "2026-03-11T09:00:00Z")) != first
    texts = StoryClusterer()
    first = texts.add(_headline("a", "2026-03-10T08:00:00Z", BODY))
    assert texts.add(_headline("c", "2026-03-11T09:00:00Z", BODY)) == first  # a follow-up a day later


def test_thinness_survives_save_and_load():
    clusterer = StoryClusterer()
    story = clusterer.assign(_headline("a", "2026-03-10T08:00:00Z"), None)
    clusterer.assign(_headline("b", "2026-03-10T09:00:00Z", BODY), story)
    probe = _headline("p", "2026-03-10T20:00:00Z")
    restored = StoryClusterer.load(clusterer.save())
    assert np.allclose(clusterer.features(probe)[story], restored.features(probe)[story])
    assert clusterer.features(probe)[story][FEATURES.index("recency_thin")] > 0.0

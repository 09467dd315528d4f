"""Separation: an undated story of two groups, each clearly closer within than across, splits in two."""

from __future__ import annotations

import dataclasses

import numpy as np
from conftest import expected
from test_cluster import _fresh, corpus  # noqa: F401  (corpus is a fixture)

from storylens.analyze.vectors import EMBEDDING_DIM
from storylens.stories.cluster import StoryCandidate, StoryClusterer, StoryConfig, _two_groups, _two_means

# Two same-kind events: one vocabulary of the kind, a few words of each event's own.
KIND = "boxer defends heavyweight title fight round points judges champion challenger arena crowd"
EVENTS = {"a": "klitschko chisora hamburg", "b": "klitschko thompson bern"}
ONLY_SEPARATION = StoryConfig(merge_every=0, split_threshold=0.0)  # the story-level model never splits


def _axes(n: int) -> list[np.ndarray]:
    return [np.eye(EMBEDDING_DIM, dtype=np.float32)[i] for i in range(n)]


def _report(key: str, event: str, i: int, spread: float = 0.25) -> StoryCandidate:
    u, a, b, *noise = _axes(3 + 12)
    vector = u + 0.6 * (a if event == "a" else b) + spread * noise[i % len(noise)]
    text = f"{EVENTS[event]} {KIND} report{i} " * 6
    return StoryCandidate(key, f"Title fight {i}", text, None, "outlet",
                          vector=(vector / np.linalg.norm(vector)).astype(np.float32))


def _one_story(clusterer: StoryClusterer, reports: list[StoryCandidate]) -> str:
    story = clusterer.assign(reports[0], None)
    for report in reports[1:]:
        clusterer.assign(report, story)
    return story


def test_an_undated_story_of_two_events_splits_by_separation():
    reports = [_report(f"a{i}", "a", i) for i in range(6)] + [_report(f"b{i}", "b", i + 6) for i in range(5)]
    clusterer = StoryClusterer(ONLY_SEPARATION)
    story = _one_story(clusterer, reports)
    assert clusterer.split_pass() != []
    assert {clusterer.story_of(f"a{i}") for i in range(6)} == {story}  # the larger part keeps the id
    assert len({clusterer.story_of(f"b{i}") for i in range(5)} - {story}) == 1


def test_an_undated_story_of_one_event_stays_whole():
    reports = [_report(f"a{i}", "a", i, spread=0.6) for i in range(11)]
    clusterer = StoryClusterer(ONLY_SEPARATION)
    story = _one_story(clusterer, reports)
    assert clusterer.split_pass() == []
    assert {clusterer.story_of(r.article_id) for r in reports} == {story}


def test_a_dated_story_is_left_to_the_time_window():
    reports = [dataclasses.replace(_report(f"a{i}", "a", i), published="2026-03-10") for i in range(6)] + \
        [dataclasses.replace(_report(f"b{i}", "b", i + 6), published="2026-03-11") for i in range(5)]
    clusterer = StoryClusterer(ONLY_SEPARATION)
    _one_story(clusterer, reports)
    assert clusterer.split_pass() == []


def test_each_part_needs_enough_members_to_measure_its_cohesion():
    reports = [_report(f"a{i}", "a", i) for i in range(8)] + [_report(f"b{i}", "b", i + 8) for i in range(3)]
    clusterer = StoryClusterer(ONLY_SEPARATION)
    _one_story(clusterer, reports)
    assert clusterer.split_pass() == []  # three reports: too few to tell an event from a digression


def test_the_merge_pass_does_not_undo_a_separation():
    # Every pair scores as one story under this configuration; only the two events stay apart.
    merge_all = dataclasses.replace(ONLY_SEPARATION, merge_threshold=0.0, bridge_threshold=0.0)
    clusterer = StoryClusterer(merge_all)
    first = _one_story(clusterer, [_report(f"a{i}", "a", i) for i in range(5)])
    again = _one_story(clusterer, [_report(f"c{i}", "a", i + 5) for i in range(4)])
    other = _one_story(clusterer, [_report(f"b{i}", "b", i + 9) for i in range(5)])
    clusterer.merge_pass()
    assert clusterer.story_of("c0") == clusterer.story_of("a0") in {first, again}
    assert clusterer.story_of("b0") == other


def test_two_means_from_similarities_matches_two_means_on_vectors():
    rng = np.random.default_rng(5)
    vectors = rng.normal(size=(30, 16))
    vectors[:12] += 2.0
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    assert (_two_means(vectors @ vectors.T) == _two_groups(vectors, [None] * 30)[0]).all()


def test_the_sample_corpus_main_story_undated_stays_whole(corpus):  # noqa: F811
    # Ten reports of one collapse over three days (the inquiry, the injured, the divers): not two events.
    by_id = {c.article_id: dataclasses.replace(c, published=None) for c in _fresh(corpus)}
    clusterer = StoryClusterer(ONLY_SEPARATION)
    story = _one_story(clusterer, [by_id[key] for key in expected()["stories"]["main"]])
    assert clusterer.split_pass() == []
    assert len(clusterer.stories()) == 1 and clusterer.stories()[0].id == story

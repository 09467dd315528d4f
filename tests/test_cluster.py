"""Online story clustering on the seed articles and the sample corpus (embeddings only: no spaCy)."""

from __future__ import annotations

import dataclasses
import random

import numpy as np
import pytest
from conftest import SEED_TELEGRAPH, SEED_TOI, body, corpus_article, expected, shared_path

from storylens.analyze.vectors import EMBEDDING_DIM
from storylens.stories.cluster import (
    FEATURES,
    StoryCandidate,
    StoryClusterer,
    StoryConfig,
    _CentroidIndex,
    embed_candidates,
)

WIRE = "newsfeed.jsonl#mpa-20260310-0412"


@pytest.fixture(scope="module")
def corpus() -> list[StoryCandidate]:
    """The sample corpus's articles as candidates, in the expectations file's order, embedded once."""
    out = [StoryCandidate(a["source"], a["title"], corpus_article(a["source"])[0], a["published"],
                          a["outlet"]) for a in expected()["articles"]]
    embed_candidates(out)
    return out


def _fresh(candidates: list[StoryCandidate]) -> list[StoryCandidate]:
    return [dataclasses.replace(c, entities=set(c.entities), copy_of=list(c.copy_of)) for c in candidates]


def _partition(clusterer: StoryClusterer) -> set[frozenset[str]]:
    return {frozenset(s.article_ids) for s in clusterer.stories()}


def _gold() -> set[frozenset[str]]:
    return {frozenset(ids) for ids in expected()["stories"].values()}


def test_seed_articles_form_one_story():
    seeds = []
    for name in (SEED_TOI, SEED_TELEGRAPH):
        path = shared_path("seeds", name)
        title = path.read_text(encoding="utf-8").strip().splitlines()[0]
        seeds.append(StoryCandidate(name, title, body(path), "2022-09-14", name[:3]))
    clusterer = StoryClusterer()
    assert clusterer.add(seeds[0]) == clusterer.add(seeds[1])
    [story] = clusterer.stories()
    assert sorted(story.article_ids) == sorted([SEED_TOI, SEED_TELEGRAPH])
    assert len(story.outlets) == 2


def test_sample_corpus_clusters_into_its_two_stories(corpus):
    clusterer = StoryClusterer()
    for candidate in _fresh(corpus):
        clusterer.add(candidate)
    clusterer.merge_pass()
    assert _partition(clusterer) == _gold()
    main = next(s for s in clusterer.stories() if WIRE in s.article_ids)
    assert "Colbeck" in main.title or "ridge" in main.title
    assert main.first_seen == "2026-03-10T05:40:00Z" and main.last_updated == "2026-03-13T09:45:00Z"
    assert len(main.outlets) == 10


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_shuffled_corpus_gives_the_same_partition(corpus, seed):
    order = _fresh(corpus)
    random.Random(seed).shuffle(order)
    clusterer = StoryClusterer()
    for candidate in order:
        clusterer.add(candidate)
    clusterer.merge_pass()
    assert _partition(clusterer) == _gold()


def test_second_batch_joins_existing_stories_after_save_and_load(corpus):
    # First batch: the first reports of each story; the second: the follow-ups, after a restart.
    main, second_story = expected()["stories"]["main"], expected()["stories"]["second"]
    by_id = {c.article_id: c for c in _fresh(corpus)}
    first = [by_id[a] for a in main[:5] + second_story[:1]]
    later = [by_id[a] for a in main[5:] + second_story[1:]]
    clusterer = StoryClusterer()
    before = {c.article_id: clusterer.add(c) for c in first}
    assert len(set(before.values())) == 2
    restored = StoryClusterer.load(clusterer.save())
    assert _partition(restored) == _partition(clusterer)
    for candidate in later:
        restored.add(candidate)
    restored.merge_pass()
    assert _partition(restored) == _gold()
    assert all(restored.story_of(a) == sid for a, sid in before.items())  # existing stories kept their ids


def test_merge_pass_joins_two_stories_when_a_bridging_article_arrives(corpus):
    by_id = {c.article_id: c for c in _fresh(corpus)}
    main, second = expected()["stories"]["main"], expected()["stories"]["second"]
    # Two stories started apart: the first collapse reports, and the divers' and engineers' follow-ups.
    apart_a = main[:4]
    apart_b = ["senn_valley_herald_divers.html", "civil_works_weekly_engineers.txt"]
    bridging = "estmark_gazette_pier_cracks.html"  # the operator was warned: both stories' matter
    clusterer = StoryClusterer(StoryConfig(merge_every=0))
    story_a = clusterer.assign(by_id[apart_a[0]], None)
    for key in apart_a[1:]:
        clusterer.assign(by_id[key], story_a)
    story_b = clusterer.assign(by_id[apart_b[0]], None)
    clusterer.assign(by_id[apart_b[1]], story_b)
    clusterer.assign(by_id[second[0]], None)
    assert clusterer.merge_pass() == []  # on their own, the two are not close enough to merge
    clusterer.add(by_id[bridging])
    assert clusterer.merge_pass()
    assert clusterer.story_of(apart_a[0]) == clusterer.story_of(apart_b[0]) == clusterer.story_of(bridging)
    assert clusterer.story_of(second[0]) != clusterer.story_of(apart_a[0])
    assert len(clusterer.stories()) == 2


def test_an_article_a_month_later_starts_a_new_story(corpus):
    wire = next(c for c in _fresh(corpus) if c.article_id == WIRE)
    later = dataclasses.replace(wire, article_id="a-month-later", published="2026-04-09T06:00:00Z",
                                text=wire.text.replace("four", "five"), entities=set(), copy_of=[])
    clusterer = StoryClusterer()
    first = clusterer.add(wire)
    assert clusterer.add(later) != first
    same_week = dataclasses.replace(later, article_id="same-week", published="2026-03-12T06:00:00Z")
    assert clusterer.add(same_week) == first  # the same words within the window do join


def test_a_copy_joins_its_originals_story(corpus):
    by_id = {c.article_id: c for c in _fresh(corpus)}
    other = expected()["stories"]["second"][0]
    clusterer = StoryClusterer()
    target = clusterer.add(by_id[other])
    copy = dataclasses.replace(by_id[WIRE], article_id="a-copy", copy_of=[other])
    assert clusterer.add(copy) == target  # the copy link wins over the text


def test_split_pass_separates_a_story_that_turned_out_to_be_two(corpus):
    # An early mistake: the bridge collapse and the football transfer forced into one story.
    by_id = {c.article_id: c for c in _fresh(corpus)}
    main, second = expected()["stories"]["main"], expected()["stories"]["second"]
    clusterer = StoryClusterer(StoryConfig(merge_every=0))
    mixed = clusterer.assign(by_id[main[0]], None)
    for key in [*main[1:5], *second, *main[5:]]:
        clusterer.assign(by_id[key], mixed)
    restored = StoryClusterer.load(clusterer.save())  # the members it splits by survive a restart
    assert len(restored.stories()) == 1
    restored.merge_pass()
    assert _partition(restored) == _gold()
    assert restored.story_of(main[0]) == mixed  # the larger part keeps the story's id
    assert restored.story_of(second[0]) != mixed


def test_split_pass_leaves_a_coherent_story_whole(corpus):
    by_id = {c.article_id: c for c in _fresh(corpus)}
    main = expected()["stories"]["main"]
    clusterer = StoryClusterer(StoryConfig(merge_every=0))
    story = clusterer.assign(by_id[main[0]], None)
    for key in main[1:]:
        clusterer.assign(by_id[key], story)
    assert clusterer.split_pass() == []
    assert {clusterer.story_of(a) for a in main} == {story}


def _synthetic(key: str, title: str, entities: set[str], rng: np.random.Generator) -> StoryCandidate:
    vector = rng.normal(size=EMBEDDING_DIM).astype(np.float32)
    return StoryCandidate(key, title, "", "2026-03-10", "outlet", set(entities),
                          vector=vector / np.linalg.norm(vector))


def test_signals_follow_a_story_as_it_grows_and_after_a_restore():
    # A story's norms are cached between candidates: they must follow the story when it takes articles.
    rng = np.random.default_rng(4)
    clusterer = StoryClusterer()
    first = clusterer.assign(_synthetic("a1", "Flood closes the ridge road", {"ridge"}, rng), None)
    probe = _synthetic("p", "Ridge road flood reopens", {"ridge", "council"}, rng)
    before = clusterer.features(probe)[first]
    for i, title in enumerate(["Council repairs ridge road", "Council votes on flood repairs"]):
        clusterer.assign(_synthetic(f"a{i + 2}", title, {"council"}, rng), first)
    after = clusterer.features(probe)[first]
    restored = StoryClusterer.load(clusterer.save()).features(probe)[first]  # norms computed afresh
    assert np.allclose(after, restored)
    ents = FEATURES.index("entities")
    assert after[ents] > before[ents]  # the story now names the probe's other entity too


def test_entity_and_term_signals_of_an_identical_article_are_one():
    rng = np.random.default_rng(5)
    clusterer = StoryClusterer()
    member = _synthetic("a", "Ridge road flood closes valley", {"ridge", "valley"}, rng)
    story = clusterer.assign(member, None)
    twin = dataclasses.replace(member, article_id="b", entities=set(member.entities))
    signals = clusterer.features(twin)[story]
    assert signals[FEATURES.index("tfidf")] == pytest.approx(1.0)
    assert signals[FEATURES.index("entities")] == pytest.approx(1.0)


def test_centroid_index_returns_the_nearest_stories_in_the_window():
    rng = np.random.default_rng(6)
    index = _CentroidIndex()
    vectors = rng.normal(size=(600, EMBEDDING_DIM)).astype(np.float32)  # grows past one allocation
    for i, v in enumerate(vectors):
        index.put(f"s{i}", v, 100.0 if i % 2 else 0.0, 100.0 if i % 2 else 0.0)
    query = rng.normal(size=EMBEDDING_DIM).astype(np.float32)
    units = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    odd = [i for i in np.argsort(-(units @ query)) if i % 2][:5]  # only odd stories lie in the window
    assert set(index.top(query, 5, 101.0, 7.0)) == {f"s{i}" for i in odd}


def test_signals_follow_a_merge_without_new_articles():
    # A merge changes a story's terms and entities while no document arrives: its cached norms must go.
    rng = np.random.default_rng(7)
    clusterer = StoryClusterer()
    one = _synthetic("a", "Ridge road flood closes valley", {"ridge"}, rng)
    two = dataclasses.replace(one, article_id="b", title="Valley council counts flood cost",
                              entities={"council"})
    stories = {clusterer.assign(one, None), clusterer.assign(two, None)}
    probe = _synthetic("p", "Council and ridge residents count flood cost", {"ridge", "council"}, rng)
    clusterer.features(probe)  # fills the cache for both stories
    assert clusterer.merge_pass()
    [(story, signals)] = clusterer.features(probe).items()
    assert story in stories
    assert np.allclose(signals, StoryClusterer.load(clusterer.save()).features(probe)[story])

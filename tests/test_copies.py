"""Copies and rewrites, on the sample corpus's wire story, its three copies and its independent reports."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from conftest import corpus_article
from conftest import expected as expected_results

from storylens.stories import (
    CopyCandidate,
    CopyConfig,
    CopyDetector,
    CopyLink,
    Signature,
    compare,
    exact_copies,
    lineage,
    signatures_of,
    voices,
)
from storylens.stories.align import sentence_spans

WIRE = "newsfeed.jsonl#mpa-20260310-0412"
EXACT = "harbour_courier_bridge_collapse.html"
EDITED = "newsfeed.jsonl#nl-20260310-colbeck"
REWRITE = "daily_vista_colbeck_bridge.html"
# Other outlets' own reports of the same bridge collapse: not copies.
INDEPENDENT = ["estmark_gazette_pier_cracks.html", "senn_valley_herald_divers.html",
               "varenholt_evening_post_injured.txt", "newsfeed.jsonl#co-20260312-estmark-inquiry",
               "civil_works_weekly_engineers.txt", "radio_senn_tram_union.txt"]


@pytest.fixture(scope="module")
def expected() -> dict:
    return expected_results()


@pytest.fixture(scope="module")
def signatures(expected) -> dict[str, Signature]:
    """Every corpus article's signature, embedded once for the module."""
    docs = [CopyCandidate(a["source"], corpus_article(a["source"])[0], a["published"], a["outlet"])
            for a in expected["articles"]]
    return {sig.article_id: sig for sig in signatures_of(docs)}


def _dated(sig: Signature, published: str | None) -> Signature:
    return dataclasses.replace(sig, published=published)


def test_edited_copy_is_a_near_duplicate(signatures):
    link = compare(signatures[WIRE], signatures[EDITED])
    assert link is not None and link.kind == "near_duplicate"
    assert (link.earlier, link.later, link.direction) == (WIRE, EDITED, "dated")
    assert 0.85 < link.share < 1.0 and 0.7 < link.score < 1.0  # a paragraph dropped, a line added


def test_paraphrase_is_a_rewrite_not_a_near_duplicate(signatures):
    link = compare(signatures[WIRE], signatures[REWRITE])
    assert link is not None and link.kind == "rewrite"
    assert (link.earlier, link.later) == (WIRE, REWRITE)
    assert link.share >= 0.9 and link.score > 0.85


def test_exact_copy_and_exact_from_the_caller(signatures):
    link = compare(signatures[WIRE], signatures[EXACT])
    assert link == CopyLink(WIRE, EXACT, "exact", 1.0, 1.0, "dated")
    # storylens keeps one article per text: the caller names the stored original it duplicates
    told = dataclasses.replace(signatures[INDEPENDENT[0]], article_id="sighting", exact_of=WIRE)
    assert compare(signatures[WIRE], told).kind == "exact"


def test_appearances_of_one_text_link_from_the_earliest():
    sightings = [("courier", "2026-03-10T08:30:00Z"), ("wire", "2026-03-10T05:40:00Z"), ("blog", None)]
    assert exact_copies(sightings) == [
        CopyLink("wire", "courier", "exact", 1.0, 1.0, "dated"),
        CopyLink("wire", "blog", "exact", 1.0, 1.0, "unknown")]
    assert exact_copies([("a", None), ("b", None)]) == [CopyLink("a", "b", "exact", 1.0, 1.0, "unknown")]
    assert exact_copies([("a", None)]) == []


def test_direction_follows_dates_not_insertion_order(signatures):
    detector = CopyDetector()
    assert detector.add(signatures[REWRITE]) == []
    [link] = detector.add(signatures[WIRE])  # the original arrives after its rewrite
    assert (link.earlier, link.later, link.kind, link.direction) == (WIRE, REWRITE, "rewrite", "dated")


def test_unknown_direction_without_both_dates(signatures):
    wire = signatures[WIRE].published  # 2026-03-10T05:40:00Z
    for edited_date, wire_date in [(None, None), (None, wire), ("2026-03-10", wire)]:  # a bare date: same day
        detector = CopyDetector()
        detector.add(_dated(signatures[EDITED], edited_date))  # stored first
        [link] = detector.add(_dated(signatures[WIRE], wire_date))
        assert (link.earlier, link.later, link.direction) == (EDITED, WIRE, "unknown")
    detector = CopyDetector()
    detector.add(_dated(signatures[EDITED], "2026-03-11"))
    [link] = detector.add(signatures[WIRE])
    assert (link.earlier, link.later, link.direction) == (WIRE, EDITED, "dated")


def test_independent_reports_of_one_event_are_not_linked(signatures):
    detector = CopyDetector()
    detector.load(signatures[key] for key in [WIRE, EXACT, EDITED, REWRITE])
    for key in INDEPENDENT:
        assert detector.add(signatures[key]) == [], key
        assert compare(signatures[WIRE], signatures[key]) is None


def test_voices_count_a_copy_and_its_original_once():
    links = [CopyLink("wire", "copy", "near_duplicate", 0.8, 0.9, "dated"),
             CopyLink("wire", "rewrite", "rewrite", 0.9, 0.95, "dated"),
             CopyLink("wire2", "copy2", "exact", 1.0, 1.0, "unknown")]
    groups = voices(["wire", "copy", "rewrite", "own", "copy2"], links)
    assert sorted(map(sorted, groups)) == [["copy", "rewrite", "wire"], ["copy2"], ["own"]]
    # two copies of a wire story not in the set are still one voice
    assert voices(["copy", "rewrite"], links) == [{"copy", "rewrite"}]


def test_a_later_batch_links_to_earlier_articles_and_state_restores(signatures):
    first = CopyDetector()
    assert first.add(signatures[WIRE]) == [] and first.add(signatures[INDEPENDENT[0]]) == []
    # the lead persists signatures; a new process restores them and keeps linking
    restored = CopyDetector()
    restored.load(Signature.from_record(first.signature(key).to_record()) for key in (WIRE, INDEPENDENT[0]))
    assert len(restored) == 2
    links = [link for key in (INDEPENDENT[1], EDITED, REWRITE) for link in restored.add(signatures[key])]
    assert {(link.earlier, link.later, link.kind) for link in links} == {
        (WIRE, EDITED, "near_duplicate"), (WIRE, REWRITE, "rewrite"), (EDITED, REWRITE, "rewrite")}


def test_candidates_with_spans_and_embeddings_skip_the_splitter(signatures):
    text = "The bridge fell into the river on Monday night. Four people were killed, officials said."
    spans = [(0, 47), (48, len(text))]
    [sig] = signatures_of([CopyCandidate("a", text, sentences=spans,
                                         embeddings=signatures[WIRE].sentences[:2].astype("float32"))])
    assert len(sig.sentences) == 2 and not sig.quoted.any()
    assert sentence_spans("Mr. Steele said so. He left.\nNew line") == [(0, 19), (20, 28), (29, 37)]
    with pytest.raises(ValueError):  # embeddings without the spans they embed
        signatures_of([CopyCandidate("b", text, embeddings=signatures[WIRE].sentences[:2])])


def test_removed_articles_are_no_longer_linked(signatures):
    detector = CopyDetector()
    detector.load([signatures[WIRE], signatures[EXACT], signatures[INDEPENDENT[0]]])
    detector.remove(WIRE)
    detector.remove(INDEPENDENT[0])
    assert WIRE not in detector and len(detector) == 1
    assert {link.earlier for link in detector.add(signatures[EDITED])} == {EXACT}


def test_sample_corpus_copies_found_exactly_in_any_order(signatures, expected):
    want = {(c["earlier"], c["later"], c["kind"]) for c in expected["copies"]}
    for order in (sorted(signatures), sorted(signatures, reverse=True)):
        detector = CopyDetector()
        links = [link for key in order for link in detector.add(signatures[key])]
        tree = lineage(links, detector.published())
        assert {(link.earlier, link.later, link.kind) for link in tree} == want
        assert all(link.direction == "dated" for link in tree)
        families = [sorted(g) for g in voices(order, links) if len(g) > 1]
        assert families == [sorted(f) for f in expected["copy_families"]]


def test_shared_quotes_alone_do_not_make_a_rewrite():
    # Two outlets quoting the same five sentences, each telling the rest in its own words.
    basis = np.eye(384, dtype=np.float16)
    quoted = np.array([True] * 5 + [False] * 3)

    def report(key: str, own: int) -> Signature:
        vectors = np.vstack([basis[:5], basis[own:own + 3]])
        return Signature(key, None, None, key, np.array([], dtype=np.uint64),
                         np.zeros(128, dtype=np.uint64), vectors, quoted)

    assert compare(report("a", 10), report("b", 20)) is None
    assert compare(report("a", 10), report("b", 10)).kind == "rewrite"  # own words aligned too


def test_two_alike_headlines_are_not_a_rewrite():
    # Headline-only records of one event, worded alike by two outlets: one aligned sentence is no copy.
    def headline(key: str, text: str) -> CopyCandidate:
        return CopyCandidate(key, text, "2026-03-10", key)

    a, b = signatures_of([headline("a", "Colbeck bridge collapses into the Senn during rush hour traffic"),
                          headline("b", "Colbeck bridge falls into the Senn during the morning rush hour")])
    assert compare(a, b) is None
    # The same pair with the guard off is read as a rewrite: the guard is what keeps them apart.
    assert compare(a, b, CopyConfig(min_rewrite_pairs=1)).kind == "rewrite"

"""Date expressions resolved against the publication date."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES, SEED_TELEGRAPH, SEED_TOI, body, corpus_article, expected, shared_path

from storylens.models import TimeRef


def times(nlp, text: str, published: str | None) -> list[TimeRef]:
    """Run the date finder over a text the way the pipeline does."""
    from storylens.analyze.dates import find_times
    from storylens.analyze.sentences import split_sentences

    doc = nlp(text)
    return find_times(doc, split_sentences(doc), published)


def at(found: list[TimeRef], text: str, phrase: str, after: int = 0) -> TimeRef | None:
    """The date expression overlapping the first occurrence of `phrase` at or after `after`."""
    start = text.find(phrase, after)
    assert start >= 0, f"{phrase!r} is not in the text"
    end = start + len(phrase)
    return next((r for r in found if r.start < end and r.end > start), None)


def resolved(nlp, sentence: str, published: str | None = "2026-03-11T10:00:00Z") -> str | None:
    """The resolution of the only date expression in a sentence (published on Wednesday 11 March 2026)."""
    found = times(nlp, sentence, published)
    assert len(found) == 1, [(r.text, r.resolved) for r in found]
    return found[0].resolved


# -- seeds -------------------------------------------------------------------------------------


def test_seed_thursday_resolves_with_a_publication_date(nlp):
    text = body(shared_path("seeds", SEED_TELEGRAPH))
    ref = at(times(nlp, text, "2022-09-13"), text, "on Thursday")
    assert ref is not None and ref.resolved == "2022-09-15"
    assert text[ref.start:ref.end] == ref.text
    assert at(times(nlp, text, None), text, "on Thursday").resolved is None


def test_seed_future_meeting_in_the_rewrite(nlp):
    text = body(shared_path("seeds", SEED_TOI))
    found = times(nlp, text, "2022-09-13T08:00:00Z")
    assert at(found, text, "on Thursday").resolved == "2022-09-15"  # "They will meet ... on Thursday"
    assert at(found, text, "Last week").resolved == "2022-09-05"
    assert at(found, text, "next month").resolved == "2022-10-01"


# -- the sample corpus -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_times(nlp):
    if not (EXAMPLES / "expected.json").exists():
        pytest.skip("examples/expected.json is not here")
    cache: dict[str, tuple[str, str | None, list[TimeRef]]] = {}

    def get(source: str) -> tuple[str, str | None, list[TimeRef]]:
        if source not in cache:
            text, published = corpus_article(source)
            cache[source] = (text, published, times(nlp, text, published))
        return cache[source]

    return get


def test_corpus_relative_dates(corpus_times):
    cases = expected()["relative_dates"]
    misses = []
    for case in cases:
        text, published, found = corpus_times(case["source"])
        assert published, f"{case['source']} should carry a publication date"
        ref = at(found, text, case["phrase"], after=text.index(case["sentence"]))
        if ref is None or ref.resolved != case["resolves_to"]:
            misses.append((case["source"], case["phrase"], case["resolves_to"], ref and ref.resolved))
    assert len(cases) >= 20
    assert (len(cases) - len(misses)) / len(cases) >= 0.9, misses


def test_corpus_future_weekday_after_publication(corpus_times):
    # "is expected to visit Harrowgate again on Monday": the Monday after publication.
    futures = [c for c in expected()["relative_dates"] if c.get("direction") == "future"]
    assert futures
    for case in futures:
        text, _, found = corpus_times(case["source"])
        ref = at(found, text, case["phrase"], after=text.index(case["sentence"]))
        assert ref is not None and ref.resolved == case["resolves_to"], case


def test_corpus_undated_articles_leave_relative_dates_unresolved(corpus_times):
    # The .txt files carry no date: their "on Monday" cannot be resolved (expected.json, README).
    undated = [a["source"] for a in expected()["articles"] if a["published"] is None]
    assert undated
    for source in undated:
        text, published, found = corpus_times(source)
        assert published is None
        weekdays = [r for r in found if any(d in r.text for d in ("day", "week", "month"))]
        assert weekdays, source
        assert all(r.resolved is None for r in weekdays), source


# -- conventions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected_date"),
    [
        ("The leaders will meet on Thursday.", "2026-03-12"),
        ("The leaders met on Thursday.", "2026-03-05"),
        ("The minister is expected to visit on Monday.", "2026-03-16"),
        ("The minister visited the site on Monday.", "2026-03-09"),
        ("Both clubs confirmed the deal on Wednesday.", "2026-03-11"),  # same day as publication
        ("She is due to meet the union on Friday.", "2026-03-13"),
        ("He has been in hospital since Tuesday.", "2026-03-10"),
        ("The talks will resume next week.", "2026-03-16"),
        ("The road was closed last week.", "2026-03-02"),
        ("It has been a difficult week for the club this week.", "2026-03-09"),
        ("The inquiry will begin next month.", "2026-04-01"),
        ("Sales fell last year.", "2025-01-01"),
        ("He first tried to sign him two years ago.", "2024-03-11"),
        ("The statement came yesterday.", "2026-03-10"),
        ("The verdict is due tomorrow.", "2026-03-12"),
        ("Records must be published by the end of the month.", "2026-03-31"),
        ("Crews will stay on the water over the weekend.", "2026-03-14"),
        ("Prices fell sharply in February.", "2026-02-01"),
        ("The talks will resume in February.", "2027-02-01"),
        ("The report is dated on March 12.", "2026-03-12"),
    ],
)
def test_resolution_conventions(nlp, sentence, expected_date):
    assert resolved(nlp, sentence) == expected_date


def test_absolute_dates_resolve_without_publication(nlp):
    assert resolved(nlp, "The deal was signed on March 12, 2026.", None) == "2026-03-12"
    assert resolved(nlp, "The deal was signed on 12 March 2026.", None) == "2026-03-12"
    assert resolved(nlp, "The bridge was strengthened in 1998.", None) == "1998-01-01"
    assert resolved(nlp, "The leaders will meet on Thursday.", None) is None


def test_publication_formats(nlp):
    from storylens.analyze.dates import publication_date

    assert str(publication_date("2026-03-10T05:40:00Z")) == "2026-03-10"
    assert str(publication_date("2026-03-10T23:40:00+01:00")) == "2026-03-10"
    assert str(publication_date("2026-03-10")) == "2026-03-10"
    assert publication_date("not a date") is None
    assert publication_date(None) is None


def test_empty_and_dateless(nlp):
    from storylens.analyze.dates import find_times

    assert times(nlp, "", "2026-03-11") == []
    assert times(nlp, "1, 2, 3\n4 5 6", "2026-03-11") == []
    assert find_times(nlp("They met on Monday."), [], "2026-03-11")[0].sentence == 0
    assert times(nlp, "It may rain. Some march for peace.", "2026-03-11") == []

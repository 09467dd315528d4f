"""Run stage 6 over stories: compare each changed story's articles and store the result."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from storylens.compare import claims as claim_steps
from storylens.compare.contradictions import find_contradictions
from storylens.compare.material import StoryMaterial, fingerprint, load
from storylens.compare.numbers import compare_figures
from storylens.compare.quotes import track_quotes
from storylens.models import (
    Citation,
    Claim,
    Comparison,
    Dispute,
    DisputeSide,
    Figure,
    QuoteSighting,
    StoryRecord,
    TrackedQuote,
)

COMPARE_VERSION = 1  # bump when the comparison changes: stored results are then redone


def compare_story(store, story: StoryRecord, material: StoryMaterial | None = None) -> Comparison:
    """Claims, agreed figures, disputes and tracked quotes of one story."""
    material = material or load(store, story)
    central = claim_steps.centrality(material)
    edges = claim_steps.sentence_edges(material)
    claims = claim_steps.build_claims(material, claim_steps.group_claims(material, edges), central)
    figures, number_disputes = compare_figures(material)
    disputes = number_disputes + find_contradictions(material)
    _mark_disputed(claims, disputes)
    return Comparison(story.id, material.fingerprint, claims, figures, disputes, track_quotes(material),
                      material.voice_groups)


def _mark_disputed(claims: list[Claim], disputes: list[Dispute]) -> None:
    disputed = {(c.article_id, c.sentence) for d in disputes for side in d.sides for c in side.citations}
    for claim in claims:
        if any((c.article_id, c.sentence) in disputed for c in claim.citations):
            claim.status = "disputed"


def current(store, story: StoryRecord) -> Comparison | None:
    """The stored comparison of a story if it is up to date, else None."""
    stored = store.get_comparison(story.id)
    if stored and stored["version"] == COMPARE_VERSION and stored["fingerprint"] == fingerprint(story):
        return from_dict(stored["data"])
    return None


def comparison_of(store, story: StoryRecord, material: StoryMaterial | None = None) -> Comparison:
    """A story's comparison: the stored one when current, otherwise computed and stored."""
    found = current(store, story)
    if found is None:
        found = compare_story(store, story, material)
        store.save_comparison(story.id, found.fingerprint, COMPARE_VERSION, found.to_dict())
    return found


def stale(store, stories: Iterable[StoryRecord]) -> list[StoryRecord]:
    """The stories whose stored comparison is missing or out of date."""
    stored = store.comparison_fingerprints()
    return [s for s in stories if stored.get(s.id) != (fingerprint(s), COMPARE_VERSION)]


def compare_stories(store, stories: Iterable[StoryRecord], *, redo: bool = False,
                    on_done: Callable[[StoryRecord], None] | None = None) -> list[Comparison]:
    """Compare (and store) every story given whose stored comparison is missing or stale."""
    out = []
    for story in list(stories) if redo else stale(store, stories):
        comparison = compare_story(store, story)
        store.save_comparison(story.id, comparison.fingerprint, COMPARE_VERSION, comparison.to_dict())
        out.append(comparison)
        if on_done:
            on_done(story)
    store.prune_comparisons()
    return out


def from_dict(data: dict[str, Any]) -> Comparison:
    """A Comparison from its stored JSON form."""
    def cites(items: list[dict]) -> list[Citation]:
        return [Citation(**c) for c in items]

    return Comparison(
        data["story_id"], data["fingerprint"],
        [Claim(**{**c, "citations": cites(c["citations"])}) for c in data["claims"]],
        [Figure(**{**f, "citations": cites(f["citations"])}) for f in data["figures"]],
        [Dispute(**{**d, "sides": [DisputeSide(**{**s, "citations": cites(s["citations"])})
                                   for s in d["sides"]]}) for d in data["disputes"]],
        [TrackedQuote(**{**q, "sightings": [QuoteSighting(**s) for s in q["sightings"]]})
         for q in data["quotes"]],
        data["voices"])

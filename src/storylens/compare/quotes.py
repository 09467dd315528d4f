"""Quotes followed across outlets: one quote with all its appearances, and what changed between them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from storylens.analyze.vectors import embed
from storylens.compare.material import StoryMaterial
from storylens.models import Quote, QuoteSighting, TrackedQuote

SAME_WORDS = 75.0  # rapidfuzz score at which two quotes are the same words, lightly edited
SAME_MEANING = 0.7  # cosine at which differently worded quotes of one speaker say the same thing
VERBATIM = 97.0  # at or above this, a difference is punctuation or spacing
_FOLD = re.compile(r"[\W_]+", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass
class _Seen:
    quote: Quote
    sighting: QuoteSighting
    voice: int
    entity: int | None
    role: str | None
    vectors: np.ndarray | None  # one row per sentence of the quote, embedded only when needed


def _fold(text: str) -> str:
    return _FOLD.sub(" ", text.casefold()).strip()


def wording(a: str, b: str) -> float:
    """How alike two quotes' words are (0–100); a fragment whose words all recur in the other scores high."""
    return float(wording_matrix([a, b])[0, 1])


def _pieces(text: str) -> list[str]:
    """A quote's sentences: a fragment may repeat just one of them."""
    return [p.strip() for p in _SENTENCE_END.split(text) if len(p.split()) >= 3] or [text]


def _sightings(material: StoryMaterial) -> list[_Seen]:
    found: list[tuple[Quote, QuoteSighting, int, int | None, str | None]] = []
    for member in material.articles:
        analysis = member.analysis
        if analysis is None:
            continue
        roles = {e.key: e.roles[0] for e in analysis.entities if e.roles}
        for quote in analysis.quotes:
            speaker = quote.speaker_key or quote.speaker
            sighting = QuoteSighting(member.article.id, member.article.outlet, quote.start, quote.end,
                                     quote.sentence, quote.text, quote.kind, speaker)
            found.append((quote, sighting, member.voice, member.entity_ids.get(quote.speaker_key or ""),
                          roles.get(quote.speaker_key or "")))
    return [_Seen(*item, None) for item in found]


def _embed_pieces(seen: list[_Seen]) -> None:
    """Give these quotes one vector per sentence, in one batch."""
    pieces = [_pieces(s.quote.text) for s in seen]
    vectors = embed([p for group in pieces for p in group])
    cursor = 0
    for item, group in zip(seen, pieces, strict=True):
        item.vectors, cursor = vectors[cursor:cursor + len(group)], cursor + len(group)


def wording_matrix(texts: list[str]) -> np.ndarray:
    """wording() for every pair of these texts, computed in bulk (pairs below 50 count as 0)."""
    folded = [_fold(t) for t in texts]
    # token_set_ratio scores a fragment against the quote it was cut from as (nearly) equal.
    score = np.maximum(cdist(folded, folded, scorer=fuzz.ratio, score_cutoff=50, workers=-1),
                       0.95 * cdist(folded, folded, scorer=fuzz.token_set_ratio, score_cutoff=50, workers=-1))
    empty = np.array([not f for f in folded])
    score[empty, :] = 0
    score[:, empty] = 0
    return score


def _same_speaker(a: _Seen, b: _Seen) -> bool:
    if a.entity is not None and b.entity is not None:
        return a.entity == b.entity
    if a.quote.speaker and b.quote.speaker:
        return fuzz.token_set_ratio(a.quote.speaker, b.quote.speaker) >= 85
    return False


def track_quotes(material: StoryMaterial) -> list[TrackedQuote]:
    """The story's quotes, each with its appearances across outlets and any drift between them."""
    seen = _sightings(material)
    if not seen:
        return []
    words = wording_matrix([s.quote.text for s in seen])
    articles = np.array([s.sighting.article_id for s in seen])
    other = articles[:, None] != articles[None, :]
    # Differently worded quotes can still be one statement, but only from one speaker: only those
    # pairs need the (slow) sentence embeddings.
    # Only a named speaker (found by name or a resolved pronoun) makes two differently worded quotes one
    # statement: "officials" in two outlets are not known to be the same people.
    named = np.array([s.quote.speaker_via in ("name", "pronoun") for s in seen])
    maybe = other & (words < SAME_WORDS) & named[:, None] & named[None, :]
    by_speaker = [(i, j) for i, j in zip(*np.nonzero(np.triu(maybe, k=1)), strict=True)
                  if _same_speaker(seen[i], seen[j])]
    _embed_pieces([seen[k] for k in sorted({k for pair in by_speaker for k in pair})])
    pairs = [(words[i, j] / 100 + 1.0, i, j)
             for i, j in zip(*np.nonzero(np.triu(other & (words >= SAME_WORDS), k=1)), strict=True)]
    for i, j in by_speaker:
        meaning = float((seen[i].vectors @ seen[j].vectors.T).max())
        if meaning >= SAME_MEANING:
            pairs.append((words[i, j] / 100 + meaning, i, j))
    # Strongest pairs first, and never two quotes of one article in one group: an article quoting a
    # speaker twice has said two things, even when both are alike.
    group_of = list(range(len(seen)))
    members = {i: [i] for i in range(len(seen))}
    for _, i, j in sorted(pairs, reverse=True):
        gi, gj = group_of[i], group_of[j]
        if gi == gj or ({seen[k].sighting.article_id for k in members[gi]}
                        & {seen[k].sighting.article_id for k in members[gj]}):
            continue
        for k in members[gj]:
            group_of[k] = gi
        members[gi] += members.pop(gj)
    tracked = [_tracked(material, [seen[k] for k in sorted(rows)]) for rows in members.values()]
    tracked.sort(key=lambda t: (-t.voices, -len(t.sightings), t.speaker or "~", t.text))
    return tracked


def _tracked(material: StoryMaterial, group: list[_Seen]) -> TrackedQuote:
    first = group[0]  # articles are in publication order, so this is the earliest sighting
    # The speaker as the first report names them; a changed speaker is flagged below.
    named = [g for g in group if g.sighting.speaker]
    speaker = named[0].sighting.speaker if named else None
    entity = next((g.entity for g in named if g.sighting.speaker == speaker and g.entity is not None), None)
    role = next((g.role for g in group if g.role), None)
    outlets: list[str] = []
    for g in group:
        for outlet in material.article(g.sighting.article_id).outlets:
            if outlet not in outlets:
                outlets.append(outlet)
    flags, notes = _drift(group)
    kind = "direct" if any(g.quote.kind == "direct" for g in group) else first.quote.kind
    return TrackedQuote(speaker, entity, role, first.quote.text, kind, [g.sighting for g in group], outlets,
                        len({g.voice for g in group}), flags, notes)


def _drift(group: list[_Seen]) -> tuple[list[str], list[str]]:
    flags: list[str] = []
    notes: list[str] = []
    direct = [g for g in group if g.quote.kind in ("direct", "partial")]
    for g in direct[1:]:
        base = direct[0]
        words = wording(base.quote.text, g.quote.text)
        where = f"{_name(g)} vs {_name(base)}"
        if words < SAME_WORDS and "paraphrase_in_quotes" not in flags:
            flags.append("paraphrase_in_quotes")
            notes.append(f"{where}: different words inside quotation marks for the same statement")
        elif SAME_WORDS <= words < VERBATIM and "wording_changed" not in flags:
            flags.append("wording_changed")
            notes.append(f"{where}: the quoted words differ")
    # Only speakers found by name or a resolved pronoun: "both", "officials" are not a changed speaker.
    named = [g for g in group if g.quote.speaker and g.quote.speaker_via in ("name", "pronoun")]
    if any(not _same_speaker(a, b) for a, b in combinations(named, 2)):
        flags.append("speaker_changed")
        speakers = sorted({g.sighting.speaker for g in named if g.sighting.speaker})
        notes.append("attributed to different speakers: " + ", ".join(speakers))
    return flags, notes


def _name(seen: _Seen) -> str:
    return seen.sighting.outlet or seen.sighting.article_id

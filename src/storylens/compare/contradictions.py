"""Statements that pull apart: alike sentences from independent outlets with opposite polarity."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from storylens.compare.lexicon import lexicon
from storylens.compare.material import StoryMaterial, StorySentence
from storylens.compare.words import WORD, content_of, content_stems, distinctive, words
from storylens.models import Dispute, DisputeSide

_LEXICON = lexicon()
_NEGATORS = frozenset(_LEXICON["negators"])
_IDIOMS = frozenset(_LEXICON["not_negations"])
# Two poles a report can take on one subject: growing, going ahead — or the reverse.
_UP, _DOWN = frozenset(_LEXICON["up"]), frozenset(_LEXICON["down"])
_DOWN_PHRASES = tuple(_LEXICON["down_phrases"])
# Words strong enough that two alike sentences using opposite ones pull apart whatever their subject.
_STRONG = frozenset(_LEXICON["strong"])
SIMILARITY_FLOOR = 0.4  # below this, two sentences are about different things
# How alike two sentences must be for each kind of evidence: a negation needs the closest match (a denial
# shares the words of what it denies), a direction needs a shared subject, a strong stance a shared name.
NEGATION_FLOOR, DIRECTION_FLOOR, STANCE_FLOOR = 0.55, 0.45, 0.4
MAX_DISPUTES = 6  # per story: the strongest, so a reader can check each
MAX_SIDE = 4  # sentences of evidence on one side of a dispute
RELATED = 0.5  # a sentence this close to one already in a dispute between the same voices joins it


@dataclass(frozen=True)
class Marker:
    """A polarity word in a sentence: what it does, and the content words in its reach."""

    kind: str  # "negation", "up" or "down"
    scope: frozenset[str]  # content stems near it: what is denied, or what goes up or down
    strong: bool = False  # "boomed", "toxic": a stance, not just a direction


def markers(text: str) -> list[Marker]:
    """The sentence's negation and direction words, each with the content words it bears on."""
    tokens = words(text)
    # Names ("Colbeck Bridge") run through a whole story: the subject of a direction is a common noun.
    names = {w.casefold() for w in WORD.findall(text)[1:] if w[:1].isupper()}
    out = []
    for i, word in enumerate(tokens):
        if " ".join(tokens[i:i + 2]) in _IDIOMS or " ".join(tokens[i:i + 3]) in _IDIOMS:
            continue  # "there is no question that …" asserts, it does not deny
        if word in _NEGATORS or word.endswith("n't"):
            out.append(Marker("negation", frozenset(content_of(tokens[i + 1:i + 8]))))
        elif word in _UP or word in _DOWN:
            near = [w for w in tokens[max(0, i - 5):i] + tokens[i + 1:i + 4] if w not in names]
            out.append(Marker("up" if word in _UP else "down", frozenset(content_of(near)), word in _STRONG))
    lowered = " ".join(tokens)
    for phrase in _DOWN_PHRASES:
        at = lowered.find(phrase)
        if at >= 0:
            near = [w for w in lowered[:at].split()[-6:] if w not in names]
            out.append(Marker("down", frozenset(content_of(near)), phrase in _STRONG))
    return out


@dataclass(frozen=True)
class Stance:
    """What contradiction needs of one sentence, worked out once: its markers and content stems."""

    markers: tuple[Marker, ...]
    stems: frozenset[str]

    @classmethod
    def of(cls, text: str) -> Stance:
        """The stance of one sentence."""
        return cls(tuple(markers(text)), frozenset(content_stems(text)))


def contradiction(a: str | Stance, b: str | Stance, similarity: float, telling: set[str] | None = None,
                  shared_entities: int = 0) -> tuple[float, str] | None:
    """A confidence and a reason when two alike sentences assert opposite things about one subject."""
    if similarity < SIMILARITY_FLOOR:
        return None
    a = a if isinstance(a, Stance) else Stance.of(a)
    b = b if isinstance(b, Stance) else Stance.of(b)
    ma, mb, ca, cb = a.markers, b.markers, a.stems, b.stems
    if not ma and not mb:
        return None
    keep = (lambda stems: stems & telling) if telling is not None else (lambda stems: stems)
    reasons: list[str] = []
    subjects: set[str] = set()
    negated_a = [m for m in ma if m.kind == "negation"]
    negated_b = [m for m in mb if m.kind == "negation"]
    if bool(negated_a) != bool(negated_b) and similarity >= NEGATION_FLOOR:
        for marker, other in [(m, cb) for m in negated_a] + [(m, ca) for m in negated_b]:
            shared = keep(marker.scope & other)
            if len(shared) >= 2:
                reasons.append("one denies what the other states")
                subjects |= shared
                break
    for x in ma:
        for y in mb:
            if {x.kind, y.kind} == {"up", "down"}:
                shared = keep(x.scope & y.scope)
                if shared and similarity >= DIRECTION_FLOOR:
                    reasons.append(f"opposite directions: {x.kind} / {y.kind}")
                    subjects |= shared
                    break
                if (x.strong or y.strong) and shared_entities:
                    reasons.append(f"opposite stances: {x.kind} / {y.kind}")
                    break
        if reasons and reasons[-1].startswith("opposite"):
            break
    if not reasons:
        return None
    confidence = min(0.95, 0.45 + (similarity - SIMILARITY_FLOOR) + 0.05 * min(len(subjects), 4)
                     + 0.1 * (len(reasons) - 1))
    about = f" (about: {', '.join(sorted(subjects)[:4])})" if subjects else ""
    return round(confidence, 3), "; ".join(reasons) + about


def find_contradictions(material: StoryMaterial, threshold: float = 0.45) -> list[Dispute]:
    """Pairs of sentences from different voices that contradict, strongest first, at most MAX_DISPUTES."""
    sentences = [s for s in material.sentences if not s.quoted]
    if len(sentences) < 2:
        return []
    vectors = material.vectors[[s.row for s in sentences]]
    similarity = vectors @ vectors.T
    telling = set(distinctive([content_stems(s.text) for s in material.sentences]))
    stances = [Stance.of(s.text) for s in sentences]
    marked = np.array([bool(st.markers) for st in stances])
    voices = np.array([s.voice for s in sentences])
    # Only pairs where a polarity word is present can contradict: the rest are never looked at.
    candidates = (similarity >= SIMILARITY_FLOOR) & (marked[:, None] | marked[None, :])
    candidates &= voices[:, None] != voices[None, :]
    found: list[tuple[float, str, StorySentence, StorySentence]] = []
    for i, j in zip(*np.nonzero(np.triu(candidates, k=1)), strict=True):
        a, b = sentences[i], sentences[j]
        verdict = contradiction(stances[i], stances[j], float(similarity[i, j]), telling,
                                len(a.entities & b.entities))
        if verdict and verdict[0] >= threshold:
            found.append((verdict[0], verdict[1], a, b))
    found.sort(key=lambda f: (-f[0], f[2].row, f[3].row))
    index = {s.row: n for n, s in enumerate(sentences)}
    disputes: list[tuple[list[StorySentence], list[StorySentence], list[float], list[str]]] = []
    for confidence, why, a, b in found:
        if any(_repeats(s, side, similarity, index) for s in (a, b)
               for sides in disputes for side in sides[:2]):
            continue
        home = _related_dispute(disputes, a, b, similarity, index)
        if home is None:
            if len(disputes) < MAX_DISPUTES:
                disputes.append(([a], [b], [confidence], [why]))
            continue
        left, right, confidences, reasons = home
        for sentence, side in ((a, left if left[0].voice == a.voice else right),
                               (b, right if right[0].voice == b.voice else left)):
            if sentence not in side and len(side) < MAX_SIDE:
                side.append(sentence)
        confidences.append(confidence)
        if why not in reasons:
            reasons.append(why)
    return [Dispute("contradiction", "; ".join(reasons[:3]), round(max(confidences), 3),
                    [_side(material, left), _side(material, right)])
            for left, right, confidences, reasons in disputes]


def _repeats(sentence: StorySentence, side: list[StorySentence], similarity: np.ndarray,
             index: dict[int, int]) -> bool:
    """A copy's sentence already stands in a dispute through its source (same voice, same words)."""
    return any(s.voice == sentence.voice and s.row != sentence.row
               and similarity[index[s.row], index[sentence.row]] >= 0.9 for s in side)


def _related_dispute(disputes: list, a: StorySentence, b: StorySentence, similarity: np.ndarray,
                     index: dict[int, int]):
    """The dispute between the same two voices that this pair adds evidence to, if any."""
    for dispute in disputes:
        left, right = dispute[0], dispute[1]
        if {left[0].voice, right[0].voice} != {a.voice, b.voice}:
            continue
        for sentence in (a, b):
            side = left if left[0].voice == sentence.voice else right
            if any(s.row == sentence.row or similarity[index[s.row], index[sentence.row]] >= RELATED
                   for s in side):
                return dispute
    return None


def _side(material: StoryMaterial, sentences: list[StorySentence]) -> DisputeSide:
    sentences = sorted(sentences, key=lambda s: s.row)
    outlets: list[str] = []
    for s in sentences:
        outlets += [o for o in material.article(s.article_id).outlets if o not in outlets]
    return DisputeSide(" … ".join(s.text for s in sentences), [s.citation() for s in sentences], outlets)

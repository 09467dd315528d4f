"""The data model shared by every stage: what a reader finds and what the store keeps."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class Draft:
    """An article as a reader found it, before normalisation and identity."""

    source: str
    text: str
    title: str | None = None
    outlet: str | None = None
    sitename: str | None = None
    url: str | None = None
    byline: str | None = None
    published: str | None = None
    language: str | None = None
    external_id: str | None = None


@dataclass(frozen=True)
class Problem:
    """One input, or one part of it, that could not be read."""

    source: str
    message: str
    skip: bool = False  # expected in this input (an index page inside a crawl): not a failure

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


@dataclass
class Article:
    """A stored article; `id` is a hash of its normalised text."""

    id: str
    text: str
    source: str
    ingested_at: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    byline: str | None = None
    published: str | None = None
    language: str | None = None
    external_id: str | None = None
    previous_id: str | None = None
    superseded_by: str | None = None

    @property
    def words(self) -> int:
        """Number of whitespace-separated words in the text."""
        return len(self.text.split())

    def to_dict(self, *, with_text: bool = True) -> dict[str, Any]:
        """The article as a JSON-ready dict."""
        data = asdict(self)
        data["words"] = self.words
        if not with_text:
            del data["text"]
        return data


AddStatus = Literal["added", "duplicate", "new_version"]
OutcomeStatus = Literal["added", "duplicate", "new_version", "skipped", "failed"]


@dataclass(frozen=True)
class AddResult:
    """What the store did with one article."""

    status: AddStatus
    article_id: str
    previous_id: str | None = None
    appearance: bool = False  # a duplicate published under another outlet or URL


@dataclass(frozen=True)
class Outcome:
    """What ingestion did with one article or one failed input."""

    source: str
    status: OutcomeStatus
    article_id: str | None = None
    title: str | None = None
    message: str | None = None


@dataclass
class IngestReport:
    """Everything one ingest call did, in order."""

    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: OutcomeStatus) -> int:
        """How many outcomes have this status."""
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failures(self) -> list[Outcome]:
        """The outcomes that failed."""
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def ok(self) -> bool:
        """True when nothing failed."""
        return not self.failures

    def to_dict(self) -> dict[str, Any]:
        """The report as a JSON-ready dict."""
        return {
            "added": self.count("added"),
            "duplicate": self.count("duplicate"),
            "new_version": self.count("new_version"),
            "skipped": self.count("skipped"),
            "failed": self.count("failed"),
            "outcomes": [asdict(o) for o in self.outcomes],
        }


# -- Analysis (stage 2): spans are character offsets into Article.text ----------------------

QuoteKind = Literal["direct", "partial", "indirect"]
SpeakerVia = Literal["name", "pronoun", "continuation", "nominal", "unknown"]


@dataclass
class Sentence:
    """A sentence of an article, with its paragraph number."""

    index: int
    start: int
    end: int
    paragraph: int


@dataclass
class Mention:
    """A named-entity mention; `key` is the canonical name of its entity within the article."""

    start: int
    end: int
    text: str
    label: str
    key: str
    sentence: int


@dataclass
class LocalEntity:
    """An entity as one article knows it: canonical name, label, the aliases used, roles given."""

    key: str
    label: str
    aliases: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    mentions: int = 0


@dataclass
class Quote:
    """Something someone said: the content span, its cue, and who said it."""

    start: int
    end: int
    text: str
    kind: QuoteKind
    sentence: int
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_key: str | None = None
    speaker_via: SpeakerVia = "unknown"
    confidence: float = 0.5


@dataclass
class Quantity:
    """A number with its unit, normalised, and what it measures."""

    start: int
    end: int
    text: str
    sentence: int
    value: float
    unit: str
    measure: str | None = None
    change: float | None = None
    change_unit: str | None = None
    period: str | None = None
    normalised: dict[str, float] = field(default_factory=dict)
    qualifier: str | None = None  # "nearly", "more than", "up to": the number is not exact


@dataclass
class TimeRef:
    """A date expression and the calendar date it resolves to (when the publication date allows)."""

    start: int
    end: int
    text: str
    sentence: int
    resolved: str | None = None


@dataclass
class Analysis:
    """Everything stage 2 finds in one article."""

    article_id: str
    language: str
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    entities: list[LocalEntity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    times: list[TimeRef] = field(default_factory=list)
    skipped: str | None = None


@dataclass
class Entity:
    """A real-world person, organisation or place, linked across articles."""

    id: int
    name: str
    label: str
    aliases: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    articles: int = 0
    mentions: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The entity as a JSON-ready dict."""
        return asdict(self)


# -- Copies (stage 4) --------------------------------------------------------------------------

CopyKind = Literal["exact", "near_duplicate", "rewrite"]
Direction = Literal["dated", "unknown"]


@dataclass(frozen=True)
class CopyLink:
    """`later` copies (or rewrites) `earlier`; `share` is the fraction of `later` taken from `earlier`."""

    earlier: str
    later: str
    kind: CopyKind
    score: float  # exact 1.0; near-duplicate: shingle Jaccard; rewrite: mean cosine of aligned sentences
    share: float  # of the later article: shingles (near-duplicate) or sentences (rewrite) from the earlier
    direction: Direction  # "dated": by publication dates; "unknown": insertion order, dates missing or equal


# -- Stories (stage 5) -------------------------------------------------------------------------


@dataclass
class StoryRecord:
    """A story: the articles that report one event, its most central headline, outlets and dates."""

    id: str
    title: str | None
    article_ids: list[str]
    outlets: list[str]
    first_seen: str | None
    last_updated: str | None

    def to_dict(self) -> dict[str, Any]:
        """The story as a JSON-ready dict."""
        return asdict(self)


# -- Comparison (stage 6): claims, figures, disputes and quotes inside one story ----------------

ClaimStatus = Literal["corroborated", "single_source", "disputed"]
DisputeKind = Literal["number", "contradiction"]


@dataclass(frozen=True)
class Citation:
    """Where a line comes from: an article, its outlet, and the sentence's character span."""

    article_id: str
    outlet: str | None
    sentence: int
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        """The citation as a JSON-ready dict."""
        return asdict(self)


@dataclass
class Claim:
    """Sentences from several articles that state the same thing; `voices` counts copies once."""

    id: int
    text: str  # the most central of its sentences, verbatim
    status: ClaimStatus
    citations: list[Citation]
    outlets: list[str]
    voices: int
    centrality: float = 0.0  # similarity to the story's centre
    quote: bool = False  # mostly inside quotation marks
    facts: int = 0  # names, numbers and dates in its main sentence: what makes it checkable


@dataclass
class Figure:
    """One number as several outlets report it (agreeing, or not: see Dispute)."""

    measure: str
    unit: str
    value: float
    text: str  # the number as written in the first citation
    citations: list[Citation]
    outlets: list[str]
    voices: int


@dataclass
class DisputeSide:
    """One side of a dispute: what it says and who says it."""

    text: str
    citations: list[Citation]
    outlets: list[str]
    value: float | None = None  # for number disputes, in the measure's unit


@dataclass
class Dispute:
    """Outlets that disagree: numbers that differ on one measure, or statements that contradict."""

    kind: DisputeKind
    why: str
    confidence: float
    sides: list[DisputeSide]
    measure: str | None = None


@dataclass
class QuoteSighting:
    """One appearance of a quote in an article."""

    article_id: str
    outlet: str | None
    start: int
    end: int
    sentence: int
    text: str
    kind: str
    speaker: str | None


@dataclass
class TrackedQuote:
    """A quote followed across outlets, with what changed between its appearances."""

    speaker: str | None
    speaker_entity: int | None
    role: str | None
    text: str  # as first published
    kind: str
    sightings: list[QuoteSighting]
    outlets: list[str]
    voices: int
    flags: list[str] = field(default_factory=list)  # wording_changed, speaker_changed, paraphrase_in_quotes
    notes: list[str] = field(default_factory=list)  # one line per flag, for readers


@dataclass
class Comparison:
    """Everything stage 6 finds in one story."""

    story_id: str
    fingerprint: str  # of the story's article ids: a changed story is compared again
    claims: list[Claim] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    disputes: list[Dispute] = field(default_factory=list)
    quotes: list[TrackedQuote] = field(default_factory=list)
    voices: list[list[str]] = field(default_factory=list)  # article ids grouped by independent voice

    def to_dict(self) -> dict[str, Any]:
        """The comparison as a JSON-ready dict."""
        return asdict(self)

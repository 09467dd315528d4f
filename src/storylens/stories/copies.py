"""Copies and rewrites: exact copies, near-duplicates (syndication) and paraphrased rewrites, with direction.

An article is reduced once to a `Signature` (identity hash, word-shingle hashes, MinHash, sentence
embeddings); a `CopyDetector` indexes signatures (MinHash LSH for shared phrasing, a document-vector
matrix for shared meaning) and compares each new article only with the candidates those indexes return.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import numpy as np

from storylens.analyze.vectors import EMBEDDING_DIM, PERMUTATIONS, embed, minhash, shingles
from storylens.ingest.normalize import article_id as identity_hash
from storylens.models import CopyLink, Direction
from storylens.stories.align import Alignment, align, quoted_fractions, sentence_spans

_KIND_RANK = {"exact": 0, "near_duplicate": 1, "rewrite": 2}
_SCHEME = "affine32"  # datasketch 2's default, which vectors.minhash uses; needed to rebuild a MinHash


@dataclass
class CopyCandidate:
    """One article offered to the detector; sentence spans, embeddings and MinHash are optional."""

    article_id: str
    text: str
    published: str | None = None  # ISO 8601 date or date-time
    outlet: str | None = None
    sentences: list[tuple[int, int]] | None = None  # (start, end) character spans
    embeddings: np.ndarray | None = None  # unit vectors, one row per span in `sentences`
    minhash: Any = None  # a datasketch MinHash or its hashvalues, from vectors.minhash(text)
    exact_of: str | None = None  # the caller already knows this is an exact copy of a stored article


@dataclass(frozen=True)
class CopyConfig:
    """Thresholds of the detector (one configuration for every corpus)."""

    lsh_threshold: float = 0.3  # MinHash Jaccard at which LSH returns a candidate
    near_containment: float = 0.75  # shingle containment (of the smaller article) for a near-duplicate
    sentence_similarity: float = 0.72  # cosine at which two sentences say the same thing
    rewrite_share: float = 0.6  # aligned fraction of either article, of all and of its own-words sentences
    min_narrative: int = 3  # below this many sentences outside quotation marks, all sentences count
    rewrite_order: float = 0.7  # fraction of aligned pairs in the same relative order
    # One or two similar sentences (two headlines of one event) are not a rewrite: independent outlets
    # word a headline alike, and a false copy link joins stories whatever their time apart.
    min_rewrite_pairs: int = 3
    top_k: int = 10  # rewrite candidates taken from the document-vector index
    vector_floor: float = 0.6  # document cosine below which no rewrite is considered
    min_sentence_words: int = 4  # shorter sentences (datelines, "Advertisement") are not aligned


@dataclass
class Signature:
    """What the detector keeps of an article: enough to compare it again without its text."""

    article_id: str
    published: str | None
    outlet: str | None
    identity: str  # hash of the normalised text (storylens.ingest.normalize.article_id)
    shingles: np.ndarray  # sorted unique uint64 hashes of the word shingles
    minhash: np.ndarray  # MinHash hashvalues (uint64)
    sentences: np.ndarray  # float16 unit vectors of the content sentences, in text order
    quoted: np.ndarray  # per content sentence: mostly inside quotation marks (bool)
    exact_of: str | None = None
    vector: np.ndarray = field(init=False, repr=False)  # normalised mean of the sentence vectors

    def __post_init__(self) -> None:
        mean = self.sentences.astype(np.float32).mean(axis=0) if len(self.sentences) else None
        norm = float(np.linalg.norm(mean)) if mean is not None else 0.0
        self.vector = mean / norm if norm > 0 else np.zeros(EMBEDDING_DIM, dtype=np.float32)

    def to_record(self) -> dict[str, Any]:
        """The signature as plain values and bytes, for a store row."""
        return {"article_id": self.article_id, "published": self.published, "outlet": self.outlet,
                "identity": self.identity, "shingles": self.shingles.tobytes(),
                "minhash": self.minhash.tobytes(), "sentences": self.sentences.tobytes(),
                "quoted": self.quoted.astype(np.uint8).tobytes()}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Signature:
        """The inverse of to_record."""
        vectors = np.frombuffer(record["sentences"], dtype=np.float16).reshape(-1, EMBEDDING_DIM)
        return cls(record["article_id"], record["published"], record["outlet"], record["identity"],
                   np.frombuffer(record["shingles"], dtype=np.uint64),
                   np.frombuffer(record["minhash"], dtype=np.uint64), vectors,
                   np.frombuffer(record["quoted"], dtype=np.uint8).astype(bool))


def signature_of(doc: CopyCandidate, config: CopyConfig | None = None) -> Signature:
    """One article's signature (embeds its sentences unless the candidate carries embeddings)."""
    return signatures_of([doc], config)[0]


def signatures_of(docs: Sequence[CopyCandidate], config: CopyConfig | None = None) -> list[Signature]:
    """Signatures of several articles, embedding all their missing sentence vectors in one batch."""
    config = config or CopyConfig()
    texts: list[str] = []
    plans: list[tuple[list[int], np.ndarray | None, np.ndarray]] = []
    for doc in docs:
        spans = doc.sentences if doc.sentences is not None else sentence_spans(doc.text)
        keep = [i for i, (s, e) in enumerate(spans)
                if len(doc.text[s:e].split()) >= config.min_sentence_words]
        quoted = np.array(quoted_fractions(doc.text, [spans[i] for i in keep]), dtype=np.float32) >= 0.5
        if doc.embeddings is not None:
            if doc.sentences is None or len(doc.embeddings) != len(spans):
                raise ValueError(f"{doc.article_id}: embeddings need the sentence spans they embed, "
                                 f"one row per span")
            plans.append((keep, np.asarray(doc.embeddings)[keep], quoted))
        else:
            plans.append((keep, None, quoted))
            texts.extend(doc.text[spans[i][0]:spans[i][1]] for i in keep)
    vectors, cursor, out = embed(texts), 0, []
    for doc, (keep, given, quoted) in zip(docs, plans, strict=True):
        if given is None:
            given, cursor = vectors[cursor:cursor + len(keep)], cursor + len(keep)
        out.append(Signature(doc.article_id, doc.published, doc.outlet, identity_hash(doc.text),
                             shingle_hashes(doc.text), _hashvalues(doc), given.astype(np.float16),
                             quoted, exact_of=doc.exact_of))
    return out


def shingle_hashes(text: str) -> np.ndarray:
    """Sorted unique 64-bit hashes of the text's word shingles (stable across processes)."""
    values = {int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "little")
              for s in shingles(text)}
    return np.array(sorted(values), dtype=np.uint64)


def _hashvalues(doc: CopyCandidate) -> np.ndarray:
    given = doc.minhash if doc.minhash is not None else minhash(doc.text)
    values = getattr(given, "hashvalues", given)
    return np.asarray(values, dtype=np.uint64)


def compare(stored: Signature, new: Signature, config: CopyConfig | None = None) -> CopyLink | None:
    """The copy link between a stored article and a new one, or None when neither copies the other."""
    config = config or CopyConfig()
    earlier, later, direction = _order(stored, new)
    if stored.identity == new.identity or stored.article_id == new.exact_of or \
            new.article_id == stored.exact_of:
        return CopyLink(earlier.article_id, later.article_id, "exact", 1.0, 1.0, direction)
    shared = len(np.intersect1d(earlier.shingles, later.shingles, assume_unique=True))
    smaller = min(len(earlier.shingles), len(later.shingles))
    if smaller and shared / smaller >= config.near_containment:
        jaccard = shared / (len(earlier.shingles) + len(later.shingles) - shared)
        return CopyLink(earlier.article_id, later.article_id, "near_duplicate", round(jaccard, 4),
                        round(shared / len(later.shingles), 4), direction)
    found = align(later.sentences, earlier.sentences, config.sentence_similarity)
    if len(found.pairs) >= config.min_rewrite_pairs and found.order >= config.rewrite_order and \
            rewrite_share(found, later, earlier, config) >= config.rewrite_share:
        return CopyLink(earlier.article_id, later.article_id, "rewrite", round(found.similarity, 4),
                        round(found.share_a, 4), direction)
    return None


def rewrite_share(found: Alignment, a: Signature, b: Signature, config: CopyConfig) -> float:
    """The aligned share that decides a rewrite (the alignment's pairs index a's then b's sentences)."""
    # Independent reports of one event quote the same words; only sentences in the writer's own words
    # show a rewrite. For the better-covered side: the smaller of its aligned share overall and among
    # its own-words sentences.
    best = 0.0
    for side, signature in enumerate((a, b)):
        total = len(signature.sentences)
        if not total:
            continue
        aligned = [pair[side] for pair in found.pairs]
        share = len(aligned) / total
        narrative = int((~signature.quoted).sum())
        if narrative >= config.min_narrative:
            share = min(share, sum(1 for i in aligned if not signature.quoted[i]) / narrative)
        best = max(best, share)
    return best


def _order(stored: Signature, new: Signature) -> tuple[Signature, Signature, Direction]:
    a, b = _instant(stored.published), _instant(new.published)
    if a is None or b is None:
        return stored, new, "unknown"
    if _date_only(stored.published) or _date_only(new.published):  # a bare date: compare days only
        a, b = a.date(), b.date()
    if a == b:
        return stored, new, "unknown"
    return (stored, new, "dated") if a < b else (new, stored, "dated")


def _date_only(published: str | None) -> bool:
    return published is not None and len(published) == 10


def _instant(published: str | None) -> datetime | None:
    if not published:
        return None
    try:
        if _date_only(published):
            return datetime.combine(date.fromisoformat(published), datetime.min.time(), UTC)
        moment = datetime.fromisoformat(published.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class _VectorIndex:
    """Unit document vectors in a growing matrix, searched by dot product."""

    def __init__(self, dim: int = EMBEDDING_DIM) -> None:
        self.ids: list[str] = []
        self._rows: dict[str, int] = {}
        self._matrix = np.zeros((64, dim), dtype=np.float32)

    def add(self, key: str, vector: np.ndarray) -> None:
        if len(self.ids) == len(self._matrix):  # double the capacity: amortised constant appends
            self._matrix = np.vstack([self._matrix, np.zeros_like(self._matrix)])
        self._matrix[len(self.ids)] = vector
        self._rows[key] = len(self.ids)
        self.ids.append(key)

    def remove(self, key: str) -> None:
        # Swap the last row into the hole: the matrix stays dense.
        row = self._rows.pop(key, None)
        if row is None:
            return
        last = len(self.ids) - 1
        if row != last:
            self._matrix[row] = self._matrix[last]
            self.ids[row] = self.ids[last]
            self._rows[self.ids[row]] = row
        self.ids.pop()

    def top(self, vector: np.ndarray, k: int, floor: float) -> list[str]:
        if not self.ids or not vector.any():
            return []
        sims = self._matrix[:len(self.ids)] @ vector
        best = np.argsort(-sims)[:k]
        return [self.ids[i] for i in best if sims[i] >= floor]


class CopyDetector:
    """Finds, for each article added, the stored articles it copies or that copy it."""

    def __init__(self, config: CopyConfig | None = None) -> None:
        from datasketch import MinHashLSH

        self.config = config or CopyConfig()
        self._lsh = MinHashLSH(threshold=self.config.lsh_threshold, num_perm=PERMUTATIONS)
        self._vectors = _VectorIndex()
        self._signatures: dict[str, Signature] = {}
        self._by_identity: dict[str, list[str]] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._signatures

    def add(self, doc: CopyCandidate | Signature) -> list[CopyLink]:
        """Index one article and return every copy link between it and the stored articles."""
        signature = doc if isinstance(doc, Signature) else signature_of(doc, self.config)
        if signature.article_id in self._signatures:
            return []
        links = self._links(signature)
        self._index(signature)
        return links

    def add_batch(self, docs: Sequence[CopyCandidate]) -> list[CopyLink]:
        """Add several articles in order (embedding them in one batch); all their links."""
        return [link for sig in signatures_of(docs, self.config) for link in self.add(sig)]

    def load(self, signatures: Iterable[Signature]) -> None:
        """Restore stored signatures (in insertion order) without linking them."""
        for signature in signatures:
            if signature.article_id not in self._signatures:
                self._index(signature)

    def remove(self, article_id: str) -> None:
        """Forget a stored article (e.g. one older than the copy window); later links skip it."""
        signature = self._signatures.pop(article_id, None)
        if signature is None:
            return
        self._by_identity[signature.identity].remove(article_id)
        self._lsh.remove(article_id)
        self._vectors.remove(article_id)

    def signature(self, article_id: str) -> Signature | None:
        """The stored signature of an article, if any."""
        return self._signatures.get(article_id)

    def published(self) -> dict[str, str | None]:
        """Publication dates of the stored articles, for lineage()."""
        return {key: sig.published for key, sig in self._signatures.items()}

    def _links(self, new: Signature) -> list[CopyLink]:
        from datasketch import MinHash

        candidates = dict.fromkeys(self._by_identity.get(new.identity, []))
        if new.exact_of in self._signatures:
            candidates[new.exact_of] = None
        probe = MinHash(num_perm=PERMUTATIONS, hashvalues=new.minhash, scheme=_SCHEME)
        candidates.update(dict.fromkeys(self._lsh.query(probe)))
        candidates.update(dict.fromkeys(self._vectors.top(new.vector, self.config.top_k,
                                                          self.config.vector_floor)))
        found = (compare(self._signatures[key], new, self.config) for key in candidates)
        return [link for link in found if link is not None]

    def _index(self, signature: Signature) -> None:
        from datasketch import MinHash

        key = signature.article_id
        self._signatures[key] = signature
        self._by_identity.setdefault(signature.identity, []).append(key)
        self._lsh.insert(key, MinHash(num_perm=PERMUTATIONS, hashvalues=signature.minhash, scheme=_SCHEME))
        if signature.vector.any():
            self._vectors.add(key, signature.vector)


def exact_copies(sightings: Sequence[tuple[str, str | None]]) -> list[CopyLink]:
    """Exact links among sightings of one text ((key, published), arrival order): earliest to the rest."""
    # storylens keeps one article per distinct text and each further outlet's copy as an appearance;
    # this links the appearances as the detector links separate articles.
    if len(sightings) < 2:
        return []
    dated = [(moment, i) for i, (_, published) in enumerate(sightings)
             if (moment := _instant(published)) is not None]
    first = min(dated)[1] if dated else 0
    source = sightings[first]
    out = []
    for i, (key, published) in enumerate(sightings):
        if i == first:
            continue
        a, b = _instant(source[1]), _instant(published)
        direction: Direction = "dated" if a is not None and b is not None and a != b else "unknown"
        earlier, later = (source[0], key) if direction == "dated" or first < i else (key, source[0])
        out.append(CopyLink(earlier, later, "exact", 1.0, 1.0, direction))
    return out


def lineage(links: Iterable[CopyLink], published: dict[str, str | None] | None = None,
            tie: float = 0.02) -> list[CopyLink]:
    """Who copied whom: each later article's best source, one per group of sources that copy each other."""
    # A copy of a wire story also matches every other copy of it; of those the closest kind wins, then
    # the largest share, then (shares within `tie`) the earliest published. Sources not linked to one
    # another (an article merging two wires) are all kept. The result does not depend on link order.
    links = list(links)
    published = published or {}
    linked = {frozenset((link.earlier, link.later)) for link in links}
    by_later: dict[str, list[CopyLink]] = {}
    for link in links:
        by_later.setdefault(link.later, []).append(link)
    out = []
    for later in sorted(by_later):
        kept: list[CopyLink] = []
        for link in _preferred(by_later[later], published, tie):
            if not any(frozenset((link.earlier, k.earlier)) in linked for k in kept):
                kept.append(link)
        out.extend(kept)
    return out


def _preferred(links: list[CopyLink], published: dict[str, str | None], tie: float) -> list[CopyLink]:
    def age(key: str) -> tuple[int, datetime, str]:
        moment = _instant(published.get(key))
        return (0, moment, key) if moment else (1, datetime.max.replace(tzinfo=UTC), key)

    rest = sorted(links, key=lambda link: (_KIND_RANK[link.kind], -link.share))
    ordered: list[CopyLink] = []
    while rest:  # take the best kind and share, and among near-equal shares the earliest source
        head = rest[0]
        close = [link for link in rest if link.kind == head.kind and link.share >= head.share - tie]
        pick = min(close, key=lambda link: age(link.earlier))
        ordered.append(pick)
        rest.remove(pick)
    return ordered


def voices(ids: Iterable[str], links: Iterable[CopyLink]) -> list[set[str]]:
    """The articles grouped into independent voices: copies and rewrites of one another count once."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.get(key, key) != key:
            parent[key] = parent.get(parent[key], parent[key])
            key = parent[key]
        return key

    for link in links:  # links through articles outside `ids` still join them: both copy one source
        ra, rb = find(link.earlier), find(link.later)
        if ra != rb:
            parent[rb] = ra
    groups: dict[str, set[str]] = {}
    for key in ids:
        groups.setdefault(find(key), set()).add(key)
    return list(groups.values())

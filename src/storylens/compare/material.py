"""What comparison reads for one story: its articles, their sentences with vectors, and its voices."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from storylens.analyze.vectors import EMBEDDING_DIM, embed
from storylens.models import Analysis, Article, Citation, CopyLink, StoryRecord
from storylens.stories.align import quoted_fractions
from storylens.stories.copies import CopyConfig, voices

MIN_WORDS = CopyConfig().min_sentence_words  # the copy signature embeds exactly these sentences


@dataclass
class StorySentence:
    """One sentence of one of the story's articles, as comparison sees it."""

    row: int  # position in StoryMaterial.sentences (and row of its vector)
    article_id: str
    outlet: str | None
    voice: int
    index: int  # sentence index in the article's analysis
    start: int
    end: int
    text: str
    quoted: bool  # mostly inside quotation marks
    position: int  # 0 for the article's first sentence
    entities: frozenset[int] = frozenset()
    facts: int = 0  # numbers and dates the sentence states: what makes a line checkable

    def citation(self) -> Citation:
        """A citation of this sentence."""
        return Citation(self.article_id, self.outlet, self.index, self.start, self.end)


@dataclass
class StoryArticle:
    """One article of the story with its analysis, the outlets that carried it, and its voice."""

    article: Article
    analysis: Analysis | None
    outlets: list[str]
    voice: int
    entity_ids: dict[str, int] = field(default_factory=dict)  # local entity key → linked entity id


@dataclass
class StoryMaterial:
    """A story's articles and sentences, loaded once for every comparison step."""

    story: StoryRecord
    articles: list[StoryArticle]
    sentences: list[StorySentence]
    vectors: np.ndarray  # one unit row per sentence
    links: list[CopyLink]
    voice_groups: list[list[str]]

    @property
    def fingerprint(self) -> str:
        """Changes when the story's articles change."""
        return fingerprint(self.story)

    def article(self, article_id: str) -> StoryArticle:
        """One of the story's articles by id."""
        return next(a for a in self.articles if a.article.id == article_id)


def fingerprint(story: StoryRecord) -> str:
    """A short hash of the story's article ids."""
    return hashlib.blake2b("\n".join(sorted(story.article_ids)).encode(), digest_size=8).hexdigest()


def load(store, story: StoryRecord) -> StoryMaterial:
    """Read a story's articles, analyses, copy links and sentence vectors from the store."""
    articles = sorted((store.get_article(i) for i in story.article_ids),
                      key=lambda a: (a.published is None, a.published or "", a.id))
    links = [k for k in store.copy_links([a.id for a in articles])
             if k.earlier in story.article_ids and k.later in story.article_ids]
    groups = sorted((sorted(g) for g in voices([a.id for a in articles], links)),
                    key=lambda g: [a.id for a in articles].index(g[0]))
    voice_of = {aid: n for n, group in enumerate(groups) for aid in group}
    members: list[StoryArticle] = []
    sentences: list[StorySentence] = []
    stored = store.signature_vectors([a.id for a in articles])
    blocks: list[np.ndarray] = []
    missing: list[tuple[int, str]] = []  # (row, text) of sentences without a stored vector
    for article in articles:
        analysis = store.get_analysis(article.id)
        outlets = [article.outlet] if article.outlet else []
        outlets += [o for o in (r["outlet"] for r in store.appearances(article.id)) if o and o not in outlets]
        member = StoryArticle(article, analysis, outlets, voice_of[article.id],
                              store.local_entity_ids(article.id))
        members.append(member)
        mine = _sentences(member, first_row=len(sentences))
        vectors = stored.get(article.id)
        if vectors is None or len(vectors) != len(mine):
            vectors = np.zeros((len(mine), EMBEDDING_DIM), dtype=np.float32)
            missing += [(s.row, s.text) for s in mine]
        sentences += mine
        blocks.append(np.asarray(vectors, dtype=np.float32))
    _fold_nationalities(members, sentences)
    matrix = np.vstack(blocks) if blocks else np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    if missing:
        matrix[[row for row, _ in missing]] = embed([text for _, text in missing])
    return StoryMaterial(story, members, sentences, matrix, links, groups)


def _sentences(member: StoryArticle, first_row: int) -> list[StorySentence]:
    analysis, text = member.analysis, member.article.text
    if analysis is None or not analysis.sentences:
        return []
    kept = [s for s in analysis.sentences if len(text[s.start:s.end].split()) >= MIN_WORDS]
    quoted = quoted_fractions(text, [(s.start, s.end) for s in kept])
    facts = Counter(q.sentence for q in analysis.quantities) + Counter(t.sentence for t in analysis.times)
    by_sentence: dict[int, set[int]] = {}
    for mention in analysis.mentions:
        entity = member.entity_ids.get(mention.key)
        if entity is not None:
            by_sentence.setdefault(mention.sentence, set()).add(entity)
    return [StorySentence(first_row + n, member.article.id, member.article.outlet, member.voice, s.index,
                          s.start, s.end, text[s.start:s.end], share >= 0.5, n,
                          frozenset(by_sentence.get(s.index, ())), facts[s.index])
            for n, (s, share) in enumerate(zip(kept, quoted, strict=True))]


def _fold_nationalities(members: list[StoryArticle], sentences: list[StorySentence]) -> None:
    """Count "Russian" as a mention of Russia when the story names Russia: both are about the country."""
    names: dict[int, tuple[str, str]] = {}
    for member in members:
        for local in member.analysis.entities if member.analysis else []:
            entity = member.entity_ids.get(local.key)
            if entity is not None:
                names[entity] = (local.key, local.label)
    places = [(name, entity) for entity, (name, label) in names.items()
              if label in ("GPE", "LOC") and len(name) >= 5]
    same: dict[int, int] = {}
    for entity, (name, label) in names.items():
        if label == "NORP":
            # Russia/Russian, China/Chinese, Ukraine/Ukrainian; not Iran/Iraqi (too short to tell).
            match = next((place for place_name, place in places if name.startswith(place_name[:-1])), None)
            if match is not None:
                same[entity] = match
    if same:
        for sentence in sentences:
            sentence.entities = frozenset(same.get(e, e) for e in sentence.entities)

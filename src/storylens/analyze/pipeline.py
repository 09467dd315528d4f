"""Run stage 2 over articles (in worker processes) and stage 3 (linking) as results arrive."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, fields, is_dataclass
from typing import TYPE_CHECKING

from storylens.analyze.dates import find_times
from storylens.analyze.entities import find_entities
from storylens.analyze.quantities import find_quantities
from storylens.analyze.quotes import find_quotes
from storylens.analyze.sentences import paragraph_spans, split_sentences
from storylens.models import Analysis, Article, LocalEntity

if TYPE_CHECKING:
    from spacy.tokens import Doc

# Bump when analysis output changes, so `storylens analyze` knows what is out of date.
ANALYSIS_VERSION = 3
# spaCy's parser needs about 1 GB per 100,000 characters: longer texts go in pieces.
PIECE_CHARS = 50_000
_SPAN_FIELDS = ("start", "end", "cue_start", "cue_end", "speaker_start", "speaker_end")


@dataclass(frozen=True)
class Task:
    """What a worker needs to analyse one article."""

    article_id: str
    text: str
    language: str | None
    published: str | None

    @classmethod
    def of(cls, article: Article) -> Task:
        """The task for a stored article."""
        return cls(article.id, article.text, article.language, article.published)


def analyse(task: Task) -> Analysis:
    """Analyse one article: sentences, entities, quotes, quantities and dates."""
    return analyse_batch([task])[0]


def analyse_batch(tasks: list[Task]) -> list[Analysis]:
    """Analyse several articles, their texts parsed together by spaCy's batched `pipe`."""
    from storylens.analyze.nlp import english, parser_text

    results = [_skipped(t) or Analysis(t.article_id, "en") for t in tasks]
    jobs = [(i, start, end) for i, t in enumerate(tasks) if not results[i].skipped
            for start, end in pieces(t.text, PIECE_CHARS)]
    texts = (parser_text(tasks[i].text[start:end]) for i, start, end in jobs)
    for (i, start, _), doc in zip(jobs, english().pipe(texts, batch_size=16), strict=True):
        _append(results[i], _analyse_doc(doc, tasks[i].published), start)
    return results


def _skipped(task: Task) -> Analysis | None:
    language = (task.language or "und").lower()
    if language != "en":
        return Analysis(task.article_id, language, skipped=f"not analysed: language is {language!r}, "
                                                            "only English is analysed")
    if not task.text.strip():
        return Analysis(task.article_id, language, skipped="not analysed: the article is empty")
    return None


def _analyse_doc(doc: Doc, published: str | None) -> Analysis:
    sentences = split_sentences(doc)
    mentions, entities = find_entities(doc, sentences)
    return Analysis(
        article_id="",
        language="en",
        sentences=sentences,
        mentions=mentions,
        entities=entities,
        quotes=find_quotes(doc, sentences, mentions, entities),
        quantities=find_quantities(doc, sentences),
        times=find_times(doc, sentences, published),
    )


def pieces(text: str, limit: int) -> list[tuple[int, int]]:
    """Split text into (start, end) pieces of at most about `limit` characters at paragraph breaks."""
    if len(text) <= limit:
        return [(0, len(text))]
    out: list[tuple[int, int]] = []
    start = end = 0
    for p_start, p_end in paragraph_spans(text):
        if p_end - start > limit and end > start:
            out.append((start, end))
            start = p_start
        while p_end - start > limit:  # one paragraph longer than the limit: cut at a space
            cut = text.rfind(" ", start, start + limit)
            cut = cut if cut > start else start + limit
            out.append((start, cut))
            start = cut
        end = p_end
    out.append((start, len(text)))
    return [(s, e) for s, e in out if text[s:e].strip()]


def _append(result: Analysis, part: Analysis, offset: int) -> None:
    shift = len(result.sentences)
    paragraphs = result.sentences[-1].paragraph + 1 if result.sentences else 0
    for sentence in part.sentences:
        sentence.index += shift
        sentence.paragraph += paragraphs
    for item in [*part.sentences, *part.mentions, *part.quotes, *part.quantities, *part.times]:
        _shift(item, offset, shift)
    result.sentences += part.sentences
    result.mentions += part.mentions
    result.quotes += part.quotes
    result.quantities += part.quantities
    result.times += part.times
    by_key = {e.key: e for e in result.entities}
    for entity in part.entities:
        if entity.key in by_key:
            _merge_local(by_key[entity.key], entity)
        else:
            result.entities.append(entity)
            by_key[entity.key] = entity


def _shift(item: object, offset: int, sentences: int) -> None:
    assert is_dataclass(item)
    for f in fields(item):
        value = getattr(item, f.name)
        if f.name in _SPAN_FIELDS and value is not None:
            setattr(item, f.name, value + offset)
        elif f.name == "sentence" and value is not None:
            setattr(item, f.name, value + sentences)


def _merge_local(into: LocalEntity, other: LocalEntity) -> None:
    into.aliases = list(dict.fromkeys([*into.aliases, *other.aliases]))
    into.roles = list(dict.fromkeys([*into.roles, *other.roles]))
    into.mentions += other.mentions


def analyse_all(tasks: Iterable[Task], workers: int = 1, batch: int = 8) -> Iterator[Analysis]:
    """Analyse tasks in batches, in `workers` processes when more than one, yielding results in order."""
    batches = _batched(tasks, batch)
    if workers <= 1:
        for group in batches:
            yield from analyse_batch(group)
        return
    # A bounded window of pending batches: Executor.map would queue every text at once.
    window: deque[Future[list[Analysis]]] = deque()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for group in batches:
            window.append(pool.submit(analyse_batch, group))
            if len(window) >= 2 * workers:
                yield from window.popleft().result()
        while window:
            yield from window.popleft().result()


def _batched(tasks: Iterable[Task], size: int) -> Iterator[list[Task]]:
    group: list[Task] = []
    for task in tasks:
        group.append(task)
        if len(group) == size:
            yield group
            group = []
    if group:
        yield group


def run(store, articles: list[Article], workers: int = 1,
        on_done: Callable[[Analysis], None] | None = None) -> list[Analysis]:
    """Analyse articles, link their entities and store everything, each article atomically."""
    from storylens.analyze.linking import Linker

    linker = Linker(store)
    done = []
    for analysis in analyse_all((Task.of(a) for a in articles), workers):
        # The linker lives for one run: if a transaction fails, the run (and its cache) ends.
        with store.transaction():
            ids = linker.link(analysis)
            store.save_analysis(analysis, ANALYSIS_VERSION, ids)
        done.append(analysis)
        if on_done:
            on_done(analysis)
    return done

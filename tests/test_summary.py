import numpy as np
import pytest

from storylens.brief.summary import Candidate, sentence_scores, summarise

# Three independent outlets on one event, plus a copy of the first (same voice) and an aside.
ARTICLES = {
    ("wire", "Wire", "v-wire"): [
        "Part of the Colbeck Bridge collapsed into the River Senn on Monday night, killing four people.",
        "Rescue teams searched the water through the night.",
        "The bridge was built in 1962 and had been due for repairs.",
    ],
    ("copy", "Daily Echo", "v-wire"): [
        "Part of the Colbeck Bridge collapsed into the River Senn on Monday night, killing four people.",
        "Rescue teams searched the water through the night.",
    ],
    ("herald", "Herald", "v-herald"): [
        "Four people died when a section of the Colbeck Bridge fell into the River Senn on Monday.",
        "\"It was like an earthquake,\" said one resident who lives nearby.",
        "The mayor promised an inquiry into the state of the city's bridges.",
    ],
    ("post", "Post", "v-post"): [
        "The local football club announced a new stadium sponsorship deal worth two million pounds.",
        "The collapse of the Colbeck Bridge on Monday killed four people, the fire service said.",
        "City engineers had warned about corrosion in the bridge's supports last year.",
    ],
}


@pytest.fixture(scope="module")
def candidates() -> list[Candidate]:
    from storylens.analyze.vectors import embed

    rows = [(key, i, text) for key, texts in ARTICLES.items() for i, text in enumerate(texts)]
    vectors = embed([text for _, _, text in rows])
    out = []
    for ((article, outlet, voice), i, text), vector in zip(rows, vectors, strict=True):
        out.append(Candidate(article_id=article, outlet=outlet, voice=voice, index=i, start=100 * i,
                             end=100 * i + len(text), text=text, vector=vector,
                             is_quote=text.startswith('"')))
    return out


def test_returns_input_sentences_unchanged_within_the_limit(candidates):
    for limit in (1, 2, 3, 5):
        summary = summarise(candidates, max_sentences=limit)
        assert 1 <= len(summary) <= limit
        assert all(any(s is c for c in candidates) for s in summary)
        assert len({id(s) for s in summary}) == len(summary)


def test_no_two_near_identical_sentences(candidates):
    summary = summarise(candidates, max_sentences=6)
    texts = [s.text for s in summary]
    assert len(set(texts)) == len(texts)  # the wire sentence and its copy never both
    vectors = np.stack([s.vector for s in summary])
    similarity = vectors @ vectors.T
    assert np.all(similarity[np.triu_indices(len(summary), 1)] < 0.85)


def test_prefers_content_carried_by_several_voices(candidates):
    first = summarise(candidates, max_sentences=1)[0]
    assert "Colbeck Bridge" in first.text and "four" in first.text.lower()
    scores = dict(zip((c.text for c in candidates), sentence_scores(candidates), strict=False))
    # The deaths (three voices) outrank the football deal (one voice), although it leads its article.
    football = ARTICLES[("post", "Post", "v-post")][0]
    deaths = ARTICLES[("post", "Post", "v-post")][1]
    assert scores[deaths] > scores[football]
    assert football not in [s.text for s in summarise(candidates, max_sentences=3)]


def test_copies_do_not_count_as_support(candidates):
    # Without the independent outlets, the wire story and its copy are one voice: no support at all.
    wire_only = [c for c in candidates if c.voice == "v-wire"]
    assert summarise(wire_only, max_sentences=2)
    both = sentence_scores(wire_only)
    alone = sentence_scores([c for c in wire_only if c.article_id == "wire"])
    assert np.allclose(both[:3], alone)


def test_quotes_rank_below_statements(candidates):
    scores = dict(zip((c.text for c in candidates), sentence_scores(candidates), strict=False))
    herald = ARTICLES[("herald", "Herald", "v-herald")]
    assert scores[herald[1]] < scores[herald[0]]


def test_sentences_of_one_article_keep_their_order(candidates):
    summary = summarise(candidates, max_sentences=5)
    for a in summary:
        for b in summary:
            if a.article_id == b.article_id and a.index < b.index:
                assert summary.index(a) < summary.index(b)


def test_empty_and_zero():
    assert summarise([]) == []
    one = Candidate("a", "A", "a", 0, 0, 10, "One line.", np.ones(384, dtype=np.float32) / np.sqrt(384))
    assert summarise([one], max_sentences=0) == []
    assert summarise([one]) == [one]

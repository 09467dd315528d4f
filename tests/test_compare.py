"""Stage 6: claims, agreed figures, disputes and quote drift on the sample corpus and the seeds."""

from __future__ import annotations

import json

import pytest
from conftest import EXAMPLES, SEED_TELEGRAPH, SEED_TOI, expected, shared_path

import storylens
from storylens.compare.contradictions import contradiction, markers
from storylens.compare.numbers import measure_words, relation
from storylens.compare.quotes import wording
from storylens.models import Quantity


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The sample corpus through every stage, with its sources mapped to stored article ids."""
    db = tmp_path_factory.mktemp("compare") / "c.db"
    with storylens.open(db) as ws:
        ws.ingest(EXAMPLES / "corpus", workers=1)
        ws.analyze(workers=1)
        ws.detect_copies()
        ws.cluster()
        ws.compare()
        ids = {}
        for article in ws.articles():
            ids[_source(article.source)] = article.id
            for seen in ws.store.appearances(article.id):
                ids[_source(seen["source"])] = article.id
        stories = {s.id: ws.comparison(s.id) for s in ws.stories()}
        main = max(ws.stories(), key=lambda s: len(s.article_ids))
        yield ws, ids, stories[main.id], stories


def _source(path: str) -> str:
    """A stored source as expected.json names it: 'file.jsonl:3' becomes 'file.jsonl#<record id>'."""
    name = path.split("corpus/", 1)[-1]
    if ".jsonl:" not in name:
        return name
    file, line = name.rsplit(":", 1)
    record = json.loads((EXAMPLES / "corpus" / file).read_text(encoding="utf-8").splitlines()[int(line) - 1])
    return f"{file}#{record['id']}"


def _cites(citations, article_id: str, sentence: str, ws) -> bool:
    text = ws.article(article_id).text
    return any(c.article_id == article_id and sentence in text[c.start:c.end] or
               c.article_id == article_id and text[c.start:c.end] in sentence for c in citations)


def test_number_dispute_between_independent_voices(corpus):
    ws, ids, main, _ = corpus
    numbers = [d for d in main.disputes if d.kind == "number"]
    for item in expected()["quantities_disputed"]:
        wanted = {ids[src]: value for src, value in item["values"].items()}
        found = [d for d in numbers if {c.article_id for s in d.sides for c in s.citations} >= set(wanted)]
        assert found, f"no dispute over {item['measure']}: {[d.why for d in numbers]}"
        values = sorted(s.value for s in found[0].sides)
        assert values == sorted(wanted.values())


def test_contradictions_have_both_sides_cited(corpus):
    ws, ids, main, _ = corpus
    contradictions = [d for d in main.disputes if d.kind == "contradiction"]
    for item in expected()["contradictions"]:
        a, b = item["a"], item["b"]
        hit = [d for d in contradictions
               if any(_cites(s.citations, ids[a["source"]], a["sentence"], ws) for s in d.sides)
               and any(_cites(s.citations, ids[b["source"]], b["sentence"], ws) for s in d.sides)]
        assert hit, f"not flagged: {item['why']}"
        assert hit[0].why and 0 < hit[0].confidence <= 1


def test_every_flagged_dispute_is_a_real_one(corpus):
    _, _, main, stories = corpus
    data = expected()
    assert len(main.disputes) == len(data["contradictions"]) + len(data["quantities_disputed"])
    assert all(not c.disputes for c in stories.values() if c is not main)


def test_agreed_figures_count_independent_voices(corpus):
    ws, ids, _, stories = corpus
    figures = [f for c in stories.values() for f in c.figures]
    for item in expected()["quantities_agreed"]:
        sources = {ids[s] for s in item["sources"]}
        value = item["value"] * (365.25 if item["unit"] == "years" else 1)  # durations compare in days
        hit = [f for f in figures if sources <= {c.article_id for c in f.citations}
               and abs(f.value - value) <= 0.01 * value]
        assert hit, f"no agreed figure for {item['measure']}"
        assert hit[0].voices == len(item["sources"])


def test_single_source_facts_are_single_source_even_with_copies(corpus):
    ws, ids, main, _ = corpus
    for item in expected()["single_source_facts"]:
        article = ids[item["source"]]
        [claim] = [c for c in main.claims if _cites(c.citations, article, item["sentence"], ws)]
        assert claim.status == "single_source" and claim.voices == 1, item["sentence"]
        copies = {ids[s] for s in item.get("also_in_copies", [])}
        assert copies <= {c.article_id for c in claim.citations}


def test_quote_drift_is_flagged(corpus):
    _, ids, main, _ = corpus
    for item in expected()["quote_drift"]:
        sources = {ids[s] for s in item["sources"]}
        hit = [q for q in main.quotes if item["flag"] in q.flags
               and sources <= {s.article_id for s in q.sightings}]
        assert hit, f"{item['flag']} not flagged for {item['quote_starts']}"
        assert hit[0].notes and hit[0].voices == 2


def test_copies_are_one_voice(corpus):
    _, ids, main, _ = corpus
    family = {ids[s] for s in expected()["copy_families"][0]}
    assert family in [set(v) for v in main.voices]
    assert len(main.voices) == len(expected()["independent_outlets_main"])


def test_comparison_is_stored_and_redone_only_when_the_story_changes(corpus):
    ws, _, main, _ = corpus
    assert ws.stale_stories() == []
    stored = ws.store.get_comparison(main.story_id)
    assert stored["fingerprint"] == main.fingerprint
    rows = ws.store.claims_of_article(main.claims[0].citations[0].article_id)
    assert rows and {r["status"] for r in rows} <= {"corroborated", "single_source", "disputed"}


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    """The two seed articles through every stage."""
    folder = shared_path("seeds")
    with storylens.open(tmp_path_factory.mktemp("seeds") / "s.db") as ws:
        ws.ingest(folder, workers=1)
        ws.analyze(workers=1)
        ws.detect_copies()
        ws.cluster()
        [story] = ws.stories()
        ids = {article.source.rsplit("/", 1)[-1]: article.id for article in ws.articles()}
        yield ws, ids, ws.comparison(story.id)


def _both(seeds, claim_words: str) -> bool:
    ws, ids, comparison = seeds
    for claim in comparison.claims:
        if claim.status == "single_source":
            continue
        texts = {c.article_id: ws.article(c.article_id).text[c.start:c.end].casefold()
                 for c in claim.citations}
        if len(texts) == 2 and all(claim_words in t for t in texts.values()):
            return True
    return False


def test_seeds_agree_on_the_no_limits_friendship_and_the_third_term(seeds):
    assert _both(seeds, "no limits")
    assert _both(seeds, "third term")
    ws, ids, comparison = seeds
    military = [c for c in comparison.claims if c.voices == 2 and all(
        "military" in ws.article(x.article_id).text[x.start:x.end] or "help" in
        ws.article(x.article_id).text[x.start:x.end] for x in c.citations)]
    assert military, "China unlikely to give military help: not found in both"


def test_seeds_single_source_facts(seeds):
    ws, ids, comparison = seeds
    single = {ws.article(c.citations[0].article_id).text[c.citations[0].start:c.citations[0].end]
              for c in comparison.claims if c.status != "corroborated" and len(c.citations) == 1}
    for fact in ("$40.8 billion", "$155 million", "6,000 square kilometers", "Samarkand", "Moscow office"):
        assert any(fact in s for s in single), fact


def test_seeds_dispute_trade_boom_against_toxic_and_microchips(seeds):
    ws, ids, comparison = seeds
    toi, telegraph = ids[SEED_TOI], ids[SEED_TELEGRAPH]
    [dispute] = [d for d in comparison.disputes if d.kind == "contradiction"]
    sides = {side.citations[0].article_id: " ".join(
        ws.article(c.article_id).text[c.start:c.end] for c in side.citations) for side in dispute.sides}
    assert "boomed" in sides[toi] and "toxic" in sides[telegraph]
    assert "microchips" in sides[telegraph] and "integrated circuits" in sides[toi]


def test_seed_quotes_are_grouped_by_speaker(seeds):
    _, _, comparison = seeds
    speakers = {q.speaker for q in comparison.quotes}
    for name in ("Amanda Hsiao", "Mark Galeotti", "Li Zhanshu"):
        assert any(s and name.split()[-1] in s for s in speakers), name


# -- the pieces, without models ---------------------------------------------------------------

def test_negation_and_direction_markers():
    assert {m.kind for m in markers("The operator said it had never received any warning.")} == {"negation"}
    assert {m.kind for m in markers("Traffic on the bridge fell last year.")} == {"down"}
    strong = markers("Selling microchips is completely out of the question.")
    assert strong and strong[0].strong


def test_contradiction_needs_a_shared_subject():
    rose, fell = "Traffic on the bridge rose by 12 per cent.", "Traffic on the bridge fell last year."
    assert contradiction(rose, fell, 0.6) is not None
    assert contradiction(rose, "Share prices fell on Monday.", 0.6) is None
    assert contradiction(rose, fell, 0.2) is None  # not alike enough to be about one thing


def test_number_relations_allow_for_bounds_and_rounding():
    def q(value, qualifier=None):
        return Quantity(0, 1, str(value), 0, value, "count", qualifier=qualifier)

    assert relation(q(14), q(19), 14, 19) == "differ"
    assert relation(q(12, "more than"), q(19), 12, 19) == "compatible"
    assert relation(q(50, "nearly"), q(48), 50, 48) == "same"
    assert relation(q(2414.0), q(2400.0), 2414.0, 2400.0) == "same"


def test_measure_words_map_synonyms():
    assert measure_words("people hurt") == measure_words("persons injured")
    assert measure_words("death toll") <= measure_words("people killed") | {"death"}


def test_quote_wording_scores():
    assert wording("This bridge will be rebuilt, and it will be rebuilt safely",
                   "This bridge will be rebuilt, and rebuilt safely") >= 75
    assert wording("We heard the deck go before we saw it", "Prices rose sharply in May") < 50


def test_seeds_briefing_summary_is_source_sentences_only(seeds):
    from storylens.brief import build_briefing

    ws, ids, comparison = seeds
    [story] = ws.stories()
    briefing = build_briefing(ws.store, story)
    assert briefing.summary
    for line in briefing.summary:
        c = line["citation"]
        assert ws.article(c["article_id"]).text[c["start"]:c["end"]] == line["text"]
    speakers = {speaker for speaker, _, _ in briefing.speakers()}
    assert any("Hsiao" in s for s in speakers) and any("Galeotti" in s for s in speakers)


def test_an_idiom_with_no_is_not_a_denial():
    assert markers("There is no question that America must win the war.") == []
    assert markers("There is no doubt the bridge will reopen.") == []

"""Entities: NER cleaned of the small model's errors and grouped within one article."""

from __future__ import annotations

import pytest
from conftest import SEED_TELEGRAPH, SEED_TOI, body, shared_path

pytest.importorskip("spacy")

from storylens.analyze.entities import find_entities  # noqa: E402
from storylens.analyze.sentences import split_sentences  # noqa: E402


def analyse(nlp, text: str):
    doc = nlp(text)
    sentences = split_sentences(doc)
    mentions, entities = find_entities(doc, sentences)
    return doc, sentences, mentions, entities


def seed(nlp, name: str):
    return analyse(nlp, body(shared_path("seeds", name)))


def by_key(entities):
    return {e.key: e for e in entities}


def test_toi_people_merged_and_cleaned(nlp):
    doc, _, mentions, entities = seed(nlp, SEED_TOI)
    keys = by_key(entities)
    assert keys["Xi Jinping"].label == "PERSON"
    assert "Xi" in keys["Xi Jinping"].aliases
    assert keys["Vladimir Putin"].label == "PERSON"
    assert {"Putin", "putin"} <= set(keys["Vladimir Putin"].aliases)
    assert "Hsiao" in keys["Amanda Hsiao"].aliases
    # "Xi Jinping Announced" and "Vladimir Putin And Xi Jinping" are not names.
    assert not any("Announced" in m.text or " And " in m.text for m in mentions)
    lower = [m for m in mentions if m.text == "putin"]
    assert lower and lower[0].key == "Vladimir Putin"
    for m in mentions:
        assert doc.text[m.start:m.end] == m.text
        assert "\n" not in m.text


def test_toi_roles(nlp):
    _, _, _, entities = seed(nlp, SEED_TOI)
    keys = by_key(entities)
    assert any("senior research scientist at CNA" in r for r in keys["Elizabeth Vishnik"].roles)
    assert any("number three official" in r for r in keys["Li Zhanshu"].roles)
    assert any("senior analyst" in r for r in keys["Amanda Hsiao"].roles)
    assert keys["Shanghai Cooperation Organization"].label == "ORG"


def test_telegraph_variants(nlp):
    _, sentences, mentions, entities = seed(nlp, SEED_TELEGRAPH)
    keys = by_key(entities)
    assert "Xi" in keys["Xi Jinping"].aliases
    assert sum(1 for m in mentions if m.key == "Xi Jinping") >= 5
    assert not any(m.text.startswith("Mr ") for m in mentions)  # titles stay out of the name
    assert "SCO" in keys["Shanghai Cooperation Organisation"].aliases
    assert any("Mayak Intelligence" in r for r in keys["Mark Galeotti"].roles)
    assert keys["Samarkand"].label == "GPE"
    for m in mentions:
        assert sentences[m.sentence].start <= m.start < sentences[m.sentence].end


def test_title_line_and_possessive_are_trimmed(nlp):
    _, _, mentions, entities = analyse(
        nlp, "Times of India\n\nBeijing: The Kremlin’s plan was set by Mr Xi. Xi Jinping agreed.")
    texts = {m.text for m in mentions}
    assert "Beijing" in texts
    assert not any("\n" in t or t.endswith(("’s", ":")) for t in texts)
    assert by_key(entities)["Xi Jinping"].aliases == ["Xi"]


def test_acronym_joins_full_name(nlp):
    _, _, _, entities = analyse(
        nlp, "The National Bridge Inspection Organisation (NBIO) said it would report. NBIO staff agreed.")
    org = by_key(entities)["National Bridge Inspection Organisation"]
    assert "NBIO" in org.aliases


@pytest.mark.parametrize("text", ["", "   ", "1 2 3\n4 5 6\n7.5 8 9"])
def test_no_entities_in_empty_or_numeric_text(nlp, text):
    _, _, mentions, entities = analyse(nlp, text)
    assert mentions == [] and entities == []


def test_organisation_head_words_are_not_people(nlp):
    _, _, mentions, entities = analyse(
        nlp, "The bridge is run by Kestrel Infrastructure. Kestrel Infrastructure said it was cooperating. "
             "A spokesman for Kestrel declined to comment.")
    keys = by_key(entities)
    assert keys["Kestrel Infrastructure"].label == "ORG"
    assert all(m.label != "PERSON" for m in mentions if m.text.startswith("Kestrel"))


def test_place_names_are_places(nlp):
    _, _, _, entities = analyse(
        nlp, "The Hallam Bridge fell into the River Tarn late on Monday. Divers searched the Tarn all night.")
    keys = by_key(entities)
    assert keys["Hallam Bridge"].label == "FAC"
    assert keys["River Tarn"].label == "LOC"


def test_dateline_stays_out_of_roles(nlp):
    _, _, _, entities = analyse(
        nlp, "BRELLSTAD – Norland’s health minister, Ingrid Vahl, told parliament on Thursday that the "
             "hospital would reopen.")
    roles = by_key(entities)["Ingrid Vahl"].roles
    assert roles and not any("BRELLSTAD" in r or "–" in r for r in roles)
    assert any(r.endswith("health minister") for r in roles)


def test_name_in_apposition_to_a_role_is_a_person(nlp):
    _, _, _, entities = analyse(
        nlp, "The club confirmed the deal. Its chief executive, Tomas Orlen, said the fee was fair.")
    assert by_key(entities)["Tomas Orlen"].label == "PERSON"


def test_strip_dateline():
    from storylens.analyze.entities import strip_dateline
    assert strip_dateline("VARENHOLT, March 10 (MPA) – Four people died") == "Four people died"
    assert strip_dateline("ALDERSUND – Estmark’s transport minister") == "Estmark’s transport minister"
    assert strip_dateline("the transport minister – a lawyer") == "the transport minister – a lawyer"

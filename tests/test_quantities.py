"""Quantities: money, percentages, counts, areas and lengths, with measure, change and period."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES, SEED_TOI, body, corpus_article, expected, shared_path

from storylens.models import Quantity


def quantities(nlp, text: str) -> list[Quantity]:
    """Run the quantity finder over a text the way the pipeline does."""
    from storylens.analyze.quantities import find_quantities
    from storylens.analyze.sentences import split_sentences

    doc = nlp(text)
    return find_quantities(doc, split_sentences(doc))


def at(found: list[Quantity], text: str, phrase: str) -> Quantity | None:
    """The quantity that overlaps the first occurrence of `phrase` in the text."""
    start = text.find(phrase)
    assert start >= 0, f"{phrase!r} is not in the text"
    end = start + len(phrase)
    return next((q for q in found if q.start < end and q.end > start), None)


# -- the seed articles -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def toi(nlp):
    text = body(shared_path("seeds", SEED_TOI))
    return text, quantities(nlp, text)


def test_seed_trade_figure_with_change_and_period(toi):
    text, found = toi
    q = at(found, text, "$40.8 billion")
    assert q is not None and q.unit == "USD" and q.value == pytest.approx(40.8e9)
    assert q.change == pytest.approx(50) and q.change_unit == "percent"
    assert "exports" in q.measure.lower() and "China" in q.measure
    assert "five months" in q.period
    assert q.normalised == {"USD": pytest.approx(40.8e9)}
    assert text[q.start:q.end] == q.text


def test_seed_chip_exports_up_27_percent(toi):
    text, found = toi
    q = at(found, text, "$155 million")
    assert q is not None and q.unit == "USD" and q.value == pytest.approx(155e6)
    assert q.change == pytest.approx(27) and q.change_unit == "percent"
    assert "exports" in q.measure and "seven months" in q.period
    share = at(found, text, "27%")
    assert share.unit == "percent" and share.change == pytest.approx(27)


def test_seed_area_in_both_units(toi):
    text, found = toi
    km2 = at(found, text, "6,000 square kilometers")
    sq_mi = at(found, text, "2,300 sq mi")
    assert km2.unit == "km2" and km2.value == 6000
    assert km2.normalised["sq_mi"] == pytest.approx(2316.6, abs=0.1)
    assert sq_mi.unit == "sq_mi" and sq_mi.normalised["km2"] == pytest.approx(6000, rel=0.01)
    assert km2.measure == sq_mi.measure == "land"


def test_seed_sentence_indexes(nlp, toi):
    from storylens.analyze.sentences import split_sentences

    text, found = toi
    sentences = split_sentences(nlp(text))
    for q in found:
        s = sentences[q.sentence]
        assert s.start <= q.start < s.end


# -- the sample corpus -------------------------------------------------------------------------

# The units of expected.json, and the key of Quantity.normalised that holds a comparable value.
COMPARABLE = {"m": "m", "EUR": "EUR", "%": "percent", "people": "count", "goals": "count", "years": "year"}


def comparable(q: Quantity, unit: str) -> float | None:
    return q.normalised.get(COMPARABLE[unit])


@pytest.fixture(scope="module")
def corpus_quantities(nlp):
    if not (EXAMPLES / "expected.json").exists():
        pytest.skip("examples/expected.json is not here")
    cache: dict[str, tuple[str, list[Quantity]]] = {}

    def get(source: str) -> tuple[str, list[Quantity]]:
        if source not in cache:
            text, _ = corpus_article(source)
            cache[source] = (text, quantities(nlp, text))
        return cache[source]

    return get


def test_agreed_quantities_normalise_to_the_same_value(corpus_quantities):
    for fact in expected()["quantities_agreed"]:
        tolerance = fact.get("tolerance", 1e-9)
        values = {}
        for source, surface in fact["surface"].items():
            text, found = corpus_quantities(source)
            q = at(found, text, surface)
            assert q is not None, f"{fact['measure']}: nothing found at {surface!r} in {source}"
            assert q.measure, f"{fact['measure']}: no measure for {surface!r} in {source}"
            values[source] = comparable(q, fact["unit"])
        for source, value in values.items():
            assert value == pytest.approx(fact["value"], rel=tolerance), (fact["measure"], source, values)


def test_agreed_quantities_found_in_copies(corpus_quantities):
    # Copies of the wire repeat its figures: the same value must be found in each of them.
    for fact in expected()["quantities_agreed"]:
        for source in fact.get("copies_of_sources", []):
            _, found = corpus_quantities(source)
            values = [comparable(q, fact["unit"]) for q in found]
            assert any(v is not None and v == pytest.approx(fact["value"], rel=fact.get("tolerance", 1e-9))
                       for v in values), (fact["measure"], source)


def test_disputed_quantities_differ(corpus_quantities):
    for fact in expected()["quantities_disputed"]:
        got = {}
        for source, surface in fact["surface"].items():
            text, found = corpus_quantities(source)
            q = at(found, text, surface)
            assert q is not None and q.measure, (source, surface)
            got[source] = comparable(q, fact["unit"])
            assert got[source] == fact["values"][source]
        assert len(set(got.values())) > 1
        for source, value in fact["copies_of_sources"].items():
            _, found = corpus_quantities(source)
            assert any(comparable(q, fact["unit"]) == value and q.measure for q in found), source


def test_corpus_years_are_not_quantities(corpus_quantities):
    for article in expected()["articles"]:
        _, found = corpus_quantities(article["source"])
        assert not [q for q in found if q.unit == "count" and 1800 <= q.value <= 2099 and "," not in q.text]


# -- forms and edge cases ----------------------------------------------------------------------


def one(found: list[Quantity]) -> Quantity:
    assert len(found) == 1, [(q.text, q.unit) for q in found]
    return found[0]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("The club paid €1.2bn for the stadium.", 1.2e9, "EUR"),
        ("The project will cost 1.2 billion euros.", 1.2e9, "EUR"),
        ("The ministry puts the cost at EUR 1,200 million.", 1.2e9, "EUR"),
        ("He was fined £3m by the regulator.", 3e6, "GBP"),
        ("The company raised 155 million dollars last year.", 155e6, "USD"),
        ("Beijing lent the port 2 billion yuan.", 2e9, "CNY"),
        ("Support for the plan reached nearly 50 % in the poll.", 50, "percent"),
        ("The party won 31 per cent of the vote.", 31, "percent"),
        ("Turnout was 12 percent.", 12, "percent"),
        ("The fire destroyed 2,300 square miles of forest.", 2300, "sq_mi"),
        ("A 394-foot section fell.", 394, "ft"),
        ("The 2.4-kilometre bridge was closed.", 2.4, "km"),
    ],
)
def test_forms(nlp, text, value, unit):
    q = one(quantities(nlp, text))
    assert q.unit == unit and q.value == pytest.approx(value)


def test_bn_and_billion_dollars_are_equal(nlp):
    a = one(quantities(nlp, "Exports reached $1.2bn."))
    b = one(quantities(nlp, "Exports reached 1.2 billion dollars."))
    assert a.unit == b.unit == "USD" and a.normalised == b.normalised == {"USD": pytest.approx(1.2e9)}


def test_lengths_normalise_to_metres_and_miles(nlp):
    foot = one(quantities(nlp, "A 394-foot section of the deck fell."))
    metre = one(quantities(nlp, "A 120-metre section of the deck fell."))
    mile = one(quantities(nlp, "The 1.5-mile bridge is closed."))
    assert foot.normalised["m"] == pytest.approx(metre.normalised["m"], rel=0.01)
    assert mile.normalised["m"] == pytest.approx(2414, rel=0.001) and mile.normalised["mi"] == 1.5
    assert metre.measure == "section of deck"


@pytest.mark.parametrize(
    ("text", "change"),
    [
        ("Shares were up 27% on the day.", 27),
        ("Traffic fell 12 per cent last year.", -12),
        ("Sales rose by 8% in March.", 8),
        ("There was a 5% increase in crime.", 5),
    ],
)
def test_percentage_changes(nlp, text, change):
    q = one(quantities(nlp, text))
    assert q.unit == "percent" and q.change == pytest.approx(change) and q.change_unit == "percent"


def test_share_is_not_a_change(nlp):
    q = one(quantities(nlp, "The bridge carried 31% of the city's traffic."))
    assert q.change is None and q.measure == "city's traffic"


def test_doubled_gives_plus_100(nlp):
    q = one(quantities(nlp, "Profits doubled to $3m in 2023."))
    assert q.unit == "USD" and q.change == 100 and q.measure == "profits" and q.period == "in 2023"


def test_counts_with_what_they_count(nlp):
    found = quantities(nlp, "Four people died and 14 were injured. Russia moved 6,000 troops to the border.")
    by_value = {q.value: q for q in found}
    assert set(by_value) == {4, 14, 6000}
    assert by_value[4].unit == "count" and by_value[4].measure == "people died"
    assert by_value[14].measure == "people injured"
    assert by_value[6000].measure == "troops"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n ",
        "1, 2, 3, 4, 5\n6 7 8\n9",
        "About a third of the budget went on salaries.",
        "Xi is set to secure a third term in power.",
        "The bridge opened in 2024 and was repaired in 1998.",
        "Dozens of people were injured and hundreds were evacuated.",
        "The driver, aged 54, was named. The 24-year-old signed on Monday.",
        "Cracks were found in piers 11 and 12.",
        "Call 020 7946 0000 before 10:30 on March 12.",
    ],
)
def test_not_quantities(nlp, text):
    assert quantities(nlp, text) == []


def test_empty_doc_without_sentences(nlp):
    from storylens.analyze.quantities import find_quantities

    assert find_quantities(nlp(""), []) == []
    assert find_quantities(nlp("Four people died."), []) != []  # no sentences given: index 0, no crash


def test_qualifiers_say_how_exact_a_number_is():
    from storylens.analyze.nlp import english
    from storylens.analyze.quantities import find_quantities
    from storylens.analyze.sentences import split_sentences

    doc = english()("Trade rose nearly 50% to $40.8 billion. More than 300 people were evacuated, "
                    "and exactly 14 were injured.")
    found = {q.text: q.qualifier for q in find_quantities(doc, split_sentences(doc))}
    assert found.get("50%") == "nearly"
    assert found.get("$40.8 billion") is None
    assert [v for k, v in found.items() if k.startswith("300")] == ["more than"]
    assert [v for k, v in found.items() if k.startswith("14")] == [None]

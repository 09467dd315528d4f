"""Quotes: direct, partial and indirect, with cue and speaker, on the seeds and the sample corpus."""

from __future__ import annotations

import json

import pytest
from conftest import EXAMPLES, shared_path

pytest.importorskip("spacy")

from storylens.analyze.entities import find_entities  # noqa: E402
from storylens.analyze.nlp import ModelMissing, english  # noqa: E402
from storylens.analyze.quotes import find_quotes  # noqa: E402
from storylens.analyze.sentences import split_sentences  # noqa: E402

TOI = "000_49581dc15134e57e.txt"
TELEGRAPH = "003_38ba1ae5451041f6.txt"
CORPUS_THRESHOLD = 0.75  # share found with the right speaker and kind; measured 0.79, the goal is 0.9


@pytest.fixture(scope="module")
def nlp():
    try:
        return english()
    except ModelMissing as exc:
        pytest.skip(str(exc))


def body(raw: str) -> str:
    """The stored body: lines after the first non-empty line (the title), stripped."""
    lines = raw.splitlines()
    first = next(i for i, line in enumerate(lines) if line.strip())
    return "\n".join(line.strip() for line in lines[first + 1:]).strip()


def quotes_of(nlp, text: str):
    doc = nlp(text)
    sentences = split_sentences(doc)
    mentions, entities = find_entities(doc, sentences)
    return find_quotes(doc, sentences, mentions, entities)


def seed(nlp, name: str):
    return quotes_of(nlp, body(shared_path("seeds", name).read_text(encoding="utf-8")))


def one(quotes, starts: str):
    found = [q for q in quotes if q.text.startswith(starts)]
    assert found, f"no quote starting {starts!r}"
    return found[0]


def test_toi_vishnik_twice_second_via_he(nlp):
    quotes = seed(nlp, TOI)
    first = one(quotes, "Chinese officials talk about")
    assert (first.kind, first.speaker_key, first.speaker_via, first.cue) == (
        "direct", "Elizabeth Vishnik", "name", "said")
    second = one(quotes, "I don’t think Chinese military aid")
    assert (second.kind, second.speaker_key, second.speaker_via) == ("direct", "Elizabeth Vishnik", "pronoun")
    assert second.speaker == "he"


def test_toi_hsiao_direct_and_indirect(nlp):
    quotes = seed(nlp, TOI)
    indirect = one(quotes, "China has many ways")
    assert (indirect.kind, indirect.speaker_key, indirect.cue) == ("indirect", "Amanda Hsiao", "said")
    assert one(quotes, "This includes using").speaker_key == "Amanda Hsiao"  # "she said"
    direct = one(quotes, "So far China has provided")
    assert (direct.kind, direct.speaker_key, direct.speaker) == ("direct", "Amanda Hsiao", "Hsiao")
    assert not direct.text.startswith("“") and not direct.text.endswith("”")


def test_toi_li_zhanshu_partial(nlp):
    quote = one(seed(nlp, TOI), "fully understands the need")
    assert (quote.kind, quote.speaker_key, quote.cue) == ("partial", "Li Zhanshu", "told")


def test_telegraph_galeotti_and_continuation(nlp):
    quotes = seed(nlp, TELEGRAPH)
    first = one(quotes, "The Russians are now fully aware")
    assert (first.kind, first.speaker_key, first.cue) == ("direct", "Mark Galeotti", "told The Telegraph")
    assert first.cue_start is not None and first.speaker_start is not None
    second = one(quotes, "The Chinese are not going to do anything")
    assert (second.kind, second.speaker_key, second.speaker_via) == (
        "direct", "Mark Galeotti", "continuation")


def test_telegraph_nominal_speakers(nlp):
    quotes = seed(nlp, TELEGRAPH)
    aide = one(quotes, "clearly understands the reasons")
    assert (aide.kind, aide.speaker, aide.speaker_key, aide.speaker_via) == (
        "partial", "A Kremlin aide", None, "nominal")
    diplomat = one(quotes, "in a more just and reasonable direction")
    assert (diplomat.speaker, diplomat.speaker_key, diplomat.speaker_via) == (
        "China’s top diplomat", None, "nominal")


def test_scare_quotes_are_not_quotes(nlp):
    quotes = seed(nlp, TELEGRAPH)
    assert not any(q.text.startswith("Dictators") or q.text == "no limits" for q in quotes)


def test_offsets_and_confidence(nlp):
    text = body(shared_path("seeds", TOI).read_text(encoding="utf-8"))
    for q in quotes_of(nlp, text):
        assert text[q.start:q.end] == q.text
        assert 0.0 <= q.confidence <= 1.0
        if q.cue_start is not None:
            assert text[q.cue_start:q.cue_end] == q.cue


def test_unbalanced_quote_stops_at_the_paragraph(nlp):
    filler = "The council met again on Monday and the vote was delayed once more. " * 4
    text = (f"“We will not accept this, said the mayor as the meeting ended.\n\n{filler}\n\n"
            f"{filler}\n\nThe debate continued. “And another thing.\n\n{filler}")
    quotes = quotes_of(nlp, text)
    assert all(q.end - q.start < len(text) / 3 for q in quotes)
    assert all("\n" not in q.text for q in quotes)


def test_multi_paragraph_quote_continues(nlp):
    text = ("“The bridge was old and we knew it,” said Anna Berg, the city engineer. “We asked for money.\n\n"
            "“Nobody listened to us, and now four people are dead,” she added.\n\n"
            "“I want to know who read the report.”")
    quotes = quotes_of(nlp, text)
    assert [q.speaker_key for q in quotes] == ["Anna Berg"] * len(quotes) and len(quotes) == 4
    assert quotes[1].speaker_via == "continuation" and quotes[-1].speaker_via == "continuation"


@pytest.mark.parametrize("text", ["", "  \n ", "1 2 3\n4 5 6\n7.5 8 9", "\"\"\"“”", "“ ” \" \" “"])
def test_degenerate_text(nlp, text):
    quotes = quotes_of(nlp, text)
    assert all(q.end > q.start for q in quotes)


# -- the sample corpus ------------------------------------------------------------------------

def corpus_texts() -> dict[str, str]:
    """Bodies of the sample corpus by source name, as storylens stores them."""
    trafilatura = pytest.importorskip("trafilatura")
    corpus = EXAMPLES / "corpus"
    texts: dict[str, str] = {}
    for path in sorted(corpus.iterdir()):
        if path.suffix == ".txt":
            texts[path.name] = body(path.read_text(encoding="utf-8"))
        elif path.suffix == ".jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    record = json.loads(line)
                    texts[f"{path.name}#{record['id']}"] = record["text"]
        elif path.suffix == ".html":
            extracted = trafilatura.bare_extraction(path.read_text(encoding="utf-8"), with_metadata=True)
            lines = [line.strip() for line in extracted.text.split("\n") if line.strip()]
            texts[path.name] = "\n\n".join(lines)
    return texts


def _matches(quote, expected: dict) -> bool:
    if quote.kind != expected["kind"]:
        return False
    if expected["speaker_via"] == "nominal":
        return quote.speaker_key is None and quote.speaker is not None and (
            expected["speaker_text"].lower() in quote.speaker.lower()
            or quote.speaker.lower() in expected["speaker_text"].lower())
    return quote.speaker_key == expected["speaker"] or (
        quote.speaker_key is not None and expected["speaker"].endswith(quote.speaker_key.split()[-1]))


def test_sample_corpus_expected_quotes(nlp):
    expected = json.loads((EXAMPLES / "expected.json").read_text(encoding="utf-8"))["quotes"]
    texts = corpus_texts()
    found, missed = 0, []
    cache = {}
    for item in expected:
        if item["source"] not in cache:
            cache[item["source"]] = quotes_of(nlp, texts[item["source"]])
        quotes = cache[item["source"]]
        hits = [q for q in quotes if q.text.startswith(item["text_starts"]) or
                item["text_starts"] in q.text[:len(item["text_starts"]) + 40]]
        if any(_matches(q, item) for q in hits):
            found += 1
        else:
            missed.append((item["source"], item["text_starts"], item["speaker"], item["kind"],
                           [(q.kind, q.speaker_key, q.speaker) for q in hits]))
    share = found / len(expected)
    assert share >= CORPUS_THRESHOLD, f"{share:.2f} found; missed: " + "\n".join(map(str, missed))


# -- PolNeAR-style attributions ----------------------------------------------------------------

def test_doubled_apostrophes_are_quotation_marks(nlp):
    text = "''We will win this state,'' said Jane Smith, the campaign manager. The rally ended at noon."
    quote = one(quotes_of(nlp, text), "We will win this state")
    assert (quote.kind, quote.speaker_key) == ("direct", "Jane Smith")
    assert not quote.text.startswith("'")


def test_indirect_quote_keeps_that(nlp):
    quote = one(quotes_of(nlp, "Jane Smith said that the bridge would reopen in May."), "that the bridge")
    assert (quote.kind, quote.speaker_key) == ("indirect", "Jane Smith")


def test_indirect_clause_holding_a_partial_quote(nlp):
    quotes = quotes_of(nlp, "John Baker said the plan was “dead on arrival” and would never pass the Senate.")
    whole = one(quotes, "the plan was")
    assert whole.kind == "indirect" and whole.text.endswith("pass the Senate")
    assert whole.speaker_key == "John Baker"


def test_transcript_line(nlp):
    text = "Partial transcript:\n\nTAPPER: Do you think the governor can win the state in November?\n\n"
    quote = one(quotes_of(nlp, text), "Do you think the governor")
    assert quote.speaker == "TAPPER" and quote.cue == ":"


def test_learned_attribution_of_a_poll(nlp):
    quotes = quotes_of(nlp, "A new poll by Gallup shows that most voters oppose the plan.")
    assert any(q.text.startswith("that most voters oppose") for q in quotes)


def test_quotes_stay_inside_their_paragraph(nlp):
    for name in (TOI, TELEGRAPH):
        assert all("\n" not in q.text for q in seed(nlp, name))

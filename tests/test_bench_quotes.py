"""The PolNeAR scorer's conversion of storylens quotes into PolNeAR's attribution units."""

from __future__ import annotations

import importlib.util
import sys

from conftest import ROOT

_spec = importlib.util.spec_from_file_location("bench_quotes", ROOT / "bench" / "quotes.py")
bench_quotes = importlib.util.module_from_spec(_spec)
sys.modules["bench_quotes"] = bench_quotes  # its dataclasses look their module up
_spec.loader.exec_module(bench_quotes)

TEXT = ('"We had problems before," Obama said. He did not suggest retaliation. "Our goal is calm."\n\n'
        '"Next paragraph."')


def quote(piece: str, kind: str, cue: str | None, via: str = "name", occurrence: int = 0) -> dict:
    start = TEXT.index(piece)
    cue_span = None
    if cue is not None:
        at = TEXT.index(cue)
        cue_span = (at, at + len(cue))
    return {"start": start, "end": start + len(piece), "kind": kind, "cue": cue_span, "via": via,
            "speaker": None, "text": piece}


def test_continuation_joins_the_direct_quote_it_continues_past_a_clause_in_between():
    merged = bench_quotes.merge_attributions(TEXT, [
        quote("We had problems before,", "direct", "said"),
        quote("retaliation", "indirect", "suggest", via="pronoun"),
        quote("Our goal is calm.", "direct", None, via="continuation"),
    ])
    first = TEXT[merged[0]["start"]:merged[0]["end"]]
    assert first.startswith("We had problems") and first.endswith("Our goal is calm.")
    assert [m["text"] for m in merged[1:]] == ["retaliation"]


def test_continuation_in_the_next_paragraph_stays_apart():
    merged = bench_quotes.merge_attributions(TEXT, [
        quote("Our goal is calm.", "direct", "said"),
        quote("Next paragraph.", "direct", None, via="continuation"),
    ])
    assert len(merged) == 2


def test_an_annotator_scored_against_itself_agrees_fully():
    gold = [bench_quotes.Gold(content=[(1, 24)], source=[(26, 31)], cue=[(32, 36)])]
    counts = bench_quotes._counts()
    bench_quotes.score_article(TEXT, gold, bench_quotes.as_predictions(gold), counts, [])
    assert counts["overlap_tp"] == counts["gold"] == counts["pred"] == counts["speaker_tp"] == 1

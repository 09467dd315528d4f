"""The extractive story summary measured on NeuS (neutral multi-source summaries), with two baselines.

    python bench/summaries.py [NEUS_DIR] [--split val] [--sentences N] [--tune] [--tune-items M]
                              [--cache DIR] [--out PATH]

NeuS (default ../shared/eval/summaries/neus relative to the project root): for each event, three
outlets' headline and lead (`TITLE=> ... ARTICLE=> ...` joined by `[SEP]`) and the editors' neutral
summary (`*.target`, the same shape). Candidates are the sentences of the three leads (a regex
splitter: this bench should not need spaCy), each outlet its own voice; a sentence is a quotation when
most of its characters sit inside quotation marks. Scored: ROUGE-1/2/L F-measure (rouge-score, Porter
stemmer) of the summary against the target's ARTICLE text, beside two baselines computed in the same
run: (a) the first sentence of each outlet; (b) the first sentence of the longest lead; and, length-
matched, as many sentences as the summary has from the top of the longest lead.

`--tune` searches the summariser's weights and the number of sentences on the train split (all of it,
or its first --tune-items events) for the best mean of the three F-measures and prints them; the
shipped defaults in storylens.brief.summary.WEIGHTS and --sentences are what it chose. Nothing is
tuned on val; the ablations (each piece of evidence switched off in turn) are reported, not tuned.
Embeddings are cached under --cache (default /tmp/storylens-bench). Results go to
bench/results/summaries.json.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import platform
import re
import sys
import time
from pathlib import Path

import numpy as np
from embedcache import cached_embeddings  # bench/ is on the path when a bench script runs

from storylens.brief.summary import WEIGHTS, Candidate, SummaryWeights, summarise

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "eval" / "summaries" / "neus"
RESULTS = ROOT / "bench" / "results" / "summaries.json"
SENTENCES = 2  # chosen on NeuS train by --tune
METRICS = ("rouge1", "rouge2", "rougeL")
PUBLISHED = {
    "note": "NeuS (Lee et al., NAACL 2022) reports abstractive models (fine-tuned BART/T5/GPT-3), not "
            "extractive ones, so the in-run baselines are the comparison here",
}

_PART = re.compile(r"TITLE=>(.*?)ARTICLE=>(.*)", re.S)
# A sentence ends at . ! or ? (perhaps followed by a closing quote or bracket) before a space and a
# capital, digit or opening quote; not after common abbreviations or single initials.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Rev|St|Jr|Sr|Prof|Inc|Corp|Co|Ltd|No|vs|Jan|Feb"
    r"|Mar|Apr|Aug|Sept|Sep|Oct|Nov|Dec|U\.S|U\.N|U\.K|D\.C|a\.m|p\.m|e\.g|i\.e)|\b[A-Z])\.$")
_QUOTED = re.compile(r"[\"\u201c](.*?)(?:[\"\u201d]|$)", re.S)


@dataclasses.dataclass
class Event:
    """One NeuS item: its outlets' titles and leads, and the target summary."""

    titles: list[str]
    leads: list[str]
    target: str


def main() -> None:
    """Optionally tune on train, then score the summariser and both baselines on the chosen split."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--split", default="val")
    parser.add_argument("--sentences", type=int, default=SENTENCES)
    parser.add_argument("--tune", action="store_true", help="search weights on the train split first")
    parser.add_argument("--tune-items", type=int, default=None, help="tune on the first M train events")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/storylens-bench"))
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    if not (args.path / f"{args.split}.source").exists():
        sys.exit(f"{args.path} is not here (the evaluation data sits beside the project root)")
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    results: dict[str, object] = {"machine": platform.machine(), "python": platform.python_version(),
                                  "data": f"NeuS {args.split}", "published": PUBLISHED}
    weights, sentences = WEIGHTS, args.sentences
    if args.tune:
        train = read_events(args.path, "train")
        train_candidates = candidates_of(train, args.cache)  # the whole split: one embedding cache file
        m = args.tune_items
        weights, sentences, tuning = tune(train[:m], train_candidates[:m], scorer)
        results["tuning"] = tuning
    events = read_events(args.path, args.split)
    started = time.perf_counter()
    candidates = candidates_of(events, args.cache)
    embed_seconds = time.perf_counter() - started
    started = time.perf_counter()
    ours = [summarise(c, sentences, weights) for c in candidates]
    summarise_seconds = time.perf_counter() - started
    systems = {
        f"storylens summary ({sentences} sentences)": [" ".join(c.text for c in s) for s in ours],
        "baseline (a): first sentence of each outlet": [" ".join(c.text for c in cs if c.index == 0)
                                                        for cs in candidates],
        "baseline (b): first sentence of the longest lead": [
            first_of_longest(e, cs) for e, cs in zip(events, candidates, strict=True)],
        # Not asked for, but length-matched: as many sentences as ours, from the top of the longest lead.
        f"extra baseline: first {sentences} sentences of the longest lead": [
            first_of_longest(e, cs, sentences) for e, cs in zip(events, candidates, strict=True)],
    }
    # Ablations (reported, not tuned): each piece of evidence switched off in turn.
    for label, change in (("without support across voices", {"support": 0.0}),
                          ("without position", {"position": 0.0}),
                          ("without centrality", {"centrality": 0.0}),
                          ("without redundancy control (MMR)", {"diversity": 0.0, "duplicate": 1.01})):
        ablated = dataclasses.replace(weights, **change)
        systems[f"  ablation: {label}"] = [" ".join(s.text for s in summarise(c, sentences, ablated))
                                            for c in candidates]
    figures = {name: rouge(texts, events, scorer) for name, texts in systems.items()}
    results.update({
        "events": len(events), "sentences": sentences, "weights": dataclasses.asdict(weights),
        "candidates_per_event": round(float(np.mean([len(c) for c in candidates])), 2),
        "embed_seconds_uncached_or_cache_read": round(embed_seconds, 2),
        "summarise_ms_per_event": round(1000 * summarise_seconds / len(events), 3),
        "words_per_summary": {name: round(float(np.mean([len(t.split()) for t in texts])), 1)
                              for name, texts in systems.items()},
        "target_words": round(float(np.mean([len(e.target.split()) for e in events])), 1),
        "rouge_f": figures,
    })
    print(f"NeuS {args.split}: {len(events)} events, ROUGE F-measure (rouge-score, stemmed) "
          f"against the target summary")
    print(f"{'system':56} {'R-1':>7} {'R-2':>7} {'R-L':>7} {'words':>6}")
    for name, fig in figures.items():
        print(f"{name:56} {fig['rouge1']:7.4f} {fig['rouge2']:7.4f} {fig['rougeL']:7.4f} "
              f"{results['words_per_summary'][name]:6.1f}")
    print(f"{'(target)':56} {'':7} {'':7} {'':7} {results['target_words']:6.1f}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {args.out}")


def read_events(folder: Path, split: str) -> list[Event]:
    """The events of one NeuS split."""
    sources = (folder / f"{split}.source").read_text(encoding="utf-8").splitlines()
    targets = (folder / f"{split}.target").read_text(encoding="utf-8").splitlines()
    events = []
    for source, target in zip(sources, targets, strict=True):
        parts = [_PART.match(p.strip()) for p in source.split("[SEP]")]
        parts = [m for m in parts if m]
        goal = _PART.match(target.strip())
        events.append(Event(titles=[m.group(1).strip() for m in parts],
                            leads=[m.group(2).strip() for m in parts],
                            target=goal.group(2).strip() if goal else target.strip()))
    return events


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a paragraph of news prose."""
    spans, start = [], 0
    for match in _BOUNDARY.finditer(text):
        end = match.start() + len(match.group(0).rstrip())
        if _ABBREVIATION.search(text[start:match.start()]):
            continue
        spans.append((start, end))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def is_quote(sentence: str) -> bool:
    """Whether most of a sentence's characters sit inside quotation marks."""
    inside = sum(len(m.group(1)) for m in _QUOTED.finditer(sentence))
    return inside > 0.5 * len(sentence)


def candidates_of(events: list[Event], cache: Path) -> list[list[Candidate]]:
    """Each event's lead sentences as summary candidates, with (cached) embeddings."""
    spans = [[(a, s, e) for a, lead in enumerate(ev.leads) for s, e in split_sentences(lead)]
             for ev in events]
    texts = sorted({ev.leads[a][s:e] for ev, sp in zip(events, spans, strict=True) for a, s, e in sp})
    vectors = cached_embeddings(texts, cache)
    out = []
    for ev, sp in zip(events, spans, strict=True):
        seen: dict[int, int] = {}
        cands = []
        for a, s, e in sp:
            text = ev.leads[a][s:e]
            index = seen[a] = seen.get(a, -1) + 1
            cands.append(Candidate(article_id=f"a{a}", outlet=f"outlet{a}", voice=f"outlet{a}", index=index,
                                   start=s, end=e, text=text, vector=vectors[text], is_quote=is_quote(text)))
        out.append(cands)
    return out


def first_of_longest(event: Event, candidates: list[Candidate], n: int = 1) -> str:
    """Baseline (b): the first sentence (or n) of the longest lead."""
    longest = f"a{max(range(len(event.leads)), key=lambda a: len(event.leads[a]))}"
    return " ".join(c.text for c in candidates if c.article_id == longest and c.index < n)


def rouge(texts: list[str], events: list[Event], scorer) -> dict[str, float]:
    """Mean ROUGE F-measures of the texts against the events' targets."""
    totals = dict.fromkeys(METRICS, 0.0)
    for text, event in zip(texts, events, strict=True):
        for metric, score in scorer.score(event.target, text).items():
            totals[metric] += score.fmeasure
    return {m: round(v / len(texts), 4) for m, v in totals.items()}


def tune(events: list[Event], candidates: list[list[Candidate]], scorer
         ) -> tuple[SummaryWeights, int, dict[str, object]]:
    """The weights and sentence count with the best mean ROUGE F on the given (train) events."""
    memo: dict[tuple[int, tuple[int, ...]], float] = {}  # (event, picked sentences) -> mean F

    def value(i: int, picked: list[Candidate]) -> float:
        key = (i, tuple(candidates[i].index(c) for c in picked))
        if key not in memo:
            text = " ".join(c.text for c in picked)
            memo[key] = float(np.mean([s.fmeasure for s in scorer.score(events[i].target, text).values()]))
        return memo[key]

    grid = {"support": [0.0, 0.5, 1.0, 2.0], "position": [0.0, 0.15, 0.3, 0.6, 1.0],
            "quote": [0.0, 0.3], "short": [0.0, 0.3], "diversity": [0.3, 0.6]}
    counts = (1, 2, 3, 4)
    tried = []
    for values in itertools.product(*grid.values()):
        weights = dataclasses.replace(WEIGHTS, **dict(zip(grid, values, strict=True)))
        for n in counts:
            mean = float(np.mean([value(i, summarise(c, n, weights)) for i, c in enumerate(candidates)]))
            tried.append((mean, n, weights))
    tried.sort(key=lambda t: -t[0])
    best_mean, best_n, best = tried[0]
    print(f"tuned on {len(events)} train events: {best_n} sentences, {best} (mean F {best_mean:.4f})")
    top = [{"mean_f": round(m, 4), "sentences": n, **{k: getattr(w, k) for k in grid}}
           for m, n, w in tried[:10]]
    return best, best_n, {"train_events": len(events), "grid": grid, "sentences_tried": list(counts),
                          "best_mean_f": round(best_mean, 4), "top": top}


if __name__ == "__main__":
    main()

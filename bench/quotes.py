"""Quote extraction measured on PolNeAR (political news attribution relations), beside published figures.

    python bench/quotes.py [DATASET_DIR] [--limit N] [--errors N]
    python bench/quotes.py --learn-lexicon TRAIN_DIR      # src/storylens/data/quotes_lexicon.json
    python bench/quotes.py --learn-classifier TRAIN_DIR   # src/storylens/data/quotes_classifier.json
    python bench/quotes.py --held-out TRAIN_DIR           # fit on 3/4 of train, score the other 1/4

DATASET_DIR holds text/NAME.txt and attributions/NAME_ANNOTATOR.ann (brat standoff); the default is
../shared/eval/quotes/polnear/dev relative to the project root. One annotator's file per article:
the first annotator listed for the article in ../metadata.tsv that has a file, else the first file
in name order.

Each text goes through spaCy + split_sentences + find_entities + find_quotes. PolNeAR annotates one
attribution where find_quotes may give several quotes, so before scoring the predicted quotes are joined
into attributions (merge_attributions): quotes sharing one cue, a partial quote inside an indirect quote,
and a cue-less continuation in the same paragraph as the quote before it ("“A,” he said. “B.”", one
gold Content in two pieces). Scores (micro-averaged):

- content, exact: a predicted quote equals a gold Content span after trimming whitespace, quotation
  marks and edge punctuation from both (a discontinuous gold Content is taken from its first to its
  last piece);
- content, half-overlap: predicted quotes and gold Contents are paired one-to-one (greedily, best
  coverage first); a pair counts when the predicted span covers at least half of the gold Content's
  word tokens;
- speaker, end to end: a true positive is a half-overlap pair whose predicted speaker mention
  (speaker_start..speaker_end; for a continuation quote, the span of the speaker it continues)
  overlaps the gold Source span by at least one character. Precision over predicted quotes that
  name a speaker span, recall over gold attributions that have a Source;
- speaker, on matched quotes (issue 3's definition: the predicted speaker overlaps the gold Source, for
  matched quotes): the same true positives, precision over the half-overlap pairs whose predicted quote
  names a speaker span, recall over the pairs whose gold attribution has a Source; speaker accuracy is
  that recall (correct / matched pairs with a gold Source);
- cue: end to end likewise, with the predicted cue span overlapping the gold Cue span.

Results go to bench/results/quotes.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = ROOT.parent / "shared" / "eval" / "quotes" / "polnear" / "dev"
RESULTS = ROOT / "bench" / "results" / "quotes.json"

PUBLISHED = {
    "Citron (PARC 3.0)": {"content_f1_exact": 0.593, "content_f1_overlap": 0.833, "speaker_f1": 0.820},
    "Gender Gap Tracker (own set)": {"quotes_f1_overlap_0.3": 0.837, "speaker_accuracy": 0.865},
}
_EDGE = " \t\n\"'“”‘’.,;:!?—–-()"
_WORD = re.compile(r"\w+")


@dataclass
class Gold:
    """One annotated attribution."""

    content: list[tuple[int, int]]
    source: list[tuple[int, int]] = field(default_factory=list)
    cue: list[tuple[int, int]] = field(default_factory=list)


def read_ann(path: Path) -> list[Gold]:
    """Attributions of one brat file: Content, Source and Cue spans joined by their E line."""
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            kind, _, offsets = parts[1].partition(" ")
            pieces = [tuple(int(x) for x in piece.split()) for piece in offsets.split(";")]
            spans[parts[0]] = (kind, [(a, b) for a, b in pieces])
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg))
    out = []
    for event in events:
        role_spans = {role: spans[tid][1] for role, tid in event.items() if tid in spans}
        if "Content" in role_spans:
            out.append(Gold(role_spans["Content"], role_spans.get("Source", []), role_spans.get("Cue", [])))
    return out


def annotation_files(dataset: Path) -> dict[str, list[Path]]:
    """Every annotator's .ann file of each article, by article name."""
    files: dict[str, list[Path]] = {}
    for path in sorted((dataset / "attributions").glob("*.ann")):
        name, _, _ = path.stem.rpartition("_")
        files.setdefault(name, []).append(path)
    return files


def article_text(dataset: Path, name: str) -> str:
    """An article's text as analysis parses it (odd spaces made plain; the offsets are the same)."""
    from storylens.analyze.nlp import parser_text

    return parser_text((dataset / "text" / f"{name}.txt").read_text(encoding="utf-8"))


def pick_annotations(dataset: Path) -> dict[str, Path]:
    """One .ann file per article: the metadata's first listed annotator, else the first by name."""
    files = annotation_files(dataset)
    listed: dict[str, list[str]] = {}
    meta = dataset.parent / "metadata.tsv"
    if meta.exists():
        with meta.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                listed[row["filename"]] = (row.get("annotators") or "").split("|")
    chosen = {}
    for name, paths in files.items():
        by_annotator = {p.stem.rpartition("_")[2]: p for p in paths}
        first = next((by_annotator[a] for a in listed.get(name, []) if a in by_annotator), paths[0])
        chosen[name] = first
    return chosen


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


def _words(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [(a + m.start(), a + m.end()) for a, b in pieces for m in _WORD.finditer(text[a:b])]


def _overlaps(a: tuple[int, int] | None, pieces: list[tuple[int, int]]) -> bool:
    return a is not None and any(a[0] < e and s < a[1] for s, e in pieces)


def predict(nlp, text: str, doc=None) -> list[dict]:
    """Quotes found in one text (or its parsed doc), with the speaker span a continuation inherits."""
    from storylens.analyze.entities import find_entities
    from storylens.analyze.quotes import find_quotes
    from storylens.analyze.sentences import split_sentences

    doc = nlp(text) if doc is None else doc
    sentences = split_sentences(doc)
    mentions, entities = find_entities(doc, sentences)
    out, last_speaker = [], None
    for q in find_quotes(doc, sentences, mentions, entities):
        speaker = (q.speaker_start, q.speaker_end) if q.speaker_start is not None else None
        if q.speaker_via == "continuation" and speaker is None:
            speaker = last_speaker
        if speaker is not None:
            last_speaker = speaker
        cue = (q.cue_start, q.cue_end) if q.cue_start is not None else None
        out.append({"start": q.start, "end": q.end, "kind": q.kind, "speaker": speaker, "cue": cue,
                    "via": q.speaker_via, "text": q.text})
    return merge_attributions(text, out)


def merge_attributions(text: str, quotes: list[dict]) -> list[dict]:
    """Quotes that PolNeAR annotates as one attribution, joined: the pieces of one cue, a partial quote
    inside an indirect quote (the quoted words of the reported clause), and a continuation in the same
    paragraph as the quote before it ("“A,” he said. “B.”")."""
    out: list[dict] = []
    for q in sorted(quotes, key=lambda q: q["start"]):
        prev = out[-1] if out else None
        same_cue = prev is not None and q["cue"] is not None and q["cue"] == prev["cue"]
        continues = prev is not None and q["via"] == "continuation" and q["cue"] is None \
            and "\n" not in text[prev["end"]:q["start"]]
        if continues:
            # It continues the last direct quote of its paragraph, past a clause reported in between.
            same_paragraph = [o for o in out if "\n" not in text[o["end"]:q["start"]]]
            prev = next((o for o in reversed(same_paragraph) if o["kind"] == "direct"), prev)
        inside = prev is not None and q["kind"] == "partial" and prev["start"] <= q["start"] \
            and q["end"] <= prev["end"] + 2
        if same_cue or continues or inside:
            prev["start"], prev["end"] = min(prev["start"], q["start"]), max(prev["end"], q["end"])
            prev["text"] = text[prev["start"]:prev["end"]]
            continue
        out.append(dict(q))
    return out


def score_article(text: str, gold: list[Gold], pred: list[dict], counts: dict[str, int],
                  errors: list[dict]) -> None:
    """Add one article's true positives and totals to counts."""
    gold_exact = {_trim(text, g.content[0][0], g.content[-1][1]) for g in gold}
    pred_exact = {_trim(text, p["start"], p["end"]) for p in pred}
    counts["exact_tp"] += len(gold_exact & pred_exact)
    counts["gold"] += len(gold)
    counts["pred"] += len(pred)
    pairs = []
    for gi, g in enumerate(gold):
        words = _words(text, g.content)
        if not words:
            continue
        for pi, p in enumerate(pred):
            covered = sum(1 for a, b in words if a < p["end"] and p["start"] < b)
            if covered / len(words) >= 0.5:
                pairs.append((covered / len(words), gi, pi))
    matched: dict[int, int] = {}
    used_pred: set[int] = set()
    for _, gi, pi in sorted(pairs, reverse=True):
        if gi not in matched and pi not in used_pred:
            matched[gi] = pi
            used_pred.add(pi)
    counts["overlap_tp"] += len(matched)
    counts["gold_source"] += sum(1 for g in gold if g.source)
    counts["pred_speaker"] += sum(1 for p in pred if p["speaker"] is not None)
    counts["gold_cue"] += sum(1 for g in gold if g.cue)
    counts["pred_cue"] += sum(1 for p in pred if p["cue"] is not None)
    for gi, pi in matched.items():
        g, p = gold[gi], pred[pi]
        counts["speaker_tp"] += _overlaps(p["speaker"], g.source)
        counts["cue_tp"] += _overlaps(p["cue"], g.cue)
        counts["matched_with_source"] += bool(g.source)
        counts["matched_pred_speaker"] += p["speaker"] is not None
        counts["speaker_correct_matched"] += bool(g.source) and _overlaps(p["speaker"], g.source)
    for gi, g in enumerate(gold):
        if gi not in matched:
            errors.append({"type": "missed", "text": text[g.content[0][0]:g.content[-1][1]][:160],
                           "source": " ".join(text[a:b] for a, b in g.source)})
        elif g.source and not _overlaps(pred[matched[gi]]["speaker"], g.source):
            p = pred[matched[gi]]
            errors.append({"type": "speaker", "gold": " ".join(text[a:b] for a, b in g.source),
                           "pred": text[p["speaker"][0]:p["speaker"][1]] if p["speaker"] else None,
                           "via": p["via"], "text": p["text"][:100]})
    for pi, p in enumerate(pred):
        if pi not in used_pred:
            errors.append({"type": "spurious", "kind": p["kind"], "text": p["text"][:160]})


def prf(tp: int, pred: int, gold: int) -> dict[str, float]:
    """Precision, recall and F1, rounded."""
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}


def run(dataset: Path, limit: int | None, names: list[str] | None = None,
        docs: dict | None = None) -> tuple[dict, list[dict]]:
    """Score every article of the dataset (or the named ones, with their parsed docs when given);
    figures and the list of errors."""
    from storylens.analyze.nlp import english

    nlp = english()
    chosen = pick_annotations(dataset)
    names = names or (sorted(chosen)[:limit] if limit else sorted(chosen))
    docs = docs or {}
    counts = _counts()
    errors: list[dict] = []
    words = 0
    t0 = time.perf_counter()
    for name in names:
        text = article_text(dataset, name)
        words += len(text.split())
        score_article(text, read_ann(chosen[name]), predict(nlp, text, docs.get(name)), counts, errors)
    seconds = time.perf_counter() - t0
    figures = {
        "dataset": str(dataset),
        "articles": len(names),
        "words": words,
        "gold_attributions": counts["gold"],
        "predicted_quotes": counts["pred"],
        "content_exact": prf(counts["exact_tp"], counts["pred"], counts["gold"]),
        "content_half_overlap": prf(counts["overlap_tp"], counts["pred"], counts["gold"]),
        "speaker": prf(counts["speaker_tp"], counts["pred_speaker"], counts["gold_source"]),
        "speaker_on_matched": prf(counts["speaker_correct_matched"], counts["matched_pred_speaker"],
                                  counts["matched_with_source"]),
        "speaker_accuracy_on_matched": round(
            counts["speaker_correct_matched"] / counts["matched_with_source"], 3)
        if counts["matched_with_source"] else 0.0,
        "cue": prf(counts["cue_tp"], counts["pred_cue"], counts["gold_cue"]),
        "seconds": round(seconds, 1),
        "articles_per_second": round(len(names) / seconds, 2) if seconds else None,
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "published": PUBLISHED,
    }
    return figures, errors


def agreement(dataset: Path) -> dict:
    """On the articles several people annotated: each further annotator's attributions scored as
    predictions against the chosen annotator's (how far people agree under this metric), and storylens
    on the same articles."""
    from storylens.analyze.nlp import english

    nlp = english()
    chosen, files = pick_annotations(dataset), annotation_files(dataset)
    people: dict[str, int] = _counts()
    ours: dict[str, int] = _counts()
    names = [n for n in sorted(chosen) if len(files[n]) > 1]
    for name in names:
        text = article_text(dataset, name)
        gold = read_ann(chosen[name])
        for other in files[name]:
            if other != chosen[name]:
                score_article(text, gold, as_predictions(read_ann(other)), people, [])
        score_article(text, gold, predict(nlp, text), ours, [])
    pairs = sum(len(files[n]) - 1 for n in names)
    return {"dataset": str(dataset), "articles": len(names), "annotator_pairs": pairs,
            "people": prf(people["overlap_tp"], people["pred"], people["gold"]),
            "storylens": prf(ours["overlap_tp"], ours["pred"], ours["gold"])}


def as_predictions(gold: list[Gold]) -> list[dict]:
    """One annotator's attributions in the shape of predict()'s quotes."""
    return [{"start": g.content[0][0], "end": g.content[-1][1], "kind": "annotated", "via": None, "text": "",
             "speaker": g.source[0] if g.source else None, "cue": g.cue[0] if g.cue else None} for g in gold]


def _counts() -> dict[str, int]:
    return dict.fromkeys(
        ["exact_tp", "overlap_tp", "gold", "pred", "gold_source", "pred_speaker", "gold_cue", "pred_cue",
         "speaker_tp", "cue_tp", "matched_with_source", "matched_pred_speaker", "speaker_correct_matched"], 0)


def report(fig: dict) -> str:
    """The figures as a table beside the published bars."""
    c_ex, c_ov, spk, cue = fig["content_exact"], fig["content_half_overlap"], fig["speaker"], fig["cue"]
    spm = fig["speaker_on_matched"]
    rows = [
        f"PolNeAR {Path(fig['dataset']).name}: {fig['articles']} articles, {fig['words']} words, "
        f"{fig['gold_attributions']} gold attributions, {fig['predicted_quotes']} predicted quotes, "
        f"{fig['seconds']} s ({fig['articles_per_second']} articles/s)",
        f"{'':34}{'P':>7}{'R':>7}{'F1':>7}   published",
        f"{'content, exact':34}{c_ex['precision']:7.3f}{c_ex['recall']:7.3f}{c_ex['f1']:7.3f}"
        "   Citron 0.593 (PARC 3.0)",
        f"{'content, half-overlap':34}{c_ov['precision']:7.3f}{c_ov['recall']:7.3f}{c_ov['f1']:7.3f}"
        "   Citron 0.833 (PARC 3.0); GGT 0.837 (overlap >= 0.3, own set)   target >= 0.80",
        f"{'speaker (end to end)':34}{spk['precision']:7.3f}{spk['recall']:7.3f}{spk['f1']:7.3f}"
        "   Citron 0.820 (PARC 3.0)   target >= 0.82",
        f"{'speaker, on matched quotes':34}{spm['precision']:7.3f}{spm['recall']:7.3f}{spm['f1']:7.3f}"
        "   Citron 0.820 (PARC 3.0; issue 3's definition)",
        f"{'speaker accuracy, matched quotes':34}{'':14}{fig['speaker_accuracy_on_matched']:7.3f}"
        "   GGT 0.865 (own set)",
        f"{'cue (end to end)':34}{cue['precision']:7.3f}{cue['recall']:7.3f}{cue['f1']:7.3f}",
    ]
    return "\n".join(rows)


def learn_lexicon(train: Path, out: Path, min_seen: int = 3) -> dict[str, float]:
    """Share of each verb lemma's occurrences in PolNeAR train that are gold cues, and of each noun and
    adjective lemma's ("criticism", "opponent", "eager"); written as JSON."""
    from storylens.analyze.nlp import english

    nlp = english()
    chosen = pick_annotations(train)
    names = sorted(chosen)
    texts = [article_text(train, n) for n in names]
    seen: dict[tuple[str, str], int] = {}
    cued: dict[tuple[str, str], int] = {}
    for name, doc in zip(names, nlp.pipe(texts, batch_size=16, n_process=2), strict=True):
        cues = [piece for g in read_ann(chosen[name]) for piece in g.cue]
        for tok in doc:
            kind = _LEXICON_KINDS.get(tok.pos_)
            if kind is None:
                continue
            key = (kind, tok.lemma_.lower())
            seen[key] = seen.get(key, 0) + 1
            if _overlaps((tok.idx, tok.idx + len(tok.text)), cues):
                cued[key] = cued.get(key, 0) + 1
    rates = {kind: {lemma: round(cued[(k, lemma)] / seen[(k, lemma)], 3) for k, lemma in sorted(cued)
                    if k == kind and seen[(k, lemma)] >= min_seen and cued[(k, lemma)] >= 2}
             for kind in ("verbs", "nouns")}
    about = f"cue rate of verb, noun and adjective lemmas in PolNeAR train ({len(names)} articles)"
    out.write_text(json.dumps({"about": about, **rates}, indent=1) + "\n", encoding="utf-8")
    return rates["verbs"]


_LEXICON_KINDS = {"VERB": "verbs", "AUX": "verbs", "NOUN": "nouns", "ADJ": "nouns"}


def candidate_labels(text: str, gold: list[Gold], spans: list[tuple[int, int]],
                     min_precision: float = 0.5) -> list[int]:
    """1 for a candidate content span that covers at least half of a gold Content's words (as the
    half-overlap score counts) with at least min_precision of its own words in it, else 0."""
    golds = [set(_words(text, g.content)) for g in gold]
    labels = []
    for start, end in spans:
        mine = set(_words(text, [(start, end)]))
        hit = any(g and mine and len(g & mine) >= 0.5 * len(g) and len(g & mine) >= min_precision * len(mine)
                  for g in golds)
        labels.append(int(hit))
    return labels


def learn_classifier(train: Path, out: Path, names: list[str] | None = None, docs=None,
                     threshold: float = 0.35, reject: float = 0.5, c: float = 0.02,
                     min_seen: int = 20, min_precision: float = 0.25) -> dict:
    """Logistic regression over the features of every candidate (verb + complement, with its sentence
    context and pairs of its main features) in PolNeAR train, written as a JSON table of feature weights
    (features seen at least min_seen times). A candidate is positive when it covers half of a gold
    Content (as the score counts) and at least min_precision of its words are in it. C, the labels and
    the thresholds were chosen on 210 train articles (every fourth by name) held out from a model
    fitted on the other 630."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    from storylens.analyze.nlp import english
    from storylens.analyze.quotes import (
        _quoted_chars,
        _segments,
        candidate_features,
        candidates,
        paragraph_spans,
    )

    chosen = pick_annotations(train)
    names = names or sorted(chosen)
    if docs is None:
        texts = [article_text(train, n) for n in names]
        docs = english().pipe(texts, batch_size=16, n_process=2)
    rows, labels, seen = [], [], {}
    for name, doc in zip(names, docs, strict=True):
        quoted = _quoted_chars(_segments(doc.text, paragraph_spans(doc.text)))
        cands = candidates(doc, quoted)
        spans = [cd.content for cd in cands]
        labels += candidate_labels(doc.text, read_ann(chosen[name]), spans, min_precision)
        for cd in cands:
            feats = candidate_features(doc, cd)
            rows.append(dict.fromkeys(feats, 1))
            for f in feats:
                seen[f] = seen.get(f, 0) + 1
    rows = [{f: 1 for f in row if seen[f] >= min_seen} for row in rows]
    vec = DictVectorizer()
    x = vec.fit_transform(rows)
    model = LogisticRegression(C=c, max_iter=2000).fit(x, labels)
    weights = {f: round(float(w), 3) for f, w in zip(vec.get_feature_names_out(), model.coef_[0], strict=True)
               if abs(w) >= 0.01}
    data = {"about": f"logistic regression over candidate attributions in PolNeAR train ({len(names)} "
                     f"articles, {len(labels)} candidates, {sum(labels)} positive, min_precision="
                     f"{min_precision}); features and their pairs seen at least {min_seen} times; C={c}; "
                     "threshold: accept a candidate the rules missed; reject: drop a clause the rules found",
            "threshold": threshold, "reject": reject, "intercept": round(float(model.intercept_[0]), 4),
            "weights": weights}
    out.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    return data


def held_out(train: Path, every: int = 4) -> dict:
    """The classifier fitted on PolNeAR train without every fourth article (by name) and scored on those
    (how its features, labels and thresholds were chosen); the installed weights are left alone."""
    import tempfile

    from storylens.analyze import quotes
    from storylens.analyze.nlp import english

    names = sorted(pick_annotations(train))
    texts = [article_text(train, n) for n in names]
    docs = dict(zip(names, english().pipe(texts, batch_size=16, n_process=2), strict=True))
    fit = [n for i, n in enumerate(names) if i % every != every - 1]
    test = [n for i, n in enumerate(names) if i % every == every - 1]
    installed = quotes.CLASSIFIER_FILE
    with tempfile.TemporaryDirectory() as tmp:
        quotes.CLASSIFIER_FILE = Path(tmp) / "quotes_classifier.json"
        quotes.classifier.cache_clear()
        try:
            learn_classifier(train, quotes.CLASSIFIER_FILE, names=fit, docs=[docs[n] for n in fit])
            figures, _ = run(train, None, names=test, docs=docs)
        finally:
            quotes.CLASSIFIER_FILE = installed
            quotes.classifier.cache_clear()
    figures["held_out"] = f"{len(test)} train articles (every {every}th by name), model fitted on {len(fit)}"
    return figures


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write bench/results/quotes.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--errors", type=int, default=0, help="print N errors of each type")
    parser.add_argument("--learn-lexicon", type=Path, default=None, metavar="TRAIN_DIR",
                        help="learn the reporting-verb lexicon from a PolNeAR train split and exit")
    parser.add_argument("--learn-classifier", type=Path, default=None, metavar="TRAIN_DIR",
                        help="learn the attribution classifier from a PolNeAR train split and exit "
                             "(needs scikit-learn)")
    parser.add_argument("--held-out", type=Path, default=None, metavar="TRAIN_DIR",
                        help="fit the classifier on 3/4 of a PolNeAR train split, score the rest, and exit "
                             "(needs scikit-learn; writes nothing)")
    parser.add_argument("--agreement", type=Path, default=None, metavar="SPLIT_DIR",
                        help="score annotators against each other (and storylens) on the articles of a "
                             "PolNeAR split that several people annotated, and exit")
    args = parser.parse_args(argv)
    if args.agreement is not None:
        sys.path.insert(0, str(ROOT / "src"))
        fig = agreement(args.agreement)
        print(f"PolNeAR {args.agreement.name}: {fig['articles']} articles annotated by several people "
              f"({fig['annotator_pairs']} pairs); content, half-overlap P/R/F1")
        for who in ("people", "storylens"):
            print(f"  {who:10} " + "  ".join(f"{fig[who][k]:.3f}" for k in ("precision", "recall", "f1")))
        return 0
    if args.held_out is not None:
        sys.path.insert(0, str(ROOT / "src"))
        print(report(held_out(args.held_out)))
        return 0
    if args.learn_classifier is not None:
        sys.path.insert(0, str(ROOT / "src"))
        from storylens.analyze.quotes import CLASSIFIER_FILE

        data = learn_classifier(args.learn_classifier, CLASSIFIER_FILE)
        print(f"{len(data['weights'])} feature weights written to {CLASSIFIER_FILE}")
        return 0
    if args.learn_lexicon is not None:
        sys.path.insert(0, str(ROOT / "src"))
        from storylens.analyze.quotes import LEXICON_FILE

        verbs = learn_lexicon(args.learn_lexicon, LEXICON_FILE)
        print(f"{len(verbs)} verb lemmas written to {LEXICON_FILE}")
        return 0
    if not (args.dataset / "text").is_dir() or not (args.dataset / "attributions").is_dir():
        print(f"skipped: {args.dataset} is not a PolNeAR split (text/ and attributions/); "
              "the evaluation data sits beside the project root in ../shared/eval/quotes/polnear")
        return 0
    sys.path.insert(0, str(ROOT / "src"))
    figures, errors = run(args.dataset, args.limit)
    print(report(figures))
    for kind in ("missed", "spurious", "speaker"):
        for err in [e for e in errors if e["type"] == kind][: args.errors]:
            print(json.dumps(err, ensure_ascii=False))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The "same claim" sentence-pair model measured on MSRP, with cross-validation.

    python bench/align.py [MSRP.tsv] [--folds K] [--seed S] [--learn] [--cache DIR] [--out PATH]

MSRP (Microsoft Research Paraphrase Corpus, train file, default ../shared/eval/paraphrase/
msrp_train.tsv relative to the project root): 4,076 sentence pairs from news clusters, label 1 = same
meaning. Every figure is a mean over K stratified folds (default 10): the model is fitted on K-1 folds,
its decision threshold is the one with the best accuracy on those folds' out-of-fold predictions, and it
is scored on the held-out fold. So nothing is tuned on the pairs it is scored on.

- baseline: a cosine threshold on all-MiniLM-L6-v2 embeddings alone (chosen on the training folds; also
  the threshold tuned on all labels, the optimistic figure quoted in the issue);
- ours: a logistic regression over storylens.compare.similarity.FEATURES (scikit-learn, standardised
  features), the model storylens ships.
`--learn` fits the model on all pairs and writes src/storylens/data/same_claim.json (weights, the
feature scaling, a cosine-only fallback, the cross-validated threshold). Embeddings are cached under
--cache (default /tmp/storylens-bench) because computing them takes about a minute.
Results go to bench/results/align.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np
from embedcache import cached_embeddings  # bench/ is on the path when a bench script runs

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "eval" / "paraphrase" / "msrp_train.tsv"
RESULTS = ROOT / "bench" / "results" / "align.json"
MODEL = ROOT / "src" / "storylens" / "data" / "same_claim.json"
PUBLISHED = {
    "feature-based systems, 2006 (accuracy / F1)": [0.756, 0.830],
    "fine-tuned large transformers (about)": [0.90, 0.93],
    "issue 5 target": [0.76, 0.84],
}
C = 0.1  # inverse regularisation of the logistic regression (standardised, partly redundant features)


def main() -> None:
    """Cross-validate the baseline and the model, print and write the figures, optionally learn."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--folds", type=int, default=10)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--learn", action="store_true", help=f"write the fitted model to {MODEL}")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/storylens-bench"))
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    if not args.path.exists():
        sys.exit(f"{args.path} is not here (the evaluation data sits beside the project root)")

    from storylens.compare.similarity import FEATURES, pair_features

    labels, left, right = read_msrp(args.path)
    vectors = cached_embeddings(sorted(set(left) | set(right)), args.cache)
    cosine = np.array([float(vectors[a] @ vectors[b]) for a, b in zip(left, right, strict=True)])
    started = time.perf_counter()
    features = np.stack([pair_features(a, b, c) for a, b, c in zip(left, right, cosine, strict=True)])
    feature_seconds = time.perf_counter() - started

    folds = stratified_folds(labels, args.folds, args.seed)
    baseline_cv = cross_validate(cosine[:, None], labels, folds, model=False)
    baseline_all = best_threshold(cosine, labels)
    ours = cross_validate(features, labels, folds, model=True)
    results: dict[str, object] = {
        "machine": platform.machine(), "python": platform.python_version(), "data": args.path.name,
        "pairs": len(labels), "positive_share": round(float(labels.mean()), 4), "folds": args.folds,
        "seed": args.seed, "features": list(FEATURES), "C": C,
        "feature_seconds_per_1000_pairs": round(1000 * feature_seconds / len(labels), 3),
        "baseline_cosine_cv": baseline_cv,
        "baseline_cosine_tuned_on_all_labels": {
            "threshold": round(baseline_all[0], 4),
            **scores(cosine >= baseline_all[0], labels)},
        "ours_cv": ours,
        "published": PUBLISHED,
    }
    print_table(results)
    if args.learn:
        write_model(features, cosine, labels, ours["threshold_mean"], FEATURES)
        results["learned"] = json.loads(MODEL.read_text())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {args.out}")


def read_msrp(path: Path) -> tuple[np.ndarray, list[str], list[str]]:
    """(labels, first sentences, second sentences) of an MSRP .tsv file (header line, tab-separated)."""
    labels, left, right = [], [], []
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    for line in lines[1:]:
        parts = line.split("\t")
        if len(parts) != 5:
            continue
        labels.append(int(parts[0]))
        left.append(parts[3])
        right.append(parts[4])
    return np.array(labels), left, right


def stratified_folds(labels: np.ndarray, k: int, seed: int) -> np.ndarray:
    """A fold number per item, each class spread evenly over the folds."""
    rng = np.random.default_rng(seed)
    fold = np.empty(len(labels), dtype=int)
    for value in np.unique(labels):
        index = np.flatnonzero(labels == value)
        rng.shuffle(index)
        fold[index] = np.arange(len(index)) % k
    return fold


def scores(predicted: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    """Accuracy, precision, recall and F1 of the positive class."""
    tp = int(np.sum(predicted & (labels == 1)))
    fp = int(np.sum(predicted & (labels == 0)))
    fn = int(np.sum(~predicted & (labels == 1)))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"accuracy": round(float(np.mean(predicted == (labels == 1))), 4),
            "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def best_threshold(score: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """(threshold, accuracy): the cut on a score with the best accuracy (midpoint between scores)."""
    order = np.argsort(score)
    s, y = score[order], labels[order]
    # Predicting positive from position i on: correct = negatives before i + positives from i.
    negatives_before = np.concatenate([[0], np.cumsum(y == 0)])
    positives_from = np.concatenate([np.cumsum((y == 1)[::-1])[::-1], [0]])
    correct = negatives_before + positives_from
    i = int(np.argmax(correct))
    if i == 0:
        cut = s[0] - 1e-6
    elif i == len(s):
        cut = s[-1] + 1e-6
    else:
        cut = (s[i - 1] + s[i]) / 2
    return float(cut), float(correct[i] / len(s))


def fit(features: np.ndarray, labels: np.ndarray):
    """A standardised logistic regression (scikit-learn pipeline)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=2000)).fit(features, labels)


def out_of_fold(features: np.ndarray, labels: np.ndarray, folds: np.ndarray) -> np.ndarray:
    """Each item's probability from a model fitted without its fold."""
    out = np.empty(len(labels))
    for k in np.unique(folds):
        test = folds == k
        out[test] = fit(features[~test], labels[~test]).predict_proba(features[test])[:, 1]
    return out


def cross_validate(features: np.ndarray, labels: np.ndarray, folds: np.ndarray,
                   model: bool) -> dict[str, object]:
    """Mean held-out scores over the folds; the threshold is chosen on the training folds only."""
    per_fold, thresholds = [], []
    for k in np.unique(folds):
        test = folds == k
        if model:
            # Threshold from out-of-fold probabilities inside the training folds (honest, not overfitted).
            inner = out_of_fold(features[~test], labels[~test], folds[~test])
            threshold = best_threshold(inner, labels[~test])[0]
            score = fit(features[~test], labels[~test]).predict_proba(features[test])[:, 1]
        else:
            threshold = best_threshold(features[~test, 0], labels[~test])[0]
            score = features[test, 0]
        thresholds.append(threshold)
        per_fold.append(scores(score >= threshold, labels[test]))
    mean = {m: round(float(np.mean([f[m] for f in per_fold])), 4) for m in per_fold[0]}
    std = {m: round(float(np.std([f[m] for f in per_fold])), 4) for m in ("accuracy", "f1")}
    return {**mean, "std": std, "threshold_mean": round(float(np.mean(thresholds)), 4),
            "thresholds": [round(t, 4) for t in thresholds]}


def write_model(features: np.ndarray, cosine: np.ndarray, labels: np.ndarray, threshold: float,
                names: tuple[str, ...]) -> None:
    """Fit on all pairs and write the weights storylens ships."""
    pipeline = fit(features, labels)
    scaler, regression = pipeline[0], pipeline[-1]
    fallback = fit(cosine[:, None], labels)
    # The fallback's scaler folded into one weight and intercept: p = sigmoid(w * cosine + b).
    f_scaler, f_reg = fallback[0], fallback[-1]
    weight = float(f_reg.coef_[0, 0] / f_scaler.scale_[0])
    intercept = float(f_reg.intercept_[0] - f_reg.coef_[0, 0] * f_scaler.mean_[0] / f_scaler.scale_[0])
    data = {
        "about": (f"logistic regression over standardised sentence-pair features, fitted by bench/align.py "
                  f"--learn on MSRP train ({len(labels)} pairs, C={C}); threshold: mean over the CV folds of "
                  f"the accuracy-best cut; cosine_only: the fallback for pairs below the lexical floor"),
        "features": list(names),
        "mean": [round(float(v), 6) for v in scaler.mean_],
        "scale": [round(float(v), 6) for v in scaler.scale_],
        "weights": {n: round(float(w), 6) for n, w in zip(names, regression.coef_[0], strict=True)},
        "intercept": round(float(regression.intercept_[0]), 6),
        "threshold": round(threshold, 4),
        "cosine_only": {"weight": round(weight, 6), "intercept": round(intercept, 6)},
    }
    MODEL.write_text(json.dumps(data, indent=1) + "\n")
    print(f"model written to {MODEL}")


def print_table(results: dict) -> None:
    """The figures beside the baseline and the published ones."""
    base, tuned, ours = (results["baseline_cosine_cv"], results["baseline_cosine_tuned_on_all_labels"],
                         results["ours_cv"])
    print(f"MSRP train: {results['pairs']} pairs, {results['folds']}-fold CV (mean over held-out folds)")
    print(f"{'system':58} {'accuracy':>9} {'F1':>7}")
    rows = [("cosine threshold, all-MiniLM-L6-v2 (CV)", base["accuracy"], base["f1"]),
            ("cosine threshold tuned on all labels (optimistic)", tuned["accuracy"], tuned["f1"]),
            (f"storylens same-claim model (CV, threshold ~{ours['threshold_mean']:.3f})",
             ours["accuracy"], ours["f1"])]
    rows += [(f"published: {name}", acc, f1) for name, (acc, f1) in results["published"].items()]
    for name, acc, f1 in rows:
        print(f"{name:58} {acc:9.3f} {f1:7.3f}")


if __name__ == "__main__":
    main()

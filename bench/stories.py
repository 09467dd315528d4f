"""Online story clustering measured on the development sets, beside an oracle batch baseline.

    python bench/stories.py PATH.jsonl[.gz] [--limit N] [--shuffle SEED] [--no-copies] [--out PATH]
    python bench/stories.py --train PATH ... [--limit N]     # fit the signal weights (StoryConfig)

Input: a file from ../shared/eval/stories/ (the .gz one is streamed). The system never sees `gold_*`
fields; only the scorer (and --train) reads `gold_story`.

Order: articles are fed sorted by publication date where the file has dates (a stable sort, so file
order breaks ties: BASIL, UCI), else in file order (ECB+, NewsWCL50). `--shuffle SEED` shuffles the
file first; where there are dates it then sorts by date, so only articles of the same date change
order (a stream delivers articles in time order, give or take); for undated files the whole order is
random.

Features given to the clusterer:
- vector: all-MiniLM-L6-v2 embedding of the title and the first 60 words of the body (vectors.embed);
- entities: for full texts, storylens's own analysis (analyse_batch: spaCy plus storylens's entity
  rules) as the pipeline computes them in stage 2, keys reduced with linking.alias_key (stage 3's
  matching form); for headlines only (UCI), a cheaper spaCy NER-only pass over the headline;
- copy_of: copy links from stage 4 (CopyDetector) for full texts, unless --no-copies.
Entities and copy links are stage 2-4 outputs the pipeline stores anyway: their cost is printed
apart. "Time per article" is the clustering's own: title+lead embedding, term vector and placement.

Scores: B-cubed precision, recall and F1, and ARI (sklearn). The baseline is batch TF-IDF (title and
text, sublinear tf, English stop words) with average-linkage agglomerative clustering on cosine
distance, at the distance threshold that maximises F1 against the gold labels (an oracle), on the first
6,000 articles at most. Features are cached under /tmp/storylens-stories-cache (delete to recompute).
Results go to bench/results/stories_<dataset>.json.

Cost on a stream: every 10,000 articles a checkpoint records placement time (wall and CPU) over the
window, the live stories, RSS now and the peak RSS over the window (sampled every 50 ms in a background
thread); `rss_peak_sampled_mb` is the whole run's sampled peak (scoring included), `max_rss_mb` the
kernel's high-water mark (it includes the imports and the file scan before clustering starts).
`--trace-memory` adds tracemalloc's current and peak traced memory (Python objects and numpy arrays)
per checkpoint: exact, but it slows placement several times, so its timings are not the figures.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import itertools
import json
import math
import pickle
import platform
import random
import resource
import sys
import threading
import time
import tracemalloc
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from storylens.stories.cluster import (  # noqa: E402
    FEATURES,
    StoryCandidate,
    StoryClusterer,
    StoryConfig,
    embed_candidates,
    term_vector,
    to_day,
)

CACHE = Path("/tmp/storylens-stories-cache")
RESULTS = ROOT / "bench" / "results"
CHUNK = 2000
BASELINE_MAX = 6000
_NER_SKIP = {"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"}


def read(path: Path, limit: int | None) -> list[dict]:
    """The records of a .jsonl or .jsonl.gz file, at most `limit`."""
    return list(records_of(path, limit))


def records_of(path: Path, limit: int | None) -> Iterator[dict]:
    """The records of a .jsonl or .jsonl.gz file one at a time, at most `limit`, ids made unique."""
    opener = gzip.open if path.suffix == ".gz" else open
    seen: Counter = Counter()
    with opener(path, "rt", encoding="utf-8") as handle:
        lines = (json.loads(line) for line in handle if line.strip())
        for r in itertools.islice(lines, limit):
            # A few BASIL records share the id "empty": storylens keys articles by text.
            seen[str(r["id"])] += 1
            r["id"] = str(r["id"]) if seen[str(r["id"])] == 1 else f"{r['id']}#{seen[str(r['id'])]}"
            yield r


def streamed(path: Path, limit: int | None) -> Iterator[list[dict]]:
    """A date-ordered file in chunks of CHUNK records, never held whole (each chunk sorted by date)."""
    batch: list[dict] = []
    for record in records_of(path, limit):
        batch.append(record)
        if len(batch) == CHUNK:
            yield ordered(batch, None)
            batch = []
    if batch:
        yield ordered(batch, None)


def date_ordered(path: Path) -> bool:
    """Whether the file's records are dated and already in date order (so it can be streamed)."""
    last = -math.inf
    for record in records_of(path, None):
        day = to_day(record.get("published"))
        if day is None or day < last:
            return False
        last = day
    return True


def ordered(records: list[dict], shuffle: int | None) -> list[dict]:
    """Records in feeding order: by date where dates exist (stable), else file order; shuffled first."""
    records = list(records)
    if shuffle is not None:
        random.Random(shuffle).shuffle(records)
    if any(r.get("published") for r in records):
        records.sort(key=lambda r: (to_day(r.get("published")) is None, to_day(r.get("published")) or 0.0))
    return records


def candidate(record: dict) -> StoryCandidate:
    """The clusterer's view of a record: never a gold_* field."""
    title, text = record.get("title") or "", record.get("text") or ""
    if text.startswith(title):  # ECB+ and NewsWCL50 titles are the body's first line
        text = text[len(title):]
    return StoryCandidate(str(record["id"]), title, text, record.get("published"), record.get("outlet"))


# ---- features (cached) -------------------------------------------------------------------------

def _cache_path(name: str, records: list[dict], copies: bool) -> Path:
    # Sorted ids: a shuffled run of a one-chunk file reuses the features (copy links keep file order).
    digest = hashlib.blake2b("\n".join(sorted(str(r["id"]) for r in records)).encode(),
                             digest_size=8).hexdigest()
    return CACHE / f"{name}_{len(records)}_{int(copies)}_{digest}.pkl"


def entities_full(records: list[dict]) -> list[set[str]]:
    """Canonical entity keys from storylens's stage-2 analysis of each full text."""
    from storylens.analyze.linking import alias_key
    from storylens.analyze.pipeline import Task, analyse_batch

    out = []
    for start in range(0, len(records), 32):
        tasks = [Task(str(r["id"]), f"{r.get('title') or ''}\n\n{r.get('text') or ''}", "en",
                      r.get("published")) for r in records[start:start + 32]]
        out += [{alias_key(e.key) for e in a.entities if alias_key(e.key)} for a in analyse_batch(tasks)]
    return out


def entities_headlines(records: list[dict]) -> list[set[str]]:
    """Entity keys from spaCy's NER alone over each headline (no parser: cheap)."""
    from storylens.analyze.linking import alias_key
    from storylens.analyze.nlp import english

    nlp = english()
    titles = [r.get("title") or "" for r in records]
    with nlp.select_pipes(enable=[p for p in ("tok2vec", "ner") if p in nlp.pipe_names]):
        docs = nlp.pipe(titles, batch_size=256)
        return [{alias_key(e.text) for e in d.ents if e.label_ not in _NER_SKIP and alias_key(e.text)}
                for d in docs]


def copy_links(records: list[dict]) -> dict[str, list[str]]:
    """Stage 4's copy links among the records, fed in order: later id -> earlier ids."""
    from storylens.stories.copies import CopyCandidate, CopyDetector

    detector, out = CopyDetector(), {}
    docs = [CopyCandidate(str(r["id"]), r.get("text") or r.get("title") or "", r.get("published"),
                          r.get("outlet")) for r in records]
    for start in range(0, len(docs), 64):
        for link in detector.add_batch(docs[start:start + 64]):
            out.setdefault(link.later, []).append(link.earlier)
    return out


def features(name: str, records: list[dict], copies: bool) -> dict:
    """Per record id: vector, entities, copy_of; plus the seconds each stage-2-4 input took."""
    path = _cache_path(name, records, copies)
    if path.exists():
        return pickle.loads(path.read_bytes())
    full = any(r.get("text") for r in records)
    cands = [candidate(r) for r in records]
    t0 = time.perf_counter()
    embed_candidates(cands)
    t1 = time.perf_counter()
    ents = entities_full(records) if full else entities_headlines(records)
    t2 = time.perf_counter()
    links = copy_links(records) if full and copies else {}
    t3 = time.perf_counter()
    data = {"vectors": {c.article_id: c.vector for c in cands},
            "entities": {c.article_id: e for c, e in zip(cands, ents, strict=True)},
            "copy_of": links, "seconds": {"embedding": t1 - t0, "entities": t2 - t1, "copies": t3 - t2}}
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(data))
    return data


def chunked_features(name: str, records: list[dict], copies: bool) -> Iterator[tuple[list[dict], dict]]:
    """Features in chunks of CHUNK records (each cached), so long streams never hold them all."""
    for start in range(0, len(records), CHUNK):
        part = records[start:start + CHUNK]
        yield part, features(f"{name}_{start}", part, copies)


def filled(record: dict, feats: dict) -> StoryCandidate:
    """A record's candidate with its precomputed features."""
    c = candidate(record)
    c.vector = feats["vectors"][c.article_id]
    c.entities = set(feats["entities"][c.article_id])
    c.copy_of = list(feats["copy_of"].get(c.article_id, []))
    return c


# ---- scores ------------------------------------------------------------------------------------

def bcubed(pred: list[str], gold: list[str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a predicted partition against gold labels."""
    pair = Counter(zip(pred, gold, strict=True))
    size_p, size_g = Counter(pred), Counter(gold)
    n = len(pred)
    p = sum(c * c / size_p[a] for (a, _), c in pair.items()) / n
    r = sum(c * c / size_g[b] for (_, b), c in pair.items()) / n
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def scores(pred: list[str], gold: list[str]) -> dict[str, float]:
    """B-cubed P/R/F1 and ARI, rounded."""
    from sklearn.metrics import adjusted_rand_score

    p, r, f = bcubed(pred, gold)
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "ari": round(float(adjusted_rand_score(gold, pred)), 4)}


def baseline(records: list[dict]) -> dict:
    """Oracle batch baseline: TF-IDF + average-linkage agglomerative, best threshold on the gold labels."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_distances

    records = records[:BASELINE_MAX]
    texts = [f"{r.get('title') or ''} {r.get('text') or ''}" for r in records]
    gold = [str(r["gold_story"]) for r in records]
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    distances = cosine_distances(matrix)
    best: dict = {"f1": -1.0}
    for threshold in np.arange(0.30, 1.0, 0.02):
        model = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                        distance_threshold=float(threshold))
        labels = [str(x) for x in model.fit_predict(distances)]
        result = scores(labels, gold)
        if result["f1"] > best["f1"]:
            best = {**result, "threshold": round(float(threshold), 2)}
    return {**best, "articles": len(records)}


# ---- runs --------------------------------------------------------------------------------------

def rss_mb() -> float:
    """The process's resident memory now (Linux), in MB."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return float("nan")
    return round(pages * resource.getpagesize() / 2**20, 1)


class PeakRSS:
    """Resident memory sampled every `every` seconds in a background thread: the peak since the last read."""

    def __init__(self, every: float = 0.05) -> None:
        self.every, self.window, self.overall = every, 0.0, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            now = rss_mb()
            self.window, self.overall = max(self.window, now), max(self.overall, now)
            self._stop.wait(self.every)

    def take(self) -> float:
        """The peak since the last take() (or the start), in MB; starts a new window."""
        peak, self.window = max(self.window, rss_mb()), 0.0
        self.overall = max(self.overall, peak)
        return peak

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return max(self.overall, rss_mb())


def run(path: Path, limit: int | None, shuffle: int | None, copies: bool, config: StoryConfig,
        checkpoints: int = 10_000, trace: bool = False) -> dict:
    """Cluster one file online and score it; timing per article and per checkpoint window."""
    name = path.name.split(".")[0]
    stream = path.suffix == ".gz" and shuffle is None and date_ordered(path)
    # A date-ordered stream is read chunk by chunk: memory then follows the clusterer, not the file.
    parts = ((part, features(f"{name}_{i * CHUNK}", part, copies))
             for i, part in enumerate(streamed(path, limit))) if stream else None
    records = [] if stream else ordered(read(path, limit), shuffle)
    clusterer = StoryClusterer(config)
    # Memory: RSS sampled in the background (its peak per checkpoint window and overall: the whole process,
    # features and scoring included) and, with --trace-memory, the traced peak of Python and numpy
    # allocations since the clusterer started (tracemalloc; it slows placement, so timings are off then).
    sampler = PeakRSS()
    if trace:
        tracemalloc.start()
    gold: dict[str, str] = {}
    place_s = feature_s = 0.0
    stage_s: Counter = Counter()
    windows, window_t, window_cpu, window_n = [], 0.0, 0.0, 0
    dated = False
    for part, feats in parts or chunked_features(name, records, copies):
        stage_s.update(feats["seconds"])
        dated = dated or any(r.get("published") for r in part)
        for record in part:
            gold[str(record["id"])] = str(record["gold_story"])  # the scorer's, never the clusterer's
            t0 = time.perf_counter()
            c = filled(record, feats)
            term_vector(c.title, c.text)  # timed as the clusterer computes it in add()
            t1, c1 = time.perf_counter(), time.process_time()
            clusterer.add(c)
            t2 = time.perf_counter()
            window_cpu += time.process_time() - c1
            feature_s += t1 - t0
            place_s += t2 - t1
            window_t += t2 - t1
            window_n += 1
            if len(clusterer) % checkpoints == 0:
                # CPU time as well as wall time: on a shared machine the wall clock also measures the others.
                windows.append({"stored": len(clusterer), "place_ms": round(1000 * window_t / window_n, 3),
                                "place_cpu_ms": round(1000 * window_cpu / window_n, 3),
                                "live_stories": len(clusterer._index), "rss_mb": rss_mb(),
                                "rss_peak_mb": sampler.take(), **_traced()})
                window_t, window_cpu, window_n = 0.0, 0.0, 0
    t0 = time.perf_counter()
    clusterer.merge_pass()
    place_s += time.perf_counter() - t0
    part_of = clusterer.partition()
    traced = _traced()
    tracemalloc.stop()
    ids = list(gold)
    n = len(ids)
    result = scores([part_of[i] for i in ids], [gold[i] for i in ids])
    rss_peak = sampler.stop()  # after scoring: the peak covers the whole run
    embed_ms = 1000 * stage_s["embedding"] / n
    order = ("shuffled, then by date" if dated else "shuffled") if shuffle is not None else \
        ("streamed by date" if stream else "by date" if dated else "file")
    at = {w["stored"]: w["place_cpu_ms"] for w in windows}
    growth = {f"{k // 1000}k_vs_10k": round(at[k] / at[10_000], 3) for k in at if k != 10_000} \
        if 10_000 in at else {}
    return {"dataset": name, "articles": n, "order": order,
            "shuffle": shuffle, "stories": len(set(part_of.values())),
            "gold_stories": len(set(gold.values())),
            **result,
            "ms_per_article": {"embedding": round(embed_ms, 3), "terms": round(1000 * feature_s / n, 3),
                               "placement": round(1000 * place_s / n, 3),
                               "total": round(embed_ms + 1000 * (feature_s + place_s) / n, 3),
                               "entities_stage2": round(1000 * stage_s["entities"] / n, 3),
                               "copies_stage4": round(1000 * stage_s["copies"] / n, 3)},
            "checkpoints": windows, "placement_cpu_growth": growth,
            "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "rss_peak_sampled_mb": rss_peak, **({"traced": traced} if trace else {})}


def _traced() -> dict[str, float]:
    """tracemalloc's current and peak traced memory (MB) since the last call, when tracing."""
    if not tracemalloc.is_tracing():
        return {}
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    return {"traced_mb": round(current / 2**20, 1), "traced_peak_mb": round(peak / 2**20, 1)}


def train(paths: list[Path], limit: int | None, copies: bool, config: StoryConfig,
          features_used: list[str]) -> None:
    """Fit the logistic weights on article-story pairs played in stream order against gold stories."""
    from sklearn.linear_model import LogisticRegression

    xs, ys, ws = [], [], []
    for path in paths:
        name = path.name.split(".")[0]
        records = ordered(read(path, limit), None)
        clusterer = StoryClusterer(StoryConfig(**{**config.__dict__, "merge_every": 0}))
        story_of_gold: dict[str, str] = {}
        rows, labels = [], []
        for part, feats in chunked_features(name, records, copies):
            for record in part:
                c, label = filled(record, feats), str(record["gold_story"])
                for sid, signals in clusterer.features(c).items():
                    rows.append(signals)
                    labels.append(int(story_of_gold.get(label) == sid))
                story_of_gold[label] = clusterer.assign(c, story_of_gold.get(label))
        weight = 1.0 / max(len(rows), 1)
        xs += rows
        ys += labels
        ws += [weight] * len(rows)
        print(f"{name}: {len(rows)} pairs, {sum(labels)} positive", file=sys.stderr)
    model = LogisticRegression(C=10.0, class_weight="balanced", max_iter=2000)
    used = [FEATURES.index(f) for f in features_used]  # unused signals keep weight 0
    model.fit(np.array(xs)[:, used], np.array(ys), sample_weight=np.array(ws) * len(ws))
    weights = dict(zip(used, model.coef_[0], strict=True))
    print(json.dumps({"weights": [round(float(weights.get(i, 0.0)), 3) for i in range(len(FEATURES))],
                      "bias": round(float(model.intercept_[0]), 3)}))


def through_ingest(path: Path, limit: int | None) -> dict:
    """The whole pipeline on a file: `storylens ingest` (store, analysis, copies, stories), then score."""
    import tempfile
    import time

    import storylens

    records = ordered(read(path, limit), None)
    visible = ("id", "url", "outlet", "title", "published", "text")  # never a gold_* field
    with tempfile.TemporaryDirectory(prefix="storylens-stories-") as tmp:
        feed = Path(tmp) / "input.jsonl"
        feed.write_text("".join(json.dumps({k: r[k] for k in visible if k in r}) + "\n" for r in records),
                        encoding="utf-8")
        start = time.perf_counter()
        with storylens.open(Path(tmp) / "store.db") as ws:
            report = ws.ingest([feed])
            ws.analyze()
            ws.detect_copies()
            ws.cluster()
            story_of = ws.store.story_ids()
        seconds = time.perf_counter() - start
    pred, gold = [], []
    for outcome in report.outcomes:  # sources are "input.jsonl:LINE", lines in record order
        if outcome.article_id in story_of:
            line = int(outcome.source.rsplit(":", 1)[1])
            pred.append(story_of[outcome.article_id])
            gold.append(str(records[line - 1]["gold_story"]))
    return {"dataset": f"{path.name.split('.')[0]}_through_ingest", "articles": len(records),
            "scored": len(pred), "failed": report.count("failed"), **scores(pred, gold),
            "seconds_per_article": round(seconds / max(1, len(records)), 3),
            "stages": "ingest, analyze (entities, quotes, ...), copies, stories"}


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--shuffle", type=int)
    parser.add_argument("--no-copies", action="store_true")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--train", action="store_true")
    parser.add_argument("--features", default=",".join(FEATURES), help="signals --train fits (others: 0)")
    parser.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                        help="override a StoryConfig field (tuning only; the defaults are the configuration)")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--trace-memory", action="store_true",
                        help="also trace Python/numpy allocations (tracemalloc peaks per checkpoint; slower)")
    parser.add_argument("--through-ingest", action="store_true",
                        help="run the whole pipeline (storylens ingest into a temporary store) and score it")
    args = parser.parse_args()
    overrides = {k: json.loads(v) for k, v in (s.split("=", 1) for s in args.set)}
    overrides = {k: tuple(v) if isinstance(v, list) else v for k, v in overrides.items()}
    config = StoryConfig(**overrides)
    for path in args.paths:
        if not path.exists():
            sys.exit(f"{path} is not here (the evaluation data sits in ../shared/eval/stories/)")
    if args.train:
        train(args.paths, args.limit, not args.no_copies, config, args.features.split(","))
        return
    if args.through_ingest:
        for path in args.paths:
            result = through_ingest(path, args.limit)
            print(json.dumps(result, indent=1))
            (args.out or RESULTS / f"stories_{result['dataset']}.json").write_text(
                json.dumps(result, indent=1) + "\n", encoding="utf-8")
        return
    for path in args.paths:
        result = run(path, args.limit, args.shuffle, not args.no_copies, config, trace=args.trace_memory)
        if not args.no_baseline:
            result["baseline"] = baseline(read(path, min(args.limit or BASELINE_MAX, BASELINE_MAX)))
        result.update(python=platform.python_version(), config=dict(overrides) or "default")
        print(json.dumps(result, indent=1))
        if not overrides:
            suffix = f"_shuffle{args.shuffle}" if args.shuffle is not None else ""
            out = args.out or RESULTS / f"stories_{result['dataset']}{suffix}.json"
            out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

"""Analysis throughput on BASIL and ECB+ dev texts, as a ratio to bare spaCy in the same run.

    python bench/analyze.py [--limit N]

Prints articles/s and words/s for bare `nlp.pipe`, for storylens analysis with 1 and 2 worker
processes, the ratio to bare spaCy (target >= 0.8), and peak memory; writes bench/results/analyze.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STORIES = ROOT.parent / "shared" / "eval" / "stories"


def load_texts(limit: int) -> list[str]:
    """Article texts from BASIL and ECB+ dev (only the text field is read)."""
    texts = []
    for name in ("basil_dev.jsonl", "ecbplus_dev.jsonl"):
        with (STORIES / name).open(encoding="utf-8") as f:
            rows = [json.loads(line).get("text") or "" for line in f]
        texts += [t for t in rows if t.strip()][:limit]
    return texts


def timed(fn) -> tuple[float, object]:
    """Wall-clock seconds of fn() and its result."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=150, help="texts per dataset (default 150)")
    args = parser.parse_args()
    if not STORIES.exists():
        print(f"skipped: {STORIES} is not here (the evaluation data sits beside the project)")
        return 0
    from storylens.analyze.nlp import english
    from storylens.analyze.pipeline import Task, analyse_all

    texts = load_texts(args.limit)
    words = sum(len(t.split()) for t in texts)
    nlp = english()
    list(nlp.pipe(texts[:5]))  # warm up
    tasks = [Task(str(i), t, "en", None) for i, t in enumerate(texts)]
    spacy_s, _ = timed(lambda: sum(1 for _ in nlp.pipe(texts, batch_size=16)))
    one_s, _ = timed(lambda: list(analyse_all(tasks, workers=1)))
    self_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    two_s, _ = timed(lambda: list(analyse_all(tasks, workers=2)))
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    def rates(seconds: float) -> dict[str, float]:
        return {"seconds": round(seconds, 2), "articles_per_s": round(len(texts) / seconds, 2),
                "words_per_s": round(words / seconds)}

    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"nproc": os.cpu_count(), "platform": platform.platform()},
        "python": platform.python_version(),
        "texts": len(texts), "words": words,
        "spacy_pipe": rates(spacy_s),
        "storylens_1_worker": rates(one_s),
        "storylens_2_workers": rates(two_s),
        "ratio_1_worker": round(spacy_s / one_s, 3),
        "ratio_2_workers": round(spacy_s / two_s, 3),
        "peak_rss_mb": {"main_process": round(self_peak), "largest_worker": round(child_peak)},
        "target_ratio": 0.8,
    }
    print(f"{len(texts)} texts, {words:,} words (BASIL + ECB+ dev)")
    print(f"{'':24}{'seconds':>9}{'articles/s':>12}{'words/s':>10}{'ratio':>8}")
    for label, key, ratio in (("spaCy nlp.pipe", "spacy_pipe", 1.0),
                              ("storylens, 1 worker", "storylens_1_worker", result["ratio_1_worker"]),
                              ("storylens, 2 workers", "storylens_2_workers", result["ratio_2_workers"])):
        r = result[key]
        print(f"{label:24}{r['seconds']:>9}{r['articles_per_s']:>12}{r['words_per_s']:>10}{ratio:>8}")
    print(f"peak memory: main {result['peak_rss_mb']['main_process']} MB, "
          f"largest worker {result['peak_rss_mb']['largest_worker']} MB; target ratio >= 0.8")
    out = ROOT / "bench" / "results" / "analyze.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

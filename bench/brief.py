"""Time to compare a story and build its briefing, for a 30-article and a 300-article story.

    python bench/brief.py [ECBPLUS.jsonl] [--sizes 30 300] [--out PATH]

ECB+ (default ../shared/eval/stories/ecbplus_dev.jsonl) articles are ingested into a temporary store,
analysed and given copy signatures (untimed: those are ingest's stages). For each size N the first N
articles become one story, and the bench times, in one process:
- compare: claims, figures, disputes and quotes across the story (stage 6);
- brief: the briefing built from the stored comparison, rendered as Markdown, HTML and JSON (stage 7);
and reports claims, disputes and peak memory (ru_maxrss). The 300-article story is larger than almost
any real story: the point is how the cost grows. Results go to bench/results/brief.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "eval" / "stories" / "ecbplus_dev.jsonl"
RESULTS = ROOT / "bench" / "results" / "brief.json"


def main(argv: list[str] | None = None) -> int:
    """Run the bench and write its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--sizes", type=int, nargs="+", default=[30, 300])
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--store", type=Path, help="keep the prepared store here and reuse it next time")
    args = parser.parse_args(argv)
    if not args.path.exists():
        print(f"{args.path} is not here: the evaluation data sits beside the project root", file=sys.stderr)
        return 2
    import storylens
    from storylens.brief import build_briefing, render_html, render_markdown
    from storylens.compare.pipeline import COMPARE_VERSION, compare_story
    from storylens.models import StoryRecord

    rows = [json.loads(line) for line in args.path.read_text(encoding="utf-8").splitlines() if line.strip()]
    need = max(args.sizes)
    with tempfile.TemporaryDirectory() as folder:
        db = args.store or Path(folder) / "b.db"
        source = Path(folder) / "in.jsonl"
        # Gold labels are left out of what is ingested; outlets are invented so each article is a voice.
        source.write_text("".join(json.dumps({"id": r["id"], "title": r["title"], "text": r["text"],
                                              "outlet": f"Outlet {n % 40}"}) + "\n"
                                  for n, r in enumerate(rows[:need])), encoding="utf-8")
        results: dict[str, object] = {"dataset": str(args.path), "python": platform.python_version(),
                                      "machine": platform.machine(), "stories": []}
        with storylens.open(db) as ws:
            started = time.perf_counter()
            ws.ingest(source)
            ws.analyze()
            ws.detect_copies()
            print(f"prepared {need} articles in {time.perf_counter() - started:.0f} s (ingest, analysis, "
                  f"copy signatures, or reused; not timed below)")
            ids = [a.id for a in sorted(ws.articles(), key=lambda a: a.id)]
            for size in args.sizes:
                story = StoryRecord(f"bench{size}", None, ids[:size], [], None, None)
                ws.store.conn.execute("INSERT OR REPLACE INTO story VALUES (?, NULL, NULL, NULL, ?, '[]')",
                                      (story.id, size))
                t0 = time.perf_counter()
                comparison = compare_story(ws.store, story)
                t1 = time.perf_counter()
                ws.store.save_comparison(story.id, comparison.fingerprint, COMPARE_VERSION,
                                         comparison.to_dict())
                t2 = time.perf_counter()
                briefing = build_briefing(ws.store, story)
                render_markdown(briefing), render_html(briefing), json.dumps(briefing.to_dict())
                t3 = time.perf_counter()
                row = {"articles": size, "sentences": sum(len(c.citations) for c in comparison.claims),
                       "claims": len(comparison.claims),
                       "corroborated": sum(c.voices > 1 for c in comparison.claims),
                       "disputes": len(comparison.disputes), "quotes": len(comparison.quotes),
                       "compare_seconds": round(t1 - t0, 2), "store_seconds": round(t2 - t1, 2),
                       "brief_seconds": round(t3 - t2, 2),
                       "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}
                results["stories"].append(row)
                print(f"{size:4d} articles: compare {row['compare_seconds']:6.2f} s, "
                      f"brief {row['brief_seconds']:6.2f} s ({row['claims']} claims, "
                      f"{row['disputes']} disputes, {row['quotes']} quotes; peak {row['peak_rss_mb']} MB)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

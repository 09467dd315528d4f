"""Ingestion throughput on HTML pages, beside trafilatura's own extraction speed on the same pages.

    python bench/ingest.py [--pages 2000] [--profile]

Builds N distinct, realistic news pages from the sample corpus (examples/corpus: .html, .txt and
.jsonl articles), each article's paragraphs shuffled and numbered so that every page is a new
article, wrapped in page templates with cookie banners, navigation, related links, comments,
inline scripts and footers. Then, in one run:

  (a) trafilatura alone: the extraction call storylens's HTML reader makes, on the pages' bytes;
  (b) storylens: `Workspace.ingest(folder)` of the same pages, written as files, into a fresh
      SQLite store (reading files, decoding, extraction, normalisation, identity, storing).

The figure is the ratio b/a (target: at least 0.8). Results go to bench/results/ingest.json.
"""

from __future__ import annotations

import argparse
import cProfile
import html
import io
import json
import os
import platform
import pstats
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path

import trafilatura

import storylens
from storylens.config import IngestOptions
from storylens.ingest.html import read_html
from storylens.ingest.registry import Payload
from storylens.ingest.text import split_title
from storylens.models import IngestReport

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "examples" / "corpus"
RESULTS = ROOT / "bench" / "results" / "ingest.json"
TARGET = 0.8
WARMUP = 20
CHUNK = 200  # pages per chunk: the two sides are timed alternately, chunk by chunk

# The extraction call of storylens.ingest.html.read_html (keep the two in step).
EXTRACT_OPTIONS = dict(with_metadata=True, include_comments=False, include_images=False,
                       include_links=False)

FALLBACK = [  # used only when examples/corpus is missing or empty
    dict(title="Harbour bridge closes after crack found in main girder", outlet="Daily Lantern",
         author="Maria Okafor", paragraphs=[
             "The harbour bridge in Port Elling was closed on Thursday after engineers found a "
             "crack in one of its main steel girders, the city council said.",
             '"We cannot take any risk with public safety," said the council\'s head of '
             "transport, Daniel Reyes. He said the bridge would stay shut for at least two weeks.",
             "About 40,000 vehicles cross the bridge every day. Ferry operators said they would "
             "add extra sailings from Friday morning.",
             "The bridge was last inspected in 2021, when no defects were recorded, according to "
             "documents published by the council.",
         ]),
]
OUTLETS = ["Harbour Courier", "Estmark Gazette", "Daily Vista", "Senn Valley Herald",
           "Varenholt Evening Post", "Radio Senn News"]


# -- The corpus ----------------------------------------------------------------------------------

def load_corpus(folder: Path) -> list[dict]:
    """Articles (title, outlet, author, paragraphs) from the corpus's .html, .txt and .jsonl files."""
    articles: list[dict] = []
    for path in sorted(folder.glob("*")) if folder.is_dir() else []:
        try:
            if path.suffix == ".html":
                for draft in read_html(Payload(str(path), path.read_bytes()), ctx=None):
                    if hasattr(draft, "text"):
                        articles.append(dict(title=draft.title, outlet=draft.sitename,
                                             author=draft.byline, text=draft.text))
            elif path.suffix == ".txt":
                first, _, body = path.read_text(encoding="utf-8").strip().partition("\n")
                title, outlet = split_title(first)
                articles.append(dict(title=title, outlet=outlet, author=None, text=body))
            elif path.suffix == ".jsonl":
                for line in path.read_text(encoding="utf-8").splitlines():
                    try:
                        obj = json.loads(line)
                    except json.JSONDecodeError:
                        continue
                    if isinstance(obj, dict) and obj.get("text"):
                        articles.append(dict(title=obj.get("title"), outlet=obj.get("outlet"),
                                             author=obj.get("byline") or obj.get("author"),
                                             text=obj["text"]))
        except (OSError, UnicodeDecodeError):
            continue
    for article in articles:
        text = article.pop("text")
        article["paragraphs"] = [p.strip() for p in text.split("\n\n") if p.strip()]
    articles = [a for a in articles if a["title"] and len(a["paragraphs"]) >= 3]
    return articles or FALLBACK


# -- Page templates ------------------------------------------------------------------------------

NAV = "".join(f'<li><a href="/{s.lower()}/">{s}</a></li>' for s in (
    "Home", "World", "Politics", "Business", "Markets", "Technology", "Science", "Climate",
    "Health", "Sport", "Football", "Culture", "Books", "Travel", "Opinion", "Obituaries",
    "Weather", "Puzzles", "Podcasts", "Newsletters"))
SCRIPT = ("<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}"
          "gtag('js',new Date());gtag('config','G-XXXXXXX');" + "var _cfg={" + ",".join(
              f'"k{i}":"v{i}"' for i in range(120)) + "};</script>")
STYLE = "<style>" + "".join(f".c{i}{{margin:{i % 9}px;padding:{i % 5}px;color:#{i:03x}}}"
                            for i in range(250)) + "</style>"
COOKIES = ('<div id="cookie-banner" class="cookie-consent" role="dialog"><p>We and our {n} partners '
           "store and access information on your device to personalise ads and content and to "
           "measure audiences. You can change your choices at any time in Privacy Settings.</p>"
           "<button>Accept all</button> <button>Reject all</button> <button>Manage options</button>"
           "</div>")


def related(rng: random.Random, articles: list[dict]) -> str:
    items = "".join(f'<li><a href="/news/{rng.randrange(10**6)}">{html.escape(a["title"])}</a></li>'
                    for a in rng.sample(articles, min(4, len(articles))))
    return f'<aside class="related"><h2>More stories</h2><ul>{items}</ul></aside>'


def comments(rng: random.Random) -> str:
    lines = ["Thoughts with everyone affected tonight.", "Wait for the inquiry before blaming anyone.",
             "I drove over it every week and always wondered.", "Who signed off on the inspection?",
             "Typical. Nobody will be held responsible."]
    body = "".join(f'<div class="comment"><span class="comment-author">reader{rng.randrange(999)}'
                   f"</span><p>{c}</p></div>" for c in rng.sample(lines, 3))
    return f'<section id="comments" class="comments"><h2>Comments (3)</h2>{body}</section>'


def template_og(p: dict) -> str:
    """A modern page: Open Graph and JSON-LD metadata, <article>, cookie banner, comments."""
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                     "headline": p["title"], "datePublished": p["iso"],
                     "author": {"@type": "Person", "name": p["author"]},
                     "publisher": {"@type": "Organization", "name": p["outlet"]}})
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{p["title_h"]} | {p["outlet_h"]}</title>
<meta name="description" content="{html.escape(p["paragraphs"][0][:150])}">
<meta name="author" content="{p["author_h"]}">
<meta property="og:type" content="article"><meta property="og:title" content="{p["title_h"]}">
<meta property="og:site_name" content="{p["outlet_h"]}"><meta property="og:url" content="{p["url"]}">
<meta property="article:published_time" content="{p["iso"]}">
<link rel="canonical" href="{p["url"]}">
<script type="application/ld+json">{ld}</script>{STYLE}{SCRIPT}
</head><body class="article-page">{COOKIES.format(n=p["n"])}
<header class="site-header"><a class="logo" href="/">{p["outlet_h"]}</a>
<nav class="main-nav"><ul>{NAV}</ul></nav></header>
<main><article class="story"><header><h1>{p["title_h"]}</h1>
<div class="story-meta">By {p["author_h"]} · <time datetime="{p["iso"]}">{p["human"]}</time></div>
</header><div class="story-body">{p["body"]}</div>
<ul class="share"><li><a href="#">Share on Facebook</a></li><li><a href="#">Share on X</a></li>
<li><a href="#">Email</a></li></ul></article>{p["related"]}{p["comments"]}</main>
<footer class="site-footer"><p>© {p["year"]} {p["outlet_h"]} Ltd. All rights reserved.</p>
<ul><li><a href="/about/">About us</a></li><li><a href="/privacy/">Privacy notice</a></li>
<li><a href="/terms/">Terms</a></li></ul></footer>{SCRIPT}</body></html>"""


def template_div(p: dict) -> str:
    """An older page: div soup, metadata in <title> and the byline, no Open Graph."""
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
 "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" lang="en"><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{p["title_h"]} - {p["outlet_h"]}</title>{STYLE}
<link rel="canonical" href="{p["url"]}" /></head>
<body><div id="wrapper"><div id="top"><div class="logo">{p["outlet_h"]}</div>
<div id="menu"><ul>{NAV}</ul></div></div>
<div id="cookie-notice">This site uses cookies. By continuing to browse you agree to our use of
cookies. <a href="/cookies">Find out more</a></div>
<div id="content"><div class="left-col"><h1 class="title">{p["title_h"]}</h1>
<div class="info">By <span class="author">{p["author_h"]}</span> | {p["human"]}</div>
<div class="text">{p["body"]}</div>
<div class="tags">Tags: <a href="/tag/bridges">bridges</a>, <a href="/tag/varenholt">Varenholt</a>
</div></div><div class="right-col">{p["related"]}
<div class="ad">Advertisement</div></div></div>
{p["comments"]}<div id="footer">Copyright {p["year"]} {p["outlet_h"]}. Contact: newsdesk@example.org
</div></div>{SCRIPT}</body></html>"""


def template_amp(p: dict) -> str:
    """A lean mobile page: meta tags, a <main>, a newsletter box and a paywall teaser."""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{p["title_h"]}</title><meta name="author" content="{p["author_h"]}">
<meta property="og:site_name" content="{p["outlet_h"]}">
<meta name="date" content="{p["day"]}"><link rel="canonical" href="{p["url"]}">{SCRIPT}</head>
<body>{COOKIES.format(n=p["n"])}<header><nav><ul>{NAV}</ul></nav></header>
<main><h1>{p["title_h"]}</h1><p class="byline">{p["author_h"]}</p>
<div class="content">{p["body"]}</div>
<div class="newsletter"><h3>Get our morning briefing</h3><p>Sign up to receive the day's top
stories in your inbox every morning.</p><form><input type="email"><button>Sign up</button></form>
</div>{p["related"]}</main><footer>© {p["year"]} {p["outlet_h"]}</footer></body></html>"""


TEMPLATES = [template_og, template_div, template_amp]


def make_page(index: int, articles: list[dict], rng: random.Random) -> bytes:
    """One distinct page: a corpus article, paragraphs shuffled and numbered, in a template."""
    source = articles[index % len(articles)]
    paragraphs = list(source["paragraphs"])
    rng.shuffle(paragraphs)
    paragraphs[0] = f"Update {index}: {paragraphs[0]}"
    when = datetime(2026, 3, 10, 8, 30, tzinfo=UTC) + timedelta(minutes=37 * index)
    outlet = source["outlet"] or OUTLETS[index % len(OUTLETS)]
    author = source["author"] or "Staff reporter"
    title = f"{source['title']} ({index})"
    fields = dict(
        title_h=html.escape(title), outlet_h=html.escape(outlet), author_h=html.escape(author),
        title=title, outlet=outlet, author=author, paragraphs=paragraphs,
        body="\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs),
        url=f"https://{outlet.lower().replace(' ', '')}.example/news/{when:%Y/%m/%d}/story-{index}",
        iso=when.isoformat().replace("+00:00", "Z"), day=when.date().isoformat(),
        human=f"{when:%d %B %Y, %H:%M}", year=when.year, n=100 + index % 700,
        related=related(rng, articles), comments=comments(rng),
    )
    return TEMPLATES[index % len(TEMPLATES)](fields).encode("utf-8")


# -- Measuring -----------------------------------------------------------------------------------

class Clock:
    """Wall-clock and process CPU seconds of a block."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def trafilatura_alone(pages: list[bytes]) -> Clock:
    """Time trafilatura's extraction (with metadata) over some pages."""
    with Clock() as clock:
        for data in pages:
            trafilatura.bare_extraction(data, **EXTRACT_OPTIONS)
    return clock


def storylens_ingest(ws, folder: Path, profiler: cProfile.Profile | None = None, workers: int | None = None):
    """Time Workspace.ingest(folder); returns the clock and the report."""
    if profiler:
        profiler.enable()
    settings = {"workers": workers} if workers else {}
    with Clock() as clock:
        report = ws.ingest(folder, **settings)
    if profiler:
        profiler.disable()
    return clock, report


def figures(best: Clock, runs: list[Clock], pages: int, size: int) -> dict:
    """One side's figures for the JSON results."""
    return {"seconds": round(best.wall, 3), "cpu_seconds": round(best.cpu, 3),
            "pages_per_s": round(pages / best.wall, 1), "mb_per_s": round(size / 1e6 / best.wall, 3),
            "rounds_seconds": [round(c.wall, 3) for c in runs]}


def total(clocks: list[Clock]) -> Clock:
    """The sum of several clocks."""
    summed = Clock()
    summed.wall, summed.cpu = sum(c.wall for c in clocks), sum(c.cpu for c in clocks)
    return summed


# Where ingestion's time goes: (label, file name ending, function name), cumulative time.
STAGES = [
    ("whole ingest", "workspace.py", "ingest"),
    ("  reading files", "pipeline.py", "_load_file"),
    ("  HTML reader", "ingest/html.py", "read_html"),
    ("    decoding", "ingest/decode.py", "decode_text"),
    ("    trafilatura", "trafilatura/core.py", "bare_extraction"),
    ("  build_article", "ingest/build.py", "build_article"),
    ("    clean_text", "ingest/normalize.py", "clean_text"),
    ("    article_id", "ingest/normalize.py", "article_id"),
    ("    normalise_date", "ingest/normalize.py", "normalise_date"),
    ("    detect_language", "ingest/normalize.py", "detect_language"),
    ("    outlet_for_url", "ingest/outlets.py", "outlet_for_url"),
    ("  store.add_article", "store/sqlite.py", "add_article"),
]


def print_profile(profiler: cProfile.Profile, pages: int) -> None:
    """Time per stage (cumulative, under the profiler), then the top functions."""
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    total = None
    print(f"\nprofile of one more storylens run ({pages} pages; the profiler slows everything)")
    print(f"{'stage':24} {'seconds':>8} {'share':>6} {'ms/page':>8}")
    for label, file_end, function in STAGES:
        seconds = sum(row[3] for (file, _, name), row in stats.stats.items()
                      if name == function and file.endswith(file_end))
        total = total or seconds
        if seconds:
            print(f"{label:24} {seconds:8.2f} {seconds / total:6.0%} {seconds / pages * 1e3:8.2f}")
    stats.sort_stats("tottime").print_stats(15)
    print(out.getvalue())


def versions() -> dict[str, str]:
    found = {}
    for name in ("storylens", "trafilatura", "lxml", "htmldate", "charset-normalizer",
                 "py3langid", "dateparser", "warcio"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000, help="number of pages (default 2000)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="timed rounds; for each chunk the fastest counts (default 3)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", action="store_true",
                        help="profile one more storylens run (cProfile): where the time goes")
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"default {RESULTS}")
    args = parser.parse_args(argv)

    articles = load_corpus(CORPUS)
    rng = random.Random(args.seed)
    pages = [make_page(i, articles, rng) for i in range(args.pages + WARMUP)]
    warmup, pages = pages[:WARMUP], pages[WARMUP:]
    size = sum(map(len, pages))
    print(f"{len(pages)} pages from {len(articles)} corpus articles, {size / 1e6:.1f} MB "
          f"(mean {size / len(pages) / 1024:.1f} KB)")

    chunks = [pages[i:i + CHUNK] for i in range(0, len(pages), CHUNK)]
    with tempfile.TemporaryDirectory(prefix="storylens-bench-") as tmp:
        tmp_path = Path(tmp)
        folders = [tmp_path / "pages" / f"chunk_{k:03d}" for k in range(len(chunks))]
        for folder, chunk in [(tmp_path / "warmup", warmup), *zip(folders, chunks, strict=True)]:
            folder.mkdir(parents=True)
            for i, data in enumerate(chunk):
                (folder / f"page_{i:05d}.html").write_bytes(data)

        # Warm up both sides (imports, lazy models, caches) before timing anything. Then, in
        # each round, time the two sides chunk by chunk, alternating, each round into a fresh
        # store: a busy neighbour on the machine then slows both sides alike, and for each
        # chunk the fastest of the rounds counts (the usual way to filter out such bursts).
        trafilatura_alone(warmup)
        with storylens.open(tmp_path / "warmup.db") as ws:
            storylens_ingest(ws, tmp_path / "warmup")
        times_a = [[] for _ in chunks]
        times_b = [[] for _ in chunks]
        times_c = [[] for _ in chunks]  # storylens in one process, for the per-core comparison
        rounds_a, rounds_b = [], []
        for run in range(args.repeat):
            reports = []
            with storylens.open(tmp_path / f"bench{run}.db") as ws, \
                    storylens.open(tmp_path / f"single{run}.db") as single:
                for k, (folder, chunk) in enumerate(zip(folders, chunks, strict=True)):
                    times_a[k].append(trafilatura_alone(chunk))
                    clock, chunk_report = storylens_ingest(ws, folder)
                    times_b[k].append(clock)
                    times_c[k].append(storylens_ingest(single, folder, workers=1)[0])
                    reports.append(chunk_report)
            rounds_a.append(total([t[run] for t in times_a]))
            rounds_b.append(total([t[run] for t in times_b]))
        report = IngestReport([o for r in reports for o in r.outcomes])
        profiler = None
        if args.profile:  # a separate run: the profiler's overhead must not touch the figures
            profiler = cProfile.Profile()
            with storylens.open(tmp_path / "profile.db") as ws:
                storylens_ingest(ws, tmp_path / "pages", profiler)

    best_a = total([min(t, key=lambda c: c.wall) for t in times_a])
    best_b = total([min(t, key=lambda c: c.wall) for t in times_b])
    best_c = total([min(t, key=lambda c: c.wall) for t in times_c])
    single_ratio = best_a.wall / best_c.wall
    added, failed = report.count("added"), report.count("failed")
    rate_a, rate_b = len(pages) / best_a.wall, len(pages) / best_b.wall
    ratio = rate_b / rate_a
    cpu_ratio = best_a.cpu / best_b.cpu
    print(f"\n{args.repeat} rounds of {len(chunks)} chunks, the sides alternated chunk by chunk; "
          "for each chunk its fastest round")
    print(f"{'':20} {'seconds':>8} {'cpu s':>7} {'pages/s':>8} {'MB/s':>6}")
    workers = IngestOptions().workers
    for name, clock in (("trafilatura alone", best_a), (f"storylens, {workers} workers", best_b),
                        ("storylens, 1 process", best_c)):
        print(f"{name:20} {clock.wall:8.2f} {clock.cpu:7.2f} {len(pages) / clock.wall:8.1f} "
              f"{size / 1e6 / clock.wall:6.2f}")
    verdict = "meets" if ratio >= TARGET else "BELOW"
    overhead = (best_b.wall - best_a.wall) / len(pages) * 1e3
    print(f"\nratio storylens / trafilatura: {ratio:.2f} ({verdict} the target of {TARGET}); "
          f"on CPU time: {cpu_ratio:.2f}; storylens adds {overhead:.2f} ms per page")
    print(f"storylens in one process / trafilatura: {single_ratio:.2f} (the cost of storylens's own work)")
    print("whole rounds (wall s): trafilatura " + ", ".join(f"{c.wall:.2f}" for c in rounds_a)
          + "; storylens " + ", ".join(f"{c.wall:.2f}" for c in rounds_b))
    print(f"stored: {added} added, {report.count('duplicate')} duplicate, {failed} failed")
    for outcome in report.failures[:5]:
        print(f"  failed: {outcome.source}: {outcome.message}")

    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"nproc": os.cpu_count(), "platform": platform.platform(),
                    "processor": platform.processor() or platform.machine()},
        "python": sys.version.split()[0],
        "versions": versions(),
        "pages": len(pages), "bytes": size, "corpus_articles": len(articles),
        "extraction": {"call": "trafilatura.bare_extraction", **EXTRACT_OPTIONS},
        "repeat": args.repeat, "chunk": CHUNK,
        "measure": "sides alternated chunk by chunk; per chunk the fastest of the rounds",
        "trafilatura": figures(best_a, rounds_a, len(pages), size),
        "storylens": {**figures(best_b, rounds_b, len(pages), size),
                      "added": added, "failed": failed},
        "storylens_one_process": figures(best_c, [best_c], len(pages), size),
        "workers": workers,
        "ratio": round(ratio, 3), "ratio_cpu": round(cpu_ratio, 3),
        "ratio_one_process": round(single_ratio, 3),
        "overhead_ms_per_page": round(overhead, 3),
        "target": TARGET, "meets_target": ratio >= TARGET,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"written to {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")

    if profiler:
        print_profile(profiler, len(pages))
    if added != len(pages):
        print(f"warning: {len(pages) - added} pages were not stored as new articles")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

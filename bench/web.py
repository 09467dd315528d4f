"""The web app under load: page latency and throughput over a store of 10,000 articles.

    python bench/web.py [--articles 10000] [--requests 200] [--seconds 30] [--concurrency 8] [--out PATH]

The store: the first headlines of ../shared/eval/stories/uci_headlines_dev.jsonl.gz (in file order,
which is by date), one article per distinct headline, the headline being the article's whole text (the
JSON reader's rule for headline-only items), fed until the store holds `--articles` articles (a few
headlines normalise to a text already stored). That keeps the full pipeline affordable on two cores:
`ingest`, then every stage as `storylens ingest` runs them (analysis, copies, stories, comparison), on
short texts. Only id, url, outlet, title and published are fed: never the gold labels. The store is
built once and cached under /tmp/storylens-web-bench (delete it to rebuild).

The measures, against `storylens serve` (uvicorn, one process) on 127.0.0.1, over HTTP with httpx:
- latency: median and p95 of the stories page, the biggest story's page and a set of searches (HTML
  pages, one client, sequential; the first request of each page is a warm-up, reported apart as
  `first_ms`: a story's first view builds its briefing);
- throughput: requests/s over `--seconds` seconds from `--concurrency` client threads cycling through
  the stories page, story pages, article pages, entity pages and searches; any error fails the run.
Results go to bench/results/web.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import storylens  # noqa: E402

SOURCE = ROOT.parent / "shared" / "eval" / "stories" / "uci_headlines_dev.jsonl.gz"
CACHE = Path("/tmp/storylens-web-bench")
RESULTS = ROOT / "bench" / "results"
VISIBLE = ("id", "url", "outlet", "title", "published")  # never a gold_* field
QUERIES = ["GM recall", "Apple", "Obama", "Bitcoin", "Ukraine", "Google", "earnings", "Malaysia Airlines",
           "Microsoft", "bank"]
TARGETS_MS = {"story": 200.0, "search": 100.0}


# ---- the store ---------------------------------------------------------------------------------

def headlines(n: int) -> list[dict]:
    """The first `n` records of the UCI file with distinct headlines, visible fields only."""
    seen: set[str] = set()
    out: list[dict] = []
    with gzip.open(SOURCE, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            key = " ".join((record.get("title") or "").lower().split())
            if not key or key in seen:
                continue
            seen.add(key)
            out.append({k: record[k] for k in VISIBLE if record.get(k)})
            if len(out) == n:
                break
    return out


def fill(ws: storylens.Workspace, n: int, folder: Path) -> int:
    """Ingest headlines until the store holds `n` articles (some normalise to one text); how many fed."""
    fed = 0
    pool = headlines(2 * n)
    while (stored := len(ws.articles())) < n and fed < len(pool):
        batch = pool[fed:fed + n - stored]
        feed = folder / f"headlines_{fed}.jsonl"
        feed.write_text("".join(json.dumps(r) + "\n" for r in batch), encoding="utf-8")
        ws.ingest([feed])
        fed += len(batch)
    return fed


def build_store(n: int) -> tuple[Path, dict]:
    """A store of `n` headline articles through the whole pipeline, cached; and how long it took.

    An interrupted build resumes: every stage only does what is not done yet.
    """
    path = CACHE / f"uci_{n}.db"
    info_path = path.with_suffix(".json")
    if path.exists() and info_path.exists():
        return path, json.loads(info_path.read_text(encoding="utf-8"))
    if not SOURCE.exists():
        sys.exit(f"{SOURCE} is not here (the evaluation data sits in ../shared/eval/stories/)")
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial.db")
    timings = path.with_suffix(".partial.json")
    seconds: Counter = Counter(json.loads(timings.read_text()) if timings.exists() else {})
    with tempfile.TemporaryDirectory(prefix="storylens-web-bench-") as tmp, storylens.open(partial) as ws:
        fed = 0

        def ingest() -> None:
            nonlocal fed
            fed = fill(ws, n, Path(tmp))

        for stage, step in (("ingest", ingest), ("analyze", ws.analyze), ("copies", ws.detect_copies),
                            ("stories", ws.cluster), ("compare", ws.compare)):
            start = time.perf_counter()
            step()
            seconds[stage] += time.perf_counter() - start
            timings.write_text(json.dumps(seconds), encoding="utf-8")
            print(f"  {stage}: {seconds[stage]:.1f} s", file=sys.stderr, flush=True)
        stats = {"articles": len(ws.articles()), "stories": len(ws.stories()), "headlines_fed": fed}
    partial.replace(path)
    for suffix in ("-wal", "-shm"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    info = {"source": f"{SOURCE.name}: its first distinct headlines, each its own text", **stats,
            "build_seconds": {k: round(v, 1) for k, v in seconds.items()}}
    info_path.write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    timings.unlink()
    return path, info


# ---- the server --------------------------------------------------------------------------------

def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(db: Path, port: int, log: Path) -> subprocess.Popen:
    """`storylens serve` in its own process (its output to `log`), once it answers."""
    command = [str(Path(sys.executable).with_name("storylens")), "serve", "--db", str(db),
               "--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as sink:
        server = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"storylens serve exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/stories", timeout=5).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("storylens serve did not answer within 120 s")


# ---- measures ----------------------------------------------------------------------------------

def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank) of some values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def timed(client: httpx.Client, url: str) -> float:
    """Milliseconds to fetch one page in full; a non-200 answer stops the bench."""
    start = time.perf_counter()
    try:
        response = client.get(url)
    except httpx.HTTPError as exc:
        raise SystemExit(f"GET {url}: {type(exc).__name__}: {exc}") from exc
    elapsed = 1000 * (time.perf_counter() - start)
    if response.status_code != 200:
        raise SystemExit(f"GET {url}: {response.status_code} {response.text[:300]}")
    return elapsed


def latency(client: httpx.Client, urls: list[str], requests: int) -> dict[str, float]:
    """Median and p95 over `requests` sequential fetches cycling through `urls`, after one warm-up each.

    The warm-up's time is kept apart as `first_ms` (the slowest of them): a story's first view builds
    its briefing, which the server then keeps until the story changes.
    """
    first = max(timed(client, url) for url in urls)
    times = [timed(client, urls[i % len(urls)]) for i in range(requests)]
    return {"median_ms": round(statistics.median(times), 1), "p95_ms": round(percentile(times, 95), 1),
            "max_ms": round(max(times), 1), "first_ms": round(first, 1), "requests": len(times)}


def load(base: str, urls: list[str], seconds: float, concurrency: int) -> dict:
    """Requests/s from `concurrency` threads fetching `urls` in turn for `seconds`; errors counted."""
    counts: Counter = Counter()
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker(offset: int) -> None:
        with httpx.Client(base_url=base, timeout=30) as client:
            hits = {q: len(client.get("/api/search", params={"q": q}).json()["articles"]) for q in QUERIES}
            if not all(hits.values()):
                raise SystemExit(f"a query finds nothing, its timing would mean little: {hits}")
            i = offset
            while time.monotonic() < stop:
                url = urls[i % len(urls)]
                i += 1
                try:
                    response = client.get(url)
                    ok = response.status_code == 200
                    problem = f"{url}: {response.status_code}"
                except httpx.HTTPError as exc:
                    ok, problem = False, f"{url}: {type(exc).__name__}"
                with lock:
                    counts["ok" if ok else "error"] += 1
                    if not ok and len(errors) < 10:
                        errors.append(problem)

    start = time.monotonic()
    threads = [threading.Thread(target=worker, args=(k * 7,)) for k in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    total = counts["ok"] + counts["error"]
    return {"seconds": round(elapsed, 1), "concurrency": concurrency, "requests": total,
            "errors": counts["error"], "error_samples": errors,
            "requests_per_s": round(total / elapsed, 1)}


def pick_urls(db: Path) -> dict[str, list[str]]:
    """What to fetch: the biggest story, nine other big ones, some of its articles, top entities."""
    with storylens.open(db) as ws:
        by_size = sorted(ws.stories(), key=lambda s: (-len(s.article_ids), s.id))
        entities = [e.id for e in ws.entities(limit=10)]
    biggest = by_size[0]
    return {"stories": ["/"], "story": [f"/stories/{biggest.id}"],
            "search": [f"/search?q={q}" for q in QUERIES],
            "mix": (["/", f"/stories/{biggest.id}", f"/api/stories/{biggest.id}"]
                    + [f"/stories/{s.id}" for s in by_size[1:10]]
                    + [f"/articles/{a}" for a in biggest.article_ids[:10]]
                    + [f"/entities/{e}" for e in entities] + [f"/search?q={q}" for q in QUERIES])}


def machine() -> dict:
    """Where this ran."""
    return {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
            "load_average_1m": round(os.getloadavg()[0], 2)}


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page kind")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--note", help="a remark stored with the results (e.g. a local change measured)")
    args = parser.parse_args()
    print(f"building or reusing the store ({args.articles} headlines) ...", file=sys.stderr, flush=True)
    db, info = build_store(args.articles)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = CACHE / "server.log"
    server = serve(db, port, log)
    try:
        urls = pick_urls(db)
        with httpx.Client(base_url=base, timeout=30) as client:
            hits = {q: len(client.get("/api/search", params={"q": q}).json()["articles"]) for q in QUERIES}
            if not all(hits.values()):
                raise SystemExit(f"a query finds nothing, its timing would mean little: {hits}")
            pages = {kind: latency(client, urls[kind], args.requests)
                     for kind in ("stories", "story", "search")}
        throughput = load(base, urls["mix"], args.seconds, args.concurrency)
    finally:
        server.terminate()
        server.wait(timeout=30)
        print(f"server log: {log}", file=sys.stderr)
    with storylens.open(db) as ws:
        biggest = ws.story(urls["story"][0].rsplit("/", 1)[1])
    biggest_n = len(biggest.article_ids)
    result = {"store": {**info, "path": str(db), "biggest_story": {"id": biggest.id, "articles": biggest_n}},
              "server": "storylens serve (uvicorn, one process), 127.0.0.1",
              "latency": pages, "query_article_hits": hits, "targets_ms": TARGETS_MS,
              "meets_targets": {k: pages[k]["p95_ms"] <= v for k, v in TARGETS_MS.items()},
              "load": {**throughput, "mix": urls["mix"]}, "machine": machine()}
    if args.note:
        result["note"] = args.note
    print(f"\n{'page':<10}{'median ms':>11}{'p95 ms':>9}{'max ms':>9}{'first ms':>10}{'target p95':>12}")
    for kind, f in pages.items():
        target = f"≤ {TARGETS_MS[kind]:.0f}" if kind in TARGETS_MS else "-"
        print(f"{kind:<10}{f['median_ms']:>11}{f['p95_ms']:>9}{f['max_ms']:>9}{f['first_ms']:>10}{target:>12}")
    print(f"\nload: {throughput['requests_per_s']} requests/s over {throughput['seconds']} s, "
          f"{throughput['concurrency']} clients, {throughput['requests']} requests, "
          f"{throughput['errors']} errors")
    print(f"store: {info['articles']} articles, {info['stories']} stories; "
          f"biggest story {biggest_n} articles")
    out = args.out or RESULTS / "web.json"
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    if throughput["errors"]:
        sys.exit(f"{throughput['errors']} errors under load: {throughput['error_samples']}")


if __name__ == "__main__":
    main()

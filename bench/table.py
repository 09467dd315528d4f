"""Print the README's benchmark table (Markdown) from the latest files in bench/results/."""

from __future__ import annotations

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def _load(name: str) -> dict | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def rows() -> list[tuple[str, str, str, str]]:
    """(benchmark, measure, storylens, reference) rows from whatever results exist."""
    out = []
    if ingest := _load("ingest"):
        out += [
            ("ingest (`bench/ingest.py`)", f"HTML pages/s, {ingest['pages']} pages",
             f"{ingest['storylens']['pages_per_s']:.0f} ({ingest.get('workers', 1)} workers); "
             f"{ingest['storylens_one_process']['pages_per_s']:.0f} (1 process)"
             if "storylens_one_process" in ingest else f"{ingest['storylens']['pages_per_s']:.0f}",
             f"trafilatura alone {ingest['trafilatura']['pages_per_s']:.0f}"),
            ("", "ratio to trafilatura (target ≥ 0.8)",
             f"**{ingest['ratio']:.2f}**" + (f" (1 process: {ingest['ratio_one_process']:.2f})"
                                           if "ratio_one_process" in ingest else ""), "1.00"),
        ]
    if quotes := _load("quotes"):
        half, speaker = quotes["content_half_overlap"], quotes["speaker"]
        out += [
            ("quotes, PolNeAR dev (`bench/quotes.py`)", "content F1, exact",
             f"{quotes['content_exact']['f1']:.3f}", "Citron 0.593 (PARC 3.0)"),
            ("", "content F1, half-overlap (target ≥ 0.80)",
             f"**{half['f1']:.3f}** (P {half['precision']:.3f}, R {half['recall']:.3f})",
             "Citron 0.833 (PARC 3.0); GGT 0.837 (own set)"),
            *([("", "speaker F1 on matched quotes (target ≥ 0.82)",
                f"**{matched['f1']:.3f}** (P {matched['precision']:.3f}, R {matched['recall']:.3f})",
                "Citron 0.820 (PARC 3.0)")] if (matched := quotes.get("speaker_on_matched")) else []),
            ("", "speaker F1, end to end", f"**{speaker['f1']:.3f}**", "Citron 0.820 (PARC 3.0)"),
            ("", "speaker accuracy on matched quotes", f"{quotes['speaker_accuracy_on_matched']:.3f}",
             "GGT 0.865 (own set)"),
            ("", "cue F1", f"{quotes['cue']['f1']:.3f}", ""),
        ]
    if analyze := _load("analyze"):
        out += [
            ("analysis (`bench/analyze.py`)", f"words/s, {analyze['texts']} BASIL + ECB+ texts",
             f"{analyze['storylens_1_worker']['words_per_s']:,} (1 worker); "
             f"{analyze['storylens_2_workers']['words_per_s']:,} (2 workers)",
             f"spaCy `nlp.pipe` {analyze['spacy_pipe']['words_per_s']:,}"),
            ("", "ratio to bare spaCy (target ≥ 0.8)",
             f"**{analyze['ratio_1_worker']:.2f}** (1 worker); {analyze['ratio_2_workers']:.2f} (2 workers)",
             "1.00"),
            ("", "peak memory", f"{analyze['peak_rss_mb']['main_process']} MB (1 process); "
             f"{analyze['peak_rss_mb']['largest_worker']} MB per worker", ""),
        ]
    if copies := _load("copies"):
        pairs, overall = copies["basil"]["pairs"], copies["basil"]["overall"]
        kinds = "; ".join(f"{k.replace('_', '-')} P {v['precision']:.3f} R {v['recall']:.3f}"
                          for k, v in pairs.items())
        out += [
            ("copies (`bench/copies.py`)", f"pairs from BASIL dev ({copies['basil']['articles']} articles)",
             f"P **{overall['precision']:.3f}**, R **{overall['recall']:.3f}** ({kinds})", ""),
            ("", "false links between independent reports of one event",
             str(copies["basil"]["false_links_between_independent_reports_of_one_event"]), ""),
            ("", "sample corpus copies found exactly, with direction",
             "yes" if copies["sample_corpus"]["exact_match"] else "no", ""),
        ]
    targets = {"basil_dev": "≥ 0.97", "newswcl50": "≥ 0.97", "ecbplus_dev": "≥ 0.90",
               "uci_headlines_dev_6000": "≥ 0.80", "uci_headlines_dev": "≥ 0.80 (all 337,678)",
               "uci_headlines_dev_50000": "≥ 0.80 (all 337,678)"}
    first = True
    for name, target in targets.items():
        if not (run := _load(f"stories_{name}")):
            continue
        shuffled = _load(f"stories_{name}_shuffle1")
        base = run.get("baseline") or {}
        label = f"{name.replace('_dev', '').replace('_', ' ')} ({run['articles']:,} articles)"
        ours = (f"**{run['f1']:.3f}** (P {run['precision']:.3f}, R {run['recall']:.3f}, ARI {run['ari']:.3f})"
                + (f"; shuffled {shuffled['f1']:.3f}" if shuffled else ""))
        reference = f"oracle TF-IDF baseline {base['f1']:.3f}" if base.get("f1") else ""
        if reference and base.get("articles", run["articles"]) != run["articles"]:
            reference += f" (on the first {base['articles']:,})"
        reference += "; " if reference else ""
        out.append(("stories, B-cubed F1 (`bench/stories.py`)" if first else "", label, ours,
                    reference + f"target {target}; Miranda et al. 2018: 0.940 (own corpus)"))
        first = False
    if stream := _load("stories_uci_headlines_dev_stream"):
        points = {c["stored"]: c for c in stream["checkpoints"]}
        last = 300000 if 300000 in points else max(points)  # the yardstick: 300k against 10k
        growth = points[last]["place_cpu_ms"] / points[10000]["place_cpu_ms"] if 10000 in points else None
        out.append(("", f"uci headlines streamed by date ({stream['articles']:,} of 337,678)",
                    f"**{stream['f1']:.3f}** (P {stream['precision']:.3f}, R {stream['recall']:.3f}); "
                    f"placement CPU {points[10000]['place_cpu_ms']} ms at 10k, "
                    f"{points[last]['place_cpu_ms']} ms at {last // 1000}k"
                    + (f" (×{growth:.1f})" if growth else "")
                    + f"; peak {stream['max_rss_mb']:.0f} MB",
                    "target ≥ 0.80; time at 300k ≤ 2× time at 10k"))
    for name in ("basil_dev", "newswcl50", "ecbplus_dev"):
        if run := _load(f"stories_{name}_through_ingest"):
            out.append(("", f"{name.replace('_dev', '')} through `storylens ingest` (`--through-ingest`)",
                        f"**{run['f1']:.3f}** (ARI {run['ari']:.3f}; {run['seconds_per_article']} s/article, "
                        "all stages)", ""))
    if align := _load("align"):
        ours, base = align["ours_cv"], align["baseline_cosine_cv"]
        tuned = align["baseline_cosine_tuned_on_all_labels"]
        published = align["published"]
        old = published["feature-based systems, 2006 (accuracy / F1)"]
        big = published["fine-tuned large transformers (about)"]
        out.append(("same claim, MSRP train (`bench/align.py`)",
                    f"accuracy / F1, {align['folds']}-fold CV (target ≥ 0.76 / 0.84)",
                    f"**{ours['accuracy']:.3f} / {ours['f1']:.3f}**",
                    f"cosine threshold {base['accuracy']:.3f} / {base['f1']:.3f} (CV), "
                    f"{tuned['accuracy']:.3f} / {tuned['f1']:.3f} (tuned on all labels); "
                    f"feature systems 2006 {old[0]:.3f} / {old[1]:.3f}; "
                    f"fine-tuned transformers ~{big[0]:.2f} / {big[1]:.2f}"))
    if summaries := _load("summaries"):
        scores = summaries["rouge_f"]
        ours = next(v for k, v in scores.items() if k.startswith("storylens"))
        first_each = scores["baseline (a): first sentence of each outlet"]
        longest = scores["baseline (b): first sentence of the longest lead"]

        def rouge(v: dict) -> str:
            return f"{v['rouge1']:.3f} / {v['rouge2']:.3f} / {v['rougeL']:.3f}"

        out.append(("summaries, NeuS val (`bench/summaries.py`)",
                    f"ROUGE-1 / 2 / L F, {summaries['events']} events (target: above both baselines)",
                    f"**{rouge(ours)}** ({summaries['sentences']} sentences)",
                    f"first sentence of each outlet {rouge(first_each)}; first sentence of the longest "
                    f"{rouge(longest)}"))
    if brief := _load("brief"):
        for n, row in enumerate(brief["stories"]):
            out.append(("briefings (`bench/brief.py`)" if n == 0 else "",
                        f"one story of {row['articles']} ECB+ articles",
                        f"compare **{row['compare_seconds']} s**, brief {row['brief_seconds']} s "
                        f"({row['claims']:,} claims, {row['disputes']} disputes, {row['quotes']} quotes; "
                        f"peak {row['peak_rss_mb']} MB)", ""))
    if web := _load("web"):
        lat, load = web["latency"], web["load"]

        def ms(key: str) -> str:
            return f"median {lat[key]['median_ms']:.0f} ms, p95 **{lat[key]['p95_ms']:.0f} ms**"

        biggest = web["store"]["biggest_story"]["articles"]
        out += [("web UI (`bench/web.py`)", f"{web['store']['articles']:,} articles stored: stories page",
                 ms("stories"), ""),
                ("", f"a story page (its biggest story, {biggest} articles)", ms("story"),
                 "target p95 ≤ 200 ms"),
                ("", f"search ({len(web.get('queries') or web.get('query_article_hits') or [])} queries)",
                 ms("search"), "target p95 ≤ 100 ms"),
                ("", f"load: {load['concurrency']} clients for {load['seconds']:.0f} s, mixed pages",
                 f"**{load['requests_per_s']:.0f} requests/s**, {load['errors']} errors", "")]
    return out


def main() -> None:
    """Print the table."""
    print("| benchmark | measure | storylens | reference |")
    print("|---|---|---|---|")
    for row in rows():
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()

"""Copy and rewrite detection measured on generated copies of BASIL articles, and on the sample corpus.

    python bench/copies.py [BASIL.jsonl] [--families N] [--seed S] [--deletion F] [--swap F] [--out PATH]

BASIL (default ../shared/eval/stories/basil_dev.jsonl relative to the project root) holds three
articles per event, by three outlets (The New York Times, Fox News, HuffPost): independent reports of
one event, the hard negatives. For N sampled articles the bench makes a copy family: the original plus
- an exact copy (case, spacing and quote style changed: the same normalised text);
- an edited copy (a few words changed, one paragraph dropped, a line added): a near-duplicate;
- a paraphrased copy (synonyms from a hand-written table of common news words, adjacent sentences
  swapped, about one sentence in ten deleted): a rewrite.
Copies are dated a day after their original; one family in four gets undated copies (direction
"unknown"). The detector never sees `gold_*` fields: the bench reads `gold_story` only to count false
links between independent reports of one event.

Scores:
- run 1, articles added in date order. Pairs: the detector links every pair it finds, so the gold pairs
  are all pairs inside a family, each with a kind (original-copy: the copy's kind; exact-edited:
  near_duplicate; any pair with the paraphrase: rewrite); a predicted link is right when it joins
  one family with the pair's kind. Confusion of gold kind (or none) against predicted kind (or none).
  Lineage (lineage(): each copy's best source): each copy's source should be its original, with the
  copy's kind and the right direction ("dated", or "unknown" for undated copies);
- run 2, the same signatures added in a shuffled order: voices (connected components) against the
  families (the share of copies in their original's voice, voices that join two families), and
  whether the dated part of the lineage is the same as in date order;
- margins: shingle containment and the rewrite share (the quantities the thresholds cut) on the same-
  event negatives (all pairs of one BASIL event) and on the generated copies;
- the sample corpus (examples/corpus): the lineage (each copy's best source) against
  examples/expected.json "copies", and the copy families (voices) against its "copy_families".
Results go to bench/results/copies.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import re
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "eval" / "stories" / "basil_dev.jsonl"
EXAMPLES = ROOT / "examples"
RESULTS = ROOT / "bench" / "results" / "copies.json"
KINDS = ("exact", "near_duplicate", "rewrite")

# Common news words and a stand-in a paraphrasing tool would pick (one direction, lower case; "_" a space).
_TABLE = """
said:stated says:states told:informed announced:declared reported:disclosed added:noted
asked:questioned called:termed claimed:asserted argued:contended warned:cautioned
people:persons killed:slain injured:hurt officials:authorities official:functionary
government:administration president:head leader:chief leaders:chiefs country:nation
countries:nations city:town largest:biggest large:big small:little major:key big:huge
new:fresh old:aged first:initial last:final recent:latest early:initial late:belated
week:seven_days month:four_weeks year:twelvemonth years:twelvemonths today:this_day
about:around nearly:almost approximately:roughly more:additional many:numerous several:a_number_of
also:additionally however:nonetheless because:since while:whilst after:following before:prior_to
during:throughout within:inside without:lacking between:amongst among:amidst against:versus
help:assist helped:assisted helping:assisting use:utilise used:utilised using:utilising
make:create made:created making:creating get:obtain got:obtained take:grab took:grabbed
give:provide gave:provided show:display showed:displayed shows:displays find:discover
found:discovered think:believe thought:believed know:realise knew:realised want:wish
wanted:wished need:require needed:required begin:commence began:commenced start:commence
started:commenced end:finish ended:finished keep:retain kept:retained run:operate
move:shift moved:shifted change:alter changed:altered changes:alterations plan:scheme
plans:schemes planned:intended decision:ruling decided:resolved effort:endeavour
efforts:endeavours support:backing supported:backed supporters:backers critics:detractors
attack:assault attacks:assaults fight:battle fighting:battling war:conflict military:armed_forces
troops:soldiers police:law_enforcement law:legislation laws:legislation bill:measure
vote:ballot voted:cast_ballots voters:electorate election:poll campaign:drive party:faction
congress:legislature lawmakers:legislators members:associates member:associate group:organisation
company:firm companies:firms business:enterprise money:funds cost:expense costs:expenses
pay:remunerate paid:remunerated tax:levy taxes:levies budget:spending_plan deal:agreement
agreement:accord talks:discussions meeting:gathering statement:declaration speech:address
interview:conversation report:account news:tidings issue:matter issues:matters problem:difficulty
problems:difficulties question:query questions:queries answer:response important:significant
serious:grave strong:robust clear:evident difficult:hard hard:tough easy:simple
possible:feasible likely:probable unlikely:improbable public:general private:personal
national:countrywide federal:central local:regional former:erstwhile current:present
top:leading senior:high-ranking political:governmental economic:fiscal security:safety
health:wellbeing children:kids women:females men:males family:household families:households
home:house homes:houses school:academy area:region areas:regions part:portion
number:quantity percent:per_cent increase:rise decrease:drop rise:surge fell:dropped
rose:climbed high:elevated low:minimal expected:anticipated continue:carry_on continued:carried_on
remain:stay remained:stayed remains:stays allow:permit allowed:permitted believe:think
try:attempt tried:attempted seek:pursue sought:pursued hope:aspire hoped:aspired
face:confront faced:confronted faces:confronts lead:head led:headed win:triumph won:triumphed
lose:forfeit lost:forfeited big:sizeable huge:enormous quickly:rapidly slowly:gradually
really:truly very:extremely often:frequently never:not_ever always:invariably still:yet
"""
EDIT_WORDS = ["reportedly", "officially", "publicly", "widely", "briefly", "formally"]
REPORTERS = ["Petra Lindahl", "Omar Haddad", "Lucia Ferreira", "Tom Becker", "Aiko Sato"]
_TOKEN = re.compile(r"\w+|\W+")


def _synonyms(table: str) -> dict[str, str]:
    pairs = (pair.split(":") for pair in table.split())
    return {word: swap.replace("_", " ") for word, swap in pairs}


SYNONYMS = _synonyms(_TABLE)


def main() -> None:
    """Build the pairs, run the detector, print and write the figures."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--families", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--deletion", type=float, default=0.1, help="paraphrase: share of sentences deleted")
    parser.add_argument("--swap", type=float, default=0.2, help="paraphrase: chance of swapping neighbours")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    results: dict[str, object] = {"machine": platform.machine(), "python": platform.python_version()}
    if args.path.exists():
        results["basil"] = bench_basil(args.path, args.families, args.seed, args.deletion, args.swap)
    else:
        print(f"skipping the BASIL pairs: {args.path} is not here (the evaluation data sits beside "
              f"the project root)", file=sys.stderr)
    results["sample_corpus"] = bench_corpus()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {args.out}")


# --- generated copies ---------------------------------------------------------------------------

def exact_copy(text: str) -> str:
    """The same normalised text: other case, spacing and quote style."""
    text = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")
    return "\n\n".join("  " + p.upper() + " " for p in text.split("\n\n"))


def edited_copy(text: str, rng: random.Random) -> str:
    """A few words changed, one paragraph (not the first) dropped, a line added."""
    paragraphs = text.split("\n\n")
    if len(paragraphs) > 3:
        del paragraphs[rng.randrange(1, len(paragraphs))]
    tokens = _TOKEN.findall("\n\n".join(paragraphs))
    words = [i for i, t in enumerate(tokens) if t.isalpha() and len(t) > 3]
    for i in rng.sample(words, min(4, len(words))):
        tokens[i] = rng.choice(EDIT_WORDS)
    return "".join(tokens) + f"\n\nAdditional reporting by {rng.choice(REPORTERS)}."


def paraphrased_copy(text: str, rng: random.Random, deletion: float = 0.1, swap: float = 0.2) -> str:
    """Synonyms substituted, adjacent sentences sometimes swapped, about one sentence in ten deleted."""
    from storylens.stories.align import sentence_spans

    out = []
    for paragraph in text.split("\n\n"):
        sentences = [paragraph[s:e] for s, e in sentence_spans(paragraph)]
        sentences = [s for s in sentences if rng.random() > deletion] or sentences[:1]
        for i in range(len(sentences) - 1):
            if rng.random() < swap:
                sentences[i], sentences[i + 1] = sentences[i + 1], sentences[i]
        out.append(" ".join(_substitute(s, rng) for s in sentences))
    return "\n\n".join(out)


def _substitute(sentence: str, rng: random.Random) -> str:
    tokens = _TOKEN.findall(sentence)
    for i, token in enumerate(tokens):
        swap = SYNONYMS.get(token.casefold())
        if swap and rng.random() < 0.9:
            tokens[i] = swap.capitalize() if token[0].isupper() else swap
    return "".join(tokens)


def _later(published: str | None, days: int = 1) -> str | None:
    return (date.fromisoformat(published[:10]) + timedelta(days=days)).isoformat() if published else None


# --- BASIL run ----------------------------------------------------------------------------------

def bench_basil(path: Path, families: int, seed: int, deletion: float, swap: float) -> dict[str, object]:
    """Generated copy families among all BASIL articles: precision, recall, confusion, time."""
    from storylens.stories import CopyCandidate, CopyDetector, signatures_of

    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for i, record in enumerate(records):
        record["key"] = f"basil:{i}"  # BASIL ids are not unique (several "empty")
    story = {r["key"]: r["gold_story"] for r in records}  # the evaluator's only use of gold labels
    rng = random.Random(seed)
    docs = [CopyCandidate(r["key"], r["text"], r["published"], r["outlet"]) for r in records]
    family = {r["key"]: r["key"] for r in records}
    kind_of = {r["key"]: "original" for r in records}
    for r in rng.sample(records, min(families, len(records))):
        undated = rng.random() < 0.25
        published = None if undated else _later(r["published"])
        made = {"exact": exact_copy(r["text"]), "near_duplicate": edited_copy(r["text"], rng),
                "rewrite": paraphrased_copy(r["text"], rng, deletion, swap)}
        for kind, text in made.items():
            key = f"{r['key']}~{kind}"
            docs.append(CopyCandidate(key, text, published, f"copier of {r['outlet']}"))
            family[key], kind_of[key] = r["key"], kind
    docs.sort(key=lambda d: (d.published or "9999", d.article_id))  # run 1: date order, undated last

    started = time.perf_counter()
    signatures = signatures_of(docs)
    signing = time.perf_counter() - started
    detector, links = CopyDetector(), []
    started = time.perf_counter()
    for signature in signatures:
        links.extend(detector.add(signature))
    adding = time.perf_counter() - started

    published = {d.article_id: d.published for d in docs}
    scores = _score(links, family, kind_of, story, published)
    scores["articles"] = len(docs)
    scores["families"] = min(families, len(records))
    scores["paraphrase"] = {"deletion": deletion, "swap": swap, "synonyms": len(SYNONYMS)}
    scores["seconds_per_article"] = {
        "signature (embedding, shingles, MinHash)": round(signing / len(docs), 4),
        "add (index, candidates, compare)": round(adding / len(docs), 4)}
    from storylens.stories import lineage

    scores["shuffled"] = _shuffled(signatures, family, seed, lineage(links, published))
    scores["margins"] = _margins(signatures, family, kind_of, story)
    _print_basil(scores)
    return scores


def _gold_kind(a: str, b: str, family: dict[str, str], kind_of: dict[str, str]) -> str:
    if family[a] != family[b]:
        return "none"
    kinds = {kind_of[a], kind_of[b]}
    if "rewrite" in kinds:
        return "rewrite"
    if "near_duplicate" in kinds:
        return "near_duplicate"
    return "exact"


def _score(links: list, family: dict[str, str], kind_of: dict[str, str], story: dict[str, str],
           published: dict[str, str | None]) -> dict[str, object]:
    from storylens.stories import lineage

    members: dict[str, list[str]] = {}
    for key, root in family.items():
        members.setdefault(root, []).append(key)
    gold = {frozenset((a, b)): _gold_kind(a, b, family, kind_of)
            for group in members.values() for i, a in enumerate(group) for b in group[i + 1:]}
    predicted = {frozenset((link.earlier, link.later)): link.kind for link in links}
    confusion = Counter((gold.get(pair, "none"), predicted.get(pair, "none")) for pair in {*gold, *predicted})
    per_kind = {}
    for kind in KINDS:
        made = [pair for pair, k in predicted.items() if k == kind]
        wanted = [pair for pair, k in gold.items() if k == kind]
        per_kind[kind] = {
            "precision": _ratio(sum(gold.get(pair) == kind for pair in made), len(made)),
            "recall": _ratio(sum(predicted.get(pair) == kind for pair in wanted), len(wanted)),
            "recall_any_kind": _ratio(sum(pair in predicted for pair in wanted), len(wanted)),
            "predicted": len(made), "pairs": len(wanted)}
    right = sum(gold.get(pair) == kind for pair, kind in predicted.items())
    wrong = [link for link in links if family[link.earlier] != family[link.later]]
    same_event = [link for link in wrong if story[family[link.earlier]] == story[family[link.later]]]
    return {
        "pairs": per_kind,
        "overall": {"precision": _ratio(right, len(predicted)), "links": len(predicted),
                    "recall": _ratio(right, len(gold)),
                    "recall_any_kind": _ratio(sum(pair in predicted for pair in gold), len(gold)),
                    "precision_any_kind": _ratio(len(links) - len(wrong), len(links))},
        "false_links_between_independent_reports_of_one_event": len(same_event),
        "false_links_between_unrelated_articles": len(wrong) - len(same_event),
        "confusion_gold_vs_predicted": {f"{g} -> {p}": n for (g, p), n in sorted(confusion.items())},
        "false_links": [[link.earlier, link.later, link.kind, link.score, link.share] for link in wrong[:10]],
        "lineage": _score_lineage(lineage(links, published), family, kind_of, published),
    }


def _score_lineage(tree: list, family: dict[str, str], kind_of: dict[str, str],
                   published: dict[str, str | None]) -> dict[str, object]:
    # Each copy's source should be its original, with the copy's kind and the right direction.
    source = {pair: link for link in tree
              for pair in ((link.later, link.earlier), (link.earlier, link.later))}
    found: Counter[str] = Counter()
    count: Counter[str] = Counter()
    direction: Counter[str] = Counter()
    for key, kind in kind_of.items():
        if kind == "original":
            continue
        count[kind] += 1
        link = source.get((key, family[key]))
        if link is None or link.kind != kind:
            continue
        found[kind] += 1
        if published[key]:  # dated a day after its original
            ok = link.direction == "dated" and link.earlier == family[key]
        else:  # the original is dated, the copy is not
            ok = link.direction == "unknown"
        direction["right" if ok else "wrong"] += 1
    extra = [link for link in tree if "original" not in (kind_of[link.earlier], kind_of[link.later])]
    return {"recall": {kind: _ratio(found[kind], count[kind]) for kind in KINDS},
            "direction": dict(direction), "links": len(tree), "links_between_two_copies": len(extra)}


def _shuffled(signatures: list, family: dict[str, str], seed: int, tree: list) -> dict[str, object]:
    from storylens.stories import CopyDetector, lineage, voices

    order = list(signatures)
    random.Random(seed + 1).shuffle(order)
    detector, links = CopyDetector(), []
    for signature in order:
        links.extend(detector.add(signature))
    groups = voices([s.article_id for s in signatures], links)
    voice_of = {key: i for i, group in enumerate(groups) for key in group}
    copies = [key for key in family if family[key] != key]
    joined = sum(voice_of[key] == voice_of[family[key]] for key in copies)
    mixed = sum(len({family[key] for key in group}) > 1 for group in groups)
    dated = {(link.earlier, link.later, link.kind) for link in tree if link.direction == "dated"}
    again = {(link.earlier, link.later, link.kind)
             for link in lineage(links, detector.published()) if link.direction == "dated"}
    return {"copies_in_their_original's_voice": _ratio(joined, len(copies)),
            "voices_joining_two_families": mixed, "voices": len(groups),
            "true_voices": len(set(family.values())), "links": len(links),
            "dated_lineage_same_as_in_date_order": dated == again}


def _margins(signatures: list, family: dict[str, str], kind_of: dict[str, str],
             story: dict[str, str]) -> dict[str, object]:
    """How far the hard negatives and the copies sit from the thresholds (containment, aligned share)."""
    from storylens.stories import CopyConfig

    config, by_id = CopyConfig(), {s.article_id: s for s in signatures}
    rows: dict[str, list[tuple[float, float]]] = {"same_event_negatives": [], "near_duplicate": [],
                                                  "rewrite": []}
    originals = [key for key, kind in kind_of.items() if kind == "original"]
    for i, a in enumerate(originals):
        for b in originals[i + 1:]:
            if story[a] == story[b]:
                rows["same_event_negatives"].append(_measure(by_id[a], by_id[b], config))
    for key, kind in kind_of.items():
        if kind in rows:
            rows[kind].append(_measure(by_id[family[key]], by_id[key], config))
    out = {}
    for name, values in rows.items():
        containment, share = [v[0] for v in values], [v[1] for v in values]
        out[name] = {"pairs": len(values), "containment_min_max": [round(min(containment), 3),
                                                                   round(max(containment), 3)],
                     "rewrite_share_min_max": [round(min(share), 3), round(max(share), 3)]}
    out["thresholds"] = {"near_containment": config.near_containment,
                         "rewrite_share": config.rewrite_share,
                         "sentence_similarity": config.sentence_similarity}
    return out


def _measure(a, b, config) -> tuple[float, float]:
    import numpy as np

    from storylens.stories.align import align
    from storylens.stories.copies import rewrite_share

    shared = len(np.intersect1d(a.shingles, b.shingles, assume_unique=True))
    containment = shared / max(1, min(len(a.shingles), len(b.shingles)))
    found = align(a.sentences, b.sentences, config.sentence_similarity)
    return containment, rewrite_share(found, a, b, config)


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def _print_basil(scores: dict) -> None:
    print(f"BASIL: {scores['articles']} articles, {scores['families']} copy families "
          f"(paraphrase {scores['paraphrase']})")
    print("  pairs (every pair inside a family):")
    for kind, row in scores["pairs"].items():
        print(f"    {kind:15} P {row['precision']}  R {row['recall']}  (R any kind {row['recall_any_kind']}, "
              f"{row['pairs']} pairs, {row['predicted']} predicted)")
    print(f"    overall         {scores['overall']}")
    print(f"  false links, same event: {scores['false_links_between_independent_reports_of_one_event']}, "
          f"unrelated: {scores['false_links_between_unrelated_articles']}")
    print(f"  confusion {scores['confusion_gold_vs_predicted']}")
    print(f"  lineage (each copy's source) {scores['lineage']}")
    print(f"  time per article {scores['seconds_per_article']}")
    print(f"  shuffled {scores['shuffled']}")
    print(f"  margins {scores['margins']}")


# --- sample corpus ------------------------------------------------------------------------------

def corpus_candidates() -> list:
    """The sample corpus's articles as candidates, ids as in examples/expected.json."""
    from storylens.ingest.html import read_html
    from storylens.ingest.registry import Payload
    from storylens.stories import CopyCandidate

    expected = json.loads((EXAMPLES / "expected.json").read_text(encoding="utf-8"))
    corpus = EXAMPLES / expected["corpus_dir"]
    texts: dict[str, str] = {}
    for line in (corpus / "newsfeed.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        texts[f"newsfeed.jsonl#{record['id']}"] = record["text"]
    for page in corpus.glob("*.html"):
        texts[page.name] = next(read_html(Payload(page.name, page.read_bytes()), None)).text
    for plain in corpus.glob("*.txt"):
        lines = plain.read_text(encoding="utf-8").split("\n")
        first = next(i for i, line in enumerate(lines) if line.strip())  # the headline
        texts[plain.name] = "\n".join(lines[first + 1:]).strip()
    meta = {a["source"]: a for a in expected["articles"]}
    return [CopyCandidate(key, texts[key], meta[key]["published"], meta[key]["outlet"])
            for key in meta if key in texts]


def bench_corpus() -> dict[str, object]:
    """The sample corpus's copies found against its expectations, with direction."""
    from storylens.stories import CopyDetector, lineage, voices

    expected = json.loads((EXAMPLES / "expected.json").read_text(encoding="utf-8"))
    docs = corpus_candidates()
    detector = CopyDetector()
    started = time.perf_counter()
    links = detector.add_batch(docs)
    seconds = time.perf_counter() - started
    tree = lineage(links, detector.published())
    want = {(c["earlier"], c["later"], c["kind"]) for c in expected["copies"]}
    got = {(link.earlier, link.later, link.kind) for link in tree}
    families = [sorted(g) for g in voices([d.article_id for d in docs], links) if len(g) > 1]
    result = {"expected": sorted(want),
              "lineage": [[link.earlier, link.later, link.kind, link.score, link.share, link.direction]
                          for link in tree],
              "missing": sorted(want - got), "extra": sorted(got - want), "exact_match": want == got,
              "all_directions_dated": all(link.direction == "dated" for link in tree),
              "pairwise_links": len(links), "copy_families": families,
              "families_match": families == [sorted(f) for f in expected["copy_families"]],
              "seconds_per_article": round(seconds / len(docs), 4)}
    print(f"sample corpus: {len(docs)} articles, lineage matches expected.json {result['exact_match']}, "
          f"families match {result['families_match']} ({len(links)} pairwise links)")
    for link in tree:
        print(f"  {link.earlier} -> {link.later}: {link.kind} score {link.score} share {link.share} "
              f"({link.direction})")
    return result


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()

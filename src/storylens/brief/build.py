"""Assemble a story's briefing from its comparison, its articles and their analyses."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from storylens.brief.summary import Candidate, summarise
from storylens.compare.material import StoryMaterial, load
from storylens.compare.pipeline import comparison_of
from storylens.models import Citation, Claim, Comparison, StoryRecord
from storylens.stories.copies import lineage

SCHEMA = "storylens.briefing/1"
FLAG_TEXT = {"wording_changed": "wording differs between outlets",
             "paraphrase_in_quotes": "a paraphrase inside quotation marks",
             "speaker_changed": "attributed to different speakers"}
SUMMARY_SENTENCES = 3  # NeuS (three outlets, ~65-word targets) favours 2; stories usually have more outlets
_YEAR_ONLY = re.compile(r"^(in |since |by |until |from )?(\d{4})$", re.IGNORECASE)


@dataclass
class Briefing:
    """Everything a reader sees about one story; `to_dict()` is the documented JSON form."""

    story_id: str
    headline: str
    first_seen: str | None
    last_updated: str | None
    summary: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    figures: list[dict[str, Any]]
    disputes: list[dict[str, Any]]
    quotes: list[dict[str, Any]]
    entities: list[dict[str, Any]]
    timeline: list[dict[str, Any]]
    coverage: dict[str, Any]
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)  # article id → title, outlet, url, text
    generated: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    def to_dict(self) -> dict[str, Any]:
        """The briefing as JSON-ready data (schema storylens.briefing/1)."""
        data = asdict(self)
        data["sources"] = {k: {key: v for key, v in source.items() if key != "text"}
                           for k, source in self.sources.items()}
        summary = self.summary
        return {"schema": SCHEMA, **data,
                "summary": {"text": " ".join(s["text"] for s in summary),
                            "citations": [s["citation"] for s in summary], "sentences": summary}}

    def agreed(self, limit: int | None = 12) -> list[dict[str, Any]]:
        """Statements two or more independent outlets make, best supported first."""
        return agreed(self.claims, limit)

    def single_source(self, limit: int | None = 12) -> list[dict[str, Any]]:
        """Checkable statements only one independent outlet makes, most central first."""
        return single_source(self.claims, limit)

    def speakers(self) -> list[tuple[str, str | None, list[dict[str, Any]]]]:
        """Quotes grouped by speaker: (speaker, role, quotes), most quoted first."""
        groups: dict[str, list[dict[str, Any]]] = {}
        for quote in self.quotes:
            groups.setdefault(quote["speaker"] or "Unattributed", []).append(quote)
        roles = {q["speaker"]: q["role"] for q in self.quotes if q["role"]}
        def weight(item: tuple[str, list[dict[str, Any]]]) -> tuple[bool, int, str]:
            return item[0] == "Unattributed", -sum(q["voices"] for q in item[1]), item[0]

        ranked = sorted(groups.items(), key=weight)
        return [(speaker, roles.get(speaker), quotes) for speaker, quotes in ranked]

    def cited(self, show: int | None = 12) -> list[dict[str, Any]]:
        """Every citation the rendered briefing shows (sections cut to `show` items)."""
        found = [s["citation"] for s in self.summary]
        found += [c for claim in self.agreed(show) + self.single_source(show) for c in claim["citations"]]
        found += [c for f in self.figures for c in f["citations"]]
        found += [c for d in self.disputes for side in d["sides"] for c in side["citations"]]
        found += [c for q in self.quotes for c in q["citations"]]
        found += [c for t in self.timeline[:None if show is None else show * 2] for c in t["citations"]]
        return found

    def sentence(self, citation: dict[str, Any]) -> str:
        """The text a citation points at."""
        return self.sources[citation["article_id"]]["text"][citation["start"]:citation["end"]]


def agreed(claims: list[dict[str, Any]], limit: int | None = 12) -> list[dict[str, Any]]:
    """Of these claims (briefing JSON), the corroborated statements, best supported first."""
    found = [c for c in claims if c["status"] == "corroborated" and not c["quote"]]
    return sorted(found, key=lambda c: (-c["voices"], -c["centrality"]))[:limit]


def single_source(claims: list[dict[str, Any]], limit: int | None = 12) -> list[dict[str, Any]]:
    """Of these claims (briefing JSON), the checkable single-source statements, most central first."""
    found = [c for c in claims if c["status"] == "single_source" and not c["quote"] and c["facts"]]
    return sorted(found, key=lambda c: (-min(c["facts"], 3), -c["centrality"]))[:limit]


def build_briefing(store, story: StoryRecord) -> Briefing:
    """The briefing of one story (comparing it first when its stored comparison is stale)."""
    material = load(store, story)
    comparison = comparison_of(store, story, material)
    return Briefing(
        story.id, story.title or _fallback_title(material), story.first_seen, story.last_updated,
        _summary(material), [_claim(c) for c in comparison.claims],
        [_plain(f, cite=True) for f in comparison.figures],
        [_dispute(d) for d in comparison.disputes], [_quote(q) for q in comparison.quotes],
        _entities(store, material), _timeline(material, comparison),
        _coverage(material, comparison), _sources(material))


def _cite(c: Citation | dict) -> dict[str, Any]:
    return c.to_dict() if isinstance(c, Citation) else dict(c)


def _plain(item: Any, cite: bool = False) -> dict[str, Any]:
    data = asdict(item)
    if cite:
        data["citations"] = [_cite(c) for c in data["citations"]]
    return data


def _claim(claim: Claim) -> dict[str, Any]:
    return {"id": claim.id, "text": claim.text, "status": claim.status, "outlets": claim.outlets,
            "voices": claim.voices, "quote": claim.quote, "centrality": claim.centrality,
            "facts": claim.facts,
            "citations": [_cite(c) for c in claim.citations]}


def _dispute(dispute) -> dict[str, Any]:
    return {"kind": dispute.kind, "why": dispute.why, "confidence": dispute.confidence,
            "measure": dispute.measure,
            "sides": [{"text": s.text, "outlets": s.outlets, "value": s.value,
                       "citations": [_cite(c) for c in s.citations]} for s in dispute.sides]}


def _quote(quote) -> dict[str, Any]:
    return {"text": quote.text.strip().rstrip(",;:"), "speaker": quote.speaker,
            "speaker_entity": quote.speaker_entity,
            "role": quote.role, "kind": quote.kind, "outlets": quote.outlets, "voices": quote.voices,
            "flags": quote.flags, "notes": quote.notes,
            "citations": [{"article_id": s.article_id, "outlet": s.outlet, "sentence": s.sentence,
                           "start": s.start, "end": s.end, "text": s.text, "speaker": s.speaker}
                          for s in quote.sightings]}


def _fallback_title(material: StoryMaterial) -> str:
    first = material.sentences[0].text if material.sentences else "Untitled story"
    return first[:120]


def _summary(material: StoryMaterial) -> list[dict[str, Any]]:
    candidates = [Candidate(s.article_id, s.outlet or "", str(s.voice), s.position, s.start, s.end, s.text,
                            material.vectors[s.row], s.quoted) for s in material.sentences]
    picked = summarise(candidates, max_sentences=SUMMARY_SENTENCES) if candidates else []
    rows = {(s.article_id, s.start): s for s in material.sentences}
    return [{"text": c.text, "citation": rows[(c.article_id, c.start)].citation().to_dict()} for c in picked]


def _entities(store, material: StoryMaterial, limit: int = 15) -> list[dict[str, Any]]:
    articles: Counter[int] = Counter()
    mentions: Counter[int] = Counter()
    for member in material.articles:
        analysis = member.analysis
        if analysis is None:
            continue
        seen = set()
        for mention in analysis.mentions:
            entity = member.entity_ids.get(mention.key)
            if entity is not None:
                mentions[entity] += 1
                seen.add(entity)
        articles.update(seen)
    ranked = sorted(articles, key=lambda e: (-articles[e], -mentions[e], e))[:limit]
    out = []
    for entity_id in ranked:
        entity = store.get_entity(entity_id)
        out.append({"id": entity.id, "name": entity.name, "label": entity.label, "aliases": entity.aliases,
                    "roles": entity.roles[:2], "articles": articles[entity_id],
                    "mentions": mentions[entity_id]})
    return out


def _when(text: str, resolved: str) -> str:
    match = _YEAR_ONLY.match(text.strip())
    return match.group(2) if match and resolved.endswith("-01-01") else resolved


def _timeline(material: StoryMaterial, comparison: Comparison) -> list[dict[str, Any]]:
    """Dated statements: each claim once per date it mentions, earliest date first."""
    claim_of = {(c.article_id, c.sentence): claim for claim in comparison.claims for c in claim.citations}
    seen: set[tuple[int, str]] = set()
    out = []
    for member in material.articles:
        for ref in member.analysis.times if member.analysis else []:
            claim = claim_of.get((member.article.id, ref.sentence))
            if not ref.resolved or claim is None or (claim.id, ref.resolved) in seen:
                continue
            seen.add((claim.id, ref.resolved))
            out.append({"date": ref.resolved, "when": _when(ref.text, ref.resolved), "phrase": ref.text,
                        "text": claim.text, "claim": claim.id, "status": claim.status,
                        "outlets": claim.outlets, "citations": [_cite(c) for c in claim.citations]})
    out.sort(key=lambda e: (e["date"], e["claim"]))
    return out


def _coverage(material: StoryMaterial, comparison: Comparison) -> dict[str, Any]:
    published = {m.article.id: m.article.published for m in material.articles}
    links = lineage(material.links, published)
    copy_of = {k.later: k for k in links}
    articles = []
    for member in material.articles:
        article = member.article
        source = copy_of.get(article.id)
        articles.append({"id": article.id, "title": article.title, "outlet": article.outlet,
                         "published": article.published, "url": article.url, "outlets": member.outlets,
                         "voice": member.voice,
                         "copy_of": {"id": source.earlier, "kind": source.kind, "direction": source.direction,
                                     "share": source.share} if source else None})
    dated = [a for a in articles if a["published"]]
    first = min(dated, key=lambda a: a["published"]) if dated else None
    outlets = []
    for member in material.articles:
        outlets += [o for o in member.outlets if o not in outlets]
    return {"articles": articles, "outlets": outlets, "independent_voices": len(comparison.voices),
            "first_report": {"id": first["id"], "outlet": first["outlet"], "published": first["published"]}
            if first else None,
            "copies": [{"earlier": k.earlier, "later": k.later, "kind": k.kind, "direction": k.direction,
                        "share": k.share, "score": k.score} for k in links]}


def safe_url(url: str | None) -> str | None:
    """The URL if it is http(s), else None: a stored 'javascript:' link must never become a link."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


def _sources(material: StoryMaterial) -> dict[str, dict[str, Any]]:
    return {m.article.id: {"title": m.article.title, "outlet": m.article.outlet,
                           "url": safe_url(m.article.url),
                           "published": m.article.published, "text": m.article.text}
            for m in material.articles}

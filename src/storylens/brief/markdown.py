"""A briefing as Markdown: readable in a terminal (Rich) and on GitHub, every line cited."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote as url_quote

from storylens.brief.build import FLAG_TEXT, Briefing

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")
_STATUS = {"corroborated": "agreed", "single_source": "one outlet", "disputed": "disputed"}


def escape(text: str | None) -> str:
    """Article text made inert: no Markdown or HTML it contains takes effect."""
    return _SPECIAL.sub(r"\\\1", (text or "").replace("\n", " "))


def anchor(citation: dict[str, Any]) -> str:
    """The anchor of a cited sentence in the briefing's source list."""
    return f"s-{citation['article_id'][:12]}-{citation['sentence']}"


def cite(citations: list[dict[str, Any]], limit: int = 4) -> str:
    """Citation links, one per outlet, [Outlet](#anchor)."""
    seen, out = set(), []
    for citation in citations:
        name = citation.get("outlet") or citation["article_id"][:8]
        if name in seen:
            continue
        seen.add(name)
        out.append(f"[{escape(name)}](#{anchor(citation)})")
    more = len({c.get("outlet") or c["article_id"] for c in citations}) - len(out[:limit])
    return " ".join(out[:limit]) + (f" +{more}" if more > 0 else "")


def render_markdown(briefing: Briefing, *, show: int = 12, sources: bool = True) -> str:
    """The whole briefing as Markdown (`sources=False`: without the list of cited sentences)."""
    b = briefing
    coverage = b.coverage
    lines = [f"# {escape(b.headline)}", ""]
    lines.append(f"*Story `{b.story_id}` · {len(coverage['articles'])} articles · {len(coverage['outlets'])} "
                 f"outlets, {coverage['independent_voices']} independent · first seen {b.first_seen or '?'}"
                 f" · last updated {b.last_updated or '?'}*")
    lines += ["", "## Summary", ""]
    lines += [f"{escape(s['text'])} {cite([s['citation']])}" for s in b.summary] or ["(no sentences)"]
    lines += _section("What the outlets agree on", [
        f"- {escape(c['text'])} — {c['voices']} independent: {cite(c['citations'])}" for c in b.agreed(show)
    ] + [f"- **{_number(f)}** {escape(f['measure'])} — {f['voices']} independent: {cite(f['citations'])}"
         for f in b.figures])
    lines += _section("Reported by one outlet only", [
        f"- {escape(c['text'])} {cite(c['citations'])}" for c in b.single_source(show)])
    lines += _section("Where they differ", [_dispute(d) for d in b.disputes])
    lines += _section("Who said what", _speakers(b))
    lines += _section("Key people, organisations and places", [
        f"- **{escape(e['name'])}** ({e['label']}{', ' + escape(e['roles'][0]) if e['roles'] else ''}) — "
        f"{e['articles']} articles" for e in b.entities])
    lines += _section("Timeline", [
        f"- **{t['when']}** ({escape(t['phrase'])}) {escape(t['text'])} {cite(t['citations'])}"
        for t in b.timeline[:show * 2]])
    lines += _section("Coverage", _coverage(b))
    if sources:
        lines += _section("Sources", _sources(b, show))
    return "\n".join(lines).rstrip() + "\n"


def _section(title: str, items: list[str]) -> list[str]:
    return ["", f"## {title}", "", *(items or ["(none found)"])]


def _number(figure: dict[str, Any]) -> str:
    return escape(figure["text"])


def _dispute(d: dict[str, Any]) -> str:
    kind = "Numbers differ" if d["kind"] == "number" else "Statements contradict"
    sides = "\n".join(f"  - {escape(s['text'])} {cite(s['citations'])}" for s in d["sides"])
    return f"- **{kind}** ({escape(d['why'])}; confidence {d['confidence']:.2f})\n{sides}"


def _speakers(b: Briefing) -> list[str]:
    out = []
    for speaker, role, quotes in b.speakers():
        out.append(f"- **{escape(speaker)}**" + (f", {escape(role)}" if role else ""))
        for q in quotes:
            mark = "“" + escape(q["text"]) + "”" if q["kind"] in ("direct", "partial") else escape(q["text"])
            flags = "; ".join(FLAG_TEXT.get(f, f) for f in q["flags"])
            warning = f" ⚠ {flags}" if flags else ""
            out.append(f"  - {mark} *({q['kind']})* {cite(q['citations'])}{warning}")
    return out


def _coverage(b: Briefing) -> list[str]:
    first = b.coverage["first_report"]
    lines = []
    if first:
        lines += [f"First report: {escape(first['outlet'] or first['id'])} at {first['published']}.", ""]
    lines += ["| Published | Outlet | Title | Relation |", "|---|---|---|---|"]
    titles = {a["id"]: a["outlet"] or a["id"][:8] for a in b.coverage["articles"]}
    for a in b.coverage["articles"]:
        relation = "original"
        if a["copy_of"]:
            source = escape(titles.get(a["copy_of"]["id"], ""))
            relation = f"{a['copy_of']['kind'].replace('_', '-')} of {source}"
        outlets = ", ".join(escape(o) for o in a["outlets"]) or escape(a["id"][:8])
        lines.append(f"| {a['published'] or '?'} | {outlets} | {escape(a['title'])} | {relation} |")
    return lines


def _sources(b: Briefing, show: int) -> list[str]:
    cited: dict[str, dict[str, Any]] = {}
    for citation in b.cited(show):
        cited.setdefault(anchor(citation), citation)
    out = []
    for key, citation in sorted(cited.items(), key=lambda kv: (kv[1]["article_id"], kv[1]["start"])):
        source = b.sources[citation["article_id"]]
        link = source.get("url")
        text = b.sentence(citation)
        where = f"[{escape(source['outlet'] or citation['article_id'][:8])}]"
        if link:
            fragment = url_quote(" ".join(text.split()[:8]), safe="")
            where += f"({link}#:~:text={fragment})"
        out.append(f'- <a id="{key}"></a>{where} ¶{citation["sentence"]} '
                   f'chars {citation["start"]}–{citation["end"]}: {escape(text)}')
    return out

"""Charts drawn on the server as SVG: no JavaScript, no network; every label escaped."""

from __future__ import annotations

import zlib
from datetime import date, datetime
from html import escape

_COLOURS = ("#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#65a30d")


def sparkline(days: dict[str, int], width: int = 120, height: int = 24) -> str:
    """Articles per day as a small line, from the first day to the last."""
    if not days:
        return (f'<svg class="sparkline" width="{width}" height="{height}" role="img" '
                'aria-label="no dates"></svg>')
    first, last = date.fromisoformat(min(days)), date.fromisoformat(max(days))
    span = max((last - first).days, 1)
    counts = [days.get(date.fromordinal(first.toordinal() + i).isoformat(), 0) for i in range(span + 1)]
    top = max(counts)
    points = " ".join(f"{2 + i * (width - 4) / span:.1f},{height - 2 - n * (height - 4) / top:.1f}"
                      for i, n in enumerate(counts))
    label = escape(f"{sum(counts)} articles from {first} to {last}")
    return (f'<svg class="sparkline" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'role="img" aria-label="{label}"><title>{label}</title>'
            f'<polyline fill="none" stroke="#2563eb" stroke-width="1.5" points="{points}"/></svg>')


def _instant(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def coverage(publications: list[dict], copies: dict[str, str], width: int = 760) -> str:
    """Publications per outlet over time: one row per outlet, one dot per article (hollow: a copy)."""
    dated = [(p, t) for p in publications if (t := _instant(p.get("published")))]
    if not dated:
        return '<p class="meta">No publication dates: no timeline to draw.</p>'
    outlets = sorted({p.get("outlet") or "unknown outlet" for p, _ in dated},
                     key=lambda o: min(t for p, t in dated if (p.get("outlet") or "unknown outlet") == o))
    start, end = min(t for _, t in dated), max(t for _, t in dated)
    span = max((end - start).total_seconds(), 3600.0)
    left, row, top = 190, 22, 24
    height = top + row * len(outlets) + 30
    parts = [f'<svg class="chart coverage" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
             f'role="img" aria-label="publications per outlet over time">']
    for n, outlet in enumerate(outlets):
        y = top + n * row + row / 2
        parts.append(f'<text x="{left - 8}" y="{y + 4:.0f}" text-anchor="end" class="label">'
                     f'{escape(outlet[:28])}</text>'
                     f'<line x1="{left}" x2="{width - 10}" y1="{y:.0f}" y2="{y:.0f}" class="grid"/>')
    for p, t in sorted(dated, key=lambda item: item[1]):
        x = left + (t - start).total_seconds() / span * (width - left - 20)
        y = top + outlets.index(p.get("outlet") or "unknown outlet") * row + row / 2
        copy = p["article_id"] in copies and p.get("outlet") != copies.get(p["article_id"])
        colour = _COLOURS[zlib.crc32(p["article_id"].encode()) % len(_COLOURS)]
        fill = "white" if copy else colour
        tip = escape(f"{p.get('outlet') or 'unknown outlet'}, {t:%Y-%m-%d %H:%M}")
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.0f}" r="5" fill="{fill}" stroke="{colour}" '
                     f'stroke-width="2"><title>{tip}</title></circle>')
    base = top + row * len(outlets) + 16
    parts.append(f'<text x="{left}" y="{base}" class="label">{start:%Y-%m-%d %H:%M}</text>'
                 f'<text x="{width - 10}" y="{base}" text-anchor="end" class="label">'
                 f"{end:%Y-%m-%d %H:%M}</text></svg>")
    return "".join(parts)


def bars(days: dict[str, int], width: int = 760, height: int = 120) -> str:
    """Counts per day as bars (mentions of an entity over time)."""
    if not days:
        return '<p class="meta">No dated mentions.</p>'
    first, last = date.fromisoformat(min(days)), date.fromisoformat(max(days))
    span = (last - first).days + 1
    top = max(days.values())
    step = (width - 20) / span
    parts = [f'<svg class="chart bars" width="{width}" height="{height + 20}" '
             f'viewBox="0 0 {width} {height + 20}" role="img" aria-label="mentions per day">']
    for day, n in days.items():
        i = (date.fromisoformat(day) - first).days
        h = n / top * (height - 10)
        parts.append(f'<rect x="{10 + i * step:.1f}" y="{height - h:.1f}" width="{max(step - 2, 1):.1f}" '
                     f'height="{h:.1f}" fill="#2563eb"><title>{escape(day)}: {n}</title></rect>')
    parts.append(f'<text x="10" y="{height + 15}" class="label">{first}</text>'
                 f'<text x="{width - 10}" y="{height + 15}" text-anchor="end" class="label">{last}</text>'
                 "</svg>")
    return "".join(parts)

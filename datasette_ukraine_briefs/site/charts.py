"""Small server-rendered SVG charts: readable without JavaScript, safe to embed.

Every label is escaped; the only input is dates and counts, drawn as dots on one row per
series (quotations and mentions of a person, or the outlets that ran a story).
"""

from __future__ import annotations

import datetime as dt
from html import escape

WIDTH, ROW, LEFT, RIGHT, TOP = 720, 34, 150, 24, 14


def dot_timeline(series: dict[str, list[tuple[str, int]]], title: str) -> str | None:
    """An SVG with a row per series and a dot per (ISO date, count), or None without dates."""
    points = {
        label: [(day, count) for day, count in ((_day(d), c) for d, c in dated) if day]
        for label, dated in series.items()
    }
    days = [day for dated in points.values() for day, _ in dated]
    if not days:
        return None
    first, last = min(days), max(days)
    span = max((last - first).days, 1)
    plot = WIDTH - LEFT - RIGHT
    height = TOP + ROW * len(points) + 30
    biggest = max(count for dated in points.values() for _, count in dated)

    def x(day: dt.date) -> float:
        return LEFT + plot * ((day - first).days / span if last != first else 0.5)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="briefs-chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for n, (label, dated) in enumerate(points.items()):
        y = TOP + ROW * n + ROW / 2
        parts.append(f'<text x="{LEFT - 10}" y="{y + 4:.1f}" text-anchor="end" font-size="12">{escape(label)}</text>')
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        for day, count in dated:
            radius = 3 + 7 * (count / biggest) ** 0.5
            parts.append(
                f'<circle cx="{x(day):.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="#2a6f97" fill-opacity="0.7">'
                f"<title>{escape(label)}: {count} on {day.isoformat()}</title></circle>"
            )
    axis = TOP + ROW * len(points) + 16
    parts.append(f'<text x="{LEFT}" y="{axis}" font-size="11">{first.isoformat()}</text>')
    if last != first:
        parts.append(f'<text x="{WIDTH - RIGHT}" y="{axis}" font-size="11" text-anchor="end">{last.isoformat()}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _day(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None

"""A counts-over-time line chart as inline SVG: no plotting library, no script, prints and e-mails well."""

from __future__ import annotations

from html import escape
from typing import Any

PALETTE = ["#e6550d", "#31a354", "#3182bd", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"]


def timeline_svg(tl: dict[str, Any], *, width: int = 720, height: int = 260) -> str:
    """Lines per series over the timeline's dates (a gap where a date has no count)."""
    dates, series = tl["dates"], tl["series"]
    if not dates or not series:
        return ""
    left, right, top, bottom = 40, 170, 12, 36
    w, h = width - left - right, height - top - bottom
    peak = max([v for s in series for v in s["values"] if v is not None] + [1])
    step = w / max(len(dates) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return left + (i * step if len(dates) > 1 else w / 2), top + h - v / peak * h

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="counts over time" '
             'font-family="sans-serif" font-size="11">']
    for k in range(5):
        v = peak * k / 4
        _, y = xy(0, v)
        parts.append(f'<line x1="{left}" x2="{left + w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e2e8f0"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#4a5568">{v:g}</text>')
    for i, d in enumerate(dates):
        x, _ = xy(i, 0)
        parts.append(f'<text x="{x:.1f}" y="{top + h + 16}" text-anchor="middle" fill="#4a5568">'
                     f'{escape(d[5:])}</text>')
    for n, s in enumerate(series):
        colour = PALETTE[n % len(PALETTE)]
        pts = [xy(i, v) for i, v in enumerate(s["values"]) if v is not None]
        if len(pts) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>' for x, y in pts]
        ly = top + 8 + n * 16
        parts.append(f'<rect x="{left + w + 12}" y="{ly - 8}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{left + w + 26}" y="{ly + 1}" fill="#1a202c">{escape(s["label"])}</text>')
    parts.append("</svg>")
    return "".join(parts)

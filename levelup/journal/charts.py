"""Server-made SVG charts for the journal. Only presentation attributes (no inline
styles), so they pass the strict Content-Security-Policy; colours come from
`fill` attributes and class names the stylesheet may override."""

from __future__ import annotations

from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# One colour per schedule category, in the schedule's order; readable on light
# and dark backgrounds.
PALETTE = ("#3b82f6", "#f59e0b", "#10b981", "#a855f7", "#ef4444", "#14b8a6")
WIDTH, HEIGHT = 680, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 14, 40


def category_colours(slugs: list[str]) -> dict[str, str]:
    return {slug: PALETTE[i % len(PALETTE)] for i, slug in enumerate(slugs)}


def _hours(minutes: int) -> str:
    return f"{minutes / 60:.1f}".rstrip("0").rstrip(".") + " h"


def weekly_chart_svg(data: dict[str, Any], *, chart_id: str = "journal-weekly-chart") -> SafeString:
    """A stacked bar per week (one segment per category) with the weekly target band behind."""
    bars = data["bars"]
    categories: list[tuple[str, str]] = data["categories"]
    low, high = data["min_minutes"], data["max_minutes"]
    colours = category_colours([slug for slug, _ in categories])
    top_value = max([high, *(bar.total for bar in bars)])
    top_value = max(60, int(top_value * 1.1))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def y(minutes: float) -> float:
        return TOP + plot_h - plot_h * minutes / top_value

    slot = plot_w / max(len(bars), 1)
    bar_w = slot * 0.62
    parts: list[str] = [
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart weekly-chart" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">Study hours per week, last {len(bars)} weeks</title>',
        f'<desc id="{chart_id}-desc">Stacked bars by category; the shaded band is the weekly '
        f"target of {escape(_hours(low))} to {escape(_hours(high))}. "
        "The table below gives the same figures.</desc>",
        f'<rect class="target-band" x="{LEFT}" y="{y(high):.1f}" width="{plot_w}" '
        f'height="{max(y(low) - y(high), 1):.1f}" fill="#22c55e" fill-opacity="0.15"/>',
    ]
    # Horizontal grid lines every few hours, labelled on the left.
    step_h = max(1, round(top_value / 60 / 5))
    hour = 0
    while hour * 60 <= top_value:
        gy = y(hour * 60)
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{gy:.1f}" y2="{gy:.1f}" '
            f'stroke="currentColor" stroke-opacity="0.15"/>'
            f'<text x="{LEFT - 6}" y="{gy + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="currentColor">{hour} h</text>'
        )
        hour += step_h
    for index, bar in enumerate(bars):
        x = LEFT + index * slot + (slot - bar_w) / 2
        base = 0
        label = escape(bar.label)
        for slug, title in categories:
            minutes = bar.minutes.get(slug, 0)
            if minutes <= 0:
                continue
            top = y(base + minutes)
            parts.append(
                f'<rect class="segment category-{escape(slug)}" x="{x:.1f}" y="{top:.1f}" '
                f'width="{bar_w:.1f}" height="{y(base) - top:.1f}" fill="{colours[slug]}">'
                f"<title>{label}: {escape(title)} {escape(_hours(minutes))}</title></rect>"
            )
            base += minutes
        other = bar.total - base
        if other > 0:
            top = y(base + other)
            parts.append(
                f'<rect class="segment category-other" x="{x:.1f}" y="{top:.1f}" '
                f'width="{bar_w:.1f}" '
                f'height="{y(base) - top:.1f}" fill="#9ca3af"><title>{label}: other '
                f"{escape(_hours(other))}</title></rect>"
            )
        week_number = label.split("-W")[-1]
        caption = f"W{week_number}" + (" ‖" if bar.paused else "")
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
            f'font-size="11" fill="currentColor">{escape(caption)}</text>'
        )
    # Legend along the bottom.
    lx = LEFT
    for slug, title in categories:
        parts.append(
            f'<rect x="{lx}" y="{HEIGHT - 14}" width="10" height="10" fill="{colours[slug]}"/>'
            f'<text x="{lx + 14}" y="{HEIGHT - 5}" font-size="11" '
            f'fill="currentColor">{escape(title)}</text>'
        )
        lx += 24 + 7 * len(title)
    parts.append(
        f'<rect x="{lx}" y="{HEIGHT - 14}" width="10" height="10" '
        'fill="#22c55e" fill-opacity="0.3"/>'
        f'<text x="{lx + 14}" y="{HEIGHT - 5}" font-size="11" fill="currentColor">target</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above

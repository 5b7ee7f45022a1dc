"""Server-made SVG for the dashboard: the one-year study heatmap.

The selector gives plain days (`selectors.Heatmap`); the layout (columns of weeks, pixel
positions, colour levels) is decided here.

Built with `format_html` only. No inline styles (the CSP forbids them): every cell has a
`fill=` attribute, which the CSP allows, so the picture reads the same with or without
the stylesheet. The text equivalent is a sentence the template prints under it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from levelup.lib.units import format_minutes

# From "no activity" to "a lot": a neutral grey, then a green ramp that reads in both
# light and dark themes.
LEVEL_FILLS = ("#8884", "#9be9a8", "#40c463", "#30a14e", "#216e39")
CELL = 11
PITCH = 13
LEFT = 28
TOP = 16
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def level(minutes: int) -> int:
    """Colour level of a day by minutes studied: none, under 30 min, 1 h, 2 h, more."""
    if minutes <= 0:
        return 0
    if minutes < 30:
        return 1
    if minutes < 60:
        return 2
    if minutes < 120:
        return 3
    return 4


def heatmap_svg(heatmap: Mapping[str, Any]) -> SafeString:
    """One square per day coloured by minutes studied, one column per week, months on top."""
    days = heatmap["days"]
    first = heatmap["first"]
    weeks = (len(days) - 1) // 7 + 1 if days else 0
    width = LEFT + weeks * PITCH + 4
    height = TOP + 7 * PITCH + 4
    parts: list[str] = []
    last_month = None
    last_x = -100
    for day in days:
        when = day["date"]
        offset = (when - first).days
        x = (offset // 7) * PITCH
        y = (offset % 7) * PITCH
        # Label a month at its first full week, and never closer than three weeks to the
        # previous label (the first column often holds the tail of a month).
        if y == 0 and when.month != last_month and x - last_x >= 3 * PITCH:
            last_month = when.month
            last_x = x
            parts.append(
                format_html(
                    '<text class="hm-month" x="{}" y="{}" font-size="10" fill="currentColor">'
                    "{}</text>",
                    LEFT + x,
                    TOP - 5,
                    MONTH_NAMES[when.month - 1],
                )
            )
        shade = level(day["minutes"])
        studied = format_minutes(day["minutes"]) if day["minutes"] else "no study"
        changes = day["changes"]
        noun = "change" if changes == 1 else "changes"
        parts.append(
            format_html(
                '<rect class="hm-cell hm-{}" x="{}" y="{}" width="{}" height="{}" rx="2" fill="{}">'
                "<title>{}: {}, {} {}</title></rect>",
                shade,
                LEFT + x,
                TOP + y,
                CELL,
                CELL,
                LEVEL_FILLS[shade],
                when.isoformat(),
                studied,
                changes,
                noun,
            )
        )
    if days:
        for row in (1, 3, 5):
            weekday = (first.weekday() + row) % 7
            parts.append(
                format_html(
                    '<text class="hm-day" x="0" y="{}" font-size="9" fill="currentColor">{}</text>',
                    TOP + row * PITCH + 9,
                    ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[weekday],
                )
            )
    body = mark_safe("".join(parts))  # noqa: S308 - every part was built by format_html
    return format_html(
        '<svg class="heatmap" role="img" aria-labelledby="heatmap-title" viewBox="0 0 {} {}" '
        'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        '<title id="heatmap-title">Study time in the last year</title>{}</svg>',
        width,
        height,
        body,
    )

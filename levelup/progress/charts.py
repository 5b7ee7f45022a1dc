"""Server-made SVG for the dashboard: the one-year activity heatmap.

Built with `format_html` only. No inline styles (the CSP forbids them): every cell has a
`fill=` attribute, which the CSP allows, so the picture reads the same with or without
the stylesheet. The text equivalent is a sentence the template prints under it.
"""

from __future__ import annotations

from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

# From "no activity" to "a lot": a neutral grey, then a green ramp that reads in both
# light and dark themes.
LEVEL_FILLS = ("#8884", "#9be9a8", "#40c463", "#30a14e", "#216e39")
CELL = 11
LEFT = 28
TOP = 16
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def heatmap_svg(heatmap: dict[str, Any]) -> SafeString:
    """One square per day, one column per week, with month labels on top."""
    cells = heatmap["cells"]
    width = LEFT + heatmap["width"] + 4
    height = TOP + heatmap["height"] + 4
    parts: list[str] = []
    last_month = None
    last_x = -100
    for cell in cells:
        day = cell["date"]
        # Label a month at its first full week, and never closer than three weeks to the
        # previous label (the first column often holds the tail of a month).
        if cell["y"] == 0 and day.month != last_month and cell["x"] - last_x >= 3 * 13:
            last_month = day.month
            last_x = cell["x"]
            parts.append(
                format_html(
                    '<text class="hm-month" x="{}" y="{}" font-size="10" fill="currentColor">'
                    "{}</text>",
                    LEFT + cell["x"],
                    TOP - 5,
                    MONTH_NAMES[day.month - 1],
                )
            )
        noun = "change" if cell["count"] == 1 else "changes"
        parts.append(
            format_html(
                '<rect class="hm-cell hm-{}" x="{}" y="{}" width="{}" height="{}" rx="2" fill="{}">'
                "<title>{}: {} {}</title></rect>",
                cell["level"],
                LEFT + cell["x"],
                TOP + cell["y"],
                CELL,
                CELL,
                LEVEL_FILLS[cell["level"]],
                day.isoformat(),
                cell["count"],
                noun,
            )
        )
    first = cells[0]["date"] if cells else None
    if first is not None:
        for row in (1, 3, 5):
            weekday = (first.weekday() + row) % 7
            parts.append(
                format_html(
                    '<text class="hm-day" x="0" y="{}" font-size="9" fill="currentColor">{}</text>',
                    TOP + row * 13 + 9,
                    ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[weekday],
                )
            )
    body = mark_safe("".join(parts))  # noqa: S308 - every part was built by format_html
    return format_html(
        '<svg class="heatmap" role="img" aria-labelledby="heatmap-title" viewBox="0 0 {} {}" '
        'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        '<title id="heatmap-title">Activity in the last year</title>{}</svg>',
        width,
        height,
        body,
    )

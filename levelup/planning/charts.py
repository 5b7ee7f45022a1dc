"""The plan's timeline as a server-made SVG, with a text equivalent in the template.

One row per item, grouped by phase (projects last, coloured by the phase their window
starts in). Each row shows the roadmap's nominal window as an outline, the planned window
as a solid bar in the phase colour, and what was actually done as a thin dark bar under
it. A vertical line marks today; checkpoints are marked at their planned dates.

Markup is built with `format_html` only (titles come from roadmap authors) and uses no
inline styles: colours come from the `phase-N` classes in app.css, with `fill=` and
`stroke=` attributes as the fallback the CSP allows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from levelup.roadmaps.timeline import axis_gridline, axis_label, phase_colour, svg_number

_FALLBACK_FILLS = ("#2563eb", "#0f766e", "#7c3aed", "#b45309", "#be123c")
WIDTH = 900
LABEL_WIDTH = 230
PAD_RIGHT = 12
AXIS_HEIGHT = 34
ROW_HEIGHT = 20
GROUP_HEIGHT = 24
BAR_HEIGHT = 10


def long_date(day: date | None) -> str:
    """3 March 2028."""
    return f"{day.day} {day:%B %Y}" if day is not None else "—"


def _month_starts(first: date, last: date) -> list[date]:
    months: list[date] = []
    day = date(first.year, first.month, 1)
    while day <= last:
        months.append(day)
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return months


def display_phase(item: Mapping[str, Any], phases: Sequence[Any]) -> int:
    """The colour number of an item: its phase's, or for a project the phase its window
    starts in (the document gives projects no phase)."""
    slugs = [p.slug for p in phases]
    if item.get("phase") in slugs:
        return phase_colour(slugs.index(item["phase"]))
    start = item.get("month_start", 1)
    for index, phase in enumerate(phases):
        if phase.month_start <= start <= phase.month_end:
            return phase_colour(index)
    return 1


def plan_timeline_svg(
    *,
    groups: Sequence[tuple[str, int, Sequence[Mapping[str, Any]]]],
    checkpoints: Sequence[Mapping[str, Any]],
    today: date,
    first: date,
    last: date,
    summary: str,
    exams: Sequence[Mapping[str, Any]] = (),
) -> SafeString:
    """Draw the plan. ``groups`` are (title, colour, items) with the API's item fields
    plus ``colour``; ``first``/``last`` bound the date axis."""
    last = max(last, first + timedelta(days=28))
    span_days = (last - first).days + 1
    span = WIDTH - LABEL_WIDTH - PAD_RIGHT

    def x(day: date) -> float:
        offset = min(max((day - first).days, 0), span_days)
        return LABEL_WIDTH + span * offset / span_days

    rows = sum(len(items) for _, _, items in groups)
    height = AXIS_HEIGHT + GROUP_HEIGHT * len(groups) + ROW_HEIGHT * rows + 10
    bottom = height - 4
    parts: list[str] = []

    months = _month_starts(first, last)
    step = 1 if len(months) <= 12 else 3 if len(months) <= 36 else 6
    for month in months:
        labelled = (month.month - 1) % step == 0
        parts.append(axis_gridline(x(month), labelled=labelled, top=AXIS_HEIGHT - 6, bottom=bottom))
        if labelled:
            label = f"{month:%b %Y}" if month.month == 1 or month == months[0] else f"{month:%b}"
            parts.append(axis_label(x(month), AXIS_HEIGHT - 12, label))

    y = AXIS_HEIGHT
    for title, colour, items in groups:
        parts.append(
            format_html(
                '<text class="tl-label plan-group phase-{}" x="4" y="{}">{}</text>',
                colour,
                y + GROUP_HEIGHT - 7,
                title,
            )
        )
        y += GROUP_HEIGHT
        for item in items:
            item_colour = item.get("colour", colour)
            fill = _FALLBACK_FILLS[item_colour - 1]
            label = str(item["title"])
            if len(label) > 32:
                label = label[:31] + "…"
            parts.append(
                format_html(
                    '<g class="plan-row phase-{}" data-item="{}"><title>{}</title>',
                    item_colour,
                    item["key"],
                    item["title"],
                )
            )
            parts.append(
                format_html(
                    '<text class="tl-tick plan-item-label" x="12" y="{}">{}</text>',
                    y + ROW_HEIGHT - 6,
                    label,
                )
            )
            bar_y = y + 3
            nx0, nx1 = x(item["nominal_start"]), x(item["nominal_finish"] + timedelta(days=1))
            parts.append(
                format_html(
                    '<rect class="plan-nominal" x="{}" y="{}" width="{}" height="{}" rx="2" '
                    'fill="none" stroke="{}" stroke-dasharray="4 3"/>',
                    svg_number(nx0),
                    bar_y,
                    svg_number(max(1.0, nx1 - nx0)),
                    BAR_HEIGHT,
                    fill,
                )
            )
            if item.get("planned_start") and item.get("planned_finish"):
                px0 = x(item["planned_start"])
                px1 = x(item["planned_finish"] + timedelta(days=1))
                parts.append(
                    format_html(
                        '<rect class="tl-bar plan-planned" x="{}" y="{}" width="{}" height="{}" '
                        'rx="2" fill="{}"/>',
                        svg_number(px0),
                        bar_y + 2,
                        svg_number(max(1.0, px1 - px0)),
                        BAR_HEIGHT - 4,
                        fill,
                    )
                )
            if item.get("actual_start"):
                end = item.get("actual_finish") or today
                ax0, ax1 = x(item["actual_start"]), x(end + timedelta(days=1))
                parts.append(
                    format_html(
                        '<rect class="plan-actual" x="{}" y="{}" width="{}" height="3" '
                        'fill="#111827"/>',
                        svg_number(ax0),
                        bar_y + BAR_HEIGHT + 1,
                        svg_number(max(1.0, ax1 - ax0)),
                    )
                )
            parts.append(mark_safe("</g>"))
            y += ROW_HEIGHT

    for checkpoint in checkpoints:
        day = checkpoint.get("date")
        if day is None or not first <= day <= last:
            continue
        cx = x(day)
        parts.append(
            format_html(
                '<g class="plan-checkpoint"><title>{}: {}</title>'
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#6b7280" stroke-dasharray="2 2"/>'
                '<path d="M{} {} l5 6 l-5 6 l-5 -6 z" fill="#6b7280"/></g>',
                checkpoint["title"],
                long_date(day),
                svg_number(cx),
                svg_number(cx),
                AXIS_HEIGHT,
                bottom,
                svg_number(cx),
                AXIS_HEIGHT - 4,
            )
        )

    for exam in exams:
        day = exam["date"]
        if not first <= day <= last:
            continue
        ex = x(day)
        parts.append(
            format_html(
                '<g class="plan-exam"><title>Exam: {}: {}</title>'
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#7c3aed" stroke-dasharray="6 3"/>'
                '<rect x="{}" y="{}" width="10" height="10" fill="#7c3aed"/></g>',
                exam["title"],
                long_date(day),
                svg_number(ex),
                svg_number(ex),
                AXIS_HEIGHT,
                bottom,
                svg_number(ex - 5),
                AXIS_HEIGHT - 4,
            )
        )

    if first <= today <= last:
        tx = x(today)
        parts.append(
            format_html(
                '<g class="tl-today"><line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#dc2626"/>'
                '<text x="{}" y="{}" text-anchor="{}">today</text></g>',
                svg_number(tx),
                svg_number(tx),
                AXIS_HEIGHT - 4,
                bottom,
                svg_number(tx + (-4 if tx > WIDTH / 2 else 4)),
                bottom - 4,
                "end" if tx > WIDTH / 2 else "start",
            )
        )

    return format_html(
        '<svg class="timeline plan-timeline" id="plan-timeline" role="img" viewBox="0 0 {} {}" '
        'aria-labelledby="plan-timeline-title plan-timeline-desc" '
        'preserveAspectRatio="xMinYMin meet">'
        '<title id="plan-timeline-title">Your plan, item by item</title>'
        '<desc id="plan-timeline-desc">{}</desc>{}</svg>',
        WIDTH,
        height,
        summary,
        # Every part was built with format_html above, so joining them stays safe.
        mark_safe("".join(parts)),  # noqa: S308
    )

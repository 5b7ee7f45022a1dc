"""Server-made SVG pictures of phases on a month axis.

One function draws the timeline used by the roadmap page, the dashboard and the
plan: one row per phase, a bar over its month window in the phase's colour, so
overlapping phases show as bars that share columns. Every picture comes with a
text equivalent (`rows`) that templates render as a table for screen readers
and for anyone who prefers numbers.

The markup is built with `format_html`/`escape` only; titles come from roadmap
authors and are never trusted. No inline styles (the CSP forbids them): colours
come from the `phase-N` classes in app.css, with `fill=` attributes as a
fallback when the stylesheet is missing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

PHASE_COLOURS = 5
# Light-theme fallbacks for when app.css does not load; app.css overrides them per theme.
_FALLBACK_FILLS = ("#2563eb", "#0f766e", "#7c3aed", "#b45309", "#be123c")

# Geometry in SVG user units; the picture scales to its container's width.
WIDTH = 800
PAD_LEFT = 12
PAD_RIGHT = 12
AXIS_HEIGHT = 30
ROW_HEIGHT = 44
LABEL_OFFSET = 15
BAR_HEIGHT = 18


class PhaseLike(Protocol):
    """Anything with a slug, a title and an inclusive month window (1-based)."""

    @property
    def slug(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def month_start(self) -> int: ...

    @property
    def month_end(self) -> int: ...


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """The text equivalent of one bar."""

    slug: str
    title: str
    month_start: int
    month_end: int
    colour: int  # 1..PHASE_COLOURS, the `phase-N` class
    percent: float | None

    @property
    def months(self) -> str:
        if self.month_start == self.month_end:
            return f"Month {self.month_start}"
        return f"Months {self.month_start}–{self.month_end}"


@dataclass(frozen=True, slots=True)
class Timeline:
    """An SVG picture and its text equivalent."""

    svg: SafeString
    rows: tuple[TimelineRow, ...]
    duration_months: int
    today_month: float | None
    summary: str


def phase_colour(index: int) -> int:
    """The colour number (1..5) of the phase at a 0-based position; repeats after five."""
    return index % PHASE_COLOURS + 1


def tick_step(duration_months: int) -> int:
    """Months between labelled ticks, so labels never crowd."""
    if duration_months <= 12:
        return 1
    if duration_months <= 36:
        return 3
    if duration_months <= 72:
        return 6
    return 12


def svg_number(value: float) -> str:
    """A coordinate for SVG markup: short and stable, so the markup stays small."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def axis_gridline(x: float, *, labelled: bool, top: float, bottom: float) -> SafeString:
    """A vertical grid line of a time axis; labelled ones are drawn stronger."""
    return format_html(
        '<line class="{}" x1="{}" x2="{}" y1="{}" y2="{}"/>',
        "tl-grid tl-grid-major" if labelled else "tl-grid",
        svg_number(x),
        svg_number(x),
        svg_number(top),
        svg_number(bottom),
    )


def axis_label(x: float, y: float, text: object, *, anchor: str = "middle") -> SafeString:
    """A tick label above a time axis."""
    return format_html(
        '<text class="tl-tick" x="{}" y="{}" text-anchor="{}">{}</text>',
        svg_number(x),
        svg_number(y),
        anchor,
        text,
    )


def month_axis_svg(
    phases: Sequence[PhaseLike],
    duration_months: int,
    *,
    today_month: float | None = None,
    progress: Mapping[str, float] | None = None,
    title: str = "Phases on a month axis",
    element_id: str = "timeline",
) -> Timeline:
    """Draw phases as bars on a month axis.

    `today_month` is the months elapsed since the start (0 = the first day,
    3.5 = halfway through month 4); a vertical line marks it. `progress` maps a
    phase slug to a percentage done (0–100); the done part of the bar is drawn
    solid and the rest pale. Windows are 1-based and inclusive, so month 1–6
    covers the first six months of the axis.
    """
    duration = (
        max(1, duration_months, *(p.month_end for p in phases))
        if phases
        else max(1, duration_months)
    )
    span = WIDTH - PAD_LEFT - PAD_RIGHT

    def x(month: float) -> float:
        return PAD_LEFT + span * max(0.0, min(month, duration)) / duration

    height = AXIS_HEIGHT + ROW_HEIGHT * len(phases) + 8
    chart_bottom = height - 4
    parts: list[str] = []

    # Grid: a faint line at every month boundary, a label at every step.
    step = tick_step(duration)
    for month in range(duration + 1):
        labelled = month % step == 0
        parts.append(
            axis_gridline(x(month), labelled=labelled, top=AXIS_HEIGHT - 6, bottom=chart_bottom)
        )
        if labelled:
            anchor = "start" if month == 0 else "end" if month == duration else "middle"
            parts.append(axis_label(x(month), AXIS_HEIGHT - 12, month, anchor=anchor))

    rows: list[TimelineRow] = []
    for index, phase in enumerate(phases):
        colour = phase_colour(index)
        percent: float | None = None
        if progress is not None and phase.slug in progress:
            percent = max(0.0, min(100.0, float(progress[phase.slug])))
        row = TimelineRow(
            slug=phase.slug,
            title=phase.title,
            month_start=phase.month_start,
            month_end=phase.month_end,
            colour=colour,
            percent=percent,
        )
        rows.append(row)

        top = AXIS_HEIGHT + ROW_HEIGHT * index
        bar_y = top + LABEL_OFFSET + 6
        x0, x1 = x(phase.month_start - 1), x(phase.month_end)
        label = f"{phase.title} · {row.months}"
        if percent is not None:
            label += f" · {svg_number(percent)}%"
        # Anchor the label where it has room: at the bar's start, or its end
        # when the bar sits in the right half of the axis.
        right_half = x0 > PAD_LEFT + span / 2
        parts.append(
            format_html(
                '<g class="tl-row phase-{}" data-phase="{}">',
                colour,
                phase.slug,
            )
        )
        parts.append(
            format_html(
                '<text class="tl-label" x="{}" y="{}" text-anchor="{}">{}</text>',
                svg_number(x1 if right_half else x0),
                top + LABEL_OFFSET,
                "end" if right_half else "start",
                label,
            )
        )
        fill = _FALLBACK_FILLS[colour - 1]
        # With a progress mapping every bar is pale with its done part solid;
        # a phase missing from the mapping shows no solid part.
        if progress is None:
            parts.append(
                format_html(
                    '<rect class="tl-bar" x="{}" y="{}" width="{}" height="{}" rx="3" fill="{}"/>',
                    svg_number(x0),
                    bar_y,
                    svg_number(x1 - x0),
                    BAR_HEIGHT,
                    fill,
                )
            )
        else:
            parts.append(
                format_html(
                    '<rect class="tl-bar tl-bar-pale" x="{}" y="{}" width="{}" height="{}" rx="3" '
                    'fill="{}" fill-opacity="0.3"/>',
                    svg_number(x0),
                    bar_y,
                    svg_number(x1 - x0),
                    BAR_HEIGHT,
                    fill,
                )
            )
            if percent:
                parts.append(
                    format_html(
                        '<rect class="tl-bar" x="{}" y="{}" width="{}" height="{}" rx="3" '
                        'fill="{}"/>',
                        svg_number(x0),
                        bar_y,
                        svg_number((x1 - x0) * percent / 100),
                        BAR_HEIGHT,
                        fill,
                    )
                )
        parts.append(mark_safe("</g>"))

    if today_month is not None:
        tx = x(today_month)
        parts.append(
            format_html(
                '<g class="tl-today"><line x1="{}" x2="{}" y1="{}" y2="{}"/>'
                '<text x="{}" y="{}" text-anchor="{}">today</text></g>',
                svg_number(tx),
                svg_number(tx),
                AXIS_HEIGHT - 4,
                chart_bottom,
                svg_number(tx + (-4 if tx > WIDTH / 2 else 4)),
                chart_bottom - 4,
                "end" if tx > WIDTH / 2 else "start",
            )
        )

    summary = _summary(rows, duration, today_month)
    title_id, desc_id = f"{element_id}-title", f"{element_id}-desc"
    svg = format_html(
        '<svg class="timeline" id="{}" role="img" viewBox="0 0 {} {}" '
        'aria-labelledby="{} {}" preserveAspectRatio="xMinYMin meet">'
        '<title id="{}">{}</title><desc id="{}">{}</desc>{}</svg>',
        element_id,
        WIDTH,
        height,
        title_id,
        desc_id,
        title_id,
        title,
        desc_id,
        summary,
        # Every part was built with format_html above, so joining them stays safe.
        mark_safe("".join(parts)),  # noqa: S308
    )
    return Timeline(
        svg=svg,
        rows=tuple(rows),
        duration_months=duration,
        today_month=today_month,
        summary=summary,
    )


def _summary(rows: Sequence[TimelineRow], duration: int, today_month: float | None) -> str:
    """One sentence a screen reader reads for the picture."""
    if not rows:
        return f"A {duration}-month axis with no phases."
    bits = []
    for row in rows:
        text = f"{row.title}, {row.months.lower()}"
        if row.percent is not None:
            text += f", {svg_number(row.percent)}% done"
        bits.append(text)
    sentence = f"{len(rows)} phases over {duration} months: " + "; ".join(bits) + "."
    if today_month is not None:
        sentence += f" Today is in month {min(duration, int(today_month) + 1)}."
    return sentence


def plain_text(timeline: Timeline) -> str:
    """The text equivalent as plain lines, for logs and the CLI."""
    return "\n".join(
        f"{row.months:<12} {row.title}"
        + ("" if row.percent is None else f" ({svg_number(row.percent)}%)")
        for row in timeline.rows
    )


__all__ = [
    "PHASE_COLOURS",
    "PhaseLike",
    "Timeline",
    "TimelineRow",
    "month_axis_svg",
    "phase_colour",
    "plain_text",
    "tick_step",
]

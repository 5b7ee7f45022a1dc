"""How learner commands print: Rich tables for people, plain JSON for scripts.

Renderers accept the API's JSON and tolerate missing or extra fields, so a
newer server never breaks an older CLI's output.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

from levelup.cli.durations import format_minutes

if TYPE_CHECKING:
    from rich.console import Console

# One colour per phase, in the order of the roadmap, as in the web UI.
PHASE_COLOURS = ("cyan", "green", "yellow", "magenta", "blue", "red")
STATUS_STYLES = {"under": "yellow", "within": "green", "over": "magenta"}


def console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n")


def error_line(message: str) -> None:
    """The one line a failure prints, never wrapped, never coloured."""
    sys.stderr.write(f"error: {' '.join(message.split())}\n")
    sys.stderr.flush()


def _pick(data: Any, *keys: str, default: Any = None) -> Any:
    if not isinstance(data, dict):
        return default
    for key in keys:
        if data.get(key) not in (None, ""):
            return data[key]
    return default


def _percent(value: Any) -> float:
    if isinstance(value, dict):
        value = _pick(value, "percent", "value", default=0)
    try:
        return max(0.0, min(100.0, float(value)))
    except (TypeError, ValueError):
        return 0.0


def schedule_text(status: Any) -> str:
    """`on_track` / {"status": "behind", "weeks": 3} → a phrase."""
    if isinstance(status, dict):
        label = _pick(status, "label", "text", "message")
        if label:
            return str(label)
        kind = str(_pick(status, "status", "state", default="unknown"))
        weeks = _pick(status, "weeks", "weeks_behind", "weeks_ahead")
        if weeks not in (None, 0) and kind in ("behind", "ahead"):
            weeks = abs(int(weeks)) if isinstance(weeks, int | float) else weeks
            return f"{weeks} week{'s' if weeks != 1 else ''} {kind}"
        return kind.replace("_", " ")
    if status in (None, ""):
        return "unknown"
    return str(status).replace("_", " ")


def journey_text(data: dict[str, Any]) -> str:
    if data.get("journey_label"):
        return str(data["journey_label"])
    month = data.get("journey_month")
    if isinstance(month, dict):
        label = _pick(month, "label", "text")
        if label:
            return str(label)
        current = _pick(month, "month", "current")
        total = _pick(month, "of", "total", "duration_months")
        return f"month {current} of {total}" if total else f"month {current}"
    total = _pick(data, "duration_months", "journey_months", "total_months")
    if month is None:
        return "not started"
    return f"month {month} of {total}" if total else f"month {month}"


def render_status(data: dict[str, Any], *, who: str = "") -> None:
    from rich.progress_bar import ProgressBar
    from rich.table import Table

    out = console()
    roadmap = _pick(data, "roadmap_title", "roadmap")
    if isinstance(roadmap, dict):
        roadmap = _pick(roadmap, "title", "slug")
    headline = f"[bold]{journey_text(data).capitalize()}[/bold]"
    if roadmap:
        headline += f" in {roadmap}"
    verdict = data.get("verdict") if isinstance(data.get("verdict"), dict) else None
    headline += f" · {schedule_text(verdict or data.get('schedule_status'))}"
    if who:
        headline = f"{who}: " + headline
    out.print(headline)
    reason = _pick(verdict, "reason")
    if reason:
        out.print(str(reason))

    overall = _percent(data.get("overall"))
    counts = data.get("counts") if isinstance(data.get("counts"), dict) else {}
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1))
    table.add_column("phase")
    table.add_column("bar")
    table.add_column("percent", justify="right")
    for index, phase in enumerate(data.get("phases") or []):
        colour = PHASE_COLOURS[index % len(PHASE_COLOURS)]
        title = _pick(phase, "title", "slug", default=f"Phase {index + 1}")
        pct = _percent(phase)
        bar = ProgressBar(
            total=100, completed=pct, width=30, complete_style=colour, finished_style=colour
        )
        table.add_row(f"[{colour}]{title}[/{colour}]", bar, f"{pct:.0f}%")
    table.add_row(
        "[bold]Overall[/bold]",
        ProgressBar(total=100, completed=overall, width=30),
        f"[bold]{overall:.0f}%[/bold]",
    )
    out.print(table)
    if counts:
        parts = [f"{counts.get('done', 0)} done", f"{counts.get('in_progress', 0)} in progress"]
        if counts.get("skipped"):
            parts.append(f"{counts['skipped']} skipped")
        if counts.get("known"):
            parts.append(f"{counts['known']} known")
        out.print(", ".join(parts) + f" of {counts.get('total', '?')} items")
    checkpoint = data.get("next_checkpoint")
    if isinstance(checkpoint, dict) and checkpoint:
        title = _pick(checkpoint, "title", "key", "slug", default="checkpoint")
        when = []
        if _pick(checkpoint, "month") is not None:
            when.append(f"month {checkpoint['month']}")
        away = _pick(checkpoint, "months_away")
        if isinstance(away, int) and away > 0:
            when.append(f"in {away} month{'s' if away != 1 else ''}")
        if _pick(checkpoint, "date", "planned_date", "due_date"):
            when.append(str(_pick(checkpoint, "date", "planned_date", "due_date")))
        line = f"Next checkpoint: [bold]{title}[/bold]"
        if when:
            line += f" ({', '.join(when)})"
        ready = _pick(checkpoint, "readiness", "percent", "ready_percent")
        criteria = checkpoint.get("criteria")
        if isinstance(checkpoint.get("ready"), int) and isinstance(criteria, list):
            line += f" · {checkpoint['ready']} of {len(criteria)} criteria ready"
        elif ready is not None:
            line += f" · {_percent(ready):.0f}% ready"
        out.print(line)
    else:
        out.print("Next checkpoint: none ahead")


def render_week(data: dict[str, Any]) -> None:
    from rich.table import Table

    out = console()
    week = _pick(data, "week", "iso_week", default="")
    # `week_start` is the learner's first weekday (a number); the dates are start/end.
    start = _pick(data, "start", default="")
    end = _pick(data, "end", default="")
    title = f"Week {week}" if week else "This week"
    if start:
        title += f" ({start}{' – ' + str(end) if end else ''})"
    table = Table(title=title, title_justify="left")
    table.add_column("Category")
    table.add_column("Logged", justify="right")
    table.add_column("Target", justify="right")
    table.add_column("Status")
    for category in data.get("categories") or []:
        status = str(_pick(category, "status", default=""))
        style = STATUS_STYLES.get(status, "")
        table.add_row(
            str(_pick(category, "title", "slug", default="?")),
            format_minutes(_pick(category, "minutes", default=0)),
            _target(_pick(category, "min_minutes"), _pick(category, "max_minutes")),
            f"[{style}]{status}[/{style}]" if style else status,
        )
    total_status = str(_pick(data, "total_status", "status", default=""))
    style = STATUS_STYLES.get(total_status, "")
    table.add_row(
        "[bold]Total[/bold]",
        f"[bold]{format_minutes(_pick(data, 'total_minutes', default=0))}[/bold]",
        _target(
            _pick(data, "min_minutes", "total_min_minutes"),
            _pick(data, "max_minutes", "total_max_minutes"),
        ),
        f"[{style}]{total_status}[/{style}]" if style else total_status,
        end_section=True,
    )
    out.print(table)
    practice = data.get("practice")
    if isinstance(practice, dict):
        count = _pick(practice, "count", "solved", "total", default=0)
        low = _pick(practice, "min", "target_min", "min_count")
        high = _pick(practice, "max", "target_max", "max_count")
        target = f" of {low}–{high}" if low is not None and high is not None else ""
        out.print(f"Practice problems: {count}{target}")
    worked = [i for i in data.get("items") or [] if isinstance(i, dict)]
    if worked:
        shown = ", ".join(
            f"{i.get('key')} {format_minutes(_pick(i, 'minutes', default=0))}" for i in worked[:5]
        )
        more = f" and {len(worked) - 5} more" if len(worked) > 5 else ""
        out.print(f"Worked on: {shown}{more}")
    streaks = data.get("streaks")
    if isinstance(streaks, dict) and "daily_current" in streaks:
        out.print(
            f"Streaks: {streaks['daily_current']} day(s) in a row (longest "
            f"{streaks.get('daily_longest', '?')}), {streaks.get('weekly_current', '?')} week(s) "
            f"meeting the minimum (longest {streaks.get('weekly_longest', '?')})"
        )


def _target(low: Any, high: Any) -> str:
    if low is None and high is None:
        return ""
    if low is not None and high is not None:
        return f"{_hours(low)}–{_hours(high)} h"
    return f"{_hours(low if low is not None else high)} h"


def _hours(minutes: Any) -> str:
    try:
        value = float(minutes) / 60
    except (TypeError, ValueError):
        return "?"
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


def render_next(data: dict[str, Any]) -> None:
    from rich.table import Table

    out = console()
    items = data.get("items") or []
    start = _pick(data, "week_start", default="")
    if not items:
        out.print(
            f"Nothing planned for the week of {start}." if start else "Nothing planned this week."
        )
        return
    table = Table(
        title=f"Plan for the week of {start}" if start else "This week's plan", title_justify="left"
    )
    table.add_column("Item")
    table.add_column("Title")
    table.add_column("Hours", justify="right")
    for item in items:
        hours = _pick(item, "hours", default=0)
        try:
            shown = f"{float(hours):.1f}"
        except (TypeError, ValueError):
            shown = str(hours)
        table.add_row(
            str(_pick(item, "key", default="")), str(_pick(item, "title", default="")), shown
        )
    total = _pick(data, "total_hours")
    if total is not None:
        table.add_row(
            "", "[bold]Total[/bold]", f"[bold]{float(total):.1f}[/bold]", end_section=True
        )
    out.print(table)
    capacity = _pick(data, "capacity_hours")
    if capacity is not None and total is not None:
        out.print(
            f"{float(total):.1f} h planned of the {float(capacity):.1f} h you have for items."
        )


def render_enrollments(rows: list[dict[str, Any]], chosen: int | None) -> None:
    from rich.table import Table

    out = console()
    if not rows:
        out.print("You are not enrolled in any roadmap yet.")
        return
    table = Table()
    table.add_column("", width=1)
    table.add_column("ID", justify="right")
    table.add_column("Roadmap")
    table.add_column("Status")
    table.add_column("Started")
    table.add_column("Hours/week", justify="right")
    for row in rows:
        table.add_row(
            "*" if row.get("id") == chosen else "",
            str(row.get("id")),
            str(_roadmap_slug(row)),
            str(row.get("status", "")),
            str(row.get("start_date", "")),
            str(row.get("weekly_hours", "")),
        )
    out.print(table)


def _roadmap_slug(row: dict[str, Any]) -> str:
    roadmap = row.get("roadmap")
    if isinstance(roadmap, dict):
        return str(_pick(roadmap, "slug", "title", default="?"))
    return str(roadmap or "?")

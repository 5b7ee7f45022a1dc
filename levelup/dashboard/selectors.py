"""Everything the dashboard shows, composed from progress, the journal and the plan.

`dashboard_for` runs a fixed number of queries whatever the size of the roadmap or the
history (seven: item rows, pauses, evidence counts, recent events, changes per day, study
minutes per day and category, hours per item for the plan), and hands the rows and pauses
it read to the plan so nothing is read twice. The verdict is the plan's
(`planning.selectors.verdict_of`), so the dashboard, the plan page, the API and the CLI
show one answer.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any, TypedDict

from levelup.journal.selectors import DayCategory, study_by_day
from levelup.lib.units import format_minutes
from levelup.planning.adapter import pause_rows, progress_rows
from levelup.planning.selectors import PlanContext, finish_data, plan_context, verdict_data
from levelup.progress import figures
from levelup.progress.figures import State
from levelup.progress.models import Enrollment, EventKind, ProgressEvent
from levelup.progress.selectors import (
    HEATMAP_DAYS,
    changes_per_day,
    document_of,
    evidence_counts,
    recent_events,
)
from levelup.roadmaps.schema import RoadmapDocument

RECENT_LINES = 10
# Events read to make the recent-activity lines: enough that a self-assessment's burst of
# ratings collapses into one line even when it is followed by a few other changes.
RECENT_EVENTS_READ = 200


class HeatmapDay(TypedDict):
    date: date
    minutes: int
    changes: int


class Heatmap(TypedDict):
    first: date
    last: date
    week_start: int
    days: list[HeatmapDay]
    active_days: int
    minutes: int
    changes: int


@dataclass(frozen=True, slots=True)
class Activity:
    """One line of recent activity: a change, a burst of ratings, or a day's study."""

    kind: str  # status, rating, ratings, notes, evidence, enrollment, study
    at: datetime | date
    text: str
    item_key: str = ""
    item_title: str = ""
    count: int = 1
    minutes: int = 0


def heatmap_for(
    *,
    today: date,
    week_start: int,
    study: list[DayCategory],
    changes: dict[date, int],
) -> Heatmap:
    """Minutes studied per local day for the last 53 weeks, with changes beside them."""
    first = heatmap_first(today, week_start)
    minutes: dict[date, int] = defaultdict(int)
    for row in study:
        minutes[row.date] += row.minutes
    days: list[HeatmapDay] = []
    day = first
    while day <= today:
        days.append({"date": day, "minutes": minutes.get(day, 0), "changes": changes.get(day, 0)})
        day += timedelta(days=1)
    return {
        "first": first,
        "last": today,
        "week_start": week_start,
        "days": days,
        "active_days": sum(1 for d in days if d["minutes"] > 0),
        "minutes": sum(d["minutes"] for d in days),
        "changes": sum(d["changes"] for d in days),
    }


def heatmap_first(today: date, week_start: int) -> date:
    """The heatmap's first day: 53 weeks back, on the learner's week start."""
    first = today - timedelta(days=HEATMAP_DAYS - 1)
    return first - timedelta(days=(first.weekday() - week_start) % 7)


def _event_text(event: ProgressEvent) -> str:
    if event.kind == EventKind.STATUS:
        return f"{figures.status_word(event.from_value)} → {figures.status_word(event.to_value)}"
    if event.kind == EventKind.RATING:
        return f"rated {event.to_value or '—'}"
    if event.kind == EventKind.NOTES:
        return "notes edited"
    if event.kind == EventKind.EVIDENCE:
        return f"evidence “{event.to_value}”"
    return event.to_value


def recent_activity(
    events: list[ProgressEvent],
    study: list[DayCategory],
    document: RoadmapDocument,
    zone: tzinfo,
    limit: int = RECENT_LINES,
) -> list[Activity]:
    """The newest lines of activity: study days and changes, ratings bursts collapsed.

    Ratings made at one instant become one line, "rated 20 topics in the self-assessment":
    only the self-assessment saves several ratings at once (one transaction, one time). A day's study sessions are
    one line with their total and categories.
    """
    lines: list[Activity] = []
    index = 0
    while index < len(events):
        event = events[index]
        if event.kind == EventKind.RATING:
            burst = [event]
            while (
                index + len(burst) < len(events)
                and events[index + len(burst)].kind == EventKind.RATING
                and events[index + len(burst)].created_at == event.created_at
            ):
                burst.append(events[index + len(burst)])
            if len(burst) > 1:
                lines.append(
                    Activity(
                        kind="ratings",
                        at=event.created_at,
                        text=f"rated {len(burst)} topics in the self-assessment",
                        count=len(burst),
                    )
                )
                index += len(burst)
                continue
        item = document.items.get(event.item_key)
        lines.append(
            Activity(
                kind=event.kind,
                at=event.created_at,
                text=_event_text(event),
                item_key=event.item_key,
                item_title=item.title if item else "",
            )
        )
        index += 1

    # Only the newest `limit` study days can make the cut.
    by_day: dict[date, list[DayCategory]] = defaultdict(list)
    for row in sorted(study, key=lambda r: r.date, reverse=True):
        if row.date not in by_day and len(by_day) == limit:
            break
        by_day[row.date].append(row)
    for day, rows in by_day.items():
        total = sum(r.minutes for r in rows)
        parts = ", ".join(
            f"{r.category} {format_minutes(r.minutes)}"
            for r in sorted(rows, key=lambda r: -r.minutes)
        )
        sessions = sum(r.sessions for r in rows)
        lines.append(
            Activity(
                kind="study",
                at=day,
                text=f"studied {format_minutes(total)} ({parts})",
                count=sessions,
                minutes=total,
            )
        )

    def moment(line: Activity) -> datetime:
        if isinstance(line.at, datetime):
            return line.at
        return datetime.combine(line.at, time.max, tzinfo=zone)

    lines.sort(key=moment, reverse=True)
    return lines[:limit]


def dashboard_context(enrollment: Enrollment, today: date | None = None) -> Dashboard:
    """The dashboard's data and the plan context behind its verdict."""
    user = enrollment.user
    today = today or user.local_today()
    document = document_of(enrollment)
    rows = progress_rows(enrollment)
    states = {key: State(status=status, rating=rating) for key, status, rating, *_ in rows}
    pauses = pause_rows(enrollment)
    first = heatmap_first(today, user.week_start)
    study = study_by_day(enrollment=enrollment, since=first)
    daily: dict[date, int] = defaultdict(int)
    for row in study:
        daily[row.date] += row.minutes
    context = plan_context(enrollment, today, rows=rows, pauses_read=pauses, daily_minutes=daily)
    events = recent_events(enrollment, RECENT_EVENTS_READ)
    heatmap = heatmap_for(
        today=today,
        week_start=user.week_start,
        study=study,
        changes=changes_per_day(enrollment=enrollment, user=user, since=first),
    )
    month = figures.journey_month(enrollment.start_date, today)
    prog = figures.progress(document, states)
    overall = dict(prog["overall"])  # type: ignore[call-overload]
    overall["expected_percent"] = figures.expected_percent(
        document,
        start=enrollment.start_date,
        target=context.target,
        today=today,
    )
    verdict = verdict_data(context)
    _, finish = context.verdict
    data: dict[str, Any] = {
        "enrollment_id": enrollment.pk,
        "roadmap": {"slug": enrollment.roadmap.slug, "title": document.title},
        # Paused when a pause covers today, whatever the stored status says.
        "status": enrollment.status_on(today, pauses),
        "today": today,
        "start_date": enrollment.start_date,
        "journey_month": month,
        "duration_months": document.duration_months,
        "journey_label": (
            f"month {month} of {document.duration_months}"
            if month
            else "starts " + enrollment.start_date.isoformat()
        ),
        "weekly_hours": float(enrollment.weekly_hours),
        "weekly_range": [document.weekly_schedule.min_hours, document.weekly_schedule.max_hours],
        "verdict": verdict,
        "finish": finish_data(finish),
        "overall": overall,
        "counts": overall["counts"],
        "phases": prog["phases"],
        "projects": prog["projects"],
        "subtopics": prog["subtopics"],
        "next_checkpoint": figures.checkpoint_readiness(
            document, states, month, evidence_counts(enrollment)
        ),
        "next_items": figures.next_items(document, states),
        "recent_activity": recent_activity(events, study, document, user.zone),
        "heatmap": heatmap,
        "open_pause": next(((s, e) for s, e in pauses if e is None or e >= today), None),
    }
    return Dashboard(data=data, plan=context)


@dataclass(frozen=True)
class Dashboard:
    """The dashboard as plain data (the API's shape) and the plan context it came from."""

    data: dict[str, Any]
    plan: PlanContext


def dashboard_for(enrollment: Enrollment, today: date | None = None) -> dict[str, Any]:
    """Everything the dashboard shows, as plain data, in a fixed number of queries."""
    return dashboard_context(enrollment, today).data

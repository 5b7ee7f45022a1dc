"""Reads for the study journal: enrollment lookup, lists, weekly review, streaks, chart data.

Everything is computed on local dates (see `levelup.journal.models`), so a week's
total is a plain sum over its seven dates whatever the UTC offsets were.
Query counts are fixed: none of these loops over rows to query again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from levelup.journal import validation as v
from levelup.journal.csvio import sessions_csv_lines
from levelup.journal.models import JournalEntry, PracticeProblem, StudySession
from levelup.journal.streaks import Streaks, compute_streaks
from levelup.journal.weeks import Week, week_of, week_parse
from levelup.lib.errors import NotFound
from levelup.progress.models import Enrollment, EnrollmentStatus, Pause
from levelup.roadmaps.schema import RoadmapDocument

CHART_WEEKS = 12


def user_enrollments(*, user: Any) -> QuerySet[Enrollment]:
    return (
        Enrollment.objects.select_related("roadmap")
        .filter(user_id=user.pk)
        .exclude(status=EnrollmentStatus.ARCHIVED)
        .order_by("-created_at", "-id")
    )


def session_get(*, enrollment: Enrollment, session_id: int) -> StudySession:
    session = StudySession.objects.filter(enrollment=enrollment, pk=session_id).first()
    if session is None:
        raise NotFound(f"no session {session_id}")
    session.enrollment = enrollment
    return session


def session_list(
    *, enrollment: Enrollment, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> QuerySet[StudySession]:
    """Sessions newest first, each with its practice problem (if any) joined in."""
    sessions = StudySession.objects.filter(enrollment=enrollment).select_related("practice_problem")
    if date_from is not None:
        sessions = sessions.filter(date__gte=date_from)
    if date_to is not None:
        sessions = sessions.filter(date__lte=date_to)
    return sessions.order_by("-date", "-start_time", "-id")


def practice_get(*, enrollment: Enrollment, problem_id: int) -> PracticeProblem:
    problem = (
        PracticeProblem.objects.select_related("session")
        .filter(enrollment=enrollment, pk=problem_id)
        .first()
    )
    if problem is None:
        raise NotFound(f"no practice problem {problem_id}")
    problem.enrollment = enrollment
    return problem


def practice_list(
    *, enrollment: Enrollment, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> QuerySet[PracticeProblem]:
    problems = PracticeProblem.objects.filter(enrollment=enrollment)
    if date_from is not None:
        problems = problems.filter(date__gte=date_from)
    if date_to is not None:
        problems = problems.filter(date__lte=date_to)
    return problems.order_by("-date", "-id")


def entry_get(*, enrollment: Enrollment, entry_id: int) -> JournalEntry:
    entry = JournalEntry.objects.filter(enrollment=enrollment, pk=entry_id).first()
    if entry is None:
        raise NotFound(f"no journal entry {entry_id}")
    entry.enrollment = enrollment
    return entry


def entry_list(
    *, enrollment: Enrollment, tag: str = "", item: str = "", q: str = ""
) -> QuerySet[JournalEntry]:
    """Entries newest first, filtered by a tag, a linked item, and words in title or body."""
    entries = JournalEntry.objects.filter(enrollment=enrollment)
    if tag.strip():
        entries = entries.filter(tags_index__contains=f"|{tag.strip().lower().lstrip('#')}|")
    if item.strip():
        entries = entries.filter(items_index__contains=f"|{item.strip()}|")
    # Every word must appear in the title or the body: icontains works the same
    # on SQLite and PostgreSQL, and a learner's journal is small.
    for word in q.split()[:10]:
        entries = entries.filter(Q(title__icontains=word) | Q(body__icontains=word))
    return entries.order_by("-date", "-id")


def entry_tags(*, enrollment: Enrollment) -> list[str]:
    """Every tag the learner has used, sorted."""
    tags: set[str] = set()
    for values in JournalEntry.objects.filter(enrollment=enrollment).values_list("tags", flat=True):
        tags.update(values or [])
    return sorted(tags)


# --- weekly review --------------------------------------------------------------


def status_of(value: int, low: int, high: int) -> str:
    if value < low:
        return "under"
    if value > high:
        return "over"
    return "within"


def _hours_to_minutes(hours: float) -> int:
    return round(hours * 60)


def _pauses(enrollment: Enrollment) -> list[tuple[dt.date, dt.date | None]]:
    return list(Pause.objects.filter(enrollment=enrollment).values_list("start_date", "end_date"))


def _week_paused(week: Week, pauses: list[tuple[dt.date, dt.date | None]]) -> bool:
    return any(start <= week.end and (end is None or end >= week.start) for start, end in pauses)


def _daily_totals(enrollment: Enrollment) -> dict[dt.date, int]:
    rows = (
        StudySession.objects.filter(enrollment=enrollment)
        .order_by()
        .values("date")
        .annotate(total=Sum("minutes"))
        .values_list("date", "total")
    )
    return {day: int(total or 0) for day, total in rows}


@dataclass(frozen=True, slots=True)
class DayCategory:
    """Minutes studied on one local day in one category, from how many sessions."""

    date: dt.date
    category: str
    minutes: int
    sessions: int


def study_by_day(*, enrollment: Enrollment, since: dt.date) -> list[DayCategory]:
    """Minutes per local day and category from ``since`` on, newest first (one query)."""
    rows = (
        StudySession.objects.filter(enrollment=enrollment, date__gte=since)
        .values("date", "category")
        .annotate(total=Sum("minutes"), n=Count("id"))
        .order_by("-date", "category")
        .values_list("date", "category", "total", "n")
    )
    return [
        DayCategory(date=day, category=category, minutes=int(total or 0), sessions=int(n))
        for day, category, total, n in rows
    ]


def streaks_for(
    enrollment: Enrollment,
    *,
    today: dt.date | None = None,
    pauses: list[tuple[dt.date, dt.date | None]] | None = None,
) -> Streaks:
    """Daily and weekly streaks, current and longest, in the learner's zone (2 queries)."""
    document = v.document_of(enrollment)
    return compute_streaks(
        daily_minutes=_daily_totals(enrollment),
        pauses=_pauses(enrollment) if pauses is None else pauses,
        study_days=enrollment.study_days or [],
        today=today or v.learner_today(enrollment),
        week_start=enrollment.user.week_start,
        weekly_min_minutes=_hours_to_minutes(document.weekly_schedule.min_hours),
    )


def practice_target(document: RoadmapDocument) -> tuple[int, int]:
    schedule = document.weekly_schedule
    return schedule.practice_problems_min, schedule.practice_problems_max


def weekly_review(
    enrollment: Enrollment, week: str | dt.date | None = None, *, today: dt.date | None = None
) -> dict[str, Any]:
    """The review of one learner week (label "YYYY-Www", a date, or None for this week).

    Minutes per schedule category against its target range, the total against
    the weekly range, items worked on, practice problems against their target,
    and the streaks. Four queries whatever the amount of data.
    """
    document = v.document_of(enrollment)
    schedule = document.weekly_schedule
    today = today or v.learner_today(enrollment)
    week_start = enrollment.user.week_start
    the_week = week_parse(week, week_start, today)
    pauses = _pauses(enrollment)

    by_category: dict[str, int] = {}
    by_item: dict[str, int] = {}
    by_day: dict[dt.date, int] = {}
    sessions = (
        StudySession.objects.filter(
            enrollment=enrollment, date__gte=the_week.start, date__lte=the_week.end
        )
        .order_by()
        .values_list("date", "category", "item_key", "minutes")
    )
    for day, category, item_key, minutes in sessions:
        by_category[category] = by_category.get(category, 0) + minutes
        by_day[day] = by_day.get(day, 0) + minutes
        if item_key:
            by_item[item_key] = by_item.get(item_key, 0) + minutes

    categories = []
    for scheduled in schedule.categories:
        low, high = _hours_to_minutes(scheduled.min_hours), _hours_to_minutes(scheduled.max_hours)
        minutes = by_category.get(scheduled.slug, 0)
        categories.append(
            {
                "slug": scheduled.slug,
                "title": scheduled.title,
                "minutes": minutes,
                "min_minutes": low,
                "max_minutes": high,
                "status": status_of(minutes, low, high),
            }
        )
    known = {c.slug for c in schedule.categories}
    # Sessions in a category an older roadmap version had still count in the total.
    other_minutes = sum(m for slug, m in by_category.items() if slug not in known)
    total = sum(by_category.values())
    low, high = _hours_to_minutes(schedule.min_hours), _hours_to_minutes(schedule.max_hours)

    practice = (
        PracticeProblem.objects.filter(
            enrollment=enrollment, date__gte=the_week.start, date__lte=the_week.end
        )
        .order_by()
        .aggregate(count=Count("id"), solved=Count("id", filter=Q(outcome="solved")))
    )
    p_min, p_max = practice_target(document)
    practice_count = int(practice["count"] or 0)

    items = [
        {
            "key": key,
            "title": document.items[key].title if key in document.items else key,
            "minutes": minutes,
        }
        for key, minutes in sorted(by_item.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    streaks = streaks_for(enrollment, today=today, pauses=pauses)
    return {
        "enrollment_id": enrollment.pk,
        "week": the_week.label,
        "start": the_week.start,
        "end": the_week.end,
        "week_start": week_start,
        "time_zone": enrollment.user.time_zone,
        "today": today,
        "is_current": the_week.start <= today <= the_week.end,
        "previous_week": the_week.shifted(-1, week_start).label,
        "next_week": the_week.shifted(1, week_start).label,
        "paused": _week_paused(the_week, pauses),
        "categories": categories,
        "other_minutes": other_minutes,
        "total_minutes": total,
        "min_minutes": low,
        "max_minutes": high,
        "status": status_of(total, low, high),
        "days": [{"date": day, "minutes": by_day.get(day, 0)} for day in the_week.days()],
        "items": items,
        "practice": {
            "count": practice_count,
            "solved": int(practice["solved"] or 0),
            "min": p_min,
            "max": p_max,
            "status": status_of(practice_count, p_min, p_max) if p_max > 0 else "no_target",
        },
        "streaks": asdict(streaks),
    }


@dataclass(frozen=True, slots=True)
class WeekBar:
    label: str
    start: dt.date
    end: dt.date
    minutes: dict[str, int]
    total: int
    paused: bool


def weekly_chart_data(
    enrollment: Enrollment,
    week: str | dt.date | None = None,
    *,
    weeks: int = CHART_WEEKS,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Minutes per category for `weeks` learner weeks ending with `week` (two queries)."""
    document = v.document_of(enrollment)
    schedule = document.weekly_schedule
    week_start = enrollment.user.week_start
    last = week_parse(week, week_start, today or v.learner_today(enrollment))
    first_start = last.start - dt.timedelta(weeks=weeks - 1)
    pauses = _pauses(enrollment)
    rows = (
        StudySession.objects.filter(
            enrollment=enrollment, date__gte=first_start, date__lte=last.end
        )
        .order_by()
        .values("date", "category")
        .annotate(total=Sum("minutes"))
        .values_list("date", "category", "total")
    )
    per_week: dict[dt.date, dict[str, int]] = {}
    for day, category, total in rows:
        start = week_of(day, week_start).start
        bucket = per_week.setdefault(start, {})
        bucket[category] = bucket.get(category, 0) + int(total or 0)
    bars = []
    for index in range(weeks):
        the_week = week_of(first_start + dt.timedelta(weeks=index), week_start)
        minutes = per_week.get(the_week.start, {})
        bars.append(
            WeekBar(
                label=the_week.label,
                start=the_week.start,
                end=the_week.end,
                minutes=minutes,
                total=sum(minutes.values()),
                paused=_week_paused(the_week, pauses),
            )
        )
    return {
        "bars": bars,
        "categories": [(c.slug, c.title) for c in schedule.categories],
        "min_minutes": _hours_to_minutes(schedule.min_hours),
        "max_minutes": _hours_to_minutes(schedule.max_hours),
    }


def sessions_csv(*, enrollment: Enrollment) -> Iterator[str]:
    """The enrollment's sessions as CSV lines, oldest first (two queries, streamed)."""
    practice_ids = set(
        PracticeProblem.objects.filter(enrollment=enrollment, session__isnull=False).values_list(
            "session_id", flat=True
        )
    )
    rows = (
        StudySession.objects.filter(enrollment=enrollment)
        .order_by("date", "start_time", "id")
        .values_list("id", "date", "start_time", "minutes", "category", "item_key", "note")
        .iterator(chunk_size=2000)
    )
    return sessions_csv_lines(
        (date, start, minutes, category, item_key, note, pk in practice_ids)
        for pk, date, start, minutes, category, item_key, note in rows
    )

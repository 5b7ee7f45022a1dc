"""Streaks from daily study totals. Pure: plain data in, plain data out, no clock.

Rules (also in docs/journal.md):

* Daily streak: consecutive days with study. A day with study adds one. A day
  without study breaks the streak only if it was one of the learner's study days,
  it was not inside a pause, and it is over (today is still open). Rest days
  and paused days neither add nor break.
* Weekly streak: consecutive learner weeks whose total met the roadmap's weekly
  minimum. A week below the minimum breaks it, unless a pause touched that week
  or it is the current, unfinished week.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from levelup.journal.weeks import week_start_date
from levelup.roadmaps.effort import merged_spans

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Streaks:
    daily_current: int
    daily_longest: int
    weekly_current: int
    weekly_longest: int
    weekly_min_minutes: int


def paused_days(
    pauses: Iterable[tuple[dt.date, dt.date | None]], first: dt.date, last: dt.date
) -> set[dt.date]:
    """Every date in [first, last] inside a pause (an open pause runs to `last`).

    The pauses are merged first (`levelup.roadmaps.effort.merged_spans`, the one rule for
    paused days), so overlapping pauses cost nothing extra; the set holds at most the
    days of [first, last].
    """
    days: set[dt.date] = set()
    spans = ((start, min(end or last, last)) for start, end in pauses)
    for start, end in merged_spans(spans):
        day = max(start, first)
        while day <= end:
            days.add(day)
            day += ONE_DAY
    return days


def compute_streaks(
    *,
    daily_minutes: Mapping[dt.date, int],
    pauses: Iterable[tuple[dt.date, dt.date | None]],
    study_days: Iterable[int],
    today: dt.date,
    week_start: int,
    weekly_min_minutes: int,
) -> Streaks:
    """Current and longest daily and weekly streaks as of `today` (the learner's local date)."""
    studied = {day for day, minutes in daily_minutes.items() if minutes > 0 and day <= today}
    if not studied:
        return Streaks(0, 0, 0, 0, weekly_min_minutes)
    first = min(studied)
    paused = paused_days(pauses, first, today)
    planned = set(study_days) or set(range(7))

    run = longest = 0
    day = first
    while day <= today:
        if day in studied:
            run += 1
            longest = max(longest, run)
        elif day in paused or day.weekday() not in planned or day == today:
            pass
        else:
            run = 0
        day += ONE_DAY
    daily_current, daily_longest = run, longest

    totals: dict[dt.date, int] = {}
    for day, minutes in daily_minutes.items():
        if day <= today:
            start = week_start_date(day, week_start)
            totals[start] = totals.get(start, 0) + minutes
    paused_weeks = {week_start_date(day, week_start) for day in paused}
    needed = max(weekly_min_minutes, 1)
    current_week = week_start_date(today, week_start)
    run = longest = 0
    week = week_start_date(first, week_start)
    while week <= current_week:
        if totals.get(week, 0) >= needed:
            run += 1
            longest = max(longest, run)
        elif week in paused_weeks or week == current_week:
            pass
        else:
            run = 0
        week += dt.timedelta(weeks=1)
    return Streaks(daily_current, daily_longest, run, longest, weekly_min_minutes)

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
from collections.abc import Callable, Iterable, Mapping
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


def _weekday_count(lo: dt.date, hi: dt.date, weekdays: frozenset[int]) -> int:
    """Days in [lo, hi) whose weekday is in ``weekdays``, by arithmetic (no walk)."""
    n = (hi - lo).days
    if n <= 0:
        return 0
    full, rest = divmod(n, 7)
    first = lo.weekday()
    return full * len(weekdays) + sum(1 for i in range(rest) if (first + i) % 7 in weekdays)


class _Spans:
    """Merged inclusive spans, asked about ranges that only move forward.

    ``count(lo, hi)`` answers how many of the counted days of [lo, hi) the spans cover; the
    cursor skips spans wholly before ``lo`` for good, so a pass over n increasing ranges
    costs O(n + spans) whatever the length of the time between them.
    """

    def __init__(self, spans: list[tuple[dt.date, dt.date]], weekdays: frozenset[int]) -> None:
        self.spans = spans
        self.weekdays = weekdays
        self.index = 0

    def count(self, lo: dt.date, hi: dt.date) -> int:
        spans = self.spans
        while self.index < len(spans) and spans[self.index][1] < lo:
            self.index += 1
        covered = 0
        k = self.index
        while k < len(spans) and spans[k][0] < hi:
            start, end = spans[k]
            covered += _weekday_count(max(start, lo), min(end + ONE_DAY, hi), self.weekdays)
            k += 1
        return covered


def _runs(
    marks: list[dt.date], last: dt.date, breaking: Callable[[dt.date, dt.date], bool], step: int
) -> tuple[int, int]:
    """(current, longest) run of ``marks`` (sorted, unique, each ``step`` days apart at the
    closest), where a run breaks when ``breaking(lo, hi)`` says a day or week of the gap
    [lo, hi) between two marks counts against it; the gap after the last mark runs to
    ``last`` (excluded: it is still open)."""
    run = longest = 0
    previous: dt.date | None = None
    for mark in marks:
        if previous is not None and breaking(previous + dt.timedelta(days=step), mark):
            run = 0
        run += 1
        longest = max(longest, run)
        previous = mark
    if previous is not None and breaking(previous + dt.timedelta(days=step), last):
        run = 0
    return run, longest


def compute_streaks(
    *,
    daily_minutes: Mapping[dt.date, int],
    pauses: Iterable[tuple[dt.date, dt.date | None]],
    study_days: Iterable[int],
    today: dt.date,
    week_start: int,
    weekly_min_minutes: int,
) -> Streaks:
    """Current and longest daily and weekly streaks as of `today` (the learner's local date).

    Interval arithmetic, never a walk over days: O(d log d + p log p) for d days with study
    and p pauses, whatever the time they span (docs/security.md, "Bounded work").
    """
    studied = sorted(day for day, minutes in daily_minutes.items() if minutes > 0 and day <= today)
    if not studied:
        return Streaks(0, 0, 0, 0, weekly_min_minutes)
    first = studied[0]
    # The one rule for paused days (`levelup.roadmaps.effort.merged_spans`); an open pause
    # runs to today, and only [first, today] matters.
    paused = [
        (max(start, first), end)
        for start, end in merged_spans((start, min(end or today, today)) for start, end in pauses)
        if end >= first
    ]
    planned = frozenset(study_days) or frozenset(range(7))

    # A gap between study days breaks the daily streak when it holds a study day outside
    # every pause: the gap's study days minus its paused study days.
    paused_study_days = _Spans(paused, planned)

    def day_breaks(lo: dt.date, hi: dt.date) -> bool:
        return _weekday_count(lo, hi, planned) > paused_study_days.count(lo, hi)

    daily_current, daily_longest = _runs(studied, today, day_breaks, 1)

    totals: dict[dt.date, int] = {}
    for day, minutes in daily_minutes.items():
        if day <= today:
            start = week_start_date(day, week_start)
            totals[start] = totals.get(start, 0) + minutes
    needed = max(weekly_min_minutes, 1)
    met = sorted(week for week, total in totals.items() if total >= needed)
    # Weeks a pause touched, as spans of week starts (a week stands for its first day).
    touched = _Spans(
        merged_spans(
            (week_start_date(start, week_start), week_start_date(end, week_start))
            for start, end in paused
        ),
        frozenset([week_start]),
    )
    counted_day = frozenset([week_start])

    def week_breaks(lo: dt.date, hi: dt.date) -> bool:
        return _weekday_count(lo, hi, counted_day) > touched.count(lo, hi)

    current_week = week_start_date(today, week_start)
    weekly_current, weekly_longest = _runs(met, current_week, week_breaks, 7)
    return Streaks(daily_current, daily_longest, weekly_current, weekly_longest, weekly_min_minutes)

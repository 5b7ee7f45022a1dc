"""Learner weeks and their "YYYY-Www" labels. Pure functions of dates.

A learner's week starts on Monday, Saturday or Sunday (`User.week_start`,
0 = Monday … 6 = Sunday). Labels follow ISO 8601 weeks: the learner's week
labelled `2026-W10` is the seven-day week, starting on the learner's week-start
day, that contains the Monday of ISO week 2026-W10. For Monday starts this is
exactly the ISO week; for a Sunday start it runs Sunday–Saturday from the day
before that Monday, for a Saturday start Saturday–Friday from two days before.
Every date belongs to exactly one label, so the mapping is a bijection.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from levelup.lib.dates import EARLIEST_DAY, LATEST_DAY, RANGE_REASON, out_of_range_reason
from levelup.lib.errors import Invalid

WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True, slots=True)
class Week:
    """One learner week: its label and its first and last local dates."""

    label: str
    start: dt.date
    end: dt.date

    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range(7)]

    def shifted(self, weeks: int, week_start: int) -> Week:
        return week_of(self.start + dt.timedelta(weeks=weeks), week_start)


def week_start_date(day: dt.date, week_start: int) -> dt.date:
    """The first day of the learner week containing `day`."""
    return day - dt.timedelta(days=(day.weekday() - week_start) % 7)


def week_of(day: dt.date, week_start: int) -> Week:
    """The learner week containing `day`, with its label."""
    start = week_start_date(day, week_start)
    monday = start + dt.timedelta(days=(0 - start.weekday()) % 7)
    year, number, _ = monday.isocalendar()
    return Week(label=f"{year:04d}-W{number:02d}", start=start, end=start + dt.timedelta(days=6))


def week_from_label(label: str, week_start: int, *, field: str = "week") -> Week:
    """The learner week a "YYYY-Www" label names; Invalid naming `field` when malformed."""
    match = WEEK_RE.match(label.strip())
    if match is None:
        raise Invalid.for_field(field, f"{label!r} is not a week; use YYYY-Www, e.g. 2026-W09")
    year, number = int(match.group(1)), int(match.group(2))
    try:
        monday = dt.date.fromisocalendar(year, number, 1)
    except ValueError:
        raise Invalid.for_field(field, f"{label!r}: year {year} has no week {number}") from None
    # A week is in range when one of its days is. Far weeks are refused before any
    # arithmetic, which would overflow near year 1 or 9999.
    week = dt.timedelta(days=7)
    near = EARLIEST_DAY - week <= monday <= LATEST_DAY + week
    start = monday - dt.timedelta(days=(monday.weekday() - week_start) % 7) if near else monday
    if not near or start > LATEST_DAY or start + dt.timedelta(days=6) < EARLIEST_DAY:
        raise Invalid.for_field(field, f"{label!r} is out of range: its days {RANGE_REASON}")
    return Week(label=f"{year:04d}-W{number:02d}", start=start, end=start + dt.timedelta(days=6))


def week_parse(value: str | dt.date | None, week_start: int, today: dt.date) -> Week:
    """A week from a label, a date (or "YYYY-MM-DD"), or None for the week of `today`."""
    if value is None or value == "":
        return week_of(today, week_start)
    if isinstance(value, str) and WEEK_RE.match(value.strip()):
        return week_from_label(value, week_start)
    day = value
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise Invalid.for_field(
                "week",
                f"{value!r} is not a week; use YYYY-Www (e.g. 2026-W09) or a date YYYY-MM-DD",
            ) from None
    assert isinstance(day, dt.date)
    if problem := out_of_range_reason(day):
        raise Invalid.for_field("week", f"the week's day {problem}")
    return week_of(day, week_start)

"""Dates as people read and type them."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

_ISO_DAY = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")

# The one range of days the product works in (docs/security.md, "Bounded work"). Every
# date a learner can set (enrollment start and target, pauses, journal days, weeks on
# pages) lies inside it, so no computation over a learner's time spans more than about
# 5,300 weeks, whatever route the date came in by.
EARLIEST_DAY = dt.date(2000, 1, 1)
LATEST_DAY = dt.date(2100, 12, 31)
RANGE_REASON = f"must be between {EARLIEST_DAY.isoformat()} and {LATEST_DAY.isoformat()}"


def out_of_range_reason(value: dt.date) -> str | None:
    """Why ``value`` lies outside the product's range of days, or None when it is inside."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if not EARLIEST_DAY <= value <= LATEST_DAY:
        return f"{RANGE_REASON} (got {value.isoformat()})"
    return None


def validate_day_in_range(value: dt.date) -> None:
    """A model field validator: the archive import and the admin run it on every date."""
    problem = out_of_range_reason(value)
    if problem:
        raise ValidationError(f"The date {problem}.", code="out_of_range")


def clamp_day(value: dt.date) -> dt.date:
    """``value`` moved into the product's range: for reads that must not fail on old rows."""
    return min(max(value, EARLIEST_DAY), LATEST_DAY)


def impossible_date_reason(year: int, month: int, day: int) -> str | None:
    """Why year-month-day is no day of the calendar, or None if it is one."""
    if not 1 <= month <= 12:
        return f"there is no month {month} (months are 1 to 12)"
    if year < 1:
        return "the year must be 1 or later"
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return f"{calendar.month_name[month]} {year} has {last} days"
    return None


def week_title(start: dt.date) -> str:
    """A week as a person names it: "Week of 23 Nov 2026" (its first day)."""
    return f"Week of {start.day} {start:%b %Y}"


def date_display(value: dt.date | dt.datetime | None) -> str:
    """The one way pages write a day: "Sun 29 Nov 2026" (ISO only in the API and CSV)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        # An aware moment is shown on the day it was in the zone the request activated.
        value = (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    return f"{value:%a} {value.day} {value:%b %Y}"


class ReasonedDateField(forms.DateField):
    """A date field that says why a date is impossible ("February 2026 has 28 days")
    instead of Django's bare "Enter a valid date"."""

    def to_python(self, value: str | dt.datetime | dt.date | None) -> dt.date | None:
        if isinstance(value, str) and (match := _ISO_DAY.match(value)):
            year, month, day = (int(part) for part in match.groups())
            problem = impossible_date_reason(year, month, day)
            if problem:
                raise forms.ValidationError(
                    f"{value.strip()} is not a date: {problem}.", code="invalid"
                )
        parsed: dt.date | None = super().to_python(value)
        if parsed is not None and (problem := out_of_range_reason(parsed)):
            raise forms.ValidationError(f"The date {problem}.", code="out_of_range")
        return parsed

"""Dates as people read and type them."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from django import forms
from django.utils import timezone

_ISO_DAY = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


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
        return super().to_python(value)

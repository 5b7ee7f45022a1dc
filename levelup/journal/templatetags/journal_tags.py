"""Formatting for journal pages: `{% load journal_tags %}`.

- `{{ 450|hm }}` → "7.5 h"; `{{ 45|hm }}` → "45 min".
- `{{ 75|duration }}` → "1 h 15 min" (exact, for lists of sessions).
- `{% minutes_range 360 480 %}` → "6–8 h".
"""

from __future__ import annotations

from django import template

from levelup.lib.units import format_minutes

register = template.Library()


def _hours(minutes: int) -> str:
    # One decimal is as precise as a weekly figure needs to be ("7.5 h").
    return f"{minutes / 60:.1f}".removesuffix(".0")


@register.filter
def hm(minutes: int | None) -> str:
    """Minutes as hours ("7.5 h"), or as minutes under an hour ("45 min")."""
    value = int(minutes or 0)
    if 0 < value < 60:
        return f"{value} min"
    return f"{_hours(value)} h"


@register.simple_tag
def minutes_range(low: int, high: int) -> str:
    """A target range of minutes in hours: "6–8 h"."""
    if low == high:
        return f"{_hours(low)} h"
    return f"{_hours(low)}–{_hours(high)} h"


@register.filter
def duration(minutes: int | None) -> str:
    """Exact minutes as hours and minutes: "45 min", "2 h", "1 h 15 min"."""
    return format_minutes(int(minutes or 0))

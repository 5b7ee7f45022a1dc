"""Formatting for journal pages: `{% load journal_tags %}`.

- `{{ 450|hm }}` → "7.5 h"; `{{ 45|hm }}` → "45 min".
- `{% minutes_range 360 480 %}` → "6–8 h".
"""

from __future__ import annotations

from django import template

register = template.Library()


def _hours(minutes: int) -> str:
    return f"{minutes / 60:.2f}".rstrip("0").rstrip(".")


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

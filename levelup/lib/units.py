"""How the product writes amounts of time: one style for pages, the API's texts and the CLI."""

from __future__ import annotations


def format_minutes(minutes: int | float) -> str:
    """`90` → `1 h 30 min`; `45` → `45 min`; `120` → `2 h`."""
    total = round(minutes)
    hours, rest = divmod(total, 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    if hours:
        return f"{hours} h"
    return f"{rest} min"

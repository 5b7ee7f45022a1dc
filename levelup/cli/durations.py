"""Parse the study durations people type: `45m`, `1h30m`, `1.5h`, `90`, `1:30`.

A bare number means minutes: `levelup log 90 theory` is the most common case
and nobody studies for 90 hours in one sitting. Everything is rounded to whole
minutes and must fall between 1 minute and 16 hours (the server's limit).
"""

from __future__ import annotations

import re

from levelup.lib.units import format_minutes

__all__ = ["DurationError", "format_minutes", "parse_duration"]

MAX_MINUTES = 16 * 60

_NUMBER = r"\d+(?:[.,]\d+)?|[.,]\d+"
_UNITS = re.compile(
    rf"^(?:(?P<hours>{_NUMBER})\s*h(?:ours?|rs?)?)?\s*"
    rf"(?:(?P<minutes>{_NUMBER})\s*(?:m(?:in(?:utes?|s)?)?)?)?$"
)
_CLOCK = re.compile(r"^(?P<hours>\d+):(?P<minutes>[0-5]\d)$")
_BARE = re.compile(rf"^(?P<minutes>{_NUMBER})$")

HINT = "use minutes or hours, like 45m, 1h30m, 1.5h, 1:30 or 90 (minutes)"


class DurationError(ValueError):
    """A duration the learner typed that cannot be read; the message says why."""


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def parse_duration(text: str) -> int:
    """Whole minutes in `text`, or DurationError naming the input and the accepted forms."""
    raw = text
    text = text.strip().lower().replace(" ", "")
    minutes: float | None = None
    if match := _BARE.match(text):
        minutes = _number(match["minutes"])
    elif match := _CLOCK.match(text):
        minutes = int(match["hours"]) * 60 + int(match["minutes"])
    elif text and (match := _UNITS.match(text)) and (match["hours"] or match["minutes"]):
        minutes = _number(match["hours"] or "0") * 60 + _number(match["minutes"] or "0")
    if minutes is None:
        raise DurationError(f"duration {raw!r} is not a duration: {HINT}")
    whole = round(minutes)
    if whole < 1:
        raise DurationError(f"duration {raw!r} is less than a minute")
    if whole > MAX_MINUTES:
        raise DurationError(f"duration {raw!r} is more than 16 hours; log each day separately")
    return whole

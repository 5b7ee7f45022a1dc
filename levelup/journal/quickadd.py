"""Parse a one-line study log such as "1h30 theory topic:sql-fundamentals yesterday 19:00 normal forms".

Pure: the line, the category slugs and today in, typed values out. Pieces may come
in any order; the first piece of each kind wins and everything else is the note:

* a duration: `45`, `45m`, `45min`, `2h`, `1.5h`, `1h30` (required)
* a category slug or a word of its title (`community` for review), or an unambiguous
  start of one: `theory`, `th` (required)
* an item key, or part of one: `topic:sql-fundamentals`, `project:blog-platform-api`
* a date: `today`, `yesterday`, `2026-03-01` (an impossible one such as `2026-02-30` is
  refused with the reason, not kept as the note)
* a start time: `19:00`
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from levelup.lib.dates import impossible_date_reason
from levelup.lib.errors import Invalid

_DURATION = re.compile(r"^(?:(\d+)h(\d{1,2})m?|(\d+(?:[.,]\d+)?)(h|m|min)?)$", re.IGNORECASE)
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_ITEM_PREFIXES = ("topic:", "project:", "checkpoint:")


@dataclass(frozen=True, slots=True)
class QuickEntry:
    minutes: int
    category: str
    item_key: str
    date: dt.date
    start_time: dt.time | None
    note: str


def _minutes(token: str) -> int | None:
    match = _DURATION.match(token)
    if match is None:
        return None
    if match.group(1) is not None:
        return int(match.group(1)) * 60 + int(match.group(2))
    amount = float(match.group(3).replace(",", "."))
    unit = (match.group(4) or "m").lower()
    return round(amount * 60) if unit == "h" else round(amount)


def _category(token: str, slugs: list[str], aliases: dict[str, str]) -> str | None:
    word = token.lower()
    if word in slugs:
        return word
    if word in aliases:
        return aliases[word]
    starts = [slug for slug in slugs if slug.startswith(word)]
    return starts[0] if len(starts) == 1 and len(word) >= 2 else None


_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def _date(token: str, today: dt.date) -> dt.date | None:
    """The day a token names; `Invalid` for one shaped like a date that cannot exist."""
    word = token.lower()
    if word == "today":
        return today
    if word == "yesterday":
        return today - dt.timedelta(days=1)
    match = _ISO_DAY.match(word)
    if match is None:
        return None
    year, month, day = (int(part) for part in match.groups())
    problem = impossible_date_reason(year, month, day)
    if problem:
        raise Invalid.for_field("date", f"{token} is not a date: {problem}")
    return dt.date(year, month, day)


def parse_quick_line(
    line: str,
    *,
    categories: list[str],
    today: dt.date,
    aliases: dict[str, str] | None = None,
) -> QuickEntry:
    """The session a one-line entry describes; Invalid naming `minutes`/`category` if missing,
    or `date` for a date that cannot exist. `aliases` maps other words to category slugs."""
    minutes: int | None = None
    category: str | None = None
    item_key = ""
    date: dt.date | None = None
    start: dt.time | None = None
    note: list[str] = []
    for token in line.split():
        if minutes is None and (found := _minutes(token)) is not None:
            minutes = found
        elif category is None and (slug := _category(token, categories, aliases or {})) is not None:
            category = slug
        elif not item_key and token.startswith(_ITEM_PREFIXES):
            item_key = token
        elif date is None and (day := _date(token, today)) is not None:
            date = day
        elif start is None and (clock := _TIME.match(token)) is not None:
            start = dt.time(int(clock.group(1)), int(clock.group(2)))
        else:
            note.append(token)
    errors = []
    if minutes is None:
        errors.append(
            {"field": "minutes", "message": "say how long, e.g. '45m' or '1h30' at the start"}
        )
    if category is None:
        errors.append({"field": "category", "message": f"name a category: {', '.join(categories)}"})
    if errors:
        raise Invalid("; ".join(f"{e['field']}: {e['message']}" for e in errors), errors=errors)
    assert minutes is not None and category is not None
    return QuickEntry(
        minutes=minutes,
        category=category,
        item_key=item_key,
        date=date or today,
        start_time=start,
        note=" ".join(note),
    )

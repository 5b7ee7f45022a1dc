"""Input types every API schema is built from, so a value the API accepts is one the
database, the planner and the pages can hold.

Each type refuses what would otherwise reach a service and fail there: NUL bytes
(PostgreSQL cannot store them), lone surrogates (not encodable as UTF-8), strings
longer than their column, integers beyond any sensible count (and beyond 64 bits),
booleans where numbers go (`true` is not one minute), NaN and infinities, days
outside the product's documented range, and wall-clock times that carry a UTC offset.
The numbers are listed in docs/security.md ("Input limits").
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any

from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from levelup.lib.dates import EARLIEST_DAY, LATEST_DAY, RANGE_REASON

LINE_MAX = 200  # one line of text: titles, reasons, names (the columns' width)
TEXT_MAX = 100_000  # free text: notes, bodies, write-ups (Markdown)
URL_MAX = 2000  # the URL columns' width
KEY_MAX = 200  # item keys and slugs
INT_MAX = 1_000_000_000  # no count in levelup comes near; far inside 32 bits
PAGE_MAX = 10_000  # page numbers
OFFSET_MAX = 1_000_000  # list offsets
LIMIT_MAX = 500  # items per page on every list
ID_MAX = 2**63 - 1  # the largest row id a database holds

_SURROGATE = re.compile("[\ud800-\udfff]")


def text_problem(value: str) -> str | None:
    """Why `value` cannot be stored as text, or None when it can."""
    if "\x00" in value:
        return "must not contain NUL bytes"
    if _SURROGATE.search(value):
        return "must not contain lone surrogates (it is not valid Unicode text)"
    return None


def unstorable_value(data: Any) -> tuple[str, str] | None:
    """The first string or number anywhere in a parsed body that no field may hold,
    as (dotted path, reason). Iterative, so a deeply nested body cannot exhaust the stack."""
    stack: list[tuple[tuple[str, ...], Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            problem = text_problem(value)
            if problem:
                return ".".join(path) or "body", problem
        elif isinstance(value, float) and not math.isfinite(value):
            return ".".join(
                path
            ) or "body", "must be a finite number (NaN and Infinity are not JSON)"
        elif isinstance(value, dict):
            for key, item in value.items():
                problem = text_problem(key)
                if problem:
                    return ".".join((*path, "(key)")), problem
                stack.append(((*path, key), item))
        elif isinstance(value, list):
            stack.extend(((*path, str(index)), item) for index, item in enumerate(value))
    return None


def _clean_text(value: str) -> str:
    problem = text_problem(value)
    if problem:
        raise PydanticCustomError("text", problem)
    return value


def _no_bool(value: Any) -> Any:
    # Pydantic reads `true` as 1 in lax mode; a number field wants a number.
    if isinstance(value, bool):
        raise PydanticCustomError("number", "must be a number, not true or false")
    return value


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise PydanticCustomError("number", "must be a finite number")
    return value


def _no_number(value: Any) -> Any:
    if not isinstance(value, bool) and isinstance(value, int | float):
        raise PydanticCustomError("bool", "must be true or false")
    return value


def day_problem(value: dt.date) -> str | None:
    """Why `value` is outside the days levelup handles (lib.dates), or None."""
    return RANGE_REASON if not EARLIEST_DAY <= value <= LATEST_DAY else None


def _in_range(value: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    problem = day_problem(value)
    if problem:
        raise PydanticCustomError("date_range", problem)
    return value


def _wall_clock(value: dt.time) -> dt.time:
    # Times in levelup are the learner's local wall-clock times (docs/journal.md);
    # an offset would have to be converted with a date and a zone the client did not
    # send, so it is refused rather than guessed.
    if value.tzinfo is not None:
        raise PydanticCustomError(
            "time_zone", "must be a local time without a UTC offset, e.g. 18:30"
        )
    return value


_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def _week(value: str) -> str:
    value = value.strip()
    match = _WEEK.match(value)
    try:
        if match:
            day = dt.date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
        else:
            day = dt.date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError(
            "week", "must be an ISO week like 2026-W11 or a date like 2026-03-09"
        ) from None
    problem = day_problem(day)
    if problem:
        raise PydanticCustomError("week", "must fall " + problem.removeprefix("must be "))
    return value


_TEXT = AfterValidator(_clean_text)

Line = Annotated[str, StringConstraints(max_length=LINE_MAX), _TEXT]
"""One line of text (a title, a reason, a name): at most 200 characters."""
Text = Annotated[str, StringConstraints(max_length=TEXT_MAX), _TEXT]
"""Free text (notes, bodies, write-ups): at most 100,000 characters."""
Url = Annotated[str, StringConstraints(max_length=URL_MAX), _TEXT]
"""A link; whether it is http(s) is the service's rule."""
Key = Annotated[str, StringConstraints(max_length=KEY_MAX), _TEXT]
"""An item key or a slug."""

Int = Annotated[int, BeforeValidator(_no_bool), Field(ge=-INT_MAX, le=INT_MAX)]
"""A whole number; fields narrow the bounds with `Field(ge=..., le=...)`."""
Float = Annotated[
    float, BeforeValidator(_no_bool), AfterValidator(_finite), Field(ge=-INT_MAX, le=INT_MAX)
]
"""A finite number."""
Bool = Annotated[bool, BeforeValidator(_no_number)]
"""true or false (also "true"/"false" in a query string), never 0 or 1."""

Date = Annotated[
    dt.date,
    AfterValidator(_in_range),
    Field(
        json_schema_extra={
            "formatMinimum": EARLIEST_DAY.isoformat(),
            "formatMaximum": LATEST_DAY.isoformat(),
        }
    ),
]
"""A day between 2000-01-01 and 2100-12-31."""
LocalTime = Annotated[dt.time, AfterValidator(_wall_clock)]
"""A wall-clock time without a UTC offset."""
Week = Annotated[
    str,
    StringConstraints(max_length=12),
    _TEXT,
    AfterValidator(_week),
    Field(
        pattern=r"^\d{4}-(W\d{2}|\d{2}-\d{2})$",
        description="An ISO week (2026-W11) or a day in it (2026-03-09), 2000 to 2100",
    ),
]

Id = Annotated[int, BeforeValidator(_no_bool), Field(ge=1, le=ID_MAX)]
"""A row id in a path; beyond 64 bits no database can look it up."""
Page = Annotated[int, BeforeValidator(_no_bool), Field(ge=1, le=PAGE_MAX)]
Offset = Annotated[int, BeforeValidator(_no_bool), Field(ge=0, le=OFFSET_MAX)]
Limit = Annotated[int, BeforeValidator(_no_bool), Field(ge=1, le=LIMIT_MAX)]


class Error(Schema):
    """Every error the API returns: `detail` for a person, `errors` per field
    (`field`, `message`, and for roadmap documents `rule` and `line`)."""

    detail: str
    errors: list[dict[str, str]] = []

"""Checks shared by the journal's services, forms and CSV import.

Each check returns a message (or None) instead of raising, so a caller can
collect every problem of a request, or of every row of a file, before writing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from levelup.lib.dates import out_of_range_reason
from levelup.progress.models import Enrollment
from levelup.roadmaps.lookup import item_find
from levelup.roadmaps.schema import RoadmapDocument
from levelup.roadmaps.selectors import document_for

MIN_MINUTES = 1
MAX_MINUTES = 960
NOTE_MAX = 2000
TITLE_MAX = 200
BODY_MAX = 100_000
TAG_RE = re.compile(r"^[a-z0-9][a-z0-9+#._-]{0,39}$")
MAX_TAGS = 20
MAX_ITEMS = 50
_url_validator = URLValidator(schemes=["http", "https"])


def document_of(enrollment: Enrollment) -> RoadmapDocument:
    """The roadmap document the enrollment is pinned to."""
    return document_for(enrollment.version)


def learner_today(enrollment: Enrollment) -> dt.date:
    """Today in the learner's time zone."""
    return enrollment.user.local_today()  # type: ignore[no-any-return,unused-ignore]


def category_slugs(document: RoadmapDocument) -> list[str]:
    return [category.slug for category in document.weekly_schedule.categories]


def check_minutes(value: int, *, allow_zero: bool = False) -> str | None:
    low = 0 if allow_zero else MIN_MINUTES
    if value < low or value > MAX_MINUTES:
        return f"must be between {low} and {MAX_MINUTES} (16 hours), got {value}"
    return None


def category_aliases(document: RoadmapDocument) -> dict[str, str]:
    """Words a learner may type for a category: its slug and each word of its title that
    belongs to no other category ("community" and "code" for "Code Review & Community")."""
    owners: dict[str, set[str]] = {}
    for category in document.weekly_schedule.categories:
        words = re.findall(r"[a-z0-9]+", category.title.lower())
        for word in [category.slug, *words]:
            if len(word) >= 3 and word not in {"and", "the", "for"}:
                owners.setdefault(word, set()).add(category.slug)
    aliases = {word: next(iter(slugs)) for word, slugs in owners.items() if len(slugs) == 1}
    aliases.update({slug: slug for slug in category_slugs(document)})
    return aliases


def category_resolve(value: str, document: RoadmapDocument) -> str:
    """The category slug `value` names (a slug or an alias, any case), else `value`."""
    return category_aliases(document).get(value.strip().lower(), value)


def check_category(value: str, document: RoadmapDocument) -> str | None:
    slugs = category_slugs(document)
    if value not in slugs:
        return f"unknown category {value!r}; choose one of {', '.join(slugs)}"
    return None


def item_key_resolve(value: str, document: RoadmapDocument) -> str:
    """The item key `value` names (a key, a title or an unambiguous part of a key), else
    `value` unchanged for `check_item_key` to refuse."""
    return item_find(document, value).key


def check_item_key(value: str, document: RoadmapDocument) -> str | None:
    if value and value not in document.items:
        return (
            item_find(document, value).problem or f"no item {value!r} in roadmap {document.slug!r}"
        )
    return None


def check_date(
    value: dt.date, today: dt.date, zone_name: str, *, start: dt.date | None = None
) -> str | None:
    """Refuse a day that has not come yet (in the learner's zone) or that lies before the
    enrollment started: the journal records study that happened on this journey."""
    if value > today:
        return f"{value.isoformat()} is in the future (today is {today.isoformat()} in {zone_name})"
    if start is not None and value < start:
        return (
            f"{value.isoformat()} is before this enrollment started on {start.isoformat()}; "
            "move the start date in the enrollment's settings to log earlier study"
        )
    return out_of_range_reason(value)


def check_start_time(value: dt.time | None) -> str | None:
    """A session's start is a wall-clock time on its day in the learner's zone: one that
    carries its own time zone would be read differently by each database."""
    if value is None:
        return None
    if not isinstance(value, dt.time):
        return "must be a time of day (HH:MM)"
    if value.tzinfo is not None:
        return "must be a local time without a time zone or offset (e.g. 18:30)"
    return None


def check_enrollment_date(value: dt.date, enrollment: Enrollment) -> str | None:
    """`check_date` for a day in `enrollment`'s journal."""
    return check_date(
        value, learner_today(enrollment), enrollment.user.time_zone, start=enrollment.start_date
    )


def check_text(value: str, limit: int, *, required: bool = False) -> str | None:
    if required and not value.strip():
        return "must not be empty"
    if len(value) > limit:
        return f"must be at most {limit} characters, got {len(value)}"
    return None


def check_url(value: str) -> str | None:
    if not value:
        return None
    try:
        _url_validator(value)
    except ValidationError:
        return f"{value!r} is not an http(s) URL"
    if len(value) > 2000:
        return "must be at most 2000 characters"
    return None


def normalize_tags(values: list[str] | tuple[str, ...]) -> tuple[list[str], str | None]:
    """Lower-cased, de-duplicated tags in the given order, or a message about the first bad one."""
    tags: list[str] = []
    for raw in values:
        # "#python" and "python" are the same tag; "c#" keeps its mark.
        tag = raw.strip().lower().lstrip("#")
        if not tag:
            continue
        if not TAG_RE.match(tag):
            return [], f"{raw!r} is not a tag; use letters, digits and - _ . + # (up to 40)"
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        return [], f"at most {MAX_TAGS} tags"
    return tags, None


def check_item_keys(
    values: list[str] | tuple[str, ...], document: RoadmapDocument
) -> tuple[list[str], str | None]:
    keys: list[str] = []
    for raw in values:
        key = item_key_resolve(raw, document)
        if not key:
            continue
        problem = check_item_key(key, document)
        if problem:
            return [], problem
        if key not in keys:
            keys.append(key)
    if len(keys) > MAX_ITEMS:
        return [], f"at most {MAX_ITEMS} items"
    return keys, None


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def session_fingerprint(
    *,
    date: dt.date,
    start_time: dt.time | None,
    minutes: int,
    category: str,
    item_key: str,
    note: str,
) -> str:
    """What makes two sessions "the same row" for CSV import."""
    start = start_time.strftime("%H:%M") if start_time else ""
    return sha256(
        "\x1f".join([date.isoformat(), start, str(minutes), category, item_key, note.strip()])
    )


def request_fingerprint(values: dict[str, Any]) -> str:
    """A stable digest of a request's inputs, for Idempotency-Key replays."""
    parts = [f"{name}={values[name]!s}" for name in sorted(values)]
    return sha256("\x1f".join(parts))

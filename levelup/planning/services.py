"""Writes of the planning app: the private calendar feed and the plan's settings.

Weekly hours and pauses belong to the enrollment (the progress app's services write them);
`plan_settings_update` only combines them into one atomic change for the plan page.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction

from levelup.accounts.models import User
from levelup.lib.errors import Conflict, Invalid
from levelup.planning.models import CalendarFeed
from levelup.progress import services as progress_services
from levelup.progress.models import Enrollment, EnrollmentStatus
from levelup.roadmaps.selectors import document_for

_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
# 32 URL-safe characters: 192 bits, far beyond guessing, short enough to paste.
SECRET_BYTES = 24


def secret_hash(secret: str) -> str:
    """The stored form of a feed secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def calendar_feed_create(*, enrollment: Enrollment) -> tuple[CalendarFeed, str]:
    """Make the enrollment's feed, or give it a new secret; return the feed and the secret.

    The secret is shown to the owner once and only its hash is kept, so a new secret
    revokes the old URL at once. Chosen study times are kept across regenerations.
    """
    secret = secrets.token_urlsafe(SECRET_BYTES)
    with transaction.atomic():
        feed, created = CalendarFeed.objects.select_for_update().get_or_create(
            enrollment=enrollment, defaults={"secret_hash": secret_hash(secret)}
        )
        if not created:
            feed.secret_hash = secret_hash(secret)
            feed.save(update_fields=["secret_hash", "updated_at"])
    return feed, secret


def calendar_feed_delete(*, enrollment: Enrollment) -> None:
    """Turn the feed off; its URL answers 404 from now on."""
    CalendarFeed.objects.filter(enrollment=enrollment).delete()


def calendar_times_set(*, feed: CalendarFeed, times: Mapping[str, Any]) -> CalendarFeed:
    """Set the local start time ("HH:MM") of daily-routine slots.

    Every slot must be one of the roadmap's routine slots; a bad value is refused with an
    error naming ``times.<slot>`` and nothing is changed. An empty value restores the
    roadmap's default time for the slot.
    """
    document = document_for(feed.enrollment.version)
    known = {slot.slot for slot in document.daily_routine}
    errors: list[dict[str, str]] = []
    cleaned = dict(feed.times or {})
    for slot, value in times.items():
        name = f"times.{slot}"
        if slot not in known:
            errors.append({"field": name, "message": "is not a slot of this roadmap's routine"})
            continue
        text = "" if value is None else str(value).strip()
        if not text:
            cleaned.pop(slot, None)
        elif _TIME.match(text[:5]) and len(text) in (5, 8):
            cleaned[slot] = text[:5]
        else:
            errors.append({"field": name, "message": "must be a time like 19:00"})
    if errors:
        raise Invalid("; ".join(f"{e['field']}: {e['message']}" for e in errors), errors=errors)
    feed.times = cleaned
    feed.save(update_fields=["times", "updated_at"])
    return feed


def plan_settings_update(
    *,
    enrollment: Enrollment,
    actor: User | None,
    weekly_hours: Any = None,
    pause_start: date | None = None,
    pause_end: date | None = None,
    pause_reason: str = "",
) -> Enrollment:
    """Change the weekly hours and/or record paused weeks, all or nothing.

    A pause needs both dates (an open-ended pause is the settings page's "Take a break").
    Errors name the field (``weekly_hours``, ``pause_start``, ``pause_end``).
    """
    if enrollment.status == EnrollmentStatus.ARCHIVED:
        raise Conflict("this enrollment is archived; its plan no longer changes")
    if (pause_start is None) != (pause_end is None):
        missing = "pause_end" if pause_end is None else "pause_start"
        raise Invalid.for_field(missing, "give both the first and the last day of the pause")
    if pause_start is not None and pause_end is not None and pause_end < pause_start:
        raise Invalid.for_field("pause_end", "must be on or after the first day of the pause")
    with transaction.atomic():
        if weekly_hours is not None:
            progress_services.enrollment_update(enrollment=enrollment, weekly_hours=weekly_hours)
        if pause_start is not None:
            progress_services.enrollment_pause(
                enrollment=enrollment,
                actor=actor,
                reason=pause_reason,
                start_date=pause_start,
                end_date=pause_end,
            )
    return enrollment

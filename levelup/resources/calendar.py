"""Booked exams as all-day calendar events, for the plan's ICS feed.

The feed lives in `levelup.planning` (above this app); it calls `exam_events` and adds
what it returns, so the feed needs no knowledge of certifications.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar

from levelup.accounts.models import User
from levelup.resources.selectors import booked_exams


def exam_events(
    *, user: User, dtstamp: datetime, uid_domain: str = "levelup"
) -> list[icalendar.Event]:
    """One all-day VEVENT per booked exam; the UID is stable per certification."""
    events = []
    for cert in booked_exams(user=user):
        assert cert.exam_date is not None
        event = icalendar.Event()
        event.add("uid", f"levelup-user-{user.pk}-exam-{cert.pk}@{uid_domain}")
        event.add("dtstamp", dtstamp.astimezone(UTC))
        event.add("dtstart", cert.exam_date)
        event.add("dtend", cert.exam_date + timedelta(days=1))
        event.add("summary", f"Exam: {cert.title}")
        issuer = f" ({cert.issuer})" if cert.issuer else ""
        event.add("description", f"Certification exam for {cert.title}{issuer}, booked in levelup.")
        event.add("transp", "OPAQUE")
        events.append(event)
    return events

"""The demo learner's reading list and certifications (called by `levelup demo`)."""

from __future__ import annotations

from datetime import timedelta

from levelup.progress.models import Enrollment
from levelup.resources import selectors, services


def extend(enrollment: Enrollment) -> None:
    """Two books and a platform on the list, one certification planned, one booked."""
    user = enrollment.user
    if selectors.reading_list(user=user).exists():
        return
    today = user.local_today()
    suggestions = {s.key: s for s in selectors.reading_suggestions(user=user)}
    if "book:clean-code" in suggestions:
        services.reading_item_add(
            user=user,
            source_key="book:clean-code",
            status="finished",
            rating=4,
            note="Chapters on naming and functions were the most useful.",
        )
    if "book:designing-data-intensive-applications" in suggestions:
        services.reading_item_add(
            user=user,
            source_key="book:designing-data-intensive-applications",
            status="in_progress",
            note="Slow going; one chapter a fortnight.",
        )
    if "platform:leetcode" in suggestions:
        services.reading_item_add(user=user, source_key="platform:leetcode", status="in_progress")
    services.reading_item_add(
        user=user,
        title="The Pragmatic Programmer",
        authors="Andrew Hunt, David Thomas",
        status="want",
    )
    certs = {s.key for s in selectors.certification_suggestions(user=user)}
    if "cert:aws-certified-developer-associate" in certs:
        services.certification_add(
            user=user,
            source_key="cert:aws-certified-developer-associate",
            status="booked",
            exam_date=today + timedelta(days=45),
        )
    if "cert:mongodb-certified-developer" in certs:
        services.certification_add(user=user, source_key="cert:mongodb-certified-developer")

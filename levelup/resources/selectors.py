"""Reads of the reading list and certifications."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils.text import slugify

from levelup.accounts.models import User
from levelup.lib.errors import Invalid, NotFound
from levelup.progress.selectors import document_of, enrollment_list
from levelup.resources.models import Certification, CertificationStatus, ReadingItem

# Certifications expiring within this many days show on the dashboard.
EXPIRY_WARNING_DAYS = 90

PLATFORM_KINDS = {
    "courses": "course",
    "practice": "practice",
    "documentation": "documentation",
    "communities": "community",
    "other": "other",
}


@dataclass(frozen=True)
class Suggestion:
    """A book, platform or certification a roadmap recommends, by its stable key."""

    key: str
    title: str
    kind: str
    authors: str
    url: str
    issuer: str
    roadmap: str


def _suggestions(user: User) -> list[Suggestion]:
    seen: dict[str, Suggestion] = {}
    for enrollment in enrollment_list(user=user).exclude(status="archived"):
        document = document_of(enrollment)
        for book in document.resources.books:
            key = f"book:{slugify(book.title)}"
            seen.setdefault(
                key,
                Suggestion(
                    key=key,
                    title=book.title,
                    kind="book",
                    authors=", ".join(book.authors),
                    url=str(book.url or ""),
                    issuer="",
                    roadmap=document.title,
                ),
            )
        for platform in document.resources.platforms:
            key = f"platform:{slugify(platform.name)}"
            seen.setdefault(
                key,
                Suggestion(
                    key=key,
                    title=platform.name,
                    kind=PLATFORM_KINDS.get(platform.kind, "other"),
                    authors="",
                    url=str(platform.url or ""),
                    issuer="",
                    roadmap=document.title,
                ),
            )
        for cert in document.certifications:
            key = f"cert:{cert.slug}"
            seen.setdefault(
                key,
                Suggestion(
                    key=key,
                    title=cert.title,
                    kind="certification",
                    authors="",
                    url="",
                    issuer=cert.issuer or "",
                    roadmap=document.title,
                ),
            )
    return list(seen.values())


def reading_suggestions(*, user: User) -> list[Suggestion]:
    """The books and platforms of the learner's roadmaps that are not on their list yet."""
    taken = set(
        ReadingItem.objects.filter(user=user)
        .exclude(source_key="")
        .values_list("source_key", flat=True)
    )
    return [s for s in _suggestions(user) if s.kind != "certification" and s.key not in taken]


def certification_suggestions(*, user: User) -> list[Suggestion]:
    """The certifications the learner's roadmaps name that the learner does not track yet."""
    taken = set(
        Certification.objects.filter(user=user)
        .exclude(source_key="")
        .values_list("source_key", flat=True)
    )
    return [s for s in _suggestions(user) if s.kind == "certification" and s.key not in taken]


def suggestion_get(*, user: User, key: str) -> Suggestion:
    """A suggestion of one of the learner's roadmaps by key, tracked or not."""
    for suggestion in _suggestions(user):
        if suggestion.key == key:
            return suggestion
    raise Invalid.for_field("source_key", f"{key!r} is not recommended by any of your roadmaps")


def reading_list(*, user: User) -> QuerySet[ReadingItem]:
    return ReadingItem.objects.filter(user=user).order_by("created_at", "id")


def reading_item_get_for_user(*, user: User, item_id: int) -> ReadingItem:
    item = ReadingItem.objects.filter(user=user, pk=item_id).first()
    if item is None:
        raise NotFound("no such reading-list item")
    return item


def certification_list(*, user: User) -> QuerySet[Certification]:
    return Certification.objects.filter(user=user).order_by("created_at", "id")


def certification_get_for_user(*, user: User, certification_id: int) -> Certification:
    cert = Certification.objects.filter(user=user, pk=certification_id).first()
    if cert is None:
        raise NotFound("no such certification")
    return cert


def booked_exams(*, user: User) -> QuerySet[Certification]:
    """Exams the learner has booked (the calendar feed shows them)."""
    return Certification.objects.filter(
        user=user, status=CertificationStatus.BOOKED, exam_date__isnull=False
    ).order_by("exam_date", "id")


def expiring_certifications(*, user: User, today: date) -> list[Certification]:
    """Passed certifications whose expiry is today or within `EXPIRY_WARNING_DAYS`, or past."""
    return list(
        Certification.objects.filter(
            user=user,
            status=CertificationStatus.PASSED,
            expires_on__isnull=False,
            expires_on__lte=today + timedelta(days=EXPIRY_WARNING_DAYS),
        ).order_by("expires_on", "id")
    )

"""A learner's reading list and certifications.

The roadmap's books and platforms are suggestions; a learner tracks one by adding it to
their reading list (`source_key` names it, e.g. ``book:clean-code``), or adds their own
(empty `source_key`). Certifications work the same way with ``cert:<slug>``.

Both belong to the user, not to an enrollment: a book read for one roadmap stays read
when the learner starts another.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ReadingKind(models.TextChoices):
    BOOK = "book", "Book"
    COURSE = "course", "Course"
    PRACTICE = "practice", "Practice platform"
    DOCUMENTATION = "documentation", "Documentation"
    COMMUNITY = "community", "Community"
    ARTICLE = "article", "Article"
    OTHER = "other", "Other"


class ReadingStatus(models.TextChoices):
    WANT = "want", "Want to"
    IN_PROGRESS = "in_progress", "In progress"
    FINISHED = "finished", "Finished"
    DROPPED = "dropped", "Dropped"


class ReadingItem(models.Model):
    """One book, course or platform on the learner's list, with where they are in it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reading_items"
    )
    # "book:clean-code", "platform:udemy" for a roadmap suggestion; empty for their own.
    source_key = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200)
    authors = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=16, choices=ReadingKind.choices, default=ReadingKind.BOOK)
    url = models.URLField(max_length=2000, blank=True)
    status = models.CharField(
        max_length=12, choices=ReadingStatus.choices, default=ReadingStatus.WANT
    )
    note = models.TextField(blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True, help_text="1 to 5.")
    finished_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "source_key"],
                condition=~Q(source_key=""),
                name="one_reading_item_per_suggestion",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | (Q(rating__gte=1) & Q(rating__lte=5)),
                name="reading_rating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.status})"


class CertificationStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    BOOKED = "booked", "Exam booked"
    PASSED = "passed", "Passed"


class Certification(models.Model):
    """A certification the learner aims for, has booked, or holds.

    A booked exam needs its date (it goes on the calendar feed); a pass needs the date it
    was passed, and may carry the credential's URL and expiry (shown on the dashboard when
    it is less than 90 days away).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certifications"
    )
    source_key = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200)
    issuer = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=8, choices=CertificationStatus.choices, default=CertificationStatus.PLANNED
    )
    exam_date = models.DateField(null=True, blank=True)
    passed_on = models.DateField(null=True, blank=True)
    credential_url = models.URLField(max_length=2000, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "source_key"],
                condition=~Q(source_key=""),
                name="one_certification_per_suggestion",
            ),
            models.CheckConstraint(
                condition=~Q(status="booked") | Q(exam_date__isnull=False),
                name="booked_exam_has_a_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="passed") | Q(passed_on__isnull=False),
                name="passed_certification_has_a_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.status})"

"""A learner's journey through one roadmap: enrollment, item state, history.

Learner state is keyed by item keys (`topic:x/y`), never by content row ids,
so a new roadmap version or a fork keeps everyone's progress.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from levelup.lib.dates import EARLIEST_DAY, LATEST_DAY, validate_day_in_range
from levelup.roadmaps.effort import nominal_finish
from levelup.roadmaps.models import Roadmap, RoadmapVersion
from levelup.roadmaps.schema import RoadmapDocument
from levelup.roadmaps.selectors import document_for


class EnrollmentStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    ARCHIVED = "archived", "Archived"


def default_study_days() -> list[int]:
    return [0, 1, 2, 3, 4, 5]


class Enrollment(models.Model):
    """A learner following a roadmap from a start date, pinned to the version they started on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    roadmap = models.ForeignKey(Roadmap, on_delete=models.PROTECT, related_name="enrollments")
    version = models.ForeignKey(
        RoadmapVersion, on_delete=models.PROTECT, related_name="enrollments"
    )
    start_date = models.DateField(validators=[validate_day_in_range])
    # The finish the learner aims at; empty means the roadmap's own end from the start date.
    target_finish = models.DateField(null=True, blank=True, validators=[validate_day_in_range])
    weekly_hours = models.DecimalField(max_digits=4, decimal_places=1)
    # Weekday numbers, 0 = Monday … 6 = Sunday.
    study_days = models.JSONField(default=default_study_days)
    status = models.CharField(
        max_length=10, choices=EnrollmentStatus.choices, default=EnrollmentStatus.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "roadmap"],
                condition=~Q(status="archived"),
                name="one_open_enrollment_per_roadmap",
            ),
            models.CheckConstraint(
                condition=Q(start_date__gte=EARLIEST_DAY, start_date__lte=LATEST_DAY),
                name="enrollment_start_in_range",
            ),
            models.CheckConstraint(
                condition=Q(target_finish__isnull=True)
                | Q(target_finish__gte=EARLIEST_DAY, target_finish__lte=LATEST_DAY),
                name="enrollment_target_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.roadmap.slug}"

    @property
    def document(self) -> RoadmapDocument:
        """The parsed document of the version this enrollment is pinned to (cached)."""
        return document_for(self.version)

    def status_on(self, today: date, pauses: Iterable[tuple[date, date | None]]) -> str:
        """The status as of ``today``: archived stays archived; otherwise paused exactly
        when one of ``pauses`` (start, end or None while open) covers today. The stored
        status is written when a pause is recorded or ended, but a scheduled pause begins
        (and a dated one ends) with nothing written, so readers ask the pauses."""
        if self.status == EnrollmentStatus.ARCHIVED:
            return self.status
        for start, end in pauses:
            if start <= today and (end is None or today <= end):
                return EnrollmentStatus.PAUSED
        return EnrollmentStatus.ACTIVE

    def target(self) -> date:
        """The finish aimed at: the learner's own date, else the roadmap's end from the start."""
        if self.target_finish is not None:
            return self.target_finish
        return nominal_finish(self.start_date, self.document.duration_months)


class Pause(models.Model):
    """A stretch of time the learner stepped away; plans shift and streaks hold across it."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="pauses")
    start_date = models.DateField(validators=[validate_day_in_range])
    end_date = models.DateField(
        null=True,
        blank=True,
        help_text="Empty while the pause is open.",
        validators=[validate_day_in_range],
    )
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start_date"]
        # The rules between pauses (inside the enrollment's life, no overlaps, at most
        # MAX_PAUSES) are the services'; these hold for every single row.
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__gte=EARLIEST_DAY, start_date__lte=LATEST_DAY),
                name="pause_start_in_range",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date"), end_date__lte=LATEST_DAY),
                name="pause_ends_on_or_after_its_start",
            ),
        ]

    def __str__(self) -> str:
        return f"pause {self.start_date}–{self.end_date or 'open'}"


class ItemStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    SKIPPED = "skipped", "Skipped"


class ItemProgress(models.Model):
    """The current state of one item for one enrollment. A missing row means "not started"."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="items")
    item_key = models.CharField(max_length=200)
    status = models.CharField(
        max_length=12, choices=ItemStatus.choices, default=ItemStatus.NOT_STARTED
    )
    # Self-assessment 0-4; 3 or more means "known", which counts as complete.
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True)
    # Notes are private; the learner may share an item's notes with their mentors.
    notes_shared = models.BooleanField(default=False)
    # Optimistic concurrency: a write must name the version it read (If-Match).
    version = models.PositiveIntegerField(default=1)
    # The status a subtopic had before it was ticked done, so un-doing its topic can
    # put it back where it was instead of wiping the learner's own progress.
    previous_status = models.CharField(max_length=12, choices=ItemStatus.choices, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "item_key"], name="one_progress_row_per_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_key}: {self.status}"


class Evidence(models.Model):
    """A titled link proving work on an item; for projects also a repository and a write-up."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="evidence")
    item_key = models.CharField(max_length=200)
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=2000, blank=True)
    repository_url = models.URLField(max_length=2000, blank=True)
    writeup = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["enrollment", "item_key"])]

    def __str__(self) -> str:
        return self.title


class EventKind(models.TextChoices):
    STATUS = "status", "Status"
    RATING = "rating", "Rating"
    NOTES = "notes", "Notes"
    EVIDENCE = "evidence", "Evidence"
    ENROLLMENT = "enrollment", "Enrollment"


class ProgressEvent(models.Model):
    """One change, with who made it, when, and the values before and after."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    item_key = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    from_value = models.CharField(max_length=200, blank=True)
    to_value = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["enrollment", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.item_key}: {self.from_value} → {self.to_value}"


class Assessment(models.Model):
    """One run of the self-assessment; every run is kept as history."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="assessments")
    ratings = models.JSONField(help_text="{topic key: rating 0-4}")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"assessment of {len(self.ratings)} topics"


class ChecklistTick(models.Model):
    """Onboarding checklist: a prerequisite or how-to-use step the learner has ticked."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="checklist")
    key = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "key"], name="one_tick_per_step")
        ]

    def __str__(self) -> str:
        return self.key


class ArchivedItem(models.Model):
    """Progress on an item a newer roadmap version removed, kept when the learner moved.

    Moving to a new version never deletes what the learner did: the state of every
    removed item is copied here (with its evidence and logged minutes) and stays
    readable on the enrollment's archive page and in the API.
    """

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="archive")
    item_key = models.CharField(max_length=200)
    title = models.CharField(max_length=2000)
    from_version = models.PositiveIntegerField(help_text="The version the item was last in.")
    to_version = models.PositiveIntegerField(help_text="The version that no longer has it.")
    status = models.CharField(max_length=12, choices=ItemStatus.choices)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True)
    evidence = models.JSONField(default=list)
    logged_minutes = models.PositiveIntegerField(default=0)
    archived_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-archived_at", "item_key"]
        indexes = [models.Index(fields=["enrollment", "item_key"])]

    def __str__(self) -> str:
        return f"archived {self.item_key} (v{self.from_version})"

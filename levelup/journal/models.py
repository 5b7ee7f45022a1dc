"""The study journal: time logged by category, practice problems, learning entries.

Dates here are the learner's *local* calendar dates and times are local wall-clock
times, never UTC instants: "Tuesday, 90 minutes" means the learner's Tuesday
whatever the offset was that day, so weeks add up the same across daylight-saving
changes and when the learner moves to another zone.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from levelup.progress.models import Enrollment


class StudySession(models.Model):
    """Time spent studying on one local day, in one weekly-schedule category.

    A session created for a practice problem belongs to it (see `PracticeProblem`):
    it is edited and deleted through the problem, so its minutes are counted once.
    """

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="study_sessions"
    )
    date = models.DateField(help_text="The learner's local date.")
    start_time = models.TimeField(
        null=True, blank=True, help_text="Local wall-clock time, optional."
    )
    minutes = models.PositiveSmallIntegerField()
    category = models.CharField(max_length=80)
    item_key = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)
    # Content fingerprint (date, start, minutes, category, item, note): CSV
    # import compares rows with it so importing a file twice adds nothing.
    fingerprint = models.CharField(max_length=64, db_index=True)
    # SHA-256 of the client's Idempotency-Key and of the request body it came
    # with; a replay returns this session, a different body answers 409.
    idempotency_key = models.CharField(max_length=64, blank=True)
    request_fingerprint = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-start_time", "-id"]
        # Both cover the aggregates that read a learner's whole history (minutes per day
        # and category for the heatmap, the plan and the review; minutes per item for the
        # plan), so they are answered from the index without visiting the rows.
        indexes = [
            models.Index(
                fields=["enrollment", "date", "category", "minutes"], name="journal_session_by_day"
            ),
            models.Index(
                fields=["enrollment", "item_key", "minutes"], name="journal_session_by_item"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="one_session_per_idempotency_key",
            ),
            models.CheckConstraint(
                condition=Q(minutes__gte=1) & Q(minutes__lte=960), name="session_minutes_1_to_960"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.minutes} min {self.category}"


class PracticePlatform(models.TextChoices):
    LEETCODE = "leetcode", "LeetCode"
    HACKERRANK = "hackerrank", "HackerRank"
    OTHER = "other", "Other"


class Difficulty(models.TextChoices):
    EASY = "easy", "Easy"
    MEDIUM = "medium", "Medium"
    HARD = "hard", "Hard"


class Outcome(models.TextChoices):
    SOLVED = "solved", "Solved"
    SOLVED_WITH_HELP = "solved_with_help", "Solved with help"
    NOT_SOLVED = "not_solved", "Not solved"


class PracticeProblem(models.Model):
    """One algorithm problem attempted on a practice platform.

    Its minutes live in the study log, not here: a problem with minutes owns
    exactly one `StudySession` (the roadmap's topic category, same date and
    item), created, changed and deleted with it. The weekly review counts time
    from sessions only and problems only as a count, so nothing is counted twice.
    """

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="practice_problems"
    )
    date = models.DateField(help_text="The learner's local date.")
    platform = models.CharField(max_length=12, choices=PracticePlatform.choices)
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=2000, blank=True)
    difficulty = models.CharField(max_length=8, choices=Difficulty.choices)
    item_key = models.CharField(max_length=200, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    minutes = models.PositiveSmallIntegerField(default=0)
    session = models.OneToOneField(
        StudySession,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practice_problem",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["enrollment", "date"], name="journal_practice_by_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"


class JournalEntry(models.Model):
    """A dated learning-log entry in Markdown, with tags and linked roadmap items.

    `tags_index` and `items_index` hold the lists as "|a|b|" so that filtering
    is a plain substring match that behaves the same on SQLite and PostgreSQL.
    """

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="journal_entries"
    )
    date = models.DateField(help_text="The learner's local date.")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, help_text="Markdown; rendered sanitized.")
    tags = models.JSONField(default=list)
    item_keys = models.JSONField(default=list)
    tags_index = models.CharField(max_length=1000, blank=True)
    items_index = models.TextField(blank=True)
    # Entries are private; the learner may share one with their mentors (read-only).
    shared = models.BooleanField(default=False)
    # Shown on the learner's public portfolio when its journal section is on.
    public = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name_plural = "journal entries"
        indexes = [models.Index(fields=["enrollment", "date"], name="journal_entry_by_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"

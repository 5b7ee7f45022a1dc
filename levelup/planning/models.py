"""Stored parts of the planner: the private calendar feed of an enrollment.

The plan itself is never stored: it is a pure function of the roadmap and the learner's
progress, recomputed when those change (and cached by their fingerprint meanwhile).
"""

from __future__ import annotations

from django.db import models

from levelup.progress.models import Enrollment


class CalendarFeed(models.Model):
    """A private ICS feed of one enrollment's plan, reached by a secret URL.

    Only the SHA-256 of the secret is stored: the feed URL is shown to its owner once, when
    it is made, and a lost URL is replaced by making a new one (which revokes the old).
    ``times`` maps a daily-routine slot to the local start time the learner chose
    ("19:00"); a slot missing from it uses the roadmap's ``default_time``.
    """

    enrollment = models.OneToOneField(
        Enrollment, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    secret_hash = models.CharField(max_length=64, unique=True)
    times = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"calendar feed of enrollment {self.enrollment_id}"

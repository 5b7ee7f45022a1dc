"""Mentors, teams, checkpoint reviews and the credentials an approved review issues.

This app sits above progress, journal and planning: it reads them and they never
import it. A review's submissions are append-only; each keeps the snapshot frozen
at the moment it was submitted, so later edits to progress never change it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from levelup.progress.models import Enrollment
from levelup.roadmaps.models import Roadmap


class MentorInvitation(models.Model):
    """A private link (or a named user) a learner hands to a would-be mentor.

    Only the SHA-256 of the code is stored: the link is shown once, like a token.
    """

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_invitations"
    )
    code_hash = models.CharField(max_length=64, unique=True)
    # Set when the learner invited someone by username: only that user may accept.
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="mentor_invitations_received",
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"invitation from {self.learner}"


class MentorshipSource(models.TextChoices):
    INVITATION = "invitation", "Invitation"
    TEAM = "team", "Team lead"


class Mentorship(models.Model):
    """A mentor following a learner, read-only, until either of them ends it."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorships_as_learner"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorships_as_mentor"
    )
    source = models.CharField(
        max_length=12, choices=MentorshipSource.choices, default=MentorshipSource.INVITATION
    )
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "mentor"],
                condition=Q(ended_at__isnull=True),
                name="one_active_mentorship_per_pair",
            ),
            models.CheckConstraint(condition=~Q(learner=models.F("mentor")), name="no_self_mentor"),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} mentors {self.learner}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class ReviewStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    CLAIMED = "claimed", "Claimed"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"


class CheckpointReview(models.Model):
    """A learner's request that a mentor sign off one checkpoint of one enrollment.

    `claimed_by` holds the lock while `claim_expires_at` is in the future; an
    expired claim counts as no claim. `mentor_ratings` maps criterion slug to a
    rating 0-4, or null for "not observable".
    """

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="reviews")
    checkpoint_slug = models.CharField(max_length=120)
    status = models.CharField(max_length=20, choices=ReviewStatus.choices)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claim_expires_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    mentor_ratings = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            # One review per checkpoint that is still open or approved; a learner
            # resubmits the same review after changes are requested.
            models.UniqueConstraint(
                fields=["enrollment", "checkpoint_slug"], name="one_review_per_checkpoint"
            )
        ]

    def __str__(self) -> str:
        return f"review of {self.checkpoint_slug}: {self.status}"

    @property
    def item_key(self) -> str:
        return f"checkpoint:{self.checkpoint_slug}"


class ReviewSubmission(models.Model):
    """One submission of a review, frozen: self-ratings, evidence and the snapshot."""

    review = models.ForeignKey(
        CheckpointReview, on_delete=models.CASCADE, related_name="submissions"
    )
    round = models.PositiveSmallIntegerField()
    # [{"slug", "rating", "note"}] in the checkpoint's criterion order.
    criteria = models.JSONField()
    # [{"title", "url", "item_key", "evidence_id"}]
    evidence = models.JSONField()
    snapshot = models.JSONField()
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["round"]
        constraints = [
            models.UniqueConstraint(fields=["review", "round"], name="one_submission_per_round")
        ]

    def __str__(self) -> str:
        return f"round {self.round} of {self.review_id}"


class ReviewEventKind(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    RESUBMITTED = "resubmitted", "Resubmitted"
    CLAIMED = "claimed", "Claimed"
    COMMENTED = "commented", "Commented"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    CREDENTIAL_ISSUED = "credential_issued", "Credential issued"
    CREDENTIAL_REVOKED = "credential_revoked", "Credential revoked"


class ReviewEvent(models.Model):
    """One transition of a review, with who made it and when."""

    review = models.ForeignKey(CheckpointReview, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=ReviewEventKind.choices)
    detail = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} by {self.actor}"


class ReviewComment(models.Model):
    """A message in the thread between the learner and the mentors of a review."""

    review = models.ForeignKey(CheckpointReview, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"comment by {self.author}"


class Credential(models.Model):
    """The Open Badges 3.0 credential an approved review issued, as signed (a JWS)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    review = models.OneToOneField(
        CheckpointReview, on_delete=models.CASCADE, related_name="credential"
    )
    # The OpenBadgeCredential as signed, and the compact JWS over it.
    document = models.JSONField()
    jws = models.TextField()
    issued_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"credential {self.id}"


class Team(models.Model):
    """A group of learners with one or more leads."""

    name = models.CharField(max_length=120)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class TeamRole(models.TextChoices):
    LEAD = "lead", "Lead"
    MEMBER = "member", "Member"


class TeamMembership(models.Model):
    """A user in a team, as lead or member, with the roadmap a lead assigned them."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships"
    )
    role = models.CharField(max_length=8, choices=TeamRole.choices)
    assigned_roadmap = models.ForeignKey(
        Roadmap, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    joined_at = models.DateTimeField()

    class Meta:
        ordering = ["role", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="one_membership_per_team")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) in {self.team}"


class NotificationSettings(models.Model):
    """Per-user mentoring preferences: email is off until the user turns it on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    email_enabled = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"notifications of {self.user}"

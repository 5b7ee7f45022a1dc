"""What a learner owns: the one list that export, import and account deletion walk.

Each `Kind` names a model, the path from it to its owner, and the archive key its rows go
under. Export, import and delete are generic over this list: a new model owned by a user
(directly or through an enrollment) is covered by adding one line to `KINDS`, in an order
where every kind comes after the kinds it points to. A model that holds a user's rows but
must not travel in the archive goes in `NOT_EXPORTED` with the reason.

`tests/datatransfer/test_registry.py` fails when a model with a foreign key to the user,
or to a model listed here, is in neither list, so nothing a learner owns is forgotten.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models


def _new_secret_hash() -> str:
    # A restored calendar feed gets a fresh secret nobody knows; the learner makes a new
    # address on the plan page (the old server's address must not start working here).
    return hashlib.sha256(secrets.token_urlsafe(32).encode()).hexdigest()


@dataclass(frozen=True)
class Kind:
    """One model in the archive.

    `owner` is the lookup from the model to the owning user ("user", "enrollment__user").
    `secret` fields are never exported; on import each gets the value its function makes.
    """

    name: str
    model_label: str
    owner: str
    secret: dict[str, Callable[[], Any]] = field(default_factory=dict)

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)


KINDS: tuple[Kind, ...] = (
    Kind("enrollments", "progress.Enrollment", "user"),
    Kind("pauses", "progress.Pause", "enrollment__user"),
    Kind("item_progress", "progress.ItemProgress", "enrollment__user"),
    Kind("evidence", "progress.Evidence", "enrollment__user"),
    Kind("progress_events", "progress.ProgressEvent", "enrollment__user"),
    Kind("assessments", "progress.Assessment", "enrollment__user"),
    Kind("checklist_ticks", "progress.ChecklistTick", "enrollment__user"),
    Kind("archived_items", "progress.ArchivedItem", "enrollment__user"),
    Kind("study_sessions", "journal.StudySession", "enrollment__user"),
    Kind("practice_problems", "journal.PracticeProblem", "enrollment__user"),
    Kind("journal_entries", "journal.JournalEntry", "enrollment__user"),
    Kind(
        "calendar_feeds",
        "planning.CalendarFeed",
        "enrollment__user",
        secret={"secret_hash": _new_secret_hash},
    ),
    Kind("reading_items", "resources.ReadingItem", "user"),
    Kind("certifications", "resources.Certification", "user"),
    Kind("portfolio", "portfolio.PortfolioSettings", "user"),
    # A checkpoint review is the learner's: their request, self-ratings and evidence, and
    # the mentor's decision on it. The mentor travels as a username (USER_REFERENCES).
    Kind("checkpoint_reviews", "mentoring.CheckpointReview", "enrollment__user"),
    Kind("review_submissions", "mentoring.ReviewSubmission", "review__enrollment__user"),
    Kind("review_events", "mentoring.ReviewEvent", "review__enrollment__user"),
    Kind("review_comments", "mentoring.ReviewComment", "review__enrollment__user"),
    Kind("notification_settings", "mentoring.NotificationSettings", "user"),
)

_RELATIONSHIP = (
    "a link between this account and another person on this server, meaningless on "
    "another one; ended or deleted with either account"
)

# model label -> why its rows are not in the archive (and what deletion does with them).
NOT_EXPORTED: dict[str, str] = {
    "accounts.ApiToken": (
        "secrets that work only on this server; deleted with the account, never exported"
    ),
    "roadmaps.RoadmapVersion": (
        "published roadmap versions are shared content; `created_by` is cleared when the "
        "publisher's account is deleted, and pinned versions travel as documents"
    ),
    "accounts.FormSubmission": (
        "one-time form tokens that stop a refreshed form from writing twice; they mean "
        "nothing on another server and are deleted with the account"
    ),
    "accounts.SignupInvite": (
        "an invitation to this server, made by staff; who made or used it is cleared "
        "(set to null) when that account is deleted"
    ),
    "admin.LogEntry": (
        "the operator's audit trail of admin-site actions; Django deletes it with the user"
    ),
    "roadmaps.Roadmap": (
        "roadmaps are shared content that others may follow; the owner link is cleared "
        "when the owner's account is deleted, and pinned versions travel as documents"
    ),
    "mentoring.MentorInvitation": _RELATIONSHIP,
    "mentoring.Mentorship": _RELATIONSHIP,
    "mentoring.Team": _RELATIONSHIP,
    "mentoring.TeamMembership": _RELATIONSHIP,
    "mentoring.Credential": (
        "an Open Badge signed with this server's key: it verifies against this server's "
        "issuer profile and nowhere else, so a copy on another server would be a forgery. "
        "The learner keeps the signed badge itself (credential.json on the review page); "
        "the review it was issued for is in the archive"
    ),
    "readcache.EnrollmentStamp": (
        "a cache counter the database keeps itself; made again on the first write"
    ),
}

# Fields that point at a user but are not ownership (who did something, not whose it is):
# exported as "@self" for the owner, or the other user's username.
USER_REFERENCES: frozenset[str] = frozenset(
    {
        "progress.ProgressEvent.actor",
        "mentoring.CheckpointReview.claimed_by",
        "mentoring.CheckpointReview.decided_by",
        "mentoring.ReviewEvent.actor",
        "mentoring.ReviewComment.author",
    }
)


def kind_for_model(model: type[models.Model]) -> Kind | None:
    label = model._meta.label
    return next((k for k in KINDS if k.model_label == label), None)

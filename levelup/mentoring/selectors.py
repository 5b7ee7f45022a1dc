"""Reads of mentoring: who mentors whom, what a mentor may see, reviews, teams, the inbox.

Access is decided here, once per object (`*_get_for_user`), for pages and API alike:
anyone with no standing (staff included) gets NotFound, never a hint the object exists.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from levelup.accounts.models import User
from levelup.dashboard.selectors import dashboard_context
from levelup.journal.models import JournalEntry, StudySession
from levelup.lib.errors import NotFound
from levelup.mentoring import credentials
from levelup.mentoring.models import (
    CheckpointReview,
    Credential,
    Mentorship,
    ReviewEvent,
    ReviewEventKind,
    ReviewStatus,
    ReviewSubmission,
    Team,
    TeamMembership,
    TeamRole,
)
from levelup.mentoring.services import claim_is_live
from levelup.planning.selectors import plan_context, plan_data, verdict_data
from levelup.progress.figures import RATING_LABELS, State, effective_state
from levelup.progress.models import Enrollment, EnrollmentStatus, Evidence, ItemProgress
from levelup.progress.selectors import document_of
from levelup.roadmaps.selectors import document_for

# --- mentorships -----------------------------------------------------------------------


def mentors_of(*, learner: User) -> QuerySet[Mentorship]:
    """The learner's active mentorships, with the mentors."""
    return Mentorship.objects.filter(learner=learner, ended_at__isnull=True).select_related(
        "mentor"
    )


def mentees_of(*, mentor: User) -> QuerySet[Mentorship]:
    """The mentor's active mentorships, with the learners."""
    return Mentorship.objects.filter(mentor=mentor, ended_at__isnull=True).select_related("learner")


@dataclass(frozen=True)
class MenteeSummary:
    user_id: int
    username: str
    name: str
    mentorship_id: int
    since: datetime
    enrollments: list[dict[str, Any]]
    reviews_waiting: int


def mentee_list(*, mentor: User) -> list[MenteeSummary]:
    """Each mentee with their open enrollments and reviews waiting, in a fixed number of queries."""
    mentorships = list(mentees_of(mentor=mentor).order_by("learner__username"))
    learner_ids = [m.learner_id for m in mentorships]
    enrollments: dict[int, list[dict[str, Any]]] = {i: [] for i in learner_ids}
    for e in (
        Enrollment.objects.filter(user_id__in=learner_ids)
        .exclude(status=EnrollmentStatus.ARCHIVED)
        .select_related("roadmap")
        .order_by("-created_at")
    ):
        enrollments[e.user_id].append(
            {
                "id": e.pk,
                "roadmap": e.roadmap.slug,
                "roadmap_title": e.roadmap.title,
                "status": e.status,
            }
        )
    waiting = dict(
        CheckpointReview.objects.filter(
            enrollment__user_id__in=learner_ids,
            status__in=[ReviewStatus.SUBMITTED, ReviewStatus.CLAIMED],
        )
        .values_list("enrollment__user_id")
        .annotate(n=Count("id"))
        .values_list("enrollment__user_id", "n")
    )
    return [
        MenteeSummary(
            user_id=m.learner_id,
            username=m.learner.username,
            name=m.learner.name,
            mentorship_id=m.pk,
            since=m.started_at,
            enrollments=enrollments[m.learner_id],
            reviews_waiting=waiting.get(m.learner_id, 0),
        )
        for m in mentorships
    ]


def mentee_get(*, mentor: User, learner_id: int) -> User:
    """A learner the caller actively mentors; anyone else is NotFound."""
    mentorship = (
        Mentorship.objects.filter(mentor=mentor, learner_id=learner_id, ended_at__isnull=True)
        .select_related("learner")
        .first()
    )
    if mentorship is None:
        raise NotFound(f"no mentee {learner_id}")
    return mentorship.learner


def mentee_enrollment_get(*, mentor: User, learner_id: int, enrollment_id: int) -> Enrollment:
    learner = mentee_get(mentor=mentor, learner_id=learner_id)
    enrollment = (
        Enrollment.objects.filter(user=learner, pk=enrollment_id)
        .select_related("roadmap", "version", "user")
        .defer("version__document")
        .first()
    )
    if enrollment is None:
        raise NotFound(f"no enrollment {enrollment_id}")
    return enrollment


# --- reviews ---------------------------------------------------------------------------


@dataclass
class ReviewAccess:
    review: CheckpointReview
    role: str  # "learner" or "mentor"


def review_get_for_user(*, user: User, review_id: int) -> ReviewAccess:
    """The review if the caller is its learner or one of the learner's active mentors."""
    review = (
        CheckpointReview.objects.select_related(
            "enrollment",
            "enrollment__user",
            "enrollment__roadmap",
            "enrollment__version",
            "claimed_by",
            "decided_by",
        )
        .filter(pk=review_id)
        .first()
    )
    if review is None or not user.is_authenticated:
        raise NotFound(f"no review {review_id}")
    learner_id = review.enrollment.user_id
    if learner_id == user.pk:
        return ReviewAccess(review, "learner")
    if Mentorship.objects.filter(
        mentor=user, learner_id=learner_id, ended_at__isnull=True
    ).exists():
        return ReviewAccess(review, "mentor")
    raise NotFound(f"no review {review_id}")


@dataclass
class ReviewDetail:
    review: CheckpointReview
    role: str
    checkpoint_title: str
    checkpoint_month: int
    criteria: list[dict[str, Any]]
    submissions: list[ReviewSubmission]
    latest: ReviewSubmission | None
    comments: list[Any]
    events: list[ReviewEvent]
    credential: Credential | None
    claim_live: bool
    claim_expires_at: datetime | None
    rating_labels: list[tuple[int, str]] = field(default_factory=list)


def review_detail(*, access: ReviewAccess, now: datetime | None = None) -> ReviewDetail:
    """Everything a review page shows, in a fixed number of queries."""
    now = now or timezone.now()
    review = access.review
    document = document_for(review.enrollment.version)
    checkpoint = document.checkpoint_map.get(review.checkpoint_slug)
    submissions = list(review.submissions.all())
    latest = submissions[-1] if submissions else None
    own = {c["slug"]: c for c in (latest.criteria if latest else [])}
    criteria = [
        {
            "slug": c.slug,
            "text": c.text,
            "self_rating": own.get(c.slug, {}).get("rating"),
            "self_label": own.get(c.slug, {}).get("rating_label", ""),
            "note": own.get(c.slug, {}).get("note", ""),
            "mentor_rating": review.mentor_ratings.get(c.slug),
            "mentor_rated": c.slug in review.mentor_ratings,
        }
        for c in (checkpoint.criteria if checkpoint else ())
    ]
    live = claim_is_live(review, now)
    return ReviewDetail(
        review=review,
        role=access.role,
        checkpoint_title=checkpoint.title if checkpoint else review.checkpoint_slug,
        checkpoint_month=checkpoint.month if checkpoint else 0,
        criteria=criteria,
        submissions=submissions,
        latest=latest,
        comments=list(review.comments.select_related("author")),
        events=list(review.events.select_related("actor")),
        credential=Credential.objects.filter(review=review).first(),
        claim_live=live,
        claim_expires_at=review.claim_expires_at if live else None,
        rating_labels=list(enumerate(RATING_LABELS)),
    )


def reviews_of_enrollment(*, enrollment: Enrollment) -> list[CheckpointReview]:
    return list(CheckpointReview.objects.filter(enrollment=enrollment).select_related("claimed_by"))


def checkpoint_review_form(*, enrollment: Enrollment, checkpoint_slug: str) -> dict[str, Any]:
    """What the learner's review form needs: the checkpoint, linked item states, own evidence."""
    document = document_of(enrollment)
    checkpoint = document.checkpoint_map.get(checkpoint_slug)
    if checkpoint is None:
        raise NotFound(f"no checkpoint {checkpoint_slug!r} in this roadmap")
    keys = {k for c in checkpoint.criteria for k in c.requirement.items}
    rows = {
        r.item_key: r for r in ItemProgress.objects.filter(enrollment=enrollment, item_key__in=keys)
    }
    criteria = []
    for c in checkpoint.criteria:
        items = []
        for key in c.requirement.items:
            row = rows.get(key)
            items.append(
                {
                    "key": key,
                    "title": document.items[key].title if key in document.items else key,
                    "state": effective_state(State(row.status, row.rating) if row else None),
                }
            )
        criteria.append(
            {"slug": c.slug, "text": c.text, "kind": c.requirement.kind, "items": items}
        )
    review = CheckpointReview.objects.filter(
        enrollment=enrollment, checkpoint_slug=checkpoint.slug
    ).first()
    previous = None
    if review is not None:
        previous = review.submissions.order_by("-round").first()
    return {
        "checkpoint": checkpoint,
        "criteria": criteria,
        "evidence": list(
            Evidence.objects.filter(enrollment=enrollment).order_by("item_key", "created_at")
        ),
        "review": review,
        "previous": previous,
        "rating_labels": list(enumerate(RATING_LABELS)),
    }


# --- credentials -----------------------------------------------------------------------


def credential_get(*, credential_id: str) -> Credential:
    """A credential by id, for the public verification page; unknown ids are NotFound."""
    try:
        key = uuid.UUID(str(credential_id).removeprefix("urn:uuid:"))
    except ValueError:
        raise NotFound("no such credential") from None
    credential = Credential.objects.filter(pk=key).first()
    if credential is None:
        raise NotFound("no such credential")
    return credential


@dataclass(frozen=True)
class VerifyResult:
    valid: bool
    revoked: bool
    reason: str
    credential_id: str | None = None
    name: str | None = None
    subject: str | None = None
    issued_at: datetime | None = None
    revoked_at: datetime | None = None


def credential_verify(presented: Any) -> VerifyResult:
    """Is the credential genuine (signed here, unchanged) and not revoked?"""
    check = credentials.signature_check(presented)
    if not check.valid:
        return VerifyResult(valid=False, revoked=False, reason=check.reason)
    stored = (
        Credential.objects.filter(pk=check.credential_id).first() if check.credential_id else None
    )
    if stored is None:
        return VerifyResult(
            False,
            False,
            "signed by this issuer but not issued by this instance",
            check.credential_id,
        )
    document = stored.document
    common = {
        "credential_id": str(stored.pk),
        "name": document.get("name"),
        "subject": document.get("credentialSubject", {}).get("name"),
        "issued_at": stored.issued_at,
    }
    if stored.revoked_at is not None:
        return VerifyResult(
            valid=False,
            revoked=True,
            reason=f"revoked: {stored.revocation_reason}",
            revoked_at=stored.revoked_at,
            **common,
        )
    return VerifyResult(valid=True, revoked=False, reason="genuine and not revoked", **common)


def credential_verify_by_id(*, credential_id: str) -> VerifyResult:
    """Verify the credential this instance stored under `credential_id` (its signature too)."""
    try:
        stored = credential_get(credential_id=credential_id)
    except NotFound:
        return VerifyResult(False, False, "no credential with this id was issued here")
    return credential_verify(credentials.credential_download(stored.document, stored.jws))


# --- teams -----------------------------------------------------------------------------


def team_list(*, user: User) -> QuerySet[Team]:
    return (
        Team.objects.filter(memberships__user=user)
        .annotate(size=Count("memberships", distinct=True))
        .order_by("name")
    )


@dataclass
class TeamAccess:
    team: Team
    role: str  # lead or member


def team_get_for_user(*, user: User, team_id: int) -> TeamAccess:
    membership = (
        TeamMembership.objects.filter(team_id=team_id, user=user).select_related("team").first()
        if user.is_authenticated
        else None
    )
    if membership is None:
        raise NotFound(f"no team {team_id}")
    return TeamAccess(membership.team, membership.role)


def team_page(*, access: TeamAccess, today: date | None = None) -> dict[str, Any]:
    """The team at a glance. Members see the roster; leads see the matrix and figures too.

    Skills matrix: members × topics of each member's assigned (else newest) enrollment's
    roadmap, status and rating. The verdict is the plan's own (`verdict_data` of `plan_context`), never recomputed here.
    """
    team = access.team
    memberships = list(
        TeamMembership.objects.filter(team=team).select_related("user", "assigned_roadmap")
    )
    leads = [m for m in memberships if m.role == TeamRole.LEAD]
    members = [m for m in memberships if m.role == TeamRole.MEMBER]
    data: dict[str, Any] = {"team": team, "role": access.role, "leads": leads, "members": members}
    if access.role != TeamRole.LEAD:
        return data
    member_ids = [m.user_id for m in members]
    assigned = {m.user_id: m.assigned_roadmap_id for m in members}
    enrollments: dict[int, Enrollment] = {}
    # Newest first: the first seen is kept unless a later one is the assigned roadmap.
    for e in (
        Enrollment.objects.filter(user_id__in=member_ids)
        .exclude(status=EnrollmentStatus.ARCHIVED)
        .select_related("roadmap", "version", "user")
        .defer("version__document")
        .order_by("-created_at", "-id")
    ):
        kept = enrollments.get(e.user_id)
        if kept is None or (
            e.roadmap_id == assigned[e.user_id] and kept.roadmap_id != assigned[e.user_id]
        ):
            enrollments[e.user_id] = e
    states: dict[int, dict[str, tuple[str, int | None]]] = {e.pk: {} for e in enrollments.values()}
    for enrollment_id, key, status, rating in ItemProgress.objects.filter(
        enrollment_id__in=list(states)
    ).values_list("enrollment_id", "item_key", "status", "rating"):
        states[enrollment_id][key] = (status, rating)
    # "This month" is each member's own calendar month in their time zone.
    now = timezone.now()
    month_start = {
        e.pk: timezone.localtime(now, e.user.zone).date().replace(day=1)
        for e in enrollments.values()
    }
    month_hours: dict[int, float] = {}
    if states:
        for enrollment_id, day, minutes in StudySession.objects.filter(
            enrollment_id__in=list(states), date__gte=min(month_start.values())
        ).values_list("enrollment_id", "date", "minutes"):
            if day >= month_start[enrollment_id]:
                month_hours[enrollment_id] = month_hours.get(enrollment_id, 0.0) + minutes / 60
    waiting = dict(
        CheckpointReview.objects.filter(
            enrollment_id__in=list(states),
            status__in=[ReviewStatus.SUBMITTED, ReviewStatus.CLAIMED],
        )
        .values_list("enrollment_id")
        .annotate(n=Count("id"))
        .values_list("enrollment_id", "n")
    )
    topics: list[tuple[str, str]] = []
    seen: set[str] = set()
    for e in enrollments.values():
        for item in document_for(e.version).iter_items():
            if item.kind != "topic":
                continue
            key = item.key
            if key not in seen:
                seen.add(key)
                topics.append((key, item.title))
    rows: list[dict[str, Any]] = []
    for m in members:
        chosen = enrollments.get(m.user_id)
        if chosen is None:
            rows.append(
                {
                    "membership": m,
                    "enrollment": None,
                    "cells": [],
                    "verdict": None,
                    "hours": 0,
                    "waiting": 0,
                }
            )
            continue
        own = states[chosen.pk]
        cells = []
        for key, _title in topics:
            status, rating = own.get(key, ("not_started", None))
            cells.append({"key": key, "status": status, "rating": rating})
        rows.append(
            {
                "membership": m,
                "enrollment": chosen,
                "cells": cells,
                "verdict": verdict_data(plan_context(chosen)),
                "hours": round(month_hours.get(chosen.pk, 0.0), 1),
                "waiting": waiting.get(chosen.pk, 0),
            }
        )
    data.update({"topics": topics, "rows": rows})
    return data


# --- inbox -----------------------------------------------------------------------------


@dataclass(frozen=True)
class InboxItem:
    kind: str  # to_claim, claimed_by_you, changes_requested, approved, comment
    review_id: int
    learner: str
    checkpoint: str
    at: datetime
    text: str


INBOX_DAYS = 30


def inbox_for(*, user: User, now: datetime | None = None) -> list[InboxItem]:
    """What waits for the user: reviews to claim or decide (as mentor), decisions and comments
    from others on reviews they take part in (last 30 days). Fixed number of queries."""
    now = now or timezone.now()
    items: list[InboxItem] = []
    mentee_ids = list(mentees_of(mentor=user).values_list("learner_id", flat=True))
    open_reviews = CheckpointReview.objects.filter(
        enrollment__user_id__in=mentee_ids,
        status__in=[ReviewStatus.SUBMITTED, ReviewStatus.CLAIMED],
    ).select_related("enrollment__user")
    for review in open_reviews:
        live = claim_is_live(review, now)
        if live and review.claimed_by_id == user.pk:
            kind, text = "claimed_by_you", "claimed by you: rate and decide"
        elif live:
            continue
        else:
            kind, text = "to_claim", "waits for a mentor to claim it"
        items.append(
            InboxItem(
                kind,
                review.pk,
                review.enrollment.user.name,
                review.checkpoint_slug,
                review.updated_at,
                text,
            )
        )
    since = now - timedelta(days=INBOX_DAYS)
    events = (
        ReviewEvent.objects.filter(created_at__gte=since)
        .filter(
            Q(review__enrollment__user=user)
            | Q(review__enrollment__user_id__in=mentee_ids, kind=ReviewEventKind.COMMENTED)
        )
        .exclude(actor=user)
        .filter(
            kind__in=[
                ReviewEventKind.COMMENTED,
                ReviewEventKind.CHANGES_REQUESTED,
                ReviewEventKind.APPROVED,
                ReviewEventKind.CLAIMED,
            ]
        )
        .select_related("actor", "review__enrollment__user")
        .order_by("-created_at")[:50]
    )
    for event in events:
        actor = event.actor.name if event.actor else "someone"
        items.append(
            InboxItem(
                event.kind,
                event.review_id,
                event.review.enrollment.user.name,
                event.review.checkpoint_slug,
                event.created_at,
                f"{actor}: {event.get_kind_display().lower()}"
                + (f" — {event.detail}" if event.kind == ReviewEventKind.COMMENTED else ""),
            )
        )
    items.sort(key=lambda i: i.at, reverse=True)
    return items


# --- what a mentor sees of a mentee ----------------------------------------------------


def mentee_overview(*, enrollment: Enrollment) -> dict[str, Any]:
    """A mentee's enrollment, read-only: the dashboard's figures, evidence, reviews, and only
    the journal entries and item notes the learner chose to share."""
    document = document_of(enrollment)
    shared_notes = [
        {
            "key": key,
            "title": document.items[key].title if key in document.items else key,
            "notes": notes,
        }
        for key, notes in ItemProgress.objects.filter(enrollment=enrollment, notes_shared=True)
        .exclude(notes="")
        .values_list("item_key", "notes")
    ]
    dashboard = dashboard_context(enrollment)
    return {
        "dashboard": dashboard.data,
        # The plan the dashboard's verdict came from, so nothing is read twice.
        "plan": plan_data(dashboard.plan),
        "document": document,
        "evidence": [
            {
                "item": document.items[e.item_key].title
                if e.item_key in document.items
                else e.item_key,
                "evidence": e,
            }
            for e in Evidence.objects.filter(enrollment=enrollment).order_by("-created_at")[:100]
        ],
        "reviews": reviews_of_enrollment(enrollment=enrollment),
        "entries": list(
            JournalEntry.objects.filter(enrollment=enrollment, shared=True).order_by(
                "-date", "-id"
            )[:50]
        ),
        "shared_notes": shared_notes,
    }


def sharing_for(*, user: User) -> dict[str, Any]:
    """The learner's journal entries and item notes with whether each is shared."""
    return {
        "entries": list(
            JournalEntry.objects.filter(enrollment__user=user)
            .select_related("enrollment__roadmap")
            .order_by("-date", "-id")[:200]
        ),
        "notes": list(
            ItemProgress.objects.filter(enrollment__user=user)
            .exclude(notes="")
            .select_related("enrollment__roadmap")
            .order_by("enrollment_id", "item_key")
        ),
    }

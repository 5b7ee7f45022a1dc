"""Writes of mentoring: invitations, mentorships, reviews and their sign-off, credentials, teams.

Every review transition happens in one transaction with the row locked and leaves one
`ReviewEvent` naming its actor. A claim is a lock that lapses after `CLAIM_DURATION`.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from levelup.accounts.models import User
from levelup.journal.models import JournalEntry, StudySession
from levelup.lib.errors import Conflict, Forbidden, Invalid, NotFound
from levelup.mentoring import credentials
from levelup.mentoring.models import (
    CheckpointReview,
    Credential,
    MentorInvitation,
    Mentorship,
    MentorshipSource,
    NotificationSettings,
    ReviewComment,
    ReviewEvent,
    ReviewEventKind,
    ReviewStatus,
    ReviewSubmission,
    Team,
    TeamMembership,
    TeamRole,
)
from levelup.mentoring.notifications import notify
from levelup.progress import services as progress_services
from levelup.progress.figures import RATING_LABELS
from levelup.progress.models import Enrollment, Evidence, ItemProgress
from levelup.roadmaps.models import Roadmap
from levelup.roadmaps.schema import Checkpoint, RoadmapDocument
from levelup.roadmaps.selectors import document_for

INVITATION_LIFETIME = timedelta(days=14)
# A claimed review is the mentor's for three days; then any of the learner's mentors
# may claim it, so a review never waits on someone who went quiet.
CLAIM_DURATION = timedelta(hours=72)
MAX_NOTE = 2000
MAX_COMMENT = 5000
MAX_EVIDENCE = 30
DECISIONS = (ReviewStatus.APPROVED, ReviewStatus.CHANGES_REQUESTED)


def code_hash(code: str) -> str:
    return hashlib.sha256(code.strip().encode("utf-8")).hexdigest()


# --- mentorships -----------------------------------------------------------------------


def invitation_create(
    *, learner: User, username: str = "", now: datetime | None = None
) -> tuple[MentorInvitation, str]:
    """A private invitation code for a mentor; with `username`, only that user may accept it."""
    now = now or timezone.now()
    invitee = None
    username = (username or "").strip()
    if username:
        invitee = User.objects.filter(username__iexact=username, is_active=True).first()
        if invitee is None:
            raise Invalid.for_field("username", f"there is no user named {username!r}")
        if invitee.pk == learner.pk:
            raise Invalid.for_field("username", "you cannot be your own mentor")
    code = secrets.token_urlsafe(24)
    invitation = MentorInvitation.objects.create(
        learner=learner,
        code_hash=code_hash(code),
        invitee=invitee,
        created_at=now,
        expires_at=now + INVITATION_LIFETIME,
    )
    if invitee is not None:
        notify(
            user=invitee,
            subject=f"{learner.name} asks you to be their mentor",
            body=f"Open your levelup inbox to accept the invitation from {learner.name}.",
        )
    return invitation, code


def invitation_accept(*, mentor: User, code: str, now: datetime | None = None) -> Mentorship:
    """Accept an invitation: the caller becomes the learner's mentor."""
    now = now or timezone.now()
    if not (code or "").strip():
        raise Invalid.for_field("code", "an invitation code is required")
    with transaction.atomic():
        invitation = (
            MentorInvitation.objects.select_for_update()
            .select_related("learner")
            .filter(code_hash=code_hash(code))
            .first()
        )
        if (
            invitation is None
            or invitation.accepted_at is not None
            or invitation.expires_at <= now
            or (invitation.invitee_id is not None and invitation.invitee_id != mentor.pk)
        ):
            raise Invalid.for_field("code", "this invitation is unknown, used or expired")
        if invitation.learner_id == mentor.pk:
            raise Invalid.for_field("code", "you cannot be your own mentor")
        mentorship = _mentorship_start(
            learner=invitation.learner, mentor=mentor, source=MentorshipSource.INVITATION, now=now
        )
        invitation.accepted_at = now
        invitation.accepted_by = mentor
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    notify(
        user=invitation.learner,
        subject=f"{mentor.name} is now your mentor",
        body=f"{mentor.name} accepted your invitation and can follow your progress read-only.",
    )
    return mentorship


def _mentorship_start(*, learner: User, mentor: User, source: str, now: datetime) -> Mentorship:
    if Mentorship.objects.filter(learner=learner, mentor=mentor, ended_at__isnull=True).exists():
        raise Conflict(f"{mentor.username} already mentors {learner.username}")
    try:
        with transaction.atomic():
            return Mentorship.objects.create(
                learner=learner, mentor=mentor, source=source, started_at=now
            )
    except IntegrityError:
        raise Conflict(f"{mentor.username} already mentors {learner.username}") from None


def mentorship_end(*, user: User, mentorship_id: int, now: datetime | None = None) -> Mentorship:
    """End a mentorship; either the learner or the mentor may. Someone else's is NotFound."""
    now = now or timezone.now()
    with transaction.atomic():
        mentorship = (
            Mentorship.objects.select_for_update()
            .filter(pk=mentorship_id, ended_at__isnull=True)
            .first()
        )
        if mentorship is None or user.pk not in (mentorship.learner_id, mentorship.mentor_id):
            raise NotFound(f"no active mentorship {mentorship_id}")
        mentorship.ended_at = now
        mentorship.ended_by = user
        mentorship.save(update_fields=["ended_at", "ended_by"])
        # A claim held by a mentor who is leaving is released at once.
        CheckpointReview.objects.filter(
            enrollment__user_id=mentorship.learner_id,
            claimed_by_id=mentorship.mentor_id,
            status=ReviewStatus.CLAIMED,
        ).update(status=ReviewStatus.SUBMITTED, claimed_by=None, claim_expires_at=None)
    return mentorship


def is_mentor(*, mentor: User, learner_id: int) -> bool:
    return Mentorship.objects.filter(
        mentor=mentor, learner_id=learner_id, ended_at__isnull=True
    ).exists()


# --- reviews ---------------------------------------------------------------------------


def _checkpoint(document: RoadmapDocument, slug: str) -> Checkpoint:
    checkpoint = document.checkpoint_map.get(slug)
    if checkpoint is None:
        raise NotFound(f"no checkpoint {slug!r} in this roadmap")
    return checkpoint


def _clean_rating(field: str, value: Any, *, allow_none: bool = False) -> int | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 4:
        extra = ', or null for "not observable"' if allow_none else ""
        raise Invalid.for_field(field, f"must be a whole number 0-4{extra}")
    return value


def _clean_criteria(
    checkpoint: Checkpoint, criteria: Iterable[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    given: dict[str, Mapping[str, Any]] = {}
    for index, entry in enumerate(criteria):
        slug = str(entry.get("slug", ""))
        if slug not in {c.slug for c in checkpoint.criteria}:
            raise Invalid.for_field(
                f"criteria.{index}.slug", f"{slug!r} is not a criterion of this checkpoint"
            )
        if slug in given:
            raise Invalid.for_field(f"criteria.{index}.slug", f"{slug!r} is given twice")
        given[slug] = entry
    cleaned = []
    for criterion in checkpoint.criteria:
        found = given.get(criterion.slug)
        if found is None:
            raise Invalid.for_field(f"criteria.{criterion.slug}", "a self-rating is required")
        entry = found
        if entry.get("rating") is None:
            raise Invalid.for_field(
                f"criteria.{criterion.slug}.rating", "a self-rating is required"
            )
        rating = _clean_rating(f"criteria.{criterion.slug}.rating", entry.get("rating"))
        note = str(entry.get("note") or "").strip()
        if len(note) > MAX_NOTE:
            raise Invalid.for_field(
                f"criteria.{criterion.slug}.note", f"must be at most {MAX_NOTE} characters"
            )
        assert rating is not None
        cleaned.append(
            {
                "slug": criterion.slug,
                "text": criterion.text,
                "rating": rating,
                "rating_label": RATING_LABELS[rating],
                "note": note,
            }
        )
    return cleaned


def _clean_evidence(
    *,
    enrollment: Enrollment,
    actor: User,
    checkpoint_key: str,
    evidence: Iterable[Mapping[str, Any]],
    now: datetime,
) -> list[dict[str, Any]]:
    """Evidence picked by id from the learner's own items, or added (then kept on the checkpoint)."""
    entries = list(evidence)
    if len(entries) > MAX_EVIDENCE:
        raise Invalid.for_field("evidence", f"at most {MAX_EVIDENCE} pieces of evidence")
    picked_ids = [e["evidence_id"] for e in entries if e.get("evidence_id") is not None]
    own = {
        ev.pk: ev
        for ev in Evidence.objects.filter(
            enrollment=enrollment, pk__in=[i for i in picked_ids if isinstance(i, int)]
        )
    }
    cleaned: list[dict[str, Any]] = []
    for index, entry in enumerate(entries):
        if entry.get("evidence_id") is not None:
            found = own.get(entry["evidence_id"]) if isinstance(entry["evidence_id"], int) else None
            if found is None:
                raise Invalid.for_field(
                    f"evidence.{index}.evidence_id", "is not evidence of this enrollment"
                )
            picked = found
        else:
            try:
                picked = progress_services.evidence_add(
                    enrollment=enrollment,
                    actor=actor,
                    item_key=checkpoint_key,
                    title=str(entry.get("title") or ""),
                    url=str(entry.get("url") or ""),
                    at=now,
                )
            except Invalid as exc:
                field = exc.errors[0]["field"] if exc.errors else "url"
                message = exc.errors[0]["message"] if exc.errors else exc.message
                raise Invalid.for_field(f"evidence.{index}.{field}", message) from None
        cleaned.append(
            {
                "evidence_id": picked.pk,
                "item_key": picked.item_key,
                "title": picked.title,
                "url": picked.url or picked.repository_url,
            }
        )
    return cleaned


def _hours_since(enrollment: Enrollment, checkpoint: Checkpoint) -> date:
    """The start of the stretch a snapshot's hours cover.

    The day the learner's previous (earlier-month) checkpoint review was last submitted,
    else the enrollment's start.
    """
    document = document_for(enrollment.version)
    earlier = [c.slug for c in document.checkpoints if c.month < checkpoint.month]
    previous = (
        ReviewSubmission.objects.filter(
            review__enrollment=enrollment, review__checkpoint_slug__in=earlier
        )
        .order_by("-submitted_at")
        .values_list("submitted_at", flat=True)
        .first()
    )
    if previous is None:
        return enrollment.start_date
    return timezone.localtime(previous, enrollment.user.zone).date()


def snapshot_take(
    *, enrollment: Enrollment, checkpoint: Checkpoint, evidence: list[dict[str, Any]], now: datetime
) -> dict[str, Any]:
    """The frozen record of a submission: plain JSON that nothing later rewrites."""
    document = document_for(enrollment.version)
    keys = sorted({k for c in checkpoint.criteria for k in c.requirement.items})
    rows = {
        key: (status, rating)
        for key, status, rating in ItemProgress.objects.filter(
            enrollment=enrollment, item_key__in=keys
        ).values_list("item_key", "status", "rating")
    }
    since = _hours_since(enrollment, checkpoint)
    today = timezone.localtime(now, enrollment.user.zone).date()
    minutes = {
        row["category"]: row["total"]
        for row in StudySession.objects.filter(
            enrollment=enrollment, date__gte=since, date__lte=today
        )
        .values("category")
        .annotate(total=Sum("minutes"))
        .order_by("category")
    }
    return {
        "taken_at": now.isoformat(),
        "roadmap": {
            "slug": enrollment.roadmap.slug,
            "title": document.title,
            "version": enrollment.version.number,
            "label": enrollment.version.label,
            "content_hash": enrollment.version.content_hash,
        },
        "checkpoint": {
            "slug": checkpoint.slug,
            "title": checkpoint.title,
            "month": checkpoint.month,
        },
        "criteria": [
            {
                "slug": c.slug,
                "text": c.text,
                "kind": c.requirement.kind,
                "items": [
                    {
                        "key": key,
                        "title": document.items[key].title if key in document.items else key,
                        "status": rows.get(key, ("not_started", None))[0],
                        "rating": rows.get(key, ("not_started", None))[1],
                    }
                    for key in c.requirement.items
                ],
            }
            for c in checkpoint.criteria
        ],
        "hours": {
            "since": since.isoformat(),
            "until": today.isoformat(),
            "by_category": {cat: round(total / 60, 2) for cat, total in minutes.items()},
            "total": round(sum(minutes.values()) / 60, 2),
        },
        "evidence": [
            {"title": e["title"], "url": e["url"], "item_key": e["item_key"]} for e in evidence
        ],
    }


def _event(
    review: CheckpointReview, actor: User | None, kind: str, now: datetime, detail: str = ""
) -> None:
    ReviewEvent.objects.create(
        review=review, actor=actor, kind=kind, detail=detail[:200], created_at=now
    )


def _mentors_of(learner_id: int) -> list[User]:
    return list(
        User.objects.filter(
            mentorships_as_mentor__learner_id=learner_id,
            mentorships_as_mentor__ended_at__isnull=True,
        )
    )


def review_submit(
    *,
    enrollment: Enrollment,
    actor: User,
    checkpoint_slug: str,
    criteria: Iterable[Mapping[str, Any]],
    evidence: Iterable[Mapping[str, Any]] = (),
    now: datetime | None = None,
) -> CheckpointReview:
    """Submit (or, after changes were requested, resubmit) a checkpoint for sign-off.

    Freezes a snapshot of the linked items, hours and evidence in a new submission.
    A checkpoint may be submitted early, on time or late.
    """
    now = now or timezone.now()
    if actor.pk != enrollment.user_id:
        raise NotFound(f"no enrollment {enrollment.pk}")
    document = document_for(enrollment.version)
    checkpoint = _checkpoint(document, checkpoint_slug)
    cleaned = _clean_criteria(checkpoint, criteria)
    with transaction.atomic():
        review = (
            CheckpointReview.objects.select_for_update()
            .filter(enrollment=enrollment, checkpoint_slug=checkpoint.slug)
            .first()
        )
        if review is not None and review.status != ReviewStatus.CHANGES_REQUESTED:
            if review.status == ReviewStatus.APPROVED:
                raise Conflict("this checkpoint is already approved")
            raise Conflict(
                "this checkpoint already waits for a mentor; it can be resubmitted when changes are requested"
            )
        picked = _clean_evidence(
            enrollment=enrollment,
            actor=actor,
            checkpoint_key=f"checkpoint:{checkpoint.slug}",
            evidence=evidence,
            now=now,
        )
        snapshot = snapshot_take(
            enrollment=enrollment, checkpoint=checkpoint, evidence=picked, now=now
        )
        if review is None:
            review = CheckpointReview.objects.create(
                enrollment=enrollment,
                checkpoint_slug=checkpoint.slug,
                status=ReviewStatus.SUBMITTED,
                created_at=now,
                updated_at=now,
            )
            kind, round_number = ReviewEventKind.SUBMITTED, 1
        else:
            round_number = review.submissions.count() + 1
            review.status = ReviewStatus.SUBMITTED
            review.claimed_by = None
            review.claim_expires_at = None
            review.mentor_ratings = {}
            review.updated_at = now
            review.save()
            kind = ReviewEventKind.RESUBMITTED
        ReviewSubmission.objects.create(
            review=review,
            round=round_number,
            criteria=cleaned,
            evidence=picked,
            snapshot=snapshot,
            submitted_at=now,
        )
        _event(review, actor, kind, now, f"round {round_number}")
    for mentor in _mentors_of(enrollment.user_id):
        notify(
            user=mentor,
            subject=f"{actor.name} asks for sign-off of {checkpoint.title}",
            body="A checkpoint review waits to be claimed in your levelup inbox.",
        )
    return review


def _locked(review_id: int) -> CheckpointReview:
    review = (
        CheckpointReview.objects.select_for_update()
        .select_related("enrollment", "enrollment__user")
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        raise NotFound(f"no review {review_id}")
    return review


def claim_is_live(review: CheckpointReview, now: datetime) -> bool:
    return (
        review.status == ReviewStatus.CLAIMED
        and review.claim_expires_at is not None
        and review.claim_expires_at > now
    )


def review_claim(*, review_id: int, mentor: User, now: datetime | None = None) -> CheckpointReview:
    """Take the review for `CLAIM_DURATION`; a lapsed claim of another mentor may be taken over."""
    now = now or timezone.now()
    with transaction.atomic():
        review = _locked(review_id)
        learner = review.enrollment.user
        if mentor.pk == learner.pk:
            raise Forbidden("a learner cannot claim their own review")
        if not is_mentor(mentor=mentor, learner_id=learner.pk):
            raise NotFound(f"no review {review_id}")
        if review.status not in (ReviewStatus.SUBMITTED, ReviewStatus.CLAIMED):
            raise Conflict(
                f"the review is {review.get_status_display().lower()}; only a submitted review can be claimed"
            )
        if claim_is_live(review, now) and review.claimed_by_id != mentor.pk:
            raise Conflict(
                "another mentor has claimed this review until "
                f"{review.claim_expires_at.isoformat() if review.claim_expires_at else ''}"
            )
        review.status = ReviewStatus.CLAIMED
        review.claimed_by = mentor
        review.claim_expires_at = now + CLAIM_DURATION
        review.updated_at = now
        review.save()
        _event(
            review,
            mentor,
            ReviewEventKind.CLAIMED,
            now,
            f"until {review.claim_expires_at.isoformat()}",
        )
    return review


def review_comment(
    *, review_id: int, author: User, body: str, now: datetime | None = None
) -> ReviewComment:
    """Add to the thread; the learner and any of their mentors may."""
    now = now or timezone.now()
    body = (body or "").strip()
    if not body:
        raise Invalid.for_field("body", "a comment cannot be empty")
    if len(body) > MAX_COMMENT:
        raise Invalid.for_field("body", f"must be at most {MAX_COMMENT} characters")
    with transaction.atomic():
        review = _locked(review_id)
        learner = review.enrollment.user
        if author.pk != learner.pk and not is_mentor(mentor=author, learner_id=learner.pk):
            raise NotFound(f"no review {review_id}")
        comment = ReviewComment.objects.create(
            review=review, author=author, body=body, created_at=now
        )
        review.updated_at = now
        review.save(update_fields=["updated_at"])
        _event(review, author, ReviewEventKind.COMMENTED, now, body[:80])
    others = [learner] if author.pk != learner.pk else _mentors_of(learner.pk)
    for user in others:
        notify(
            user=user, subject=f"{author.name} commented on a checkpoint review", body=body[:500]
        )
    return comment


def review_decide(
    *,
    review_id: int,
    mentor: User,
    decision: str,
    criteria: Iterable[Mapping[str, Any]] = (),
    base_url: str,
    now: datetime | None = None,
) -> CheckpointReview:
    """Approve or request changes, with the mentor's rating per criterion (null = not observable).

    Only the mentor holding a live claim may decide. Approval is final and issues the
    credential in the same transaction.
    """
    now = now or timezone.now()
    if decision not in DECISIONS:
        raise Invalid.for_field("decision", 'must be "approved" or "changes_requested"')
    with transaction.atomic():
        review = _locked(review_id)
        learner = review.enrollment.user
        if mentor.pk == learner.pk:
            raise Forbidden("a learner cannot approve or decide their own review")
        if not is_mentor(mentor=mentor, learner_id=learner.pk):
            raise NotFound(f"no review {review_id}")
        if not claim_is_live(review, now) or review.claimed_by_id != mentor.pk:
            raise Conflict("claim the review before deciding it (your claim may have expired)")
        document = document_for(review.enrollment.version)
        checkpoint = _checkpoint(document, review.checkpoint_slug)
        known = [c.slug for c in checkpoint.criteria]
        ratings: dict[str, int | None] = {}
        for index, entry in enumerate(criteria):
            slug = str(entry.get("slug", ""))
            if slug not in known:
                raise Invalid.for_field(
                    f"criteria.{index}.slug", f"{slug!r} is not a criterion of this checkpoint"
                )
            ratings[slug] = _clean_rating(
                f"criteria.{slug}.rating", entry.get("rating"), allow_none=True
            )
        if decision == ReviewStatus.APPROVED:
            missing = [slug for slug in known if slug not in ratings]
            if missing:
                raise Invalid.for_field(
                    f"criteria.{missing[0]}",
                    'rate every criterion to approve (null for "not observable")',
                )
        review.status = decision
        review.mentor_ratings = ratings
        review.decided_by = mentor
        review.decided_at = now
        review.claimed_by = None
        review.claim_expires_at = None
        review.updated_at = now
        review.save()
        _event(review, mentor, decision, now)
        if decision == ReviewStatus.APPROVED:
            _credential_issue(
                review=review, mentor=mentor, checkpoint=checkpoint, base_url=base_url, now=now
            )
    notify(
        user=learner,
        subject=f"{checkpoint.title}: {'approved' if decision == ReviewStatus.APPROVED else 'changes requested'}",
        body=f"{mentor.name} decided your checkpoint review.",
    )
    return review


def _credential_issue(
    *, review: CheckpointReview, mentor: User, checkpoint: Checkpoint, base_url: str, now: datetime
) -> Credential:
    submission = review.submissions.order_by("-round").first()
    assert submission is not None
    learner = review.enrollment.user
    credential_id = uuid.uuid4()
    base = base_url.rstrip("/")
    facts = credentials.CredentialFacts(
        credential_id=str(credential_id),
        base_url=base,
        issued_at=now,
        learner_name=learner.name,
        # A stable, opaque subject id: no username in a document the learner hands around.
        learner_ref=f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{base}/users/{learner.pk}')}",
        roadmap_slug=review.enrollment.roadmap.slug,
        roadmap_title=submission.snapshot["roadmap"]["title"],
        checkpoint_slug=checkpoint.slug,
        checkpoint_title=checkpoint.title,
        checkpoint_summary=checkpoint.summary,
        criteria=[
            {
                "slug": c["slug"],
                "text": c["text"],
                "self_rating": c["rating"],
                "mentor_rating": review.mentor_ratings.get(c["slug"]),
            }
            for c in submission.criteria
        ],
        evidence=submission.evidence,
        snapshot=submission.snapshot,
        approved_by=mentor.name,
    )
    document = credentials.credential_document(facts)
    jws = credentials.credential_sign(document, issued_at=now)
    credential = Credential.objects.create(
        id=credential_id, review=review, document=document, jws=jws, issued_at=now
    )
    _event(review, mentor, ReviewEventKind.CREDENTIAL_ISSUED, now, str(credential_id))
    return credential


def credential_revoke(
    *, review_id: int, actor: User, reason: str = "", now: datetime | None = None
) -> Credential:
    """The learner withdraws their credential; verification says "revoked" from then on."""
    now = now or timezone.now()
    reason = (reason or "").strip() or "revoked by the learner"
    if len(reason) > 200:
        raise Invalid.for_field("reason", "must be at most 200 characters")
    with transaction.atomic():
        review = _locked(review_id)
        if review.enrollment.user_id != actor.pk:
            raise NotFound(f"no review {review_id}")
        credential = Credential.objects.select_for_update().filter(review=review).first()
        if credential is None:
            raise NotFound("this review has no credential")
        if credential.revoked_at is not None:
            raise Conflict("the credential is already revoked")
        credential.revoked_at = now
        credential.revocation_reason = reason
        credential.save(update_fields=["revoked_at", "revocation_reason"])
        _event(review, actor, ReviewEventKind.CREDENTIAL_REVOKED, now, reason)
    return credential


# --- teams -----------------------------------------------------------------------------


def team_create(*, lead: User, name: str, now: datetime | None = None) -> Team:
    """A new team with its creator as lead."""
    now = now or timezone.now()
    name = (name or "").strip()
    if not name:
        raise Invalid.for_field("name", "a team needs a name")
    if len(name) > 120:
        raise Invalid.for_field("name", "must be at most 120 characters")
    with transaction.atomic():
        team = Team.objects.create(name=name, created_at=now)
        TeamMembership.objects.create(team=team, user=lead, role=TeamRole.LEAD, joined_at=now)
    return team


def _lead_team(team_id: int, lead: User) -> Team:
    team = Team.objects.filter(
        pk=team_id, memberships__user=lead, memberships__role=TeamRole.LEAD
    ).first()
    if team is None:
        if Team.objects.filter(pk=team_id, memberships__user=lead).exists():
            raise Forbidden("only a team lead may do this")
        raise NotFound(f"no team {team_id}")
    return team


def team_member_add(
    *,
    team_id: int,
    lead: User,
    username: str,
    role: str = TeamRole.MEMBER,
    now: datetime | None = None,
) -> TeamMembership:
    """A lead adds a user to the team, as member or as another lead."""
    now = now or timezone.now()
    team = _lead_team(team_id, lead)
    if role not in TeamRole.values:
        raise Invalid.for_field("role", 'must be "lead" or "member"')
    user = User.objects.filter(username__iexact=(username or "").strip(), is_active=True).first()
    if user is None:
        raise Invalid.for_field("username", f"there is no user named {username!r}")
    try:
        with transaction.atomic():
            return TeamMembership.objects.create(team=team, user=user, role=role, joined_at=now)
    except IntegrityError:
        raise Conflict(f"{user.username} is already in {team.name}") from None


def team_roadmap_assign(
    *,
    team_id: int,
    lead: User,
    roadmap_slug: str,
    usernames: Iterable[str] = (),
    start_date: date | None = None,
) -> list[TeamMembership]:
    """Assign a roadmap (or a fork) to members; each is enrolled unless already following it."""
    team = _lead_team(team_id, lead)
    if not Roadmap.objects.filter(slug=roadmap_slug).exists():
        raise Invalid.for_field("roadmap", f"there is no roadmap {roadmap_slug!r}")
    memberships = list(
        TeamMembership.objects.filter(team=team, role=TeamRole.MEMBER).select_related("user")
    )
    wanted = {u.lower() for u in usernames}
    if wanted:
        unknown = wanted - {m.user.username.lower() for m in memberships}
        if unknown:
            raise Invalid.for_field(
                "members", f"not members of this team: {', '.join(sorted(unknown))}"
            )
        memberships = [m for m in memberships if m.user.username.lower() in wanted]
    changed = []
    with transaction.atomic():
        for membership in memberships:
            enrollment = (
                Enrollment.objects.filter(user=membership.user, roadmap__slug=roadmap_slug)
                .exclude(status="archived")
                .first()
            )
            if enrollment is None:
                enrollment = progress_services.enrollment_create(
                    user=membership.user, roadmap_slug=roadmap_slug, start_date=start_date
                )
            membership.assigned_roadmap = enrollment.roadmap
            membership.save(update_fields=["assigned_roadmap"])
            changed.append(membership)
    return changed


def team_lead_mentor_consent(
    *, team_id: int, member: User, lead_username: str, now: datetime | None = None
) -> Mentorship:
    """A member agrees, in one click, that a lead of their team becomes their mentor."""
    now = now or timezone.now()
    if not TeamMembership.objects.filter(team_id=team_id, user=member).exists():
        raise NotFound(f"no team {team_id}")
    lead = (
        TeamMembership.objects.filter(
            team_id=team_id, role=TeamRole.LEAD, user__username__iexact=lead_username
        )
        .select_related("user")
        .first()
    )
    if lead is None:
        raise Invalid.for_field("lead", f"{lead_username!r} is not a lead of this team")
    if lead.user_id == member.pk:
        raise Invalid.for_field("lead", "you cannot be your own mentor")
    return _mentorship_start(
        learner=member, mentor=lead.user, source=MentorshipSource.TEAM, now=now
    )


# --- notifications ---------------------------------------------------------------------


def notification_settings_update(*, user: User, email_enabled: bool) -> NotificationSettings:
    """Turn email notifications on or off (they start off)."""
    settings_row, _ = NotificationSettings.objects.update_or_create(
        user=user, defaults={"email_enabled": bool(email_enabled)}
    )
    return settings_row


# --- sharing with mentors --------------------------------------------------------------


def journal_entry_share(*, user: User, entry_id: int, shared: bool) -> JournalEntry:
    """Share one of the learner's journal entries with their mentors, or make it private again."""
    entry = JournalEntry.objects.filter(pk=entry_id, enrollment__user=user).first()
    if entry is None:
        raise NotFound(f"no journal entry {entry_id}")
    entry.shared = bool(shared)
    entry.save(update_fields=["shared"])
    return entry


def item_notes_share(
    *, user: User, enrollment_id: int, item_key: str, shared: bool
) -> ItemProgress:
    """Share the notes of one item with the learner's mentors, or make them private again."""
    row = ItemProgress.objects.filter(
        enrollment_id=enrollment_id, enrollment__user=user, item_key=item_key
    ).first()
    if row is None:
        raise NotFound(f"no notes on {item_key}")
    row.notes_shared = bool(shared)
    row.save(update_fields=["notes_shared"])
    return row

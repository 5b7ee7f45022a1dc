"""API of mentoring (mounted under /api/v1/): mentorships, reviews, credentials, teams, inbox.

A review answers only to its learner and the learner's active mentors; anyone else,
staff included, gets 404. Verification, the issuer profile and its keys are public.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Router, Schema
from pydantic import Field

from levelup.accounts.models import User
from levelup.lib.errors import Invalid, NotFound
from levelup.lib.schemas import Bool, Error, Id, Int, Key, Line, Text, Url
from levelup.mentoring import credentials, selectors, services, signing
from levelup.mentoring.models import Mentorship, ReviewStatus, TeamRole
from levelup.mentoring.selectors import ReviewDetail
from levelup.progress import selectors as progress_selectors

router = Router(tags=["mentoring"])


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def base_url(request: HttpRequest) -> str:
    """The address credentials name as their issuer: the one the request came in on."""
    return request.build_absolute_uri("/").rstrip("/")


# --- mentorships -----------------------------------------------------------------------


class InvitationIn(Schema):
    username: Annotated[Line, Field(max_length=150)] = Field(
        "", description="Invite this user only; empty for a link anyone may use"
    )


class InvitationOut(Schema):
    code: str
    url: str
    expires_at: datetime
    username: str | None


class AcceptIn(Schema):
    code: Line


class MentorshipOut(Schema):
    id: int
    learner: str
    mentor: str
    source: str
    started_at: datetime


def _mentorship_out(m: Mentorship) -> dict[str, Any]:
    return {
        "id": m.pk,
        "learner": m.learner.username,
        "mentor": m.mentor.username,
        "source": m.source,
        "started_at": m.started_at,
    }


@router.post("/mentorships/invitations", response={201: InvitationOut, 422: Error})
def invitation_create(request: HttpRequest, payload: InvitationIn) -> tuple[int, dict[str, Any]]:
    """A private invitation; hand the `url` (or the `code`) to your mentor. Shown once."""
    invitation, code = services.invitation_create(learner=_user(request), username=payload.username)
    return 201, {
        "code": code,
        "url": request.build_absolute_uri(f"/mentoring/accept/{code}/"),
        "expires_at": invitation.expires_at,
        "username": invitation.invitee.username if invitation.invitee else None,
    }


@router.post("/mentorships/accept", response={201: MentorshipOut, 409: Error, 422: Error})
def invitation_accept(request: HttpRequest, payload: AcceptIn) -> tuple[int, dict[str, Any]]:
    """Accept an invitation: you become the learner's mentor."""
    mentorship = services.invitation_accept(mentor=_user(request), code=payload.code)
    return 201, _mentorship_out(mentorship)


@router.get("/mentorships", response={200: list[MentorshipOut]})
def mentorship_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Your active mentorships, as learner and as mentor."""
    user = _user(request)
    rows = list(selectors.mentors_of(learner=user).select_related("learner")) + list(
        selectors.mentees_of(mentor=user).select_related("mentor")
    )
    return [_mentorship_out(m) for m in rows]


@router.delete("/mentorships/{int:mentorship_id}", response={204: None, 404: Error})
def mentorship_end(request: HttpRequest, mentorship_id: Id) -> tuple[int, None]:
    """End a mentorship (learner or mentor)."""
    services.mentorship_end(user=_user(request), mentorship_id=mentorship_id)
    return 204, None


class MenteeEnrollmentOut(Schema):
    id: int
    roadmap: str
    roadmap_title: str
    status: str


class MenteeOut(Schema):
    id: int
    username: str
    name: str
    mentorship_id: int
    since: datetime
    reviews_waiting: int
    enrollments: list[MenteeEnrollmentOut]


@router.get("/mentees", response={200: list[MenteeOut]})
def mentee_list(request: HttpRequest) -> list[dict[str, Any]]:
    """The learners you mentor, with their enrollments and reviews waiting."""
    return [
        {
            "id": m.user_id,
            "username": m.username,
            "name": m.name,
            "mentorship_id": m.mentorship_id,
            "since": m.since,
            "reviews_waiting": m.reviews_waiting,
            "enrollments": m.enrollments,
        }
        for m in selectors.mentee_list(mentor=_user(request))
    ]


# --- reviews ---------------------------------------------------------------------------


class CriterionIn(Schema):
    slug: Key
    # The range is checked by the service, which names the criterion by its slug
    # (`criteria.built.rating`) rather than by its position in the list.
    rating: Int | None = Field(
        None,
        description="0-4; null (decision only) for not observable",
        json_schema_extra={"minimum": 0, "maximum": 4},
    )
    note: Text = ""


class ReviewEvidenceIn(Schema):
    evidence_id: Annotated[Int, Field(ge=1)] | None = Field(
        None, description="One of your items' evidence, by id"
    )
    title: Line = Field("", description="Or add new evidence: a title and a link")
    url: Url = ""


class ReviewIn(Schema):
    criteria: Annotated[list[CriterionIn], Field(max_length=200)]
    evidence: Annotated[list[ReviewEvidenceIn], Field(max_length=200)] = []


class DecisionIn(Schema):
    decision: Literal["approved", "changes_requested"]
    criteria: Annotated[list[CriterionIn], Field(max_length=200)] = []


class CommentIn(Schema):
    body: Text


class RevokeIn(Schema):
    reason: Line = ""


class SelfCriterionOut(Schema):
    slug: str
    text: str
    rating: int | None
    rating_label: str
    note: str
    mentor_rating: int | None
    mentor_rated: bool


class CommentOut(Schema):
    id: int
    author: str | None
    body: str
    created_at: datetime


class ReviewEventOut(Schema):
    kind: str
    actor: str | None
    detail: str
    created_at: datetime


class ReviewOut(Schema):
    id: int
    enrollment_id: int
    learner: str
    checkpoint: str
    checkpoint_title: str
    status: ReviewStatus
    round: int
    submitted_at: datetime | None
    snapshot: dict[str, Any] | None
    criteria: list[SelfCriterionOut]
    evidence: list[dict[str, Any]]
    claimed_by: str | None
    claim_expires_at: datetime | None
    decided_by: str | None
    decided_at: datetime | None
    comments: list[CommentOut]
    events: list[ReviewEventOut]
    credential_id: str | None
    credential_revoked: bool


class ReviewSummaryOut(Schema):
    id: int
    checkpoint: str
    status: ReviewStatus
    updated_at: datetime


def _review_out(detail: ReviewDetail) -> dict[str, Any]:
    review = detail.review
    latest = detail.latest
    return {
        "id": review.pk,
        "enrollment_id": review.enrollment_id,
        "learner": review.enrollment.user.username,
        "checkpoint": review.checkpoint_slug,
        "checkpoint_title": detail.checkpoint_title,
        "status": review.status,
        "round": latest.round if latest else 0,
        "submitted_at": latest.submitted_at if latest else None,
        "snapshot": latest.snapshot if latest else None,
        "criteria": [
            {
                "slug": c["slug"],
                "text": c["text"],
                "rating": c["self_rating"],
                "rating_label": c["self_label"],
                "note": c["note"],
                "mentor_rating": c["mentor_rating"],
                "mentor_rated": c["mentor_rated"],
            }
            for c in detail.criteria
        ],
        "evidence": latest.evidence if latest else [],
        "claimed_by": review.claimed_by.username
        if detail.claim_live and review.claimed_by
        else None,
        "claim_expires_at": detail.claim_expires_at,
        "decided_by": review.decided_by.username if review.decided_by else None,
        "decided_at": review.decided_at,
        "comments": [
            {
                "id": c.pk,
                "author": c.author.username if c.author else None,
                "body": c.body,
                "created_at": c.created_at,
            }
            for c in detail.comments
        ],
        "events": [
            {
                "kind": e.kind,
                "actor": e.actor.username if e.actor else None,
                "detail": e.detail,
                "created_at": e.created_at,
            }
            for e in detail.events
        ],
        "credential_id": str(detail.credential.pk) if detail.credential else None,
        "credential_revoked": bool(detail.credential and detail.credential.revoked_at),
    }


def _detail(request: HttpRequest, review_id: Id) -> ReviewDetail:
    access = selectors.review_get_for_user(user=_user(request), review_id=review_id)
    return selectors.review_detail(access=access)


def checkpoint_slug(checkpoint_key: str) -> str:
    """`month-6` or the item key `checkpoint:month-6`."""
    if ":" in checkpoint_key:
        kind, _, slug = checkpoint_key.partition(":")
        if kind != "checkpoint" or "/" in slug:
            raise Invalid.for_field("checkpoint_key", "must be a checkpoint slug or key")
        return slug
    return checkpoint_key


@router.post(
    "/enrollments/{int:enrollment_id}/checkpoints/{checkpoint_key}/reviews",
    response={201: ReviewOut, 404: Error, 409: Error, 422: Error},
)
def review_submit(
    request: HttpRequest, enrollment_id: Id, checkpoint_key: str, payload: ReviewIn
) -> tuple[int, dict[str, Any]]:
    """Submit a checkpoint for sign-off (or resubmit after changes were requested).

    Freezes the snapshot; answers the review with `status: "submitted"`.
    """
    enrollment = progress_selectors.enrollment_get(user=_user(request), enrollment_id=enrollment_id)
    review = services.review_submit(
        enrollment=enrollment,
        actor=_user(request),
        checkpoint_slug=checkpoint_slug(checkpoint_key),
        criteria=[c.dict() for c in payload.criteria],
        evidence=[e.dict() for e in payload.evidence],
    )
    return 201, _review_out(_detail(request, review.pk))


@router.get(
    "/enrollments/{int:enrollment_id}/reviews",
    response={200: list[ReviewSummaryOut], 404: Error},
)
def review_list(request: HttpRequest, enrollment_id: Id) -> list[dict[str, Any]]:
    """The reviews of one of your enrollments."""
    enrollment = progress_selectors.enrollment_get(user=_user(request), enrollment_id=enrollment_id)
    return [
        {
            "id": r.pk,
            "checkpoint": r.checkpoint_slug,
            "status": r.status,
            "updated_at": r.updated_at,
        }
        for r in selectors.reviews_of_enrollment(enrollment=enrollment)
    ]


@router.get("/reviews/{int:review_id}", response={200: ReviewOut, 404: Error})
def review_get(request: HttpRequest, review_id: Id) -> dict[str, Any]:
    """A review with its latest snapshot, ratings, thread and events."""
    return _review_out(_detail(request, review_id))


@router.post(
    "/reviews/{int:review_id}/claim", response={200: ReviewOut, 403: Error, 404: Error, 409: Error}
)
def review_claim(request: HttpRequest, review_id: Id) -> dict[str, Any]:
    """Claim the review for 72 hours (a lapsed claim may be taken over)."""
    services.review_claim(review_id=review_id, mentor=_user(request))
    return _review_out(_detail(request, review_id))


@router.post(
    "/reviews/{int:review_id}/comments", response={201: CommentOut, 404: Error, 422: Error}
)
def review_comment(
    request: HttpRequest, review_id: Id, payload: CommentIn
) -> tuple[int, dict[str, Any]]:
    comment = services.review_comment(review_id=review_id, author=_user(request), body=payload.body)
    return 201, {
        "id": comment.pk,
        "author": _user(request).username,
        "body": comment.body,
        "created_at": comment.created_at,
    }


@router.post(
    "/reviews/{int:review_id}/decision",
    response={200: ReviewOut, 403: Error, 404: Error, 409: Error, 422: Error},
)
def review_decision(request: HttpRequest, review_id: Id, payload: DecisionIn) -> dict[str, Any]:
    """Approve (issues the credential) or request changes; rate each criterion."""
    services.review_decide(
        review_id=review_id,
        mentor=_user(request),
        decision=payload.decision,
        criteria=[c.dict() for c in payload.criteria],
        base_url=base_url(request),
    )
    return _review_out(_detail(request, review_id))


@router.get("/reviews/{int:review_id}/credential", response={200: dict[str, Any], 404: Error})
def review_credential(request: HttpRequest, review_id: Id) -> HttpResponse:
    """The signed Open Badges 3.0 credential, with its JWS under `proof.jwt`."""
    detail = _detail(request, review_id)
    if detail.credential is None:
        raise NotFound("this review has no credential (it is not approved)")
    body = credentials.credential_download(detail.credential.document, detail.credential.jws)
    response = JsonResponse(body, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = (
        f'attachment; filename="credential-{detail.credential.pk}.json"'
    )
    return response


@router.post(
    "/reviews/{int:review_id}/credential/revoke",
    response={200: ReviewOut, 404: Error, 409: Error, 422: Error},
)
def review_credential_revoke(
    request: HttpRequest, review_id: Id, payload: RevokeIn
) -> dict[str, Any]:
    """Revoke the credential; verification answers `revoked: true` from now on."""
    services.credential_revoke(review_id=review_id, actor=_user(request), reason=payload.reason)
    return _review_out(_detail(request, review_id))


# --- credentials (public) --------------------------------------------------------------


class VerifyOut(Schema):
    valid: bool
    revoked: bool
    reason: str
    id: str | None
    name: str | None
    subject: str | None
    issued_at: datetime | None
    revoked_at: datetime | None


def _verify_out(result: selectors.VerifyResult) -> dict[str, Any]:
    return {
        "valid": result.valid,
        "revoked": result.revoked,
        "reason": result.reason,
        "id": result.credential_id,
        "name": result.name,
        "subject": result.subject,
        "issued_at": result.issued_at,
        "revoked_at": result.revoked_at,
    }


@router.get("/credentials/verify", auth=None, response={200: VerifyOut, 422: Error})
def credential_verify_get(request: HttpRequest, id: Line = "") -> dict[str, Any]:
    """Verify a credential issued here, by its id (`urn:uuid:` prefix optional)."""
    if not id.strip():
        raise Invalid.for_field("id", "give the credential's id")
    return _verify_out(
        selectors.credential_verify_by_id(credential_id=id.strip().removeprefix("urn:uuid:"))
    )


@router.post("/credentials/verify", auth=None, response={200: VerifyOut, 422: Error})
def credential_verify_post(request: HttpRequest) -> dict[str, Any]:
    """Verify a presented credential: the downloaded JSON, or `{"jwt": "<compact JWS>"}`."""
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise Invalid.for_field("body", "is not JSON") from None
    if isinstance(body, dict) and set(body) == {"jwt"}:
        body = body["jwt"]
    return _verify_out(selectors.credential_verify(body))


@router.get("/issuer", auth=None, response={200: dict[str, Any]})
def issuer_profile(request: HttpRequest) -> dict[str, Any]:
    """The Open Badges issuer profile of this instance, with its public key."""
    return credentials.issuer_profile(base_url(request))


@router.get("/issuer/jwks", auth=None, response={200: dict[str, Any]})
def issuer_jwks(request: HttpRequest) -> dict[str, Any]:
    """The issuer's public key as a JWK set."""
    return {"keys": [signing.public_jwk()]}


# --- inbox -----------------------------------------------------------------------------


class InboxItemOut(Schema):
    kind: str
    review_id: int
    learner: str
    checkpoint: str
    at: datetime
    text: str


@router.get("/inbox", response={200: list[InboxItemOut]})
def inbox(request: HttpRequest) -> list[selectors.InboxItem]:
    """What waits for you: reviews to claim or decide, decisions and comments (30 days)."""
    return selectors.inbox_for(user=_user(request))


class NotificationsIn(Schema):
    email_enabled: Bool


class NotificationsOut(Schema):
    email_enabled: bool


@router.put("/me/notifications", response={200: NotificationsOut})
def notifications_update(request: HttpRequest, payload: NotificationsIn) -> dict[str, bool]:
    """Turn email notifications on or off (off by default)."""
    row = services.notification_settings_update(
        user=_user(request), email_enabled=payload.email_enabled
    )
    return {"email_enabled": row.email_enabled}


# --- teams -----------------------------------------------------------------------------


class TeamIn(Schema):
    name: Annotated[Line, Field(max_length=120)]


class TeamOut(Schema):
    id: int
    name: str
    role: str


class MemberIn(Schema):
    username: Annotated[Line, Field(max_length=150)]
    role: TeamRole = TeamRole.MEMBER


class AssignIn(Schema):
    roadmap: Key
    members: Annotated[list[Annotated[Line, Field(max_length=150)]], Field(max_length=1000)] = (
        Field([], description="Usernames; empty for every member")
    )


class ConsentIn(Schema):
    lead: Annotated[Line, Field(max_length=150)] = Field(
        description="Username of the lead who becomes your mentor"
    )


class MatrixCellOut(Schema):
    key: str
    status: str
    rating: int | None


class TeamMemberOut(Schema):
    username: str
    name: str
    role: str
    roadmap: str | None
    verdict: str | None
    hours_this_month: float | None
    reviews_waiting: int | None
    skills: list[MatrixCellOut] | None


class TeamDetailOut(Schema):
    id: int
    name: str
    role: str
    topics: list[str] | None
    members: list[TeamMemberOut]


@router.post("/teams", response={201: TeamOut, 422: Error})
def team_create(request: HttpRequest, payload: TeamIn) -> tuple[int, dict[str, Any]]:
    team = services.team_create(lead=_user(request), name=payload.name)
    return 201, {"id": team.pk, "name": team.name, "role": "lead"}


@router.get("/teams", response={200: list[TeamOut]})
def team_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = _user(request)
    roles = dict(user.team_memberships.values_list("team_id", "role"))
    return [
        {"id": t.pk, "name": t.name, "role": roles.get(t.pk, "")}
        for t in selectors.team_list(user=user)
    ]


@router.get("/teams/{int:team_id}", response={200: TeamDetailOut, 404: Error})
def team_get(request: HttpRequest, team_id: Id) -> dict[str, Any]:
    """The team; leads also get each member's skills, verdict, hours this month, reviews waiting."""
    access = selectors.team_get_for_user(user=_user(request), team_id=team_id)
    page = selectors.team_page(access=access)
    members = [
        {
            "username": m.user.username,
            "name": m.user.name,
            "role": "lead",
            "roadmap": None,
            "verdict": None,
            "hours_this_month": None,
            "reviews_waiting": None,
            "skills": None,
        }
        for m in page["leads"]
    ]
    rows = {r["membership"].pk: r for r in page.get("rows", [])}
    for m in page["members"]:
        row = rows.get(m.pk)
        members.append(
            {
                "username": m.user.username,
                "name": m.user.name,
                "role": "member",
                "roadmap": row["enrollment"].roadmap.slug if row and row["enrollment"] else None,
                "verdict": row["verdict"]["status"] if row and row["verdict"] else None,
                "hours_this_month": row["hours"] if row else None,
                "reviews_waiting": row["waiting"] if row else None,
                "skills": row["cells"] if row else None,
            }
        )
    return {
        "id": access.team.pk,
        "name": access.team.name,
        "role": access.role,
        "topics": [key for key, _ in page["topics"]] if "topics" in page else None,
        "members": members,
    }


@router.post(
    "/teams/{int:team_id}/members",
    response={201: TeamOut, 403: Error, 404: Error, 409: Error, 422: Error},
)
def team_member_add(
    request: HttpRequest, team_id: Id, payload: MemberIn
) -> tuple[int, dict[str, Any]]:
    membership = services.team_member_add(
        team_id=team_id, lead=_user(request), username=payload.username, role=payload.role
    )
    return 201, {"id": membership.team_id, "name": membership.team.name, "role": membership.role}


@router.post(
    "/teams/{int:team_id}/assignments",
    response={200: list[str], 403: Error, 404: Error, 409: Error, 422: Error},
)
def team_assign(request: HttpRequest, team_id: Id, payload: AssignIn) -> list[str]:
    """Assign a roadmap (or a fork) to members; each is enrolled unless already in it."""
    changed = services.team_roadmap_assign(
        team_id=team_id,
        lead=_user(request),
        roadmap_slug=payload.roadmap,
        usernames=payload.members,
    )
    return [m.user.username for m in changed]


@router.post(
    "/teams/{int:team_id}/lead-mentor",
    response={201: MentorshipOut, 404: Error, 409: Error, 422: Error},
)
def team_lead_mentor(
    request: HttpRequest, team_id: Id, payload: ConsentIn
) -> tuple[int, dict[str, Any]]:
    """As a member, agree that a lead of the team becomes your mentor."""
    mentorship = services.team_lead_mentor_consent(
        team_id=team_id, member=_user(request), lead_username=payload.lead
    )
    return 201, _mentorship_out(mentorship)


__all__ = ["ReviewStatus", "router"]

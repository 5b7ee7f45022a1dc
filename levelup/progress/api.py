"""API endpoints of the progress app (mounted under /api/v1/).

Every route answers only for the caller's own enrollments: anyone else's, staff
included, is 404. Item keys contain `:` and `/` and are taken from the path as they are.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from levelup.lib.errors import Invalid
from levelup.lib.schemas import Date, Error, Float, Id, Int, Key, Line, Page, Text, Url
from levelup.progress import selectors, services, versions
from levelup.progress.models import (
    Enrollment,
    EnrollmentStatus,
    EventKind,
    Evidence,
    ItemStatus,
)
from levelup.progress.rendering import markdown_to_html
from levelup.roadmaps.selectors import item_get

router = Router(tags=["progress"])


class ConflictOut(Schema):
    """A refused write; `current` holds the item's state when the version was stale."""

    detail: str
    errors: list[dict[str, str]] = []
    current: dict[str, Any] | None = None
    enrollment_id: int | None = None


# --- schemas ---------------------------------------------------------------------------

# An item's state as learners read it: its status, or `known` when rated 3-4.
ItemState = Literal["not_started", "in_progress", "done", "skipped", "known"]
WeeklyHours = Annotated[Float, Field(ge=1, le=40)]
StudyDays = Annotated[list[Annotated[Int, Field(ge=0, le=6)]], Field(max_length=7)]
TimeZone = Annotated[Line, Field(max_length=64)]


class EnrollmentIn(Schema):
    roadmap: Key = Field(description="Roadmap slug, e.g. backend-junior-to-senior")
    start_date: Date | None = Field(None, description="Defaults to today; may be in the past")
    weekly_hours: WeeklyHours | None = Field(
        None, description="1-40; defaults to the roadmap's midpoint"
    )
    study_days: StudyDays | None = Field(None, description="Weekdays, 0 = Monday … 6 = Sunday")
    target_finish: Date | None = Field(
        None, description="The date you aim to finish by; defaults to the roadmap's own end"
    )
    target_months: Annotated[Int, Field(ge=1, le=240)] | None = Field(
        None, description="Or: aim to finish this many months after the start"
    )
    time_zone: TimeZone | None = Field(None, description="IANA zone, e.g. Europe/Berlin; yours")


class EnrollmentPatch(Schema):
    start_date: Date | None = None
    weekly_hours: WeeklyHours | None = None
    study_days: StudyDays | None = None
    target_finish: Date | None = Field(
        None, description="A new target; send null to aim at the roadmap's own end again"
    )
    target_months: Annotated[Int, Field(ge=1, le=240)] | None = None
    time_zone: TimeZone | None = None


class EnrollmentOut(Schema):
    id: int
    roadmap: str
    roadmap_title: str
    version: int
    start_date: date
    target_finish: date = Field(description="The date aimed at (the roadmap's end by default)")
    target_chosen: bool = Field(description="Whether the learner chose the target")
    weekly_hours: float
    study_days: list[int]
    status: EnrollmentStatus
    created_at: datetime


class PauseIn(Schema):
    reason: Line = ""
    start_date: Date | None = None
    end_date: Date | None = None


class ItemPut(Schema):
    status: ItemStatus | None = None
    rating: Annotated[Int, Field(ge=0, le=4)] | None = None
    notes: Text | None = None


class EvidenceOut(Schema):
    id: int
    item_key: str
    title: str
    url: str
    repository_url: str
    writeup: str
    created_at: datetime


class ItemProgressOut(Schema):
    item_key: str
    title: str
    kind: str
    status: ItemStatus
    rating: int | None
    known: bool
    state: ItemState
    notes: str
    notes_html: str
    version: int
    started_at: datetime | None
    completed_at: datetime | None
    evidence: list[EvidenceOut]


class EvidenceIn(Schema):
    title: Line
    url: Url = ""
    repository_url: Url = ""
    writeup: Text = ""


class EvidencePatch(Schema):
    title: Line | None = None
    url: Url | None = None
    repository_url: Url | None = None
    writeup: Text | None = None


class EventOut(Schema):
    id: int
    item_key: str
    kind: EventKind
    from_value: str
    to_value: str
    created_at: datetime
    actor: str | None


class EventPage(Schema):
    count: int
    page: int
    pages: int
    per_page: int
    items: list[EventOut]


class EventQuery(Schema):
    page: Page = 1
    per_page: Annotated[Int, Field(ge=1, le=200)] = 50


class Counts(Schema):
    done: int
    known: int
    skipped: int
    in_progress: int
    not_started: int
    total: int


class Summary(Schema):
    percent: float
    hours_done: float
    hours_total: float
    counts: Counts


class SectionOut(Summary):
    slug: str
    title: str


class PhaseOut(Summary):
    slug: str
    title: str
    number: int
    month_start: int
    month_end: int
    sections: list[SectionOut]


class ProgressOut(Schema):
    overall: Summary
    phases: list[PhaseOut]
    projects: Summary
    subtopics: Counts


# --- helpers ---------------------------------------------------------------------------


def _own(request: HttpRequest, enrollment_id: Id) -> Enrollment:
    return selectors.enrollment_get(user=request.user, enrollment_id=enrollment_id)  # type: ignore[arg-type]


def _enrollment_out(enrollment: Enrollment) -> dict[str, Any]:
    return {
        "id": enrollment.pk,
        "roadmap": enrollment.roadmap.slug,
        "roadmap_title": enrollment.roadmap.title,
        "version": enrollment.version.number,
        "start_date": enrollment.start_date,
        "target_finish": enrollment.target(),
        "target_chosen": enrollment.target_finish is not None,
        "weekly_hours": float(enrollment.weekly_hours),
        "study_days": enrollment.study_days,
        # Scheduled pauses begin and end with nothing written, so the stored status can lag.
        "status": enrollment.status_on(
            enrollment.user.local_today(),
            ((p.start_date, p.end_date) for p in enrollment.pauses.all()),
        ),
        "created_at": enrollment.created_at,
    }


def _item_out(enrollment: Enrollment, item_key: str) -> dict[str, Any]:
    item = item_get(selectors.document_of(enrollment), item_key)
    state = selectors.item_state(enrollment=enrollment, item_key=item_key)
    return {
        **state,
        "title": item.title,
        "kind": item.kind,
        "notes_html": markdown_to_html(state["notes"]),
        "evidence": list(Evidence.objects.filter(enrollment=enrollment, item_key=item_key)),
    }


_VERSION = re.compile(r'^\s*(?:W/)?"?(\d+)"?\s*$')


def _if_match(request: HttpRequest) -> int | None:
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    match = _VERSION.match(header)
    if match is None:
        raise Invalid.for_field("If-Match", 'must be the item version, e.g. "3"')
    return int(match.group(1))


# --- enrollments -----------------------------------------------------------------------


@router.post(
    "/enrollments", response={201: EnrollmentOut, 404: Error, 409: ConflictOut, 422: Error}
)
def enrollment_create(request: HttpRequest, payload: EnrollmentIn) -> tuple[int, dict[str, Any]]:
    """Enroll in a roadmap. One open enrollment per roadmap (409 names the existing one)."""
    enrollment = services.enrollment_create(
        user=request.user,  # type: ignore[arg-type]
        roadmap_slug=payload.roadmap,
        start_date=payload.start_date,
        weekly_hours=payload.weekly_hours,
        study_days=payload.study_days,
        target_finish=payload.target_finish,
        target_months=payload.target_months,
        time_zone=payload.time_zone,
    )
    enrollment = _own(request, enrollment.pk)
    return 201, _enrollment_out(enrollment)


@router.get("/enrollments", response={200: list[EnrollmentOut]})
def enrollment_list(request: HttpRequest) -> list[dict[str, Any]]:
    """The caller's enrollments, newest first (archived ones included)."""
    enrollments = selectors.enrollment_list(user=request.user).prefetch_related("pauses")  # type: ignore[arg-type]
    return [_enrollment_out(e) for e in enrollments]


@router.get("/enrollments/{int:enrollment_id}", response={200: EnrollmentOut, 404: Error})
def enrollment_get(request: HttpRequest, enrollment_id: Id) -> dict[str, Any]:
    return _enrollment_out(_own(request, enrollment_id))


@router.patch(
    "/enrollments/{int:enrollment_id}",
    response={200: EnrollmentOut, 404: Error, 409: ConflictOut, 422: Error},
)
def enrollment_patch(
    request: HttpRequest, enrollment_id: Id, payload: EnrollmentPatch
) -> dict[str, Any]:
    """Change start date, weekly hours, study days, target or time zone (only the fields
    sent; `"target_finish": null` goes back to the roadmap's own end)."""
    sent = payload.model_fields_set
    enrollment = services.enrollment_update(
        enrollment=_own(request, enrollment_id),
        start_date=payload.start_date,
        weekly_hours=payload.weekly_hours,
        study_days=payload.study_days,
        target_finish=payload.target_finish if "target_finish" in sent else services.KEEP,
        target_months=payload.target_months,
        time_zone=payload.time_zone,
    )
    return _enrollment_out(enrollment)


@router.post(
    "/enrollments/{int:enrollment_id}/pause",
    response={200: EnrollmentOut, 404: Error, 409: ConflictOut, 422: Error},
)
def enrollment_pause(request: HttpRequest, enrollment_id: Id, payload: PauseIn) -> dict[str, Any]:
    """Pause (open-ended without `end_date`); a pause covering today sets status paused."""
    enrollment = _own(request, enrollment_id)
    services.enrollment_pause(
        enrollment=enrollment,
        actor=request.user,  # type: ignore[arg-type]
        reason=payload.reason,
        start_date=payload.start_date,
        end_date=payload.end_date,
    )
    return _enrollment_out(enrollment)


@router.post(
    "/enrollments/{int:enrollment_id}/resume",
    response={200: EnrollmentOut, 404: Error, 409: ConflictOut},
)
def enrollment_resume(request: HttpRequest, enrollment_id: Id) -> dict[str, Any]:
    enrollment = services.enrollment_resume(
        enrollment=_own(request, enrollment_id),
        actor=request.user,  # type: ignore[arg-type]
    )
    return _enrollment_out(enrollment)


@router.post(
    "/enrollments/{int:enrollment_id}/archive",
    response={200: EnrollmentOut, 404: Error, 409: ConflictOut},
)
def enrollment_archive(request: HttpRequest, enrollment_id: Id) -> dict[str, Any]:
    enrollment = services.enrollment_archive(
        enrollment=_own(request, enrollment_id),
        actor=request.user,  # type: ignore[arg-type]
    )
    return _enrollment_out(enrollment)


# --- figures ---------------------------------------------------------------------------


@router.get("/enrollments/{int:enrollment_id}/progress", response={200: ProgressOut, 404: Error})
def enrollment_progress(request: HttpRequest, enrollment_id: Id) -> dict[str, Any]:
    """Progress overall, per phase and section, and for projects, weighted by effort."""
    return selectors.progress_for(_own(request, enrollment_id))


@router.get("/enrollments/{int:enrollment_id}/events", response={200: EventPage, 404: Error})
def enrollment_events(
    request: HttpRequest, enrollment_id: Id, query: Query[EventQuery]
) -> dict[str, Any]:
    """Every change, newest first, a page at a time."""
    enrollment = _own(request, enrollment_id)
    events = selectors.events_for(enrollment)
    count = events.count()
    offset = (query.page - 1) * query.per_page
    page = events[offset : offset + query.per_page]
    return {
        "count": count,
        "page": query.page,
        "pages": max(1, math.ceil(count / query.per_page)),
        "per_page": query.per_page,
        "items": [
            {
                "id": e.pk,
                "item_key": e.item_key,
                "kind": e.kind,
                "from_value": e.from_value,
                "to_value": e.to_value,
                "created_at": e.created_at,
                "actor": e.actor.username if e.actor else None,
            }
            for e in page
        ],
    }


# --- items (evidence first: its path is the item path plus a suffix) -------------------


@router.post(
    "/enrollments/{int:enrollment_id}/items/{path:item_key}/evidence",
    response={201: EvidenceOut, 404: Error, 409: ConflictOut, 422: Error},
)
def item_evidence_add(
    request: HttpRequest, enrollment_id: Id, item_key: str, payload: EvidenceIn
) -> tuple[int, Any]:
    """Attach a titled http(s) link; projects may send a repository URL and a write-up."""
    evidence = services.evidence_add(
        enrollment=_own(request, enrollment_id),
        actor=request.user,  # type: ignore[arg-type]
        item_key=item_key,
        title=payload.title,
        url=payload.url,
        repository_url=payload.repository_url,
        writeup=payload.writeup,
    )
    return 201, evidence


def _own_evidence(request: HttpRequest, enrollment_id: Id, evidence_id: Id) -> Evidence:
    return selectors.evidence_get_for_user(
        user=request.user,  # type: ignore[arg-type]
        enrollment_id=enrollment_id,
        evidence_id=evidence_id,
    )


@router.patch(
    "/enrollments/{int:enrollment_id}/evidence/{int:evidence_id}",
    response={200: EvidenceOut, 404: Error, 409: Error, 422: Error},
)
def evidence_patch(
    request: HttpRequest, enrollment_id: Id, evidence_id: Id, payload: EvidencePatch
) -> Evidence:
    """Correct a piece of evidence: only the fields sent change; the same rules as adding."""
    evidence = _own_evidence(request, enrollment_id, evidence_id)
    changes = {name: getattr(payload, name) or "" for name in payload.model_fields_set}
    return services.evidence_update(
        evidence=evidence,
        actor=request.user,  # type: ignore[arg-type]
        changes=changes,
    )


@router.delete(
    "/enrollments/{int:enrollment_id}/evidence/{int:evidence_id}",
    response={204: None, 404: Error, 409: Error},
)
def evidence_delete(request: HttpRequest, enrollment_id: Id, evidence_id: Id) -> tuple[int, None]:
    """Remove a piece of evidence; the item's history records the removal."""
    services.evidence_delete(
        evidence=_own_evidence(request, enrollment_id, evidence_id),
        actor=request.user,  # type: ignore[arg-type]
    )
    return 204, None


@router.get(
    "/enrollments/{int:enrollment_id}/items/{path:item_key}",
    response={200: ItemProgressOut, 404: Error},
)
def item_get_endpoint(request: HttpRequest, enrollment_id: Id, item_key: str) -> dict[str, Any]:
    """An item's state; `version` is what a later PUT sends as If-Match."""
    return _item_out(_own(request, enrollment_id), item_key)


@router.put(
    "/enrollments/{int:enrollment_id}/items/{path:item_key}",
    response={200: ItemProgressOut, 404: Error, 409: ConflictOut, 422: Error},
)
def item_put(
    request: HttpRequest, enrollment_id: Id, item_key: str, payload: ItemPut
) -> dict[str, Any]:
    """Change status, rating and/or notes. Send `If-Match: <version>` to refuse stale writes.

    Only the fields present in the body change; `"rating": null` clears the rating.
    A stale If-Match answers 409 with the item's current state in `current`.
    """
    enrollment = _own(request, enrollment_id)
    sent = payload.model_fields_set
    services.item_update(
        enrollment=enrollment,
        actor=request.user,  # type: ignore[arg-type]
        item_key=item_key,
        status=payload.status if "status" in sent else services.UNSET,
        rating=payload.rating if "rating" in sent else services.UNSET,
        notes=payload.notes if "notes" in sent else services.UNSET,
        expected_version=_if_match(request),
    )
    return _item_out(enrollment, item_key)


# --- moving to a newer roadmap version -------------------------------------------------


class UpgradeIn(Schema):
    version: Annotated[Int, Field(ge=1)] = Field(
        description="The roadmap version to move to (newer than yours)"
    )


class UpgradeOut(Schema):
    version: int
    carried: list[str]
    archived: list[str]
    renamed: dict[str, str]


class UpgradePreviewOut(Schema):
    current_version: int
    version: int
    carried: list[str]
    archived: list[str]
    renamed: dict[str, str]
    added: list[str]
    removed: list[str]
    changed: list[str]
    moved: list[str]


class ArchivedItemOut(Schema):
    item_key: str
    title: str
    from_version: int
    to_version: int
    status: str
    rating: int | None
    notes: str
    evidence: list[dict[str, str]]
    logged_minutes: int
    archived_at: datetime


class UpgradeQuery(Schema):
    version: Annotated[Int, Field(ge=1)] | None = None


@router.get(
    "/enrollments/{int:enrollment_id}/upgrade",
    response={200: UpgradePreviewOut, 404: Error, 422: Error},
)
def enrollment_upgrade_preview(
    request: HttpRequest, enrollment_id: Id, query: Query[UpgradeQuery]
) -> dict[str, Any]:
    """What moving to `version` (default: the roadmap's current one) changes for you."""
    enrollment = _own(request, enrollment_id)
    target = query.version or (
        enrollment.roadmap.current_version.number if enrollment.roadmap.current_version else 0
    )
    plan = versions.enrollment_upgrade_plan(enrollment=enrollment, version=target)
    return {
        "current_version": enrollment.version.number,
        "version": plan.target.number,
        "carried": plan.carried,
        "archived": plan.archived,
        "renamed": plan.renames,
        "added": plan.diff.added,
        "removed": plan.diff.removed,
        "changed": plan.diff.changed,
        "moved": plan.diff.moved,
    }


@router.post(
    "/enrollments/{int:enrollment_id}/upgrade",
    response={200: UpgradeOut, 404: Error, 409: ConflictOut, 422: Error},
)
def enrollment_upgrade(
    request: HttpRequest, enrollment_id: Id, payload: UpgradeIn
) -> dict[str, Any]:
    """Move to a newer version, carrying progress on kept (and renamed) items.

    Progress on items the new version removed is archived (`GET …/archived-items`).
    """
    result = services.enrollment_upgrade(
        enrollment=_own(request, enrollment_id),
        actor=request.user,  # type: ignore[arg-type]
        version=payload.version,
    )
    return {
        "version": result.version,
        "carried": result.carried,
        "archived": result.archived,
        "renamed": result.renames,
    }


@router.get(
    "/enrollments/{int:enrollment_id}/archived-items",
    response={200: list[ArchivedItemOut], 404: Error},
)
def enrollment_archived_items(request: HttpRequest, enrollment_id: Id) -> Any:
    """Progress kept from items that a version you moved to no longer has."""
    return list(versions.archive_for(_own(request, enrollment_id)))

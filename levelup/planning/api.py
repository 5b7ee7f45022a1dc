"""API endpoints of the planning app (mounted under /api/v1/).

Both routes answer only for the caller's own enrollments: anyone else's, staff included,
is 404. Dates are the learner's local dates; "today" is today where the learner lives.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema
from pydantic import Field

from levelup.lib.schemas import Date, Error, Float, Id, Line
from levelup.planning import selectors, services
from levelup.progress.api import ItemState
from levelup.progress.models import Enrollment
from levelup.progress.selectors import enrollment_get

router = Router(tags=["planning"])


class PlanWeekOut(Schema):
    start: date = Field(description="The week's first day (the learner's week start)")
    total_hours: float = Field(description="Planned hours of roadmap items this week")
    capacity_hours: float = Field(description="Hours this week has for roadmap items")
    hours_by_item: dict[str, float] = Field(description="Item key → planned hours")
    paused: bool = Field(description="A pause covers some of the week")


class PlanItemOut(Schema):
    key: str
    title: str
    kind: str
    phase: str | None
    category: str
    status: ItemState = Field(description="not_started, in_progress, done, skipped or known")
    planned_start: date | None = Field(description="None when nothing is left to do")
    planned_finish: date | None
    nominal_start: date = Field(description="The roadmap's window laid from the start date")
    nominal_finish: date
    actual_start: date | None = Field(description="When work on it started, if it did")
    actual_finish: date | None = Field(description="When it was marked done, if it was")
    hours: float = Field(description="Estimated effort in hours (the one effort model)")
    estimate_hours: float = Field(description="The same as `hours`; kept for older clients")
    remaining_hours: float


class PlanCheckpointOut(Schema):
    key: str
    title: str
    date: date | None


class FinishOut(Schema):
    target: date = Field(description="The finish the learner aims at")
    forecast: date | None = Field(
        description="What the verdict compares with the target: `p50` when available, "
        "else `planned`; null only when the plan cannot finish"
    )
    planned: date | None = Field(description="The plan's finish at the weekly hours")
    p50: date | None = Field(description="Half the simulated futures finish by then")
    p85: date | None = Field(description="85% of the simulated futures finish by then")


class PlanFinishOut(FinishOut):
    nominal: date = Field(description="The roadmap's own end, from the start date")


class VerdictOut(Schema):
    status: Literal["not_started", "paused", "finished", "on_track", "ahead", "behind"]
    weeks: int | None = Field(
        description="Whole weeks between finish.forecast and finish.target; null when "
        "the plan cannot finish"
    )
    label: str = Field(description='"On track", "9 weeks behind", "Paused", …')
    reason: str = Field(description="One sentence saying why, with the dates")


class PlanForecastOut(Schema):
    weeks_of_history: int
    weeks_needed: int
    available: bool


class PlanWarningOut(Schema):
    code: str
    message: str
    item_key: str | None


class PlanOut(Schema):
    enrollment_id: int
    today: date
    weekly_hours: float
    item_hours_per_week: float = Field(description="Weekly hours times the share for items")
    weeks: list[PlanWeekOut]
    items: list[PlanItemOut]
    checkpoints: list[PlanCheckpointOut]
    finish: PlanFinishOut
    forecast: PlanForecastOut
    pace: float = Field(description="Hours taken per estimated hour on finished items")
    verdict: VerdictOut
    warnings: list[PlanWarningOut]


class ThisWeekItemOut(Schema):
    key: str
    title: str
    hours: float


class ThisWeekOut(Schema):
    week_start: date
    items: list[ThisWeekItemOut]
    total_hours: float
    capacity_hours: float = Field(description="Hours this week has for roadmap items")


class PlanSettingsIn(Schema):
    weekly_hours: Annotated[Float, Field(ge=1, le=40)] | None = Field(
        None, description="1-40 hours a week"
    )
    pause_start: Date | None = Field(None, description="First day of a pause (with pause_end)")
    pause_end: Date | None = Field(None, description="Last day of the pause")
    pause_reason: Line = ""


class PauseOut(Schema):
    start_date: date
    end_date: date | None
    reason: str


class PlanSettingsOut(Schema):
    weekly_hours: float
    pauses: list[PauseOut]


def _enrollment(request: HttpRequest, enrollment_id: Id) -> Enrollment:
    return enrollment_get(user=request.user, enrollment_id=enrollment_id)  # type: ignore[arg-type]


@router.get(
    "/enrollments/{int:enrollment_id}/plan",
    response={200: PlanOut, 404: Error},
    summary="The personal plan",
)
def plan(request: HttpRequest, enrollment_id: Id) -> dict[str, Any]:
    """Weeks with hours per item, items with planned and nominal dates, checkpoint dates,
    the verdict against the target, the finish (target, forecast, planned, 50%/85%,
    nominal), pace and warnings."""
    return selectors.plan_for(_enrollment(request, enrollment_id))


@router.get(
    "/enrollments/{int:enrollment_id}/plan/this-week",
    response={200: ThisWeekOut, 404: Error},
    summary="This week's plan",
)
def plan_this_week(request: HttpRequest, enrollment_id: Id) -> dict[str, Any]:
    """Hours per item for the week containing the learner's today, most hours first."""
    return selectors.this_week_for(_enrollment(request, enrollment_id))


@router.patch(
    "/enrollments/{int:enrollment_id}/plan/settings",
    response={200: PlanSettingsOut, 404: Error, 409: Error, 422: Error},
    summary="Change weekly hours and add a pause",
)
def plan_settings(
    request: HttpRequest, enrollment_id: Id, payload: PlanSettingsIn
) -> dict[str, Any]:
    """Weekly hours and/or a pause with both dates, all or nothing; the plan follows."""
    enrollment = _enrollment(request, enrollment_id)
    services.plan_settings_update(
        enrollment=enrollment,
        actor=request.user,  # type: ignore[arg-type]
        weekly_hours=payload.weekly_hours,
        pause_start=payload.pause_start,
        pause_end=payload.pause_end,
        pause_reason=payload.pause_reason,
    )
    return {
        "weekly_hours": float(enrollment.weekly_hours),
        "pauses": list(enrollment.pauses.values("start_date", "end_date", "reason")),
    }


class CalendarOut(Schema):
    url: str = Field(description="The private feed address; shown only in this answer")


@router.post(
    "/enrollments/{int:enrollment_id}/calendar",
    response={201: CalendarOut, 404: Error, 409: Error},
    summary="Turn the calendar feed on, or give it a new address",
)
def calendar_feed(request: HttpRequest, enrollment_id: Id) -> tuple[int, dict[str, str]]:
    """Creates the feed, or replaces its secret (the old address answers 404 from now on).
    Subscribe to the returned address in any calendar app; it is the only key."""
    enrollment = _enrollment(request, enrollment_id)
    _, secret = services.calendar_feed_create(enrollment=enrollment)
    path = reverse("planning:ics", kwargs={"secret": secret})
    return 201, {"url": request.build_absolute_uri(path)}

"""The dashboard endpoint (mounted under /api/v1/): the composed answer to "where am I".

Only the caller's own enrollments answer; anyone else's, staff included, is 404.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import BaseModel, Field

from levelup.dashboard.selectors import dashboard_for
from levelup.lib.schemas import Id
from levelup.planning.api import FinishOut, VerdictOut
from levelup.progress.api import Counts, Error, ItemState, PhaseOut, Summary
from levelup.progress.selectors import enrollment_get

router = Router(tags=["dashboard"])


class OverallOut(Summary):
    expected_percent: float = Field(
        description="Percent of the effort the target timeline expects done by today"
    )


class DashboardRoadmapOut(Schema):
    slug: str
    title: str


class CriterionOut(Schema):
    slug: str
    text: str
    kind: Literal["items", "evidence"] = Field(
        description="items (readiness counted from linked items) or evidence"
    )
    ready: bool | None
    done: int | None
    required: int | None
    evidence: int | None
    summary: str


class DashboardCheckpointOut(Schema):
    key: str
    title: str
    month: int
    months_away: int
    ready: int
    measurable: int
    criteria: list[CriterionOut]


class NextItemOut(Schema):
    key: str
    title: str
    kind: str
    state: ItemState = Field(description="not_started, in_progress, done, skipped or known")
    month_start: int
    month_end: int


class ActivityOut(Schema):
    kind: str = Field(
        description="status, rating, ratings (a burst, e.g. the self-assessment), notes, "
        "evidence, enrollment or study (a day's sessions)"
    )
    at: datetime | date
    text: str
    item_key: str
    item_title: str
    count: int
    minutes: int


class HeatmapDayOut(BaseModel):
    """A plain pydantic model: a year of days validated as ninja Schemas (each through
    its attribute getter) cost a quarter of a dashboard miss."""

    date: date
    minutes: int = Field(description="Minutes studied that local day (the journal)")
    changes: int = Field(description="Progress changes that day (statuses, ratings, notes)")


class HeatmapOut(Schema):
    first: date
    last: date
    active_days: int = Field(description="Days with study time")
    minutes: int
    changes: int
    days: list[HeatmapDayOut] = Field(description="Only days with study time or changes")


class DashboardOut(Schema):
    enrollment_id: int
    roadmap: DashboardRoadmapOut
    status: str
    today: date
    start_date: date
    journey_month: int
    duration_months: int
    journey_label: str
    weekly_hours: float
    verdict: VerdictOut
    finish: FinishOut
    overall: OverallOut
    counts: Counts
    phases: list[PhaseOut]
    projects: Summary
    subtopics: Counts
    next_checkpoint: DashboardCheckpointOut | None
    next_items: list[NextItemOut]
    recent_activity: list[ActivityOut]
    heatmap: HeatmapOut


@router.get("/enrollments/{int:enrollment_id}/dashboard", response={200: DashboardOut, 404: Error})
def enrollment_dashboard(request: HttpRequest, enrollment_id: Id) -> dict[str, Any]:
    """Where the learner is (journey month, progress against the target timeline), whether
    they are on track (the verdict and its finish dates), and what comes next."""
    enrollment = enrollment_get(user=request.user, enrollment_id=enrollment_id)  # type: ignore[arg-type]
    data = dashboard_for(enrollment)
    heatmap = data["heatmap"]
    data["heatmap"] = {
        **heatmap,
        "days": [d for d in heatmap["days"] if d["minutes"] or d["changes"]],
    }
    return data

"""From Django models to the planner's plain inputs, in a fixed number of queries.

`roadmap_for(version)` turns a stored roadmap document into a `PlanRoadmap` (cached per
content hash: versions never change). `snapshot_for(enrollment, today)` reads one
enrollment's settings and progress into a `LearnerInput`, plus the dates the learner
actually worked on each item (for the timeline):

* item states from `ItemProgress` (one query): done wins; a rating of 3 or more is
  "known"; ``done_fraction`` is the share of a topic's subtopics that are done, known or
  skipped;
* pauses (one query); an open pause counts as lasting until today;
* hours per item from the journal's study sessions (one aggregate query; time logged on a
  subtopic counts for its topic);
* the weekly history (one aggregate query): total hours of each of the last
  `HISTORY_WEEKS` full weeks since the start date, leaving out weeks a pause touched.

Four queries, whatever the size of the roadmap or of the learner's history.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from threading import Lock
from zoneinfo import ZoneInfo

from django.db.models import Sum

from levelup.journal.models import StudySession
from levelup.planning.core import (
    Category,
    ItemState,
    LearnerInput,
    Pause,
    PlanCheckpoint,
    PlanItem,
    PlanPhase,
    PlanRoadmap,
    week_start_of,
)
from levelup.progress.figures import COMPLETE_STATES, State, effective_state
from levelup.progress.models import Enrollment, ItemProgress
from levelup.progress.models import Pause as PauseRow
from levelup.roadmaps.models import RoadmapVersion
from levelup.roadmaps.schema import RoadmapDocument
from levelup.roadmaps.selectors import document_for

# Recent full weeks the forecast draws from: about a quarter, so it follows a changed rhythm.
HISTORY_WEEKS = 12

_roadmaps: dict[str, PlanRoadmap] = {}
_roadmaps_lock = Lock()
# Few roadmap versions are in use at once; the bound only stops a pathological leak.
_MAX_CACHED_ROADMAPS = 64


def _item_key(key: str) -> str:
    """The planned item a key belongs to: a subtopic belongs to its topic."""
    if key.startswith("topic:") and "/" in key:
        return key.split("/", 1)[0]
    return key


def _prerequisites(keys: tuple[str, ...], own: str) -> tuple[str, ...]:
    seen: list[str] = []
    for key in keys:
        target = _item_key(key)
        if target != own and target not in seen:
            seen.append(target)
    return tuple(seen)


def roadmap_from_document(document: RoadmapDocument) -> PlanRoadmap:
    """The parts of a document the planner needs: topics and projects, phases, checkpoints.

    Topics keep their phase and category; projects have no phase in the document and get
    none here. Checkpoints are reached at the end of their month. Categories come from the
    weekly schedule.
    """
    schedule = document.weekly_schedule
    items: list[PlanItem] = []
    for phase in document.phases:
        for section in phase.sections:
            for topic in section.topics:
                key = f"topic:{topic.slug}"
                items.append(
                    PlanItem(
                        key=key,
                        title=topic.title,
                        kind="topic",
                        phase=phase.slug,
                        category=topic.category or schedule.topic_category,
                        month_start=topic.month_start,
                        month_end=topic.month_end,
                        effort_hours=topic.effort_hours,
                        prerequisites=_prerequisites(topic.prerequisites, key),
                    )
                )
    for project in document.projects:
        key = f"project:{project.slug}"
        items.append(
            PlanItem(
                key=key,
                title=project.title,
                kind="project",
                phase=None,
                category=project.category or schedule.project_category,
                month_start=project.month_start,
                month_end=project.month_end,
                effort_hours=project.effort_hours,
                prerequisites=_prerequisites(project.prerequisites, key),
            )
        )
    return PlanRoadmap(
        duration_months=document.duration_months,
        min_weekly_hours=schedule.min_hours,
        max_weekly_hours=schedule.max_hours,
        categories=tuple(
            Category(slug=c.slug, min_hours=c.min_hours, max_hours=c.max_hours)
            for c in schedule.categories
        ),
        items=tuple(items),
        checkpoints=tuple(
            PlanCheckpoint(key=f"checkpoint:{c.slug}", title=c.title, month=c.month)
            for c in document.checkpoints
        ),
        phases=tuple(
            PlanPhase(slug=p.slug, title=p.title, month_start=p.month_start, month_end=p.month_end)
            for p in document.phases
        ),
    )


def roadmap_for(version: RoadmapVersion) -> PlanRoadmap:
    """The planner's view of a stored version, built once per content hash."""
    key = version.content_hash
    cached = _roadmaps.get(key)
    if cached is not None:
        return cached
    built = roadmap_from_document(document_for(version))
    with _roadmaps_lock:
        if len(_roadmaps) >= _MAX_CACHED_ROADMAPS:
            _roadmaps.clear()
        _roadmaps[key] = built
    return built


@dataclass(frozen=True)
class Snapshot:
    """A learner's planner input and, apart from it, what they actually did when.

    ``actual`` maps a topic or project key to the local dates work on it started and (when
    done) finished. It only feeds the timeline, so it is not part of the plan's fingerprint.
    """

    learner: LearnerInput
    actual: dict[str, tuple[date, date | None]] = field(default_factory=dict)


def _local(moment: datetime | None, zone: ZoneInfo) -> date | None:
    return moment.astimezone(zone).date() if moment is not None else None


def _weekly_history(
    enrollment: Enrollment,
    today: date,
    week_start: int,
    pauses: tuple[Pause, ...],
    daily_minutes: Mapping[date, int] | None = None,
) -> tuple[float, ...]:
    """Total hours of each recent full week, oldest first (one query, none given
    ``daily_minutes`` that cover the last `HISTORY_WEEKS` weeks).

    Weeks before the start date's week, the current week (not over yet) and weeks a pause
    touched say nothing about the learner's rhythm, so they are left out.
    """
    this_week = week_start_of(today, week_start)
    first = max(this_week - timedelta(weeks=HISTORY_WEEKS), enrollment.start_date)
    # Only whole weeks that began on or after the start date count.
    first = week_start_of(first + timedelta(days=6), week_start)
    if first >= this_week:
        return ()
    minutes: dict[date, int] = defaultdict(int)
    if daily_minutes is None:
        daily_minutes = {
            row["date"]: int(row["total"] or 0)
            for row in StudySession.objects.filter(
                enrollment=enrollment, date__gte=first, date__lt=this_week
            )
            .values("date")
            .annotate(total=Sum("minutes"))
            .order_by()
        }
    for day, total in daily_minutes.items():
        if first <= day < this_week:
            minutes[week_start_of(day, week_start)] += total
    history: list[float] = []
    week = first
    while week < this_week:
        end = week + timedelta(days=6)
        if not any(p.start <= end and p.end >= week for p in pauses):
            history.append(round(minutes.get(week, 0) / 60, 4))
        week += timedelta(days=7)
    return tuple(history)


# What the snapshot reads of each item row, in this order.
PROGRESS_FIELDS = ("item_key", "status", "rating", "started_at", "completed_at")
ProgressRow = tuple[str, str, int | None, datetime | None, datetime | None]


def progress_rows(enrollment: Enrollment) -> list[ProgressRow]:
    """The enrollment's item rows as the snapshot reads them (one query)."""
    return list(ItemProgress.objects.filter(enrollment=enrollment).values_list(*PROGRESS_FIELDS))


def pause_rows(enrollment: Enrollment) -> list[tuple[date, date | None]]:
    """The enrollment's pauses as (start, end or None), oldest first (one query)."""
    return list(
        PauseRow.objects.filter(enrollment=enrollment)
        .order_by("start_date", "pk")
        .values_list("start_date", "end_date")
    )


def snapshot_for(
    enrollment: Enrollment,
    today: date,
    roadmap: PlanRoadmap,
    *,
    rows: Iterable[ProgressRow] | None = None,
    pauses_read: Iterable[tuple[date, date | None]] | None = None,
    daily_minutes: Mapping[date, int] | None = None,
) -> Snapshot:
    """Read the enrollment's settings and progress as planner input (four queries).

    ``today`` is the learner's local date; ``enrollment.user`` should be loaded already.
    A caller that has already read the item rows (`progress_rows`), the pauses
    (`pause_rows`) or the minutes per local day of at least the last `HISTORY_WEEKS` weeks
    passes them in, and the snapshot skips those queries.
    """
    user = enrollment.user
    zone = user.zone
    planned = {item.key for item in roadmap.items}

    pauses = tuple(
        # An open pause lasts until today; a row from before the rules that ends before it
        # starts counts as its start day, so old data never stops the plan.
        Pause(start=start, end=max(start, end if end is not None else today))
        for start, end in sorted(
            pauses_read if pauses_read is not None else pause_rows(enrollment),
            key=lambda pause: pause[0],
        )
    )

    statuses: dict[str, str] = {}
    sub_complete: dict[str, int] = defaultdict(int)
    actual: dict[str, tuple[date, date | None]] = {}
    for key, status, rating, started_at, completed_at in (
        rows if rows is not None else progress_rows(enrollment)
    ):
        state = effective_state(State(status=status, rating=rating))
        if key in planned:
            statuses[key] = state
            finished = _local(completed_at, zone) if status == "done" else None
            began = _local(started_at, zone) or finished
            if began is not None:
                actual[key] = (began, finished)
        elif key.startswith("topic:") and "/" in key and state in COMPLETE_STATES:
            sub_complete[_item_key(key)] += 1

    logged: dict[str, float] = defaultdict(float)
    by_item = (
        StudySession.objects.filter(enrollment=enrollment)
        .exclude(item_key="")
        .values("item_key")
        .annotate(total=Sum("minutes"))
        .order_by()
    )
    for row in by_item:
        key = _item_key(row["item_key"])
        if key in planned:
            logged[key] += int(row["total"] or 0) / 60

    document = document_for(enrollment.version)
    states: dict[str, ItemState] = {}
    for key in sorted(planned):
        fraction = 0.0
        if sub_complete.get(key):
            subtopics = len(document.subtopic_keys(key))
            fraction = min(1.0, sub_complete[key] / subtopics) if subtopics else 0.0
        hours = round(logged.get(key, 0.0), 4)
        status = statuses.get(key, "not_started")
        if status == "not_started" and hours == 0 and fraction == 0:
            continue  # absent and not started are the same; keep the fingerprint small
        states[key] = ItemState(
            status=status,  # type: ignore[arg-type]
            logged_hours=hours,
            done_fraction=round(fraction, 6),
        )

    week_start = int(getattr(user, "week_start", 0) or 0)
    learner = LearnerInput(
        start_date=enrollment.start_date,
        weekly_hours=float(enrollment.weekly_hours),
        pauses=pauses,
        states=states,
        weekly_history=_weekly_history(enrollment, today, week_start, pauses, daily_minutes),
        week_start=week_start,
    )
    return Snapshot(learner=learner, actual=actual)

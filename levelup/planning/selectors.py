"""Reads of the personal plan: the plan as plain data, this week, the schedule verdict.

The plan is a pure function of the roadmap version and the learner's input
(`adapter.snapshot_for`), so it is cached in Django's cache under
`core.plan_fingerprint` of those inputs: reading a plan costs the adapter's four queries
and a hash, and the planner runs only when progress, hours, settings, the roadmap or the
week changed.

The schedule verdict (`schedule_status_for`) compares the planned finish with the finish
the learner would have had at their chosen weekly hours if they had followed the plan from
their start date with nothing known in advance (same pauses): the *expected* finish.
Finishing within a week of it is "on track"; later is "N weeks behind", earlier "N weeks
ahead". Known topics, finished work and fast work move a learner ahead; idle weeks, slow
work and a shortfall of hours move them behind.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.cache import cache

from levelup.lib.errors import NotFound
from levelup.planning import core
from levelup.planning.adapter import ProgressRow, Snapshot, roadmap_for, snapshot_for
from levelup.planning.calendar import StudyBlock, StudySlot, build_ics, study_blocks_for
from levelup.planning.core import LearnerInput, Plan, PlanRoadmap, plan_fingerprint
from levelup.planning.effort import WEEKS_PER_MONTH
from levelup.planning.forecast import MIN_HISTORY_WEEKS, forecast_finish
from levelup.planning.models import CalendarFeed
from levelup.planning.services import secret_hash
from levelup.progress.models import Enrollment
from levelup.roadmaps.selectors import document_for

CACHE_PREFIX = "planning:plan:"
# A plan is keyed by the start of its week, so nothing older than a week is ever read again.
CACHE_SECONDS = 8 * 24 * 3600
# Under one week either way is "on track": weekly hours wobble.
ON_TRACK_WEEKS = 1

# The planner's entry points, looked up here at call time so tests can count the calls.
core_plan = core.plan
run_forecast = forecast_finish


@dataclass(frozen=True)
class Computed:
    """A computed plan with its forecast and the expected finish; what the cache holds."""

    plan: Plan
    p50: date | None
    p85: date | None
    weeks_of_history: int
    expected_finish: date | None
    fingerprint: str


@dataclass(frozen=True)
class PlanContext:
    """Everything a page needs: the computed plan and the inputs it came from."""

    enrollment: Enrollment
    roadmap: PlanRoadmap
    snapshot: Snapshot
    computed: Computed
    today: date

    @property
    def plan(self) -> Plan:
        return self.computed.plan

    @property
    def learner(self) -> LearnerInput:
        return self.snapshot.learner


def _expected_finish(roadmap: PlanRoadmap, learner: LearnerInput) -> date | None:
    """The finish at the chosen weekly hours from the start date, with nothing done."""
    baseline = LearnerInput(
        start_date=learner.start_date,
        weekly_hours=learner.weekly_hours,
        pauses=learner.pauses,
        states={},
        week_start=learner.week_start,
    )
    return core_plan(roadmap, baseline, learner.start_date).finish


def _compute(roadmap: PlanRoadmap, learner: LearnerInput, today: date, key: str) -> Computed:
    result = core_plan(roadmap, learner, today)
    forecast = run_forecast(roadmap, learner, today)
    return Computed(
        plan=result,
        p50=forecast.p50,
        p85=forecast.p85,
        weeks_of_history=len(learner.weekly_history),
        expected_finish=_expected_finish(roadmap, learner),
        fingerprint=key,
    )


def plan_context(
    enrollment: Enrollment,
    today: date | None = None,
    *,
    rows: Iterable[ProgressRow] | None = None,
    pauses_read: Iterable[tuple[date, date | None]] | None = None,
) -> PlanContext:
    """The enrollment's plan for the learner's ``today`` (their local date by default).

    ``enrollment`` should come with ``user`` and ``version`` loaded (the progress
    selectors do that); the adapter then runs four queries (two, given the item ``rows``
    and ``pauses_read`` a caller already has) and the planner only on a cache miss.
    """
    today = today or enrollment.user.local_today()
    roadmap = roadmap_for(enrollment.version)
    snapshot = snapshot_for(enrollment, today, roadmap, rows=rows, pauses_read=pauses_read)
    key = plan_fingerprint(roadmap, snapshot.learner, today)
    computed = cache.get(CACHE_PREFIX + key)
    if not isinstance(computed, Computed) or computed.fingerprint != key:
        computed = _compute(roadmap, snapshot.learner, today, key)
        cache.set(CACHE_PREFIX + key, computed, CACHE_SECONDS)
    return PlanContext(
        enrollment=enrollment, roadmap=roadmap, snapshot=snapshot, computed=computed, today=today
    )


def _nominal_finish(roadmap: PlanRoadmap, start: date) -> date:
    """The roadmap's own end laid on the calendar from the start date."""
    # The same convention as the items' nominal finish: the day its last instant falls in.
    days = roadmap.duration_months * WEEKS_PER_MONTH * 7
    return start + timedelta(days=max(0, math.ceil(days - 1e-9) - 1))


def _hours(value: float) -> float:
    return round(value, 2)


def plan_data(context: PlanContext) -> dict[str, Any]:
    """The plan as plain data: the API's and the pages' shape."""
    result = context.plan
    computed = context.computed
    titles = {item.key: item.title for item in context.roadmap.items}
    return {
        "enrollment_id": context.enrollment.pk,
        "today": context.today,
        "anchor": result.anchor,
        "weekly_hours": context.learner.weekly_hours,
        "item_hours_per_week": _hours(result.item_hours_per_week),
        "weeks": [
            {
                "start": week.start,
                "total_hours": _hours(week.total_hours),
                "capacity_hours": _hours(week.capacity_hours),
                "hours_by_item": {k: _hours(v) for k, v in week.hours_by_item.items()},
                "paused": week.paused,
            }
            for week in result.weeks
        ],
        "items": [
            {
                "key": item.key,
                "title": item.title,
                "kind": item.kind,
                "phase": item.phase,
                "category": item.category,
                "status": item.status,
                "planned_start": item.planned_start,
                "planned_finish": item.planned_finish,
                "nominal_start": item.nominal_start,
                "nominal_finish": item.nominal_finish,
                "actual_start": context.snapshot.actual.get(item.key, (None, None))[0],
                "actual_finish": context.snapshot.actual.get(item.key, (None, None))[1],
                "estimate_hours": _hours(item.estimate_hours),
                "remaining_hours": _hours(item.remaining_hours),
            }
            for item in result.items
        ],
        "checkpoints": [
            {"key": c.key, "title": c.title, "date": c.date} for c in result.checkpoints
        ],
        "finish": {
            "planned": result.finish,
            "p50": computed.p50,
            "p85": computed.p85,
            "nominal": _nominal_finish(context.roadmap, context.learner.start_date),
            "expected": computed.expected_finish,
        },
        "forecast": {
            "weeks_of_history": computed.weeks_of_history,
            "weeks_needed": MIN_HISTORY_WEEKS,
            "available": computed.p50 is not None,
        },
        "pace": round(result.pace, 3),
        "warnings": [
            {
                "code": w.code,
                "message": w.message,
                "item_key": w.item_key,
                "item_title": titles.get(w.item_key or ""),
            }
            for w in result.warnings
        ],
        "fingerprint": computed.fingerprint,
    }


def plan_for(enrollment: Enrollment, today: date | None = None) -> dict[str, Any]:
    """The enrollment's plan as plain data (see `plan_data`)."""
    return plan_data(plan_context(enrollment, today))


def this_week_data(context: PlanContext) -> dict[str, Any]:
    """Hours per item of the week containing today; empty when nothing is planned for it."""
    week = core.this_week(context.plan, context.today)
    titles = {item.key: item.title for item in context.roadmap.items}
    start = core.week_start_of(context.today, context.learner.week_start)
    if week is None:
        return {"week_start": start, "items": [], "total_hours": 0.0, "capacity_hours": 0.0}
    return {
        "week_start": week.start,
        "items": [
            {"key": key, "title": titles.get(key, key), "hours": _hours(hours)}
            for key, hours in sorted(week.hours_by_item.items(), key=lambda kv: -kv[1])
        ],
        "total_hours": _hours(week.total_hours),
        "capacity_hours": _hours(week.capacity_hours),
    }


def this_week_for(enrollment: Enrollment, today: date | None = None) -> dict[str, Any]:
    """This week's plan: ``{week_start, items: [{key, title, hours}], total_hours,
    capacity_hours}``; ``capacity_hours`` is the week's time for roadmap items."""
    return this_week_data(plan_context(enrollment, today))


def _plural(weeks: int) -> str:
    return f"{weeks} week{'s' if weeks != 1 else ''}"


def schedule_status_data(context: PlanContext) -> dict[str, Any]:
    """On track, behind or ahead: the planned finish against the expected finish."""
    planned = context.plan.finish
    expected = context.computed.expected_finish
    if planned is None or expected is None:
        return {"status": "behind", "weeks": 0, "text": "no finish date at these hours"}
    weeks = round((planned - expected).days / 7)
    if abs(weeks) < ON_TRACK_WEEKS:
        return {"status": "on_track", "weeks": 0, "text": "on track"}
    if weeks > 0:
        return {"status": "behind", "weeks": weeks, "text": f"{_plural(weeks)} behind"}
    return {"status": "ahead", "weeks": -weeks, "text": f"{_plural(-weeks)} ahead"}


def schedule_status_for(
    enrollment: Enrollment,
    today: date | None = None,
    *,
    rows: Iterable[ProgressRow] | None = None,
    pauses_read: Iterable[tuple[date, date | None]] | None = None,
) -> dict[str, Any]:
    """``{"status": "on_track"|"behind"|"ahead", "weeks": n, "text": ...}`` from the plan.

    ``weeks`` is never negative; ``text`` reads "on track", "3 weeks behind" or
    "1 week ahead". See the module docstring for the rule. ``rows`` and ``pauses_read``
    are as `plan_context` takes them.
    """
    return schedule_status_data(plan_context(enrollment, today, rows=rows, pauses_read=pauses_read))


# --------------------------------------------------------------------------------------
# Calendar feed
# --------------------------------------------------------------------------------------

# Study blocks cover this many weeks from today; the feed is refreshed twice a day anyway.
FEED_WEEKS = 8
_WEEKDAYS = frozenset(range(5))
_WEEKEND = frozenset({5, 6})
_SLOT_DAYS = {"weekdays": _WEEKDAYS, "weekend": _WEEKEND, "every-day": _WEEKDAYS | _WEEKEND}


@dataclass(frozen=True)
class RoutineSlot:
    """A daily-routine slot with the learner's chosen time and the category it studies."""

    slot: str
    title: str
    activity: str
    days: frozenset[int]
    hours: float
    time: str
    default_time: str
    category: str | None


def _slot_category(activity: str, topic_category: str, project_category: str) -> str | None:
    """Which schedule category a routine slot studies, read from its activity.

    A slot about projects names the week's projects, one about reading or learning the
    week's topics; one about both (or neither) names the week's main items.
    """
    text = activity.lower()
    projects = "project" in text
    topics = any(word in text for word in ("reading", "learning", "theory", "topic"))
    if projects and not topics:
        return project_category
    if topics and not projects:
        return topic_category
    return None


def routine_slots(enrollment: Enrollment, times: Mapping[str, str] | None) -> list[RoutineSlot]:
    """The roadmap's daily routine with the learner's chosen start times."""
    document = document_for(enrollment.version)
    schedule = document.weekly_schedule
    chosen = times or {}
    return [
        RoutineSlot(
            slot=slot.slot,
            title=slot.title,
            activity=slot.activity,
            days=_SLOT_DAYS[slot.days],
            hours=(slot.min_hours + slot.max_hours) / 2,
            time=chosen.get(slot.slot, slot.default_time),
            default_time=slot.default_time,
            category=_slot_category(
                slot.activity, schedule.topic_category, schedule.project_category
            ),
        )
        for slot in document.daily_routine
    ]


def feed_by_secret(secret: str) -> CalendarFeed:
    """The feed whose secret this is; a wrong or revoked secret is NotFound."""
    feed = (
        CalendarFeed.objects.select_related("enrollment__user", "enrollment__version")
        .filter(secret_hash=secret_hash(secret))
        .first()
    )
    if feed is None:
        raise NotFound("no such calendar")
    return feed


def feed_for(enrollment: Enrollment) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(enrollment=enrollment).first()


def study_blocks(context: PlanContext, slots: list[RoutineSlot]) -> list[StudyBlock]:
    """Study blocks for the next `FEED_WEEKS` weeks, one per routine slot and study day."""
    study_days = set(context.enrollment.study_days or [])
    blocks: list[StudyBlock] = []
    for slot in slots:
        days = study_days & slot.days
        if not days or slot.hours <= 0:
            continue
        hour, minute = (int(part) for part in slot.time.split(":"))
        found = study_blocks_for(
            context.plan,
            study_days=days,
            slots=[
                StudySlot(
                    start=time(hour, minute),
                    hours=slot.hours,
                    label=slot.title,
                    category=slot.category,
                )
            ],
            weeks_ahead=FEED_WEEKS,
            today=context.today,
        )
        # The core numbers slots per call; the slot's own name keeps UIDs unique and stable.
        blocks += [
            replace(block, uid=f"study-{block.start.date().isoformat()}-{slot.slot}")
            for block in found
        ]
    blocks.sort(key=lambda block: (block.start, block.uid))
    return blocks


def calendar_for(feed: CalendarFeed, now: datetime) -> bytes:
    """The feed's ICS text: study blocks in the learner's zone and checkpoints as dates."""
    enrollment = feed.enrollment
    user = enrollment.user
    context = plan_context(enrollment, now.astimezone(user.zone).date())
    roadmap_title = document_title(enrollment)
    return build_ics(
        calendar_name=f"levelup: {roadmap_title}",
        tz=user.time_zone,
        study_blocks=study_blocks(context, routine_slots(enrollment, feed.times)),
        checkpoints=context.plan.checkpoints,
        dtstamp=now,
        uid_prefix=f"levelup-enrollment-{enrollment.pk}",
        description=f"Your study plan for {roadmap_title}, from levelup.",
    )


def document_title(enrollment: Enrollment) -> str:
    return document_for(enrollment.version).title

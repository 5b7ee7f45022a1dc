"""Reads of the personal plan: the plan as plain data, this week, the schedule verdict.

The plan is a pure function of the roadmap version and the learner's input
(`adapter.snapshot_for`), so it is cached in Django's cache under
`core.plan_fingerprint` of those inputs: reading a plan costs the adapter's four queries
and a hash, and the planner runs only when progress, hours, settings, the roadmap or the
week changed.

The verdict (`verdict_for`) compares the forecast finish with the learner's target finish;
the rule is in `verdict.py`. It is computed here once and shown unchanged by the plan page,
the dashboard, the API and the CLI.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cached_property
from typing import Any

from django.core.cache import cache

from levelup.lib.errors import NotFound
from levelup.planning import core
from levelup.planning.adapter import ProgressRow, Snapshot, pause_rows, roadmap_for, snapshot_for
from levelup.planning.calendar import StudyBlock, StudySlot, build_ics, study_blocks_for
from levelup.planning.core import LearnerInput, Plan, PlanRoadmap, plan_fingerprint
from levelup.planning.forecast import MIN_HISTORY_WEEKS, forecast_finish
from levelup.planning.models import CalendarFeed
from levelup.planning.services import secret_hash
from levelup.planning.verdict import Finish, Verdict, judge
from levelup.progress.models import Enrollment
from levelup.resources.calendar import exam_events
from levelup.roadmaps.effort import nominal_finish
from levelup.roadmaps.selectors import document_for

CACHE_PREFIX = "planning:plan:"
# A plan is keyed by the start of its week, so nothing older than a week is ever read again.
CACHE_SECONDS = 8 * 24 * 3600
# The planner's entry points, looked up here at call time so tests can count the calls.
core_plan = core.plan
run_forecast = forecast_finish


@dataclass(frozen=True)
class Computed:
    """A computed plan with its forecast; what the cache holds."""

    plan: Plan
    p50: date | None
    p85: date | None
    weeks_of_history: int
    fingerprint: str


@dataclass(frozen=True)
class PlanContext:
    """Everything a page needs: the computed plan and the inputs it came from."""

    enrollment: Enrollment
    roadmap: PlanRoadmap
    snapshot: Snapshot
    computed: Computed
    today: date
    pauses_read: tuple[tuple[date, date | None], ...] = ()

    @property
    def plan(self) -> Plan:
        return self.computed.plan

    @property
    def learner(self) -> LearnerInput:
        return self.snapshot.learner

    @property
    def target(self) -> date:
        """The finish the learner aims at (the roadmap's own end unless they chose one)."""
        return self.enrollment.target()

    @property
    def nominal_finish(self) -> date:
        """The roadmap's own end laid on the calendar from the start date."""
        return nominal_finish(self.learner.start_date, self.roadmap.duration_months)

    @cached_property
    def verdict(self) -> tuple[Verdict, Finish]:
        """The verdict and its finish dates, computed once per context."""
        return verdict_of(self)


def _compute(roadmap: PlanRoadmap, learner: LearnerInput, today: date, key: str) -> Computed:
    result = core_plan(roadmap, learner, today)
    forecast = run_forecast(roadmap, learner, today)
    return Computed(
        plan=result,
        p50=forecast.p50,
        p85=forecast.p85,
        weeks_of_history=len(learner.weekly_history),
        fingerprint=key,
    )


def plan_context(
    enrollment: Enrollment,
    today: date | None = None,
    *,
    rows: Iterable[ProgressRow] | None = None,
    pauses_read: Iterable[tuple[date, date | None]] | None = None,
    daily_minutes: Mapping[date, int] | None = None,
) -> PlanContext:
    """The enrollment's plan for the learner's ``today`` (their local date by default).

    ``enrollment`` should come with ``user`` and ``version`` loaded (the progress
    selectors do that); the adapter then runs four queries (two, given the item ``rows``
    and ``pauses_read`` a caller already has) and the planner only on a cache miss.
    """
    today = today or enrollment.user.local_today()
    roadmap = roadmap_for(enrollment.version)
    pauses = tuple(pauses_read if pauses_read is not None else pause_rows(enrollment))
    snapshot = snapshot_for(
        enrollment, today, roadmap, rows=rows, pauses_read=pauses, daily_minutes=daily_minutes
    )
    key = plan_fingerprint(roadmap, snapshot.learner, today)
    computed = cache.get(CACHE_PREFIX + key)
    if not isinstance(computed, Computed) or computed.fingerprint != key:
        computed = _compute(roadmap, snapshot.learner, today, key)
        cache.set(CACHE_PREFIX + key, computed, CACHE_SECONDS)
    return PlanContext(
        enrollment=enrollment,
        roadmap=roadmap,
        snapshot=snapshot,
        computed=computed,
        today=today,
        pauses_read=pauses,
    )


def _hours(value: float) -> float:
    return round(value, 2)


def finish_data(finish: Finish) -> dict[str, date | None]:
    return {
        "target": finish.target,
        "forecast": finish.forecast,
        "planned": finish.planned,
        "p50": finish.p50,
        "p85": finish.p85,
    }


def plan_data(context: PlanContext) -> dict[str, Any]:
    """The plan as plain data: the API's and the pages' shape, verdict included."""
    result = context.plan
    computed = context.computed
    _, finish = context.verdict
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
                "hours": _hours(item.estimate_hours),
                "estimate_hours": _hours(item.estimate_hours),
                "remaining_hours": _hours(item.remaining_hours),
            }
            for item in result.items
        ],
        "checkpoints": [
            {"key": c.key, "title": c.title, "date": c.date} for c in result.checkpoints
        ],
        "verdict": verdict_data(context),
        "finish": {**finish_data(finish), "nominal": context.nominal_finish},
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


def verdict_of(context: PlanContext) -> tuple[Verdict, Finish]:
    """The verdict and the finish dates behind it (see `verdict.py`); pure over the context."""
    plan = context.plan
    learner = context.learner
    today = context.today
    computed = context.computed
    finish = Finish(
        target=context.target,
        forecast=computed.p50 if computed.p50 is not None else plan.finish,
        planned=plan.finish,
        p50=computed.p50,
        p85=computed.p85,
    )
    covering = [p for p in learner.pauses if p.start <= today <= p.end]
    # The pauses say it, not the stored status: a scheduled pause starts (and a dated one
    # ends) without anything being written on that day.
    paused = bool(covering)
    finished = bool(plan.items) and all(item.remaining_hours <= 0 for item in plan.items)
    verdict = judge(
        today=today,
        start=learner.start_date,
        finish=finish,
        weekly_hours=learner.weekly_hours,
        history_weeks=computed.weeks_of_history,
        paused=paused,
        # An open pause has no end to name; one the learner dated does.
        paused_until=max(
            (
                end
                for start, end in context.pauses_read
                if end is not None and start <= today <= end
            ),
            default=None,
        ),
        finished=finished,
    )
    return verdict, finish


def verdict_data(context: PlanContext) -> dict[str, Any]:
    """The verdict as the API and templates take it: ``{status, weeks, label, reason}``."""
    verdict, _ = context.verdict
    return {
        "status": verdict.status,
        "weeks": verdict.weeks,
        "label": verdict.label,
        "reason": verdict.reason,
    }


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
        .defer("enrollment__version__document")
        .filter(secret_hash=secret_hash(secret))
        .first()
    )
    if feed is None:
        raise NotFound("no such calendar")
    return feed


def feed_for(enrollment: Enrollment) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(enrollment=enrollment).first()


def _clock(text: str) -> time:
    hour, minute = (int(part) for part in text.split(":"))
    return time(hour, minute)


def study_blocks(context: PlanContext, slots: list[RoutineSlot]) -> list[StudyBlock]:
    """Study blocks for the next `FEED_WEEKS` weeks: the plan's weekly hours on study days."""
    blocks = study_blocks_for(
        context.plan,
        weekly_hours=context.learner.weekly_hours,
        study_days=context.enrollment.study_days or [],
        slots=[
            StudySlot(
                start=_clock(slot.time),
                hours=slot.hours,
                label=slot.title,
                category=slot.category,
                days=slot.days,
                slug=slot.slot,
            )
            for slot in slots
        ],
        weeks_ahead=FEED_WEEKS,
        today=context.today,
    )
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
        extra_events=exam_events(user=user, dtstamp=now),
    )


def document_title(enrollment: Enrollment) -> str:
    return document_for(enrollment.version).title

"""The planner: a roadmap's nominal timeline stretched or compressed to one learner.

Everything here is a pure function of plain frozen dataclasses: no Django, no ORM, no clock.
The algorithm is explained with a worked example in docs/planning.md; in short:

1. every item gets an effort (`effort.estimate_efforts`) and a remaining effort for this
   learner (`effort.remaining_hours`, scaled by `effort.pace_factor`);
2. each item's remaining effort is spread evenly over its month window, which gives a work
   density along nominal time (hours per nominal month, constant within each month because
   windows are whole months);
3. the learner's calendar weeks are walked from the current week; each week's item
   capacity consumes the density in nominal order, and every item gets the hours of its
   stretch of nominal time that fell into the week.

Because the density is piecewise constant, the walk is exact integration over prefix sums,
not small time steps: the cost is O(months + weeks + the (item, week) cells of the output).
"""

from __future__ import annotations

import hashlib
import json
import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, timedelta
from typing import Literal, TypeAlias

from levelup.planning.effort import (
    FINISHED_STATUSES,
    estimate_efforts,
    item_share,
    nominal_weekly_hours,
    pace_factor,
    remaining_hours,
)
from levelup.roadmaps.effort import WEEKS_PER_MONTH, merged_spans, nominal_date, paused_days

__all__ = [
    "FINISHED_STATUSES",
    "ITEM_STATUSES",
    "MAX_PLAN_WEEKS",
    "PLANNER_VERSION",
    "WEEKS_PER_MONTH",
    "Category",
    "ItemState",
    "LearnerInput",
    "Pause",
    "Plan",
    "PlanCheckpoint",
    "PlanInputError",
    "PlanItem",
    "PlanPhase",
    "PlanRoadmap",
    "PlanWarning",
    "PlanWeek",
    "PlannedCheckpoint",
    "PlannedItem",
    "WeekFrame",
    "Workload",
    "day_in_week",
    "plan",
    "plan_anchor",
    "plan_fingerprint",
    "this_week",
    "validate_inputs",
    "week_frames",
    "week_start_of",
    "workload",
]

# Bump when the algorithm changes, so cached plans keyed by `plan_fingerprint` expire.
PLANNER_VERSION = "1"

# The walk stops after 60 years: a plan that needs longer is reported, not computed forever
# (e.g. 0.5 h a week against a 2,000-hour roadmap).
MAX_PLAN_WEEKS = math.ceil(60 * 52.1775)

# Overlaps (in nominal months) below this are float noise from a window edge that touches
# a week boundary, not work to show.
_NOISE_MONTHS = 1e-12

ItemKind = Literal["topic", "project"]
ItemStatus = Literal["not_started", "in_progress", "done", "skipped", "known"]
ITEM_STATUSES: frozenset[str] = frozenset(
    {"not_started", "in_progress", "done", "skipped", "known"}
)
_UNDER_WAY = frozenset({"done", "in_progress"})


# --------------------------------------------------------------------------------------
# Input
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Category:
    """A weekly schedule category with its target hours, e.g. theory 6–8 h."""

    slug: str
    min_hours: float
    max_hours: float


@dataclass(frozen=True)
class PlanItem:
    """A topic or project with its 1-based, inclusive month window on the roadmap."""

    key: str
    title: str
    kind: ItemKind
    phase: str | None
    category: str
    month_start: int
    month_end: int
    effort_hours: float | None
    prerequisites: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanCheckpoint:
    """A checkpoint, reached at the end of nominal month ``month``."""

    key: str
    title: str
    month: int


@dataclass(frozen=True)
class PlanPhase:
    """A phase of the roadmap with its month range (phases may overlap)."""

    slug: str
    title: str
    month_start: int
    month_end: int


@dataclass(frozen=True)
class PlanRoadmap:
    """The parts of a roadmap document the planner needs."""

    duration_months: int
    min_weekly_hours: float
    max_weekly_hours: float
    categories: tuple[Category, ...]
    items: tuple[PlanItem, ...]
    checkpoints: tuple[PlanCheckpoint, ...]
    phases: tuple[PlanPhase, ...]


@dataclass(frozen=True)
class ItemState:
    """A learner's progress on one item; ``done_fraction`` comes from ticked subtopics."""

    status: ItemStatus
    logged_hours: float = 0.0
    done_fraction: float = 0.0


@dataclass(frozen=True)
class Pause:
    """A break from studying, both dates inclusive."""

    start: date
    end: date


@dataclass(frozen=True)
class LearnerInput:
    """A learner's settings and progress.

    ``weekly_history`` holds the total hours logged in each recent full week, oldest first
    (used by the forecast). ``week_start`` is the weekday weeks start on, 0 = Monday.
    """

    start_date: date
    weekly_hours: float
    pauses: tuple[Pause, ...]
    states: Mapping[str, ItemState]
    weekly_history: tuple[float, ...] = ()
    week_start: int = 0


class PlanInputError(ValueError):
    """Input the planner cannot work with; ``field`` names the offending field."""

    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(f"{field_name}: {reason}")
        self.field = field_name
        self.reason = reason


# --------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanWeek:
    """One calendar week of the plan.

    ``hours_by_item`` lists items in roadmap order. ``paused`` is true when any planned day
    of the week falls in a pause; ``available_days`` are the days that carry study time
    (not paused, not before the plan's anchor), and the week's capacity is pro-rated to them.
    """

    start: date
    hours_by_item: Mapping[str, float]
    total_hours: float
    paused: bool
    capacity_hours: float = 0.0
    available_days: tuple[date, ...] = ()


@dataclass(frozen=True)
class PlannedItem:
    """An item's place in the plan.

    ``planned_start``/``planned_finish`` are None when nothing remains to do (or the plan
    cannot reach the item); ``nominal_start``/``nominal_finish`` are the roadmap's own window
    laid on the calendar from the learner's start date.
    """

    key: str
    title: str
    phase: str | None
    planned_start: date | None
    planned_finish: date | None
    remaining_hours: float
    estimate_hours: float
    nominal_start: date
    nominal_finish: date
    kind: ItemKind = "topic"
    category: str = ""
    status: ItemStatus = "not_started"


@dataclass(frozen=True)
class PlannedCheckpoint:
    """The date a checkpoint is reached; None only when the plan cannot get there."""

    key: str
    title: str
    date: date | None


@dataclass(frozen=True)
class PlanWarning:
    """Something the learner should know, in plain words; ``code`` is stable for code."""

    code: str
    message: str
    item_key: str | None = None


@dataclass(frozen=True)
class Plan:
    """A personal plan.

    ``finish`` is None only when the plan cannot finish (no study hours, or more than 60
    years of work), and then a warning says so. ``item_hours_per_week`` is the item capacity
    of a full, unpaused week (weekly hours x ``item_share``).
    """

    weeks: tuple[PlanWeek, ...]
    items: tuple[PlannedItem, ...]
    checkpoints: tuple[PlannedCheckpoint, ...]
    finish: date | None
    pace: float
    warnings: tuple[PlanWarning, ...]
    item_hours_per_week: float = 0.0
    item_share: float = 1.0
    anchor: date | None = None


# --------------------------------------------------------------------------------------
# Calendar weeks
# --------------------------------------------------------------------------------------


def week_start_of(day: date, week_start: int = 0) -> date:
    """Return the first day of the week containing ``day`` (weeks start on ``week_start``)."""
    return day - timedelta(days=(day.weekday() - week_start) % 7)


def plan_anchor(learner: LearnerInput, today: date) -> date:
    """Return the first day the plan may put work on.

    It is the start of today's week, not today, so the plan (and `plan_fingerprint`) are
    the same on every day of a week and "this week" keeps its full hours until it ends; a
    start date later than that wins.
    """
    return max(learner.start_date, week_start_of(today, learner.week_start))


@dataclass(frozen=True)
class WeekFrame:
    """A calendar week as the walk sees it: its study days and whether a pause touches it."""

    start: date
    available_days: tuple[date, ...]
    paused: bool

    @property
    def fraction(self) -> float:
        """The part of a full week's capacity this week has."""
        return len(self.available_days) / 7


def _merged_pauses(pauses: Sequence[Pause]) -> list[tuple[date, date]]:
    return merged_spans((p.start, p.end) for p in pauses)


def week_frames(anchor: date, week_start: int, pauses: Sequence[Pause]) -> Iterator[WeekFrame]:
    """Yield the calendar weeks from the one containing ``anchor``, without end.

    Days before ``anchor`` and paused days carry no study time. Pro-rating by days (rather
    than dropping any week a pause touches) makes a pause of N days cost exactly N days.
    """
    merged = _merged_pauses(pauses)
    index = 0
    start = week_start_of(anchor, week_start)
    while True:
        last = start + timedelta(days=6)
        while index < len(merged) and merged[index][1] < start:
            index += 1
        # Whole weeks inside one pause or clear of every pause are settled without a walk
        # over their days, so a plan across decades of pauses costs O(weeks) small steps.
        if index < len(merged) and merged[index][0] <= start and merged[index][1] >= last:
            yield WeekFrame(start=start, available_days=(), paused=True)
            start += timedelta(days=7)
            continue
        if start >= anchor and (index >= len(merged) or merged[index][0] > last):
            yield WeekFrame(
                start=start,
                available_days=tuple(start + timedelta(days=i) for i in range(7)),
                paused=False,
            )
            start += timedelta(days=7)
            continue
        days: list[date] = []
        paused = False
        for offset in range(7):
            day = start + timedelta(days=offset)
            if day < anchor:
                continue
            while index < len(merged) and merged[index][1] < day:
                index += 1
            if index < len(merged) and merged[index][0] <= day:
                paused = True
            else:
                days.append(day)
        yield WeekFrame(start=start, available_days=tuple(days), paused=paused)
        start += timedelta(days=7)


def day_in_week(frame: WeekFrame, fraction: float, *, finishing: bool) -> date:
    """Return the study day at which ``fraction`` of the week's capacity has been used.

    Capacity is spread evenly over the available days. A start lands on the day the next
    hour is worked; a finish on the day the last hour was worked.
    """
    days = frame.available_days
    if not days:
        return frame.start
    n = len(days)
    fraction = min(1.0, max(0.0, fraction))
    index = math.ceil(fraction * n - 1e-9) - 1 if finishing else math.floor(fraction * n + 1e-9)
    return days[min(n - 1, max(0, index))]


# --------------------------------------------------------------------------------------
# Validation and workload
# --------------------------------------------------------------------------------------


def _check_number(value: float, name: str, *, minimum: float = 0.0) -> None:
    if not math.isfinite(value) or value < minimum:
        raise PlanInputError(name, f"must be a finite number >= {minimum:g}, got {value!r}")


def validate_inputs(roadmap: PlanRoadmap, learner: LearnerInput) -> None:
    """Raise `PlanInputError` naming the first field the planner cannot work with."""
    if roadmap.duration_months < 1:
        raise PlanInputError("duration_months", "must be at least 1")
    _check_number(roadmap.min_weekly_hours, "min_weekly_hours")
    _check_number(roadmap.max_weekly_hours, "max_weekly_hours")
    if roadmap.max_weekly_hours < roadmap.min_weekly_hours:
        raise PlanInputError("max_weekly_hours", "is below min_weekly_hours")
    slugs: set[str] = set()
    for i, category in enumerate(roadmap.categories):
        where = f"categories[{i}]"
        if category.slug in slugs:
            raise PlanInputError(f"{where}.slug", f"duplicate category {category.slug!r}")
        slugs.add(category.slug)
        _check_number(category.min_hours, f"{where}.min_hours")
        _check_number(category.max_hours, f"{where}.max_hours")
        if category.max_hours < category.min_hours:
            raise PlanInputError(f"{where}.max_hours", "is below min_hours")
    keys: set[str] = set()
    for i, item in enumerate(roadmap.items):
        where = f"items[{i}]"
        if item.key in keys:
            raise PlanInputError(f"{where}.key", f"duplicate item key {item.key!r}")
        keys.add(item.key)
        if item.month_start < 1:
            raise PlanInputError(f"{where}.month_start", "must be at least 1")
        if item.month_end < item.month_start:
            raise PlanInputError(
                f"{where}.month_end",
                f"({item.month_end}) is before month_start ({item.month_start})",
            )
        if item.effort_hours is not None:
            _check_number(item.effort_hours, f"{where}.effort_hours")
    for i, checkpoint in enumerate(roadmap.checkpoints):
        if checkpoint.month < 1:
            raise PlanInputError(f"checkpoints[{i}].month", "must be at least 1")
    _check_number(learner.weekly_hours, "weekly_hours")
    if not 0 <= learner.week_start <= 6:
        raise PlanInputError("week_start", "must be a weekday number from 0 (Monday) to 6")
    for i, pause in enumerate(learner.pauses):
        if pause.end < pause.start:
            raise PlanInputError(f"pauses[{i}].end", "is before the pause's start")
    for key, state in learner.states.items():
        if state.status not in ITEM_STATUSES:
            raise PlanInputError(f"states[{key!r}].status", f"unknown status {state.status!r}")
        _check_number(state.logged_hours, f"states[{key!r}].logged_hours")
        if not 0.0 <= state.done_fraction <= 1.0:
            raise PlanInputError(f"states[{key!r}].done_fraction", "must be between 0 and 1")
    for i, hours in enumerate(learner.weekly_history):
        _check_number(hours, f"weekly_history[{i}]")


@dataclass(frozen=True)
class Workload:
    """What is left to do, shared by the planner and the forecast.

    ``prefix[m]`` is the remaining item-hours in nominal months 1..m (``prefix[0] == 0``),
    so ``prefix[-1]`` is the total; it is the integral of the work density along nominal
    time, and flat stretches are nominal time with nothing left to do.
    """

    efforts: Mapping[str, float]
    remaining: Mapping[str, float]
    pace: float
    share: float
    item_hours_per_week: float
    anchor: date
    months: int
    prefix: tuple[float, ...]

    @property
    def total(self) -> float:
        """All remaining item-hours."""
        return self.prefix[-1]


def workload(roadmap: PlanRoadmap, learner: LearnerInput, today: date) -> Workload:
    """Validate the inputs and compute efforts, pace, remaining hours and the density."""
    validate_inputs(roadmap, learner)
    efforts = estimate_efforts(roadmap)
    pace = pace_factor(roadmap.items, learner.states, efforts)
    remaining = {
        item.key: remaining_hours(efforts[item.key], learner.states.get(item.key), pace)
        for item in roadmap.items
    }
    months = max([roadmap.duration_months, *(i.month_end for i in roadmap.items)])

    # Hours per nominal month: each item adds remaining / window length to every month of
    # its window (difference arrays). The integer count of contributing items makes months
    # with no work exactly zero, whatever float noise the running sum carries.
    hours_diff = [0.0] * (months + 2)
    count_diff = [0] * (months + 2)
    for item in roadmap.items:
        left = remaining[item.key]
        if left <= 0:
            continue
        per_month = left / (item.month_end - item.month_start + 1)
        hours_diff[item.month_start] += per_month
        hours_diff[item.month_end + 1] -= per_month
        count_diff[item.month_start] += 1
        count_diff[item.month_end + 1] -= 1
    prefix = [0.0]
    running = 0.0
    active = 0
    for m in range(1, months + 1):
        running += hours_diff[m]
        active += count_diff[m]
        prefix.append(prefix[-1] + (max(0.0, running) if active > 0 else 0.0))

    share = item_share(roadmap)
    return Workload(
        efforts=efforts,
        remaining=remaining,
        pace=pace,
        share=share,
        item_hours_per_week=learner.weekly_hours * share,
        anchor=plan_anchor(learner, today),
        months=months,
        prefix=tuple(prefix),
    )


def _nominal_position(prefix: Sequence[float], hours: float) -> float:
    """Return the nominal position (in months) where ``hours`` of work have been done.

    Where the cumulative work is flat (nothing left to do) the rightmost position is taken,
    so the walk skips empty nominal time instantly.
    """
    months = len(prefix) - 1
    m = bisect_right(prefix, hours) - 1
    if m >= months:
        return float(months)
    m = max(m, 0)
    return m + (hours - prefix[m]) / (prefix[m + 1] - prefix[m])


# --------------------------------------------------------------------------------------
# The planner
# --------------------------------------------------------------------------------------


def plan(roadmap: PlanRoadmap, learner: LearnerInput, today: date) -> Plan:
    """Return the learner's personal plan; deterministic, and ``today`` is the only clock.

    Raises `PlanInputError` (a ValueError) naming the field when the input is unusable.
    """
    work = workload(roadmap, learner, today)
    prefix = work.prefix
    total = work.total
    capacity = work.item_hours_per_week
    warnings: list[PlanWarning] = []

    # Walk calendar weeks until the cumulative capacity covers all remaining work.
    frames: list[WeekFrame] = []
    cumulative = [0.0]
    truncated = False
    tolerance = 1e-9 * total
    if total > 0 and capacity <= 0:
        warnings.append(
            PlanWarning(
                "no_capacity",
                "No study hours are planned per week, so the plan cannot finish. "
                "Set your weekly hours to get dates.",
            )
        )
    elif total > 0:
        for frame in week_frames(work.anchor, learner.week_start, learner.pauses):
            if len(frames) >= MAX_PLAN_WEEKS:
                truncated = True
                break
            frames.append(frame)
            cumulative.append(cumulative[-1] + capacity * frame.fraction)
            if cumulative[-1] >= total - tolerance:
                break
        if truncated:
            warnings.append(
                PlanWarning(
                    "plan_truncated",
                    f"At {learner.weekly_hours:g} h a week the remaining "
                    f"{total:.0f} hours take more than 60 years; the plan stops there.",
                )
            )
    finished = bool(frames) and not truncated
    # A finished walk reaches all the work even if float noise left its sum a hair short.
    reach = max(cumulative[-1], total) if finished else cumulative[-1]

    # Nominal position at each week boundary; the last one is the very end when the walk
    # finished (its cumulative capacity may overshoot or, by float noise, undershoot).
    positions = [_nominal_position(prefix, hours) for hours in cumulative]
    if finished:
        positions[-1] = float(work.months)

    def date_at(hours: float, *, finishing: bool) -> date | None:
        """The calendar day on which ``hours`` of remaining work have been done."""
        if finishing and hours <= 0:
            return work.anchor
        if not frames or hours > reach + tolerance or (not finishing and hours >= reach):
            return None
        if finishing:
            k = min(bisect_left(cumulative, hours) - 1, len(frames) - 1)
        else:
            k = min(bisect_right(cumulative, hours) - 1, len(frames) - 1)
        k = max(k, 0)
        week_capacity = cumulative[k + 1] - cumulative[k]
        fraction = (hours - cumulative[k]) / week_capacity if week_capacity > 0 else 1.0
        return day_in_week(frames[k], fraction, finishing=finishing)

    # Each item's hours per week: its density over the nominal stretch the week covered.
    hours_by_week: list[dict[str, float]] = [{} for _ in frames]
    planned: list[PlannedItem] = []
    for item in roadmap.items:
        left = work.remaining[item.key]
        start: date | None = None
        finish: date | None = None
        if left > 0 and frames:
            lo_window = float(item.month_start - 1)
            hi_window = float(item.month_end)
            rate = left / (hi_window - lo_window)
            # Weeks k with positions[k] < window end and positions[k + 1] > window start;
            # this loop is the hot path for big roadmaps, hence no min()/max() calls.
            first = max(0, bisect_right(positions, lo_window) - 1)
            last = min(len(frames), bisect_left(positions, hi_window))
            for k in range(first, last):
                lo = positions[k]
                if lo < lo_window:
                    lo = lo_window
                hi = positions[k + 1]
                if hi > hi_window:
                    hi = hi_window
                if hi - lo > _NOISE_MONTHS:
                    hours_by_week[k][item.key] = rate * (hi - lo)
            start = date_at(prefix[item.month_start - 1], finishing=False)
            finish = date_at(prefix[item.month_end], finishing=True)
        state = learner.states.get(item.key)
        planned.append(
            PlannedItem(
                key=item.key,
                title=item.title,
                phase=item.phase,
                planned_start=start,
                planned_finish=finish,
                remaining_hours=left,
                estimate_hours=work.efforts[item.key],
                nominal_start=nominal_date(
                    learner.start_date, item.month_start - 1, finishing=False
                ),
                nominal_finish=nominal_date(learner.start_date, item.month_end, finishing=True),
                kind=item.kind,
                category=item.category,
                status=state.status if state is not None else "not_started",
            )
        )

    weeks = tuple(
        PlanWeek(
            start=frame.start,
            hours_by_item=hours,
            total_hours=sum(hours.values()),
            paused=frame.paused,
            capacity_hours=capacity * frame.fraction,
            available_days=frame.available_days,
        )
        for frame, hours in zip(frames, hours_by_week, strict=True)
    )

    checkpoints = tuple(
        PlannedCheckpoint(
            key=c.key,
            title=c.title,
            date=date_at(prefix[min(c.month, work.months)], finishing=True)
            if total > 0
            else work.anchor,
        )
        for c in roadmap.checkpoints
    )
    if total <= 0:
        plan_finish: date | None = work.anchor
    else:
        plan_finish = date_at(total, finishing=True) if finished else None

    warnings.extend(_progress_warnings(roadmap, learner, today))
    return Plan(
        weeks=weeks,
        items=tuple(planned),
        checkpoints=checkpoints,
        finish=plan_finish,
        pace=work.pace,
        warnings=tuple(warnings),
        item_hours_per_week=capacity,
        item_share=work.share,
        anchor=work.anchor,
    )


def this_week(plan: Plan, today: date) -> PlanWeek | None:
    """Return the plan's week containing ``today``, or None if the plan has no such week."""
    starts = [week.start for week in plan.weeks]
    k = bisect_right(starts, today) - 1
    if k >= 0 and today < plan.weeks[k].start + timedelta(days=7):
        return plan.weeks[k]
    return None


# --------------------------------------------------------------------------------------
# Warnings
# --------------------------------------------------------------------------------------


def _unpaused_days(start: date, end: date, pauses: Sequence[Pause]) -> int:
    """Count the days in [start, end) that no pause covers."""
    if end <= start:
        return 0
    return (end - start).days - paused_days(((p.start, p.end) for p in pauses), start, end)


def _journey_position(roadmap: PlanRoadmap, learner: LearnerInput, today: date) -> float:
    """Where on the nominal timeline (in months) the learner would be by now.

    That is the study weeks since their start date (pauses excluded, counted to the start
    of today's week like the plan itself) at their weekly hours relative to the nominal
    ones: 10 h a week against a nominal 12.5 h covers 0.8 nominal weeks per week.
    """
    elapsed = _unpaused_days(
        learner.start_date, week_start_of(today, learner.week_start), learner.pauses
    )
    nominal = nominal_weekly_hours(roadmap)
    speed = learner.weekly_hours / nominal if nominal > 0 else 1.0
    return elapsed / 7 * speed / WEEKS_PER_MONTH


def _titles(items: Sequence[PlanItem]) -> str:
    return ", ".join(item.title for item in items)


def _progress_warnings(
    roadmap: PlanRoadmap, learner: LearnerInput, today: date
) -> list[PlanWarning]:
    states = learner.states
    warnings: list[PlanWarning] = []

    def status(key: str) -> str:
        state = states.get(key)
        return state.status if state is not None else "not_started"

    position = _journey_position(roadmap, learner, today)
    for item in roadmap.items:
        if item.month_end <= position and status(item.key) not in FINISHED_STATUSES:
            warnings.append(
                PlanWarning(
                    "behind_window",
                    f"{item.title} is behind its window (months {item.month_start}–"
                    f"{item.month_end}): at your weekly hours it would be finished by now.",
                    item.key,
                )
            )

    # Phases in roadmap order; an untouched earlier phase is worth one warning, naming the
    # first later phase that is already under way.
    by_phase: dict[str, list[PlanItem]] = {}
    for item in roadmap.items:
        if item.phase is not None:
            by_phase.setdefault(item.phase, []).append(item)
    phases = sorted(
        (p for p in roadmap.phases if by_phase.get(p.slug)),
        key=lambda p: (p.month_start, p.month_end),
    )

    def touched(phase: PlanPhase) -> bool:
        for item in by_phase[phase.slug]:
            state = states.get(item.key)
            if state is not None and (
                state.status != "not_started" or state.logged_hours > 0 or state.done_fraction > 0
            ):
                return True
        return False

    def under_way(phase: PlanPhase) -> bool:
        return any(status(item.key) in _UNDER_WAY for item in by_phase[phase.slug])

    for earlier in phases:
        if touched(earlier):
            continue
        later = next(
            (p for p in phases if p.month_start > earlier.month_start and under_way(p)), None
        )
        if later is not None:
            warnings.append(
                PlanWarning(
                    "phase_order",
                    f"Phase {later.title} started while Phase {earlier.title} is untouched.",
                )
            )

    known = {item.key: item for item in roadmap.items}
    for item in roadmap.items:
        if status(item.key) not in _UNDER_WAY:
            continue
        missing = [
            known[key]
            for key in item.prerequisites
            if key in known and status(key) == "not_started"
        ]
        if missing:
            warnings.append(
                PlanWarning(
                    "prerequisites_out_of_order",
                    f"{item.title} is under way but its prerequisites are not started: "
                    f"{_titles(missing)}.",
                    item.key,
                )
            )
    return warnings


# --------------------------------------------------------------------------------------
# Fingerprint
# --------------------------------------------------------------------------------------

_Json: TypeAlias = "bool | float | str | list[_Json] | dict[str, _Json] | None"


def _canonical(value: object) -> _Json:
    """Turn inputs into JSON-able data that is equal exactly when the inputs are."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int | float):
        # 10 and 10.0 plan the same; repr of a float is exact and stable.
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _canonical(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in sorted(value.items(), key=lambda kv: kv[0])}
    if isinstance(value, tuple | list):
        return [_canonical(v) for v in value]
    raise TypeError(f"cannot fingerprint {type(value).__name__}")


def plan_fingerprint(roadmap: PlanRoadmap, learner: LearnerInput, today: date) -> str:
    """Return a stable hash of everything `plan` (and the forecast) depends on.

    ``today`` enters only as the start of its week, because that is all the plan uses of
    it: a cache keyed by this fingerprint recomputes once a week or when the inputs change.
    """
    payload = {
        "version": PLANNER_VERSION,
        "roadmap": _canonical(roadmap),
        "learner": _canonical(learner),
        "week": week_start_of(today, learner.week_start).isoformat(),
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), allow_nan=True)
    return hashlib.sha256(text.encode()).hexdigest()

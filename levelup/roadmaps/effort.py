"""The one effort model: every fact about a roadmap's time that progress and planning share.

Pure functions of plain data, below both apps, so the dashboard and the plan cannot
disagree: each item's effort in hours, the part of a study week that goes to items, the
nominal timeline's calendar, paused days, and the share of effort a timeline expects done
by a given nominal month. `docs/planning.md` explains the rules with the built-in roadmap's
numbers.

* **Efforts.** Every nominal month holds the roadmap's nominal item hours (nominal weekly
  hours × item share × weeks per month). They are split among the categories that have
  items in that month in proportion to the categories' midpoint weekly hours, and each
  category's part is shared equally among its items whose windows cover the month. An item
  with its own `effort_hours` keeps them. So at the nominal pace the roadmap fills exactly
  its duration. Subtopics split their topic's effort equally unless they have their own.
* **Time.** A nominal month is an average Gregorian month; nominal month m covers
  [m - 1, m) months from the start date.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from levelup.roadmaps.schema import RoadmapDocument

# An average Gregorian month in days and in weeks.
DAYS_PER_MONTH = 365.2425 / 12
WEEKS_PER_MONTH = DAYS_PER_MONTH / 7


class EffortItem(Protocol):
    """What the effort model reads of an item (a planner item or a document item)."""

    @property
    def key(self) -> str: ...
    @property
    def month_start(self) -> int: ...
    @property
    def month_end(self) -> int: ...
    @property
    def effort_hours(self) -> float | None: ...


class EffortCategory(Protocol):
    """A weekly schedule category with its target hours, e.g. theory 6–8 h."""

    @property
    def slug(self) -> str: ...
    @property
    def min_hours(self) -> float: ...
    @property
    def max_hours(self) -> float: ...


@dataclass(frozen=True, slots=True)
class Schedule:
    """The parts of a roadmap the effort model needs, whatever they were built from.

    ``items`` are the planned units (topics and projects) with the category each one's time
    comes from, in roadmap order.
    """

    duration_months: int
    min_weekly_hours: float
    max_weekly_hours: float
    categories: tuple[EffortCategory, ...]
    items: tuple[tuple[EffortItem, str], ...]


def nominal_weekly_hours(min_hours: float, max_hours: float) -> float:
    """The roadmap's nominal weekly study hours: the midpoint of its range."""
    return (min_hours + max_hours) / 2


def category_weights(schedule: Schedule) -> tuple[dict[str, float], float]:
    """Return (weight of each category that has items, sum of all category weights).

    A category's weight is the midpoint of its weekly hours. A category that items use but
    the roadmap does not declare gets the average declared midpoint (1.0 when none are
    declared), so a sloppy document still plans instead of giving some items no time.
    """
    declared = {c.slug: (c.min_hours + c.max_hours) / 2 for c in schedule.categories}
    fallback = sum(declared.values()) / len(declared) if declared else 1.0
    used = {category for _, category in schedule.items}
    weights = {slug: declared.get(slug, fallback) for slug in sorted(used)}
    total = sum(declared.values()) + sum(w for s, w in weights.items() if s not in declared)
    if total <= 0 or sum(weights.values()) <= 0:
        # Degenerate schedule (all zero hours): treat item categories as equal and give
        # items the whole week rather than dividing by zero.
        weights = dict.fromkeys(weights, 1.0)
        total = float(len(weights))
    return weights, total


def item_share(schedule: Schedule) -> float:
    """The fraction of weekly study hours that goes to roadmap items.

    The midpoints of the categories that have items over the midpoints of all categories:
    with theory 6–8 h, projects 4–6 h and review 2–3 h that is (7 + 5) / 14.5 ≈ 0.83. Review
    and community time belongs to no item. 1.0 for a roadmap without items.
    """
    if not schedule.items:
        return 1.0
    weights, total = category_weights(schedule)
    return sum(weights.values()) / total


def derive_efforts(schedule: Schedule) -> dict[str, float]:
    """Each planned item's effort in hours, keyed by item key (see the module docstring).

    A month in which a category has no items hands its part to the other categories, so the
    derived efforts add up to exactly the nominal item hours of every month that has items.
    Items with their own effort still count in the split: their effort replaces only their
    own share. Costs O(items + months × categories).
    """
    if not schedule.items:
        return {}
    months = max(schedule.duration_months, max(i.month_end for i, _ in schedule.items))
    weights, _ = category_weights(schedule)
    month_item_hours = (
        nominal_weekly_hours(schedule.min_weekly_hours, schedule.max_weekly_hours)
        * item_share(schedule)
        * WEEKS_PER_MONTH
    )

    # Items covering each (category, month), by a difference array per category.
    diffs = {slug: [0] * (months + 2) for slug in weights}
    for item, category in schedule.items:
        diffs[category][item.month_start] += 1
        diffs[category][item.month_end + 1] -= 1
    counts: dict[str, list[int]] = {}
    for slug, diff in diffs.items():
        running = 0
        row = [0] * (months + 1)
        for m in range(1, months + 1):
            running += diff[m]
            row[m] = running
        counts[slug] = row

    # Hours one item of the category gets in each month, as prefix sums, so an item's
    # derived effort is a difference of two of them.
    prefix = {slug: [0.0] * (months + 1) for slug in weights}
    for m in range(1, months + 1):
        active = [slug for slug in weights if counts[slug][m] > 0]
        active_weight = sum(weights[s] for s in active)
        for slug in weights:
            per_item = 0.0
            if slug in active:
                part = weights[slug] / active_weight if active_weight > 0 else 1.0 / len(active)
                per_item = month_item_hours * part / counts[slug][m]
            prefix[slug][m] = prefix[slug][m - 1] + per_item

    efforts: dict[str, float] = {}
    for item, category in schedule.items:
        if item.effort_hours is not None:
            efforts[item.key] = float(item.effort_hours)
        else:
            sums = prefix[category]
            efforts[item.key] = sums[item.month_end] - sums[item.month_start - 1]
    return efforts


def expected_hours(items: Iterable[EffortItem], efforts: dict[str, float], t: float) -> float:
    """Effort a timeline expects finished by nominal time ``t`` (in months).

    Each item's effort is spread evenly over its window, so it is wholly expected by the
    end of its window.
    """
    expected = 0.0
    for item in items:
        begin = item.month_start - 1
        length = item.month_end - begin
        share = min(1.0, max(0.0, (t - begin) / length))
        expected += efforts.get(item.key, 0.0) * share
    return expected


# --- documents -------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentEffort:
    """A document's effort facts, computed once per parsed document.

    ``efforts`` holds topics, projects and subtopics; ``units`` the topics and projects
    progress and the plan are weighted over, in roadmap order; ``total_hours`` their sum.
    """

    schedule: Schedule
    efforts: dict[str, float]
    units: tuple[str, ...]
    total_hours: float
    item_share: float

    @property
    def end_month(self) -> int:
        """The last nominal month any unit's window reaches (at least the duration)."""
        ends = [item.month_end for item, _ in self.schedule.items]
        return max([self.schedule.duration_months, *ends])

    def expected_percent(self, t: float) -> float:
        """Percent of all effort the nominal timeline expects done by nominal month ``t``."""
        if self.total_hours <= 0:
            return 0.0
        hours = expected_hours((i for i, _ in self.schedule.items), self.efforts, t)
        return round(100 * hours / self.total_hours, 1)


def document_schedule(document: RoadmapDocument) -> Schedule:
    """The effort model's view of a document: its topics and projects with categories."""
    schedule = document.weekly_schedule
    units = tuple(
        (item, item.category or "")
        for item in document.items.values()
        if item.kind in ("topic", "project")
    )
    return Schedule(
        duration_months=document.duration_months,
        min_weekly_hours=schedule.min_hours,
        max_weekly_hours=schedule.max_hours,
        categories=tuple(schedule.categories),
        items=units,
    )


def document_effort(document: RoadmapDocument) -> DocumentEffort:
    """Effort facts of a parsed document, kept on the document itself.

    Parsed documents are cached per content hash and immutable, so the facts never need
    invalidating (like the document's own cached properties).
    """
    cached = document.__dict__.get("_effort")
    if isinstance(cached, DocumentEffort):
        return cached
    schedule = document_schedule(document)
    efforts = derive_efforts(schedule)
    for item in document.items.values():
        if item.kind != "subtopic" or item.parent is None:
            continue
        if item.effort_hours is not None:
            efforts[item.key] = float(item.effort_hours)
        else:
            siblings = document.subtopic_keys(item.parent)
            efforts[item.key] = efforts[item.parent] / max(1, len(siblings))
    units = tuple(item.key for item, _ in schedule.items)
    facts = DocumentEffort(
        schedule=schedule,
        efforts=efforts,
        units=units,
        total_hours=sum(efforts[k] for k in units),
        item_share=item_share(schedule),
    )
    document.__dict__["_effort"] = facts
    return facts


# --- the calendar of a timeline ---------------------------------------------------------


def merged_spans(spans: Iterable[tuple[date, date]]) -> list[tuple[date, date]]:
    """Inclusive date spans sorted and merged where they overlap or touch."""
    merged: list[tuple[date, date]] = []
    for start, end in sorted(s for s in spans if s[1] >= s[0]):
        if merged and start <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def paused_days(spans: Iterable[tuple[date, date]], start: date, end: date) -> int:
    """Days in [start, end) that any of the inclusive ``spans`` covers.

    O(p log p) in the number of pauses, whatever their length: the spans are merged, then
    each is clipped to the range.
    """
    if end <= start:
        return 0
    days = 0
    for span_start, span_end in merged_spans(spans):
        lo = max(span_start, start)
        hi = min(span_end + timedelta(days=1), end)
        if hi > lo:
            days += (hi - lo).days
    return days


def nominal_date(start: date, months: float, *, finishing: bool) -> date:
    """The day on which nominal time ``months`` falls, counted from ``start``.

    A window starts on the day its first instant falls in and finishes on the day its last
    instant falls in.
    """
    days = months * WEEKS_PER_MONTH * 7
    offset = math.ceil(days - 1e-9) - 1 if finishing else math.floor(days + 1e-9)
    return start + timedelta(days=max(0, offset))


def nominal_finish(start: date, duration_months: int) -> date:
    """The roadmap's own end laid on the calendar from ``start``: the default target."""
    return nominal_date(start, duration_months, finishing=True)


def timeline_position(*, start: date, target: date, today: date, duration_months: int) -> float:
    """Where on the nominal timeline (in months) a learner aiming at ``target`` is by today.

    The target timeline maps the calendar days from ``start`` to ``target`` onto the
    roadmap's ``duration_months``; today's share of those days is today's nominal
    position. Aiming at 18 months for a 24-month roadmap makes each real month count as
    1.33 nominal months. The target is a date the learner chose, so a pause does not move
    it: the days away still pass, which is what the verdict says too.
    """
    span = (target + timedelta(days=1) - start).days
    if span <= 0:
        return float(duration_months)
    elapsed = min(span, max(0, (today - start).days))
    return duration_months * elapsed / span

"""How many hours each item takes, and how many are left for this learner.

Three steps, each a pure function:

* `item_share` and `estimate_efforts` — the one effort model of `levelup.roadmaps.effort`
  (shared with the dashboard) applied to the planner's roadmap;
* `pace_factor` and `remaining_hours` — the learner's personal estimate and what is left.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from levelup.roadmaps import effort

if TYPE_CHECKING:
    from levelup.planning.core import ItemState, PlanItem, PlanRoadmap

# Statuses that leave nothing to do for an item.
FINISHED_STATUSES = frozenset({"done", "skipped", "known"})

# How many "virtual" items at pace 1.0 the pace factor starts from. With five, a learner
# needs about five finished items before their own ratio outweighs the prior: one item that
# took three times its estimate should not triple the whole plan.
PACE_PRIOR_ITEMS = 5
PACE_MIN = 0.5
PACE_MAX = 2.0

# Remaining work below this (a few milliseconds) is nothing to plan; treating it as zero
# keeps float dust out of the weeks and dates.
NEGLIGIBLE_HOURS = 1e-6

# An item that is not marked done keeps at least this part of its estimate as remaining
# work, even when the logged hours or ticked subtopics say it is complete: the learner has
# not called it finished, so the plan must still leave time to wrap it up.
MIN_REMAINING_FRACTION = 0.1


def _schedule(roadmap: PlanRoadmap) -> effort.Schedule:
    return effort.Schedule(
        duration_months=roadmap.duration_months,
        min_weekly_hours=roadmap.min_weekly_hours,
        max_weekly_hours=roadmap.max_weekly_hours,
        categories=roadmap.categories,
        items=tuple((item, item.category) for item in roadmap.items),
    )


def nominal_weekly_hours(roadmap: PlanRoadmap) -> float:
    """Return the roadmap's nominal weekly study hours: the midpoint of its min and max."""
    return effort.nominal_weekly_hours(roadmap.min_weekly_hours, roadmap.max_weekly_hours)


def item_share(roadmap: PlanRoadmap) -> float:
    """Return the fraction of weekly study hours that goes to roadmap items.

    The one effort model's rule (`levelup.roadmaps.effort.item_share`): with theory 6–8 h,
    projects 4–6 h and review 2–3 h, items get (7 + 5) / 14.5 ≈ 0.83 of every study hour.
    """
    return effort.item_share(_schedule(roadmap))


def estimate_efforts(roadmap: PlanRoadmap) -> dict[str, float]:
    """Return each item's effort in hours, keyed by item key.

    The one effort model (`levelup.roadmaps.effort.derive_efforts`), which the dashboard's
    figures use too, so the plan's item hours and the dashboard's total are the same.
    """
    return effort.derive_efforts(_schedule(roadmap))


def pace_factor(
    items: tuple[PlanItem, ...], states: Mapping[str, ItemState], efforts: Mapping[str, float]
) -> float:
    """Return the learner's pace factor: how long items take them relative to the estimate.

    Only done items with logged hours count (an item ticked done without any time logged
    says nothing about speed). With n such items and ratio = logged / estimated hours, the
    factor is (n x ratio + 5 x 1.0) / (n + 5): five imaginary items at the nominal pace pull
    it towards 1 while data is thin. The result is clamped to [0.5, 2.0] so a few odd logs
    cannot halve or triple a two-year plan.
    """
    logged = 0.0
    estimated = 0.0
    n = 0
    for item in items:
        state = states.get(item.key)
        estimate = efforts.get(item.key, 0.0)
        if state is None or state.status != "done" or state.logged_hours <= 0 or estimate <= 0:
            continue
        logged += state.logged_hours
        estimated += estimate
        n += 1
    if n == 0:
        return 1.0
    ratio = logged / estimated
    pace = (n * ratio + PACE_PRIOR_ITEMS * 1.0) / (n + PACE_PRIOR_ITEMS)
    return min(PACE_MAX, max(PACE_MIN, pace))


def remaining_hours(estimate: float, state: ItemState | None, pace: float) -> float:
    """Return the hours still to plan for one item.

    Done, skipped and known items have none. Otherwise the personal effort is
    ``estimate x pace``; ticked subtopics (``done_fraction``) and logged hours are two
    measures of the same progress, so the larger of the two is subtracted, never both
    (summing them would count an hour of work that ticked a subtopic twice). An item not
    marked done keeps at least 10% of its personal effort. Less than a millionth of an hour
    counts as nothing.
    """
    if state is not None and state.status in FINISHED_STATUSES:
        return 0.0
    personal = max(0.0, estimate) * pace
    left = personal
    if state is not None:
        fraction = min(1.0, max(0.0, state.done_fraction))
        progress = max(state.logged_hours, fraction * personal)
        left = max(personal - progress, MIN_REMAINING_FRACTION * personal)
    return left if left >= NEGLIGIBLE_HOURS else 0.0

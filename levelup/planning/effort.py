"""How many hours each item takes, and how many are left for this learner.

Three steps, each a pure function:

* `item_share` — the part of a week's study hours that goes to roadmap items (the rest is
  review and community time, which no item owns);
* `estimate_efforts` — each item's effort: the document's own, or derived from the month
  windows so that the roadmap at its nominal weekly hours fills exactly its duration;
* `pace_factor` and `remaining_hours` — the learner's personal estimate and what is left.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from levelup.planning.core import ItemState, PlanItem, PlanRoadmap

# An average Gregorian month in weeks (365.2425 / 7 / 12); nominal month m covers the
# nominal weeks [(m - 1) * W, m * W).
WEEKS_PER_MONTH = 52.1775 / 12

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


def nominal_weekly_hours(roadmap: PlanRoadmap) -> float:
    """Return the roadmap's nominal weekly study hours: the midpoint of its min and max."""
    return (roadmap.min_weekly_hours + roadmap.max_weekly_hours) / 2


def _category_weights(roadmap: PlanRoadmap) -> tuple[dict[str, float], float]:
    """Return (weight of each category that has items, sum of all category weights).

    A category's weight is the midpoint of its weekly hours. A category that items use but
    the roadmap does not declare gets the average declared midpoint (1.0 when none are
    declared), so a sloppy document still plans instead of giving some items no time.
    """
    declared = {c.slug: (c.min_hours + c.max_hours) / 2 for c in roadmap.categories}
    fallback = sum(declared.values()) / len(declared) if declared else 1.0
    used = {item.category for item in roadmap.items}
    weights = {slug: declared.get(slug, fallback) for slug in sorted(used)}
    total = sum(declared.values()) + sum(w for s, w in weights.items() if s not in declared)
    if total <= 0 or sum(weights.values()) <= 0:
        # Degenerate schedule (all zero hours): treat item categories as equal and give
        # items the whole week rather than dividing by zero.
        weights = dict.fromkeys(weights, 1.0)
        total = float(len(weights))
    return weights, total


def item_share(roadmap: PlanRoadmap) -> float:
    """Return the fraction of weekly study hours that goes to roadmap items.

    It is the sum of the midpoints of the categories that have items divided by the sum of
    all category midpoints: with theory 6–8 h, projects 4–6 h and review 2–3 h, items get
    (7 + 5) / (7 + 5 + 2.5) ≈ 0.83 of every study hour. Returns 1.0 for a roadmap without
    items or categories.
    """
    if not roadmap.items:
        return 1.0
    weights, total = _category_weights(roadmap)
    return sum(weights.values()) / total


def estimate_efforts(roadmap: PlanRoadmap) -> dict[str, float]:
    """Return each item's effort in hours, keyed by item key.

    An item with ``effort_hours`` keeps it. For the others, every nominal month's item
    hours (nominal weekly hours x item share x weeks per month) are split among the
    categories that have items in that month, in proportion to their midpoints, and each
    category's part is shared equally among its items whose windows cover the month. A
    month in which a category has no items hands its part to the other categories, so the
    derived efforts add up to exactly the nominal item hours of every month that has items.
    Items with their own effort still count in the split: their effort replaces only their
    own share, it does not inflate or shrink the others'.
    """
    if not roadmap.items:
        return {}
    months = max(roadmap.duration_months, max(i.month_end for i in roadmap.items))
    weights, _ = _category_weights(roadmap)
    month_item_hours = nominal_weekly_hours(roadmap) * item_share(roadmap) * WEEKS_PER_MONTH

    # Items covering each (category, month), with a difference array so the count costs
    # O(items + months) per category instead of O(items x months).
    diffs = {slug: [0] * (months + 2) for slug in weights}
    for item in roadmap.items:
        diffs[item.category][item.month_start] += 1
        diffs[item.category][item.month_end + 1] -= 1
    counts: dict[str, list[int]] = {}
    for slug, diff in diffs.items():
        running = 0
        row = [0] * (months + 1)
        for m in range(1, months + 1):
            running += diff[m]
            row[m] = running
        counts[slug] = row

    # Hours one item of the category gets in each month, accumulated so an item's derived
    # effort is a difference of two prefix sums.
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
    for item in roadmap.items:
        if item.effort_hours is not None:
            efforts[item.key] = float(item.effort_hours)
        else:
            sums = prefix[item.category]
            efforts[item.key] = sums[item.month_end] - sums[item.month_start - 1]
    return efforts


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

"""Monte Carlo finish dates from the learner's own recent weeks.

The plan assumes the learner studies their weekly hours every week; real weeks vary. The
forecast replays the future many times, each week drawing its hours from the learner's
recent history (a bootstrap: sampling with replacement), and reports the dates by which
50% and 85% of those futures finish.

It does not re-plan per run. Whatever order the work is done in, the walk finishes when the
item capacity of the weeks walked adds up to the total remaining item-hours, so a run only
sums weekly capacities (history draw x item share x the week's unpaused part) until they
cover that total. The calendar weeks, with pauses and the current week's anchor, are built
once and shared by all runs.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date
from itertools import accumulate, islice

from levelup.planning.core import (
    MAX_PLAN_WEEKS,
    LearnerInput,
    PlanRoadmap,
    WeekFrame,
    day_in_week,
    week_frames,
    workload,
)

# Fewer recent weeks than this say too little about a learner's rhythm to forecast from.
MIN_HISTORY_WEEKS = 4

# Default seed: any fixed number works; fixing it makes the forecast a pure function.
DEFAULT_SEED = 20_240_601

# Weeks drawn at a time per run: enough for most runs to finish in one or two blocks, small
# enough not to waste draws on runs that finish early.
_BLOCK_WEEKS = 64


@dataclass(frozen=True)
class Forecast:
    """Finish dates that 50% and 85% of simulated futures reach.

    A date is None when there is too little history (``weeks_of_history`` below 4) or when
    that share of futures does not finish within 60 years.
    """

    p50: date | None
    p85: date | None
    runs: int = 0
    weeks_of_history: int = 0


def _percentile(finishes: list[date | None], share: float) -> date | None:
    """Nearest-rank percentile, with None (never finishes) sorting after every date."""
    done = sorted(d for d in finishes if d is not None)
    rank = math.ceil(share * len(finishes)) - 1
    rank = min(len(finishes) - 1, max(0, rank))
    return done[rank] if rank < len(done) else None


def forecast_finish(
    roadmap: PlanRoadmap,
    learner: LearnerInput,
    today: date,
    *,
    runs: int = 500,
    seed: int = DEFAULT_SEED,
) -> Forecast:
    """Return the 50% and 85% finish dates of a seeded Monte Carlo over weekly hours.

    Each of ``runs`` simulated futures draws every week's total hours from
    ``learner.weekly_history`` with replacement and walks the calendar like `core.plan`
    (same anchor, same pauses, same item share). Deterministic for the same inputs and seed.
    With fewer than 4 weeks of history both dates are None.
    """
    history = [float(h) for h in learner.weekly_history]
    work = workload(roadmap, learner, today)
    if len(history) < MIN_HISTORY_WEEKS:
        return Forecast(None, None, 0, len(history))
    total = work.total
    if total <= 0:
        return Forecast(work.anchor, work.anchor, runs, len(history))
    if max(history) <= 0 or work.share <= 0 or runs <= 0:
        return Forecast(None, None, max(0, runs), len(history))

    tolerance = 1e-9 * total
    frames: list[WeekFrame] = []
    item_fractions: list[float] = []  # item share x the unpaused part of each week
    frame_source = week_frames(work.anchor, learner.week_start, learner.pauses)

    def ensure_weeks(count: int) -> None:
        """Build calendar weeks lazily: most forecasts need two or three years, not 60."""
        missing = min(count, MAX_PLAN_WEEKS) - len(frames)
        for frame in islice(frame_source, max(0, missing)):
            frames.append(frame)
            item_fractions.append(work.share * frame.fraction)

    # Not security-sensitive: a seeded generator is what makes the forecast reproducible.
    rng = random.Random(seed)  # noqa: S311
    finishes: list[date | None] = []
    for _ in range(runs):
        done = 0.0
        week = 0
        finish: date | None = None
        while week < MAX_PLAN_WEEKS:
            block = min(_BLOCK_WEEKS, MAX_PLAN_WEEKS - week)
            ensure_weeks(week + block)
            draws = rng.choices(history, k=block)
            capacities = [h * f for h, f in zip(draws, item_fractions[week:], strict=False)]
            sums = list(accumulate(capacities, initial=done))
            # First week whose cumulative capacity covers the remaining work.
            hit = bisect_left(sums, total - tolerance, lo=1)
            if hit < len(sums):
                k = week + hit - 1
                capacity = capacities[hit - 1]
                fraction = (total - sums[hit - 1]) / capacity if capacity > 0 else 1.0
                finish = day_in_week(frames[k], fraction, finishing=True)
                break
            done = sums[-1]
            week += block
        finishes.append(finish)
    return Forecast(
        p50=_percentile(finishes, 0.50),
        p85=_percentile(finishes, 0.85),
        runs=runs,
        weeks_of_history=len(history),
    )

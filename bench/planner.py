"""Benchmark the planner and the forecast.

Run from the repository root: ``python bench/planner.py``. Plans a roadmap shaped like the
built-in one and generated roadmaps of 200, 2,000 and 5,000 items, and prints the median of
several runs with the time per item; then times the 500-run forecast. Needs no Django.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from levelup.planning.core import ItemState, LearnerInput, Pause, PlanRoadmap, plan
from levelup.planning.effort import estimate_efforts
from levelup.planning.examples import backend_roadmap, generated_roadmap
from levelup.planning.forecast import forecast_finish

TODAY = date(2025, 1, 6)
HISTORY = (4.0, 14.0, 9.0, 0.0, 12.0, 16.0, 7.5, 11.0, 13.0, 10.0, 12.0, 15.0)


def median_ms(action: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``repeat`` calls, in milliseconds (after one warm-up call)."""
    action()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def learner_for(roadmap: PlanRoadmap) -> LearnerInput:
    """A learner a few months in: the first tenth of items done, one in progress, a pause."""
    done = len(roadmap.items) // 10
    efforts = estimate_efforts(roadmap)
    # Logged a little over the estimates, so the pace factor is realistic (about 1.1).
    states = {
        item.key: ItemState("done", logged_hours=1.1 * efforts[item.key])
        for item in roadmap.items[:done]
    }
    if roadmap.items[done:]:
        states[roadmap.items[done].key] = ItemState("in_progress", 3.0, 0.4)
    return LearnerInput(
        start_date=TODAY - timedelta(days=90),
        weekly_hours=11.0,
        pauses=(Pause(TODAY + timedelta(days=60), TODAY + timedelta(days=80)),),
        states=states,
        weekly_history=HISTORY,
    )


def main() -> None:
    cases = [
        ("built-in-like (32 items, 24 months)", backend_roadmap(), 50),
        ("generated 200 items, 24 months", generated_roadmap(200, 24), 20),
        ("generated 2,000 items, 48 months", generated_roadmap(2_000, 48), 7),
        ("generated 5,000 items, 96 months", generated_roadmap(5_000, 96), 5),
    ]
    print(f"{'plan':<40} {'median ms':>10} {'µs/item':>9} {'weeks':>6} {'cells':>7}")
    for name, roadmap, repeat in cases:
        person = learner_for(roadmap)
        ms = median_ms(partial(plan, roadmap, person, TODAY), repeat)
        result = plan(roadmap, person, TODAY)
        cells = sum(len(week.hours_by_item) for week in result.weeks)
        per_item = ms * 1000 / len(roadmap.items)
        print(f"{name:<40} {ms:>10.2f} {per_item:>9.1f} {len(result.weeks):>6} {cells:>7}")

    print()
    print(f"{'forecast (500 runs)':<40} {'median ms':>10} {'p50':>11} {'p85':>11}")
    for name, roadmap, repeat in [*cases[:2], cases[3]]:
        person = learner_for(roadmap)
        ms = median_ms(partial(forecast_finish, roadmap, person, TODAY), repeat)
        forecast = forecast_finish(roadmap, person, TODAY)
        print(f"{name:<40} {ms:>10.2f} {forecast.p50!s:>11} {forecast.p85!s:>11}")


if __name__ == "__main__":
    main()

"""Properties of the planner over generated roadmaps and learners (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from levelup.planning.core import (
    Category,
    ItemState,
    LearnerInput,
    Pause,
    PlanCheckpoint,
    PlanItem,
    PlanPhase,
    PlanRoadmap,
    plan,
    plan_fingerprint,
)

BASE = date(2024, 1, 1)
CATEGORY_SLUGS = ("theory", "projects", "review")


@st.composite
def roadmaps(draw: st.DrawFn) -> PlanRoadmap:
    duration = draw(st.integers(1, 30))
    low = draw(st.floats(1, 20))
    high = low + draw(st.floats(0, 10))
    categories = tuple(
        Category(slug, c_low, c_low + draw(st.floats(0, 4)))
        for slug in CATEGORY_SLUGS
        for c_low in [draw(st.floats(0, 8))]
    )
    phases = tuple(
        PlanPhase(f"phase-{n}", f"Phase {n}", start, min(duration, start + 5))
        for n, start in enumerate(sorted(draw(st.lists(st.integers(1, duration), max_size=4))))
    )
    count = draw(st.integers(0, 20))
    items: list[PlanItem] = []
    for n in range(count):
        start = draw(st.integers(1, duration))
        end = draw(st.integers(start, duration))
        topic = draw(st.booleans())
        items.append(
            PlanItem(
                key=f"item-{n}",
                title=f"Item {n}",
                kind="topic" if topic else "project",
                phase=draw(st.sampled_from([None, *(p.slug for p in phases)])),
                # Mostly the usual two, sometimes the third or one the roadmap never declares.
                category=draw(
                    st.sampled_from(["theory", "projects", "theory", "projects", "review", "x"])
                ),
                month_start=start,
                month_end=end,
                effort_hours=draw(st.one_of(st.none(), st.floats(0, 120))),
                prerequisites=tuple(
                    f"item-{p}" for p in draw(st.lists(st.integers(0, max(0, n - 1)), max_size=2))
                )
                if n
                else (),
            )
        )
    checkpoints = tuple(
        PlanCheckpoint(f"cp-{m}", f"Month {m}", m)
        for m in sorted(set(draw(st.lists(st.integers(1, duration + 2), max_size=4))))
    )
    return PlanRoadmap(
        duration_months=duration,
        min_weekly_hours=low,
        max_weekly_hours=high,
        categories=categories,
        items=tuple(items),
        checkpoints=checkpoints,
        phases=phases,
    )


states = st.builds(
    ItemState,
    status=st.sampled_from(["not_started", "in_progress", "done", "skipped", "known"]),
    logged_hours=st.floats(0, 60),
    done_fraction=st.floats(0, 1),
)


@st.composite
def learners(draw: st.DrawFn, roadmap: PlanRoadmap) -> LearnerInput:
    start = BASE + timedelta(days=draw(st.integers(0, 400)))
    pauses = []
    for _ in range(draw(st.integers(0, 3))):
        begin = start + timedelta(days=draw(st.integers(-30, 700)))
        pauses.append(Pause(begin, begin + timedelta(days=draw(st.integers(0, 60)))))
    keys = [i.key for i in roadmap.items]
    chosen = draw(st.lists(st.sampled_from(keys), unique=True)) if keys else []
    return LearnerInput(
        start_date=start,
        weekly_hours=draw(st.floats(1, 40)),
        pauses=tuple(pauses),
        states={key: draw(states) for key in chosen},
        week_start=draw(st.integers(0, 6)),
    )


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[PlanRoadmap, LearnerInput, date]:
    roadmap = draw(roadmaps())
    person = draw(learners(roadmap))
    today = person.start_date + timedelta(days=draw(st.integers(-60, 500)))
    return roadmap, person, today


SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(scenarios())
def test_no_week_gets_more_hours_than_its_capacity(
    scenario: tuple[PlanRoadmap, LearnerInput, date],
) -> None:
    result = plan(*scenario)
    for week in result.weeks:
        assert week.total_hours <= week.capacity_hours + 1e-6
        assert week.capacity_hours <= result.item_hours_per_week + 1e-9
        assert sum(week.hours_by_item.values()) == pytest.approx(week.total_hours)
        assert all(hours > 0 for hours in week.hours_by_item.values())


@SETTINGS
@given(scenarios())
def test_all_remaining_effort_is_allocated(
    scenario: tuple[PlanRoadmap, LearnerInput, date],
) -> None:
    result = plan(*scenario)
    if "plan_truncated" in {w.code for w in result.warnings}:
        # Only when the work takes more than 60 years; then every week is full.
        assert all(w.total_hours == pytest.approx(w.capacity_hours, abs=1e-6) for w in result.weeks)
        return
    remaining = sum(i.remaining_hours for i in result.items)
    allocated = sum(w.total_hours for w in result.weeks)
    assert allocated == pytest.approx(remaining, rel=1e-6, abs=1e-6)
    for planned in result.items:
        hours = sum(w.hours_by_item.get(planned.key, 0.0) for w in result.weeks)
        assert hours == pytest.approx(planned.remaining_hours, rel=1e-6, abs=1e-6)
        if planned.remaining_hours > 0:
            assert planned.planned_start is not None
            assert planned.planned_finish is not None
            assert planned.planned_start <= planned.planned_finish
        else:
            assert planned.planned_start is None
    if remaining > 0:
        assert result.finish is not None
        assert result.weeks[-1].total_hours > 0


@SETTINGS
@given(scenarios())
def test_an_item_whose_window_ends_earlier_is_finished_first(
    scenario: tuple[PlanRoadmap, LearnerInput, date],
) -> None:
    roadmap, _, _ = scenario
    result = plan(*scenario)
    windows = {i.key: (i.month_start, i.month_end) for i in roadmap.items}
    busy = [p for p in result.items if p.remaining_hours > 0 and p.planned_finish is not None]
    for a in busy:
        for b in busy:
            if windows[a.key][1] < windows[b.key][0]:
                assert a.planned_finish is not None
                assert b.planned_start is not None
                assert a.planned_finish <= b.planned_start, (a.key, b.key)


@SETTINGS
@given(scenarios())
def test_the_same_inputs_give_the_same_plan(
    scenario: tuple[PlanRoadmap, LearnerInput, date],
) -> None:
    roadmap, person, today = scenario
    assert plan(roadmap, person, today) == plan(roadmap, person, today)
    assert plan_fingerprint(roadmap, person, today) == plan_fingerprint(roadmap, person, today)


@SETTINGS
@given(scenarios())
def test_weeks_are_consecutive_and_dates_fall_on_study_days(
    scenario: tuple[PlanRoadmap, LearnerInput, date],
) -> None:
    _, person, _ = scenario
    result = plan(*scenario)
    for before, after in zip(result.weeks, result.weeks[1:], strict=False):
        assert after.start - before.start == timedelta(days=7)
    study_days = {day for week in result.weeks for day in week.available_days}
    for planned in result.items:
        for day in (planned.planned_start, planned.planned_finish):
            if day is not None:
                assert day in study_days
                assert day >= person.start_date
    for week in result.weeks:
        for day in week.available_days:
            assert not any(p.start <= day <= p.end for p in person.pauses)


@SETTINGS
@given(scenarios(), st.floats(1.05, 3))
def test_more_weekly_hours_never_finish_later(
    scenario: tuple[PlanRoadmap, LearnerInput, date], factor: float
) -> None:
    roadmap, person, today = scenario
    slow = plan(roadmap, person, today)
    fast_person = LearnerInput(
        start_date=person.start_date,
        weekly_hours=person.weekly_hours * factor,
        pauses=person.pauses,
        states=person.states,
        week_start=person.week_start,
    )
    fast = plan(roadmap, fast_person, today)
    if slow.finish is not None:
        assert fast.finish is not None
        assert fast.finish <= slow.finish

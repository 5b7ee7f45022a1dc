"""The planner on a roadmap shaped like the built-in one, and on small hand-made ones."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine

from levelup.planning.core import (
    WEEKS_PER_MONTH,
    Category,
    ItemState,
    LearnerInput,
    Pause,
    Plan,
    PlanCheckpoint,
    PlanInputError,
    PlanItem,
    PlanPhase,
    PlanRoadmap,
    plan,
    plan_fingerprint,
    this_week,
    week_start_of,
)
from levelup.planning.effort import (
    estimate_efforts,
    item_share,
    pace_factor,
    remaining_hours,
)
from levelup.planning.examples import BACKEND_TOPICS, backend_roadmap

START = date(2025, 1, 6)  # a Monday
ROADMAP = backend_roadmap()
PHASE_ONE_TOPICS = [f"topic:{slug}" for slug, *_, phase in BACKEND_TOPICS if phase == "foundations"]


def learner(**changes: Any) -> LearnerInput:
    base = LearnerInput(start_date=START, weekly_hours=12.5, pauses=(), states={})
    return dataclasses.replace(base, **changes)


def months_after(start: date, months: float) -> date:
    return start + timedelta(days=round(months * WEEKS_PER_MONTH * 7))


def days_between(a: date | None, b: date | None) -> int:
    assert a is not None
    assert b is not None
    return abs((a - b).days)


def item(key: str, start: int, end: int, **changes: Any) -> PlanItem:
    base = PlanItem(
        key=key,
        title=key.title(),
        kind="topic",
        phase=None,
        category="theory",
        month_start=start,
        month_end=end,
        effort_hours=None,
    )
    return dataclasses.replace(base, **changes)


def small_roadmap(*items: PlanItem, months: int = 6, **changes: Any) -> PlanRoadmap:
    base = PlanRoadmap(
        duration_months=months,
        min_weekly_hours=10,
        max_weekly_hours=10,
        categories=(Category("theory", 10, 10),),
        items=items,
        checkpoints=(),
        phases=(),
    )
    return dataclasses.replace(base, **changes)


@pytest.fixture(scope="module")
def nominal_plan() -> Plan:
    return plan(ROADMAP, learner(), START)


# --- the built-in-like roadmap ------------------------------------------------------------


def test_at_nominal_hours_the_roadmap_fills_its_24_months(nominal_plan: Plan) -> None:
    assert days_between(nominal_plan.finish, months_after(START, 24)) <= 14
    assert nominal_plan.pace == 1.0
    assert nominal_plan.warnings == ()


def test_at_nominal_hours_every_item_stays_within_its_window(nominal_plan: Plan) -> None:
    for planned in nominal_plan.items:
        assert days_between(planned.planned_start, planned.nominal_start) <= 14, planned.key
        assert days_between(planned.planned_finish, planned.nominal_finish) <= 14, planned.key


def test_the_month_6_checkpoint_falls_six_months_after_start(nominal_plan: Plan) -> None:
    checkpoint = nominal_plan.checkpoints[0]
    assert checkpoint.key == "checkpoint:month-6"
    assert days_between(checkpoint.date, months_after(START, 6)) <= 14


def test_checkpoints_come_in_month_order_and_the_last_is_the_finish(nominal_plan: Plan) -> None:
    dates = [c.date for c in nominal_plan.checkpoints]
    assert dates == sorted(d for d in dates if d is not None)
    assert dates[-1] == nominal_plan.finish


def test_no_week_gets_more_than_its_capacity(nominal_plan: Plan) -> None:
    for week in nominal_plan.weeks:
        assert week.total_hours <= week.capacity_hours + 1e-9
    # Items get the roadmap's item share of the 12.5 h: theory and projects, not review.
    assert nominal_plan.item_hours_per_week == pytest.approx(12.5 * 12 / 14.5)


def test_all_remaining_effort_is_allocated(nominal_plan: Plan) -> None:
    allocated = sum(week.total_hours for week in nominal_plan.weeks)
    assert allocated == pytest.approx(sum(i.remaining_hours for i in nominal_plan.items))
    for planned in nominal_plan.items:
        hours = sum(week.hours_by_item.get(planned.key, 0.0) for week in nominal_plan.weeks)
        assert hours == pytest.approx(planned.remaining_hours)


def test_ten_hours_a_week_stretch_the_plan_by_twelve_and_a_half_over_ten(
    nominal_plan: Plan,
) -> None:
    slower = plan(ROADMAP, learner(weekly_hours=10), START)
    assert nominal_plan.finish is not None
    assert slower.finish is not None
    ratio = (slower.finish - START).days / (nominal_plan.finish - START).days
    assert ratio == pytest.approx(12.5 / 10, rel=0.05)


def test_knowing_the_phase_one_topics_brings_the_finish_earlier(nominal_plan: Plan) -> None:
    states = {key: ItemState("known") for key in PHASE_ONE_TOPICS}
    assessed = plan(ROADMAP, learner(states=states), START)
    assert assessed.finish is not None
    assert nominal_plan.finish is not None
    assert assessed.finish < nominal_plan.finish
    for planned in assessed.items:
        if planned.key in PHASE_ONE_TOPICS:
            assert planned.remaining_hours == 0
            assert planned.planned_start is None


def test_a_four_week_pause_moves_the_finish_by_four_weeks(nominal_plan: Plan) -> None:
    pause = Pause(START + timedelta(days=70), START + timedelta(days=97))  # 28 days
    paused = plan(ROADMAP, learner(pauses=(pause,)), START)
    assert paused.finish is not None
    assert nominal_plan.finish is not None
    assert abs((paused.finish - nominal_plan.finish).days - 28) <= 3
    paused_weeks = [week for week in paused.weeks if week.paused]
    assert len(paused_weeks) == 4
    assert all(week.total_hours == 0 for week in paused_weeks)


def test_a_partly_paused_week_keeps_the_hours_of_its_other_days() -> None:
    pause = Pause(START + timedelta(days=5), START + timedelta(days=6))  # the weekend
    first = plan(ROADMAP, learner(pauses=(pause,)), START).weeks[0]
    assert first.paused
    assert first.capacity_hours == pytest.approx(12.5 * 12 / 14.5 * 5 / 7)
    assert first.total_hours == pytest.approx(first.capacity_hours)
    assert len(first.available_days) == 5


def test_items_keep_the_roadmap_order(nominal_plan: Plan) -> None:
    by_key = {planned.key: planned for planned in nominal_plan.items}
    dsa = by_key["topic:dsa"]
    mentoring = by_key["topic:mentoring"]
    assert dsa.planned_finish is not None
    assert mentoring.planned_start is not None
    assert dsa.planned_finish < mentoring.planned_start


# --- efforts, pace and remaining work -----------------------------------------------------


def test_derived_efforts_add_up_to_the_nominal_item_hours_of_every_month() -> None:
    efforts = estimate_efforts(ROADMAP)
    nominal_month_item_hours = 12.5 * item_share(ROADMAP) * WEEKS_PER_MONTH
    assert sum(efforts.values()) == pytest.approx(24 * nominal_month_item_hours)


def test_item_share_leaves_review_time_out() -> None:
    assert item_share(ROADMAP) == pytest.approx(12 / 14.5)


def test_a_month_without_projects_gives_their_hours_to_topics() -> None:
    roadmap = small_roadmap(
        item("a", 1, 1),
        item("p", 2, 2, category="projects", kind="project"),
        months=2,
        categories=(Category("theory", 6, 6), Category("projects", 4, 4)),
    )
    efforts = estimate_efforts(roadmap)
    assert efforts["a"] == pytest.approx(10 * WEEKS_PER_MONTH)
    assert efforts["p"] == pytest.approx(10 * WEEKS_PER_MONTH)


def test_an_items_own_effort_is_kept_and_changes_the_plan() -> None:
    big = backend_roadmap(efforts={"topic:dsa": 200.0})
    assert estimate_efforts(big)["topic:dsa"] == 200.0
    assert estimate_efforts(big)["topic:html-css"] == estimate_efforts(ROADMAP)["topic:html-css"]
    later = plan(big, learner(), START)
    baseline = plan(ROADMAP, learner(), START)
    assert later.finish is not None
    assert baseline.finish is not None
    assert later.finish > baseline.finish


def test_the_pace_factor_is_pulled_towards_one_while_data_is_thin() -> None:
    efforts = {"a": 10.0, "b": 10.0}
    items = (item("a", 1, 1), item("b", 1, 1))
    one_slow_item = {"a": ItemState("done", logged_hours=30)}
    assert pace_factor(items, one_slow_item, efforts) == pytest.approx((3 + 5) / 6)
    nothing_logged = {"a": ItemState("done")}
    assert pace_factor(items, nothing_logged, efforts) == 1.0


def test_the_pace_factor_is_clamped() -> None:
    items = tuple(item(f"i{n}", 1, 1) for n in range(50))
    efforts = {i.key: 1.0 for i in items}
    slow = {i.key: ItemState("done", logged_hours=10) for i in items}
    fast = {i.key: ItemState("done", logged_hours=0.01) for i in items}
    assert pace_factor(items, slow, efforts) == 2.0
    assert pace_factor(items, fast, efforts) == 0.5


def test_a_slow_learner_gets_a_longer_plan() -> None:
    done_slowly = {
        key: ItemState("done", logged_hours=3 * estimate)
        for key, estimate in estimate_efforts(ROADMAP).items()
        if key in PHASE_ONE_TOPICS
    }
    result = plan(ROADMAP, learner(states=done_slowly), START)
    assert result.pace == pytest.approx((3 * 3 + 5) / 8)
    dsa_free = plan(ROADMAP, learner(states={k: ItemState("done") for k in done_slowly}), START)
    assert result.finish is not None
    assert dsa_free.finish is not None
    assert result.finish > dsa_free.finish


def test_logged_hours_and_ticked_subtopics_are_not_counted_twice() -> None:
    assert remaining_hours(40, ItemState("in_progress", 10, 0.5), 1.0) == 20
    assert remaining_hours(40, ItemState("in_progress", 30, 0.5), 1.0) == 10
    assert remaining_hours(40, ItemState("in_progress", 0, 0.25), 1.5) == 45


def test_an_unfinished_item_keeps_a_tenth_of_its_effort() -> None:
    assert remaining_hours(40, ItemState("in_progress", 100, 0), 1.0) == 4
    assert remaining_hours(40, ItemState("in_progress", 0, 1.0), 1.0) == 4


@pytest.mark.parametrize("status", ["done", "skipped", "known"])
def test_finished_items_have_nothing_left(status: str) -> None:
    state = ItemState(status)  # type: ignore[arg-type]
    assert remaining_hours(40, state, 1.0) == 0


# --- calendar, anchor and caching ---------------------------------------------------------


def test_the_plan_starts_in_the_current_week_for_a_learner_who_started_earlier() -> None:
    today = START + timedelta(days=100)  # a Wednesday
    result = plan(ROADMAP, learner(), today)
    assert result.weeks[0].start == week_start_of(today)
    assert result.anchor == week_start_of(today)


def test_a_future_start_date_starts_the_plan_on_that_day() -> None:
    start = date(2025, 3, 5)  # a Wednesday
    result = plan(ROADMAP, learner(start_date=start), START)
    assert result.weeks[0].start == date(2025, 3, 3)
    assert result.weeks[0].available_days[0] == start
    assert min(i.planned_start for i in result.items if i.planned_start) == start


def test_the_plan_is_the_same_on_every_day_of_a_week() -> None:
    monday = START + timedelta(days=21)
    sunday = monday + timedelta(days=6)
    assert plan(ROADMAP, learner(), monday) == plan(ROADMAP, learner(), sunday)
    assert plan_fingerprint(ROADMAP, learner(), monday) == plan_fingerprint(
        ROADMAP, learner(), sunday
    )
    assert plan_fingerprint(ROADMAP, learner(), monday) != plan_fingerprint(
        ROADMAP, learner(), sunday + timedelta(days=1)
    )


def test_the_plan_depends_on_today_and_not_on_the_clock() -> None:
    today = START + timedelta(days=45)
    with time_machine.travel(date(2031, 7, 1), tick=False):
        travelled = plan(ROADMAP, learner(), today)
    assert travelled == plan(ROADMAP, learner(), today)


def test_the_fingerprint_changes_when_progress_changes() -> None:
    before = plan_fingerprint(ROADMAP, learner(), START)
    after = plan_fingerprint(ROADMAP, learner(states={"topic:dsa": ItemState("done")}), START)
    assert before != after
    assert before == plan_fingerprint(backend_roadmap(), learner(weekly_hours=12.5), START)


def test_the_fingerprint_ignores_int_versus_float() -> None:
    assert plan_fingerprint(ROADMAP, learner(weekly_hours=10), START) == plan_fingerprint(
        ROADMAP, learner(weekly_hours=10.0), START
    )


def test_this_week_finds_the_week_containing_today(nominal_plan: Plan) -> None:
    wednesday = START + timedelta(days=16)
    week = this_week(nominal_plan, wednesday)
    assert week is not None
    assert week.start == START + timedelta(days=14)
    assert this_week(nominal_plan, START - timedelta(days=1)) is None


def test_nothing_left_to_do_finishes_today() -> None:
    states = {i.key: ItemState("done") for i in ROADMAP.items}
    today = START + timedelta(days=30)
    result = plan(ROADMAP, learner(states=states), today)
    assert result.weeks == ()
    assert result.finish == week_start_of(today)
    assert all(c.date == week_start_of(today) for c in result.checkpoints)


def test_zero_weekly_hours_warns_instead_of_planning_forever() -> None:
    result = plan(ROADMAP, learner(weekly_hours=0), START)
    assert result.finish is None
    assert [w.code for w in result.warnings] == ["no_capacity"]


def test_a_plan_longer_than_sixty_years_is_cut_and_reported() -> None:
    result = plan(ROADMAP, learner(weekly_hours=0.1), START)
    assert result.finish is None
    assert "plan_truncated" in {w.code for w in result.warnings}
    assert len(result.weeks) == 3131


@pytest.mark.parametrize(
    ("roadmap", "person", "field"),
    [
        (small_roadmap(item("a", 3, 2)), learner(), "items[0].month_end"),
        (small_roadmap(item("a", 0, 2)), learner(), "items[0].month_start"),
        (small_roadmap(item("a", 1, 1), item("a", 2, 2)), learner(), "items[1].key"),
        (small_roadmap(item("a", 1, 1, effort_hours=-1)), learner(), "items[0].effort_hours"),
        (small_roadmap(item("a", 1, 1)), learner(weekly_hours=-1), "weekly_hours"),
        (
            small_roadmap(item("a", 1, 1)),
            learner(pauses=(Pause(START, START - timedelta(days=1)),)),
            "pauses[0].end",
        ),
        (
            small_roadmap(item("a", 1, 1)),
            learner(states={"a": ItemState("in_progress", done_fraction=2)}),
            "states['a'].done_fraction",
        ),
    ],
)
def test_bad_input_names_the_field(roadmap: PlanRoadmap, person: LearnerInput, field: str) -> None:
    with pytest.raises(PlanInputError) as error:
        plan(roadmap, person, START)
    assert error.value.field == field


# --- warnings -------------------------------------------------------------------------------


def codes(result: Plan) -> list[tuple[str, str | None]]:
    return [(w.code, w.item_key) for w in result.warnings]


def test_an_item_whose_window_has_passed_is_behind() -> None:
    today = START + timedelta(days=7 * 12)  # ~2.8 nominal months in at nominal hours
    states = {"topic:html-css": ItemState("done")}
    result = plan(ROADMAP, learner(states=states), today)
    assert ("behind_window", "topic:dsa") in codes(result)
    assert ("behind_window", "topic:html-css") not in codes(result)
    assert ("behind_window", "topic:oop") not in codes(result)


def test_the_journey_position_follows_the_weekly_hours() -> None:
    today = START + timedelta(days=7 * 10)  # 2.3 nominal months at 12.5 h, 1.15 at 6.25 h
    assert ("behind_window", "topic:html-css") in codes(plan(ROADMAP, learner(), today))
    half_time = plan(ROADMAP, learner(weekly_hours=6.25), today)
    assert ("behind_window", "topic:html-css") in codes(half_time)
    assert ("behind_window", "topic:dsa") not in codes(half_time)


def test_a_pause_does_not_make_items_late() -> None:
    today = START + timedelta(days=7 * 10)
    pause = Pause(START, START + timedelta(days=7 * 8))
    assert ("behind_window", "topic:html-css") not in codes(
        plan(ROADMAP, learner(pauses=(pause,)), today)
    )


def test_starting_a_later_phase_while_an_earlier_one_is_untouched_warns() -> None:
    states = {"topic:microservices": ItemState("in_progress")}
    result = plan(ROADMAP, learner(states=states), START)
    messages = [w.message for w in result.warnings if w.code == "phase_order"]
    assert "Phase Architecture started while Phase Foundations is untouched." in messages


def test_following_the_phases_in_order_does_not_warn_about_phases() -> None:
    states = {"topic:dsa": ItemState("in_progress"), "topic:express": ItemState("done")}
    result = plan(ROADMAP, learner(states=states), START)
    assert "phase_order" not in {w.code for w in result.warnings}


def test_work_on_an_item_before_its_prerequisites_warns() -> None:
    roadmap = small_roadmap(
        item("basics", 1, 1),
        item("advanced", 2, 3, prerequisites=("basics", "missing-from-roadmap")),
    )
    early = plan(roadmap, learner(states={"advanced": ItemState("in_progress")}), START)
    assert codes(early) == [("prerequisites_out_of_order", "advanced")]
    assert "Basics" in early.warnings[0].message
    in_order = plan(
        roadmap,
        learner(states={"advanced": ItemState("in_progress"), "basics": ItemState("known")}),
        START,
    )
    assert codes(in_order) == []


def test_a_checkpoint_beyond_the_last_item_is_reached_at_the_finish() -> None:
    roadmap = small_roadmap(
        item("a", 1, 2),
        months=6,
        checkpoints=(PlanCheckpoint("checkpoint:month-6", "Month 6", 6),),
        phases=(PlanPhase("p", "P", 1, 6),),
    )
    result = plan(roadmap, learner(weekly_hours=10), START)
    assert result.checkpoints[0].date == result.finish
    # Nominal months with nothing in them cost no time: the plan ends after two months.
    assert days_between(result.finish, months_after(START, 2)) <= 7

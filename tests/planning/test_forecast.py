"""The Monte Carlo finish forecast."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

from levelup.planning.core import ItemState, LearnerInput, Pause, plan
from levelup.planning.examples import backend_roadmap
from levelup.planning.forecast import forecast_finish

START = date(2025, 1, 6)
ROADMAP = backend_roadmap()
VARIED = (4.0, 14.0, 9.0, 0.0, 12.0, 16.0, 7.5, 11.0)


def learner(**changes: Any) -> LearnerInput:
    base = LearnerInput(
        start_date=START, weekly_hours=12.5, pauses=(), states={}, weekly_history=VARIED
    )
    return dataclasses.replace(base, **changes)


def test_fewer_than_four_weeks_of_history_give_no_forecast() -> None:
    result = forecast_finish(ROADMAP, learner(weekly_history=(10.0, 12.0, 11.0)), START)
    assert result.p50 is None
    assert result.p85 is None
    assert result.weeks_of_history == 3


def test_four_weeks_are_enough() -> None:
    result = forecast_finish(ROADMAP, learner(weekly_history=(10.0, 12.0, 11.0, 9.0)), START)
    assert result.p50 is not None
    assert result.p85 is not None


def test_the_same_inputs_give_the_same_forecast() -> None:
    assert forecast_finish(ROADMAP, learner(), START) == forecast_finish(ROADMAP, learner(), START)


def test_the_85_percent_date_is_not_before_the_median() -> None:
    result = forecast_finish(ROADMAP, learner(), START)
    assert result.p50 is not None
    assert result.p85 is not None
    assert result.p85 >= result.p50


def test_more_hours_in_the_history_finish_earlier() -> None:
    slow = forecast_finish(ROADMAP, learner(weekly_history=tuple(h for h in VARIED)), START)
    fast = forecast_finish(ROADMAP, learner(weekly_history=tuple(h + 5 for h in VARIED)), START)
    assert slow.p50 is not None
    assert fast.p50 is not None
    assert fast.p50 < slow.p50
    assert fast.p85 is not None
    assert slow.p85 is not None
    assert fast.p85 < slow.p85


def test_a_steady_learner_is_forecast_to_finish_on_the_plan_date() -> None:
    steady = learner(weekly_history=(12.5,) * 6)
    result = forecast_finish(ROADMAP, steady, START)
    assert result.p50 == plan(ROADMAP, steady, START).finish
    assert result.p85 == result.p50


def test_a_pause_delays_the_forecast_like_the_plan() -> None:
    pause = Pause(START + timedelta(days=70), START + timedelta(days=97))
    steady = learner(weekly_history=(12.5,) * 6)
    paused = dataclasses.replace(steady, pauses=(pause,))
    before = forecast_finish(ROADMAP, steady, START)
    after = forecast_finish(ROADMAP, paused, START)
    assert before.p50 is not None
    assert after.p50 is not None
    assert abs((after.p50 - before.p50).days - 28) <= 3
    assert after.p50 == plan(ROADMAP, paused, START).finish


def test_finished_work_shortens_the_forecast() -> None:
    states = {item.key: ItemState("known") for item in ROADMAP.items[:10]}
    base = forecast_finish(ROADMAP, learner(), START)
    ahead = forecast_finish(ROADMAP, learner(states=states), START)
    assert base.p50 is not None
    assert ahead.p50 is not None
    assert ahead.p50 < base.p50


def test_a_history_of_empty_weeks_cannot_forecast_a_finish() -> None:
    result = forecast_finish(ROADMAP, learner(weekly_history=(0.0,) * 6), START)
    assert result.p50 is None
    assert result.p85 is None


def test_nothing_left_is_forecast_to_finish_this_week() -> None:
    states = {item.key: ItemState("done") for item in ROADMAP.items}
    result = forecast_finish(ROADMAP, learner(states=states), START)
    assert result.p50 == START
    assert result.p85 == START


def test_a_different_seed_may_move_the_dates_but_only_a_little() -> None:
    one = forecast_finish(ROADMAP, learner(), START, seed=1)
    two = forecast_finish(ROADMAP, learner(), START, seed=2)
    assert one.p50 is not None
    assert two.p50 is not None
    assert abs((one.p50 - two.p50).days) <= 21

"""The plan follows every change and is not recomputed when nothing changed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from levelup.planning import selectors
from levelup.progress.models import Enrollment, ItemProgress, Pause
from levelup.progress.selectors import enrollment_get

from .conftest import START

TODAY = START + timedelta(weeks=6, days=2)


@pytest.fixture
def planner_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Count the planner's and the forecast's runs."""
    calls: list[int] = []
    real_plan, real_forecast = selectors.core_plan, selectors.run_forecast

    def counted_plan(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real_plan(*args, **kwargs)

    def counted_forecast(*args: Any, **kwargs: Any) -> Any:
        calls.append(2)
        return real_forecast(*args, **kwargs)

    monkeypatch.setattr(selectors, "core_plan", counted_plan)
    monkeypatch.setattr(selectors, "run_forecast", counted_forecast)
    yield calls


def _fresh(enrollment: Enrollment) -> Enrollment:
    return enrollment_get(user=enrollment.user, enrollment_id=enrollment.pk)


def test_a_second_read_does_no_planner_work(
    enrollment: Enrollment, planner_calls: list[int]
) -> None:
    first = selectors.plan_for(_fresh(enrollment), TODAY)
    assert planner_calls  # the plan and the forecast ran
    planner_calls.clear()
    again = selectors.plan_for(_fresh(enrollment), TODAY)
    selectors.this_week_for(_fresh(enrollment), TODAY + timedelta(days=1))  # same week
    _ = selectors.plan_context(_fresh(enrollment), TODAY).verdict
    assert planner_calls == []
    assert again == first


def _change_status(enrollment: Enrollment) -> None:
    ItemProgress.objects.create(
        enrollment=enrollment, item_key="topic:html-css-refresher", status="done"
    )


def _change_rating(enrollment: Enrollment) -> None:
    ItemProgress.objects.create(
        enrollment=enrollment, item_key="topic:html-css-refresher", rating=3
    )


def _change_hours(enrollment: Enrollment) -> None:
    from levelup.journal.models import StudySession

    StudySession.objects.create(
        enrollment=enrollment,
        date=START + timedelta(days=1),
        minutes=90,
        category="theory",
        item_key="topic:html-css-refresher",
        fingerprint="x",
    )


def _change_weekly_hours(enrollment: Enrollment) -> None:
    enrollment.weekly_hours = Decimal("8")
    enrollment.save()


def _change_pause(enrollment: Enrollment) -> None:
    Pause.objects.create(
        enrollment=enrollment,
        start_date=TODAY + timedelta(days=10),
        end_date=TODAY + timedelta(days=20),
    )


def _change_study_week(enrollment: Enrollment) -> None:
    enrollment.user.week_start = 6
    enrollment.user.save()


@pytest.mark.parametrize(
    "change",
    [
        _change_status,
        _change_rating,
        _change_hours,
        _change_weekly_hours,
        _change_pause,
        _change_study_week,
    ],
)
def test_any_change_in_progress_hours_or_settings_changes_the_plan(
    enrollment: Enrollment, planner_calls: list[int], change: Callable[[Enrollment], None]
) -> None:
    before = selectors.plan_for(_fresh(enrollment), TODAY)
    planner_calls.clear()
    change(enrollment)
    after = selectors.plan_for(_fresh(enrollment), TODAY)
    assert planner_calls, "the planner ran again"
    assert after["fingerprint"] != before["fingerprint"]
    assert after != before


def test_a_new_week_replans(enrollment: Enrollment, planner_calls: list[int]) -> None:
    selectors.plan_for(_fresh(enrollment), TODAY)
    planner_calls.clear()
    selectors.plan_for(_fresh(enrollment), TODAY + timedelta(days=7))
    assert planner_calls


def _verdict(enrollment: Enrollment, today: date) -> dict[str, Any]:
    return selectors.verdict_data(selectors.plan_context(_fresh(enrollment), today))


def test_the_verdict_is_on_track_at_the_start(enrollment: Enrollment) -> None:
    verdict = _verdict(enrollment, START)
    assert (verdict["status"], verdict["weeks"], verdict["label"]) == ("on_track", 0, "On track")


def test_ten_idle_weeks_are_ten_weeks_behind(enrollment: Enrollment) -> None:
    verdict = _verdict(enrollment, START + timedelta(weeks=10))
    assert (verdict["status"], verdict["weeks"]) == ("behind", 10)
    assert verdict["label"] == "10 weeks behind"
    assert verdict["reason"].startswith("At 12.5 h a week you finish")
    assert verdict["reason"].endswith("10 weeks after your target of 5 Jan 2028.")


def test_known_topics_put_the_learner_ahead(enrollment: Enrollment) -> None:
    ItemProgress.objects.bulk_create(
        ItemProgress(enrollment=enrollment, item_key=key, rating=4)
        for key in (
            "topic:data-structures-algorithms",
            "topic:object-oriented-programming",
            "topic:html-css-refresher",
        )
    )
    verdict = _verdict(enrollment, START)
    assert verdict["status"] == "ahead"
    assert verdict["weeks"] >= 2
    assert verdict["label"] == f"{verdict['weeks']} weeks ahead"


def test_a_pause_shows_as_paused_and_then_costs_its_length(enrollment: Enrollment) -> None:
    Pause.objects.create(
        enrollment=enrollment, start_date=START, end_date=START + timedelta(days=27)
    )
    during = _verdict(enrollment, START + timedelta(days=10))
    assert during["status"] == "paused"
    assert "until 1 Feb 2026" in during["reason"]
    # The target does not move: four weeks away are four weeks behind it.
    after = _verdict(enrollment, START + timedelta(weeks=4))
    assert (after["status"], after["weeks"]) == ("behind", 4)


def test_a_nearer_target_puts_the_same_learner_behind(enrollment: Enrollment) -> None:
    enrollment.target_finish = START + timedelta(weeks=78)  # 18 months instead of 24
    enrollment.save()
    verdict = _verdict(enrollment, START)
    assert verdict["status"] == "behind"
    assert verdict["weeks"] >= 25


def test_the_forecast_appears_after_four_weeks_of_history(
    enrollment: Enrollment, log_session: Callable[..., Any]
) -> None:
    for week in range(3):
        log_session(enrollment, START + timedelta(weeks=week), 600)
    today = START + timedelta(weeks=3, days=1)
    data = selectors.plan_for(_fresh(enrollment), today)
    assert data["finish"]["p50"] is None and data["forecast"]["weeks_of_history"] == 3
    log_session(enrollment, START + timedelta(weeks=3), 600)
    data = selectors.plan_for(_fresh(enrollment), today + timedelta(weeks=1))
    assert data["forecast"]["available"]
    assert data["finish"]["p50"] is not None
    assert data["finish"]["p50"] <= data["finish"]["p85"]
    # 10 h a week against the 12.5 h planned: the forecast is later than the plan.
    assert data["finish"]["p50"] > data["finish"]["planned"]

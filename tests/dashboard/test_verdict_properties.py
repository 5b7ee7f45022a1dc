"""One verdict everywhere, over generated learners (Hypothesis).

Each example makes a fresh learner on the built-in roadmap with a generated start date,
weekly hours, pauses, statuses and target, then reads the dashboard and the plan over the
API as a client would. The CLI prints the dashboard's JSON; `tests/cli/test_verdict.py`
shows over real HTTP that `levelup status --json` carries the same verdict.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from levelup.accounts.models import User
from levelup.dashboard.selectors import dashboard_for
from levelup.progress.models import Enrollment, ItemProgress, Pause
from levelup.progress.selectors import enrollment_get
from levelup.progress.services import enrollment_create
from levelup.roadmaps.effort import DAYS_PER_MONTH, document_effort, nominal_finish

TODAY = date(2026, 11, 30)
_names = itertools.count()

STATUSES = ("not_started", "in_progress", "done", "skipped")
FIELDS = {"status", "weeks", "label", "reason"}


def _learner(builtin: Any, *, start: date, hours: float, target: date | None = None) -> Enrollment:
    roadmap, _ = builtin
    user = User.objects.create(username=f"gen{next(_names)}")
    enrollment = enrollment_create(
        user=user,
        roadmap_slug=roadmap.slug,
        start_date=start,
        weekly_hours=hours,
        target_finish=target,
    )
    return enrollment_get(user=user, enrollment_id=enrollment.pk)


def _units(builtin: Any) -> list[Any]:
    _, document = builtin
    return [i for i in document.items.values() if i.kind in ("topic", "project")]


def _weeks_between(finish: dict[str, Any]) -> int:
    target, forecast = finish["target"], finish["forecast"]
    return abs((forecast - target).days) // 7


learners = st.fixed_dictionaries(
    {
        "start_days_ago": st.integers(min_value=-60, max_value=900),
        "hours": st.sampled_from([3.0, 6.0, 10.0, 12.5, 15.0, 25.0]),
        "target_months": st.one_of(st.none(), st.integers(min_value=6, max_value=48)),
        "statuses": st.lists(st.sampled_from(STATUSES), min_size=32, max_size=32),
        "pauses": st.lists(
            st.tuples(st.integers(min_value=0, max_value=800), st.integers(1, 60)), max_size=3
        ),
    }
)


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(person=learners)
def test_the_dashboard_and_the_plan_give_the_same_verdict(
    builtin: Any, api_for: Any, person: dict[str, Any]
) -> None:
    start = TODAY - timedelta(days=person["start_days_ago"])
    target = None
    if person["target_months"] is not None:
        target = nominal_finish(start, person["target_months"])
    with time_machine.travel(TODAY, tick=False):
        enrollment = _learner(builtin, start=start, hours=person["hours"], target=target)
        units = _units(builtin)
        ItemProgress.objects.bulk_create(
            ItemProgress(enrollment=enrollment, item_key=unit.key, status=status)
            for unit, status in zip(units, person["statuses"], strict=False)
            if status != "not_started"
        )
        for offset, length in person["pauses"]:
            first = start + timedelta(days=offset)
            Pause.objects.create(
                enrollment=enrollment, start_date=first, end_date=first + timedelta(days=length)
            )
        client = api_for(enrollment.user)
        board = client.get(f"/api/v1/enrollments/{enrollment.pk}/dashboard").json()
        plan = client.get(f"/api/v1/enrollments/{enrollment.pk}/plan").json()
    assert set(board["verdict"]) == FIELDS
    assert board["verdict"] == plan["verdict"]
    plan_finish = {k: v for k, v in plan["finish"].items() if k != "nominal"}
    assert board["finish"] == plan_finish
    finish = {k: date.fromisoformat(v) if v else None for k, v in board["finish"].items()}
    if finish["forecast"] is not None:
        assert board["verdict"]["weeks"] == _weeks_between(finish)
    if target is not None:
        assert finish["target"] == target


def _states(enrollment: Enrollment, keys: list[str], status: str = "done") -> None:
    ItemProgress.objects.bulk_create(
        ItemProgress(enrollment=enrollment, item_key=key, status=status) for key in keys
    )


@pytest.mark.django_db
@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(hours=st.sampled_from([3.0, 6.0, 10.0, 12.5]), shift=st.integers(0, 6))
def test_twenty_six_idle_weeks_are_at_least_twenty_weeks_behind(
    builtin: Any, hours: float, shift: int
) -> None:
    start = TODAY - timedelta(weeks=26, days=shift)
    with time_machine.travel(TODAY, tick=False):
        enrollment = _learner(builtin, start=start, hours=hours)
        verdict = dashboard_for(enrollment, TODAY)["verdict"]
    assert verdict["status"] == "behind"
    assert verdict["weeks"] >= 20


@pytest.mark.django_db
def test_more_hours_than_the_roadmap_asks_make_up_idle_weeks(builtin: Any) -> None:
    """The same idle half year at 15 h a week: the extra hours win back most of it."""
    start = TODAY - timedelta(weeks=26)
    with time_machine.travel(TODAY, tick=False):
        slow = dashboard_for(_learner(builtin, start=start, hours=12.5), TODAY)["verdict"]
        fast = dashboard_for(_learner(builtin, start=start, hours=15.0), TODAY)["verdict"]
    assert slow["status"] == fast["status"] == "behind"
    assert fast["weeks"] < slow["weeks"]


def _through_month(builtin: Any, month: int) -> list[str]:
    return [u.key for u in _units(builtin) if u.month_end <= month]


@pytest.mark.django_db
@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(shift=st.integers(0, 6))
def test_everything_through_month_12_done_at_month_6_is_20_weeks_ahead(
    builtin: Any, shift: int
) -> None:
    start = TODAY - timedelta(days=round(6 * DAYS_PER_MONTH) + shift)
    with time_machine.travel(TODAY, tick=False):
        enrollment = _learner(builtin, start=start, hours=12.5)
        _states(enrollment, _through_month(builtin, 12))
        verdict = dashboard_for(enrollment, TODAY)["verdict"]
    assert verdict["status"] == "ahead"
    assert verdict["weeks"] >= 20


@pytest.mark.django_db
@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(shift=st.integers(-3, 3))
def test_doing_what_the_timeline_expects_by_month_6_is_on_track(builtin: Any, shift: int) -> None:
    """At month 6, everything whose window ends by then is done and the items that span
    month 6 have their expected share of work logged: the learner is where the roadmap
    expects, so the verdict is on track (within a week).

    On the built-in roadmap six items (MongoDB 5-7, SQL 6-7, REST 6-8 and three projects
    6-12) span month 6. Without their share the same learner is about four weeks behind,
    which is the truth: `test_work_begun_on_spanning_items_is_what_separates_on_track`.
    """
    from levelup.journal.services import study_session_log

    start = TODAY - timedelta(days=round(6 * DAYS_PER_MONTH) + shift)
    with time_machine.travel(TODAY, tick=False):
        enrollment = _learner(builtin, start=start, hours=12.5)
        _states(enrollment, _through_month(builtin, 6))
        efforts = document_effort(builtin[1])
        for unit in _units(builtin):
            if unit.month_start <= 6 < unit.month_end:
                share = (6 - unit.month_start + 1) / (unit.month_end - unit.month_start + 1)
                minutes = round(efforts.efforts[unit.key] * share * 60)
                _states(enrollment, [unit.key], "in_progress")
                while minutes > 0:
                    chunk = min(minutes, 600)
                    study_session_log(
                        enrollment=enrollment,
                        minutes=chunk,
                        category=unit.category or "theory",
                        item_key=unit.key,
                        # Early in the journey, so the recent weeks hold no history and
                        # the verdict rests on the plan at 12.5 h a week.
                        date=start + timedelta(days=minutes % 28),
                        note=f"{unit.key} {minutes}",
                    )
                    minutes -= chunk
        board = dashboard_for(enrollment_get(user=enrollment.user, enrollment_id=enrollment.pk))
    assert board["verdict"]["status"] == "on_track", board["verdict"]


@pytest.mark.django_db
def test_work_begun_on_spanning_items_is_what_separates_on_track(builtin: Any) -> None:
    start = TODAY - timedelta(days=round(6 * DAYS_PER_MONTH))
    with time_machine.travel(TODAY, tick=False):
        enrollment = _learner(builtin, start=start, hours=12.5)
        _states(enrollment, _through_month(builtin, 6))
        verdict = dashboard_for(enrollment, TODAY)["verdict"]
    assert verdict["status"] == "behind"
    assert 2 <= verdict["weeks"] <= 6


def test_a_roadmap_whose_windows_meet_at_month_6_is_on_track_when_month_6_is_done() -> None:
    """The literal rule on a roadmap where no window spans month 6: finishing every item
    whose window ends by month 6 is exactly what the timeline expects, so on track."""
    from levelup.planning.core import ItemState, LearnerInput, PlanItem, plan
    from levelup.planning.examples import backend_roadmap
    from levelup.planning.verdict import Finish, judge

    base = backend_roadmap()
    items = tuple(
        PlanItem(
            key=i.key,
            title=i.title,
            kind=i.kind,
            phase=i.phase,
            category=i.category,
            month_start=1 if i.month_start <= 6 else max(7, i.month_start),
            month_end=6 if i.month_start <= 6 else max(7, i.month_end),
            effort_hours=None,
        )
        for i in base.items
    )
    roadmap = replace(base, items=items)
    start = date(2026, 1, 5)
    today = start + timedelta(days=round(6 * DAYS_PER_MONTH))
    states = {i.key: ItemState(status="done") for i in items if i.month_end <= 6}
    learner = LearnerInput(start_date=start, weekly_hours=12.5, pauses=(), states=states)
    result = plan(roadmap, learner, today)
    target = nominal_finish(start, roadmap.duration_months)
    verdict = judge(
        today=today,
        start=start,
        finish=Finish(target, result.finish, result.finish, None, None),
        weekly_hours=12.5,
        history_weeks=0,
    )
    assert verdict.status == "on_track", verdict


@pytest.mark.django_db
@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(done=st.integers(0, 20), weeks_in=st.integers(0, 60))
def test_fewer_weekly_hours_never_move_the_forecast_earlier(
    builtin: Any, done: int, weeks_in: int
) -> None:
    start = TODAY - timedelta(weeks=weeks_in)
    finishes = []
    with time_machine.travel(TODAY, tick=False):
        for hours in (12.5, 6.0):
            enrollment = _learner(builtin, start=start, hours=hours)
            _states(enrollment, [u.key for u in _units(builtin)[:done]])
            finishes.append(dashboard_for(enrollment, TODAY)["finish"]["forecast"])
    assert finishes[1] > finishes[0]

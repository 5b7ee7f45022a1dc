"""Enrollments and pauses as a state machine (docs/progress.md, "Pauses and the
enrollment's states"): every sequence of actions through the services either refuses a
step with a clear error that changes nothing, or reaches a valid state that the dashboard,
the plan and this week's plan render, and from which the learner can always pause or
resume."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from levelup.accounts.models import User
from levelup.dashboard.selectors import dashboard_for
from levelup.journal.selectors import weekly_review
from levelup.lib.dates import EARLIEST_DAY, LATEST_DAY
from levelup.lib.errors import ApplicationError, Conflict
from levelup.planning.selectors import plan_for, this_week_for
from levelup.progress import services
from levelup.progress.models import Enrollment, EnrollmentStatus
from levelup.progress.selectors import enrollment_get

START_CLOCK = datetime(2026, 3, 10, 12, 0)
_names = itertools.count()

offsets = st.integers(min_value=-900, max_value=900)
actions = st.one_of(
    st.tuples(st.just("wait"), st.integers(min_value=0, max_value=500)),
    st.tuples(
        st.just("pause"),
        st.one_of(st.none(), offsets),
        st.one_of(st.none(), st.integers(min_value=-3, max_value=400)),
    ),
    st.tuples(st.just("resume")),
    st.tuples(st.just("archive")),
    st.tuples(st.just("enroll again"), offsets),
    st.tuples(st.just("target"), st.one_of(st.integers(1, 240), st.none())),
    st.tuples(st.just("start"), offsets),
)


def snapshot(enrollment: Enrollment) -> tuple[Any, ...]:
    """What a refused step must leave as it was."""
    row = Enrollment.objects.get(pk=enrollment.pk)
    pauses = tuple(enrollment.pauses.order_by("pk").values_list("start_date", "end_date"))
    return (row.status, row.start_date, row.target_finish, pauses)


def check_valid(enrollment: Enrollment, today: date) -> None:
    """The rules of docs/progress.md hold for the stored state."""
    pauses = list(enrollment.pauses.order_by("start_date", "pk"))
    assert len(pauses) <= services.MAX_PAUSES
    previous_end: date | None = None
    for n, pause in enumerate(pauses):
        assert EARLIEST_DAY <= pause.start_date <= LATEST_DAY
        assert pause.start_date >= enrollment.start_date, "a pause before the enrollment"
        if pause.end_date is not None:
            assert pause.start_date <= pause.end_date <= LATEST_DAY
        else:
            assert n == len(pauses) - 1, "an open pause is followed by another"
        if n:
            assert previous_end is not None and previous_end < pause.start_date, "overlap"
        previous_end = pause.end_date
    assert EARLIEST_DAY <= enrollment.start_date <= LATEST_DAY
    if enrollment.target_finish is not None:
        assert enrollment.start_date < enrollment.target_finish <= LATEST_DAY
    if enrollment.status == EnrollmentStatus.ARCHIVED:
        assert all(p.end_date is not None for p in pauses), "an archived open pause"


def renders(enrollment: Enrollment) -> None:
    data = dashboard_for(enrollment)
    assert data["status"] in ("active", "paused", "archived")
    plan = plan_for(enrollment)
    assert plan["verdict"]["status"]
    this_week_for(enrollment)


class _Rollback(Exception):
    pass


def succeeds(step: Callable[[], Any]) -> bool:
    """Whether ``step`` would succeed now; whatever it writes is rolled back."""
    try:
        with transaction.atomic():
            step()
            raise _Rollback
    except _Rollback:
        return True
    except ApplicationError:
        return False


def never_stuck(enrollment: Enrollment, today: date) -> None:
    """An open enrollment can always take a break or come back: the bug the probe found
    was a future pause after which resume said "not paused" and pause "already paused"."""
    if enrollment.status == EnrollmentStatus.ARCHIVED:
        return
    can_resume = succeeds(lambda: services.enrollment_resume(enrollment=enrollment))
    start = max(today, enrollment.start_date)
    can_pause = succeeds(lambda: services.enrollment_pause(enrollment=enrollment, start_date=start))
    full = enrollment.pauses.count() >= services.MAX_PAUSES
    assert can_resume or can_pause or full, "neither pause nor resume works"
    paused_now = enrollment.status_on(
        today, enrollment.pauses.values_list("start_date", "end_date")
    )
    if paused_now == EnrollmentStatus.PAUSED:
        assert can_resume, "paused today, yet resume is refused"


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel(START_CLOCK, tick=False) as traveller:
        yield traveller


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    start=st.dates(min_value=EARLIEST_DAY, max_value=LATEST_DAY)
    | st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)),
    steps=st.lists(actions, min_size=1, max_size=6),
)
def test_no_sequence_of_actions_reaches_a_state_the_pages_cannot_render(
    tiny: Any, clock: Any, start: date, steps: list[tuple[Any, ...]]
) -> None:
    clock.move_to(START_CLOCK)
    user = User.objects.create(username=f"learner{next(_names)}")
    enrollment = services.enrollment_create(user=user, roadmap_slug="tiny", start_date=start)
    for step in steps:
        enrollment = enrollment_get(user=user, enrollment_id=enrollment.pk)
        today = user.local_today()
        before = snapshot(enrollment)
        kind = step[0]
        try:
            if kind == "wait":
                clock.shift(timedelta(days=step[1]))
            elif kind == "pause":
                first = None if step[1] is None else today + timedelta(days=step[1])
                base = first or today
                last = None if step[2] is None else base + timedelta(days=step[2])
                services.enrollment_pause(enrollment=enrollment, start_date=first, end_date=last)
            elif kind == "resume":
                services.enrollment_resume(enrollment=enrollment)
            elif kind == "archive":
                services.enrollment_archive(enrollment=enrollment)
            elif kind == "enroll again":
                enrollment = services.enrollment_create(
                    user=user, roadmap_slug="tiny", start_date=today + timedelta(days=step[1])
                )
            elif kind == "target":
                services.enrollment_update(enrollment=enrollment, target_months=step[1])
            elif kind == "start":
                services.enrollment_update(
                    enrollment=enrollment, start_date=enrollment.start_date + timedelta(step[1])
                )
        except ApplicationError as exc:
            assert exc.message, "an error without a message"
            assert isinstance(exc, Conflict) or exc.errors, "an invalid input without its field"
            assert snapshot(enrollment) == before, f"{kind} was refused but changed the state"
        except OverflowError:
            # Only the test's own date arithmetic near the range's ends can overflow.
            assert kind in ("pause", "start", "enroll again")
        enrollment = enrollment_get(user=user, enrollment_id=enrollment.pk)
        today = user.local_today()
        check_valid(enrollment, today)
        if kind in ("pause", "resume"):
            # Right after a pause is recorded or ended, the stored status says it.
            stored = enrollment.status
            derived = enrollment.status_on(
                today, enrollment.pauses.values_list("start_date", "end_date")
            )
            assert stored == derived or stored == EnrollmentStatus.ARCHIVED
        renders(enrollment)
        never_stuck(enrollment, today)
    weekly_review(enrollment)


@pytest.mark.usefixtures("clock")
def test_a_scheduled_pause_can_be_cancelled_by_resume_and_pause_says_why_it_is_refused(
    enrollment: Enrollment,
) -> None:
    today = enrollment.user.local_today()
    services.enrollment_pause(enrollment=enrollment, start_date=today + timedelta(days=7))
    enrollment.refresh_from_db()
    assert enrollment.status == "active"
    with pytest.raises(Conflict) as refused:
        services.enrollment_pause(enrollment=enrollment)
    assert "overlaps the pause from 2026-03-17 until resumed" in refused.value.message
    assert "cancel that one with resume" in refused.value.message
    # A pause that ends before the scheduled one is fine.
    services.enrollment_pause(enrollment=enrollment, end_date=today + timedelta(days=2))
    enrollment.refresh_from_db()
    assert enrollment.status == "paused"
    # Resume ends today's pause first and keeps the scheduled one...
    services.enrollment_resume(enrollment=enrollment)
    assert list(enrollment.pauses.values_list("start_date", "end_date")) == [
        (date(2026, 3, 17), None)
    ]
    # ...then, with no pause covering today, cancels the scheduled one.
    services.enrollment_resume(enrollment=enrollment)
    assert not enrollment.pauses.exists()
    with pytest.raises(Conflict, match="not paused and has no pause scheduled"):
        services.enrollment_resume(enrollment=enrollment)


@pytest.mark.usefixtures("clock")
def test_archive_drops_scheduled_pauses_and_never_ends_one_before_its_start(
    enrollment: Enrollment, api_for: Any
) -> None:
    today = enrollment.user.local_today()
    services.enrollment_pause(
        enrollment=enrollment, start_date=today - timedelta(days=3), end_date=today + timedelta(2)
    )
    services.enrollment_pause(enrollment=enrollment, start_date=today + timedelta(days=30))
    services.enrollment_archive(enrollment=enrollment)
    assert list(enrollment.pauses.values_list("start_date", "end_date")) == [
        (today - timedelta(days=3), today)
    ]
    api = api_for(enrollment.user)
    for path in ("dashboard", "plan", "plan/this-week"):
        response = api.get(f"/api/v1/enrollments/{enrollment.pk}/{path}")
        assert response.status_code == 200, (path, response.content)


@pytest.mark.usefixtures("clock")
def test_a_scheduled_pause_makes_the_enrollment_paused_on_its_first_day(
    enrollment: Enrollment, clock: Any, web_for: Any
) -> None:
    from django.urls import reverse

    today = enrollment.user.local_today()
    services.enrollment_pause(enrollment=enrollment, start_date=today + timedelta(days=1))
    assert dashboard_for(enrollment)["status"] == "active"
    clock.shift(timedelta(days=1))
    assert dashboard_for(enrollment)["status"] == "paused"
    page = web_for(enrollment.user).get(reverse("progress:settings", args=[enrollment.pk]))
    assert "Resume" in page.content.decode()
    services.enrollment_resume(enrollment=enrollment)
    assert dashboard_for(enrollment)["status"] == "active"
    assert not enrollment.pauses.exists()  # it began today: withdrawn

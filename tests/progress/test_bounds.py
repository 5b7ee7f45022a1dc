"""One range of days, 2000-01-01 to 2100-12-31, on every route a date comes in by: each
date outside it is refused with the field's name and the range, and nothing is written.
The pause rules (inside the enrollment's life, no overlaps, at most MAX_PAUSES) hold
whatever the route; streaks and paused days are counted by interval arithmetic."""

from __future__ import annotations

import datetime as dt
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from levelup.journal.services import study_session_log
from levelup.journal.streaks import compute_streaks
from levelup.journal.weeks import week_start_date
from levelup.lib.dates import EARLIEST_DAY, LATEST_DAY
from levelup.lib.errors import Conflict, Invalid
from levelup.progress import services
from levelup.progress.forms import EnrollmentForm, PauseForm
from levelup.progress.models import Enrollment, Pause
from levelup.roadmaps.effort import merged_spans, paused_days

RANGE = "must be between 2000-01-01 and 2100-12-31"
FAR = [date(1, 1, 1), date(1999, 12, 31), date(2101, 1, 1), date(9999, 12, 31)]


@pytest.mark.parametrize("day", FAR)
def test_an_enrollment_outside_the_range_is_refused_naming_the_start_date(
    tiny: Any, alice: Any, day: date
) -> None:
    with pytest.raises(Invalid) as refused:
        services.enrollment_create(user=alice, roadmap_slug="tiny", start_date=day)
    assert refused.value.errors == [
        {"field": "start_date", "message": f"{RANGE} (got {day.isoformat()})"}
    ]
    assert not Enrollment.objects.exists()


def test_the_ends_of_the_range_are_inside_it(tiny: Any, alice: Any, bob: Any) -> None:
    first = services.enrollment_create(user=alice, roadmap_slug="tiny", start_date=EARLIEST_DAY)
    last = services.enrollment_create(user=bob, roadmap_slug="tiny", start_date=LATEST_DAY)
    assert (first.start_date, last.start_date) == (EARLIEST_DAY, LATEST_DAY)


def test_a_target_outside_the_range_is_refused_naming_its_field(enrollment: Enrollment) -> None:
    with pytest.raises(Invalid) as refused:
        services.enrollment_update(enrollment=enrollment, target_finish=date(9999, 12, 31))
    assert refused.value.errors[0]["field"] == "target_finish"
    late = services.enrollment_create(
        user=enrollment.user.__class__.objects.create(username="late"),
        roadmap_slug="tiny",
        start_date=date(2100, 1, 1),
    )
    with pytest.raises(Invalid) as months:
        services.enrollment_update(enrollment=late, target_months=24)
    assert months.value.errors[0]["field"] == "target_months"
    assert "after 2100-12-31" in months.value.errors[0]["message"]
    late.refresh_from_db()
    assert late.target_finish is None


@pytest.mark.parametrize(("field", "day"), [("start_date", date(9999, 12, 31))])
def test_moving_the_start_outside_the_range_is_refused(
    enrollment: Enrollment, field: str, day: date
) -> None:
    with pytest.raises(Invalid) as refused:
        services.enrollment_update(enrollment=enrollment, start_date=day)
    assert refused.value.errors[0]["field"] == field
    enrollment.refresh_from_db()
    assert enrollment.start_date == date(2026, 1, 1)


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (date(9999, 12, 31), None, "start_date"),
        (date(2026, 2, 1), date(9999, 12, 31), "end_date"),
        (date(2025, 12, 31), date(2026, 1, 10), "start_date"),  # before the enrollment
    ],
)
def test_a_pause_outside_the_enrollments_life_is_refused_naming_the_field(
    enrollment: Enrollment, start: date, end: date | None, field: str
) -> None:
    with pytest.raises(Invalid) as refused:
        services.enrollment_pause(enrollment=enrollment, start_date=start, end_date=end)
    assert refused.value.errors[0]["field"] == field
    assert not enrollment.pauses.exists()


def test_the_start_cannot_move_past_the_first_pause(enrollment: Enrollment) -> None:
    services.enrollment_pause(
        enrollment=enrollment, start_date=date(2026, 2, 1), end_date=date(2026, 2, 5)
    )
    with pytest.raises(Invalid) as refused:
        services.enrollment_update(enrollment=enrollment, start_date=date(2026, 3, 1))
    assert refused.value.errors[0]["field"] == "start_date"
    assert "2026-02-01" in refused.value.errors[0]["message"]


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (date(2026, 2, 3), date(2026, 2, 4), "start_date"),  # inside
        (date(2026, 1, 20), date(2026, 2, 1), "end_date"),  # runs into it
        (date(2026, 1, 20), date(2026, 3, 1), "end_date"),  # around it
        (date(2026, 1, 20), None, "end_date"),  # open, so it would run on through it
    ],
)
def test_overlapping_pauses_are_refused_naming_the_other_pause(
    enrollment: Enrollment, start: date, end: date | None, field: str
) -> None:
    services.enrollment_pause(
        enrollment=enrollment, start_date=date(2026, 2, 1), end_date=date(2026, 2, 5)
    )
    with pytest.raises(Conflict) as refused:
        services.enrollment_pause(enrollment=enrollment, start_date=start, end_date=end)
    assert refused.value.errors[0]["field"] == field
    assert "overlaps the pause from 2026-02-01 to 2026-02-05" in refused.value.message
    assert enrollment.pauses.count() == 1


def test_pauses_that_touch_without_overlapping_are_fine(enrollment: Enrollment) -> None:
    services.enrollment_pause(
        enrollment=enrollment, start_date=date(2026, 2, 1), end_date=date(2026, 2, 5)
    )
    services.enrollment_pause(
        enrollment=enrollment, start_date=date(2026, 2, 6), end_date=date(2026, 2, 6)
    )
    assert enrollment.pauses.count() == 2


def test_an_enrollment_holds_at_most_max_pauses(enrollment: Enrollment) -> None:
    Pause.objects.bulk_create(
        Pause(enrollment=enrollment, start_date=day, end_date=day)
        for day in (date(2026, 1, 1) + timedelta(days=2 * n) for n in range(services.MAX_PAUSES))
    )
    with pytest.raises(Conflict) as refused:
        services.enrollment_pause(
            enrollment=enrollment, start_date=date(2030, 1, 1), end_date=date(2030, 1, 2)
        )
    assert f"{services.MAX_PAUSES} pauses" in refused.value.message
    assert enrollment.pauses.count() == services.MAX_PAUSES


def test_the_database_refuses_a_pause_that_ends_before_it_starts(enrollment: Enrollment) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Pause.objects.create(
            enrollment=enrollment, start_date=date(2026, 2, 5), end_date=date(2026, 2, 1)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Pause.objects.create(enrollment=enrollment, start_date=date(1, 1, 1))


# --- forms, pages and the API -----------------------------------------------------------


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "2101-01-01"])
def test_the_forms_say_the_range(value: str) -> None:
    form = EnrollmentForm(
        {"start_date": value, "weekly_hours": "5", "study_days": ["0"], "target_finish": value}
    )
    assert not form.is_valid()
    for field in ("start_date", "target_finish"):
        assert RANGE in form.errors[field][0]
    pause = PauseForm({"start_date": value, "end_date": value})
    assert not pause.is_valid()
    assert RANGE in pause.errors["start_date"][0] and RANGE in pause.errors["end_date"][0]


def test_the_api_refuses_a_far_pause_naming_the_field(enrollment: Enrollment, api_for: Any) -> None:
    api = api_for(enrollment.user)
    paused = api.post(f"/api/v1/enrollments/{enrollment.pk}/pause", {"start_date": "9999-12-31"})
    assert paused.status_code == 422
    assert paused.json()["errors"][0]["field"] == "start_date"
    assert not enrollment.pauses.exists()


def test_an_enrollment_far_in_the_past_is_refused_by_the_api(
    tiny: Any, alice: Any, api_for: Any
) -> None:
    response = api_for(alice).post(
        "/api/v1/enrollments", {"roadmap": "tiny", "start_date": "0001-01-01"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "start_date"
    assert RANGE in response.json()["errors"][0]["message"]


@pytest.mark.parametrize("week", ["9999-W52", "0001-W01"])
def test_a_far_week_on_the_journal_page_is_a_clear_refusal(
    enrollment: Enrollment, web_for: Any, week: str
) -> None:
    page = web_for(enrollment.user).get(reverse("journal:week"), {"week": week})
    assert page.status_code == 404


@pytest.mark.parametrize("week", ["9999-W52", "0001-W01"])
def test_a_far_week_in_the_api_names_the_week_field(
    enrollment: Enrollment, api_for: Any, week: str
) -> None:
    response = api_for(enrollment.user).get(
        f"/api/v1/enrollments/{enrollment.pk}/weekly-review", {"week": week}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "week"


@time_machine.travel("2026-03-10 12:00Z")
def test_a_session_start_time_with_a_time_zone_is_refused_and_nothing_is_written(
    enrollment: Enrollment,
) -> None:
    aware = dt.time(18, 30, tzinfo=dt.UTC)
    with pytest.raises(Invalid) as refused:
        study_session_log(enrollment=enrollment, minutes=30, category="theory", start_time=aware)
    assert refused.value.errors[0]["field"] == "start_time"
    assert not enrollment.study_sessions.exists()


# --- interval arithmetic -----------------------------------------------------------------


def naive_streaks(
    daily: dict[date, int],
    pauses: list[tuple[date, date | None]],
    study_days: set[int],
    today: date,
    week_start: int,
    weekly_min: int,
) -> tuple[int, int, int, int]:
    """The streak rules walked day by day over a set of paused days: the reference."""
    studied = {d for d, m in daily.items() if m > 0 and d <= today}
    if not studied:
        return (0, 0, 0, 0)
    first = min(studied)
    paused = set()
    for start, end in pauses:
        day = max(start, first)
        while day <= min(end or today, today):
            paused.add(day)
            day += timedelta(days=1)
    run = longest = 0
    day = first
    while day <= today:
        if day in studied:
            run += 1
            longest = max(longest, run)
        elif not (day in paused or day.weekday() not in study_days or day == today):
            run = 0
        day += timedelta(days=1)
    daily_pair = (run, longest)
    totals: dict[date, int] = {}
    for d, m in daily.items():
        if d <= today:
            totals[week_start_date(d, week_start)] = (
                totals.get(week_start_date(d, week_start), 0) + m
            )
    paused_weeks = {week_start_date(d, week_start) for d in paused}
    current = week_start_date(today, week_start)
    run = longest = 0
    week = week_start_date(first, week_start)
    while week <= current:
        if totals.get(week, 0) >= max(weekly_min, 1):
            run += 1
            longest = max(longest, run)
        elif not (week in paused_weeks or week == current):
            run = 0
        week += timedelta(weeks=1)
    return (*daily_pair, run, longest)


days_near = st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 6, 30))


@settings(max_examples=200, deadline=None)
@given(
    studied=st.dictionaries(days_near, st.integers(min_value=0, max_value=120), max_size=40),
    pauses=st.lists(
        st.tuples(days_near, st.one_of(st.none(), st.integers(min_value=0, max_value=40))),
        max_size=6,
    ),
    study_days=st.sets(st.integers(min_value=0, max_value=6), min_size=1),
    today=days_near,
    week_start=st.sampled_from([0, 5, 6]),
    weekly_min=st.sampled_from([0, 60, 150]),
)
def test_streaks_by_interval_arithmetic_match_the_day_by_day_rules(
    studied: dict[date, int],
    pauses: list[tuple[date, int | None]],
    study_days: set[int],
    today: date,
    week_start: int,
    weekly_min: int,
) -> None:
    spans = [(start, None if n is None else start + timedelta(days=n)) for start, n in pauses]
    got = compute_streaks(
        daily_minutes=studied,
        pauses=spans,
        study_days=study_days,
        today=today,
        week_start=week_start,
        weekly_min_minutes=weekly_min,
    )
    expected = naive_streaks(studied, spans, study_days, today, week_start, weekly_min)
    assert (got.daily_current, got.daily_longest, got.weekly_current, got.weekly_longest) == (
        expected
    )


@given(
    spans=st.lists(
        st.tuples(days_near, st.integers(min_value=-2, max_value=30)).map(
            lambda s: (s[0], s[0] + timedelta(days=s[1]))
        ),
        max_size=8,
    ),
    start=days_near,
    length=st.integers(min_value=-3, max_value=120),
)
def test_paused_days_by_subtraction_match_counting_each_day(
    spans: list[tuple[date, date]], start: date, length: int
) -> None:
    end = start + timedelta(days=length)
    covered = {s + timedelta(days=i) for s, e in spans for i in range((e - s).days + 1) if e >= s}
    expected = sum(1 for d in covered if start <= d < end)
    assert paused_days(spans, start, end) == expected
    merged = merged_spans(spans)
    assert all(a[1] + timedelta(days=1) < b[0] for a, b in pairwise(merged))

"""The weekly review on local dates: DST weeks, late-evening sessions, week starts,
pauses, and pinned query counts."""

from __future__ import annotations

import datetime as dt

import pytest

from levelup.journal import selectors, services
from levelup.journal.models import StudySession
from levelup.progress.models import Pause

UTC = dt.UTC


def at(api, enrollment, when, time_machine, **body):
    """Log a session through the API at a frozen instant, with no date: the server picks
    the learner's local today."""
    time_machine.move_to(when, tick=False)
    body.setdefault("category", "theory")
    response = api.post(f"/api/v1/enrollments/{enrollment.pk}/sessions", body)
    assert response.status_code == 201, response.content
    return response.json()


def review(api, enrollment, week):
    response = api.get(f"/api/v1/enrollments/{enrollment.pk}/weekly-review", {"week": week})
    assert response.status_code == 200, response.content
    return response.json()


def test_a_week_spanning_the_new_york_spring_change_totals_correctly(
    bob, enroll, api_for, time_machine
):
    # Clocks went forward on Sunday 8 March 2026 in New York.
    enrollment = enroll(bob)
    api = api_for(bob)
    at(api, enrollment, dt.datetime(2026, 3, 2, 14, 0, tzinfo=UTC), time_machine, minutes=60)  # Mon
    # 23:30 EST on Saturday 7th = 04:30 UTC on the 8th.
    at(api, enrollment, dt.datetime(2026, 3, 8, 4, 30, tzinfo=UTC), time_machine, minutes=45)
    # 23:30 EDT on Sunday 8th = 03:30 UTC on Monday 9th: still week 10 locally.
    body = at(api, enrollment, dt.datetime(2026, 3, 9, 3, 30, tzinfo=UTC), time_machine, minutes=30)
    assert body["date"] == "2026-03-08"
    # 00:30 EDT on Monday 9th = 04:30 UTC: week 11.
    at(api, enrollment, dt.datetime(2026, 3, 9, 4, 30, tzinfo=UTC), time_machine, minutes=20)

    w10 = review(api, enrollment, "2026-W10")
    assert (w10["start"], w10["end"]) == ("2026-03-02", "2026-03-08")
    assert w10["total_minutes"] == 135
    assert [d["minutes"] for d in w10["days"]] == [60, 0, 0, 0, 0, 45, 30]
    assert review(api, enrollment, "2026-W11")["total_minutes"] == 20


def test_a_week_spanning_the_berlin_spring_change_totals_correctly(
    alice, enroll, api_for, time_machine
):
    # Clocks went forward on Sunday 29 March 2026 in Berlin.
    enrollment = enroll(alice)
    api = api_for(alice)
    # 00:30 CET on Monday 23rd = 23:30 UTC on Sunday 22nd: week 13 locally.
    at(api, enrollment, dt.datetime(2026, 3, 22, 23, 30, tzinfo=UTC), time_machine, minutes=40)
    # 01:30 CET on Sunday 29th, just before the change = 00:30 UTC.
    at(api, enrollment, dt.datetime(2026, 3, 29, 0, 30, tzinfo=UTC), time_machine, minutes=50)
    # 00:30 CEST on Monday 30th = 22:30 UTC on Sunday 29th: week 14 locally.
    body = at(
        api, enrollment, dt.datetime(2026, 3, 29, 22, 30, tzinfo=UTC), time_machine, minutes=25
    )
    assert body["date"] == "2026-03-30"

    w13 = review(api, enrollment, "2026-W13")
    assert w13["total_minutes"] == 90
    assert w13["days"][0] == {"date": "2026-03-23", "minutes": 40}
    assert review(api, enrollment, "2026-W14")["total_minutes"] == 25


def test_a_session_at_half_past_eleven_at_night_counts_on_that_local_day(
    alice, enroll, api_for, time_machine
):
    enrollment = enroll(alice)
    api = api_for(alice)
    # 23:30 CEST on Sunday 5 July 2026 = 21:30 UTC.
    body = at(
        api,
        enrollment,
        dt.datetime(2026, 7, 5, 21, 30, tzinfo=UTC),
        time_machine,
        minutes=30,
        start_time="23:30",
    )
    assert (body["date"], body["start_time"]) == ("2026-07-05", "23:30:00")
    week = review(api, enrollment, "2026-W27")
    assert week["days"][-1] == {"date": "2026-07-05", "minutes": 30}


@pytest.mark.parametrize(
    ("week_start", "first", "total"), [(0, "2026-03-09", 95), (6, "2026-03-08", 100)]
)
def test_week_start_monday_and_sunday_both_work(
    make_user, enroll, time_machine, week_start, first, total
):
    time_machine.move_to(dt.datetime(2026, 3, 20, 12, tzinfo=UTC), tick=False)
    user = make_user("carol", time_zone="Europe/London", week_start=week_start)
    enrollment = enroll(user)
    for day, minutes in [(8, 10), (9, 20), (14, 70), (15, 5)]:
        services.study_session_log(
            enrollment=enrollment, minutes=minutes, category="theory", date=dt.date(2026, 3, day)
        )
    found = selectors.weekly_review(enrollment, "2026-W11")
    assert found["start"].isoformat() == first
    assert found["total_minutes"] == total
    assert found["start"].weekday() == week_start


def test_the_review_compares_each_category_with_its_target(mine, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 13, 12, tzinfo=UTC), tick=False)
    for category, minutes in [("theory", 150), ("projects", 30), ("review", 90)]:
        services.study_session_log(
            enrollment=mine, minutes=minutes, category=category, date=dt.date(2026, 3, 10)
        )
    services.study_session_log(
        enrollment=mine,
        minutes=10,
        category="theory",
        date=dt.date(2026, 3, 11),
        item_key="topic:alpha",
    )
    for n in range(5):
        services.practice_problem_log(
            enrollment=mine,
            platform="leetcode",
            title=f"P{n}",
            difficulty="easy",
            outcome="solved",
            date=dt.date(2026, 3, 12),
        )
    found = selectors.weekly_review(mine)
    statuses = {
        c["slug"]: (c["minutes"], c["min_minutes"], c["max_minutes"], c["status"])
        for c in found["categories"]
    }
    assert statuses == {
        "theory": (160, 120, 180, "within"),
        "projects": (30, 60, 120, "under"),
        "review": (90, 60, 60, "over"),
    }
    assert (
        found["total_minutes"],
        found["min_minutes"],
        found["max_minutes"],
        found["status"],
    ) == (
        280,
        240,
        360,
        "within",
    )
    assert found["items"] == [{"key": "topic:alpha", "title": "Alpha", "minutes": 10}]
    assert found["practice"] == {"count": 5, "solved": 5, "min": 3, "max": 4, "status": "over"}


def test_practice_minutes_are_counted_once(mine, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 13, 12, tzinfo=UTC), tick=False)
    services.practice_problem_log(
        enrollment=mine,
        platform="hackerrank",
        title="Trees",
        difficulty="hard",
        outcome="not_solved",
        minutes=40,
        date=dt.date(2026, 3, 12),
    )
    found = selectors.weekly_review(mine)
    assert found["total_minutes"] == 40
    assert found["practice"]["count"] == 1


def test_paused_weeks_keep_the_streaks(mine, time_machine):
    time_machine.move_to(dt.datetime(2026, 4, 15, 12, tzinfo=UTC), tick=False)
    day = dt.date(2026, 3, 2)
    while day <= dt.date(2026, 4, 14):
        if not dt.date(2026, 3, 16) <= day <= dt.date(2026, 3, 29):
            services.study_session_log(enrollment=mine, minutes=40, category="theory", date=day)
        day += dt.timedelta(days=1)
    Pause.objects.create(
        enrollment=mine, start_date=dt.date(2026, 3, 16), end_date=dt.date(2026, 3, 29)
    )
    found = selectors.weekly_review(mine)["streaks"]
    # Weeks of 2, 9 March, then 30 March, 6 April (weekly minimum 240 min, 7 × 40 = 280).
    assert found["weekly_current"] == 4
    assert found["daily_current"] == 14 + 16
    assert selectors.weekly_review(mine, "2026-W12")["paused"] is True

    Pause.objects.all().delete()
    found = selectors.weekly_review(mine)["streaks"]
    assert found["weekly_current"] == 2 and found["daily_current"] == 16


def _fill(enrollment, weeks):
    sessions = []
    for n in range(weeks * 7):
        day = dt.date(2026, 3, 20) - dt.timedelta(days=n)
        for category in ("theory", "projects"):
            sessions.append(
                StudySession(
                    enrollment=enrollment,
                    date=day,
                    minutes=30,
                    category=category,
                    item_key="topic:alpha",
                    fingerprint="x",
                )
            )
    StudySession.objects.bulk_create(sessions)


@pytest.mark.parametrize("weeks", [1, 60])
def test_the_weekly_review_takes_four_queries_whatever_the_data(
    mine, time_machine, django_assert_num_queries, weeks
):
    time_machine.move_to(dt.datetime(2026, 3, 20, 12, tzinfo=UTC), tick=False)
    _fill(mine, weeks)
    with django_assert_num_queries(4):
        found = selectors.weekly_review(mine)
    assert found["total_minutes"] == 5 * 60  # Monday 16th to Friday 20th, 60 min a day
    with django_assert_num_queries(2):
        chart = selectors.weekly_chart_data(mine)
    assert len(chart["bars"]) == 12


@pytest.mark.parametrize("weeks", [1, 30])
def test_the_weekly_review_endpoint_query_count_is_pinned(
    alice, mine, api_for, time_machine, django_assert_num_queries, weeks
):
    time_machine.move_to(dt.datetime(2026, 3, 20, 12, tzinfo=UTC), tick=False)
    _fill(mine, weeks)
    api = api_for(alice)
    # token lookup, token last-used update, enrollment, then the four of the review
    with django_assert_num_queries(7):
        response = api.get(f"/api/v1/enrollments/{mine.pk}/weekly-review")
    assert response.status_code == 200

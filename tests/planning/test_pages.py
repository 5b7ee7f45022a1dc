"""The plan page: timeline, this week, finish in words, warnings, settings form."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from levelup.accounts.models import User
from levelup.progress.models import Enrollment, ItemProgress, Pause

from .conftest import START

NOW = "2026-02-18T11:00:00+00:00"


def _page(client: Any, enrollment: Enrollment) -> str:
    response = client.get(f"/plan/{enrollment.pk}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("path", ["/plan/{}/", "/plan/{}/settings/", "/plan/{}/calendar/"])
def test_only_the_owner_reaches_the_plan_pages(
    path: str,
    enrollment: Enrollment,
    alice: User,
    bob: User,
    staff: User,
    web_for: Callable[..., Any],
) -> None:
    url = path.format(enrollment.pk)
    post = path != "/plan/{}/"
    send = (lambda c: c.post(url, {"action": "create"})) if post else (lambda c: c.get(url))
    anonymous = send(web_for(None))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert send(web_for(bob)).status_code == 404
    assert send(web_for(staff)).status_code == 404
    assert send(web_for(alice)).status_code in (200, 302)


def test_the_menus_plan_link_leads_each_user_to_their_own_plan(
    enrollment: Enrollment,
    bob_enrollment: Enrollment,
    alice: User,
    bob: User,
    staff: User,
    web_for: Callable[..., Any],
) -> None:
    anonymous = web_for(None).get("/plan/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert web_for(alice).get("/plan/")["Location"] == f"/plan/{enrollment.pk}/"
    assert web_for(bob).get("/plan/")["Location"] == f"/plan/{bob_enrollment.pk}/"
    # Staff without an enrollment of their own are sent to enroll, not to anyone's plan.
    response = web_for(staff).get("/plan/", follow=True)
    assert response.redirect_chain[-1][0] == "/dashboard/"
    assert "Enroll in a roadmap first" in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_page_draws_the_timeline_with_phases_today_and_checkpoints(
    enrollment: Enrollment, alice: User, web_for: Callable[..., Any]
) -> None:
    ItemProgress.objects.create(
        enrollment=enrollment,
        item_key="topic:html-css-refresher",
        status="done",
        started_at="2026-01-06T18:00:00+00:00",
        completed_at="2026-02-03T18:00:00+00:00",
    )
    html = _page(web_for(alice), enrollment)
    svg = re.search(r'<svg class="timeline plan-timeline".*?</svg>', html, re.S)
    assert svg is not None
    picture = svg.group(0)
    for colour in range(1, 6):
        assert f'class="plan-row phase-{colour}"' in picture
    assert picture.count('class="plan-nominal"') == picture.count('class="plan-row ')
    assert 'class="tl-bar plan-planned"' in picture
    assert picture.count('class="plan-actual"') == 1  # only the finished refresher
    assert picture.count('class="plan-checkpoint"') == 4
    assert 'class="tl-today"' in picture
    assert 'role="img"' in picture and "<desc" in picture
    # The text equivalent lists every item with its dates.
    assert "The timeline as a table" in html
    assert "Tue 6 Jan 2026 – Tue 3 Feb 2026" in html  # when the refresher was actually worked on
    assert "style=" not in html.split("<main", 1)[-1] and "<script>" not in html


@time_machine.travel(NOW, tick=False)
def test_the_page_says_the_finish_this_week_and_why_there_is_no_forecast(
    enrollment: Enrollment, alice: User, web_for: Callable[..., Any]
) -> None:
    html = _page(web_for(alice), enrollment)
    assert re.search(r"At 12.5 h a week you finish on \d+ \w+ 20\d\d\.", html)
    assert "No forecast from your recent weeks" in html  # six idle weeks so far
    assert "This week (from Mon 16 Feb 2026)" in html
    assert re.search(r"of 10\.3 h for items", html)
    assert "6 weeks behind" in html


@time_machine.travel(NOW, tick=False)
def test_the_page_says_when_the_forecast_will_come(
    enrollment: Enrollment, alice: User, web_for: Callable[..., Any]
) -> None:
    enrollment.start_date = START + timedelta(weeks=4)
    enrollment.save()
    html = _page(web_for(alice), enrollment)
    assert "appears after 4 full weeks of study since your start (you have 2 so far)" in html


@time_machine.travel(NOW, tick=False)
def test_the_page_gives_the_forecast_once_there_is_history(
    enrollment: Enrollment,
    alice: User,
    web_for: Callable[..., Any],
    log_session: Callable[..., Any],
) -> None:
    for week in range(6):
        log_session(enrollment, START + timedelta(weeks=week, days=2), 9 * 60)
    html = _page(web_for(alice), enrollment)
    assert re.search(
        r"on your recent weeks, probably by \d+ \w+ 20\d\d \(50%\) and almost surely by "
        r"\d+ \w+ 20\d\d \(85%\)",
        html,
    )


@time_machine.travel(NOW, tick=False)
def test_the_page_shows_warnings(
    enrollment: Enrollment, alice: User, web_for: Callable[..., Any]
) -> None:
    ItemProgress.objects.create(
        enrollment=enrollment, item_key="topic:mentoring-communication", status="in_progress"
    )
    html = _page(web_for(alice), enrollment)
    assert 'data-code="phase_order"' in html


@time_machine.travel(NOW, tick=False)
def test_saving_weekly_hours_and_a_pause_replans(
    enrollment: Enrollment, alice: User, web_for: Callable[..., Any]
) -> None:
    client = web_for(alice)
    before = re.search(r"you finish on ([^;.]+)", _page(client, enrollment))
    response = client.post(
        f"/plan/{enrollment.pk}/settings/",
        {"weekly_hours": "10", "pause_start": "2026-03-02", "pause_end": "2026-03-29"},
    )
    assert response.status_code == 302
    enrollment.refresh_from_db()
    assert enrollment.weekly_hours == Decimal("10")
    assert Pause.objects.filter(enrollment=enrollment).count() == 1
    after = re.search(r"you finish on ([^;.]+)", _page(client, enrollment))
    assert before and after and before.group(1) != after.group(1)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"weekly_hours": "0"}, "weekly_hours"),
        ({"weekly_hours": "41"}, "weekly_hours"),
        ({"weekly_hours": "many"}, "weekly_hours"),
        ({"pause_start": "2026-03-10", "pause_end": "2026-03-02"}, "pause_end"),
        (
            {"weekly_hours": "9", "pause_start": "2026-03-10", "pause_end": "2026-03-02"},
            "pause_end",
        ),
        ({"pause_end": "2026-03-02"}, "pause_start"),
    ],
)
def test_bad_settings_name_the_field_and_write_nothing(
    data: dict[str, str],
    field: str,
    enrollment: Enrollment,
    alice: User,
    web_for: Callable[..., Any],
) -> None:
    response = web_for(alice).post(f"/plan/{enrollment.pk}/settings/", data)
    assert response.status_code == 422
    assert f'data-field="{field}"' in response.content.decode()
    enrollment.refresh_from_db()
    assert enrollment.weekly_hours == Decimal("12.5")
    assert not Pause.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_the_page_takes_a_pinned_number_of_queries_whatever_the_history(
    enrollment: Enrollment,
    alice: User,
    web_for: Callable[..., Any],
    log_session: Callable[..., Any],
    django_assert_num_queries: Any,
) -> None:
    client = web_for(alice)
    client.get(f"/plan/{enrollment.pk}/")
    # Session and user, the enrollment, the adapter's four, the feed, the pauses list,
    # the booked exams.
    expected = 10
    with django_assert_num_queries(expected):
        _page(client, enrollment)
    for day in range(150):
        log_session(enrollment, START + timedelta(days=day % 44), 30, "topic:html-css-refresher")
    ItemProgress.objects.create(
        enrollment=enrollment, item_key="topic:html-css-refresher", status="in_progress"
    )
    Pause.objects.create(enrollment=enrollment, start_date=START, end_date=START)
    with django_assert_num_queries(expected):
        _page(client, enrollment)


@time_machine.travel(NOW, tick=False)
def test_a_booked_exam_shows_on_the_timeline_and_in_its_list(
    enrollment: Enrollment, alice: User, bob: User, web_for: Callable[..., Any]
) -> None:
    from levelup.resources.services import certification_add

    exam_day = START + timedelta(days=200)
    certification_add(user=alice, title="CKAD", status="booked", exam_date=exam_day)
    certification_add(user=alice, title="Someday cert", status="planned")
    certification_add(user=bob, title="Bob's exam", status="booked", exam_date=exam_day)
    html = _page(web_for(alice), enrollment)
    svg = re.search(r'<svg class="timeline plan-timeline".*?</svg>', html, re.S)
    assert svg is not None
    assert svg.group(0).count('class="plan-exam"') == 1
    assert "Exam: CKAD" in svg.group(0)
    listed = re.search(r'<ul id="plan-exams">(.*?)</ul>', html, re.S)
    assert listed is not None
    assert "CKAD" in listed.group(1) and "Someday cert" not in listed.group(1)
    assert "Bob" not in html

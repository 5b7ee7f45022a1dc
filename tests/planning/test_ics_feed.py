"""The private calendar feed: made, regenerated and turned off on the plan page."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

import icalendar
import pytest
import time_machine

from levelup.accounts.models import User
from levelup.planning.models import CalendarFeed
from levelup.progress.models import Enrollment, Pause

# Wednesday 18 February 2026, noon in Berlin.
NOW = "2026-02-18T11:00:00+00:00"
TODAY = date(2026, 2, 18)


def _make_feed(client: Any, enrollment: Enrollment, action: str = "create") -> str:
    """Make (or regenerate) the feed; return the path the page shows once."""
    response = client.post(f"/plan/{enrollment.pk}/calendar/", {"action": action}, follow=True)
    assert response.status_code == 200
    found = re.search(
        r'value="http://testserver(/calendar/[A-Za-z0-9_-]+\.ics)"', response.content.decode()
    )
    assert found is not None
    return found.group(1)


def _calendar(client: Any, path: str) -> icalendar.Calendar:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def _events(calendar: icalendar.Calendar) -> list[Any]:
    return [c for c in calendar.walk("VEVENT")]


@time_machine.travel(NOW, tick=False)
def test_the_feed_holds_study_blocks_in_the_learners_zone_and_all_day_checkpoints(
    enrollment: Enrollment, alice: User, web_for: Callable[..., Any]
) -> None:
    path = _make_feed(web_for(alice), enrollment)
    assert CalendarFeed.objects.get(enrollment=enrollment).secret_hash not in path
    calendar = _calendar(web_for(None), path)
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Berlin"
    events = _events(calendar)
    blocks = [e for e in events if isinstance(e.decoded("dtstart"), datetime)]
    checkpoints = [e for e in events if not isinstance(e.decoded("dtstart"), datetime)]
    assert blocks and len(checkpoints) == 4
    starts = {e.decoded("dtstart").time() for e in blocks}
    # The built-in routine: weekday mornings 07:00 and evenings 19:00, weekends 10:00.
    assert starts == {time(7), time(19), time(10)}
    for event in blocks:
        assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
        start = event.decoded("dtstart")
        assert str(start.tzinfo) == "Europe/Berlin"
        # Default study days Monday–Saturday; weekend slot on Saturday only.
        assert start.weekday() in range(6)
        assert (start.time() == time(10)) == (start.weekday() == 5)
        assert TODAY <= start.date() < TODAY + timedelta(weeks=9)
        assert str(event["SUMMARY"]).split(":")[0] in {"Morning", "Evening", "Weekend"}
    # Weekday mornings study reading: they name topics; summaries name real items.
    morning = next(e for e in blocks if e.decoded("dtstart").time() == time(7))
    assert "Data Structures & Algorithms" in str(morning["SUMMARY"])
    for event in checkpoints:
        assert type(event.decoded("dtstart")) is date
        assert event["DTSTART"].params.get("VALUE") == "DATE"
        assert str(event["SUMMARY"]).startswith("Checkpoint: ")
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids))


@time_machine.travel(NOW, tick=False)
def test_chosen_times_and_study_days_shape_the_blocks(
    enrollment: Enrollment, alice: User, web_for: Callable[..., Any]
) -> None:
    client = web_for(alice)
    path = _make_feed(client, enrollment)
    enrollment.study_days = [1, 3, 6]
    enrollment.save()
    response = client.post(
        f"/plan/{enrollment.pk}/calendar/",
        {"action": "times", "time_morning": "06:30", "time_evening": "20:15", "time_weekend": ""},
    )
    assert response.status_code == 302
    blocks = [
        e
        for e in _events(_calendar(web_for(None), path))
        if isinstance(e.decoded("dtstart"), datetime)
    ]
    seen = {(e.decoded("dtstart").weekday(), e.decoded("dtstart").time()) for e in blocks}
    assert seen == {
        (1, time(6, 30)),
        (1, time(20, 15)),
        (3, time(6, 30)),
        (3, time(20, 15)),
        (6, time(10)),
    }


@time_machine.travel(NOW, tick=False)
def test_no_blocks_fall_in_a_pause(
    enrollment: Enrollment, alice: User, web_for: Callable[..., Any]
) -> None:
    Pause.objects.create(
        enrollment=enrollment, start_date=date(2026, 2, 23), end_date=date(2026, 3, 1)
    )
    path = _make_feed(web_for(alice), enrollment)
    days = {
        e.decoded("dtstart").date()
        for e in _events(_calendar(web_for(None), path))
        if isinstance(e.decoded("dtstart"), datetime)
    }
    assert days and not any(date(2026, 2, 23) <= d <= date(2026, 3, 1) for d in days)


def test_a_wrong_secret_is_404(enrollment: Enrollment, web_for: Callable[..., Any]) -> None:
    assert web_for(None).get("/calendar/not-the-secret.ics").status_code == 404


def test_a_new_secret_revokes_the_old_and_turning_off_revokes_all(
    enrollment: Enrollment, alice: User, web_for: Callable[..., Any]
) -> None:
    client = web_for(alice)
    old = _make_feed(client, enrollment)
    assert web_for(None).get(old).status_code == 200
    new = _make_feed(client, enrollment, "regenerate")
    assert new != old
    assert web_for(None).get(old).status_code == 404
    assert web_for(None).get(new).status_code == 200
    assert CalendarFeed.objects.count() == 1
    client.post(f"/plan/{enrollment.pk}/calendar/", {"action": "delete"})
    assert web_for(None).get(new).status_code == 404


def test_the_address_is_shown_only_once(
    enrollment: Enrollment, alice: User, web_for: Callable[..., Any]
) -> None:
    client = web_for(alice)
    path = _make_feed(client, enrollment)
    again = client.get(f"/plan/{enrollment.pk}/").content.decode()
    assert path not in again
    assert "Make a new one" in again


@pytest.mark.parametrize("value", ["25:00", "7pm", "07:60"])
def test_bad_times_name_the_field_and_change_nothing(
    value: str, enrollment: Enrollment, alice: User, web_for: Callable[..., Any]
) -> None:
    client = web_for(alice)
    _make_feed(client, enrollment)
    response = client.post(
        f"/plan/{enrollment.pk}/calendar/",
        {"action": "times", "time_morning": "06:00", "time_evening": value},
    )
    assert response.status_code == 422
    assert 'data-field="time_evening"' in response.content.decode()
    assert CalendarFeed.objects.get(enrollment=enrollment).times == {}


@time_machine.travel(NOW, tick=False)
def test_the_feed_takes_a_pinned_number_of_queries(
    enrollment: Enrollment,
    alice: User,
    web_for: Callable[..., Any],
    log_session: Callable[..., Any],
    django_assert_num_queries: Any,
) -> None:
    path = _make_feed(web_for(alice), enrollment)
    anonymous = web_for(None)
    # The feed with its enrollment, user and version, then the adapter's four, then the
    # learner's booked exams.
    with django_assert_num_queries(6):
        anonymous.get(path)
    for day in range(100):
        log_session(enrollment, date(2026, 1, 5) + timedelta(days=day % 40), 45)
    with django_assert_num_queries(6):
        anonymous.get(path)

"""Cached reads: the same answers, a write visible on the very next read, 304s, and
nothing served to anyone but the owner."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from levelup.accounts.models import User
from levelup.journal.models import StudySession
from levelup.journal.services import sessions_import_csv, study_session_log
from levelup.planning.services import calendar_feed_create
from levelup.progress.models import Enrollment, ItemProgress
from levelup.progress.services import item_update
from levelup.readcache.models import EnrollmentStamp
from levelup.readcache.stamps import expected_triggers, installed_triggers, stamped_tables

CACHED_API = ("dashboard", "plan", "plan/this-week", "weekly-review", "progress", "streaks")


def stamp(enrollment: Enrollment) -> int:
    row = EnrollmentStamp.objects.filter(enrollment_id=enrollment.pk).first()
    return row.version if row else 0


def test_every_table_of_an_enrollment_has_its_trigger(db: Any) -> None:
    from django.db import connection

    tables = {table for table, _ in stamped_tables()}
    assert {
        "progress_enrollment",
        "progress_itemprogress",
        "progress_progressevent",
        "progress_pause",
        "journal_studysession",
        "journal_practiceproblem",
        "journal_journalentry",
        "planning_calendarfeed",
    } <= tables
    assert expected_triggers(connection.vendor) <= installed_triggers()


def test_every_kind_of_write_moves_the_stamp(enrollment: Enrollment) -> None:
    seen = [stamp(enrollment)]

    def moved() -> None:
        now = stamp(enrollment)
        assert now > seen[-1]
        seen.append(now)

    item_update(enrollment=enrollment, actor=enrollment.user, item_key="topic:alpha", status="done")
    moved()
    ItemProgress.objects.filter(enrollment=enrollment).update(notes="bulk update, no signals")
    moved()
    StudySession.objects.bulk_create(
        StudySession(enrollment=enrollment, date=enrollment.start_date, minutes=30,
                     category="theory", fingerprint=f"f{n}")
        for n in range(3)
    )  # fmt: skip
    moved()
    StudySession.objects.filter(enrollment=enrollment).delete()
    moved()
    Enrollment.objects.filter(pk=enrollment.pk).update(weekly_hours=7)
    moved()


def test_another_enrollments_writes_leave_this_stamp_alone(
    enrollment: Enrollment, bob: User
) -> None:
    other = Enrollment.objects.create(
        user=bob, roadmap=enrollment.roadmap, version=enrollment.version,
        start_date=enrollment.start_date, weekly_hours=10,
    )  # fmt: skip
    before = stamp(enrollment)
    study_session_log(enrollment=other, minutes=30, category="theory")
    assert stamp(enrollment) == before


@pytest.mark.parametrize("path", CACHED_API)
def test_a_write_is_visible_on_the_very_next_read(
    enrollment: Enrollment, api_for: Any, path: str, django_assert_max_num_queries: Any
) -> None:
    api = api_for(enrollment.user)
    url = f"/api/v1/enrollments/{enrollment.pk}/{path}"
    first = api.get(url)
    assert first.status_code == 200
    # Token, the enrollment with its stamp, the certifications: nothing of the computation.
    with django_assert_max_num_queries(3):
        again = api.get(url)
    assert again.status_code == 200
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]

    study_session_log(enrollment=enrollment, minutes=75, category="theory", item_key="topic:alpha")
    item_update(enrollment=enrollment, actor=enrollment.user, item_key="topic:alpha", status="done")
    after = api.get(url)
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]
    assert after.content != first.content
    # The answer equals one computed without any cache.
    from django.core.cache import cache

    cache.clear()
    assert api.get(url).content == after.content


def test_a_csv_import_shows_in_the_next_weekly_review(enrollment: Enrollment, api_for: Any) -> None:
    api = api_for(enrollment.user)
    url = f"/api/v1/enrollments/{enrollment.pk}/weekly-review"
    before = api.get(url).json()
    from django.utils import timezone

    today = timezone.now().astimezone(enrollment.user.zone).date()
    body = f"date,minutes,category\n{today},50,theory\n{today},40,review\n"
    # The import writes with bulk_create: no model signals, only the triggers see it.
    imported = sessions_import_csv(enrollment=enrollment, text=body)
    assert imported.created == 2
    after = api.get(url).json()
    assert after != before
    assert "90" in str(after) or "1.5" in str(after)


def test_an_unchanged_answer_is_a_304_and_a_changed_one_is_not(
    enrollment: Enrollment, api_for: Any, django_assert_max_num_queries: Any
) -> None:
    api = api_for(enrollment.user)
    url = f"/api/v1/enrollments/{enrollment.pk}/dashboard"
    first = api.get(url)
    assert first["Cache-Control"] == "private, no-cache"
    etag = first["ETag"]
    with django_assert_max_num_queries(3):
        same = api.get(url, headers={"If-None-Match": etag})
    assert same.status_code == 304
    assert same.content == b""
    item_update(enrollment=enrollment, actor=enrollment.user, item_key="topic:alpha", status="done")
    changed = api.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.json()["counts"]["done"] >= 1


def test_the_cache_answers_no_one_but_the_owner(
    enrollment: Enrollment, api_for: Any, web_for: Any, bob: User, staff: User
) -> None:
    url = f"/api/v1/enrollments/{enrollment.pk}/dashboard"
    owner = api_for(enrollment.user).get(url)
    assert owner.status_code == 200
    etag = owner["ETag"]
    for who in (bob, staff):
        other = api_for(who)
        assert other.get(url).status_code == 404
        assert other.get(url, headers={"If-None-Match": etag}).status_code == 404
    assert api_for(None).get(url).status_code == 401
    assert api_for(None).get(url, headers={"If-None-Match": etag}).status_code == 401
    page = web_for(None).get(reverse("dashboard:home"))
    assert page.status_code == 302
    # A token in the query string is refused, cache or not.
    token_in_url = api_for(enrollment.user).get(url + "?token=lvl_x")
    assert token_in_url.status_code == 401


def test_the_dashboard_page_is_cached_and_follows_writes(
    enrollment: Enrollment, web_for: Any, django_assert_max_num_queries: Any
) -> None:
    web = web_for(enrollment.user)
    url = reverse("dashboard:home")
    web.get(url)  # sets the CSRF cookie; an answer that sets cookies is not stored
    first = web.get(url)
    assert first.status_code == 200
    # Session, user, the enrollments with their stamps, the certifications.
    with django_assert_max_num_queries(4):
        again = web.get(url)
    assert again.content == first.content
    item_update(enrollment=enrollment, actor=enrollment.user, item_key="topic:alpha", status="done")
    after = web.get(url)
    assert after.content != first.content
    assert "Alpha" in after.content.decode()


def test_the_calendar_feed_is_cached_until_the_plan_changes(
    enrollment: Enrollment, client: Any, django_assert_max_num_queries: Any
) -> None:
    from levelup.planning.services import plan_settings_update

    _, secret = calendar_feed_create(enrollment=enrollment)
    url = reverse("planning:ics", args=[secret])
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_max_num_queries(3):
        again = client.get(url)
    assert again.content == first.content
    plan_settings_update(enrollment=enrollment, actor=enrollment.user, weekly_hours=3)
    after = client.get(url)
    assert after.content != first.content
    assert client.get(reverse("planning:ics", args=["wrong-secret"])).status_code == 404


def test_a_booked_exam_shows_in_the_cached_feed_and_plan_page_at_once(
    enrollment: Enrollment, client: Any, web_for: Any
) -> None:
    """Certifications belong to the user, not to an enrollment, so no stamp moves when
    one changes: the key carries them itself."""
    from datetime import timedelta

    from levelup.resources.services import certification_add, certification_update

    _, secret = calendar_feed_create(enrollment=enrollment)
    feed_url = reverse("planning:ics", args=[secret])
    browser = web_for(enrollment.user)
    plan_url = f"/plan/{enrollment.pk}/"
    assert b"CKAD" not in client.get(feed_url).content
    assert "CKAD" not in browser.get(plan_url).content.decode()
    exam_day = enrollment.start_date + timedelta(days=90)
    cert = certification_add(user=enrollment.user, title="CKAD")
    certification_update(certification=cert, status="booked", exam_date=exam_day)
    assert b"Exam: CKAD" in client.get(feed_url).content
    assert "Exam: CKAD" in browser.get(plan_url).content.decode()
    certification_update(certification=cert, status="planned", exam_date=None)
    assert b"CKAD" not in client.get(feed_url).content


def test_switched_off_it_answers_the_same_without_etags(
    enrollment: Enrollment, api_for: Any, settings: Any
) -> None:
    api = api_for(enrollment.user)
    url = f"/api/v1/enrollments/{enrollment.pk}/plan"
    cached = api.get(url)
    settings.READ_CACHE_ENABLED = False
    plain = api.get(url)
    assert plain.content == cached.content
    assert not plain.has_header("ETag")

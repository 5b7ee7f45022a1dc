"""Writes of the learner journey: enrollment, roll-up, ratings, notes, evidence."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from levelup.accounts.models import User
from levelup.lib.errors import Conflict, Invalid, NotFound
from levelup.progress import selectors, services
from levelup.progress.models import (
    Assessment,
    Enrollment,
    Evidence,
    ItemProgress,
    ProgressEvent,
)


def status_of(enrollment: Enrollment, key: str) -> str:
    row = ItemProgress.objects.filter(enrollment=enrollment, item_key=key).first()
    return row.status if row else "not_started"


# --- enrollment ------------------------------------------------------------------------


def test_enrolling_pins_the_current_version_and_defaults_to_the_middle_of_the_range(
    tiny: Any, alice: User
) -> None:
    roadmap, _ = tiny
    enrollment = services.enrollment_create(user=alice, roadmap_slug="tiny")
    assert enrollment.version_id == roadmap.current_version_id
    assert enrollment.weekly_hours == Decimal("5.0")  # tiny: 4-6 h
    assert enrollment.start_date == alice.local_today()


def test_a_past_start_date_is_allowed(tiny: Any, alice: User) -> None:
    enrollment = services.enrollment_create(
        user=alice, roadmap_slug="tiny", start_date=date(2020, 5, 1)
    )
    assert enrollment.start_date == date(2020, 5, 1)


def test_a_second_open_enrollment_in_the_same_roadmap_is_a_conflict(
    enrollment: Enrollment, alice: User
) -> None:
    with pytest.raises(Conflict) as info:
        services.enrollment_create(user=alice, roadmap_slug="tiny")
    assert info.value.extra["enrollment_id"] == enrollment.pk
    assert Enrollment.objects.filter(user=alice).count() == 1


def test_after_archiving_the_learner_may_enroll_again(enrollment: Enrollment, alice: User) -> None:
    services.enrollment_archive(enrollment=enrollment, actor=alice)
    again = services.enrollment_create(user=alice, roadmap_slug="tiny")
    assert again.pk != enrollment.pk


@pytest.mark.parametrize("hours", [0, 0.5, 41, "lots"])
def test_weekly_hours_outside_1_to_40_are_refused_naming_the_field(
    tiny: Any, alice: User, hours: Any
) -> None:
    with pytest.raises(Invalid) as info:
        services.enrollment_create(user=alice, roadmap_slug="tiny", weekly_hours=hours)
    assert info.value.errors[0]["field"] == "weekly_hours"
    assert not Enrollment.objects.exists()


def test_study_days_must_be_weekday_numbers(tiny: Any, alice: User) -> None:
    with pytest.raises(Invalid) as info:
        services.enrollment_create(user=alice, roadmap_slug="tiny", study_days=[0, 7])
    assert info.value.errors[0]["field"] == "study_days"


@time_machine.travel("2026-03-10 12:00Z")
def test_pause_and_resume_change_the_status_and_record_the_dates(
    enrollment: Enrollment, alice: User
) -> None:
    services.enrollment_pause(enrollment=enrollment, actor=alice, reason="moving house")
    enrollment.refresh_from_db()
    assert enrollment.status == "paused"
    with pytest.raises(Conflict):
        services.enrollment_pause(enrollment=enrollment, actor=alice)
    with time_machine.travel("2026-03-14 12:00Z"):
        services.enrollment_resume(enrollment=enrollment, actor=alice)
    enrollment.refresh_from_db()
    assert enrollment.status == "active"
    pause = enrollment.pauses.get()
    # Back on the 14th: the 13th was the pause's last day.
    assert (pause.start_date, pause.end_date, pause.reason) == (
        date(2026, 3, 10),
        date(2026, 3, 13),
        "moving house",
    )


@time_machine.travel("2026-03-10 12:00Z")
def test_a_pause_resumed_the_day_it_began_is_withdrawn(enrollment: Enrollment) -> None:
    services.enrollment_pause(enrollment=enrollment)
    services.enrollment_resume(enrollment=enrollment)
    enrollment.refresh_from_db()
    assert enrollment.status == "active"
    assert not enrollment.pauses.exists()


def test_a_pause_that_ends_before_it_starts_is_refused(enrollment: Enrollment) -> None:
    with pytest.raises(Invalid) as info:
        services.enrollment_pause(
            enrollment=enrollment, start_date=date(2026, 2, 10), end_date=date(2026, 2, 1)
        )
    assert info.value.errors[0]["field"] == "end_date"
    assert not enrollment.pauses.exists()


# --- roll-up ---------------------------------------------------------------------------


def test_ticking_every_subtopic_makes_the_topic_done(enrollment: Enrollment, alice: User) -> None:
    services.item_update(
        enrollment=enrollment, actor=alice, item_key="topic:alpha/one", status="done"
    )
    assert status_of(enrollment, "topic:alpha") == "in_progress"
    services.item_update(
        enrollment=enrollment, actor=alice, item_key="topic:alpha/two", status="done"
    )
    assert status_of(enrollment, "topic:alpha") == "done"
    roll_up = ProgressEvent.objects.get(item_key="topic:alpha", to_value="done")
    assert roll_up.actor == alice and roll_up.from_value == "in_progress"


def test_marking_a_topic_done_ticks_its_subtopics(enrollment: Enrollment, alice: User) -> None:
    services.item_update(
        enrollment=enrollment, actor=alice, item_key="topic:alpha/one", status="in_progress"
    )
    services.item_update(enrollment=enrollment, actor=alice, item_key="topic:alpha", status="done")
    assert status_of(enrollment, "topic:alpha/one") == "done"
    assert status_of(enrollment, "topic:alpha/two") == "done"


def test_undoing_a_subtopic_of_a_done_topic_sends_the_topic_back_to_in_progress(
    enrollment: Enrollment, alice: User
) -> None:
    services.item_update(enrollment=enrollment, actor=alice, item_key="topic:alpha", status="done")
    services.item_update(
        enrollment=enrollment, actor=alice, item_key="topic:alpha/two", status="not_started"
    )
    assert status_of(enrollment, "topic:alpha") == "in_progress"
    assert status_of(enrollment, "topic:alpha/one") == "done"


def test_undoing_a_topic_puts_its_subtopics_back_where_they_were(
    enrollment: Enrollment, alice: User
) -> None:
    services.item_update(
        enrollment=enrollment, actor=alice, item_key="topic:alpha/one", status="in_progress"
    )
    services.item_update(enrollment=enrollment, actor=alice, item_key="topic:alpha", status="done")
    services.item_update(
        enrollment=enrollment, actor=alice, item_key="topic:alpha", status="in_progress"
    )
    assert status_of(enrollment, "topic:alpha/one") == "in_progress"
    assert status_of(enrollment, "topic:alpha/two") == "not_started"


def test_every_change_is_an_event_with_who_when_from_and_to(
    enrollment: Enrollment, alice: User
) -> None:
    with time_machine.travel("2026-02-01 09:00Z"):
        services.item_update(
            enrollment=enrollment,
            actor=alice,
            item_key="topic:beta",
            status="in_progress",
            rating=2,
        )
    events = {e.kind: e for e in ProgressEvent.objects.filter(item_key="topic:beta")}
    assert (events["status"].from_value, events["status"].to_value) == (
        "not_started",
        "in_progress",
    )
    assert (events["rating"].from_value, events["rating"].to_value) == ("", "2")
    assert events["status"].actor == alice
    assert events["status"].created_at.isoformat().startswith("2026-02-01T09:00")


# --- validation ------------------------------------------------------------------------


def test_an_unknown_item_key_is_not_found_naming_the_key(
    enrollment: Enrollment, alice: User
) -> None:
    with pytest.raises(NotFound) as info:
        services.item_update(
            enrollment=enrollment, actor=alice, item_key="topic:nope", status="done"
        )
    assert "topic:nope" in info.value.message


@pytest.mark.parametrize(
    ("field", "value"), [("status", "finished"), ("rating", 5), ("rating", -1), ("rating", "3")]
)
def test_an_invalid_status_or_rating_is_refused_and_nothing_is_written(
    enrollment: Enrollment, alice: User, field: str, value: Any
) -> None:
    with pytest.raises(Invalid) as info:
        services.item_update(
            enrollment=enrollment,
            actor=alice,
            item_key="topic:alpha",
            notes="kept?",
            **{field: value},
        )
    assert info.value.errors[0]["field"] == field
    assert not ItemProgress.objects.exists()
    assert not ProgressEvent.objects.exclude(kind="enrollment").exists()


def test_notes_over_100_kb_are_refused(enrollment: Enrollment, alice: User) -> None:
    with pytest.raises(Invalid) as info:
        services.item_update(
            enrollment=enrollment, actor=alice, item_key="topic:alpha", notes="x" * (100 * 1024 + 1)
        )
    assert info.value.errors[0]["field"] == "notes"
    services.item_update(
        enrollment=enrollment, actor=alice, item_key="topic:alpha", notes="x" * (100 * 1024)
    )


def test_a_stale_version_is_a_conflict_carrying_the_current_state(
    enrollment: Enrollment, alice: User
) -> None:
    first = services.item_update(
        enrollment=enrollment, actor=alice, item_key="topic:alpha", notes="A", expected_version=0
    )
    assert first.version == 1
    with pytest.raises(Conflict) as info:
        services.item_update(
            enrollment=enrollment,
            actor=alice,
            item_key="topic:alpha",
            notes="B",
            expected_version=0,
        )
    assert info.value.extra["current"]["notes"] == "A"
    assert info.value.extra["current"]["version"] == 1


# --- assessment ------------------------------------------------------------------------


def test_an_assessment_keeps_history_and_sets_ratings(enrollment: Enrollment, alice: User) -> None:
    services.assessment_submit(enrollment=enrollment, actor=alice, ratings={"topic:alpha": 1})
    services.assessment_submit(
        enrollment=enrollment, actor=alice, ratings={"topic:alpha": 4, "topic:beta": 0}
    )
    assert Assessment.objects.filter(enrollment=enrollment).count() == 2
    state = selectors.item_state(enrollment=enrollment, item_key="topic:alpha")
    assert state["rating"] == 4 and state["known"] is True
    assert ProgressEvent.objects.filter(kind="rating", item_key="topic:alpha").count() == 2


def test_an_assessment_rates_topics_only(enrollment: Enrollment, alice: User) -> None:
    with pytest.raises(Invalid) as info:
        services.assessment_submit(
            enrollment=enrollment, actor=alice, ratings={"topic:alpha": 3, "project:build-it": 3}
        )
    assert info.value.errors[0]["field"] == "ratings.project:build-it"
    assert not Assessment.objects.exists()
    assert not ItemProgress.objects.exists()


# --- evidence --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,hi", "ftp://x.org/a", "http://"],
)
def test_only_http_and_https_links_are_accepted_as_evidence(
    enrollment: Enrollment, alice: User, url: str
) -> None:
    with pytest.raises(Invalid) as info:
        services.evidence_add(
            enrollment=enrollment, actor=alice, item_key="topic:alpha", title="Proof", url=url
        )
    assert info.value.errors[0]["field"] == "url"
    assert not Evidence.objects.exists()


def test_projects_take_a_repository_and_a_write_up(enrollment: Enrollment, alice: User) -> None:
    evidence = services.evidence_add(
        enrollment=enrollment,
        actor=alice,
        item_key="project:build-it",
        title="My build",
        repository_url="https://example.com/alice/build-it",
        writeup="It *works*.",
    )
    assert evidence.url == "" and evidence.repository_url.endswith("build-it")
    with pytest.raises(Invalid) as info:
        services.evidence_add(
            enrollment=enrollment,
            actor=alice,
            item_key="project:build-it",
            title="Bad",
            repository_url="javascript:alert(1)",
        )
    assert info.value.errors[0]["field"] == "repository_url"


def test_a_change_that_changes_nothing_leaves_no_rows_behind(
    enrollment: Enrollment, alice: User
) -> None:
    row = services.item_update(
        enrollment=enrollment, actor=alice, item_key="topic:alpha/one", status="not_started"
    )
    assert row.version == 0
    assert not ItemProgress.objects.exists()
    assert not ProgressEvent.objects.exclude(kind="enrollment").exists()

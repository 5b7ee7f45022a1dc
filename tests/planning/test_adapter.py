"""The built-in roadmap through the adapter: the planner's promises on real models."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from levelup.planning.adapter import roadmap_for, snapshot_for
from levelup.planning.core import plan
from levelup.progress.models import Enrollment, ItemProgress, Pause
from levelup.progress.selectors import enrollment_get
from levelup.roadmaps.effort import WEEKS_PER_MONTH

from .conftest import START

TWO_WEEKS = timedelta(days=14)


def _nominal(start: date, months: float) -> date:
    return start + timedelta(days=months * WEEKS_PER_MONTH * 7)


def _plan(enrollment: Enrollment, today: date = START) -> Any:
    fresh = enrollment_get(user=enrollment.user, enrollment_id=enrollment.pk)
    roadmap = roadmap_for(fresh.version)
    return plan(roadmap, snapshot_for(fresh, today, roadmap).learner, today)


def test_builtin_roadmap_at_nominal_hours_finishes_after_24_months(enrollment: Enrollment) -> None:
    result = _plan(enrollment)
    assert result.finish is not None
    assert abs(result.finish - _nominal(START, 24)) <= TWO_WEEKS
    assert abs(result.finish - date(2028, 1, 5)) <= TWO_WEEKS


def test_every_builtin_item_is_planned_inside_its_window(enrollment: Enrollment) -> None:
    roadmap = roadmap_for(enrollment.version)
    windows = {item.key: item for item in roadmap.items}
    result = _plan(enrollment)
    assert len(result.items) == len(windows) > 20
    for item in result.items:
        window = windows[item.key]
        assert item.planned_start is not None and item.planned_finish is not None
        assert abs(item.planned_start - _nominal(START, window.month_start - 1)) <= TWO_WEEKS
        assert abs(item.planned_finish - _nominal(START, window.month_end)) <= TWO_WEEKS


def test_ten_hours_a_week_stretches_the_plan_in_proportion(enrollment: Enrollment) -> None:
    nominal = (_plan(enrollment).finish - START).days
    enrollment.weekly_hours = Decimal("10")
    enrollment.save()
    slower = (_plan(enrollment).finish - START).days
    assert slower / nominal == pytest.approx(12.5 / 10, rel=0.05)


def test_knowing_every_phase_1_topic_brings_the_finish_earlier(enrollment: Enrollment) -> None:
    before = _plan(enrollment).finish
    roadmap = roadmap_for(enrollment.version)
    first_phase = roadmap.phases[0].slug
    keys = [i.key for i in roadmap.items if i.phase == first_phase]
    assert keys
    ItemProgress.objects.bulk_create(
        ItemProgress(enrollment=enrollment, item_key=key, rating=3) for key in keys
    )
    after = _plan(enrollment)
    assert after.finish < before
    assert {i.key: i.status for i in after.items if i.key in keys} == dict.fromkeys(keys, "known")


def test_pausing_four_weeks_moves_the_finish_by_four_weeks(enrollment: Enrollment) -> None:
    before = _plan(enrollment).finish
    Pause.objects.create(
        enrollment=enrollment,
        start_date=START + timedelta(days=7),
        end_date=START + timedelta(days=34),
    )
    after = _plan(enrollment).finish
    assert abs((after - before).days - 28) <= 1


def test_an_open_pause_lasts_until_today(enrollment: Enrollment) -> None:
    Pause.objects.create(enrollment=enrollment, start_date=START + timedelta(days=2))
    today = START + timedelta(days=4)
    learner = snapshot_for(enrollment, today, roadmap_for(enrollment.version)).learner
    assert [(p.start, p.end) for p in learner.pauses] == [(START + timedelta(2), today)]


def test_item_states_come_from_progress_ratings_subtopics_and_logged_time(
    enrollment: Enrollment, log_session: Callable[..., Any]
) -> None:
    document = roadmap_for(enrollment.version)
    topic = document.items[0].key
    subtopics = _subtopic_keys(enrollment, topic)
    assert len(subtopics) >= 2
    ItemProgress.objects.create(enrollment=enrollment, item_key=subtopics[0], status="done")
    ItemProgress.objects.create(enrollment=enrollment, item_key=topic, status="in_progress")
    ItemProgress.objects.create(
        enrollment=enrollment, item_key="project:blog-platform-api", status="done"
    )
    ItemProgress.objects.create(enrollment=enrollment, item_key=document.items[1].key, rating=4)
    ItemProgress.objects.create(
        enrollment=enrollment, item_key=document.items[2].key, status="skipped", rating=1
    )
    log_session(enrollment, START, 60, topic)
    log_session(enrollment, START, 30, subtopics[1])  # a subtopic's time counts for its topic
    log_session(enrollment, START, 45, "")  # no item: only in the weekly totals
    log_session(enrollment, START, 15, "checkpoint:month-6")  # not a planned item

    states = snapshot_for(enrollment, START, document).learner.states
    assert states[topic].status == "in_progress"
    assert states[topic].logged_hours == pytest.approx(1.5)
    assert states[topic].done_fraction == pytest.approx(1 / len(subtopics), abs=1e-5)
    assert states["project:blog-platform-api"].status == "done"
    assert states[document.items[1].key].status == "known"
    assert states[document.items[2].key].status == "skipped"
    assert "checkpoint:month-6" not in states


def _subtopic_keys(enrollment: Enrollment, topic: str) -> list[str]:
    from levelup.roadmaps.selectors import document_for

    return list(document_for(enrollment.version).subtopic_keys(topic))


def test_weekly_history_holds_recent_full_unpaused_weeks(
    enrollment: Enrollment, log_session: Callable[..., Any]
) -> None:
    # Five full weeks since the start; the third is touched by a pause.
    for week in range(6):
        log_session(enrollment, START + timedelta(weeks=week, days=1), 60 * (week + 1))
    Pause.objects.create(
        enrollment=enrollment,
        start_date=START + timedelta(weeks=2, days=3),
        end_date=START + timedelta(weeks=2, days=4),
    )
    today = START + timedelta(weeks=5, days=2)  # the sixth week is not over yet
    history = snapshot_for(
        enrollment, today, roadmap_for(enrollment.version)
    ).learner.weekly_history
    assert history == (1.0, 2.0, 4.0, 5.0)


def test_weekly_history_follows_the_learners_week_start(
    enrollment: Enrollment, log_session: Callable[..., Any]
) -> None:
    enrollment.user.week_start = 6  # Sunday
    enrollment.user.save()
    log_session(enrollment, date(2026, 1, 11), 120)  # a Sunday: starts a Sunday week
    log_session(enrollment, date(2026, 1, 17), 60)  # the Saturday closing it
    learner = snapshot_for(enrollment, date(2026, 1, 19), roadmap_for(enrollment.version)).learner
    assert learner.week_start == 6
    assert learner.weekly_history == (3.0,)


def test_the_roadmap_is_built_once_per_content_hash(enrollment: Enrollment) -> None:
    first = roadmap_for(enrollment.version)
    again = enrollment_get(user=enrollment.user, enrollment_id=enrollment.pk)
    assert roadmap_for(again.version) is first
    kinds = {item.kind for item in first.items}
    assert kinds == {"topic", "project"}
    assert [c.slug for c in first.categories] == ["theory", "projects", "review"]
    assert {i.category for i in first.items} == {"theory", "projects"}


def test_the_snapshot_takes_four_queries_whatever_the_history(
    enrollment: Enrollment,
    log_session: Callable[..., Any],
    django_assert_num_queries: Any,
) -> None:
    roadmap = roadmap_for(enrollment.version)
    today = START + timedelta(weeks=20)
    with django_assert_num_queries(4):
        snapshot_for(enrollment, today, roadmap)
    keys = [item.key for item in roadmap.items]
    for day in range(120):
        log_session(enrollment, START + timedelta(days=day), 30 + day % 50, keys[day % len(keys)])
    ItemProgress.objects.bulk_create(
        ItemProgress(enrollment=enrollment, item_key=key, status="done") for key in keys[:10]
    )
    with django_assert_num_queries(4):
        snapshot_for(enrollment, today, roadmap)

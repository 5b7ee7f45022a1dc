"""The dashboard's query count does not grow with items or events (pinned)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from levelup.accounts.models import User
from levelup.dashboard.selectors import dashboard_for
from levelup.progress.models import Enrollment, Evidence, ItemProgress, ProgressEvent
from levelup.progress.selectors import enrollment_get
from levelup.progress.services import enrollment_create

# dashboard_for: item rows, pauses, evidence counts, recent events, changes per day,
# study minutes per day and category (the heatmap, the recent study lines and the plan's
# weekly history), then the rest of the plan's snapshot: time per item. The plan itself is
# cached by fingerprint.
DASHBOARD_QUERIES = 7


def grow(enrollment: Enrollment, document: Any, *, items: int, events: int) -> None:
    """Give the enrollment `items` item rows and `events` events spread over a year."""
    keys = [k for k, i in document.items.items() if i.kind != "checkpoint"][:items]
    statuses = ["done", "in_progress", "skipped", "not_started"]
    ItemProgress.objects.bulk_create(
        ItemProgress(enrollment=enrollment, item_key=k, status=statuses[n % 4], rating=n % 5)
        for n, k in enumerate(keys)
    )
    now = timezone.now()
    ProgressEvent.objects.bulk_create(
        ProgressEvent(
            enrollment=enrollment,
            actor=enrollment.user,
            item_key=keys[n % len(keys)],
            kind="status",
            from_value="not_started",
            to_value="done",
            created_at=now - timedelta(hours=n * 3),
        )
        for n in range(events)
    )
    Evidence.objects.bulk_create(
        Evidence(enrollment=enrollment, item_key=k, title="t", url="https://e.io") for k in keys[:5]
    )


@pytest.fixture
def big(builtin: Any, alice: User) -> tuple[Enrollment, Any]:
    roadmap, document = builtin
    enrollment = enrollment_create(
        user=alice, roadmap_slug=roadmap.slug, start_date=date.today() - timedelta(days=200)
    )
    return enrollment, document


@pytest.mark.parametrize(("items", "events"), [(2, 3), (10_000, 2_000)])
def test_the_dashboard_selector_runs_a_fixed_number_of_queries(
    big: tuple[Enrollment, Any], django_assert_num_queries: Any, items: int, events: int
) -> None:
    enrollment, document = big
    grow(enrollment, document, items=items, events=events)
    enrollment = enrollment_get(user=enrollment.user, enrollment_id=enrollment.pk)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        data = dashboard_for(enrollment)
    assert data["recent_activity"]


@pytest.mark.parametrize(("items", "events"), [(2, 3), (10_000, 2_000)])
def test_the_dashboard_endpoint_and_page_run_a_fixed_number_of_queries(
    big: tuple[Enrollment, Any],
    api_for: Any,
    web_for: Any,
    django_assert_num_queries: Any,
    items: int,
    events: int,
) -> None:
    enrollment, document = big
    grow(enrollment, document, items=items, events=events)
    api = api_for(enrollment.user)
    web = web_for(enrollment.user)
    # Token lookup + last-used stamp, the enrollment, then the dashboard's own queries.
    with django_assert_num_queries(3 + DASHBOARD_QUERIES):
        response = api.get(f"/api/v1/enrollments/{enrollment.pk}/dashboard")
    assert response.status_code == 200
    # Session + user, the enrollment list, the dashboard's own queries, and the
    # certifications that expire soon (one query, from the resources template tag).
    with django_assert_num_queries(3 + DASHBOARD_QUERIES + 1):
        page = web.get(reverse("dashboard:home"))
    assert page.status_code == 200


@pytest.mark.parametrize(
    ("moment", "local_day"),
    [
        ("2026-01-15T23:30:00+00:00", "2026-01-16"),  # winter: Berlin is UTC+1
        ("2026-07-15T22:30:00+00:00", "2026-07-16"),  # summer: UTC+2
        ("2026-07-15T21:30:00+00:00", "2026-07-15"),
        ("2026-03-29T00:30:00+00:00", "2026-03-29"),  # the night clocks go forward
    ],
)
def test_the_heatmap_counts_days_in_the_learners_zone(
    enrollment: Enrollment, moment: str, local_day: str
) -> None:
    from datetime import datetime

    ProgressEvent.objects.create(
        enrollment=enrollment,
        kind="status",
        item_key="topic:alpha",
        created_at=datetime.fromisoformat(moment),
    )
    data = dashboard_for(enrollment, today=date(2026, 8, 1))
    days = {str(d["date"]) for d in data["heatmap"]["days"] if d["changes"]}
    assert days == {local_day}


def test_the_heatmap_works_for_a_zone_without_daylight_saving(tiny: Any, make_user: Any) -> None:
    from datetime import datetime

    carol = make_user("carol", time_zone="UTC")
    enrollment = enrollment_create(user=carol, roadmap_slug="tiny", start_date=date(2026, 1, 1))
    ProgressEvent.objects.create(
        enrollment=enrollment, kind="status", item_key="topic:alpha",
        created_at=datetime.fromisoformat("2026-07-15T23:30:00+00:00"),
    )  # fmt: skip
    data = dashboard_for(enrollment, today=date(2026, 8, 1))
    assert [str(d["date"]) for d in data["heatmap"]["days"] if d["changes"]] == ["2026-07-15"]


def test_a_day_with_a_90_minute_session_shows_90_minutes(enrollment: Enrollment) -> None:
    from levelup.journal.services import study_session_log

    study_session_log(
        enrollment=enrollment,
        date=date(2026, 7, 14),
        minutes=90,
        category="theory",
    )
    data = dashboard_for(enrollment, today=date(2026, 8, 1))
    day = next(d for d in data["heatmap"]["days"] if str(d["date"]) == "2026-07-14")
    assert day == {"date": date(2026, 7, 14), "minutes": 90, "changes": 0}
    assert data["heatmap"]["active_days"] == 1
    assert data["heatmap"]["minutes"] == 90
    study = [line for line in data["recent_activity"] if line.kind == "study"]
    assert [line.text for line in study] == ["studied 1 h 30 min (theory 1 h 30 min)"]


def test_a_self_assessment_is_one_line_of_recent_activity(enrollment: Enrollment) -> None:
    from levelup.progress.services import assessment_submit

    assessment_submit(
        enrollment=enrollment,
        actor=enrollment.user,
        ratings={"topic:alpha": 2, "topic:beta": 4},
    )
    lines = dashboard_for(enrollment)["recent_activity"]
    assert lines[0].text == "rated 2 topics in the self-assessment"
    assert [line.kind for line in lines].count("ratings") == 1

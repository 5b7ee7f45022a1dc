"""GET /enrollments/{id}/plan, /plan/this-week and PATCH /plan/settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from levelup.accounts.models import User
from levelup.progress.models import Enrollment, Pause

from .conftest import START

# Wednesday of the seventh week, noon in Berlin.
NOW = "2026-02-18T11:00:00+00:00"
TODAY = date(2026, 2, 18)


def _routes(enrollment: Enrollment) -> list[str]:
    base = f"/api/v1/enrollments/{enrollment.pk}"
    return [f"{base}/plan", f"{base}/plan/this-week"]


@time_machine.travel(NOW, tick=False)
def test_the_plan_has_weeks_items_checkpoints_finish_pace_and_warnings(
    enrollment: Enrollment, alice: User, api_for: Callable[..., Any]
) -> None:
    response = api_for(alice).get(f"/api/v1/enrollments/{enrollment.pk}/plan")
    assert response.status_code == 200
    data = response.json()
    assert data["today"] == TODAY.isoformat()
    week = data["weeks"][0]
    assert set(week) >= {"start", "total_hours", "hours_by_item", "paused"}
    assert week["start"] == "2026-02-16"  # alice's weeks start on Monday
    item = data["items"][0]
    assert set(item) >= {
        "key",
        "title",
        "phase",
        "planned_start",
        "planned_finish",
        "nominal_start",
        "nominal_finish",
        "hours",
        "estimate_hours",
        "remaining_hours",
    }
    assert item["nominal_start"] == START.isoformat()
    assert [c["key"] for c in data["checkpoints"]] == [
        "checkpoint:month-6",
        "checkpoint:month-12",
        "checkpoint:month-18",
        "checkpoint:month-24",
    ]
    assert all(c["date"] for c in data["checkpoints"])
    assert set(data["finish"]) >= {"target", "forecast", "planned", "p50", "p85", "nominal"}
    assert data["finish"]["p50"] is None  # no logged weeks yet
    assert data["pace"] == 1.0
    # Six idle weeks: Data Structures' window has not ended, so no behind-window warning,
    # but the plan at the learner's hours now finishes about six weeks after the target.
    finish = data["finish"]
    assert finish["target"] == finish["nominal"]  # no target chosen: the roadmap's own end
    assert finish["forecast"] == finish["planned"]  # no forecast yet, so the plan decides
    gap = (date.fromisoformat(finish["forecast"]) - date.fromisoformat(finish["target"])).days
    assert data["verdict"]["status"] == "behind"
    assert data["verdict"]["weeks"] == gap // 7 == 6
    assert data["verdict"]["label"] == "6 weeks behind"
    assert "at 12.5 h a week you finish" in data["verdict"]["reason"].lower()
    assert all(set(w) >= {"code", "message", "item_key"} for w in data["warnings"])


@time_machine.travel(NOW, tick=False)
def test_warnings_name_the_item(
    enrollment: Enrollment, alice: User, api_for: Callable[..., Any]
) -> None:
    enrollment.start_date = date(2025, 6, 2)
    enrollment.save()
    data = api_for(alice).get(f"/api/v1/enrollments/{enrollment.pk}/plan").json()
    behind = [w for w in data["warnings"] if w["code"] == "behind_window"]
    assert behind
    assert "topic:html-css-refresher" in {w["item_key"] for w in behind}
    assert any("HTML/CSS Refresher" in w["message"] for w in behind)


@time_machine.travel(NOW, tick=False)
def test_this_week_lists_hours_per_item(
    enrollment: Enrollment, alice: User, api_for: Callable[..., Any]
) -> None:
    response = api_for(alice).get(f"/api/v1/enrollments/{enrollment.pk}/plan/this-week")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"week_start", "items", "total_hours", "capacity_hours"}
    assert data["week_start"] == "2026-02-16"
    assert data["items"] and set(data["items"][0]) == {"key", "title", "hours"}
    hours = [i["hours"] for i in data["items"]]
    assert hours == sorted(hours, reverse=True)
    assert sum(hours) == pytest.approx(data["total_hours"], abs=0.05)
    # 12.5 h a week, of which the items' share (12 of 14.5 h) goes to roadmap items.
    assert data["capacity_hours"] == pytest.approx(12.5 * 12 / 14.5, abs=0.01)


@time_machine.travel(NOW, tick=False)
def test_this_week_uses_the_learners_local_today(
    enrollment: Enrollment, alice: User, api_for: Callable[..., Any]
) -> None:
    alice.time_zone = "Pacific/Kiritimati"  # UTC+14: already Thursday 01:00 there
    alice.week_start = 3  # weeks start on Thursday
    alice.save()
    data = api_for(alice).get(f"/api/v1/enrollments/{enrollment.pk}/plan/this-week").json()
    assert data["week_start"] == "2026-02-19"


@pytest.mark.parametrize("route", [0, 1])
def test_only_the_owner_sees_the_plan(
    route: int,
    enrollment: Enrollment,
    alice: User,
    bob: User,
    staff: User,
    api_for: Callable[..., Any],
) -> None:
    url = _routes(enrollment)[route]
    assert api_for(None).get(url).status_code == 401
    assert api_for(alice).get(url).status_code == 200
    assert api_for(alice, write=False).get(url).status_code == 200
    assert api_for(bob).get(url).status_code == 404
    assert api_for(staff).get(url).status_code == 404
    assert api_for(alice).get(url.replace(str(enrollment.pk), "999999")).status_code == 404


def test_only_the_owner_changes_plan_settings(
    enrollment: Enrollment,
    alice: User,
    bob: User,
    staff: User,
    api_for: Callable[..., Any],
) -> None:
    url = f"/api/v1/enrollments/{enrollment.pk}/plan/settings"
    body = {"weekly_hours": 9}
    assert api_for(None).patch(url, body).status_code == 401
    assert api_for(bob).patch(url, body).status_code == 404
    assert api_for(staff).patch(url, body).status_code == 404
    assert api_for(alice, write=False).patch(url, body).status_code == 403
    enrollment.refresh_from_db()
    assert enrollment.weekly_hours == Decimal("12.5")
    response = api_for(alice).patch(
        url, {"weekly_hours": 9, "pause_start": "2026-03-02", "pause_end": "2026-03-08"}
    )
    assert response.status_code == 200, response.json()
    assert response.json() == {
        "weekly_hours": 9.0,
        "pauses": [{"start_date": "2026-03-02", "end_date": "2026-03-08", "reason": ""}],
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"weekly_hours": 0}, "weekly_hours"),
        ({"weekly_hours": 41}, "weekly_hours"),
        ({"weekly_hours": "lots"}, "weekly_hours"),
        ({"pause_start": "2026-03-10", "pause_end": "2026-03-02"}, "pause_end"),
        ({"pause_start": "2026-03-10"}, "pause_end"),
        ({"weekly_hours": 9, "pause_start": "2026-03-10", "pause_end": "2026-03-02"}, "pause_end"),
    ],
)
def test_bad_plan_settings_name_the_field_and_write_nothing(
    body: dict[str, Any],
    field: str,
    enrollment: Enrollment,
    alice: User,
    api_for: Callable[..., Any],
) -> None:
    response = api_for(alice).patch(f"/api/v1/enrollments/{enrollment.pk}/plan/settings", body)
    assert response.status_code == 422
    assert field in {e["field"] for e in response.json()["errors"]}
    enrollment.refresh_from_db()
    assert enrollment.weekly_hours == Decimal("12.5")
    assert not Pause.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_the_plan_endpoints_take_a_pinned_number_of_queries_whatever_the_history(
    enrollment: Enrollment,
    alice: User,
    api_for: Callable[..., Any],
    log_session: Callable[..., Any],
    django_assert_num_queries: Any,
) -> None:
    client = api_for(alice)
    urls = _routes(enrollment)
    # The token (with its user), the enrollment, then the adapter's four.
    expected = 6
    for url in urls:
        client.get(url)  # warm the token's last-used stamp
        with django_assert_num_queries(expected):
            assert client.get(url).status_code == 200
    items = ["topic:data-structures-algorithms", "project:blog-platform-api", ""]
    for day in range(200):
        log_session(enrollment, START + timedelta(days=day % 40), 20 + day, items[day % 3])
    for url in urls:
        with django_assert_num_queries(expected):
            assert client.get(url).status_code == 200


def test_an_archived_enrollments_plan_settings_do_not_change(
    enrollment: Enrollment, alice: User, api_for: Callable[..., Any]
) -> None:
    from levelup.progress.services import enrollment_archive

    enrollment_archive(enrollment=enrollment)
    response = api_for(alice).patch(
        f"/api/v1/enrollments/{enrollment.pk}/plan/settings", {"weekly_hours": 9}
    )
    assert response.status_code == 409
    enrollment.refresh_from_db()
    assert enrollment.weekly_hours == Decimal("12.5")

"""The progress API: enrollments, items with versions, evidence, events, dashboard."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine

from levelup.accounts.models import User
from levelup.progress import services
from levelup.progress.models import Enrollment, Evidence, ItemProgress, ProgressEvent

Api = Callable[..., Any]


def url(enrollment: Enrollment, rest: str = "") -> str:
    return f"/api/v1/enrollments/{enrollment.pk}{rest}"


def test_enrolling_through_the_api(tiny: Any, alice: User, api_for: Api) -> None:
    client = api_for(alice)
    response = client.post(
        "/api/v1/enrollments",
        {"roadmap": "tiny", "start_date": "2025-06-01", "weekly_hours": 8, "study_days": [0, 2, 4]},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["roadmap"] == "tiny" and body["version"] == 1
    assert body["weekly_hours"] == 8.0 and body["study_days"] == [0, 2, 4]
    again = client.post("/api/v1/enrollments", {"roadmap": "tiny"})
    assert again.status_code == 409
    assert again.json()["enrollment_id"] == body["id"]
    listed = client.get("/api/v1/enrollments").json()
    assert [e["id"] for e in listed] == [body["id"]]


def test_enrolling_with_bad_hours_names_the_field(tiny: Any, alice: User, api_for: Api) -> None:
    response = api_for(alice).post("/api/v1/enrollments", {"roadmap": "tiny", "weekly_hours": 80})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "weekly_hours"
    assert not Enrollment.objects.exists()


def test_enrolling_in_an_unknown_roadmap_is_404(db: Any, alice: User, api_for: Api) -> None:
    response = api_for(alice).post("/api/v1/enrollments", {"roadmap": "nope"})
    assert response.status_code == 404
    assert "nope" in response.json()["detail"]


def test_patching_an_enrollment(enrollment: Enrollment, alice: User, api_for: Api) -> None:
    response = api_for(alice).patch(url(enrollment), {"weekly_hours": 12.5, "study_days": [5, 6]})
    assert response.status_code == 200
    assert response.json()["weekly_hours"] == 12.5 and response.json()["study_days"] == [5, 6]


def test_pause_resume_and_archive(enrollment: Enrollment, alice: User, api_for: Api) -> None:
    client = api_for(alice)
    assert client.post(url(enrollment, "/pause"), {"reason": "exams"}).json()["status"] == "paused"
    assert client.post(url(enrollment, "/pause"), {}).status_code == 409
    assert client.post(url(enrollment, "/resume")).json()["status"] == "active"
    assert client.post(url(enrollment, "/archive")).json()["status"] == "archived"
    archived = client.put(url(enrollment, "/items/topic:alpha"), {"status": "done"})
    assert archived.status_code == 409
    assert client.patch(url(enrollment), {"weekly_hours": 3}).status_code == 409


def test_a_scheduled_pause_shows_in_the_status_on_the_days_it_covers(
    enrollment: Enrollment, alice: User, api_for: Api
) -> None:
    client = api_for(alice)
    with time_machine.travel("2026-07-15 10:00Z", tick=False) as traveller:
        scheduled = client.post(
            url(enrollment, "/pause"), {"start_date": "2026-07-20", "end_date": "2026-07-26"}
        )
        assert scheduled.status_code == 200, scheduled.json()
        assert scheduled.json()["status"] == "active"
        # Nothing is written when the pause begins or ends; the answer follows the calendar.
        traveller.move_to("2026-07-21 10:00Z")
        assert client.get(url(enrollment)).json()["status"] == "paused"
        assert [e["status"] for e in client.get("/api/v1/enrollments").json()] == ["paused"]
        traveller.move_to("2026-07-27 10:00Z")
        assert client.get(url(enrollment)).json()["status"] == "active"
        assert [e["status"] for e in client.get("/api/v1/enrollments").json()] == ["active"]


def test_listing_enrollments_costs_the_same_for_one_or_several(
    enrollment: Enrollment, alice: User, api_for: Api
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_for(alice)
    client.post(url(enrollment, "/pause"), {"reason": "exams"})
    with CaptureQueriesContext(connection) as one:
        assert len(client.get("/api/v1/enrollments").json()) == 1
    assert client.post(url(enrollment, "/archive")).status_code == 200
    assert client.post("/api/v1/enrollments", {"roadmap": "tiny"}).status_code == 201
    with CaptureQueriesContext(connection) as two:
        assert len(client.get("/api/v1/enrollments").json()) == 2
    assert len(two) == len(one)


def test_item_keys_with_colons_and_slashes_are_taken_as_they_are(
    enrollment: Enrollment, alice: User, api_for: Api
) -> None:
    client = api_for(alice)
    response = client.put(url(enrollment, "/items/topic:alpha/one"), {"status": "done"})
    assert response.status_code == 200, response.json()
    assert response.json()["item_key"] == "topic:alpha/one"
    assert response.json()["version"] == 1
    topic = client.get(url(enrollment, "/items/topic:alpha")).json()
    assert topic["status"] == "in_progress"


def test_an_untouched_item_reads_as_not_started_version_0(
    enrollment: Enrollment, alice: User, api_for: Api
) -> None:
    body = api_for(alice).get(url(enrollment, "/items/project:build-it")).json()
    assert body["status"] == "not_started" and body["version"] == 0 and body["kind"] == "project"


def test_an_unknown_item_key_answers_404_naming_the_key(
    enrollment: Enrollment, alice: User, api_for: Api
) -> None:
    client = api_for(alice)
    for response in (
        client.get(url(enrollment, "/items/topic:ghost/sub")),
        client.put(url(enrollment, "/items/topic:ghost/sub"), {"status": "done"}),
        client.post(
            url(enrollment, "/items/topic:ghost/sub/evidence"), {"title": "x", "url": "https://a.b"}
        ),
    ):
        assert response.status_code == 404
        assert "topic:ghost/sub" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "finished"}, "status"),
        ({"status": None}, "status"),
        ({"rating": 7}, "rating"),
        ({"rating": "high"}, "rating"),
        ({"notes": "x" * (100 * 1024 + 1)}, "notes"),
    ],
)
def test_invalid_item_input_answers_422_naming_the_field(
    enrollment: Enrollment, alice: User, api_for: Api, body: dict[str, Any], field: str
) -> None:
    response = api_for(alice).put(url(enrollment, "/items/topic:alpha"), body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
    assert not ItemProgress.objects.exists()


def test_notes_are_rendered_sanitized(enrollment: Enrollment, alice: User, api_for: Api) -> None:
    notes = "**bold** <script>alert(1)</script> [x](javascript:alert(1))"
    body = api_for(alice).put(url(enrollment, "/items/topic:alpha"), {"notes": notes}).json()
    assert body["notes"] == notes
    assert "<strong>bold</strong>" in body["notes_html"]
    assert "<script" not in body["notes_html"] and "javascript:" not in body["notes_html"]


def test_a_rating_of_3_marks_the_topic_known(
    enrollment: Enrollment, alice: User, api_for: Api
) -> None:
    body = api_for(alice).put(url(enrollment, "/items/topic:beta"), {"rating": 3}).json()
    assert body["known"] is True and body["state"] == "known" and body["status"] == "not_started"


def test_two_clients_with_the_same_version_one_wins_the_other_gets_409_and_nothing_is_lost(
    enrollment: Enrollment, alice: User, api_for: Api
) -> None:
    laptop, phone = api_for(alice), api_for(alice)
    path = url(enrollment, "/items/topic:alpha")
    version = laptop.get(path).json()["version"]
    assert phone.get(path).json()["version"] == version

    won = laptop.put(path, {"notes": "from the laptop"}, headers={"If-Match": f'"{version}"'})
    assert won.status_code == 200 and won.json()["version"] == version + 1

    lost = phone.put(path, {"status": "in_progress"}, headers={"If-Match": str(version)})
    assert lost.status_code == 409
    current = lost.json()["current"]
    assert current["notes"] == "from the laptop" and current["version"] == version + 1
    assert current["status"] == "not_started"

    retried = phone.put(
        path, {"status": "in_progress"}, headers={"If-Match": str(current["version"])}
    )
    assert retried.status_code == 200
    final = laptop.get(path).json()
    assert final["notes"] == "from the laptop" and final["status"] == "in_progress"
    assert ProgressEvent.objects.filter(item_key="topic:alpha").count() == 2


def test_a_malformed_if_match_names_the_header(
    enrollment: Enrollment, alice: User, api_for: Api
) -> None:
    response = api_for(alice).put(
        url(enrollment, "/items/topic:alpha"), {"notes": "x"}, headers={"If-Match": "yesterday"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "If-Match"


def test_evidence_links_must_be_http_or_https(
    enrollment: Enrollment, alice: User, api_for: Api
) -> None:
    client = api_for(alice)
    bad = client.post(
        url(enrollment, "/items/topic:alpha/evidence"), {"title": "x", "url": "javascript:alert(1)"}
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "url"
    assert not Evidence.objects.exists()
    good = client.post(
        url(enrollment, "/items/topic:alpha/evidence"),
        {"title": "Blog post", "url": "https://example.com/post"},
    )
    assert good.status_code == 201 and good.json()["item_key"] == "topic:alpha"
    item = client.get(url(enrollment, "/items/topic:alpha")).json()
    assert [e["title"] for e in item["evidence"]] == ["Blog post"]


def test_events_are_paginated_newest_first(
    enrollment: Enrollment, alice: User, api_for: Api
) -> None:
    for rating in range(5):
        services.item_update(
            enrollment=enrollment, actor=alice, item_key="topic:beta", rating=rating
        )
    client = api_for(alice)
    first = client.get(url(enrollment, "/events"), {"per_page": 2}).json()
    assert first["count"] == 6 and first["pages"] == 3  # 5 ratings + enrollment
    assert [e["to_value"] for e in first["items"]] == ["4", "3"]
    last = client.get(url(enrollment, "/events"), {"per_page": 2, "page": 3}).json()
    assert last["items"][-1]["kind"] == "enrollment"


@time_machine.travel("2026-07-15 10:00Z")
def test_the_dashboard_endpoint_reports_the_figures(
    enrollment: Enrollment, alice: User, api_for: Api
) -> None:
    services.item_update(enrollment=enrollment, actor=alice, item_key="topic:alpha", status="done")
    services.item_update(
        enrollment=enrollment, actor=alice, item_key="topic:beta", status="in_progress"
    )
    body = api_for(alice).get(url(enrollment, "/dashboard")).json()
    assert body["journey_month"] == 7
    assert body["counts"] == {
        "done": 1, "known": 0, "skipped": 0, "in_progress": 1, "not_started": 1, "total": 3
    }  # fmt: skip
    assert 0 < body["overall"]["percent"] < 100
    assert [p["percent"] for p in body["phases"]] == [100.0, 0.0]
    assert body["verdict"]["status"] == "behind"
    assert body["overall"]["expected_percent"] > body["overall"]["percent"]
    assert body["next_checkpoint"]["key"] == "checkpoint:month-4"
    assert body["next_checkpoint"]["criteria"][0]["ready"] is False
    assert body["next_checkpoint"]["criteria"][1]["kind"] == "evidence"
    assert body["heatmap"]["days"] == [
        {"date": "2026-07-15", "minutes": 0, "changes": 4}
    ]  # topic, 2 subtopics, beta; no study logged


# --- authorization matrix --------------------------------------------------------------

ROUTES = [
    ("get", "/enrollments/{id}", None),
    ("patch", "/enrollments/{id}", {"weekly_hours": 9}),
    ("get", "/enrollments/{id}/progress", None),
    ("get", "/enrollments/{id}/dashboard", None),
    ("get", "/enrollments/{id}/events", None),
    ("get", "/enrollments/{id}/items/topic:alpha", None),
    ("put", "/enrollments/{id}/items/topic:alpha", {"status": "done"}),
    ("post", "/enrollments/{id}/items/topic:alpha/evidence", {"title": "t", "url": "https://a.io"}),
    ("post", "/enrollments/{id}/pause", {}),
    ("post", "/enrollments/{id}/resume", {}),
    ("post", "/enrollments/{id}/archive", {}),
]


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
@pytest.mark.parametrize("who", ["bob", "staff"])
def test_another_users_enrollment_answers_404_on_every_route(
    enrollment: Enrollment,
    request: pytest.FixtureRequest,
    api_for: Api,
    who: str,
    method: str,
    path: str,
    body: Any,
) -> None:
    client = api_for(request.getfixturevalue(who))
    call = getattr(client, method)
    target = "/api/v1" + path.format(id=enrollment.pk)
    response = call(target, body) if body is not None else call(target)
    assert response.status_code == 404, (method, path, response.content)
    enrollment.refresh_from_db()
    assert enrollment.status == "active" and enrollment.weekly_hours == 5
    assert not ItemProgress.objects.exists() and not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [*ROUTES, ("get", "/enrollments", None), ("post", "/enrollments", {"roadmap": "tiny"})],
)
def test_anonymous_callers_get_401_on_every_route(
    enrollment: Enrollment, api_for: Api, method: str, path: str, body: Any
) -> None:
    client = api_for(None)
    call = getattr(client, method)
    target = "/api/v1" + path.format(id=enrollment.pk)
    response = call(target, body) if body is not None else call(target)
    assert response.status_code == 401


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
def test_the_owner_reaches_every_route(
    enrollment: Enrollment, alice: User, api_for: Api, method: str, path: str, body: Any
) -> None:
    if path.endswith("/resume"):
        services.enrollment_pause(
            enrollment=enrollment, start_date=date.today() - timedelta(days=1)
        )
    call = getattr(api_for(alice), method)
    target = "/api/v1" + path.format(id=enrollment.pk)
    response = call(target, body) if body is not None else call(target)
    assert response.status_code in (200, 201), (path, response.content)


def test_a_read_only_token_cannot_write(enrollment: Enrollment, alice: User, api_for: Api) -> None:
    client = api_for(alice, write=False)
    assert client.get(url(enrollment, "/items/topic:alpha")).status_code == 200
    assert client.put(url(enrollment, "/items/topic:alpha"), {"status": "done"}).status_code == 403
    assert not ItemProgress.objects.exists()

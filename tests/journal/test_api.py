"""The journal API: authorization matrix, endpoints, idempotency over HTTP, pagination."""

from __future__ import annotations

import datetime as dt

import pytest

from levelup.journal import services
from levelup.journal.models import JournalEntry, PracticeProblem, StudySession


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def data(mine):
    session = services.study_session_log(
        enrollment=mine, minutes=30, category="theory", date=dt.date(2026, 3, 16)
    ).session
    problem = services.practice_problem_log(
        enrollment=mine, platform="leetcode", title="Two Sum", difficulty="easy", outcome="solved"
    )
    entry = services.journal_entry_create(enrollment=mine, title="Hello", tags=["sql"])
    return {"e": mine.pk, "s": session.pk, "p": problem.pk, "j": entry.pk}


ROUTES = [
    ("get", "/api/v1/enrollments/{e}/sessions", None),
    ("post", "/api/v1/enrollments/{e}/sessions", {"minutes": 10, "category": "theory"}),
    ("patch", "/api/v1/enrollments/{e}/sessions/{s}", {"minutes": 11}),
    ("delete", "/api/v1/enrollments/{e}/sessions/{s}", None),
    ("get", "/api/v1/enrollments/{e}/weekly-review", None),
    ("get", "/api/v1/enrollments/{e}/streaks", None),
    ("get", "/api/v1/enrollments/{e}/practice", None),
    (
        "post",
        "/api/v1/enrollments/{e}/practice",
        {"platform": "other", "title": "x", "difficulty": "easy", "outcome": "solved"},
    ),
    ("patch", "/api/v1/enrollments/{e}/practice/{p}", {"title": "y"}),
    ("delete", "/api/v1/enrollments/{e}/practice/{p}", None),
    ("get", "/api/v1/enrollments/{e}/journal", None),
    ("post", "/api/v1/enrollments/{e}/journal", {"title": "t"}),
    ("get", "/api/v1/enrollments/{e}/journal/{j}", None),
    ("patch", "/api/v1/enrollments/{e}/journal/{j}", {"title": "u"}),
    ("delete", "/api/v1/enrollments/{e}/journal/{j}", None),
    ("get", "/api/v1/enrollments/{e}/sessions.csv", None),
    ("post", "/api/v1/enrollments/{e}/sessions/import", None),
]
IDS = [f"{m} {p.split('{e}/')[1]}" for m, p, _ in ROUTES]


def call(client, method, path, body, data):
    url = path.format(**data)
    if method in ("get", "delete"):
        return getattr(client, method)(url)
    return getattr(client, method)(url, body)


@pytest.mark.parametrize(("method", "path", "body"), ROUTES, ids=IDS)
def test_anonymous_gets_401(api_for, data, method, path, body):
    assert call(api_for(None), method, path, body, data).status_code == 401


@pytest.mark.parametrize(("method", "path", "body"), ROUTES, ids=IDS)
@pytest.mark.parametrize("who", ["bob", "staff"])
def test_another_learner_and_staff_get_404_and_change_nothing(
    api_for, data, method, path, body, who, request
):
    before = (
        StudySession.objects.count(),
        PracticeProblem.objects.count(),
        JournalEntry.objects.count(),
    )
    response = call(api_for(request.getfixturevalue(who)), method, path, body, data)
    assert response.status_code == 404
    after = (
        StudySession.objects.count(),
        PracticeProblem.objects.count(),
        JournalEntry.objects.count(),
    )
    assert after == before


@pytest.mark.parametrize(("method", "path", "body"), ROUTES, ids=IDS)
def test_the_owner_is_served(api_for, alice, data, method, path, body):
    response = call(api_for(alice), method, path, body, data)
    if path.endswith("/import"):
        # An empty JSON body is not a CSV: refused with a field named, still not a 404.
        assert response.status_code == 422
        return
    assert response.status_code in (200, 201, 204), response.content


def test_a_read_only_token_cannot_write(api_for, alice, data):
    response = api_for(alice, write=False).post(
        f"/api/v1/enrollments/{data['e']}/sessions", {"minutes": 10, "category": "theory"}
    )
    assert response.status_code == 403


def test_an_unknown_enrollment_is_404(api_for, alice, db):
    assert api_for(alice).get("/api/v1/enrollments/99999/sessions").status_code == 404


class TestSessionsEndpoint:
    def url(self, enrollment):
        return f"/api/v1/enrollments/{enrollment.pk}/sessions"

    def test_the_same_idempotency_key_twice_creates_one_session(self, api_for, alice, mine):
        api = api_for(alice)
        body = {"minutes": 25, "category": "review", "date": "2026-03-19"}
        first = api.post(self.url(mine), body, headers={"Idempotency-Key": "retry-1"})
        again = api.post(self.url(mine), body, headers={"Idempotency-Key": "retry-1"})
        assert first.status_code == again.status_code == 201
        assert again.json() == first.json()
        assert again.headers["Idempotent-Replayed"] == "true"
        assert StudySession.objects.filter(enrollment=mine).count() == 1

    def test_a_different_body_with_the_same_key_answers_409(self, api_for, alice, mine):
        api = api_for(alice)
        api.post(
            self.url(mine), {"minutes": 25, "category": "review"}, headers={"Idempotency-Key": "k"}
        )
        response = api.post(
            self.url(mine), {"minutes": 26, "category": "review"}, headers={"Idempotency-Key": "k"}
        )
        assert response.status_code == 409
        assert response.json()["errors"][0]["field"] == "Idempotency-Key"
        assert StudySession.objects.filter(enrollment=mine).count() == 1

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"minutes": 0, "category": "theory"}, "minutes"),
            ({"minutes": 961, "category": "theory"}, "minutes"),
            ({"minutes": 30, "category": "sleep"}, "category"),
            ({"minutes": 30, "category": "theory", "item_key": "topic:gamma"}, "item_key"),
            ({"minutes": 30, "category": "theory", "date": "2026-03-22"}, "date"),
            ({"minutes": "lots", "category": "theory"}, "minutes"),
            ({"category": "theory"}, "minutes"),
        ],
    )
    def test_bad_input_answers_422_naming_the_field(
        self, api_for, alice, mine, other_roadmap, body, field
    ):
        response = api_for(alice).post(self.url(mine), body)
        assert response.status_code == 422
        assert field in [e["field"] for e in response.json()["errors"]]
        assert field in response.json()["detail"]
        assert not StudySession.objects.exists()

    def test_list_filters_by_date_and_pages(self, api_for, alice, mine):
        for day in range(1, 11):
            services.study_session_log(
                enrollment=mine, minutes=day, category="theory", date=dt.date(2026, 3, day)
            )
        api = api_for(alice)
        body = api.get(
            self.url(mine), {"from": "2026-03-03", "to": "2026-03-08", "limit": 4, "offset": 0}
        ).json()
        assert body["count"] == 6
        assert [s["date"] for s in body["items"]] == [
            "2026-03-08",
            "2026-03-07",
            "2026-03-06",
            "2026-03-05",
        ]
        body = api.get(
            self.url(mine), {"from": "2026-03-03", "to": "2026-03-08", "limit": 4, "offset": 4}
        ).json()
        assert [s["date"] for s in body["items"]] == ["2026-03-04", "2026-03-03"]
        assert api.get(self.url(mine), {"limit": 0}).status_code == 422
        assert api.get(self.url(mine), {"from": "March"}).status_code == 422

    @pytest.mark.parametrize("count", [3, 40])
    def test_the_list_query_count_does_not_grow(
        self, api_for, alice, mine, django_assert_num_queries, count
    ):
        for n in range(count):
            services.study_session_log(
                enrollment=mine, minutes=10 + n, category="theory", date=dt.date(2026, 3, 1)
            )
        services.practice_problem_log(
            enrollment=mine,
            platform="leetcode",
            title="x",
            difficulty="easy",
            outcome="solved",
            minutes=5,
        )
        api = api_for(alice)
        # token, token last-used, enrollment, count, page
        with django_assert_num_queries(5):
            response = api.get(self.url(mine))
        assert len(response.json()["items"]) == count + 1
        assert sum(1 for s in response.json()["items"] if s["practice_problem_id"]) == 1

    def test_patch_and_delete(self, api_for, alice, mine):
        api = api_for(alice)
        sid = api.post(self.url(mine), {"minutes": 25, "category": "review"}).json()["id"]
        response = api.patch(f"{self.url(mine)}/{sid}", {"minutes": 35, "note": "longer"})
        assert (response.status_code, response.json()["minutes"], response.json()["note"]) == (
            200,
            35,
            "longer",
        )
        assert api.patch(f"{self.url(mine)}/{sid}", {"category": "nope"}).status_code == 422
        assert api.delete(f"{self.url(mine)}/{sid}").status_code == 204
        assert not StudySession.objects.exists()

    def test_a_practice_session_cannot_be_patched_directly(self, api_for, alice, mine):
        api = api_for(alice)
        problem = api.post(
            f"/api/v1/enrollments/{mine.pk}/practice",
            {
                "platform": "leetcode",
                "title": "LRU",
                "difficulty": "medium",
                "outcome": "solved_with_help",
                "minutes": 30,
            },
        ).json()
        response = api.patch(f"{self.url(mine)}/{problem['session_id']}", {"minutes": 5})
        assert response.status_code == 409
        assert response.json()["practice_problem_id"] == problem["id"]


def test_weekly_review_shape(api_for, alice, mine):
    services.study_session_log(
        enrollment=mine, minutes=130, category="theory", date=dt.date(2026, 3, 17)
    )
    body = (
        api_for(alice)
        .get(f"/api/v1/enrollments/{mine.pk}/weekly-review", {"week": "2026-W12"})
        .json()
    )
    assert body["week"] == "2026-W12"
    assert body["total_minutes"] == 130
    assert body["categories"][0] == {
        "slug": "theory",
        "title": "Theory",
        "minutes": 130,
        "min_minutes": 120,
        "max_minutes": 180,
        "status": "within",
    }
    assert (
        api_for(alice)
        .get(f"/api/v1/enrollments/{mine.pk}/weekly-review", {"week": "2026-W60"})
        .status_code
        == 422
    )


def test_streaks_endpoint(api_for, alice, mine):
    for day in (17, 18, 19):
        services.study_session_log(
            enrollment=mine, minutes=30, category="theory", date=dt.date(2026, 3, day)
        )
    body = api_for(alice).get(f"/api/v1/enrollments/{mine.pk}/streaks").json()
    assert (body["daily_current"], body["daily_longest"]) == (3, 3)


def test_journal_filters(api_for, alice, mine):
    api = api_for(alice)
    url = f"/api/v1/enrollments/{mine.pk}/journal"
    api.post(
        url,
        {
            "title": "Indexes",
            "body": "B-tree **pages**",
            "tags": ["sql"],
            "item_keys": ["topic:alpha"],
        },
    )
    api.post(url, {"title": "Closures", "body": "captured variables", "tags": ["js"]})
    assert [e["title"] for e in api.get(url, {"tag": "sql"}).json()["items"]] == ["Indexes"]
    assert [e["title"] for e in api.get(url, {"item": "topic:alpha"}).json()["items"]] == [
        "Indexes"
    ]
    assert [e["title"] for e in api.get(url, {"q": "CAPTURED"}).json()["items"]] == ["Closures"]
    assert api.get(url, {"q": "nothing-like-this"}).json()["count"] == 0
    response = api.post(url, {"title": "x", "tags": ["has space"]})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "tags"


def test_csv_export_and_import_over_http(api_for, alice, mine, bob, enroll):
    services.study_session_log(
        enrollment=mine, minutes=30, category="theory", date=dt.date(2026, 3, 16)
    )
    api = api_for(alice)
    response = api.get(f"/api/v1/enrollments/{mine.pk}/sessions.csv")
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    theirs = enroll(bob)
    bob_api = api_for(bob)
    url = f"/api/v1/enrollments/{theirs.pk}/sessions/import"
    raw = bob_api.generic(
        "POST",
        url,
        text.encode(),
        content_type="text/csv",
        headers={"Authorization": f"Bearer {bob_api.token}"},
    )
    assert raw.json() == {"rows": 1, "created": 1, "skipped": 0}
    from io import BytesIO

    upload = BytesIO(text.encode())
    upload.name = "sessions.csv"
    from django.test import Client

    multipart = Client().post(
        url, {"file": upload}, headers={"Authorization": f"Bearer {bob_api.token}"}
    )
    assert multipart.json() == {"rows": 1, "created": 0, "skipped": 1}
    bad = bob_api.generic(
        "POST",
        url,
        b"date,minutes,category\n2026-03-01,0,theory\n",
        content_type="text/csv",
        headers={"Authorization": f"Bearer {bob_api.token}"},
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0] == {
        "field": "minutes",
        "row": "2",
        "message": bad.json()["errors"][0]["message"],
    }
    assert "row 2, column minutes" in bad.json()["detail"]


def test_the_journal_endpoints_are_in_the_openapi_document(api_for, alice):
    schema = api_for(alice).get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/enrollments/{enrollment_id}/sessions",
        "/api/v1/enrollments/{enrollment_id}/sessions/{session_id}",
        "/api/v1/enrollments/{enrollment_id}/weekly-review",
        "/api/v1/enrollments/{enrollment_id}/streaks",
        "/api/v1/enrollments/{enrollment_id}/practice",
        "/api/v1/enrollments/{enrollment_id}/journal",
        "/api/v1/enrollments/{enrollment_id}/sessions.csv",
        "/api/v1/enrollments/{enrollment_id}/sessions/import",
    ):
        assert path in paths, path
    assert "409" in paths["/api/v1/enrollments/{enrollment_id}/sessions"]["post"]["responses"]

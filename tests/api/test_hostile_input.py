"""Hostile input, as an outside probe sent it: every answer is a 422 (413 for size) in
the API's JSON error shape, with an `errors` entry naming the field, and nothing is
written."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from levelup.journal.models import JournalEntry, PracticeProblem, StudySession
from levelup.progress.models import Enrollment, ItemProgress, Pause, ProgressEvent
from tests.api.conftest import Learner

E = "/api/v1/enrollments/{e}"
SESSION = '"category": "theory", "minutes": 30'

# (method, path, raw JSON body or None, query string, the field the answer must name)
CORPUS: list[tuple[str, str, str | None, str, str]] = [
    # bodies that are not JSON objects
    ("POST", f"{E}/pause", "[null, null]", "", "body"),
    ("POST", f"{E}/journal", '"hello world"', "", "body"),
    ("POST", f"{E}/sessions", "42", "", "body"),
    ("POST", f"{E}/sessions", "null", "", "body"),
    ("POST", f"{E}/sessions", '{"minutes": 30,', "", "body"),
    ("POST", f"{E}/sessions", "\xff\xfe", "", "body"),
    # numbers that are not numbers
    ("POST", f"{E}/sessions", '{"category": "theory", "minutes": true}', "", "minutes"),
    ("POST", f"{E}/sessions", '{"category": "theory", "minutes": NaN}', "", "minutes"),
    ("POST", f"{E}/sessions", '{"category": "theory", "minutes": 1e400}', "", "minutes"),
    (
        "POST",
        f"{E}/sessions",
        '{"category": "theory", "minutes": 99999999999999999999}',
        "",
        "minutes",
    ),
    ("PATCH", E, '{"weekly_hours": NaN}', "", "weekly_hours"),
    ("PATCH", E, '{"weekly_hours": Infinity}', "", "weekly_hours"),
    ("PATCH", E, '{"weekly_hours": -Infinity}', "", "weekly_hours"),
    ("PATCH", E, '{"weekly_hours": true}', "", "weekly_hours"),
    ("PATCH", E, '{"study_days": [0, 99]}', "", "study_days.1"),
    ("PATCH", f"{E}/plan/settings", '{"weekly_hours": 1e309}', "", "weekly_hours"),
    ("PUT", f"{E}/items/{{item}}", '{"rating": true}', "", "rating"),
    ("PUT", f"{E}/items/{{item}}", '{"rating": 5}', "", "rating"),
    ("PUT", f"{E}/items/{{item}}", '{"status": "finished-ish"}', "", "status"),
    (
        "POST",
        f"{E}/practice",
        '{"platform": "leetcode", "title": "t", "difficulty": "easy", "outcome": "solved", "minutes": false}',
        "",
        "minutes",
    ),
    (
        "POST",
        f"{E}/practice",
        '{"platform": "codewars", "title": "t", "difficulty": "easy", "outcome": "solved"}',
        "",
        "platform",
    ),
    # text no column can hold
    ("POST", f"{E}/sessions", "{" + SESSION + ', "note": "a\\u0000b"}', "", "note"),
    ("POST", f"{E}/sessions", "{" + SESSION + ', "note": "\\ud800"}', "", "note"),
    ("POST", f"{E}/journal", '{"title": "\\udfff lone"}', "", "title"),
    ("POST", f"{E}/journal", '{"title": "ok", "tags": ["a\\u0000"]}', "", "tags.0"),
    ("POST", f"{E}/journal", '{"title": "' + "x" * 201 + '"}', "", "title"),
    ("POST", f"{E}/pause", '{"reason": "' + "r" * 201 + '"}', "", "reason"),
    ("PUT", f"{E}/items/{{item}}", '{"notes": "' + "n" * 100_001 + '"}', "", "notes"),
    (
        "POST",
        f"{E}/items/{{item}}/evidence",
        '{"title": "t", "url": "https://e.x/\\u0000"}',
        "",
        "url",
    ),
    ("POST", "/api/v1/roadmaps", '{"slug": "mine", "title": "a\\u0000"}', "", "title"),
    (
        "POST",
        "/api/v1/roadmaps",
        '{"slug": "mine", "phases": [{"title": "\\ud800"}]}',
        "",
        "phases[0].title",
    ),
    (
        "POST",
        "/api/v1/me/import",
        '{"format": "levelup", "notes": ["\\u0000"]}',
        "",
        "archive.notes.0",
    ),
    # times and days outside what levelup handles
    (
        "POST",
        f"{E}/sessions",
        "{" + SESSION + ', "start_time": "18:30:00+02:00"}',
        "",
        "start_time",
    ),
    ("POST", f"{E}/sessions", "{" + SESSION + ', "start_time": "18:30Z"}', "", "start_time"),
    ("POST", f"{E}/sessions", "{" + SESSION + ', "date": "0001-01-01"}', "", "date"),
    ("POST", f"{E}/sessions", "{" + SESSION + ', "date": "9999-12-31"}', "", "date"),
    (
        "POST",
        "/api/v1/enrollments",
        '{"roadmap": "backend-junior-to-senior", "start_date": "0001-01-01"}',
        "",
        "start_date",
    ),
    ("PATCH", E, '{"start_date": "9999-12-31"}', "", "start_date"),
    ("PATCH", E, '{"target_finish": "2101-01-01"}', "", "target_finish"),
    ("POST", f"{E}/pause", '{"start_date": "1999-12-31"}', "", "start_date"),
    ("POST", f"{E}/pause", '{"end_date": "9999-12-31"}', "", "end_date"),
    (
        "PATCH",
        f"{E}/plan/settings",
        '{"pause_start": "0001-01-01", "pause_end": "0001-02-01"}',
        "",
        "pause_start",
    ),
    # query strings
    ("GET", f"{E}/events", None, "page=99999999999999999999", "page"),
    ("GET", f"{E}/events", None, "page=0", "page"),
    ("GET", f"{E}/events", None, "per_page=true", "per_page"),
    ("GET", f"{E}/sessions", None, "offset=99999999999999999999", "offset"),
    ("GET", f"{E}/sessions", None, "limit=501", "limit"),
    ("GET", f"{E}/practice", None, "offset=-1", "offset"),
    ("GET", f"{E}/journal", None, "offset=1e400", "offset"),
    ("GET", f"{E}/sessions", None, "from=0001-01-01", "from"),
    ("GET", f"{E}/sessions", None, "to=9999-12-31", "to"),
    ("GET", f"{E}/weekly-review", None, "week=9999-W52", "week"),
    ("GET", f"{E}/weekly-review", None, "week=0001-W01", "week"),
    ("GET", f"{E}/weekly-review", None, "week=2026-W60", "week"),
    ("GET", f"{E}/weekly-review", None, "week=0001-01-01", "week"),
    ("GET", f"{E}/journal", None, "q=%00", "q"),
    ("GET", f"{E}/journal", None, "tag=a%00b", "tag"),
    (
        "GET",
        "/api/v1/roadmaps/backend-junior-to-senior/diff",
        None,
        "from=99999999999999999999",
        "from",
    ),
    ("GET", "/api/v1/roadmaps/backend-junior-to-senior/export", None, "format=exe", "format"),
]


def _rows() -> dict[str, int]:
    models = [
        Enrollment,
        Pause,
        ItemProgress,
        ProgressEvent,
        StudySession,
        JournalEntry,
        PracticeProblem,
    ]
    return {model.__name__: model.objects.count() for model in models}


def _send(learner: Learner, method: str, path: str, body: str | None, query: str) -> Any:
    path = path.format(e=learner.enrollment.pk, item=learner.item_key)
    if query:
        path = f"{path}?{query}"
    client = Client(headers=learner.headers)
    if body is None:
        return client.generic(method, path)
    return client.generic(
        method, path, body.encode("utf-8", "surrogateescape"), content_type="application/json"
    )


@pytest.mark.parametrize(("method", "path", "body", "query", "field"), CORPUS)
def test_hostile_input_is_refused_naming_the_field(
    learner: Learner, method: str, path: str, body: str | None, query: str, field: str
) -> None:
    before = _rows()
    response = _send(learner, method, path, body, query)
    assert response.status_code == 422, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    answer = response.json()
    assert [e["field"] for e in answer["errors"]][:1] == [field], answer
    assert answer["errors"][0]["message"]
    assert answer["detail"]
    assert _rows() == before


def test_a_body_over_the_size_limit_answers_413_in_json(learner: Learner, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    before = _rows()
    body = '{"title": "big", "body": "' + "b" * 20_000 + '"}'
    response = _send(learner, "POST", f"{E}/journal", body, "")
    assert response.status_code == 413
    assert response.json()["errors"] == [
        {"field": "body", "message": "is larger than the 10,000-byte limit"}
    ]
    assert _rows() == before


def test_a_body_sent_as_a_form_is_refused_naming_the_content_type(learner: Learner) -> None:
    before = _rows()
    client = Client(headers=learner.headers)
    response = client.post(
        f"/api/v1/enrollments/{learner.enrollment.pk}/journal",
        "title=Hello",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "body",
            "message": "send JSON with Content-Type: application/json, "
            "not application/x-www-form-urlencoded",
        }
    ]
    assert _rows() == before


def test_an_unknown_api_path_answers_a_json_404(learner: Learner) -> None:
    response = Client(headers=learner.headers).get("/api/v1/no/such/thing")
    assert response.status_code == 404
    assert response.json() == {"detail": "no API endpoint at /api/v1/no/such/thing"}


def test_a_wrong_method_answers_a_json_405_with_allow(learner: Learner) -> None:
    response = Client(headers=learner.headers).put("/api/v1/health")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response.json()["detail"] == "PUT is not allowed here; use GET"


def test_a_nul_byte_in_a_page_query_answers_400_naming_it(learner: Learner) -> None:
    client = Client()
    client.force_login(learner.user)
    response = client.get("/journal/sessions/", {"q": "join\x00s"})
    assert response.status_code == 400
    assert response.content.decode() == "Bad request: q must not contain NUL bytes."


def test_a_nul_byte_in_a_form_post_answers_400_and_writes_nothing(learner: Learner) -> None:
    client = Client()
    client.force_login(learner.user)
    before = _rows()
    response = client.post("/journal/sessions/add/", {"minutes": "30", "note": "Hi\x00"})
    assert response.status_code == 400
    assert b"note must not contain NUL bytes" in response.content
    assert _rows() == before


def test_an_unbalanced_csv_quote_names_its_row_and_merges_nothing(learner: Learner) -> None:
    before = _rows()
    text = (
        "date,minutes,category,note\n"
        '2026-01-07,30,theory,"read the planner output\n'
        "2026-01-08,45,theory,indexes\n"
    )
    response = Client(headers=learner.headers).post(
        f"/api/v1/enrollments/{learner.enrollment.pk}/sessions/import",
        text,
        content_type="text/csv",
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["row"] == "2"
    assert "quote" in error["message"]
    assert _rows() == before

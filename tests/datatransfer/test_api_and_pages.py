"""GET /me/export, POST /me/import, DELETE /me and the "Your data" page, for everyone."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from levelup.accounts.models import ApiToken, User
from levelup.datatransfer.archive import account_export
from levelup.datatransfer.registry import KINDS
from levelup.planning.models import CalendarFeed
from tests.datatransfer.conftest import table_counts
from tests.lived_in import MARKER, lived_in

PASSWORD = "a-long-password-42"


@pytest.fixture
def alice_data(builtin: Any, alice: User) -> Any:
    alice.set_password(PASSWORD)
    alice.save()
    return lived_in(alice)


def test_export_needs_authentication(api_for: Any, db: Any) -> None:
    response = api_for(None).get("/api/v1/me/export")
    assert response.status_code == 401


def test_export_gives_the_owner_their_archive_and_nothing_of_others(
    api_for: Any, alice_data: Any, bob: User, builtin: Any
) -> None:
    lived_in(bob, marker="BOBS-OWN-MARKER")
    response = api_for(alice_data.user).get("/api/v1/me/export")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    body = response.json()
    assert body["format"] == "levelup-account/1"
    assert body["profile"]["username"] == "alice"
    assert MARKER in response.content.decode()
    assert "BOBS-OWN-MARKER" not in response.content.decode()


def test_staff_export_their_own_account_only(api_for: Any, alice_data: Any, staff: User) -> None:
    response = api_for(staff).get("/api/v1/me/export")
    assert response.status_code == 200
    assert response.json()["profile"]["username"] == "staff"
    assert MARKER not in response.content.decode()


def test_export_runs_a_fixed_number_of_queries(
    api_for: Any, alice_data: Any, django_assert_max_num_queries: Any
) -> None:
    client = api_for(alice_data.user)
    # One query per kind in the archive, plus the token, the user and the version documents.
    with django_assert_max_num_queries(len(KINDS) + 3):
        assert client.get("/api/v1/me/export").status_code == 200


def test_import_into_a_new_account_answers_201_with_counts(
    api_for: Any, alice_data: Any, make_user: Any
) -> None:
    archive = api_for(alice_data.user).get("/api/v1/me/export").json()
    newcomer = make_user("newcomer")
    response = api_for(newcomer).post("/api/v1/me/import", archive)
    assert response.status_code == 201, response.content
    counts = response.json()["counts"]
    assert counts["study_sessions"] == 2  # one logged, one from the practice problem
    assert counts["reading_items"] == 2
    assert counts["portfolio"] == 1
    assert response.json()["total"] == sum(counts.values())
    again = account_export(user=newcomer)
    assert again["data"] == archive["data"]


def test_import_needs_authentication_and_write_access(
    api_for: Any, alice_data: Any, make_user: Any
) -> None:
    archive = account_export(user=alice_data.user)
    assert api_for(None).post("/api/v1/me/import", archive).status_code == 401
    newcomer = make_user("newcomer")
    assert api_for(newcomer, write=False).post("/api/v1/me/import", archive).status_code == 403


def test_import_into_an_account_with_data_answers_409(api_for: Any, alice_data: Any) -> None:
    archive = account_export(user=alice_data.user)
    response = api_for(alice_data.user).post("/api/v1/me/import", archive)
    assert response.status_code == 409
    assert "already holds data" in response.json()["detail"]


def test_a_tampered_archive_answers_422_with_the_reason_and_writes_nothing(
    api_for: Any, alice_data: Any, make_user: Any
) -> None:
    archive = account_export(user=alice_data.user)
    archive["data"]["journal_entries"][0]["title"] = "Edited after export"
    newcomer = make_user("newcomer")
    client = api_for(newcomer)
    before = table_counts()
    response = client.post("/api/v1/me/import", archive)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "integrity.digest"
    assert "changed or damaged" in response.json()["detail"]
    assert table_counts() == before


def test_a_body_that_is_not_json_answers_422(api_for: Any, make_user: Any) -> None:
    client = api_for(make_user("newcomer"))
    response = client.generic(
        "POST",
        "/api/v1/me/import",
        b"{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {client.token}"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "archive"


def test_delete_needs_authentication(api_for: Any, db: Any) -> None:
    response = api_for(None).delete(
        "/api/v1/me", json.dumps({"password": "x"}), content_type="application/json"
    )
    assert response.status_code == 401


def test_delete_with_a_wrong_password_answers_403_and_deletes_nothing(
    api_for: Any, alice_data: Any
) -> None:
    client = api_for(alice_data.user)
    before = table_counts()
    response = client.delete(
        "/api/v1/me", json.dumps({"password": "wrong"}), content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["errors"][0]["field"] == "password"
    assert table_counts() == before


def test_guessing_the_password_through_delete_is_throttled_like_sign_in(
    api_for: Any, alice_data: Any, settings: Any
) -> None:
    client = api_for(alice_data.user)
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.delete(
            "/api/v1/me", json.dumps({"password": "wrong"}), content_type="application/json"
        )
    response = client.delete(
        "/api/v1/me", json.dumps({"password": PASSWORD}), content_type="application/json"
    )
    assert response.status_code == 429
    assert User.objects.filter(username="alice").exists()


def test_delete_without_a_password_answers_422(api_for: Any, alice_data: Any) -> None:
    response = api_for(alice_data.user).delete("/api/v1/me", "{}", content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "password"


def test_delete_answers_204_then_tokens_feeds_and_portfolio_are_gone(
    api_for: Any, alice_data: Any, bob: User, client: Any
) -> None:
    bob_client = api_for(bob)
    alice_client = api_for(alice_data.user)
    assert client.get("/u/alice/").status_code == 200
    assert client.get(f"/calendar/{alice_data.feed_secret}.ics").status_code == 200
    response = alice_client.delete(
        "/api/v1/me", json.dumps({"password": PASSWORD}), content_type="application/json"
    )
    assert response.status_code == 204
    assert alice_client.get("/api/v1/me").status_code == 401
    assert client.get(f"/calendar/{alice_data.feed_secret}.ics").status_code == 404
    assert client.get("/u/alice/").status_code == 404
    assert not User.objects.filter(username="alice").exists()
    assert not ApiToken.objects.filter(user__username="alice").exists()
    assert not CalendarFeed.objects.filter(enrollment__user__username="alice").exists()
    # Another learner's token still works.
    assert bob_client.get("/api/v1/me").status_code == 200


def test_staff_deleting_their_account_deletes_only_theirs(
    api_for: Any, alice_data: Any, staff: User
) -> None:
    staff.set_password(PASSWORD)
    staff.save()
    response = api_for(staff).delete(
        "/api/v1/me", json.dumps({"password": PASSWORD}), content_type="application/json"
    )
    assert response.status_code == 204
    assert User.objects.filter(username="alice").exists()
    assert not User.objects.filter(username="staff").exists()


# --- the page ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/accounts/data/", "/accounts/data/export.json"],
)
def test_data_pages_send_anonymous_visitors_to_sign_in(web_for: Any, db: Any, path: str) -> None:
    response = web_for(None).get(path)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_data_actions_refuse_anonymous_posts(web_for: Any, db: Any) -> None:
    for path in ("/accounts/data/import/", "/accounts/data/delete/"):
        response = web_for(None).post(path)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_the_data_page_offers_the_download_and_it_is_the_archive(
    web_for: Any, alice_data: Any, django_assert_max_num_queries: Any
) -> None:
    client = web_for(alice_data.user)
    with django_assert_max_num_queries(len(KINDS) + 3):
        page = client.get("/accounts/data/")
    assert page.status_code == 200
    assert b'data-testid="export-button"' in page.content
    download = client.get("/accounts/data/export.json")
    assert download.status_code == 200
    assert json.loads(download.content)["profile"]["username"] == "alice"


def test_another_learner_downloads_their_own_archive(
    web_for: Any, alice_data: Any, bob: User
) -> None:
    download = web_for(bob).get("/accounts/data/export.json")
    assert json.loads(download.content)["profile"]["username"] == "bob"
    assert MARKER.encode() not in download.content


def test_uploading_an_archive_into_a_new_account_restores_it(
    web_for: Any, alice_data: Any, make_user: Any
) -> None:
    archive = account_export(user=alice_data.user)
    newcomer = make_user("newcomer")
    upload = io.BytesIO(json.dumps(archive).encode())
    upload.name = "archive.json"
    response = web_for(newcomer).post("/accounts/data/import/", {"archive": upload})
    assert response.status_code == 302
    assert newcomer.enrollments.count() == 1
    assert newcomer.reading_items.count() == 2


def test_uploading_a_tampered_archive_shows_the_reason(
    web_for: Any, alice_data: Any, make_user: Any
) -> None:
    archive = account_export(user=alice_data.user)
    archive["profile"]["display_name"] = "Someone else"
    newcomer = make_user("newcomer")
    upload = io.BytesIO(json.dumps(archive).encode())
    upload.name = "archive.json"
    response = web_for(newcomer).post("/accounts/data/import/", {"archive": upload})
    assert response.status_code == 422
    assert b"changed or damaged" in response.content
    assert newcomer.enrollments.count() == 0


def test_the_delete_form_needs_the_password(web_for: Any, alice_data: Any) -> None:
    client = web_for(alice_data.user)
    response = client.post("/accounts/data/delete/", {"password": "wrong", "confirm": "on"})
    assert response.status_code == 422
    assert b"is not your password" in response.content
    assert User.objects.filter(username="alice").exists()
    response = client.post("/accounts/data/delete/", {"password": PASSWORD})
    assert response.status_code == 422  # the confirmation box is required
    assert User.objects.filter(username="alice").exists()


def test_the_delete_form_deletes_and_signs_out(web_for: Any, alice_data: Any) -> None:
    client = web_for(alice_data.user)
    response = client.post("/accounts/data/delete/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(username="alice").exists()
    assert client.get("/dashboard/").status_code == 302  # signed out

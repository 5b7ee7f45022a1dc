"""Reading list and certifications: services, API, pages, calendar feed and dashboard."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import icalendar
import pytest

from levelup.accounts.models import User
from levelup.lib.errors import Conflict, Invalid
from levelup.planning.services import calendar_feed_create
from levelup.progress.services import enrollment_create
from levelup.resources import services
from levelup.resources.models import Certification, ReadingItem
from levelup.roadmaps.services import BUILTIN_SLUG


@pytest.fixture
def enrolled(builtin: Any, alice: User) -> User:
    enrollment_create(user=alice, roadmap_slug=BUILTIN_SLUG, start_date=date(2026, 6, 1))
    return alice


# --- services ----------------------------------------------------------------------------


def test_a_roadmap_book_goes_on_the_list_with_the_roadmaps_title_and_authors(
    enrolled: User,
) -> None:
    item = services.reading_item_add(user=enrolled, source_key="book:clean-code")
    assert (item.title, item.authors, item.kind, item.status) == (
        "Clean Code",
        "Robert Martin",
        "book",
        "want",
    )


def test_finishing_a_book_stamps_the_day_and_leaving_finished_clears_it(enrolled: User) -> None:
    item = services.reading_item_add(user=enrolled, source_key="book:clean-code")
    services.reading_item_update(item=item, status="finished", rating=4)
    assert item.finished_on == enrolled.local_today()
    services.reading_item_update(item=item, status="dropped")
    assert item.finished_on is None


def test_a_suggestion_cannot_go_on_the_list_twice(enrolled: User) -> None:
    services.reading_item_add(user=enrolled, source_key="platform:leetcode")
    with pytest.raises(Conflict):
        services.reading_item_add(user=enrolled, source_key="platform:leetcode")


def test_bad_reading_values_are_refused_naming_each_field(enrolled: User) -> None:
    with pytest.raises(Invalid) as caught:
        services.reading_item_add(
            user=enrolled, title="", kind="scroll", status="skimmed", rating=6, url="ftp://x"
        )
    fields = {e["field"] for e in caught.value.errors}
    assert fields == {"title", "kind", "status", "rating", "url"}
    assert not ReadingItem.objects.exists()


def test_an_unknown_suggestion_key_is_refused(enrolled: User) -> None:
    with pytest.raises(Invalid) as caught:
        services.reading_item_add(user=enrolled, source_key="book:nope")
    assert caught.value.errors[0]["field"] == "source_key"


def test_a_booked_exam_needs_a_date_and_a_pass_needs_its_day(enrolled: User) -> None:
    with pytest.raises(Invalid) as caught:
        services.certification_add(user=enrolled, title="CKA", status="booked")
    assert caught.value.errors[0]["field"] == "exam_date"
    cert = services.certification_add(user=enrolled, source_key="cert:ckad")
    with pytest.raises(Invalid) as caught:
        services.certification_update(certification=cert, status="passed")
    assert caught.value.errors[0]["field"] == "passed_on"
    cert.refresh_from_db()
    assert cert.status == "planned"
    with pytest.raises(Invalid) as caught:
        services.certification_update(
            certification=cert,
            status="passed",
            passed_on=date(2026, 5, 1),
            expires_on=date(2026, 4, 1),
        )
    assert caught.value.errors[0]["field"] == "expires_on"


# --- API -----------------------------------------------------------------------------------


def test_resources_api_needs_authentication(api_for: Any, db: Any) -> None:
    client = api_for(None)
    assert client.get("/api/v1/me/resources").status_code == 401
    assert client.post("/api/v1/me/resources", {"title": "x"}).status_code == 401
    assert client.patch("/api/v1/me/resources/1", {"status": "finished"}).status_code == 401
    assert client.delete("/api/v1/me/resources/1").status_code == 401
    assert client.get("/api/v1/me/certifications").status_code == 401
    assert client.post("/api/v1/me/certifications", {"title": "x"}).status_code == 401
    assert client.patch("/api/v1/me/certifications/1", {}).status_code == 401
    assert client.delete("/api/v1/me/certifications/1").status_code == 401


def test_the_owner_lists_adds_changes_and_removes_reading(api_for: Any, enrolled: User) -> None:
    client = api_for(enrolled)
    listing = client.get("/api/v1/me/resources").json()
    assert listing["items"] == []
    keys = {s["key"] for s in listing["suggestions"]}
    assert {"book:clean-code", "platform:udemy", "platform:leetcode"} <= keys
    created = client.post("/api/v1/me/resources", {"source_key": "book:clean-code"})
    assert created.status_code == 201
    item_id = created.json()["id"]
    changed = client.patch(
        f"/api/v1/me/resources/{item_id}", {"status": "finished", "rating": 5, "note": "great"}
    )
    assert changed.status_code == 200
    assert changed.json()["status"] == "finished"
    assert changed.json()["finished_on"] is not None
    listing = client.get("/api/v1/me/resources").json()
    assert "book:clean-code" not in {s["key"] for s in listing["suggestions"]}
    own = client.post("/api/v1/me/resources", {"title": "SICP", "kind": "book"})
    assert own.status_code == 201
    bad = client.patch(f"/api/v1/me/resources/{item_id}", {"title": "Renamed"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "title"
    assert client.delete(f"/api/v1/me/resources/{item_id}").status_code == 204
    assert len(client.get("/api/v1/me/resources").json()["items"]) == 1


def test_another_learner_and_staff_get_404_for_someone_elses_items(
    api_for: Any, enrolled: User, bob: User, staff: User
) -> None:
    item = services.reading_item_add(user=enrolled, source_key="book:clean-code")
    cert = services.certification_add(user=enrolled, source_key="cert:ckad")
    for other in (bob, staff):
        client = api_for(other)
        assert client.get("/api/v1/me/resources").json()["items"] == []
        assert (
            client.patch(f"/api/v1/me/resources/{item.pk}", {"status": "dropped"}).status_code
            == 404
        )
        assert client.delete(f"/api/v1/me/resources/{item.pk}").status_code == 404
        assert client.get("/api/v1/me/certifications").json()["items"] == []
        assert (
            client.patch(f"/api/v1/me/certifications/{cert.pk}", {"status": "planned"}).status_code
            == 404
        )
        assert client.delete(f"/api/v1/me/certifications/{cert.pk}").status_code == 404
    item.refresh_from_db()
    assert item.status == "want"
    assert Certification.objects.filter(pk=cert.pk).exists()


def test_certifications_api_books_an_exam_and_validates(api_for: Any, enrolled: User) -> None:
    client = api_for(enrolled)
    suggestions = client.get("/api/v1/me/certifications").json()["suggestions"]
    assert {s["key"] for s in suggestions} == {
        "cert:aws-certified-developer-associate",
        "cert:mongodb-certified-developer",
        "cert:ckad",
    }
    created = client.post("/api/v1/me/certifications", {"source_key": "cert:ckad"})
    assert created.status_code == 201
    cert_id = created.json()["id"]
    refused = client.patch(f"/api/v1/me/certifications/{cert_id}", {"status": "booked"})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "exam_date"
    booked = client.patch(
        f"/api/v1/me/certifications/{cert_id}", {"status": "booked", "exam_date": "2027-02-01"}
    )
    assert booked.status_code == 200
    assert booked.json()["exam_date"] == "2027-02-01"
    wrong_type = client.post("/api/v1/me/certifications", {"title": "X", "exam_date": "soon"})
    assert wrong_type.status_code == 422
    assert wrong_type.json()["errors"][0]["field"] == "exam_date"


def test_listing_runs_a_fixed_number_of_queries(
    api_for: Any, enrolled: User, django_assert_max_num_queries: Any
) -> None:
    client = api_for(enrolled)
    for n in range(20):
        services.reading_item_add(user=enrolled, title=f"Book {n}")
        services.certification_add(user=enrolled, title=f"Cert {n}")
    with django_assert_max_num_queries(5):
        assert len(client.get("/api/v1/me/resources").json()["items"]) == 20
    with django_assert_max_num_queries(5):
        assert len(client.get("/api/v1/me/certifications").json()["items"]) == 20


# --- calendar feed and dashboard -------------------------------------------------------------


def test_a_booked_exam_is_an_all_day_event_in_the_calendar_feed(
    client: Any, enrolled: User, bob: User
) -> None:
    services.certification_add(
        user=enrolled, source_key="cert:ckad", status="booked", exam_date=date(2027, 2, 1)
    )
    services.certification_add(user=enrolled, title="Only planned", status="planned")
    services.certification_add(
        user=bob, title="Bob's exam", status="booked", exam_date=date(2027, 2, 2)
    )
    _, secret = calendar_feed_create(enrollment=enrolled.enrollments.get())
    response = client.get(f"/calendar/{secret}.ics")
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    exams = [e for e in calendar.walk("VEVENT") if str(e["summary"]).startswith("Exam: ")]
    assert [str(e["summary"]) for e in exams] == ["Exam: Kubernetes Application Developer (CKAD)"]
    assert exams[0].decoded("dtstart") == date(2027, 2, 1)


def test_the_dashboard_warns_of_a_certification_expiring_within_90_days(
    web_for: Any, enrolled: User
) -> None:
    today = enrolled.local_today()
    services.certification_add(
        user=enrolled,
        title="Soon",
        status="passed",
        passed_on=today - timedelta(days=700),
        expires_on=today + timedelta(days=30),
    )
    services.certification_add(
        user=enrolled,
        title="Later",
        status="passed",
        passed_on=today - timedelta(days=10),
        expires_on=today + timedelta(days=200),
    )
    page = web_for(enrolled).get("/dashboard/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="expiring-certifications"' in text
    assert "Soon: expires on" in text and "in 30 days" in text
    assert "Later" not in text


def test_the_dashboard_says_nothing_when_no_certification_expires_soon(
    web_for: Any, enrolled: User
) -> None:
    page = web_for(enrolled).get("/dashboard/")
    assert b"expiring-certifications" not in page.content


# --- pages -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/reading/", "/certifications/"])
def test_pages_send_anonymous_visitors_to_sign_in(web_for: Any, db: Any, path: str) -> None:
    response = web_for(None).get(path)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_reading_page_adds_a_suggestion_and_marks_it_finished(
    web_for: Any, enrolled: User, django_assert_max_num_queries: Any
) -> None:
    client = web_for(enrolled)
    response = client.post("/reading/", {"source_key": "book:clean-code"})
    assert response.status_code == 302
    item = ReadingItem.objects.get(user=enrolled)
    response = client.post(
        f"/reading/{item.pk}/",
        {
            f"item-{item.pk}-status": "finished",
            f"item-{item.pk}-rating": "4",
            f"item-{item.pk}-note": "Good",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.rating, item.note) == ("finished", 4, "Good")
    for n in range(10):
        services.reading_item_add(user=enrolled, title=f"Book {n}")
    with django_assert_max_num_queries(5):
        page = client.get("/reading/")
    assert page.status_code == 200 and "Clean Code" in page.content.decode()


def test_the_reading_page_shows_form_errors_with_422(web_for: Any, enrolled: User) -> None:
    response = web_for(enrolled).post("/reading/", {"title": "", "kind": "book", "url": "nope"})
    assert response.status_code == 422


def test_another_learner_and_staff_cannot_change_someone_elses_items_on_pages(
    web_for: Any, enrolled: User, bob: User, staff: User
) -> None:
    item = services.reading_item_add(user=enrolled, source_key="book:clean-code")
    cert = services.certification_add(user=enrolled, source_key="cert:ckad")
    for other in (bob, staff):
        client = web_for(other)
        assert client.post(f"/reading/{item.pk}/", {"delete": "1"}).status_code == 404
        assert client.post(f"/certifications/{cert.pk}/", {"delete": "1"}).status_code == 404
        assert "Clean Code" not in client.get("/reading/").content.decode().split("Recommended")[0]
    assert ReadingItem.objects.filter(pk=item.pk).exists()
    assert Certification.objects.filter(pk=cert.pk).exists()


def test_the_certifications_page_books_an_exam(web_for: Any, enrolled: User) -> None:
    client = web_for(enrolled)
    client.post("/certifications/", {"source_key": "cert:ckad"})
    cert = Certification.objects.get(user=enrolled)
    prefix = f"cert-{cert.pk}"
    response = client.post(
        f"/certifications/{cert.pk}/", {f"{prefix}-status": "booked", f"{prefix}-exam_date": ""}
    )
    assert response.status_code == 422
    assert b"is required when the exam is booked" in response.content
    response = client.post(
        f"/certifications/{cert.pk}/",
        {f"{prefix}-status": "booked", f"{prefix}-exam_date": "2027-02-01"},
    )
    assert response.status_code == 302
    cert.refresh_from_db()
    assert cert.exam_date == date(2027, 2, 1)


def test_the_certifications_page_runs_a_fixed_number_of_queries(
    web_for: Any, enrolled: User, django_assert_max_num_queries: Any
) -> None:
    for n in range(15):
        services.certification_add(user=enrolled, title=f"Cert {n}")
    client = web_for(enrolled)
    with django_assert_max_num_queries(5):
        page = client.get("/certifications/")
    assert (
        page.status_code == 200 and page.content.decode().count('data-testid="certification"') == 15
    )

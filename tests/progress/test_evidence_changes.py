"""Evidence can be corrected and removed, in the API and on the item page; only by its
owner (anyone else, staff included, gets 404)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from levelup.progress.models import Evidence, ProgressEvent
from levelup.progress.services import evidence_add

ITEM = "topic:alpha"


@pytest.fixture
def evidence(enrollment: Any, alice: Any) -> Evidence:
    return evidence_add(
        enrollment=enrollment,
        actor=alice,
        item_key=ITEM,
        title="Blog pst",
        url="https://example.com/post",
    )


def api_url(evidence: Evidence) -> str:
    return f"/api/v1/enrollments/{evidence.enrollment_id}/evidence/{evidence.pk}"


class TestApi:
    def test_the_owner_corrects_only_the_fields_sent(
        self, api_for: Any, alice: Any, evidence: Evidence, django_assert_max_num_queries: Any
    ) -> None:
        client = api_for(alice)
        with django_assert_max_num_queries(10):
            response = client.patch(api_url(evidence), {"title": "Blog post"})
        assert response.status_code == 200
        body = response.json()
        assert (body["title"], body["url"]) == ("Blog post", "https://example.com/post")
        event = ProgressEvent.objects.filter(kind="evidence").latest("pk")
        assert (event.from_value, event.to_value, event.actor) == ("Blog pst", "Blog post", alice)

    def test_a_bad_change_is_refused_naming_the_field_and_nothing_changes(
        self, api_for: Any, alice: Any, evidence: Evidence
    ) -> None:
        response = api_for(alice).patch(
            api_url(evidence), {"title": "New", "url": "javascript:alert(1)"}
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "url"
        evidence.refresh_from_db()
        assert evidence.title == "Blog pst"
        response = api_for(alice).patch(api_url(evidence), {"title": "  "})
        assert (response.status_code, response.json()["errors"][0]["field"]) == (422, "title")
        response = api_for(alice).patch(api_url(evidence), {"writeup": "only for projects"})
        assert (response.status_code, response.json()["errors"][0]["field"]) == (422, "writeup")

    def test_the_owner_deletes_and_the_history_says_so(
        self, api_for: Any, alice: Any, evidence: Evidence
    ) -> None:
        response = api_for(alice).delete(api_url(evidence))
        assert response.status_code == 204
        assert not Evidence.objects.exists()
        event = ProgressEvent.objects.filter(kind="evidence").latest("pk")
        assert (event.from_value, event.to_value) == ("Blog pst", "")
        assert api_for(alice).delete(api_url(evidence)).status_code == 404

    @pytest.mark.parametrize("who", ["anonymous", "bob", "staff"])
    def test_nobody_else_can_change_or_delete(
        self, api_for: Any, bob: Any, staff: Any, evidence: Evidence, who: str
    ) -> None:
        user = {"anonymous": None, "bob": bob, "staff": staff}[who]
        client = api_for(user)
        expected = 401 if user is None else 404
        assert client.patch(api_url(evidence), {"title": "mine"}).status_code == expected
        assert client.delete(api_url(evidence)).status_code == expected
        evidence.refresh_from_db()
        assert evidence.title == "Blog pst"

    def test_a_read_only_token_cannot_change_evidence(
        self, api_for: Any, alice: Any, evidence: Evidence
    ) -> None:
        client = api_for(alice, write=False)
        assert client.patch(api_url(evidence), {"title": "x"}).status_code == 403
        assert client.delete(api_url(evidence)).status_code == 403
        assert Evidence.objects.count() == 1


def page_url(evidence: Evidence, action: str) -> str:
    return f"/enrollments/{evidence.enrollment_id}/evidence/{evidence.pk}/{action}/"


class TestPages:
    def test_the_item_page_links_to_edit_and_delete(
        self, web_for: Any, alice: Any, evidence: Evidence
    ) -> None:
        page = web_for(alice).get(f"/enrollments/{evidence.enrollment_id}/items/{ITEM}/")
        html = page.content.decode()
        assert page_url(evidence, "edit") in html
        assert page_url(evidence, "delete") in html

    def test_the_owner_edits_and_returns_to_the_item(
        self, web_for: Any, alice: Any, evidence: Evidence
    ) -> None:
        client = web_for(alice)
        form = client.get(page_url(evidence, "edit"))
        assert form.status_code == 200
        assert 'value="Blog pst"' in form.content.decode()
        response = client.post(
            page_url(evidence, "edit"), {"title": "Blog post", "url": "https://example.com/p2"}
        )
        assert response.status_code == 302
        assert response["Location"].endswith(f"/items/{ITEM}/#evidence")
        evidence.refresh_from_db()
        assert (evidence.title, evidence.url) == ("Blog post", "https://example.com/p2")

    def test_a_bad_edit_shows_the_error_summary(
        self, web_for: Any, alice: Any, evidence: Evidence
    ) -> None:
        response = web_for(alice).post(page_url(evidence, "edit"), {"title": "x", "url": "ftp://a"})
        assert response.status_code == 422
        html = response.content.decode()
        assert "Please fix this problem" in html
        assert "must be an http:// or https:// link" in html
        evidence.refresh_from_db()
        assert evidence.url == "https://example.com/post"

    def test_the_owner_deletes_after_confirming(
        self, web_for: Any, alice: Any, evidence: Evidence
    ) -> None:
        client = web_for(alice)
        confirm = client.get(page_url(evidence, "delete"))
        assert confirm.status_code == 200 and "Delete evidence?" in confirm.content.decode()
        assert Evidence.objects.count() == 1
        response = client.post(page_url(evidence, "delete"))
        assert response.status_code == 302
        assert not Evidence.objects.exists()

    @pytest.mark.parametrize("who", ["bob", "staff"])
    def test_another_user_gets_404(
        self, web_for: Any, bob: Any, staff: Any, evidence: Evidence, who: str
    ) -> None:
        client = web_for({"bob": bob, "staff": staff}[who])
        for action in ("edit", "delete"):
            assert client.get(page_url(evidence, action)).status_code == 404
            assert client.post(page_url(evidence, action), {"title": "z"}).status_code == 404
        evidence.refresh_from_db()
        assert evidence.title == "Blog pst"

    def test_anonymous_is_sent_to_sign_in(self, evidence: Evidence) -> None:
        for action in ("edit", "delete"):
            response = Client().post(page_url(evidence, action))
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/")
        assert Evidence.objects.count() == 1

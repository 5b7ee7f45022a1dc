"""Error pages in the product's own look: what happened, and the way back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from unittest import mock

from django.test import Client

from levelup.accounts.models import User


def test_a_missing_page_says_so_and_leads_home(client: Client, db: Any) -> None:
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "There is nothing here" in page
    assert 'href="/"' in page and "Go to the home page" in page


def test_a_signed_in_learner_is_led_back_to_the_dashboard(
    web_for: Callable[..., Any], alice: User
) -> None:
    response = web_for(alice).get("/plan/999999/")
    assert response.status_code == 404
    assert "Back to your dashboard" in response.content.decode()


def test_an_expired_form_explains_that_nothing_was_saved(db: Any) -> None:
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/accounts/login/", {"username": "alice", "password": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "That form had expired" in page and "Nothing was saved" in page


def test_a_server_error_shows_a_plain_page(db: Any) -> None:
    browser = Client(raise_request_exception=False)
    with mock.patch(
        "levelup.roadmaps.views.roadmap_list", side_effect=RuntimeError("database on fire")
    ):
        response = browser.get("/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page
    assert "database on fire" not in page

"""The public portfolio: off by default, sections, privacy, card, zip, API, access."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest

from levelup.accounts.models import User
from levelup.portfolio.services import portfolio_update
from tests.lived_in import MARKER, lived_in


@pytest.fixture
def alice_data(builtin: Any, alice: User) -> Any:
    return lived_in(alice)


def test_a_portfolio_is_off_until_the_learner_turns_it_on(
    client: Any, builtin: Any, alice: User
) -> None:
    lived_in(alice, public=False)
    assert client.get("/u/alice/").status_code == 404
    assert client.get("/u/alice/card.svg").status_code == 404
    portfolio_update(user=alice, enabled=True)
    assert client.get("/u/alice/").status_code == 200
    portfolio_update(user=alice, enabled=False)
    assert client.get("/u/alice/").status_code == 404


def test_an_unknown_user_and_a_private_portfolio_answer_alike(client: Any, alice: User) -> None:
    assert client.get("/u/nobody/").status_code == 404
    assert client.get("/u/alice/").status_code == 404


def test_nothing_private_appears_on_the_page_or_the_card(
    client: Any, alice_data: Any, web_for: Any, bob: User, staff: User
) -> None:
    # Every section on: the most the page can show.
    for viewer in (client, web_for(alice_data.user), web_for(bob), web_for(staff)):
        page = viewer.get("/u/alice/")
        assert page.status_code == 200
        text = page.content.decode()
        assert MARKER not in text
        assert MARKER.lower() not in text
        card = viewer.get("/u/alice/card.svg")
        assert card.status_code == 200
        assert MARKER not in card.content.decode()
    # …and the public parts are there, so the test looks at a full page.
    for public in (
        "Auth API on GitHub",
        "https://example.com/repo",
        "<strong>JWT</strong>",
        "What I learned about streams",
        "Clean Code",
        "CKAD",
        "https://example.com/credential",
        "Advanced Node.js",
        "Theory",
    ):
        assert public in text, public


def test_the_static_export_holds_no_private_field_either(web_for: Any, alice_data: Any) -> None:
    response = web_for(alice_data.user).get("/accounts/portfolio/portfolio.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = sorted(archive.namelist())
        assert names == [
            "alice-portfolio/card.svg",
            "alice-portfolio/index.html",
            "alice-portfolio/style.css",
        ]
        html = archive.read("alice-portfolio/index.html").decode()
        card = archive.read("alice-portfolio/card.svg").decode()
    assert MARKER not in html and MARKER not in card
    assert 'href="style.css"' in html and 'src="card.svg"' in html
    assert "What I learned about streams" in html


def test_sections_that_are_off_are_not_shown(client: Any, alice_data: Any) -> None:
    portfolio_update(
        user=alice_data.user,
        sections={
            "projects": False,
            "journal": False,
            "hours": False,
            "reading": False,
            "certifications": False,
            "checkpoints": False,
        },
    )
    text = client.get("/u/alice/").content.decode()
    assert 'data-testid="section-progress"' in text
    for hidden in ("Auth API on GitHub", "What I learned about streams", "Clean Code", "CKAD"):
        assert hidden not in text, hidden
    portfolio_update(user=alice_data.user, sections={"progress": False})
    card = client.get("/u/alice/card.svg").content.decode()
    assert "% done" not in client.get("/u/alice/").content.decode()
    assert "done</text>" not in card


def test_the_page_carries_opengraph_tags_and_fits_a_phone(client: Any, alice_data: Any) -> None:
    text = client.get("/u/alice/").content.decode()
    assert '<meta property="og:title" content="Alice: ' in text
    assert '<meta property="og:image" content="http://testserver/u/alice/card.svg">' in text
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in text


def test_the_card_shows_roadmap_month_percent_and_checkpoints(client: Any, alice_data: Any) -> None:
    card = client.get("/u/alice/card.svg")
    assert card["Content-Type"].startswith("image/svg+xml")
    svg = card.content.decode()
    assert "Junior to Senior" in svg
    assert "Month " in svg
    assert "% done" not in svg and ">done</text>" in svg
    assert "checkpoints passed" in svg


def test_the_public_page_runs_a_fixed_number_of_queries(
    client: Any, alice_data: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(9):
        assert client.get("/u/alice/").status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get("/u/alice/card.svg").status_code == 200


# --- settings page and API ----------------------------------------------------------------


def test_the_settings_page_needs_sign_in(web_for: Any, db: Any) -> None:
    for path in ("/accounts/portfolio/", "/accounts/portfolio/portfolio.zip"):
        response = web_for(None).get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_settings_page_turns_the_portfolio_on_with_sections(
    web_for: Any, builtin: Any, alice: User, client: Any
) -> None:
    lived_in(alice, public=False)
    owner = web_for(alice)
    assert owner.get("/accounts/portfolio/").status_code == 200
    response = owner.post(
        "/accounts/portfolio/",
        {"enabled": "on", "section_progress": "on", "section_journal": "on"},
    )
    assert response.status_code == 302
    text = client.get("/u/alice/").content.decode()
    assert 'data-testid="section-progress"' in text and 'data-testid="section-journal"' in text
    assert 'data-testid="section-projects"' not in text


def test_the_zip_is_refused_while_the_portfolio_is_off(web_for: Any, alice: User) -> None:
    response = web_for(alice).get("/accounts/portfolio/portfolio.zip")
    assert response.status_code == 302


def test_another_learner_and_staff_see_and_change_only_their_own_settings(
    api_for: Any, alice_data: Any, bob: User, staff: User
) -> None:
    for other in (bob, staff):
        client = api_for(other)
        body = client.get("/api/v1/me/portfolio").json()
        assert body["enabled"] is False
        assert client.patch("/api/v1/me/portfolio", {"enabled": True}).status_code == 200
    assert api_for(alice_data.user).get("/api/v1/me/portfolio").json()["enabled"] is True


def test_portfolio_api(api_for: Any, alice: User, db: Any) -> None:
    assert api_for(None).get("/api/v1/me/portfolio").status_code == 401
    assert api_for(None).patch("/api/v1/me/portfolio", {"enabled": True}).status_code == 401
    client = api_for(alice)
    body = client.get("/api/v1/me/portfolio").json()
    assert body["enabled"] is False
    assert set(body["sections"]) == {
        "progress",
        "projects",
        "checkpoints",
        "hours",
        "journal",
        "reading",
        "certifications",
    }
    assert not any(body["sections"].values())
    changed = client.patch(
        "/api/v1/me/portfolio", {"enabled": True, "sections": {"progress": True, "hours": True}}
    )
    assert changed.status_code == 200
    assert changed.json()["enabled"] is True
    assert changed.json()["sections"]["progress"] is True
    assert changed.json()["sections"]["journal"] is False
    assert changed.json()["url"].endswith("/u/alice/")
    bad = client.patch("/api/v1/me/portfolio", {"sections": {"diary": True, "hours": "yes"}})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"sections.diary", "sections.hours"}
    read_only = api_for(alice, write=False)
    assert read_only.patch("/api/v1/me/portfolio", {"enabled": False}).status_code == 403


def test_a_private_portfolio_is_404_for_everyone_including_its_owner_and_staff(
    client: Any, web_for: Any, builtin: Any, alice: User, bob: User, staff: User
) -> None:
    lived_in(alice, public=False)
    for viewer in (client, web_for(alice), web_for(bob), web_for(staff)):
        assert viewer.get("/u/alice/").status_code == 404
        assert viewer.get("/u/alice/card.svg").status_code == 404


def test_an_entry_is_marked_public_through_the_journal_api_and_form(
    api_for: Any, web_for: Any, client: Any, builtin: Any, alice: User
) -> None:
    data = lived_in(alice)
    api = api_for(alice)
    base = f"/api/v1/enrollments/{data.enrollment.pk}/journal"
    created = api.post(base, {"title": "Indexes explained", "body": "B-trees."})
    assert created.status_code == 201 and created.json()["public"] is False
    assert "Indexes explained" not in client.get("/u/alice/").content.decode()
    entry_id = created.json()["id"]
    assert api.patch(f"{base}/{entry_id}", {"public": True}).json()["public"] is True
    assert "Indexes explained" in client.get("/u/alice/").content.decode()
    # The form's checkbox takes it back.
    response = web_for(alice).post(
        f"/journal/entries/{entry_id}/edit/", {"title": "Indexes explained", "body": "B-trees."}
    )
    assert response.status_code == 302, response.content
    assert "Indexes explained" not in client.get("/u/alice/").content.decode()


def test_the_settings_page_runs_a_fixed_number_of_queries(
    web_for: Any, alice_data: Any, django_assert_max_num_queries: Any
) -> None:
    client = web_for(alice_data.user)
    with django_assert_max_num_queries(3):
        assert client.get("/accounts/portfolio/").status_code == 200

"""GET and PATCH /api/v1/me."""

from __future__ import annotations

import pytest

from levelup.accounts.models import User

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"


def test_anonymous_gets_401(api_for) -> None:
    assert api_for(None).get(ME).status_code == 401
    assert api_for(None).patch(ME, {"display_name": "x"}).status_code == 401


def test_it_shows_the_signed_in_user(api_for, alice: User) -> None:
    response = api_for(alice).get(ME)
    assert response.status_code == 200
    assert response.json() == {
        "username": "alice",
        "email": "alice@example.com",
        "display_name": "Alice",
        "time_zone": "Europe/Berlin",
        "week_start": 0,
        "is_staff": False,
    }


def test_each_user_sees_only_themselves(api_for, alice: User, bob: User, staff: User) -> None:
    assert api_for(bob).get(ME).json()["username"] == "bob"
    assert api_for(staff).get(ME).json()["is_staff"] is True


def test_it_changes_only_the_fields_sent(api_for, alice: User) -> None:
    response = api_for(alice).patch(ME, {"time_zone": "America/Sao_Paulo", "week_start": 6})
    assert response.status_code == 200
    assert response.json()["time_zone"] == "America/Sao_Paulo"
    alice.refresh_from_db()
    assert (alice.display_name, alice.time_zone, alice.week_start) == (
        "Alice",
        "America/Sao_Paulo",
        6,
    )


def test_the_display_name_is_trimmed(api_for, alice: User) -> None:
    assert api_for(alice).patch(ME, {"display_name": "  Al  "}).json()["display_name"] == "Al"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"time_zone": "localtime"}, "time_zone"),
        ({"week_start": 3}, "week_start"),
        ({"week_start": "monday"}, "week_start"),
        ({"display_name": "x" * 101}, "display_name"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_saves_nothing(
    api_for, alice: User, payload: dict, field: str
) -> None:
    response = api_for(alice).patch(ME, payload)
    assert response.status_code == 422
    body = response.json()
    assert [e["field"] for e in body["errors"]] == [field]
    assert field in body["detail"]
    alice.refresh_from_db()
    assert (alice.display_name, alice.time_zone, alice.week_start) == ("Alice", "Europe/Berlin", 0)


def test_one_bad_field_blocks_the_good_ones(api_for, alice: User) -> None:
    response = api_for(alice).patch(
        ME, {"display_name": "New", "time_zone": "Nowhere/City", "week_start": 3}
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"time_zone", "week_start"}
    alice.refresh_from_db()
    assert alice.display_name == "Alice"


def test_it_takes_a_fixed_number_of_queries(
    api_for, alice: User, django_assert_num_queries
) -> None:
    client = api_for(alice)
    # Token lookup with its user, plus the last-used stamp on first use.
    with django_assert_num_queries(2):
        client.get(ME)
    with django_assert_num_queries(1):
        client.get(ME)

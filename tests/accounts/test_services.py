"""Account and token services, called directly."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from levelup.accounts.models import ApiToken, User
from levelup.accounts.services import is_valid_time_zone, user_create
from levelup.accounts.tokens import TOKEN_PREFIX, api_token_create, api_token_revoke
from levelup.lib.errors import Invalid, NotFound
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def fields(exc: pytest.ExceptionInfo) -> list[str]:
    return [e["field"] for e in exc.value.errors]


class TestUserCreate:
    def test_it_creates_a_user_with_a_usable_password(self) -> None:
        user = user_create(username=" kim ", email="kim@example.com", password=PASSWORD)
        assert user.username == "kim"
        assert user.check_password(PASSWORD)
        assert not user.is_staff

    def test_every_bad_field_is_reported_at_once(self) -> None:
        with pytest.raises(Invalid) as caught:
            user_create(username="has space", email="nope", password="123")
        assert set(fields(caught)) == {"username", "email", "password"}
        assert caught.value.status == 422
        assert not User.objects.exists()

    def test_the_database_refuses_names_that_differ_only_in_case(self) -> None:
        User.objects.create_user(username="Ada")
        with pytest.raises(IntegrityError), transaction.atomic():
            User.objects.create_user(username="ada")
        assert User.objects.count() == 1

    def test_a_sign_up_that_loses_the_race_gets_a_field_error(self, monkeypatch) -> None:
        User.objects.create_user(username="Ada")
        # As if the other sign-up committed after the uniqueness check ran.
        monkeypatch.setattr("levelup.accounts.services._username_is_valid", lambda name: True)
        real_filter = User.objects.filter
        monkeypatch.setattr(User.objects, "filter", lambda **kw: real_filter(pk=-1))
        with pytest.raises(Invalid) as caught:
            user_create(username="ada", email="", password=PASSWORD)
        assert fields(caught) == ["username"]
        assert User.objects.count() == 1

    def test_a_long_username_is_refused(self) -> None:
        with pytest.raises(Invalid) as caught:
            user_create(username="u" * 151, email="", password=PASSWORD)
        assert fields(caught) == ["username"]


class TestTimeZones:
    @pytest.mark.parametrize("name", ["UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires"])
    def test_real_zones_are_valid(self, name: str) -> None:
        assert is_valid_time_zone(name)

    @pytest.mark.parametrize(
        "name", ["", "Mars/Base", "europe/berlin", " UTC", "localtime", "../etc/passwd"]
    )
    def test_other_names_are_not(self, name: str) -> None:
        assert not is_valid_time_zone(name)


class TestTokens:
    def test_a_token_has_the_prefix_and_enough_randomness(self, alice: User) -> None:
        issued = api_token_create(user=alice, name="cli")
        assert issued.secret.startswith(f"{TOKEN_PREFIX}{issued.token.prefix}_")
        assert len(issued.secret.split("_", 2)[2]) >= 43

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"name": "  "}, "name"),
            ({"name": "x" * 101}, "name"),
            ({"name": "ok", "expires_at": timezone.now() - timedelta(seconds=1)}, "expires_at"),
        ],
    )
    def test_bad_input_names_the_field_and_creates_nothing(
        self, alice: User, kwargs, field: str
    ) -> None:
        with pytest.raises(Invalid) as caught:
            api_token_create(user=alice, **kwargs)
        assert fields(caught) == [field]
        assert not ApiToken.objects.exists()

    def test_revoking_another_users_token_is_not_found(self, alice: User, bob: User) -> None:
        issued = api_token_create(user=alice, name="cli")
        with pytest.raises(NotFound):
            api_token_revoke(user=bob, token_id=issued.token.pk)
        issued.token.refresh_from_db()
        assert issued.token.revoked_at is None

    def test_revoking_twice_keeps_the_first_time(self, alice: User) -> None:
        issued = api_token_create(user=alice, name="cli")
        first = api_token_revoke(user=alice, token_id=issued.token.pk).revoked_at
        second = api_token_revoke(user=alice, token_id=issued.token.pk).revoked_at
        assert first == second is not None

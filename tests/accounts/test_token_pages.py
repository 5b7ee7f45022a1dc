"""Personal access tokens in the web UI."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from levelup.accounts.models import ApiToken, User
from levelup.accounts.tokens import api_token_create, hash_token
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db

TOKENS = "/accounts/tokens/"


def revoke_url(token: ApiToken) -> str:
    return f"/accounts/tokens/{token.pk}/revoke/"


@pytest.fixture
def owner(alice: User, with_password, web_for) -> Client:
    with_password(alice)
    return web_for(alice)


def create(client: Client, **overrides: str) -> object:
    data = {"name": "laptop", "access": "read", "expires_in_days": "", "password": PASSWORD}
    data.update(overrides)
    return client.post(TOKENS, data)


def shown_secret(html: str) -> str:
    match = re.search(r'value="(lvl_[0-9a-f]{8}_[A-Za-z0-9_-]+)"', html)
    assert match, "the new token is shown on the page"
    return match.group(1)


class TestAccess:
    def test_anonymous_is_sent_to_sign_in(self, browser: Client, alice: User) -> None:
        token = api_token_create(user=alice, name="cli").token
        for response in (browser.get(TOKENS), browser.post(revoke_url(token))):
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/?next=")
        token.refresh_from_db()
        assert token.revoked_at is None

    def test_another_learner_gets_404_revoking_a_token_not_theirs(
        self, web_for, alice: User, bob: User
    ) -> None:
        issued = api_token_create(user=alice, name="cli")
        response = web_for(bob).post(revoke_url(issued.token))
        assert response.status_code == 404
        issued.token.refresh_from_db()
        assert issued.token.revoked_at is None

    def test_staff_also_get_404_for_another_users_token(
        self, web_for, alice: User, staff: User
    ) -> None:
        issued = api_token_create(user=alice, name="cli")
        assert web_for(staff).post(revoke_url(issued.token)).status_code == 404
        issued.token.refresh_from_db()
        assert issued.token.revoked_at is None

    def test_another_users_tokens_are_not_listed(self, web_for, alice: User, bob: User) -> None:
        api_token_create(user=alice, name="alice-secret-laptop")
        html = web_for(bob).get(TOKENS).content.decode()
        assert "alice-secret-laptop" not in html
        assert "You have no tokens yet" in html

    def test_revoke_is_post_only(self, owner: Client, alice: User) -> None:
        token = api_token_create(user=alice, name="cli").token
        response = owner.get(revoke_url(token))
        assert (response.status_code, response["Location"]) == (302, TOKENS)
        token.refresh_from_db()
        assert token.revoked_at is None


class TestCreate:
    def test_it_shows_the_token_once_and_it_works(self, owner: Client, alice: User) -> None:
        response = create(owner, name="laptop CLI", access="write", expires_in_days="30")
        # Post/redirect/get: the secret is shown by the GET the POST redirects to.
        assert (response.status_code, response["Location"]) == (302, "/accounts/tokens/created/")
        response = owner.get(response["Location"])
        assert response.status_code == 200
        html = response.content.decode()
        assert "only time it is shown" in html
        assert "no-store" in response["Cache-Control"]
        secret = shown_secret(html)
        token = ApiToken.objects.get(user=alice)
        assert token.token_hash == hash_token(secret)
        assert token.name == "laptop CLI"
        assert token.can_write is True
        assert token.expires_at is not None
        expected = timezone.now() + timedelta(days=30)
        assert abs((token.expires_at - expected).total_seconds()) < 60
        me = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
        assert me.json()["username"] == "alice"
        # A refresh of that page shows it no more and creates nothing.
        again = owner.get("/accounts/tokens/created/").content.decode()
        assert secret not in again and "The token was shown once" in again
        assert ApiToken.objects.filter(user=alice).count() == 1
        # Never again: the list shows only the prefix.
        listing = owner.get(TOKENS).content.decode()
        assert secret not in listing
        assert f"lvl_{token.prefix}…" in listing

    def test_the_same_form_sent_twice_creates_one_token(self, owner: Client, alice: User) -> None:
        form = owner.get(TOKENS).content.decode()
        once = re.search(r'name="form_token" value="([^"]+)"', form)
        assert once is not None
        first = create(owner, name="laptop", form_token=once.group(1))
        second = create(owner, name="laptop", form_token=once.group(1))
        assert first["Location"] == second["Location"] == "/accounts/tokens/created/"
        assert ApiToken.objects.filter(user=alice).count() == 1
        # A fresh form is a new request: it may create a second token.
        create(owner, name="desktop")
        assert ApiToken.objects.filter(user=alice).count() == 2

    def test_a_read_token_without_expiry(self, owner: Client, alice: User) -> None:
        create(owner)
        token = ApiToken.objects.get(user=alice)
        assert (token.can_write, token.expires_at) == (False, None)

    def test_a_wrong_password_is_a_form_error_and_creates_nothing(
        self, owner: Client, alice: User
    ) -> None:
        response = create(owner, password="not my password")
        assert response.status_code == 422
        assert ">Your password</a>: The password is not correct." in response.content.decode()
        assert not ApiToken.objects.exists()

    def test_bad_fields_are_named(self, owner: Client) -> None:
        response = create(owner, name="", access="admin", expires_in_days="0")
        html = response.content.decode()
        assert response.status_code == 422
        assert ">Token name</a>:" in html
        assert ">Access</a>:" in html
        assert ">Expires after (days)</a>:" in html
        assert not ApiToken.objects.exists()

    def test_wrong_passwords_count_towards_the_sign_in_lock(
        self, owner: Client, alice: User
    ) -> None:
        for _ in range(5):
            create(owner, password="guess")
        response = create(owner)
        assert "Too many failed sign-ins" in response.content.decode()
        assert not ApiToken.objects.exists()


class TestListAndRevoke:
    def test_the_list_shows_each_tokens_details(self, owner: Client, alice: User) -> None:
        api_token_create(user=alice, name="read-one")
        api_token_create(
            user=alice,
            name="write-one",
            can_write=True,
            expires_at=timezone.now() + timedelta(days=3),
        )
        html = owner.get(TOKENS).content.decode()
        assert "read-one" in html and "write-one" in html
        assert "read only" in html and "read and write" in html
        assert "never" in html  # last used, and the expiry of read-one
        assert html.count('data-state="active"') == 2

    def test_revoking_stops_the_token_at_once(self, owner: Client, alice: User) -> None:
        issued = api_token_create(user=alice, name="cli")
        headers = {"Authorization": f"Bearer {issued.secret}"}
        assert Client().get("/api/v1/me", headers=headers).status_code == 200
        response = owner.post(revoke_url(issued.token))
        assert response.status_code == 302
        assert response["Location"] == TOKENS
        assert Client().get("/api/v1/me", headers=headers).status_code == 401
        html = owner.get(TOKENS).content.decode()
        assert 'data-state="revoked"' in html

    def test_revoking_a_missing_token_is_404(self, owner: Client) -> None:
        assert owner.post("/accounts/tokens/999999/revoke/").status_code == 404

    def test_the_page_takes_a_fixed_number_of_queries(
        self, owner: Client, alice: User, django_assert_max_num_queries
    ) -> None:
        api_token_create(user=alice, name="one")
        with django_assert_max_num_queries(6) as few:
            owner.get(TOKENS)
        for n in range(10):
            api_token_create(user=alice, name=f"more-{n}")
        with django_assert_max_num_queries(len(few.captured_queries)):
            owner.get(TOKENS)

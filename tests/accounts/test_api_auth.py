"""API authentication: bearer tokens and the browser session."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.utils import timezone

from levelup.accounts.models import ApiToken, User
from levelup.accounts.tokens import api_token_create, api_token_revoke, hash_token

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def patch(client: Client, data: dict, **extra) -> object:
    return client.patch(ME, json.dumps(data), content_type="application/json", **extra)


class TestBearerTokens:
    def test_a_valid_token_authenticates(self, alice: User) -> None:
        issued = api_token_create(user=alice, name="cli")
        response = Client().get(ME, headers=bearer(issued.secret))
        assert response.status_code == 200
        assert response.json()["username"] == "alice"

    def test_only_the_sha256_is_stored(self, alice: User) -> None:
        issued = api_token_create(user=alice, name="cli")
        row = ApiToken.objects.get(pk=issued.token.pk)
        assert row.token_hash == hash_token(issued.secret)
        assert len(row.token_hash) == 64
        # Nothing in the table holds the secret, whatever the column.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table}")
            rows = cursor.fetchall()
        assert rows
        secret_part = issued.secret.split("_", 2)[2]
        for stored in rows:
            for value in stored:
                assert secret_part not in str(value)

    def test_an_unknown_token_is_refused(self, alice: User) -> None:
        response = Client().get(ME, headers=bearer("lvl_00000000_not-a-real-token"))
        assert response.status_code == 401
        assert "not valid" in response.json()["detail"]

    def test_a_revoked_token_stops_working_at_once(self, alice: User) -> None:
        issued = api_token_create(user=alice, name="cli")
        client = Client()
        assert client.get(ME, headers=bearer(issued.secret)).status_code == 200
        api_token_revoke(user=alice, token_id=issued.token.pk)
        assert client.get(ME, headers=bearer(issued.secret)).status_code == 401

    def test_an_expired_token_stops_working_at_once(self, alice: User) -> None:
        now = timezone.now()
        with time_machine.travel(now, tick=False) as clock:
            issued = api_token_create(user=alice, name="cli", expires_at=now + timedelta(hours=1))
            client = Client()
            clock.shift(timedelta(minutes=59))
            assert client.get(ME, headers=bearer(issued.secret)).status_code == 200
            clock.shift(timedelta(minutes=1, seconds=1))
            assert client.get(ME, headers=bearer(issued.secret)).status_code == 401

    def test_a_deactivated_users_token_stops_working(self, alice: User) -> None:
        issued = api_token_create(user=alice, name="cli")
        alice.is_active = False
        alice.save(update_fields=["is_active"])
        assert Client().get(ME, headers=bearer(issued.secret)).status_code == 401

    @pytest.mark.parametrize("name", ["token", "access_token", "api_key"])
    def test_a_token_in_the_query_string_is_refused(self, alice: User, name: str) -> None:
        issued = api_token_create(user=alice, name="cli")
        response = Client().get(ME, {name: issued.secret})
        assert response.status_code == 401
        assert f"'{name}'" in response.json()["detail"]

    def test_a_query_string_token_is_refused_even_beside_a_valid_header(self, alice: User) -> None:
        issued = api_token_create(user=alice, name="cli")
        response = Client().get(ME, {"token": issued.secret}, headers=bearer(issued.secret))
        assert response.status_code == 401
        assert "query string" in response.json()["detail"]
        assert "'token'" in response.json()["detail"]

    def test_a_read_only_token_can_read_but_not_patch_me(self, alice: User) -> None:
        issued = api_token_create(user=alice, name="ro", can_write=False)
        client = Client()
        assert client.get(ME, headers=bearer(issued.secret)).status_code == 200
        response = patch(client, {"display_name": "Changed"}, headers=bearer(issued.secret))
        assert response.status_code == 403
        assert "read-only" in response.json()["detail"]
        alice.refresh_from_db()
        assert alice.display_name == "Alice"

    def test_a_write_token_needs_no_csrf_token(self, alice: User) -> None:
        issued = api_token_create(user=alice, name="rw", can_write=True)
        strict = Client(enforce_csrf_checks=True)
        response = patch(strict, {"display_name": "Ally"}, headers=bearer(issued.secret))
        assert response.status_code == 200
        assert response.json()["display_name"] == "Ally"

    def test_last_used_is_recorded_without_a_write_per_request(self, alice: User) -> None:
        issued = api_token_create(user=alice, name="cli")
        now = timezone.now()
        with time_machine.travel(now, tick=False) as clock:
            Client().get(ME, headers=bearer(issued.secret))
            issued.token.refresh_from_db()
            assert issued.token.last_used_at == now
            clock.shift(timedelta(seconds=30))
            Client().get(ME, headers=bearer(issued.secret))
            issued.token.refresh_from_db()
            assert issued.token.last_used_at == now


class TestSession:
    def test_anonymous_gets_401(self, db) -> None:
        assert Client().get(ME).status_code == 401
        response = patch(Client(enforce_csrf_checks=True), {"display_name": "x"})
        # No session at all is an authentication problem, not a CSRF one.
        assert response.status_code == 401
        assert "authentication required" in response.json()["detail"]

    def test_session_get_needs_no_csrf_token(self, alice: User) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(alice)
        assert client.get(ME).json()["username"] == "alice"

    def test_session_patch_without_csrf_token_is_403_and_saves_nothing(self, alice: User) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(alice)
        response = patch(client, {"display_name": "Hacked"})
        assert response.status_code == 403
        assert "CSRF" in response.json()["detail"]
        alice.refresh_from_db()
        assert alice.display_name == "Alice"

    def test_session_patch_with_csrf_token_is_200(self, alice: User) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(alice)
        client.get("/accounts/profile/")  # the page sets the csrftoken cookie
        csrf = client.cookies["csrftoken"].value
        response = patch(client, {"display_name": "Ally"}, headers={"X-CSRFToken": csrf})
        assert response.status_code == 200
        alice.refresh_from_db()
        assert alice.display_name == "Ally"

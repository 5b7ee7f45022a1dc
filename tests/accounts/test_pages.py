"""Sign up, sign in and out, change password, profile."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from levelup.accounts.models import User
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def signup_data(**overrides: str) -> dict[str, str]:
    data = {
        "username": "carol",
        "email": "carol@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


class TestSignup:
    def test_the_page_shows_the_form(self, browser: Client) -> None:
        response = browser.get("/accounts/signup/")
        assert response.status_code == 200
        html = response.content.decode()
        for name in ("username", "email", "password1", "password2"):
            assert f'name="{name}"' in html
        assert "csrfmiddlewaretoken" in html

    def test_it_creates_the_account_signs_in_and_goes_to_the_dashboard(
        self, browser: Client
    ) -> None:
        response = browser.post("/accounts/signup/", signup_data())
        assert response.status_code == 302
        assert response["Location"] == "/dashboard/"
        user = User.objects.get(username="carol")
        assert user.email == "carol@example.com"
        assert browser.session[SESSION_KEY] == str(user.pk)

    def test_the_password_is_stored_with_argon2(self, browser: Client) -> None:
        browser.post("/accounts/signup/", signup_data())
        user = User.objects.get(username="carol")
        assert user.password.startswith("argon2$")
        assert PASSWORD not in user.password
        assert user.check_password(PASSWORD)

    @pytest.mark.parametrize(
        ("password", "fragment"),
        [
            ("short1", "too short"),
            ("12345678901", "entirely numeric"),
            ("password123", "too common"),
        ],
    )
    def test_django_password_validators_reject_weak_passwords(
        self, browser: Client, password: str, fragment: str
    ) -> None:
        response = browser.post(
            "/accounts/signup/", signup_data(password1=password, password2=password)
        )
        assert response.status_code == 422
        html = response.content.decode()
        assert fragment in html
        assert ">Password</a>:" in html
        assert not User.objects.filter(username="carol").exists()

    def test_a_password_too_similar_to_the_username_is_rejected(self, browser: Client) -> None:
        response = browser.post(
            "/accounts/signup/",
            signup_data(username="margaretha", password1="margaretha1", password2="margaretha1"),
        )
        assert response.status_code == 422
        assert "too similar" in response.content.decode()
        assert not User.objects.filter(username="margaretha").exists()

    def test_the_two_passwords_must_match(self, browser: Client) -> None:
        response = browser.post("/accounts/signup/", signup_data(password2=PASSWORD + "x"))
        assert response.status_code == 422
        assert ">Password again</a>: The two passwords differ" in response.content.decode()
        assert not User.objects.exists()

    def test_a_taken_username_is_refused_whatever_its_case(
        self, browser: Client, alice: User
    ) -> None:
        response = browser.post("/accounts/signup/", signup_data(username="ALICE"))
        assert response.status_code == 422
        page = response.content.decode()
        # Refused without saying that the name belongs to someone (tests/accounts/test_signup_limits.py).
        assert "That username or e-mail address cannot be used." in page
        assert "ALICE" not in page.split("<form")[0]
        assert User.objects.count() == 1

    def test_every_missing_field_is_named(self, browser: Client) -> None:
        response = browser.post("/accounts/signup/", {})
        html = response.content.decode()
        assert response.status_code == 422
        for label in ("Username", "Email", "Password", "Password again"):
            assert f">{label}</a>: This field is required." in html
        assert not User.objects.exists()

    def test_a_bad_email_is_refused(self, browser: Client) -> None:
        response = browser.post("/accounts/signup/", signup_data(email="not-an-address"))
        assert response.status_code == 422
        assert ">Email</a>: Enter a valid email address." in response.content.decode()
        assert not User.objects.exists()

    def test_it_requires_a_csrf_token(self, client_ip: str) -> None:
        strict = Client(enforce_csrf_checks=True, REMOTE_ADDR=client_ip)
        response = strict.post("/accounts/signup/", signup_data())
        assert response.status_code == 403
        assert not User.objects.exists()


class TestLogin:
    def test_the_right_password_signs_in_and_goes_to_the_dashboard(
        self, browser: Client, alice: User, with_password
    ) -> None:
        with_password(alice)
        response = browser.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
        assert response.status_code == 302
        assert response["Location"] == "/dashboard/"
        assert browser.session[SESSION_KEY] == str(alice.pk)

    def test_it_follows_a_safe_next_parameter_only(
        self, browser: Client, alice: User, with_password
    ) -> None:
        with_password(alice)
        response = browser.post(
            "/accounts/login/",
            {"username": "alice", "password": PASSWORD, "next": "/accounts/profile/"},
        )
        assert response["Location"] == "/accounts/profile/"
        browser.post("/accounts/logout/")
        response = browser.post(
            "/accounts/login/",
            {"username": "alice", "password": PASSWORD, "next": "https://evil.example/"},
        )
        assert response["Location"] == "/dashboard/"

    def test_a_wrong_password_shows_an_error_and_no_session(
        self, browser: Client, alice: User, with_password
    ) -> None:
        with_password(alice)
        response = browser.post("/accounts/login/", {"username": "alice", "password": "nope"})
        assert response.status_code == 422
        assert "correct username and password" in response.content.decode()
        assert SESSION_KEY not in browser.session

    def test_the_session_cookie_is_http_only(
        self, browser: Client, alice: User, with_password
    ) -> None:
        with_password(alice)
        response = browser.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
        cookie = response.cookies["sessionid"]
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"


class TestLogout:
    def test_get_does_not_sign_out_and_goes_home(self, web_for, alice: User) -> None:
        client = web_for(alice)
        response = client.get("/accounts/logout/")
        assert (response.status_code, response["Location"]) == (302, "/")
        assert SESSION_KEY in client.session

    def test_post_signs_out_and_goes_home(self, web_for, alice: User) -> None:
        client = web_for(alice)
        response = client.post("/accounts/logout/")
        assert response.status_code == 302
        assert response["Location"] == "/"
        assert SESSION_KEY not in client.session


class TestPasswordChange:
    def test_anonymous_is_sent_to_sign_in(self, browser: Client) -> None:
        response = browser.get("/accounts/password/")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=/accounts/password/"

    def test_it_changes_the_password_and_keeps_the_session(
        self, web_for, alice: User, with_password
    ) -> None:
        with_password(alice)
        client = web_for(alice)
        new = "a different horse 77 staple"
        response = client.post(
            "/accounts/password/",
            {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        )
        assert response.status_code == 302
        alice.refresh_from_db()
        assert alice.check_password(new)
        # Still signed in: the next page is served, not a redirect to sign in.
        assert client.get("/accounts/profile/").status_code == 200

    def test_a_wrong_old_password_is_named(self, web_for, alice: User, with_password) -> None:
        with_password(alice)
        client = web_for(alice)
        new = "a different horse 77 staple"
        response = client.post(
            "/accounts/password/",
            {"old_password": "wrong", "new_password1": new, "new_password2": new},
        )
        assert response.status_code == 422
        assert ">Old password</a>:" in response.content.decode()
        alice.refresh_from_db()
        assert alice.check_password(PASSWORD)

    def test_a_weak_new_password_is_refused(self, web_for, alice: User, with_password) -> None:
        with_password(alice)
        client = web_for(alice)
        response = client.post(
            "/accounts/password/",
            {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"},
        )
        assert response.status_code == 422
        assert "too short" in response.content.decode()
        alice.refresh_from_db()
        assert alice.check_password(PASSWORD)


class TestProfile:
    def test_anonymous_is_sent_to_sign_in(self, browser: Client) -> None:
        response = browser.get("/accounts/profile/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_it_shows_the_current_values(self, web_for, alice: User) -> None:
        html = web_for(alice).get("/accounts/profile/").content.decode()
        assert 'value="Alice"' in html
        assert '<option value="Europe/Berlin" selected>' in html

    def test_it_saves_name_zone_and_week_start(self, web_for, alice: User) -> None:
        response = web_for(alice).post(
            "/accounts/profile/",
            {"display_name": "Alice L.", "time_zone": "Asia/Tokyo", "week_start": "6"},
        )
        assert response.status_code == 302
        alice.refresh_from_db()
        assert (alice.display_name, alice.time_zone, alice.week_start) == (
            "Alice L.",
            "Asia/Tokyo",
            6,
        )

    def test_bad_values_are_named_and_nothing_is_saved(self, web_for, alice: User) -> None:
        response = web_for(alice).post(
            "/accounts/profile/",
            {"display_name": "x" * 101, "time_zone": "Mars/Olympus", "week_start": "3"},
        )
        assert response.status_code == 422
        html = response.content.decode()
        assert ">Display name</a>:" in html
        assert ">Time zone</a>:" in html
        assert ">Week starts on</a>:" in html
        alice.refresh_from_db()
        assert (alice.display_name, alice.time_zone, alice.week_start) == (
            "Alice",
            "Europe/Berlin",
            0,
        )

    def test_each_user_sees_only_their_own_profile(self, web_for, alice: User, bob: User) -> None:
        html = web_for(bob).get("/accounts/profile/").content.decode()
        assert "bob" in html
        assert "Alice" not in html

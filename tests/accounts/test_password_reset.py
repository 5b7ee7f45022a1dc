"""Password reset by e-mail, and the sign-in lockout shared by every password check."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.utils import timezone

from levelup.accounts import throttle
from levelup.accounts.models import User
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new passphrase 77"
SENT = "If an account on this server has that address, a link to set a new password"
LOCKED = "Too many failed sign-ins; try again in"


@pytest.fixture(autouse=True)
def mail_in_memory(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def alice_pw(alice: User, with_password: Any) -> User:
    return with_password(alice)


def ask_reset(client: Client, email: str) -> Any:
    return client.post("/accounts/password/reset/", {"email": email}, follow=True)


def reset_link() -> str:
    assert len(mail.outbox) == 1
    match = re.search(
        r"http://testserver(/accounts/password/reset/[^/\s]+/[^/\s]+/)", mail.outbox[0].body
    )
    assert match is not None, mail.outbox[0].body
    return match.group(1)


def set_password(client: Client, link: str, first: str, second: str | None = None) -> Any:
    # Django first redirects the link to one without the token in it (kept in the session).
    form = client.get(link, follow=True)
    url = form.redirect_chain[-1][0] if form.redirect_chain else link
    return client.post(url, {"new_password1": first, "new_password2": second or first})


def sign_in(client: Client, username: str, password: str) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password})


class TestReset:
    def test_the_link_sets_a_new_password_that_signs_in(
        self, browser: Client, alice_pw: User
    ) -> None:
        page = ask_reset(browser, "ALICE@example.com")
        assert SENT in page.content.decode()
        assert mail.outbox[0].to == ["alice@example.com"]
        assert mail.outbox[0].subject == "Set a new levelup password"
        done = set_password(browser, reset_link(), NEW_PASSWORD)
        assert done.status_code == 302 and done["Location"] == "/accounts/password/reset/done/"
        assert sign_in(Client(), "alice", PASSWORD).status_code == 422
        fresh = Client()
        assert sign_in(fresh, "alice", NEW_PASSWORD).status_code == 302
        assert SESSION_KEY in fresh.session

    def test_an_unknown_address_gets_the_same_page_and_no_mail(self, browser: Client) -> None:
        page = ask_reset(browser, "nobody@example.com")
        assert page.status_code == 200
        assert SENT in page.content.decode()
        assert mail.outbox == []

    def test_the_link_works_once(self, browser: Client, alice_pw: User) -> None:
        ask_reset(browser, "alice@example.com")
        link = reset_link()
        set_password(browser, link, NEW_PASSWORD)
        again = Client().get(link, follow=True)
        assert "This link no longer works" in again.content.decode()
        alice_pw.refresh_from_db()
        assert alice_pw.check_password(NEW_PASSWORD)

    def test_an_expired_link_no_longer_works(
        self, browser: Client, alice_pw: User, settings: Any
    ) -> None:
        ask_reset(browser, "alice@example.com")
        link = reset_link()
        with time_machine.travel(
            timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
        ):
            page = Client().get(link, follow=True)
        assert "This link no longer works" in page.content.decode()
        alice_pw.refresh_from_db()
        assert alice_pw.check_password(PASSWORD)

    def test_mismatched_or_weak_passwords_are_named_and_nothing_changes(
        self, browser: Client, alice_pw: User
    ) -> None:
        ask_reset(browser, "alice@example.com")
        link = reset_link()
        mismatch = set_password(browser, link, NEW_PASSWORD, "something else 123")
        assert mismatch.status_code == 422
        assert "didn’t match" in mismatch.content.decode()
        weak = set_password(browser, link, "12345678")
        assert weak.status_code == 422
        assert "This password is too common" in weak.content.decode()
        alice_pw.refresh_from_db()
        assert alice_pw.check_password(PASSWORD)

    def test_a_reset_lifts_the_lock_on_the_account(self, browser: Client, alice_pw: User) -> None:
        attacker = Client(REMOTE_ADDR="198.51.100.9")
        for _ in range(5):
            sign_in(attacker, "alice", "guess")
        assert LOCKED in sign_in(Client(), "alice", PASSWORD).content.decode()
        ask_reset(browser, "alice@example.com")
        set_password(browser, reset_link(), NEW_PASSWORD)
        assert sign_in(Client(), "alice", NEW_PASSWORD).status_code == 302

    def test_a_signed_in_learner_can_reset_too(self, web_for: Any, alice_pw: User) -> None:
        page = web_for(alice_pw).post("/accounts/password/reset/", {"email": "alice@example.com"})
        assert page.status_code == 302
        assert len(mail.outbox) == 1

    def test_a_bad_address_is_named(self, browser: Client) -> None:
        page = browser.post("/accounts/password/reset/", {"email": "not an address"})
        assert page.status_code == 422
        assert "Enter a valid email address." in page.content.decode()


class TestResetThrottle:
    def test_an_email_address_gets_three_links_an_hour_known_or_not(
        self, client_ip: str, alice_pw: User
    ) -> None:
        for email in ("alice@example.com", "nobody@example.com"):
            for n in range(3):
                # Each from another address: the e-mail address is what is counted.
                client = Client(REMOTE_ADDR=f"192.0.2.{n + 1}")
                assert client.post("/accounts/password/reset/", {"email": email}).status_code == 302
            locked = Client(REMOTE_ADDR="192.0.2.99").post(
                "/accounts/password/reset/", {"email": email}
            )
            assert locked.status_code == 429
            assert "Too many password-reset requests; try again in 60 minutes." in (
                locked.content.decode()
            )
        assert len(mail.outbox) == 3  # only alice's three

    def test_an_address_gets_ten_requests_an_hour(self, client_ip: str) -> None:
        client = Client(REMOTE_ADDR=client_ip)
        for n in range(10):
            answer = client.post("/accounts/password/reset/", {"email": f"p{n}@example.com"})
            assert answer.status_code == 302
        assert (
            client.post("/accounts/password/reset/", {"email": "p10@example.com"}).status_code
            == 429
        )


class TestEveryPasswordCheckSharesTheLockout:
    def test_the_admin_sign_in_counts_and_obeys_the_lock(
        self, staff: User, with_password: Any
    ) -> None:
        with_password(staff)
        client = Client(REMOTE_ADDR="192.0.2.50")
        for _ in range(5):
            answer = client.post("/admin/login/", {"username": "staff", "password": "wrong"})
            assert answer.status_code == 200
        # Locked for the sign-in page too, and the right password does not open the admin.
        assert LOCKED in sign_in(Client(), "staff", PASSWORD).content.decode()
        right = Client().post(
            "/admin/login/?next=/admin/", {"username": "staff", "password": PASSWORD}
        )
        assert LOCKED in right.content.decode()
        assert SESSION_KEY not in right.client.session

    def test_failures_on_the_sign_in_page_lock_the_admin(
        self, staff: User, with_password: Any
    ) -> None:
        with_password(staff)
        for _ in range(5):
            sign_in(Client(), "staff", "wrong")
        right = Client().post("/admin/login/", {"username": "staff", "password": PASSWORD})
        assert LOCKED in right.content.decode()

    def test_the_admin_still_signs_staff_in_and_refuses_learners(
        self, staff: User, alice_pw: User, with_password: Any
    ) -> None:
        with_password(staff)
        ok = Client().post(
            "/admin/login/?next=/admin/", {"username": "staff", "password": PASSWORD}
        )
        assert ok.status_code == 302
        learner = Client().post("/admin/login/", {"username": "alice", "password": PASSWORD})
        assert "staff account" in learner.content.decode()

    def test_wrong_old_passwords_lock_the_password_change(
        self, web_for: Any, alice_pw: User
    ) -> None:
        client = web_for(alice_pw)
        form = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        for _ in range(5):
            answer = client.post("/accounts/password/", {"old_password": "guess", **form})
            assert answer.status_code == 422
        right = client.post("/accounts/password/", {"old_password": PASSWORD, **form})
        assert right.status_code == 422
        assert LOCKED in right.content.decode()
        alice_pw.refresh_from_db()
        assert alice_pw.check_password(PASSWORD)
        assert throttle.login_lockout(username="alice", client="203.0.113.1") is not None


class TestResetPagesForEveryone:
    @pytest.mark.parametrize(
        "path",
        [
            "/accounts/password/reset/",
            "/accounts/password/reset/sent/",
            "/accounts/password/reset/done/",
        ],
    )
    def test_the_pages_open_for_anyone(
        self, path: str, web_for: Any, alice: User, bob: User, staff: User
    ) -> None:
        for user in (None, alice, bob, staff):
            assert web_for(user).get(path).status_code == 200

    def test_a_link_for_one_account_does_not_work_for_another(
        self, browser: Client, alice_pw: User, bob: User, web_for: Any
    ) -> None:
        from django.utils.encoding import force_bytes
        from django.utils.http import urlsafe_base64_encode

        ask_reset(browser, "alice@example.com")
        token = reset_link().rstrip("/").split("/")[-1]
        bobs = f"/accounts/password/reset/{urlsafe_base64_encode(force_bytes(bob.pk))}/{token}/"
        for user in (None, alice_pw, bob):
            page = web_for(user).get(bobs, follow=True)
            assert "This link no longer works" in page.content.decode()
        bob.refresh_from_db()
        assert not bob.check_password(NEW_PASSWORD)

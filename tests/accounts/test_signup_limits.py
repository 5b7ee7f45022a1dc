"""Sign-up abuse limits: a throttle per address, registration modes and invitations, and a
refusal that does not tell whether a username or an e-mail address is taken."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import Client
from django.utils import timezone

from levelup.accounts import services
from levelup.accounts.models import SignupInvite, User
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db

CANNOT = "That username or e-mail address cannot be used."


def signup_data(username: str = "carol", **overrides: str) -> dict[str, str]:
    data = {
        "username": username,
        "email": f"{username}@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def errors_of(response: Any) -> str:
    """The page's error block, where a refusal is explained."""
    html = response.content.decode()
    match = re.search(r'<div class="form-errors".*?</div>', html, flags=re.S)
    return match.group(0) if match else ""


class TestTheMessageNamesNoAccount:
    def test_a_taken_username_and_a_taken_email_get_the_same_answer(
        self, browser: Client, alice: User
    ) -> None:
        by_name = browser.post("/accounts/signup/", signup_data("Alice", email="new@example.com"))
        by_email = browser.post(
            "/accounts/signup/", signup_data("newname", email="ALICE@example.com")
        )
        assert by_name.status_code == by_email.status_code == 422
        assert CANNOT in errors_of(by_name)
        assert errors_of(by_name) == errors_of(by_email)
        assert "Alice" not in errors_of(by_name) and "taken" not in errors_of(by_name)
        assert User.objects.count() == 1

    def test_the_password_is_hashed_whether_the_account_is_created_or_refused(
        self, browser: Client, alice: User
    ) -> None:
        with mock.patch.object(
            Argon2PasswordHasher, "encode", autospec=True, side_effect=Argon2PasswordHasher.encode
        ) as encode:
            refused = browser.post("/accounts/signup/", signup_data("alice"))
            assert refused.status_code == 422
            assert encode.call_count == 1
            created = browser.post("/accounts/signup/", signup_data("dora"))
            assert created.status_code == 302
            assert encode.call_count == 2

    def test_operators_still_learn_that_a_name_is_taken(self, alice: User) -> None:
        with pytest.raises(services.Invalid, match="'alice' is already taken"):
            services.user_create(username="alice", email="", password=PASSWORD)


class TestTheThrottle:
    def test_an_address_gets_five_sign_ups_an_hour(self, client_ip: str) -> None:
        browser = Client(REMOTE_ADDR=client_ip)
        for n in range(5):
            assert browser.post("/accounts/signup/", signup_data(f"user{n}")).status_code == 302
            browser.post("/accounts/logout/")
        refused = browser.post("/accounts/signup/", signup_data("user5"))
        assert refused.status_code == 429
        assert "Too many sign-ups from your address; try again in 60 minutes." in errors_of(refused)
        assert not User.objects.filter(username="user5").exists()
        # Another address is not affected.
        other = Client(REMOTE_ADDR="203.0.113.77")
        assert other.post("/accounts/signup/", signup_data("user6")).status_code == 302

    def test_refusals_for_a_taken_name_count_and_the_lock_ends(
        self, client_ip: str, alice: User, settings: Any
    ) -> None:
        settings.SIGNUP_LIMIT = 2
        browser = Client(REMOTE_ADDR=client_ip)
        start = timezone.now()
        with time_machine.travel(start, tick=False) as clock:
            browser.post("/accounts/signup/", signup_data("alice"))
            browser.post("/accounts/signup/", signup_data("alice", email="x@example.com"))
            assert browser.post("/accounts/signup/", signup_data("erin")).status_code == 429
            clock.shift(timedelta(hours=1, seconds=1))
            assert browser.post("/accounts/signup/", signup_data("erin")).status_code == 302

    def test_sign_ups_with_invitations_are_not_counted_per_address(
        self, client_ip: str, staff: User, settings: Any
    ) -> None:
        settings.REGISTRATION = "invite"
        settings.SIGNUP_LIMIT = 1
        # A classroom behind one address: each student has an invitation of their own.
        for n in range(3):
            code = services.signup_invite_create(created_by=staff).code
            browser = Client(REMOTE_ADDR=client_ip)
            answer = browser.post("/accounts/signup/", signup_data(f"pupil{n}", invite=code))
            assert answer.status_code == 302
        assert User.objects.filter(username__startswith="pupil").count() == 3

    def test_one_invitation_does_not_allow_probing_for_names(
        self, client_ip: str, staff: User, alice: User, settings: Any
    ) -> None:
        settings.REGISTRATION = "invite"
        settings.SIGNUP_LIMIT = 2
        code = services.signup_invite_create(created_by=staff).code
        browser = Client(REMOTE_ADDR=client_ip)
        for _ in range(2):
            probe = browser.post("/accounts/signup/", signup_data("alice", invite=code))
            assert CANNOT in errors_of(probe)
        locked = browser.post("/accounts/signup/", signup_data("alice", invite=code))
        assert locked.status_code == 429
        assert SignupInvite.objects.get().state == "open"

    def test_a_form_with_mistakes_does_not_count(self, client_ip: str, settings: Any) -> None:
        settings.SIGNUP_LIMIT = 1
        browser = Client(REMOTE_ADDR=client_ip)
        for _ in range(3):
            mismatch = signup_data("fred", password2="something else entirely 1")
            assert browser.post("/accounts/signup/", mismatch).status_code == 422
        assert browser.post("/accounts/signup/", signup_data("fred")).status_code == 302


class TestRegistrationModes:
    def test_closed_refuses_the_page_and_the_form(self, browser: Client, settings: Any) -> None:
        settings.REGISTRATION = "closed"
        page = browser.get("/accounts/signup/")
        assert page.status_code == 403
        assert "Sign-up is closed on this server" in page.content.decode()
        assert browser.post("/accounts/signup/", signup_data()).status_code == 403
        assert not User.objects.exists()
        for path in ("/", "/accounts/login/"):
            assert "/accounts/signup/" not in browser.get(path).content.decode()
        settings.REGISTRATION = "open"
        assert "/accounts/signup/" in browser.get("/accounts/login/").content.decode()

    def test_invite_needs_an_open_invitation_and_uses_it_once(
        self, browser: Client, staff: User, settings: Any
    ) -> None:
        settings.REGISTRATION = "invite"
        without = browser.post("/accounts/signup/", signup_data("gina"))
        assert without.status_code == 422
        assert "sign-up on this server needs an invitation" in errors_of(without)
        issued = services.signup_invite_create(created_by=staff, note="Gina")
        page = browser.get(f"/accounts/signup/?invite={issued.code}")
        assert f'value="{issued.code}"' in page.content.decode()
        created = browser.post("/accounts/signup/", signup_data("gina", invite=issued.code))
        assert created.status_code == 302
        gina = User.objects.get(username="gina")
        invite = SignupInvite.objects.get()
        assert invite.used_by == gina and invite.state == "used"
        second = Client().post("/accounts/signup/", signup_data("hank", invite=issued.code))
        assert "this invitation is used" in errors_of(second)
        assert not User.objects.filter(username="hank").exists()

    def test_an_expired_or_revoked_invitation_is_named_so(
        self, browser: Client, staff: User, settings: Any
    ) -> None:
        settings.REGISTRATION = "invite"
        old = services.signup_invite_create(created_by=staff, days=1)
        revoked = services.signup_invite_create(created_by=staff)
        services.signup_invite_revoke(invite_id=revoked.invite.pk)
        with time_machine.travel(timezone.now() + timedelta(days=2)):
            answer = browser.post("/accounts/signup/", signup_data("ivy", invite=old.code))
            assert "this invitation is expired" in errors_of(answer)
        answer = browser.post("/accounts/signup/", signup_data("ivy", invite=revoked.code))
        assert "this invitation is revoked" in errors_of(answer)
        answer = browser.post("/accounts/signup/", signup_data("ivy", invite="made-up"))
        assert "this invitation code is not known" in errors_of(answer)
        assert not User.objects.filter(username="ivy").exists()

    def test_open_needs_no_invitation_field(self, browser: Client) -> None:
        assert 'name="invite"' not in browser.get("/accounts/signup/").content.decode()


class TestInvitationsPage:
    def test_anonymous_is_sent_to_sign_in(self, browser: Client) -> None:
        for answer in (
            browser.get("/accounts/invites/"),
            browser.post("/accounts/invites/", {"days": 7}),
        ):
            assert answer.status_code == 302
            assert answer["Location"].startswith("/accounts/login/")
        assert not SignupInvite.objects.exists()

    def test_learners_do_not_find_it(self, web_for: Any, alice: User, bob: User) -> None:
        staff_made = services.signup_invite_create(created_by=None)
        for learner in (alice, bob):
            client = web_for(learner)
            assert client.get("/accounts/invites/").status_code == 404
            assert client.post("/accounts/invites/", {"days": 7}).status_code == 404
            revoke = f"/accounts/invites/{staff_made.invite.pk}/revoke/"
            assert client.post(revoke).status_code == 404
        assert SignupInvite.objects.get().state == "open"

    def test_staff_make_an_invitation_see_its_link_once_and_revoke_it(
        self, web_for: Any, staff: User
    ) -> None:
        client = web_for(staff)
        made = client.post("/accounts/invites/", {"note": "Ada, backend team", "days": 7})
        assert made.status_code == 302
        page = client.get("/accounts/invites/").content.decode()
        link = re.search(r"http://testserver/accounts/signup/\?invite=([\w-]+)", page)
        assert link is not None
        invite = SignupInvite.objects.get()
        assert invite.code_hash == services.sha256_hex(link.group(1))
        assert invite.note == "Ada, backend team" and invite.created_by == staff
        assert link.group(1) not in client.get("/accounts/invites/").content.decode()
        assert client.post(f"/accounts/invites/{invite.pk}/revoke/").status_code == 302
        invite.refresh_from_db()
        assert invite.state == "revoked"
        assert client.post("/accounts/invites/999999/revoke/").status_code == 404

    def test_a_bad_duration_is_named(self, web_for: Any, staff: User) -> None:
        answer = web_for(staff).post("/accounts/invites/", {"days": 400})
        assert answer.status_code == 422
        assert "Usable for (days)" in errors_of(answer)
        assert not SignupInvite.objects.exists()


def test_levelup_invite_create_prints_a_working_link() -> None:
    from typer.testing import CliRunner

    from levelup.cli.main import app

    args = ["invite", "create", "--note", "class of 2027", "--days", "3"]
    done = CliRunner().invoke(app, [*args, "--url", "https://levelup.example.com/"])
    assert done.exit_code == 0, done.output
    link = done.stdout.strip().splitlines()[0]
    assert link.startswith("https://levelup.example.com/accounts/signup/?invite=")
    code = link.split("=", 1)[1]
    invite = SignupInvite.objects.get(code_hash=services.sha256_hex(code))
    assert invite.note == "class of 2027" and invite.state == "open"
    assert invite.expires_at.date() == (timezone.now() + timedelta(days=3)).date()


def test_levelup_invite_create_names_a_bad_duration() -> None:
    from typer.testing import CliRunner

    from levelup.cli.main import app

    done = CliRunner().invoke(app, ["invite", "create", "--days", "0"])
    assert done.exit_code == 1
    assert "days: must be between 1 and 365" in done.output
    assert not SignupInvite.objects.exists()

"""Login throttling per account and per client address."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.utils import timezone

from levelup.accounts import throttle
from levelup.accounts.models import User
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed sign-ins; try again in"


def sign_in(client: Client, username: str, password: str) -> str:
    response = client.post("/accounts/login/", {"username": username, "password": password})
    if response.status_code == 302:
        return "signed in"
    return response.content.decode()


@pytest.fixture
def alice_pw(alice: User, with_password) -> User:
    return with_password(alice)


def test_five_failures_lock_the_account_even_with_the_right_password(
    browser: Client, alice_pw: User
) -> None:
    for _ in range(4):
        assert LOCKED not in sign_in(browser, "alice", "wrong")
    page = sign_in(browser, "alice", "wrong")
    # The fifth failure locks at once; the right password no longer helps.
    page = sign_in(browser, "alice", PASSWORD)
    assert f"{LOCKED} 15 minutes." in page
    assert SESSION_KEY not in browser.session


def test_the_lock_follows_the_account_to_another_address(alice_pw: User) -> None:
    first = Client(REMOTE_ADDR="192.0.2.10")
    for _ in range(5):
        sign_in(first, "alice", "wrong")
    second = Client(REMOTE_ADDR="198.51.100.20")
    assert LOCKED in sign_in(second, "alice", PASSWORD)


def test_the_lock_counts_usernames_case_insensitively(browser: Client, alice_pw: User) -> None:
    for name in ("alice", "ALICE", "Alice", "aLiCe", "alice"):
        sign_in(browser, name, "wrong")
    assert LOCKED in sign_in(browser, "alice", PASSWORD)


def test_the_lock_ends_after_the_window(browser: Client, alice_pw: User) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(5):
            sign_in(browser, "alice", "wrong")
        clock.shift(timedelta(minutes=5))
        assert f"{LOCKED} 10 minutes." in sign_in(browser, "alice", PASSWORD)
        clock.shift(timedelta(minutes=10, seconds=1))
        assert sign_in(browser, "alice", PASSWORD) == "signed in"


def test_a_success_resets_the_account_counter(browser: Client, alice_pw: User) -> None:
    for _ in range(4):
        sign_in(browser, "alice", "wrong")
    assert sign_in(browser, "alice", PASSWORD) == "signed in"
    browser.post("/accounts/logout/")
    for _ in range(4):
        sign_in(browser, "alice", "wrong")
    assert sign_in(browser, "alice", PASSWORD) == "signed in"


def test_unknown_accounts_lock_the_same_way(browser: Client) -> None:
    # Otherwise the lock message would tell which usernames exist.
    for _ in range(5):
        sign_in(browser, "nobody", "wrong")
    assert LOCKED in sign_in(browser, "nobody", "wrong")


def test_too_many_failures_from_one_address_lock_that_address(
    settings, alice_pw: User, bob: User
) -> None:
    settings.LOGIN_CLIENT_LIMIT = 6
    attacker = Client(REMOTE_ADDR="203.0.113.5")
    # Spread over several accounts so no single account reaches its limit.
    for name in ("bob", "carol", "dave", "bob", "carol", "dave"):
        sign_in(attacker, name, "wrong")
    assert f"{LOCKED} 15 minutes." in sign_in(attacker, "alice", PASSWORD)
    # alice herself, from her own address, is not affected.
    assert sign_in(Client(REMOTE_ADDR="203.0.113.99"), "alice", PASSWORD) == "signed in"


def test_a_success_does_not_reset_the_client_counter(settings, alice_pw: User) -> None:
    settings.LOGIN_CLIENT_LIMIT = 4
    client = Client(REMOTE_ADDR="203.0.113.7")
    for name in ("bob", "carol"):
        sign_in(client, name, "wrong")
    assert sign_in(client, "alice", PASSWORD) == "signed in"
    client.post("/accounts/logout/")
    for name in ("bob", "carol"):
        sign_in(client, name, "wrong")
    assert LOCKED in sign_in(client, "alice", PASSWORD)


def test_the_client_address_comes_from_the_proxy_only_when_configured(settings, rf) -> None:
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.1")
    settings.BEHIND_PROXY = False
    assert throttle.client_address(request) == "127.0.0.1"
    settings.BEHIND_PROXY = True
    # The last hop is the one our proxy added; earlier ones are the client's word.
    assert throttle.client_address(request) == "198.51.100.1"


def test_lockout_minutes_round_up() -> None:
    assert throttle.Lockout(1).message == f"{LOCKED} 1 minute."
    assert throttle.Lockout(61).message == f"{LOCKED} 2 minutes."
    assert throttle.Lockout(900).message == f"{LOCKED} 15 minutes."

"""Login throttling: too many failed sign-ins lock an account, and a client, for a while.

Counters live in Django's cache so every worker process of a server (file
cache) or every server (Redis) sees the same numbers. Two things are counted
separately:

- failures per account name, so one account cannot be guessed at from many
  addresses; a success resets this counter;
- failures per client address, so one address cannot try many accounts; a
  success does not reset it, or a single valid account would let an attacker
  keep guessing at others.

Reaching a limit locks that account (or client) for the whole window, even
with the right password. The same counters guard every place a password is
checked: the sign-in page, the admin's sign-in, the old password of the
password-change form and the re-authentication before a token is created.

Sign-ups (per client address) and password-reset requests (per client address
and per e-mail address, whether or not an account has it) are counted the same
way, each with a limit and window of its own.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

KEY_PREFIX = "levelup:login"


SIGN_IN_REASON = "Too many failed sign-ins"
SIGN_UP_REASON = "Too many sign-ups from your address"
RESET_REASON = "Too many password-reset requests"


@dataclass(frozen=True)
class Lockout:
    """An account or client that may not sign in (or sign up, or ask for a password
    reset) until `seconds` have passed."""

    seconds: int
    reason: str = SIGN_IN_REASON

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.seconds / 60))

    @property
    def message(self) -> str:
        unit = "minute" if self.minutes == 1 else "minutes"
        return f"{self.reason}; try again in {self.minutes} {unit}."


def client_address(request: HttpRequest) -> str:
    """The address a request came from, as the throttle sees it.

    Behind a reverse proxy (LEVELUP_BEHIND_PROXY) REMOTE_ADDR is the proxy's,
    so the last X-Forwarded-For entry (the one the proxy itself added) is used.
    """
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def _digest(value: str) -> str:
    # Hashing keeps cache keys short and free of characters some backends reject.
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _keys(kind: str, value: str, prefix: str = KEY_PREFIX) -> tuple[str, str]:
    base = f"{prefix}:{kind}:{_digest(value)}"
    return f"{base}:failures", f"{base}:locked-until"


def _account(username: str) -> tuple[str, str]:
    # Usernames are unique case-insensitively, so "Alice" and "alice" share a counter.
    return _keys("account", username.strip().lower())


def _client(address: str) -> tuple[str, str]:
    return _keys("client", address)


def _remaining(lock_key: str, now: float) -> int:
    until = cache.get(lock_key)
    if until is None:
        return 0
    return max(0, math.ceil(float(until) - now))


def login_lockout(*, username: str, client: str) -> Lockout | None:
    """The lockout that applies to this sign-in attempt, or None when it may proceed."""
    now = time.time()
    seconds = max(_remaining(_account(username)[1], now), _remaining(_client(client)[1], now))
    return Lockout(seconds) if seconds > 0 else None


def _count_failure(keys: tuple[str, str], limit: int, window: int, now: float) -> None:
    failures_key, lock_key = keys
    # The window starts at the first failure; add() is a no-op when it exists.
    cache.add(failures_key, 0, timeout=window)
    try:
        failures = cache.incr(failures_key)
    except ValueError:
        # The counter expired between add() and incr(); start again.
        cache.set(failures_key, 1, timeout=window)
        failures = 1
    if failures >= limit:
        cache.set(lock_key, now + window, timeout=window)
        cache.delete(failures_key)


def login_failure_record(*, username: str, client: str) -> None:
    """Count a failed sign-in against the account name and the client address."""
    window = settings.LOGIN_FAILURE_WINDOW
    now = time.time()
    _count_failure(_account(username), settings.LOGIN_FAILURE_LIMIT, window, now)
    _count_failure(_client(client), settings.LOGIN_CLIENT_LIMIT, window, now)


def login_success_record(*, username: str) -> None:
    """Forget the account's failed sign-ins after a successful one."""
    failures_key, _lock_key = _account(username)
    cache.delete(failures_key)


def login_lock_clear(*, username: str) -> None:
    """Lift the account's lock and forget its failures: its owner just proved who they
    are by setting a new password from a reset e-mail. Client locks stay."""
    cache.delete_many(list(_account(username)))


# --- sign-up and password reset ------------------------------------------------------

_OTHER_PREFIX = "levelup:throttle"


def _signup_client(address: str) -> tuple[str, str]:
    return _keys("signup-client", address, _OTHER_PREFIX)


def _reset_client(address: str) -> tuple[str, str]:
    return _keys("reset-client", address, _OTHER_PREFIX)


def _reset_email(email: str) -> tuple[str, str]:
    return _keys("reset-email", email.strip().lower(), _OTHER_PREFIX)


def signup_lockout(*, client: str) -> Lockout | None:
    """The lockout of this address for sign-ups, or None when it may sign up."""
    seconds = _remaining(_signup_client(client)[1], time.time())
    return Lockout(seconds, SIGN_UP_REASON) if seconds > 0 else None


def signup_record(*, client: str) -> None:
    """Count a sign-up attempt that reached the account check (created or refused)."""
    _count_failure(
        _signup_client(client), settings.SIGNUP_LIMIT, settings.SIGNUP_WINDOW, time.time()
    )


def password_reset_lockout(*, email: str, client: str) -> Lockout | None:
    """The lockout for a reset request for `email` from `client`, or None."""
    now = time.time()
    seconds = max(
        _remaining(_reset_email(email)[1], now), _remaining(_reset_client(client)[1], now)
    )
    return Lockout(seconds, RESET_REASON) if seconds > 0 else None


def password_reset_record(*, email: str, client: str) -> None:
    """Count a reset request against the e-mail address (known or not) and the client."""
    window = settings.PASSWORD_RESET_WINDOW
    now = time.time()
    _count_failure(_reset_email(email), settings.PASSWORD_RESET_EMAIL_LIMIT, window, now)
    _count_failure(_reset_client(client), settings.PASSWORD_RESET_CLIENT_LIMIT, window, now)

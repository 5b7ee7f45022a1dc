"""Writes for accounts."""

from __future__ import annotations

import functools
import hashlib
import secrets
import zoneinfo
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from levelup.accounts.models import SignupInvite, User, WeekStart
from levelup.lib.errors import Forbidden, Invalid, NotFound

USERNAME_MAX_LENGTH = 150
DISPLAY_NAME_MAX_LENGTH = 100


def _username_is_valid(username: str) -> bool:
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        return False
    return True


def profile_update(
    *,
    user: User,
    display_name: str | None = None,
    time_zone: str | None = None,
    week_start: int | None = None,
) -> User:
    """Change profile fields; every bad field is reported, nothing is saved unless all are good."""
    errors: list[dict[str, str]] = []
    if display_name is not None:
        display_name = display_name.strip()
        if len(display_name) > DISPLAY_NAME_MAX_LENGTH:
            errors.append(
                {
                    "field": "display_name",
                    "message": f"use at most {DISPLAY_NAME_MAX_LENGTH} characters",
                }
            )
    if time_zone is not None and not is_valid_time_zone(time_zone):
        errors.append(
            {"field": "time_zone", "message": f"{time_zone!r} is not a known IANA time zone"}
        )
    if week_start is not None and week_start not in WeekStart.values:
        errors.append(
            {"field": "week_start", "message": "must be 0 (Monday), 5 (Saturday) or 6 (Sunday)"}
        )
    if errors:
        raise Invalid("; ".join(f"{e['field']}: {e['message']}" for e in errors), errors=errors)
    fields = []
    if display_name is not None:
        user.display_name = display_name
        fields.append("display_name")
    if time_zone is not None:
        user.time_zone = time_zone
        fields.append("time_zone")
    if week_start is not None:
        user.week_start = week_start
        fields.append("week_start")
    if fields:
        user.save(update_fields=fields)
    return user


def is_valid_time_zone(name: str) -> bool:
    """Whether `name` is an IANA zone this system knows (e.g. "Europe/Berlin")."""
    return name in _known_time_zones()


@functools.cache
def _known_time_zones() -> frozenset[str]:
    # Reading the zone database takes milliseconds; it does not change while we run.
    # Some systems list files that are not zones people live in.
    return frozenset(zoneinfo.available_timezones() - {"localtime", "posixrules", "Factory"})


def time_zone_names() -> list[str]:
    """Every known IANA zone name, sorted, for pickers."""
    return sorted(_known_time_zones())


def user_create(
    *,
    username: str,
    email: str,
    password: str,
    is_staff: bool = False,
    time_zone: str = "UTC",
) -> User:
    """Create an account after Django's password validators approve the password.

    For operators (`levelup user create`) and tests: a taken username is named as such.
    The public sign-up page uses `user_sign_up`, which says nothing about who exists."""
    username = username.strip()
    email = email.strip()
    errors = _account_errors(username=username, email=email, password=password, time_zone=time_zone)
    if not errors and User.objects.filter(username__iexact=username).exists():
        errors.append({"field": "username", "message": f"{username!r} is already taken"})
    if errors:
        raise Invalid("; ".join(f"{e['field']}: {e['message']}" for e in errors), errors=errors)
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                username=username,
                email=email,
                password=password,
                is_staff=is_staff,
                time_zone=time_zone,
            )
    except IntegrityError:
        # Another sign-up took the name between the check above and now.
        message = f"{username!r} is already taken"
        raise Invalid(
            f"username: {message}", errors=[{"field": "username", "message": message}]
        ) from None
    return user


def _account_errors(
    *, username: str, email: str, password: str, time_zone: str
) -> list[dict[str, str]]:
    """Every problem with a new account's fields that does not depend on other accounts."""
    errors: list[dict[str, str]] = []
    if not username:
        errors.append({"field": "username", "message": "is required"})
    elif len(username) > USERNAME_MAX_LENGTH:
        errors.append(
            {"field": "username", "message": f"use at most {USERNAME_MAX_LENGTH} characters"}
        )
    elif not _username_is_valid(username):
        errors.append(
            {
                "field": "username",
                "message": "use only letters, digits and the characters @ . + - _",
            }
        )
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append({"field": "email", "message": f"{email!r} is not an e-mail address"})
    if not is_valid_time_zone(time_zone):
        errors.append(
            {"field": "time_zone", "message": f"{time_zone!r} is not a known IANA time zone"}
        )
    candidate = User(username=username, email=email)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        errors.extend({"field": "password", "message": m} for m in exc.messages)
    return errors


# --- public sign-up and invitations ----------------------------------------------------

CANNOT_BE_USED = (
    "That username or e-mail address cannot be used. Choose another, or log in "
    "(or reset your password) if the account is yours."
)
INVITE_CODE_BYTES = 24


def _cannot_be_used() -> Invalid:
    # One message for a taken username and a taken e-mail address, naming neither.
    return Invalid(CANNOT_BE_USED, errors=[{"field": "account", "message": CANNOT_BE_USED}])


def user_sign_up(
    *, username: str, email: str, password: str, time_zone: str = "UTC", invite_code: str = ""
) -> User:
    """Create an account from the public sign-up page, as `settings.REGISTRATION` allows.

    It never tells whether a username or an e-mail address belongs to someone: both
    answer the same message, and the password is hashed on that path too, so the
    answer takes as long as creating the account would. In `invite` mode it needs an
    open invitation, which it uses up in the same transaction as the account.
    """
    mode = settings.REGISTRATION
    if mode == "closed":
        raise Forbidden("sign-up is closed on this server; an administrator creates accounts")
    username = username.strip()
    email = email.strip()
    errors = _account_errors(username=username, email=email, password=password, time_zone=time_zone)
    if mode == "invite":
        problem = _invite_problem(invite_code)
        if problem:
            errors.append({"field": "invite", "message": problem})
    if errors:
        raise Invalid("; ".join(f"{e['field']}: {e['message']}" for e in errors), errors=errors)
    taken = Q(username__iexact=username)
    if email:
        taken |= Q(email__iexact=email)
    if User.objects.filter(taken).exists():
        make_password(password)  # the work creating the account would have done
        raise _cannot_be_used()
    try:
        with transaction.atomic():
            invite = None
            if mode == "invite":
                invite = (
                    SignupInvite.objects.select_for_update()
                    .filter(code_hash=sha256_hex(invite_code.strip()))
                    .first()
                )
                if invite is None or invite.state != "open":
                    # Used by someone else since the check above.
                    raise Invalid.for_field("invite", "this invitation was used meanwhile")
            user = User.objects.create_user(
                username=username, email=email, password=password, time_zone=time_zone
            )
            if invite is not None:
                invite.used_at = timezone.now()
                invite.used_by = user
                invite.save(update_fields=["used_at", "used_by"])
    except IntegrityError:
        raise _cannot_be_used() from None
    return user


def _invite_problem(code: str) -> str:
    code = code.strip()
    if not code:
        return "sign-up on this server needs an invitation; ask an administrator for a link"
    invite = SignupInvite.objects.filter(code_hash=sha256_hex(code)).first()
    if invite is None:
        return "this invitation code is not known; check the link you were given"
    if invite.state != "open":
        return f"this invitation is {invite.state}; ask an administrator for a new one"
    return ""


@dataclass(frozen=True)
class IssuedInvite:
    invite: SignupInvite
    code: str


def signup_invite_create(
    *, created_by: User | None, note: str = "", days: int | None = None
) -> IssuedInvite:
    """A new one-time invitation; its code is returned once and only its hash is kept."""
    note = note.strip()
    if len(note) > 100:
        raise Invalid.for_field("note", "use at most 100 characters")
    days = settings.INVITE_DAYS if days is None else days
    if not 1 <= days <= 365:
        raise Invalid.for_field("days", "must be between 1 and 365")
    code = secrets.token_urlsafe(INVITE_CODE_BYTES)
    invite = SignupInvite.objects.create(
        code_hash=sha256_hex(code),
        note=note,
        created_by=created_by,
        expires_at=timezone.now() + timedelta(days=days),
    )
    return IssuedInvite(invite=invite, code=code)


def signup_invite_revoke(*, invite_id: int) -> SignupInvite:
    """Stop an open invitation from working; a used one stays as it is."""
    invite = SignupInvite.objects.filter(pk=invite_id).first()
    if invite is None:
        raise NotFound("no such invitation")
    if invite.used_at is None and invite.revoked_at is None:
        invite.revoked_at = timezone.now()
        invite.save(update_fields=["revoked_at"])
    return invite


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()

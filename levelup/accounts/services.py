"""Writes for accounts."""

from __future__ import annotations

import functools
import zoneinfo

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from levelup.accounts.models import User, WeekStart
from levelup.lib.errors import Invalid

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
    """Create an account after Django's password validators approve the password."""
    username = username.strip()
    email = email.strip()
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
    elif User.objects.filter(username__iexact=username).exists():
        errors.append({"field": "username", "message": f"{username!r} is already taken"})
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

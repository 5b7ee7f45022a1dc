"""One-time form tokens: create forms are safe against refresh and the back button.

A create form renders `{% form_token %}` (a fresh random value in a hidden field). The
view runs its write through `form_submit_once`: the first POST with a token records it in
the same transaction as the write; a repeat of that token writes nothing and answers
with the place the first one went. Forms posted without a token (scripts, old pages)
work as before. Post/redirect/get does the rest: a refresh after success is a GET.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from levelup.accounts.models import FormSubmission, User

FIELD = "form_token"
_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
KEEP = timedelta(days=30)
REPEATED_MESSAGE = "That form was already sent; it was saved once and not again."


def form_token_new() -> str:
    return secrets.token_urlsafe(24)


def form_token_of(request: HttpRequest) -> str:
    """The token a POST carries, or "" when it carries none (or a malformed one)."""
    token = request.POST.get(FIELD, "")
    return token if _SHAPE.match(token) else ""


@dataclass(frozen=True, slots=True)
class Submitted:
    location: str
    repeated: bool


def form_submit_once(*, user: User, token: str, submit: Callable[[], str]) -> Submitted:
    """Run `submit` (which writes and returns where to go next) once per token.

    A repeated token returns the first submission's location with `repeated=True`. If
    `submit` raises, its write and the token's record roll back together, so the
    corrected form can be sent again with the same token.
    """
    if not token:
        return Submitted(location=submit(), repeated=False)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = FormSubmission.objects.create(user=user, token=token)
        except IntegrityError:
            first = FormSubmission.objects.filter(user=user, token=token).first()
            return Submitted(location=first.location if first else "", repeated=True)
        location = submit()
        record.location = location[:500]
        record.save(update_fields=["location"])
    # Old records only guard against resubmitting weeks-old pages; keep the table small.
    FormSubmission.objects.filter(user=user, created_at__lt=timezone.now() - KEEP).delete()
    return Submitted(location=location, repeated=False)

"""Template context every page needs from accounts."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def registration(request: HttpRequest) -> dict[str, bool]:
    """Whether pages should offer "Sign up" (not when LEVELUP_REGISTRATION is closed)."""
    return {"signup_offered": settings.REGISTRATION != "closed"}

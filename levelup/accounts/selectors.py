"""Reads for accounts."""

from __future__ import annotations

from django.db.models import QuerySet

from levelup.accounts.models import ApiToken, SignupInvite, User


def api_tokens_of(*, user: User) -> QuerySet[ApiToken]:
    """The user's tokens, newest first, revoked ones included (they show as revoked)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def signup_invites() -> QuerySet[SignupInvite]:
    """Every invitation, newest first, with who made and who used it."""
    return SignupInvite.objects.select_related("created_by", "used_by").order_by(
        "-created_at", "-pk"
    )[:200]

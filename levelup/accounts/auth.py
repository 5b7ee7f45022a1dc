"""API authentication: a bearer token or the browser session (with CSRF on writes)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer
from ninja.security.session import SessionAuth
from ninja.utils import check_csrf

from levelup.accounts.tokens import api_token_authenticate
from levelup.lib.errors import ApplicationError, Forbidden

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
QUERY_TOKEN_NAMES = ("token", "access_token", "api_key", "apikey", "bearer")


def reject_query_string_token(request: HttpRequest) -> None:
    """Refuse a request that carries a token in its URL, whatever else it carries."""
    # A token in a URL ends up in access logs, browser history and Referer
    # headers; refuse it loudly rather than ignore it silently.
    for name in QUERY_TOKEN_NAMES:
        if name in request.GET:
            raise ApplicationError(
                f"tokens are not accepted in the query string (parameter '{name}'); "
                "send them as 'Authorization: Bearer <token>'",
                status=401,
            )


class TokenAuth(HttpBearer):
    """`Authorization: Bearer lvl_…`. Read-only tokens may not write."""

    def __call__(self, request: HttpRequest) -> Any:
        reject_query_string_token(request)
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        # The read cache may have looked this token up already for this request.
        known = getattr(request, "levelup_token_lookup", None)
        if known is not None and known[0] == token.strip():
            api_token = known[1]
        else:
            api_token = api_token_authenticate(token.strip())
        if api_token is None:
            # A client that sent a token meant to use it; falling back to the
            # session would hide the reason its requests fail.
            raise ApplicationError(
                "the bearer token is not valid: it is unknown, revoked or expired", status=401
            )
        if request.method not in SAFE_METHODS and not api_token.can_write:
            raise Forbidden("this token is read-only; create a token with write access")
        request.user = api_token.user
        request.api_token = api_token  # type: ignore[attr-defined]
        # The time-zone middleware ran before the token was known.
        timezone.activate(api_token.user.zone)
        return api_token.user


class CsrfSessionAuth(SessionAuth):
    """The browser session; writes must carry Django's CSRF token."""

    def __call__(self, request: HttpRequest) -> Any:
        reject_query_string_token(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            # No session: answer 401, not a CSRF 403 that would mislead.
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise Forbidden(
                "CSRF check failed: send the csrftoken cookie's value in the X-CSRFToken header"
            )
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


API_AUTH: list[APIKeyCookie | HttpBearer] = [TokenAuth(), CsrfSessionAuth()]

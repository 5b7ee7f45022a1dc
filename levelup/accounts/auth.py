"""API authentication: a bearer token or the browser session (with CSRF on writes)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer
from ninja.security.session import SessionAuth

from levelup.accounts.tokens import api_token_authenticate
from levelup.lib.errors import ApplicationError, Forbidden

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
QUERY_TOKEN_NAMES = ("token", "access_token", "api_key", "bearer")


def reject_query_string_token(request: HttpRequest) -> None:
    # A token in a URL ends up in access logs, browser history and Referer
    # headers; refuse it loudly rather than ignore it silently.
    for name in QUERY_TOKEN_NAMES:
        if name in request.GET:
            raise ApplicationError(
                f"tokens are not accepted in the query string ({name}=); "
                "send them as 'Authorization: Bearer <token>'",
                status=401,
            )


class TokenAuth(HttpBearer):
    """`Authorization: Bearer lvl_…`. Read-only tokens may not write."""

    def __call__(self, request: HttpRequest) -> Any:
        reject_query_string_token(request)
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = api_token_authenticate(token)
        if api_token is None:
            return None
        if request.method not in SAFE_METHODS and not api_token.can_write:
            raise Forbidden("this token is read-only; create a token with write access")
        request.user = api_token.user
        request.api_token = api_token  # type: ignore[attr-defined]
        return api_token.user


class CsrfSessionAuth(SessionAuth):
    """The browser session; ninja checks the CSRF token on unsafe methods."""

    def __call__(self, request: HttpRequest) -> Any:
        reject_query_string_token(request)
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


API_AUTH: list[APIKeyCookie | HttpBearer] = [TokenAuth(), CsrfSessionAuth()]

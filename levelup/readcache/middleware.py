"""Cached reads for the pages and endpoints a learner opens many times a day.

The dashboard (page and API), the plan (page, API and this week), the weekly
review, progress, streaks and the calendar feed are answered from the cache when
nothing they are made of has changed. The cache key is a fingerprint of every
input: who asks (the user's fields that show or shift dates), which enrollment
(its own fields and its stamp, which database triggers move on every write to
its data), the learner's today, the exact URL, and the code. A write therefore
shows on the very next read, from any server sharing the database and the cache.

Every answer carries an `ETag` (the fingerprint); a request sending it back in
`If-None-Match` gets `304 Not Modified` without a body.

Nothing here decides access: a request the cache cannot attribute to its owner
(no user, someone else's enrollment, a token in the query string) goes to the
view as before, which answers 401 or 404. Only 200 answers without cookies are
stored, and pages are never stored while a flash message waits to be shown.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified

from levelup import __version__
from levelup.lib import rows
from levelup.readcache.models import EnrollmentStamp

CACHE_PREFIX = "levelup:read:"
CACHE_SECONDS = 6 * 3600
# Headers of a stored answer worth replaying; the outer middleware adds the rest.
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Cache-Control", "Referrer-Policy")
QUERY_TOKEN_NAMES = ("token", "access_token", "api_key", "apikey", "bearer")


@dataclass(frozen=True)
class Route:
    pattern: re.Pattern[str]
    kind: str  # "api", "page" or "feed"


ROUTES = (
    Route(
        re.compile(
            r"^/api/v1/enrollments/(?P<id>\d+)/"
            r"(?:dashboard|plan|plan/this-week|weekly-review|progress|streaks)$"
        ),
        "api",
    ),
    Route(re.compile(r"^/dashboard/$"), "page"),
    Route(re.compile(r"^/plan/(?P<id>\d+)/$"), "page"),
    Route(re.compile(r"^/calendar/(?P<secret>[A-Za-z0-9_-]+)\.ics$"), "feed"),
)


def _route(path: str) -> tuple[Route, re.Match[str]] | None:
    for route in ROUTES:
        match = route.pattern.match(path)
        if match:
            return route, match
    return None


@functools.cache
def _code_version() -> str:
    """The code answers are made by: a deploy with new code or templates must not answer
    from the old code's entries (servers running the same tree agree on it)."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".html", ".yaml") and "__pycache__" not in path.parts:
            stat = path.stat()
            digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()[:16]


@functools.cache
def _rows_sql(one: bool, using: str = "default") -> str:
    """Every column of the user's enrollments (or one of them) with its stamp and the
    user's certifications (count and latest change: a booked exam shows on the plan and
    in the feed, an expiry on the dashboard), in one statement written out once.
    Identifiers only, from the models; the ids are parameters."""
    from levelup.progress.models import Enrollment
    from levelup.resources.models import Certification

    enrollment, stamp = rows.table(Enrollment, using), rows.table(EnrollmentStamp, using)
    certification = rows.table(Certification, using)
    user_id = rows.column(Enrollment, "user", using)
    pk = rows.column(Enrollment, "id", using)
    cert_user = rows.column(Certification, "user", using)
    certs = f"FROM {certification} c WHERE c.{cert_user} = e.{user_id}"
    return (
        f"SELECT {rows.Columns(Enrollment, 'e').sql(using)},"  # noqa: S608
        f" (SELECT s.{rows.column(EnrollmentStamp, 'version', using)} FROM {stamp} s"
        f"  WHERE s.{rows.column(EnrollmentStamp, 'enrollment_id', using)} = e.{pk}),"
        f" (SELECT COUNT(*) {certs}),"
        f" (SELECT MAX(c.{rows.column(Certification, 'updated_at', using)}) {certs})"
        f" FROM {enrollment} e WHERE e.{user_id} = %s"
        + (f" AND e.{pk} = %s" if one else "")
        + f" ORDER BY e.{pk}"
    )


def _enrollment_rows(user_id: int, enrollment_id: int | None = None) -> list[tuple[Any, ...]]:
    """What the answers are made of, in one query: the user's enrollments (or the one
    asked for) with their stamps, which database triggers move on every write to their
    data, and the user's certifications. Raw values: they are only hashed."""
    if enrollment_id is None:
        return rows.fetch(_rows_sql(False), [user_id])
    return rows.fetch(_rows_sql(True), [user_id, enrollment_id])


def _user_part(user: Any) -> tuple[Any, ...]:
    return (
        user.pk,
        user.username,
        getattr(user, "display_name", ""),
        user.time_zone,
        getattr(user, "week_start", None),
        user.is_staff,
        str(user.local_today()),
    )


def _api_user(request: HttpRequest) -> Any | None:
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != "bearer":
            return None
        from levelup.accounts.tokens import api_token_authenticate

        token = api_token_authenticate(raw.strip())
        # TokenAuth reuses the lookup if the view runs (a cache miss): one query, not two.
        request.levelup_token_lookup = (raw.strip(), token)  # type: ignore[attr-defined]
        return token.user if token is not None else None
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _has_pending_messages(request: HttpRequest) -> bool:
    if "messages" in request.COOKIES:
        return True
    session = getattr(request, "session", None)
    return bool(session is not None and session.get("_messages"))


def fingerprint(request: HttpRequest, route: Route, match: re.Match[str]) -> str | None:
    """The key of what this request's answer is made of, or None when it must not be
    answered from the cache."""
    if any(name in request.GET for name in QUERY_TOKEN_NAMES):
        return None
    parts: list[Any] = [_code_version(), request.method == "HEAD", request.get_full_path()]
    if route.kind == "api":
        user = _api_user(request)
        if user is None:
            return None
        found = _enrollment_rows(user.pk, int(match["id"]))
        if not found:
            return None  # not theirs, or gone: the view answers 404
        parts += [_user_part(user), found]
    elif route.kind == "page":
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or _has_pending_messages(request):
            return None
        # The page lists every enrollment (the switcher), so all of them count.
        found = _enrollment_rows(user.pk)
        if not found:
            return None
        parts += [
            _user_part(user),
            found,
            request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        ]
    else:
        from levelup.planning.models import CalendarFeed
        from levelup.planning.services import secret_hash

        feed = (
            CalendarFeed.objects.filter(secret_hash=secret_hash(match["secret"]))
            .select_related("enrollment__user")
            .first()
        )
        if feed is None:
            return None
        feed_fields = [
            (f.attname, str(getattr(feed, f.attname))) for f in feed._meta.concrete_fields
        ]
        parts += [
            feed_fields,
            _user_part(feed.enrollment.user),
            _enrollment_rows(feed.enrollment.user_id, feed.enrollment_id),
        ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _etag(key: str) -> str:
    return f'"{key[:32]}"'


def _matches(if_none_match: str, etag: str) -> bool:
    candidates = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return etag in candidates or "*" in candidates


class ReadCacheMiddleware:
    """Answers the routes above from the cache when their inputs are unchanged."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or not getattr(
            settings, "READ_CACHE_ENABLED", True
        ):
            return self.get_response(request)
        found = _route(request.path)
        if found is None:
            return self.get_response(request)
        key = fingerprint(request, *found)
        if key is None:
            return self.get_response(request)
        etag = _etag(key)
        if _matches(request.headers.get("If-None-Match", ""), etag):
            response: HttpResponse = HttpResponseNotModified()
            response["ETag"] = etag
            self._revalidate(response, found[0])
            return response
        stored = cache.get(CACHE_PREFIX + key)
        if isinstance(stored, tuple) and len(stored) == 2:
            body, headers = stored
            response = HttpResponse(body)
            for name, value in headers:
                response[name] = value
        else:
            response = self.get_response(request)
            if (
                response.status_code != 200
                or response.streaming
                or response.cookies
                or response.has_header("Set-Cookie")
            ):
                return response
            kept = [(n, response[n]) for n in KEPT_HEADERS if response.has_header(n)]
            cache.set(CACHE_PREFIX + key, (response.content, kept), CACHE_SECONDS)
        response["ETag"] = etag
        self._revalidate(response, found[0])
        return response

    @staticmethod
    def _revalidate(response: HttpResponse, route: Route) -> None:
        # Browsers keep the answer but ask again each time (a cheap 304 when unchanged).
        if route.kind != "feed":
            response["Cache-Control"] = "private, no-cache"
        vary = {"Cookie", "Authorization"}
        if response.has_header("Vary"):
            vary |= {v.strip() for v in response["Vary"].split(",") if v.strip()}
        response["Vary"] = ", ".join(sorted(vary))

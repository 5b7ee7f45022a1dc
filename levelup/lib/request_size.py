"""Refuse a request body that is too large for its address before a byte of it is read.

Django reads a body only when a view asks for it (`request.body`, `request.POST`,
`request.FILES`), so a check on the declared `Content-Length` made by an early
middleware costs nothing however large the body is: the server answers 413 after
the headers and the body is never held in memory. Under WSGI a body without a
`Content-Length` (chunked) is not passed to Django at all, so such a request is
answered 411 instead of being treated as empty.

Most addresses take at most `settings.REQUEST_MAX_BYTES`, which is also Django's
`DATA_UPLOAD_MAX_MEMORY_SIZE`, so no view ever meets `RequestDataTooBig`. The few
that take files have their own, larger caps below: the documented size of what they
import plus room for the multipart envelope. Those views check the file's own size
(`UploadedFile.size` or `Content-Length`) before reading it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

MIB = 1024 * 1024
# Multipart boundaries, part headers and the CSRF field around an uploaded file.
ENVELOPE_BYTES = 64 * 1024
CSV_IMPORT_BYTES = 5 * MIB
ARCHIVE_IMPORT_BYTES = 50 * MIB


@dataclass(frozen=True)
class RouteLimit:
    """The largest body one family of addresses accepts, and what it is for."""

    pattern: re.Pattern[str]
    max_bytes: int
    purpose: str


ROUTE_LIMITS = (
    RouteLimit(
        re.compile(r"^/journal/csv/$|^/api/v1/enrollments/[0-9]+/sessions/import$"),
        CSV_IMPORT_BYTES + ENVELOPE_BYTES,
        "a study-session CSV of at most 5 MB",
    ),
    RouteLimit(
        re.compile(r"^/accounts/data/import/$|^/api/v1/me/import$"),
        ARCHIVE_IMPORT_BYTES + ENVELOPE_BYTES,
        "an account archive of at most 50 MB",
    ),
)


def body_limit(path: str) -> tuple[int, str]:
    """The most bytes a request body to `path` may have, and a phrase saying why."""
    for route in ROUTE_LIMITS:
        if route.pattern.match(path):
            return route.max_bytes, route.purpose
    return int(settings.REQUEST_MAX_BYTES), "this address"


def declared_length(request: HttpRequest) -> int | None:
    """The body size the client declared, or None when it declared none (or nonsense)."""
    raw = request.META.get("CONTENT_LENGTH")
    if raw in (None, ""):
        return None
    try:
        value = int(str(raw))
    except ValueError:
        return None
    return value if value >= 0 else None


def _size(n: int) -> str:
    if n >= MIB:
        return f"{n / MIB:.1f} MB".replace(".0 MB", " MB")
    return f"{n:,} bytes"


class RequestSizeLimitMiddleware:
    """413 for a declared body over its address's cap; 411 for a body with no length."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = declared_length(request)
        if length is None:
            if "chunked" in str(request.META.get("HTTP_TRANSFER_ENCODING", "")).lower():
                return self._refuse(
                    request,
                    411,
                    "Length Required",
                    "send the body with a Content-Length header; chunked bodies are not read",
                )
            return self.get_response(request)
        limit, purpose = body_limit(request.path_info)
        if length > limit:
            return self._refuse(
                request,
                413,
                "Request too large",
                f"the request body is {_size(length)} ({length:,} bytes); "
                f"{purpose} accepts at most {_size(limit)} ({limit:,} bytes)",
            )
        return self.get_response(request)

    def _refuse(self, request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            body = {"detail": message, "errors": [{"field": "body", "message": message}]}
            response = HttpResponse(
                json.dumps(body), status=status, content_type="application/json"
            )
        else:
            page = render_to_string(
                "request_too_large.html",
                {"status": status, "title": title, "message": message},
                request=request,
            )
            response = HttpResponse(page, status=status)
        return response

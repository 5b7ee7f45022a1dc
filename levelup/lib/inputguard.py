"""One gate for text that arrives outside a JSON body: the path, query strings and
form posts. A NUL byte or a lone surrogate there would otherwise travel into a
database query (PostgreSQL refuses NUL in text and the request ends in a 500) or into
a page. Pages answer 400 naming the parameter; the API answers 422 in its error shape.

The same middleware keeps everything under /api/ in JSON: Django's own 404 for an
unknown API path and ninja's bare 405 for a wrong method become `{"detail": ...}`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse

from levelup.lib.schemas import text_problem

API_PREFIX = "/api/"
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def _refused_parameter(request: HttpRequest) -> tuple[str, str] | None:
    problem = text_problem(request.path)
    if problem:
        return "path", problem
    sources = [request.GET]
    if request.method == "POST" and request.content_type in _FORMS:
        # Past a size or field limit the view reads the form again and answers that itself.
        with contextlib.suppress(RequestDataTooBig, TooManyFieldsSent):
            sources.append(request.POST)
    for source in sources:
        for name, values in source.lists():
            problem = text_problem(name)
            if problem:
                return "parameter name", problem
            for value in values:
                problem = text_problem(value)
                if problem:
                    return name, problem
    return None


def _json_error(status: int, detail: str, field: str | None = None) -> JsonResponse:
    body: dict[str, object] = {"detail": detail}
    if field is not None:
        body["errors"] = [{"field": field, "message": detail.split(": ", 1)[-1]}]
    return JsonResponse(body, status=status)


class InputGuardMiddleware:
    """Refuses unstorable text in paths, query strings and forms; keeps /api/ JSON."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        is_api = request.path.startswith(API_PREFIX)
        refused = _refused_parameter(request)
        if refused is not None:
            field, problem = refused
            if is_api:
                return _json_error(422, f"{field}: {problem}", field)
            return HttpResponse(
                f"Bad request: {field} {problem}.",
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        response = self.get_response(request)
        if is_api and response.status_code in (404, 405) and not _is_json(response):
            if response.status_code == 404:
                return _json_error(404, f"no API endpoint at {request.path}")
            allowed = response.get("Allow", "")
            answer = _json_error(
                405, f"{request.method} is not allowed here; use {allowed or 'another method'}"
            )
            if allowed:
                answer["Allow"] = allowed
            return answer
        return response


def _is_json(response: HttpResponse) -> bool:
    return str(response.get("Content-Type", "")).startswith("application/json")

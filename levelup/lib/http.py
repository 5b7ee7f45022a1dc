"""Small HTTP helpers shared by the page views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

View = Callable[..., HttpResponse]


def post_only(page: Callable[..., str]) -> Callable[[View], View]:
    """A form target that only accepts POST; a GET (a bookmarked address, the address bar
    after a failed submit, a link someone pasted) goes to the page that holds the form
    instead of an empty 405. `page(request, **url_kwargs)` names that page's URL."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST":
                return view(request, *args, **kwargs)
            if request.method in ("GET", "HEAD"):
                return HttpResponseRedirect(page(request, *args, **kwargs))
            response = HttpResponse(
                "Use POST.", status=405, content_type="text/plain; charset=utf-8"
            )
            response["Allow"] = "POST"
            return response

        return wrapped

    return decorate

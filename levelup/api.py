"""The one NinjaAPI, mounted at /api/v1/. Each app contributes a Router."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from levelup import __version__
from levelup.accounts.api import router as accounts_router
from levelup.accounts.auth import API_AUTH
from levelup.dashboard.api import router as dashboard_router
from levelup.datatransfer.api import router as datatransfer_router
from levelup.journal.api import router as journal_router
from levelup.lib.errors import ApplicationError
from levelup.mentoring.api import router as mentoring_router
from levelup.planning.api import router as planning_router
from levelup.portfolio.api import router as portfolio_router
from levelup.progress.api import router as progress_router
from levelup.resources.api import router as resources_router
from levelup.roadmaps.api import router as roadmaps_router


class Error(Schema):
    """Every error the API returns has this shape."""

    detail: str
    errors: list[dict[str, str]] = []


api = NinjaAPI(
    title="levelup API",
    version="1",
    description=(
        "Follow a growth roadmap: enrollments, progress, study log, plan. "
        "Authenticate with `Authorization: Bearer <token>` (create one under Account → API tokens) "
        "or the browser session with a CSRF token on writes."
    ),
    urls_namespace="api",
    auth=API_AUTH,
    openapi_url="/openapi.json",
    docs_url="/docs",
)


def _field_name(loc: list[Any]) -> str:
    # ninja prefixes locations with the parameter source; "body.payload.x"
    # reads worse than "x" for the person fixing the request.
    parts = [str(p) for p in loc if p not in ("body", "payload", "query", "path", "header")]
    return ".".join(parts) or ".".join(str(p) for p in loc)


@api.exception_handler(ApplicationError)
def on_application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {"field": _field_name(list(e.get("loc", []))), "message": str(e.get("msg", "is invalid"))}
        for e in exc.errors
    ]
    summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
    return api.create_response(
        request, {"detail": summary or "invalid input", "errors": errors}, status=422
    )


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": "authentication required: send 'Authorization: Bearer <token>' or sign in"},
        status=401,
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


class HealthOut(Schema):
    status: str
    version: str
    database: str


@api.get("/health", auth=None, response=HealthOut, tags=["meta"])
def health(request: HttpRequest) -> dict[str, str]:
    """Liveness and database reachability, for load balancers and `levelup login`."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"status": "ok", "version": __version__, "database": connection.vendor}


api.add_router("/", accounts_router)
api.add_router("/roadmaps", roadmaps_router)
api.add_router("/", progress_router)
api.add_router("/", journal_router)
api.add_router("/", planning_router)
api.add_router("/", dashboard_router)
api.add_router("/", mentoring_router)
api.add_router("/", resources_router)
api.add_router("/", portfolio_router)
api.add_router("/", datatransfer_router)

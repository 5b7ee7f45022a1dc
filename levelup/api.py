"""The one NinjaAPI, mounted at /api/v1/. Each app contributes a Router."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser

from levelup import __version__
from levelup.accounts.api import router as accounts_router
from levelup.accounts.auth import API_AUTH
from levelup.dashboard.api import router as dashboard_router
from levelup.datatransfer.api import router as datatransfer_router
from levelup.journal.api import router as journal_router
from levelup.lib.errors import ApplicationError
from levelup.lib.schemas import Error, unstorable_value
from levelup.mentoring.api import router as mentoring_router
from levelup.planning.api import router as planning_router
from levelup.portfolio.api import router as portfolio_router
from levelup.progress.api import router as progress_router
from levelup.resources.api import router as resources_router
from levelup.roadmaps.api import router as roadmaps_router


class BodyRefused(Exception):
    """A request body that is not a JSON object the schemas can read."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


_JSON_TYPES = {"list": "a list", "str": "a string", "int": "a number", "float": "a number"}


class ObjectBodyParser(Parser):
    """JSON bodies must be JSON objects sent as JSON, holding only storable text and
    finite numbers; anything else is refused here, once, for every endpoint.

    Without this a list or a string reached the schemas, whose attribute-reading
    fallback turned `[null, null]` into an empty pause and `"hello world"` into an
    entry titled "Hello World"."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        content_type = request.content_type or ""
        if content_type and not (
            content_type == "application/json" or content_type.endswith("+json")
        ):
            raise BodyRefused(
                "body", f"send JSON with Content-Type: application/json, not {content_type}"
            )
        try:
            data = json.loads(request.body)
        except UnicodeDecodeError:
            raise BodyRefused("body", "is not UTF-8 text") from None
        except json.JSONDecodeError as exc:
            raise BodyRefused(
                "body", f"is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
            ) from None
        except RecursionError:
            raise BodyRefused("body", "is nested too deeply") from None
        if not isinstance(data, dict):
            kind = _JSON_TYPES.get(type(data).__name__, f"{json.dumps(data)}")
            raise BodyRefused("body", f"must be a JSON object {{...}}, not {kind}")
        bad = unstorable_value(data)
        if bad:
            raise BodyRefused(*bad)
        return data


class LevelupAPI(NinjaAPI):
    """The NinjaAPI, with the errors every operation can answer documented on each."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        _declare_bounds(schema)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault("Error", Error.model_json_schema())
        error = {
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        }
        for item in schema["paths"].values():
            for operation in item.values():
                responses = operation.setdefault("responses", {})
                for status, description in _COMMON_ERRORS.items():
                    if operation.get("security") or status not in (401, 403):
                        responses.setdefault(status, {"description": description, **error})
        return schema


def _declare_bounds(document: Any) -> None:
    """Write numeric bounds as JSON Schema's `minimum`/`maximum`.

    Pydantic renders a bound that follows a validator (the booleans check of
    `lib.schemas.Int`) as a bare `ge`/`le`, which no client reads; the value enforced is
    the tightest of all bounds given, so that is the one declared."""
    pending = [document]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            if node.get("type") in ("integer", "number"):
                low = [node.pop(k) for k in ("ge",) if k in node] + (
                    [node["minimum"]] if "minimum" in node else []
                )
                high = [node.pop(k) for k in ("le",) if k in node] + (
                    [node["maximum"]] if "maximum" in node else []
                )
                if low:
                    node["minimum"] = max(low)
                if high:
                    node["maximum"] = min(high)
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)


# What any operation may answer besides its own list: the request could not be read
# (422, 413), no or a read-only credential (401, 403; only where the operation needs
# one), a path id that is not the caller's (404), a method the path does not take (405).
_COMMON_ERRORS = {
    401: "Not authenticated",
    403: "The token is read-only or the user may not do this",
    404: "Not found, or not yours",
    405: "Method not allowed",
    413: "Request body too large",
    422: "Invalid input; errors[].field names each bad field",
}


api = LevelupAPI(
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
    parser=ObjectBodyParser(),
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
    # ninja wraps a parser failure in a 400; a body that cannot be read is bad input.
    if isinstance(exc.__cause__, BodyRefused):
        refused = exc.__cause__
        return api.create_response(
            request,
            {
                "detail": str(refused),
                "errors": [{"field": refused.field, "message": refused.message}],
            },
            status=422,
        )
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(RequestDataTooBig)
def on_body_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    message = f"is larger than the {limit:,}-byte limit" if limit else "is too large"
    return api.create_response(
        request,
        {"detail": f"body: {message}", "errors": [{"field": "body", "message": message}]},
        status=413,
    )


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

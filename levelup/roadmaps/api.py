"""Roadmap endpoints: reading, and the studio (create, import, fork, publish, diff, export).

Reads work without signing in for public and unlisted roadmaps; a private
roadmap answers 404 to everyone but its owner, whoever asks. Writes need a
signed-in owner (staff for the built-in roadmap). Documents are read from the
raw body with the safe parser, so duplicate keys, aliases and oversized input
are refused before anything is built.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from pydantic import Field

from levelup.accounts.auth import API_AUTH
from levelup.lib.errors import Invalid
from levelup.lib.schemas import Error, Int
from levelup.roadmaps import selectors, services
from levelup.roadmaps.export import version_export
from levelup.roadmaps.markdown_io import markdown_to_document
from levelup.roadmaps.models import Roadmap, Visibility
from levelup.roadmaps.safeparse import MAX_BYTES, Refusal, parse_json, parse_yaml, refuse
from levelup.roadmaps.schema import ItemKind, RoadmapDocument

router = Router(tags=["roadmaps"])


def _anonymous(request: HttpRequest) -> Any:
    """The last resort of OPTIONAL_AUTH: a visitor without credentials reads public content."""
    return request.user


# A bad bearer token is still refused (401); no credentials at all reads as anonymous.
OPTIONAL_AUTH: list[Any] = [*API_AUTH, _anonymous]

_DOCUMENT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/RoadmapDocument"}},
            "application/yaml": {"schema": {"type": "string"}},
        },
    }
}
_MARKDOWN_BODY = {
    "requestBody": {"required": True, "content": {"text/markdown": {"schema": {"type": "string"}}}}
}


def _raw_body(request: HttpRequest) -> bytes:
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > MAX_BYTES:
        raise refuse(
            Refusal(
                "(document)",
                f"the document is {length:,} bytes; the limit is {MAX_BYTES:,} bytes",
                "size",
            )
        )
    return request.body


def _body_document(request: HttpRequest) -> Any:
    """The document in the body: JSON, or YAML with `Content-Type: application/yaml`."""
    body = _raw_body(request)
    content_type = (request.content_type or "").lower()
    if "yaml" in content_type:
        return parse_yaml(body)
    if "markdown" in content_type:
        return markdown_to_document(body).data
    if "json" in content_type or not content_type:
        return parse_json(body)
    raise Invalid(
        f"Content-Type {content_type!r} is not a roadmap format; send application/json, "
        "application/yaml or text/markdown",
        errors=[{"field": "Content-Type", "message": "unsupported", "rule": "content-type"}],
    )


def _viewer(request: HttpRequest) -> Any:
    return request.user


class RoadmapSummaryOut(Schema):
    slug: str
    title: str
    summary: str
    version: int
    version_label: str
    is_builtin: bool
    owner: str | None
    visibility: str
    forked_from: str | None
    forked_from_version: int | None


class CreatedOut(Schema):
    slug: str
    version: int
    warnings: list[dict[str, str]] = []


class ImportedOut(Schema):
    slug: str
    version: int
    warnings: list[dict[str, str]]


class ForkIn(Schema):
    version: Annotated[Int, Field(ge=1)] | None = Field(
        None, description="The version to fork; the current one when omitted"
    )


class ForkOut(Schema):
    slug: str
    version: int
    forked_from: str
    forked_from_version: int


class PublishedOut(Schema):
    version: int
    created: bool
    warnings: list[dict[str, str]] = []


class RoadmapPatch(Schema):
    visibility: Visibility


class VersionOut(Schema):
    number: int
    label: str
    content_hash: str
    created_at: datetime
    created_by: str | None
    current: bool


class FieldChangeOut(Schema):
    field: str
    before: str
    after: str


class DiffOut(Schema):
    from_version: int = Field(alias="from")
    to_version: int = Field(alias="to")
    added: list[str]
    removed: list[str]
    changed: list[str]
    renamed: list[str]
    moved: list[str]
    renames: dict[str, str]
    changes: dict[str, list[FieldChangeOut]]


class DiffQuery(Schema):
    from_version: Annotated[Int, Field(ge=1)] = Field(alias="from")
    to_version: Annotated[Int, Field(ge=1)] | None = Field(None, alias="to")


class ExportQuery(Schema):
    format: Literal["yaml", "json", "markdown"] = "yaml"
    version: Annotated[Int, Field(ge=1)] | None = None


class RoadmapItemOut(Schema):
    key: str
    kind: ItemKind
    title: str
    month_start: int
    month_end: int
    phase: str | None
    section: str | None
    parent: str | None
    effort_hours: float | None
    category: str | None
    detail: dict[str, Any]


def _summary(r: Roadmap) -> dict[str, Any]:
    return {
        "slug": r.slug,
        "title": r.title,
        "summary": r.summary,
        "version": r.current_version.number if r.current_version else 0,
        "version_label": r.current_version.label if r.current_version else "",
        "is_builtin": r.is_builtin,
        "owner": r.owner.username if r.owner else None,
        "visibility": r.visibility,
        "forked_from": r.forked_from.slug if r.forked_from else None,
        "forked_from_version": r.forked_from_version.number if r.forked_from_version else None,
    }


def _warnings(problems: Any) -> list[dict[str, str]]:
    return [{"field": p.path, "message": p.message} for p in problems]


@router.get("", auth=OPTIONAL_AUTH, response=list[RoadmapSummaryOut])
def roadmap_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Listed roadmaps (public ones, and your own) with their current version numbers."""
    roadmaps = selectors.roadmap_list(viewer=_viewer(request)).select_related(
        "forked_from", "forked_from_version"
    )
    return [_summary(r) for r in roadmaps.defer("current_version__document")]


@router.post(
    "",
    response={201: CreatedOut, 401: Error, 409: Error, 422: Error},
    openapi_extra=_DOCUMENT_BODY,
)
def roadmap_create(request: HttpRequest) -> Any:
    """A new roadmap of yours (private) from a whole document, as JSON or YAML."""
    result = services.roadmap_create(owner=request.user, data=_body_document(request))  # type: ignore[arg-type]
    return 201, {
        "slug": result.roadmap.slug,
        "version": result.version.number,
        "warnings": _warnings(result.warnings),
    }


@router.post(
    "/import",
    response={201: ImportedOut, 401: Error, 409: Error, 422: Error},
    openapi_extra=_MARKDOWN_BODY,
)
def roadmap_import(request: HttpRequest) -> Any:
    """A new roadmap of yours from README-style Markdown; lines not placed come back as warnings."""
    imported = markdown_to_document(_raw_body(request))
    data = dict(imported.data)
    data["slug"] = services.free_slug(str(data.get("slug") or "roadmap"))
    result = services.roadmap_create(owner=request.user, data=data)  # type: ignore[arg-type]
    return 201, {
        "slug": result.roadmap.slug,
        "version": result.version.number,
        "warnings": imported.warnings + _warnings(result.warnings),
    }


@router.get("/{slug}", auth=OPTIONAL_AUTH, response={200: RoadmapDocument, 404: Error})
def roadmap_detail(request: HttpRequest, slug: str) -> Any:
    """The roadmap's current document, in the format of docs/roadmap-format.md."""
    _, document = selectors.current_document(slug, viewer=_viewer(request))
    return document


@router.put(
    "/{slug}",
    response={200: PublishedOut, 401: Error, 403: Error, 404: Error, 422: Error},
    openapi_extra=_DOCUMENT_BODY,
)
def roadmap_publish(request: HttpRequest, slug: str) -> Any:
    """Publish a whole document as the next version (the same content changes nothing)."""
    roadmap = selectors.roadmap_for_editing(slug, user=request.user)
    result = services.roadmap_publish(
        roadmap=roadmap,
        user=request.user,  # type: ignore[arg-type]
        data=_body_document(request),
    )
    return {
        "version": result.version.number,
        "created": result.created,
        "warnings": _warnings(result.warnings),
    }


@router.patch(
    "/{slug}", response={200: RoadmapSummaryOut, 401: Error, 403: Error, 404: Error, 422: Error}
)
def roadmap_patch(request: HttpRequest, slug: str, payload: RoadmapPatch) -> Any:
    """Change who sees the roadmap: private, unlisted or public."""
    roadmap = selectors.roadmap_for_editing(slug, user=request.user)
    return _summary(
        services.roadmap_settings_update(roadmap=roadmap, visibility=payload.visibility)
    )


@router.post("/{slug}/fork", response={201: ForkOut, 401: Error, 404: Error, 422: Error})
def roadmap_fork(request: HttpRequest, slug: str, payload: ForkIn | None = None) -> Any:
    """Your own private copy of a roadmap you can see; it remembers where it came from."""
    source = selectors.roadmap_get(slug, viewer=request.user)
    version = selectors.version_get(source, payload.version if payload else None)
    result = services.roadmap_fork(user=request.user, source=source, version=version)  # type: ignore[arg-type]
    return 201, {
        "slug": result.roadmap.slug,
        "version": result.version.number,
        "forked_from": source.slug,
        "forked_from_version": version.number,
    }


@router.get("/{slug}/versions", auth=OPTIONAL_AUTH, response={200: list[VersionOut], 404: Error})
def roadmap_versions(request: HttpRequest, slug: str) -> Any:
    """Every version, oldest first."""
    roadmap = selectors.roadmap_get(slug, viewer=_viewer(request))
    return [
        {
            "number": v.number,
            "label": v.label,
            "content_hash": v.content_hash,
            "created_at": v.created_at,
            "created_by": v.created_by.username if v.created_by else None,
            "current": v.pk == roadmap.current_version_id,
        }
        for v in selectors.version_list(roadmap)
    ]


@router.get(
    "/{slug}/diff",
    auth=OPTIONAL_AUTH,
    response={200: DiffOut, 404: Error, 422: Error},
    by_alias=True,
)
def roadmap_diff(request: HttpRequest, slug: str, query: Query[DiffQuery]) -> Any:
    """What changed from version `from` to `to` (default: current), by item key."""
    roadmap = selectors.roadmap_get(slug, viewer=_viewer(request))
    assert roadmap.current_version is not None
    end = query.to_version or roadmap.current_version.number
    diff = selectors.version_diff_between(roadmap, query.from_version, end)
    return {"from": query.from_version, "to": end, **diff.as_dict()}


@router.get(
    "/{slug}/export",
    auth=OPTIONAL_AUTH,
    response={200: None, 404: Error, 422: Error},
    openapi_extra={
        # An integer key, like ninja's own: a string "200" would be a second 200 response.
        "responses": {
            200: {
                "description": "The document as a file",
                "content": {
                    "application/yaml": {},
                    "application/json": {},
                    "text/markdown": {},
                },
            }
        }
    },
)
def roadmap_export(request: HttpRequest, slug: str, query: Query[ExportQuery]) -> HttpResponse:
    """Any version (`version=N`, default current) as `format=yaml|json|markdown`."""
    roadmap = selectors.roadmap_get(slug, viewer=_viewer(request))
    exported = version_export(
        version=selectors.version_get(roadmap, query.version), fmt=query.format
    )
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response


@router.get(
    "/{slug}/items/{path:item_key}", auth=OPTIONAL_AUTH, response={200: RoadmapItemOut, 404: Error}
)
def roadmap_item(request: HttpRequest, slug: str, item_key: str) -> Any:
    """One item by key (`topic:x`, `topic:x/y`, `project:x`, `checkpoint:x`) with its content."""
    _, document = selectors.current_document(slug, viewer=_viewer(request))
    item = selectors.item_get(document, item_key)
    return {
        "key": item.key,
        "kind": item.kind,
        "title": item.title,
        "month_start": item.month_start,
        "month_end": item.month_end,
        "phase": item.phase,
        "section": item.section,
        "parent": item.parent,
        "effort_hours": item.effort_hours,
        "category": item.category,
        "detail": selectors.item_detail(document, item_key),
    }

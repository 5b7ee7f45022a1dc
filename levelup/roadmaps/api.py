"""Read-only roadmap endpoints. Roadmap content is public, like the roadmap pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from levelup.roadmaps import selectors
from levelup.roadmaps.schema import ItemKind, RoadmapDocument

router = Router(tags=["roadmaps"])


class Error(Schema):
    detail: str
    errors: list[dict[str, str]] = []


class RoadmapSummaryOut(Schema):
    slug: str
    title: str
    summary: str
    version: int
    version_label: str
    is_builtin: bool


class ItemOut(Schema):
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


@router.get("", auth=None, response=list[RoadmapSummaryOut])
def roadmap_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Every published roadmap with its current version number."""
    return [
        {
            "slug": r.slug,
            "title": r.title,
            "summary": r.summary,
            "version": r.current_version.number if r.current_version else 0,
            "version_label": r.current_version.label if r.current_version else "",
            "is_builtin": r.is_builtin,
        }
        for r in selectors.roadmap_list()
    ]


@router.get("/{slug}", auth=None, response={200: RoadmapDocument, 404: Error})
def roadmap_detail(request: HttpRequest, slug: str) -> Any:
    """The roadmap's current document, in the format of docs/roadmap-format.md."""
    _, document = selectors.current_document(slug)
    return document


@router.get("/{slug}/items/{path:item_key}", auth=None, response={200: ItemOut, 404: Error})
def roadmap_item(request: HttpRequest, slug: str, item_key: str) -> Any:
    """One item by key (`topic:x`, `topic:x/y`, `project:x`, `checkpoint:x`) with its content."""
    _, document = selectors.current_document(slug)
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

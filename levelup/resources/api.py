"""API of the reading list and certifications: /api/v1/me/resources, /me/certifications.

Both belong to the caller; another user's item answers 404, staff included.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from pydantic import Field

from levelup.accounts.models import User
from levelup.lib.schemas import Date, Error, Id, Int, Key, Line, Text, Url
from levelup.resources import selectors, services
from levelup.resources.models import (
    Certification,
    CertificationStatus,
    ReadingItem,
    ReadingKind,
    ReadingStatus,
)

router = Router(tags=["resources"])


class SuggestionOut(Schema):
    key: str
    title: str
    kind: str
    authors: str
    url: str
    issuer: str
    roadmap: str


class ReadingItemOut(Schema):
    id: int
    source_key: str
    title: str
    authors: str
    kind: ReadingKind
    url: str
    status: ReadingStatus
    note: str
    rating: int | None
    finished_on: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime


class ReadingListOut(Schema):
    items: list[ReadingItemOut]
    suggestions: list[SuggestionOut]


Rating = Annotated[Int, Field(ge=1, le=5)]


class ReadingItemIn(Schema):
    source_key: Key = ""
    title: Line = ""
    kind: ReadingKind = ReadingKind.BOOK
    authors: Annotated[Line, Field(max_length=300)] = ""
    url: Url = ""
    status: ReadingStatus = ReadingStatus.WANT
    note: Text = ""
    rating: Rating | None = None


class ReadingItemPatch(Schema):
    title: Line | None = None
    kind: ReadingKind | None = None
    authors: Annotated[Line, Field(max_length=300)] | None = None
    url: Url | None = None
    status: ReadingStatus | None = None
    note: Text | None = None
    rating: Rating | None = None


class CertificationOut(Schema):
    id: int
    source_key: str
    title: str
    issuer: str
    status: CertificationStatus
    exam_date: dt.date | None
    passed_on: dt.date | None
    credential_url: str
    expires_on: dt.date | None
    note: str
    created_at: dt.datetime
    updated_at: dt.datetime


class CertificationListOut(Schema):
    items: list[CertificationOut]
    suggestions: list[SuggestionOut]


class CertificationIn(Schema):
    source_key: Key = ""
    title: Line = ""
    issuer: Line = ""
    status: CertificationStatus = CertificationStatus.PLANNED
    exam_date: Date | None = None
    passed_on: Date | None = None
    credential_url: Url = ""
    expires_on: Date | None = None
    note: Text = ""


class CertificationPatch(Schema):
    title: Line | None = None
    issuer: Line | None = None
    status: CertificationStatus | None = None
    exam_date: Date | None = None
    passed_on: Date | None = None
    credential_url: Url | None = None
    expires_on: Date | None = None
    note: Text | None = None


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _changes(payload: Schema) -> dict[str, Any]:
    # Only what the client sent; an explicit null clears a nullable field.
    return payload.model_dump(exclude_unset=True)


@router.get("/me/resources", response=ReadingListOut)
def resources_list(request: HttpRequest) -> dict[str, Any]:
    """Your reading list, and what your roadmaps recommend that is not on it yet."""
    user = _user(request)
    return {
        "items": list(selectors.reading_list(user=user)),
        "suggestions": selectors.reading_suggestions(user=user),
    }


@router.post("/me/resources", response={201: ReadingItemOut, 409: Error, 422: Error})
def resources_add(request: HttpRequest, payload: ReadingItemIn) -> tuple[int, ReadingItem]:
    """Add a roadmap suggestion (`source_key`, e.g. `book:clean-code`) or your own title."""
    return 201, services.reading_item_add(user=_user(request), **payload.model_dump())


@router.patch("/me/resources/{int:item_id}", response={200: ReadingItemOut, 404: Error, 422: Error})
def resources_patch(request: HttpRequest, item_id: Id, payload: ReadingItemPatch) -> ReadingItem:
    """Change status (want, in_progress, finished, dropped), note or rating (1-5)."""
    item = selectors.reading_item_get_for_user(user=_user(request), item_id=item_id)
    return services.reading_item_update(item=item, **_changes(payload))


@router.delete("/me/resources/{int:item_id}", response={204: None, 404: Error})
def resources_delete(request: HttpRequest, item_id: Id) -> HttpResponse:
    item = selectors.reading_item_get_for_user(user=_user(request), item_id=item_id)
    services.reading_item_delete(item=item)
    return HttpResponse(status=204)


@router.get("/me/certifications", response=CertificationListOut)
def certifications_list(request: HttpRequest) -> dict[str, Any]:
    """Your certifications, and the ones your roadmaps name that you do not track yet."""
    user = _user(request)
    return {
        "items": list(selectors.certification_list(user=user)),
        "suggestions": selectors.certification_suggestions(user=user),
    }


@router.post("/me/certifications", response={201: CertificationOut, 409: Error, 422: Error})
def certifications_add(request: HttpRequest, payload: CertificationIn) -> tuple[int, Certification]:
    """Track a certification: planned, booked (with `exam_date`) or passed (with `passed_on`)."""
    return 201, services.certification_add(user=_user(request), **payload.model_dump())


@router.patch(
    "/me/certifications/{int:certification_id}",
    response={200: CertificationOut, 404: Error, 422: Error},
)
def certifications_patch(
    request: HttpRequest, certification_id: Id, payload: CertificationPatch
) -> Certification:
    cert = selectors.certification_get_for_user(
        user=_user(request), certification_id=certification_id
    )
    return services.certification_update(certification=cert, **_changes(payload))


@router.delete("/me/certifications/{int:certification_id}", response={204: None, 404: Error})
def certifications_delete(request: HttpRequest, certification_id: Id) -> HttpResponse:
    cert = selectors.certification_get_for_user(
        user=_user(request), certification_id=certification_id
    )
    services.certification_delete(certification=cert)
    return HttpResponse(status=204)

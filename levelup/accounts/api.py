"""The signed-in user's own profile."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from levelup.accounts import services
from levelup.lib.schemas import Error, Int, Line

router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    email: str
    display_name: str
    time_zone: str
    week_start: int
    is_staff: bool


class MePatch(Schema):
    display_name: Annotated[Line, Field(max_length=100)] | None = None
    time_zone: Annotated[Line, Field(max_length=64)] | None = None
    week_start: Annotated[Int, Field(ge=0, le=6, description="0 = Monday … 6 = Sunday")] | None = (
        None
    )


def _me(user: Any) -> dict[str, Any]:
    return {
        "username": user.username,
        "email": user.email,
        "display_name": user.display_name,
        "time_zone": user.time_zone,
        "week_start": user.week_start,
        "is_staff": user.is_staff,
    }


@router.get("/me", response=MeOut)
def me_get(request: HttpRequest) -> dict[str, Any]:
    """Who the request is authenticated as."""
    return _me(request.user)


@router.patch("/me", response={200: MeOut, 422: Error})
def me_patch(request: HttpRequest, payload: MePatch) -> dict[str, Any]:
    """Change display name, time zone (IANA name) or week start (0 Monday, 5 Saturday, 6 Sunday)."""
    user = services.profile_update(user=request.user, **payload.model_dump(exclude_unset=True))  # type: ignore[arg-type]
    return _me(user)
